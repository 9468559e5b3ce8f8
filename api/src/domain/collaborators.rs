//! A vehicle's collaborators (reference §1 "Collaborators"): co-owners with every right.
//!
//! Anyone who can see the vehicle may list them. Adding and removing is for owners only (root
//! or a direct collaborator, `StrictCollaboratorFilter`), over a signed-in session: an API key
//! must not be able to hand a vehicle to another account. Removing the last collaborator is
//! refused (409) rather than leaving a vehicle that only the root could reach; to get rid of a
//! vehicle, delete it.

use motovault_shared::dto::access::{Collaborator, CollaboratorInput, CollaboratorList};
use sea_orm::DatabaseConnection;

use super::vehicles::{owned, visible};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::store::entity::user;
use crate::store::{collaborators as store, users};

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<CollaboratorList> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    Ok(CollaboratorList {
        collaborators: store::users_of(db, vehicle.id)
            .await?
            .into_iter()
            .map(to_dto)
            .collect(),
    })
}

pub async fn add(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    input: CollaboratorInput,
) -> AppResult<Collaborator> {
    caller.session()?;
    let vehicle = owned(db, caller, vehicle_id).await?;
    let username = input.username.trim();
    if username.is_empty() {
        return Err(AppError::field("username", "a username is required"));
    }
    let who = users::find_by_username(db, username)
        .await?
        .ok_or_else(|| AppError::field("username", "there is no user with this name"))?;
    if store::is_collaborator(db, vehicle.id, who.id).await? {
        return Err(AppError::Conflict(format!(
            "{} is already a collaborator on this vehicle",
            who.username
        )));
    }
    store::insert(db, vehicle.id, who.id).await?;
    Ok(to_dto(who))
}

pub async fn remove(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    user_id: i64,
) -> AppResult<()> {
    caller.session()?;
    let vehicle = owned(db, caller, vehicle_id).await?;
    // The vehicle row is locked so two concurrent removals cannot both pass the "not the last
    // one" check.
    let txn = crate::store::begin_write(db).await?;
    store::lock_vehicle(&txn, vehicle.id).await?;
    if !store::is_collaborator(&txn, vehicle.id, user_id).await? {
        return Err(AppError::NotFound);
    }
    if store::count(&txn, vehicle.id).await? <= 1 {
        return Err(AppError::Conflict(
            "this is the vehicle's last collaborator; a vehicle always keeps one (delete the vehicle instead)"
                .into(),
        ));
    }
    store::delete(&txn, vehicle.id, user_id).await?;
    txn.commit().await?;
    Ok(())
}

fn to_dto(u: user::Model) -> Collaborator {
    Collaborator {
        user_id: u.id,
        username: u.username,
    }
}
