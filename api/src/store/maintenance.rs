//! maintenance (to be written).
