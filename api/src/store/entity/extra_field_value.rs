//! Entity for `extra_field_value` (to be written).
