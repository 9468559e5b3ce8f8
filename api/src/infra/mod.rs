//! Ports with an embedded and an external implementation each (object store, …).

pub mod cache;
pub mod mail;
pub mod objects;
pub mod objects_s3;
pub mod redis;
