//! tax (to be written).
