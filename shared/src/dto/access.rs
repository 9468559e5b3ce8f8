//! Sharing: roles, API keys, collaborators and households (reference §1, §3.8).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What a household member or an API key may do (reference: Viewer `[]`, Editor `[Edit]`,
/// Manager `[Edit, Delete]`). Ordered: a higher role includes the lower ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Role {
    Viewer,
    Editor,
    Manager,
}

/// One thing a request wants to do to a vehicle's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    View,
    Edit,
    Delete,
}

impl Role {
    pub fn allows(self, need: Permission) -> bool {
        match need {
            Permission::View => true,
            Permission::Edit => self >= Role::Editor,
            Permission::Delete => self == Role::Manager,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Manager => "manager",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "manager" => Some(Role::Manager),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------- API keys

/// `POST /api/v1/api-keys`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiKeyInput {
    pub name: String,
    pub role: Role,
    /// No expiry when absent.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// An API key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The answer to creating a key: the only time the key is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key: ApiKey,
    /// Send as `Authorization: Bearer <secret>` or `x-api-key: <secret>`.
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyList {
    pub keys: Vec<ApiKey>,
}

// ---------------------------------------------------------------- collaborators

/// `POST /api/v1/vehicles/{vehicleId}/collaborators`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CollaboratorInput {
    pub username: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Collaborator {
    pub user_id: i64,
    pub username: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CollaboratorList {
    pub collaborators: Vec<Collaborator>,
}

// ---------------------------------------------------------------- households

/// `POST /api/v1/household/members`: the caller (head) adds a member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HouseholdMemberInput {
    pub username: String,
    pub role: Role,
}

/// `PUT /api/v1/household/members/{userId}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HouseholdRoleInput {
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HouseholdMember {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
}

/// The caller's household: the members they head, and the heads whose vehicles they inherit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Household {
    pub members: Vec<HouseholdMember>,
    pub heads: Vec<HouseholdMember>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_grant_what_the_reference_lists() {
        // (role, view, edit, delete) — Viewer [], Editor [Edit], Manager [Edit, Delete].
        let table = [
            (Role::Viewer, true, false, false),
            (Role::Editor, true, true, false),
            (Role::Manager, true, true, true),
        ];
        for (role, view, edit, delete) in table {
            assert_eq!(role.allows(Permission::View), view, "{role:?} view");
            assert_eq!(role.allows(Permission::Edit), edit, "{role:?} edit");
            assert_eq!(role.allows(Permission::Delete), delete, "{role:?} delete");
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
