//! Pure rules for plans (to be written).
