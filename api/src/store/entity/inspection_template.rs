//! Entity for `inspection_template` (to be written).
