//! Entity for `plan_template` (to be written).
