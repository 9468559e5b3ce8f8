//! Entity for `attachment` (to be written).
