//! Pure rules for reminders (to be written).
