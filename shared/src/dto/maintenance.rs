//! DTOs for maintenance (to be written).
