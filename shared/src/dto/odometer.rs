//! DTOs for odometer (to be written).
