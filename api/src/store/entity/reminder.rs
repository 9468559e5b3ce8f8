//! Entity for `reminder` (to be written).
