//! Entity for `extra_field_definition` (to be written).
