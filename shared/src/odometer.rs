//! Pure rules for odometer (to be written).
