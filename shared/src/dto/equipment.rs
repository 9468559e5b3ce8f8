//! DTOs for equipment (to be written).
