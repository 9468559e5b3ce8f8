//! Entity for `equipment` (to be written).
