//! DTOs for plans (to be written).
