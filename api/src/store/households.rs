//! Households: a member (child) inherits the vehicles of their head (parent) with a role.
//! Who may see what through these rows is decided in `store::vehicles`.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::entity::{household, user};

/// A household row with the other side's user.
pub struct Link {
    pub user: user::Model,
    pub permission: String,
}

/// The members the user heads, by username.
pub async fn members_of(db: &impl ConnectionTrait, head_id: i64) -> Result<Vec<Link>, DbErr> {
    let rows = household::Entity::find()
        .filter(household::Column::ParentUserId.eq(head_id))
        .all(db)
        .await?;
    with_users(db, rows, |r| r.child_user_id).await
}

/// The heads whose vehicles the user inherits, by username.
pub async fn heads_of(db: &impl ConnectionTrait, member_id: i64) -> Result<Vec<Link>, DbErr> {
    let rows = household::Entity::find()
        .filter(household::Column::ChildUserId.eq(member_id))
        .all(db)
        .await?;
    with_users(db, rows, |r| r.parent_user_id).await
}

async fn with_users(
    db: &impl ConnectionTrait,
    rows: Vec<household::Model>,
    other: impl Fn(&household::Model) -> i64,
) -> Result<Vec<Link>, DbErr> {
    let ids: Vec<i64> = rows.iter().map(&other).collect();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .order_by_asc(user::Column::UsernameNormalized)
        .all(db)
        .await?;
    Ok(users
        .into_iter()
        .filter_map(|u| {
            rows.iter().find(|r| other(r) == u.id).map(|r| Link {
                permission: r.permission.clone(),
                user: u,
            })
        })
        .collect())
}

pub async fn find(
    db: &impl ConnectionTrait,
    head_id: i64,
    member_id: i64,
) -> Result<Option<household::Model>, DbErr> {
    household::Entity::find()
        .filter(household::Column::ParentUserId.eq(head_id))
        .filter(household::Column::ChildUserId.eq(member_id))
        .one(db)
        .await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    head_id: i64,
    member_id: i64,
    permission: &str,
) -> Result<household::Model, DbErr> {
    household::ActiveModel {
        parent_user_id: Set(head_id),
        child_user_id: Set(member_id),
        permission: Set(permission.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn set_permission(
    db: &impl ConnectionTrait,
    row: household::Model,
    permission: &str,
) -> Result<household::Model, DbErr> {
    let mut row: household::ActiveModel = row.into();
    row.permission = Set(permission.to_owned());
    row.update(db).await
}

/// Removes the pair; `false` when there was none.
pub async fn delete(
    db: &impl ConnectionTrait,
    head_id: i64,
    member_id: i64,
) -> Result<bool, DbErr> {
    let done = household::Entity::delete_many()
        .filter(household::Column::ParentUserId.eq(head_id))
        .filter(household::Column::ChildUserId.eq(member_id))
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}
