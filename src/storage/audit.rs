//! The audit trail: append-only. Nothing here updates or deletes a row, and no answer text is
//! ever passed in — only who, what, which candidate (by reference) and a short detail.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::audit_log;
use super::{DbConnection, StorageResult};

/// Who did it: a signed-in user, or the system (retention, the scheduler), or an anonymous
/// visitor (a failed sign-in).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i32>,
    pub label: String,
    pub address: Option<String>,
}

impl Actor {
    pub fn system(label: &str) -> Self {
        Self {
            id: None,
            label: label.to_owned(),
            address: None,
        }
    }
}

pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    subject: Option<&str>,
    detail: Option<&str>,
    now: NaiveDateTime,
) -> StorageResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(now),
            audit_log::actor_id.eq(actor.id),
            audit_log::actor.eq(&actor.label),
            audit_log::action.eq(action),
            audit_log::subject.eq(subject),
            audit_log::detail.eq(detail),
            audit_log::address.eq(actor.address.as_deref()),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i32,
    pub at: NaiveDateTime,
    pub actor_id: Option<i32>,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    pub detail: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub subject: Option<String>,
}

/// Newest first, `per_page` rows from `page` (0-based), and the total.
pub fn list(
    conn: &mut DbConnection,
    filter: &AuditFilter,
    page: i64,
    per_page: i64,
) -> StorageResult<(Vec<AuditRow>, i64)> {
    let query = || {
        let mut q = audit_log::table.into_boxed();
        if let Some(actor) = &filter.actor {
            q = q.filter(audit_log::actor.eq(actor.clone()));
        }
        if let Some(action) = &filter.action {
            q = q.filter(audit_log::action.eq(action.clone()));
        }
        if let Some(subject) = &filter.subject {
            q = q.filter(audit_log::subject.eq(subject.clone()));
        }
        q
    };
    let total: i64 = query().count().get_result(conn)?;
    let rows = query()
        .order(audit_log::id.desc())
        .limit(per_page)
        .offset(page * per_page)
        .select(AuditRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
