//! DTOs for reminders (to be written).
