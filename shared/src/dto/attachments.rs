//! DTOs for attachments (to be written).
