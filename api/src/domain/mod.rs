//! Server-side rules over the store: who may do what, transactions, and conversions to the
//! shared DTOs. HTTP handlers stay thin and call these.

pub mod accounts;
pub mod fuel;
pub mod vehicles;
