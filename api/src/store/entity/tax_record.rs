//! Entity for `tax_record` (to be written).
