//! DTOs for supplies (to be written).
