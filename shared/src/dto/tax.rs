//! DTOs for tax (to be written).
