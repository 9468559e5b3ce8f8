//! Pure rules for supplies (to be written).
