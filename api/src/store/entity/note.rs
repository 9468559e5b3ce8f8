//! Entity for `note` (to be written).
