//! reminders (to be written).
