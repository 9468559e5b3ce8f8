//! plans (to be written).
