//! Entity for `maintenance_record` (to be written).
