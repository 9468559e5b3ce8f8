//! odometer (to be written).
