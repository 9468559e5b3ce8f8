//! inspections (to be written).
