//! supplies (to be written).
