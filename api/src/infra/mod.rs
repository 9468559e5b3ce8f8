//! Ports with an embedded and an external implementation each (object store, …).

pub mod objects;
pub mod mail;
