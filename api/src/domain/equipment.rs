//! equipment (to be written).
