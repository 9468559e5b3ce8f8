//! Pure rules for extra_fields (to be written).
