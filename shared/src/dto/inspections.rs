//! DTOs for inspections (to be written).
