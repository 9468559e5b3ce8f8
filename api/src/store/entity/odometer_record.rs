//! Entity for `odometer_record` (to be written).
