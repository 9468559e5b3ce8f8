//! DTOs for summary (to be written).
