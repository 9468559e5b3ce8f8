//! Entity for `plan_reminder` (to be written).
