//! Sharing: the user's API keys, a vehicle's collaborators and the user's household.

use gloo_net::http::Method;
use motovault_shared::dto::access::{
    ApiKeyInput, ApiKeyList, CollaboratorInput, CollaboratorList, Household, HouseholdMemberInput,
    HouseholdRoleInput,
};
use serde::Deserialize;

use super::{ApiError, Write, client};

pub async fn api_keys() -> Result<ApiKeyList, ApiError> {
    client::get("/api-keys").await
}

/// What the page needs of a `CreatedApiKey` (its flattened key is listed again anyway; reading
/// only these fields keeps serde's `flatten` machinery out of the bundle).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewKey {
    pub name: String,
    pub secret: String,
}

/// The answer holds the secret: the only time it is shown.
pub async fn create_api_key(csrf: &str, input: &ApiKeyInput) -> Result<NewKey, ApiError> {
    client::send(Method::POST, "/api-keys", csrf, input).await
}

pub fn revoke_api_key(id: i64) -> Write {
    Write::bare(Method::DELETE, format!("/api-keys/{id}"))
}

pub async fn collaborators(vehicle_id: i64) -> Result<CollaboratorList, ApiError> {
    client::get(&format!("/vehicles/{vehicle_id}/collaborators")).await
}

pub fn add_collaborator(vehicle_id: i64, input: &CollaboratorInput) -> Write {
    Write::json(
        Method::POST,
        format!("/vehicles/{vehicle_id}/collaborators"),
        input,
    )
}

pub fn remove_collaborator(vehicle_id: i64, user_id: i64) -> Write {
    Write::bare(
        Method::DELETE,
        format!("/vehicles/{vehicle_id}/collaborators/{user_id}"),
    )
}

pub async fn household() -> Result<Household, ApiError> {
    client::get("/household").await
}

pub fn add_member(input: &HouseholdMemberInput) -> Write {
    Write::json(Method::POST, "/household/members".to_owned(), input)
}

pub fn set_member_role(user_id: i64, input: &HouseholdRoleInput) -> Write {
    Write::json(Method::PUT, format!("/household/members/{user_id}"), input)
}

pub fn remove_member(user_id: i64) -> Write {
    Write::bare(Method::DELETE, format!("/household/members/{user_id}"))
}

/// Leaves the household of `head_id`.
pub fn leave(head_id: i64) -> Write {
    Write::bare(Method::DELETE, format!("/household/heads/{head_id}"))
}
