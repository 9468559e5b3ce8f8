//! Households (reference §1 "Households", §3.8): the caller heads their own household; each
//! member inherits the head's vehicles with a role (Viewer, Editor, Manager). Membership is
//! not transitive (see `store::vehicles`). Rules enforced here:
//! - no self-membership, and the root is never in a household (it already sees everything);
//! - no circular pairs: if B is a member of A, A cannot become a member of B;
//! - a member may leave a household on their own.
//!
//! Every change needs a signed-in session: an API key must not be able to share vehicles.

use motovault_shared::dto::access::{
    Household, HouseholdMember, HouseholdMemberInput, HouseholdRoleInput, Role,
};

use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::store::households::{self as store, Link};
use crate::store::users;
use sea_orm::DatabaseConnection;

pub async fn get(db: &DatabaseConnection, caller: &Caller) -> AppResult<Household> {
    Ok(Household {
        members: to_dtos(store::members_of(db, caller.user.id).await?),
        heads: to_dtos(store::heads_of(db, caller.user.id).await?),
    })
}

pub async fn add_member(
    db: &DatabaseConnection,
    caller: &Caller,
    input: HouseholdMemberInput,
) -> AppResult<HouseholdMember> {
    caller.session()?;
    if caller.user.is_root {
        return Err(AppError::Conflict(
            "the root administrator sees every vehicle and cannot head a household".into(),
        ));
    }
    let username = input.username.trim();
    if username.is_empty() {
        return Err(AppError::field("username", "a username is required"));
    }
    let member = users::find_by_username(db, username)
        .await?
        .ok_or_else(|| AppError::field("username", "there is no user with this name"))?;
    if member.id == caller.user.id {
        return Err(AppError::field(
            "username",
            "you cannot be a member of your own household",
        ));
    }
    if member.is_root {
        return Err(AppError::field(
            "username",
            "the root administrator cannot be a household member",
        ));
    }
    if store::find(db, caller.user.id, member.id).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "{} is already a member of your household",
            member.username
        )));
    }
    if store::find(db, member.id, caller.user.id).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "you are a member of {}'s household, so {} cannot be a member of yours",
            member.username, member.username
        )));
    }
    store::insert(db, caller.user.id, member.id, input.role.as_str()).await?;
    Ok(HouseholdMember {
        user_id: member.id,
        username: member.username,
        role: input.role,
    })
}

pub async fn set_role(
    db: &DatabaseConnection,
    caller: &Caller,
    member_id: i64,
    input: HouseholdRoleInput,
) -> AppResult<HouseholdMember> {
    caller.session()?;
    let row = store::find(db, caller.user.id, member_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let member = users::find(db, member_id)
        .await?
        .ok_or(AppError::NotFound)?;
    store::set_permission(db, row, input.role.as_str()).await?;
    Ok(HouseholdMember {
        user_id: member.id,
        username: member.username,
        role: input.role,
    })
}

/// The head removes a member.
pub async fn remove_member(
    db: &DatabaseConnection,
    caller: &Caller,
    member_id: i64,
) -> AppResult<()> {
    caller.session()?;
    if store::delete(db, caller.user.id, member_id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The caller leaves the household of `head_id`.
pub async fn leave(db: &DatabaseConnection, caller: &Caller, head_id: i64) -> AppResult<()> {
    caller.session()?;
    if store::delete(db, head_id, caller.user.id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn to_dtos(links: Vec<Link>) -> Vec<HouseholdMember> {
    links
        .into_iter()
        .filter_map(|l| {
            // Rows are written with a valid role only; one that does not parse grants nothing
            // (store::vehicles skips it too), so it is not shown either.
            Role::parse(&l.permission).map(|role| HouseholdMember {
                user_id: l.user.id,
                username: l.user.username,
                role,
            })
        })
        .collect()
}
