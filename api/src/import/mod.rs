//! Bringing data over from other applications (`motovault import …`).

pub mod lubelogger;
