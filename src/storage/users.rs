//! Users, their sessions and API tokens, sign-in attempts, and the first-run setup link.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{api_tokens, sessions, setup_tokens, signin_attempts, users};
use super::{DbConnection, StorageError, StorageResult};
use crate::domain::Role;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i32,
    pub email: String,
    pub full_name: String,
    pub role: String,
    pub password_hash: String,
    pub disabled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl UserRow {
    /// The role; a value the schema's CHECK allows but this build does not know reads as none.
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }

    pub fn is_active(&self) -> bool {
        self.disabled_at.is_none()
    }
}

/// Stores a new user. The email is kept lowercased so it is unique whatever the case typed.
pub fn create(
    conn: &mut DbConnection,
    email: &str,
    full_name: &str,
    role: Role,
    password_hash: &str,
    now: NaiveDateTime,
) -> StorageResult<UserRow> {
    let email = email.trim().to_lowercase();
    conn.transaction(|conn| {
        if find_by_email(conn, &email)?.is_some() {
            return Err(StorageError::Conflict(format!(
                "a user with the email {email} already exists"
            )));
        }
        diesel::insert_into(users::table)
            .values((
                users::email.eq(&email),
                users::full_name.eq(full_name.trim()),
                users::role.eq(role.as_str()),
                users::password_hash.eq(password_hash),
                users::created_at.eq(now),
            ))
            .execute(conn)?;
        find_by_email(conn, &email)?.ok_or(StorageError::NotFound)
    })
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> StorageResult<Option<UserRow>> {
    Ok(users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find(conn: &mut DbConnection, id: i32) -> StorageResult<Option<UserRow>> {
    Ok(users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(conn: &mut DbConnection) -> StorageResult<Vec<UserRow>> {
    Ok(users::table
        .order(users::email.asc())
        .select(UserRow::as_select())
        .load(conn)?)
}

/// Active users with the manager role, for the "hiring manager" choice.
pub fn active_managers(conn: &mut DbConnection) -> StorageResult<Vec<UserRow>> {
    Ok(users::table
        .filter(users::role.eq(Role::Manager.as_str()))
        .filter(users::disabled_at.is_null())
        .order(users::full_name.asc())
        .select(UserRow::as_select())
        .load(conn)?)
}

pub fn count(conn: &mut DbConnection) -> StorageResult<i64> {
    Ok(users::table.count().get_result(conn)?)
}

/// Disables a user, ends every session and revokes every API token, in one transaction.
pub fn disable(conn: &mut DbConnection, id: i32, now: NaiveDateTime) -> StorageResult<()> {
    conn.transaction(|conn| {
        let changed = diesel::update(users::table.find(id).filter(users::disabled_at.is_null()))
            .set(users::disabled_at.eq(now))
            .execute(conn)?;
        if changed == 0 {
            return Err(StorageError::NotFound);
        }
        diesel::delete(sessions::table.filter(sessions::user_id.eq(id))).execute(conn)?;
        diesel::update(
            api_tokens::table
                .filter(api_tokens::user_id.eq(id))
                .filter(api_tokens::revoked_at.is_null()),
        )
        .set(api_tokens::revoked_at.eq(now))
        .execute(conn)?;
        Ok(())
    })
}

// ---------------------------------------------------------------- sessions

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: i32,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn create_session(
    conn: &mut DbConnection,
    token_hash: &str,
    user_id: i32,
    csrf_token: &str,
    now: NaiveDateTime,
    lifetime: Duration,
) -> StorageResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(csrf_token),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(now + lifetime),
        ))
        .execute(conn)?;
    Ok(())
}

/// The session and its user when the session is live: not past its absolute expiry, used within
/// the idle limit, and its user not disabled.
pub fn live_session(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
    idle: Duration,
) -> StorageResult<Option<(SessionRow, UserRow)>> {
    let found: Option<(SessionRow, UserRow)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .select((SessionRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()?;
    let Some((session, user)) = found else {
        return Ok(None);
    };
    // A dead session is simply not honoured (this runs on a read-only connection); the daily job
    // deletes dead sessions.
    if session.expires_at <= now || session.last_seen_at + idle <= now || !user.is_active() {
        return Ok(None);
    }
    Ok(Some((session, user)))
}

/// Records activity, at most once a minute (a write per page view would serialise reads).
pub fn touch_session(
    conn: &mut DbConnection,
    session: &SessionRow,
    now: NaiveDateTime,
) -> StorageResult<()> {
    if now - session.last_seen_at >= Duration::minutes(1) {
        diesel::update(sessions::table.find(&session.token_hash))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(())
}

/// Deletes sessions past their absolute expiry or idle too long; returns how many.
pub fn prune_sessions(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    idle: Duration,
) -> StorageResult<usize> {
    Ok(diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .le(now)
                .or(sessions::last_seen_at.le(now - idle)),
        ),
    )
    .execute(conn)?)
}

pub fn end_session(conn: &mut DbConnection, token_hash: &str) -> StorageResult<()> {
    diesel::delete(sessions::table.find(token_hash)).execute(conn)?;
    Ok(())
}

// ---------------------------------------------------------------- API tokens

pub fn create_api_token(
    conn: &mut DbConnection,
    user_id: i32,
    token_hash: &str,
    now: NaiveDateTime,
) -> StorageResult<i32> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user_id),
            api_tokens::token_hash.eq(token_hash),
            api_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(api_tokens::table
        .filter(api_tokens::token_hash.eq(token_hash))
        .select(api_tokens::id)
        .first(conn)?)
}

/// The active user behind a live (unrevoked) API token.
pub fn user_by_api_token(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> StorageResult<Option<UserRow>> {
    let found: Option<(i32, UserRow)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::disabled_at.is_null())
        .select((api_tokens::id, UserRow::as_select()))
        .first(conn)
        .optional()?;
    if let Some((id, _)) = &found {
        diesel::update(api_tokens::table.find(*id))
            .set(api_tokens::last_used_at.eq(now))
            .execute(conn)?;
    }
    Ok(found.map(|(_, user)| user))
}

/// Revokes every live token of a user; returns how many.
pub fn revoke_api_tokens(
    conn: &mut DbConnection,
    user_id: i32,
    now: NaiveDateTime,
) -> StorageResult<usize> {
    Ok(diesel::update(
        api_tokens::table
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)?)
}

// ---------------------------------------------------------------- sign-in attempts

pub fn record_attempt(
    conn: &mut DbConnection,
    email: &str,
    address: &str,
    succeeded: bool,
    now: NaiveDateTime,
) -> StorageResult<()> {
    diesel::insert_into(signin_attempts::table)
        .values((
            signin_attempts::email.eq(email.trim().to_lowercase()),
            signin_attempts::address.eq(address),
            signin_attempts::succeeded.eq(succeeded),
            signin_attempts::attempted_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Failed attempts since `since`: for this account, and from this address.
pub fn recent_failures(
    conn: &mut DbConnection,
    email: &str,
    address: &str,
    since: NaiveDateTime,
) -> StorageResult<(i64, i64)> {
    let base = || {
        signin_attempts::table
            .filter(signin_attempts::succeeded.eq(false))
            .filter(signin_attempts::attempted_at.gt(since))
    };
    let by_account = base()
        .filter(signin_attempts::email.eq(email.trim().to_lowercase()))
        .count()
        .get_result(conn)?;
    let by_address = base()
        .filter(signin_attempts::address.eq(address))
        .count()
        .get_result(conn)?;
    Ok((by_account, by_address))
}

/// Forgets attempts older than `before` (they no longer count for anything).
pub fn prune_attempts(conn: &mut DbConnection, before: NaiveDateTime) -> StorageResult<usize> {
    Ok(
        diesel::delete(signin_attempts::table.filter(signin_attempts::attempted_at.lt(before)))
            .execute(conn)?,
    )
}

// ---------------------------------------------------------------- first-run setup

pub fn create_setup_token(
    conn: &mut DbConnection,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> StorageResult<()> {
    diesel::insert_into(setup_tokens::table)
        .values((
            setup_tokens::token_hash.eq(token_hash),
            setup_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether the setup link is unused and unexpired.
pub fn setup_token_valid(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> StorageResult<bool> {
    let n: i64 = setup_tokens::table
        .filter(setup_tokens::token_hash.eq(token_hash))
        .filter(setup_tokens::used_at.is_null())
        .filter(setup_tokens::expires_at.gt(now))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Uses the setup link once; false when it was already used, expired, or unknown.
pub fn consume_setup_token(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> StorageResult<bool> {
    let changed = diesel::update(
        setup_tokens::table
            .filter(setup_tokens::token_hash.eq(token_hash))
            .filter(setup_tokens::used_at.is_null())
            .filter(setup_tokens::expires_at.gt(now)),
    )
    .set(setup_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}
