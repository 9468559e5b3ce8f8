//! extra_fields (to be written).
