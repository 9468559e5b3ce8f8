//! summary (to be written).
