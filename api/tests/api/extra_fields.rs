//! Integration tests for extra_fields (to be written).

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[];
