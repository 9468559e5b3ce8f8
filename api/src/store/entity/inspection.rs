//! Entity for `inspection` (to be written).
