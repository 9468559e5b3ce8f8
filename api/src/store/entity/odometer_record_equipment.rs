//! Entity for `odometer_record_equipment` (to be written).
