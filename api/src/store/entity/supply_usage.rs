//! Entity for `supply_usage` (to be written).
