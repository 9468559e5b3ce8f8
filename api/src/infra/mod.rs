//! Ports with an embedded and an external implementation each (object store, …).

pub mod mail;
pub mod objects;
pub mod objects_s3;
