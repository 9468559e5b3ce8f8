//! Pure rules for tax (to be written).
