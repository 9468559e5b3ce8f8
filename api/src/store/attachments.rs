//! attachments (to be written).
