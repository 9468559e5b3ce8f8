//! DTOs for notes (to be written).
