//! Entity for `supply` (to be written).
