//! Managers' calendar feeds: a secret link per manager, stored only as a digest.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{calendar_feeds, users};
use super::{DbConnection, StorageResult};
use crate::domain::Role;

/// Gives `user_id` a new feed link (the old one stops working at once).
pub fn replace(
    conn: &mut DbConnection,
    user_id: i32,
    token_digest: &str,
    now: NaiveDateTime,
) -> StorageResult<()> {
    conn.transaction(|conn| {
        diesel::delete(calendar_feeds::table.find(user_id)).execute(conn)?;
        diesel::insert_into(calendar_feeds::table)
            .values((
                calendar_feeds::user_id.eq(user_id),
                calendar_feeds::token_digest.eq(token_digest),
                calendar_feeds::created_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Whether `user_id` has a feed link.
pub fn exists(conn: &mut DbConnection, user_id: i32) -> StorageResult<bool> {
    Ok(calendar_feeds::table
        .find(user_id)
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// The active manager a feed link belongs to.
pub fn manager_for(conn: &mut DbConnection, token_digest: &str) -> StorageResult<Option<i32>> {
    Ok(calendar_feeds::table
        .inner_join(users::table)
        .filter(calendar_feeds::token_digest.eq(token_digest))
        .filter(users::disabled_at.is_null())
        .filter(users::role.eq(Role::Manager.as_str()))
        .select(users::id)
        .first(conn)
        .optional()?)
}
