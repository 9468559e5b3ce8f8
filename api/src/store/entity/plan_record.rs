//! Entity for `plan_record` (to be written).
