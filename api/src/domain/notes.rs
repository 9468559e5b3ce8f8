//! notes (to be written).
