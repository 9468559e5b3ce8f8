//! DTOs for extra_fields (to be written).
