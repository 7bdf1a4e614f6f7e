//! Hires and their certification: the deadline scan's reads, the alert record that makes each
//! alert go out once, extensions and upkeep entries.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::audit::{self, Actor};
use super::outbox::{self, NewMessage};
use super::schema::{
    alerts_sent, applicants, applications, deadline_extensions, upkeep_entries, users,
};
use super::{DbConnection, StorageError, StorageResult};
use crate::domain::deadline::UpkeepKind;
use crate::domain::{Reference, Role, Stage};

/// A hire as the alert scan and the manager's page see them.
#[derive(Debug, Clone)]
pub struct Hire {
    pub application_id: i32,
    pub reference: String,
    pub name: Option<String>,
    pub stage: Stage,
    pub hire_date: NaiveDate,
    /// The newest extension's date, when HR recorded one.
    pub extended_to: Option<NaiveDate>,
    pub certified_on: Option<NaiveDate>,
    pub provisional_certified_on: Option<NaiveDate>,
    pub manager_id: i32,
    pub manager_email: String,
    pub manager_name: String,
    /// Alert keys already sent.
    pub alerts: Vec<String>,
}

type HireRow = (
    i32,
    String,
    Option<String>,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    i32,
    String,
    String,
);

/// Hires at `stages` whose hire date is on or before `hired_by` (the scan passes the last hire
/// date that can need an alert today), optionally for one manager. Walks the (stage, hire_date)
/// index, then fetches extensions and sent alerts for just those rows.
pub fn hires(
    conn: &mut DbConnection,
    stages: &[Stage],
    hired_by: Option<NaiveDate>,
    manager: Option<i32>,
) -> StorageResult<Vec<Hire>> {
    hires_where(conn, stages, hired_by, None, manager)
}

/// Certified hires whose certification date is one of `certified_on` (the scan passes the
/// dates whose certification year ends soon), through the (stage, certified_on) index.
pub fn certified_on_any(
    conn: &mut DbConnection,
    certified_on: &[NaiveDate],
) -> StorageResult<Vec<Hire>> {
    hires_where(conn, &[Stage::Certified], None, Some(certified_on), None)
}

fn hires_where(
    conn: &mut DbConnection,
    stages: &[Stage],
    hired_by: Option<NaiveDate>,
    certified_on: Option<&[NaiveDate]>,
    manager: Option<i32>,
) -> StorageResult<Vec<Hire>> {
    let mut query = applications::table
        .inner_join(users::table.on(applications::hiring_manager_id.eq(users::id.nullable())))
        .left_join(applicants::table)
        .filter(applications::stage.eq_any(stages.iter().map(|s| s.as_str()).collect::<Vec<_>>()))
        .filter(applications::hire_date.is_not_null())
        .filter(applications::erased_at.is_null())
        .into_boxed();
    if let Some(last) = hired_by {
        query = query.filter(applications::hire_date.le(last));
    }
    if let Some(manager) = manager {
        query = query.filter(applications::hiring_manager_id.eq(manager));
    }
    if let Some(dates) = certified_on {
        query = query.filter(applications::certified_on.eq_any(dates.to_vec()));
    }
    let rows: Vec<HireRow> = query
        .order(applications::hire_date.asc())
        .select((
            applications::id,
            applications::reference,
            applicants::full_name.nullable(),
            applications::stage,
            applications::hire_date,
            applications::certified_on,
            applications::provisional_certified_on,
            users::id,
            users::email,
            users::full_name,
        ))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = rows.iter().map(|r| r.0).collect();
    let mut extended: BTreeMap<i32, NaiveDate> = BTreeMap::new();
    let mut alerts: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    // In chunks, so a large scan stays within every backend's limit on bound parameters.
    for chunk in ids.chunks(5000) {
        let extensions: Vec<(i32, NaiveDate)> = deadline_extensions::table
            .filter(deadline_extensions::application_id.eq_any(chunk))
            .order(deadline_extensions::id.asc())
            .select((
                deadline_extensions::application_id,
                deadline_extensions::new_due_date,
            ))
            .load(conn)?;
        extended.extend(extensions);
        let sent: Vec<(i32, String)> = alerts_sent::table
            .filter(alerts_sent::application_id.eq_any(chunk))
            .select((alerts_sent::application_id, alerts_sent::alert))
            .load(conn)?;
        for (id, key) in sent {
            alerts.entry(id).or_default().push(key);
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(
            |(
                id,
                reference,
                name,
                stage,
                hire_date,
                certified_on,
                provisional,
                manager_id,
                manager_email,
                manager_name,
            )| {
                Some(Hire {
                    application_id: id,
                    reference,
                    name,
                    stage: Stage::parse(&stage)?,
                    hire_date: hire_date?,
                    extended_to: extended.get(&id).copied(),
                    certified_on,
                    provisional_certified_on: provisional,
                    manager_id,
                    manager_email,
                    manager_name,
                    alerts: alerts.remove(&id).unwrap_or_default(),
                })
            },
        )
        .collect())
}

/// Emails of active HR users, for the copy of overdue alerts.
pub fn hr_emails(conn: &mut DbConnection) -> StorageResult<Vec<String>> {
    Ok(users::table
        .filter(users::role.eq(Role::Hr.as_str()))
        .filter(users::disabled_at.is_null())
        .order(users::email.asc())
        .select(users::email)
        .load(conn)?)
}

/// Records that `alert` went to this hire and queues its message, in one transaction. Returns
/// false (and queues nothing) when it was already recorded — by an earlier run or by another
/// instance at the same moment: the table's primary key decides.
pub fn record_alert(
    conn: &mut DbConnection,
    application_id: i32,
    alert: &str,
    today: NaiveDate,
    message: &NewMessage,
    now: NaiveDateTime,
) -> StorageResult<bool> {
    let outcome = conn.transaction(|conn| {
        diesel::insert_into(alerts_sent::table)
            .values((
                alerts_sent::application_id.eq(application_id),
                alerts_sent::alert.eq(alert),
                alerts_sent::sent_on.eq(today),
            ))
            .execute(conn)?;
        outbox::enqueue(conn, message, now)?;
        Ok::<_, StorageError>(())
    });
    match outcome {
        Ok(()) => Ok(true),
        Err(StorageError::Query(DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            _,
        ))) => Ok(false),
        Err(other) => Err(other),
    }
}

/// `record_alert` for each of several alerts, in one transaction; returns how many were new.
pub fn record_alerts(
    conn: &mut DbConnection,
    alerts: &[(i32, String, NewMessage)],
    today: NaiveDate,
    now: NaiveDateTime,
) -> StorageResult<usize> {
    conn.transaction(|conn| {
        let mut new = 0;
        for (application_id, alert, message) in alerts {
            new += usize::from(record_alert(
                conn,
                *application_id,
                alert,
                today,
                message,
                now,
            )?);
        }
        Ok(new)
    })
}

fn application_id(conn: &mut DbConnection, reference: &Reference) -> StorageResult<i32> {
    applications::table
        .filter(applications::reference.eq(reference.as_str()))
        .select(applications::id)
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)
}

/// Moves the deadline to `new_due` with a reason; audited.
pub fn extend(
    conn: &mut DbConnection,
    reference: &Reference,
    new_due: NaiveDate,
    reason: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> StorageResult<()> {
    conn.transaction(|conn| {
        let id = application_id(conn, reference)?;
        diesel::insert_into(deadline_extensions::table)
            .values((
                deadline_extensions::application_id.eq(id),
                deadline_extensions::new_due_date.eq(new_due),
                deadline_extensions::reason.eq(reason),
                deadline_extensions::actor_id.eq(actor.id),
                deadline_extensions::created_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            "deadline.extend",
            Some(reference.as_str()),
            Some(&format!("due={new_due}")),
            now,
        )
    })
}

#[derive(Debug, Clone)]
pub struct Extension {
    pub new_due: NaiveDate,
    pub reason: String,
    pub by: Option<String>,
    pub at: NaiveDateTime,
}

pub fn extensions(conn: &mut DbConnection, application_id: i32) -> StorageResult<Vec<Extension>> {
    Ok(deadline_extensions::table
        .left_join(users::table)
        .filter(deadline_extensions::application_id.eq(application_id))
        .order(deadline_extensions::id.asc())
        .select((
            deadline_extensions::new_due_date,
            deadline_extensions::reason,
            users::full_name.nullable(),
            deadline_extensions::created_at,
        ))
        .load::<(NaiveDate, String, Option<String>, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(new_due, reason, by, at)| Extension {
            new_due,
            reason,
            by,
            at,
        })
        .collect())
}

#[derive(Debug, Clone)]
pub struct UpkeepEntry {
    pub done_on: NaiveDate,
    pub kind: UpkeepKind,
    pub hours: f64,
    pub note: Option<String>,
}

/// Records an upkeep entry; audited (without the note's text).
#[expect(
    clippy::too_many_arguments,
    reason = "each argument is a distinct part of the entry"
)]
pub fn add_upkeep(
    conn: &mut DbConnection,
    reference: &Reference,
    done_on: NaiveDate,
    kind: UpkeepKind,
    hours: f64,
    note: Option<&str>,
    actor: &Actor,
    now: NaiveDateTime,
) -> StorageResult<()> {
    conn.transaction(|conn| {
        let id = application_id(conn, reference)?;
        diesel::insert_into(upkeep_entries::table)
            .values((
                upkeep_entries::application_id.eq(id),
                upkeep_entries::done_on.eq(done_on),
                upkeep_entries::kind.eq(kind.as_str()),
                upkeep_entries::hours.eq(hours),
                upkeep_entries::note.eq(note.map(str::trim).filter(|n| !n.is_empty())),
                upkeep_entries::actor_id.eq(actor.id),
                upkeep_entries::created_at.eq(now),
            ))
            .execute(conn)?;
        let detail = format!("kind={} hours={hours} on={done_on}", kind.as_str());
        audit::record(
            conn,
            actor,
            "upkeep.add",
            Some(reference.as_str()),
            Some(&detail),
            now,
        )
    })
}

/// Upkeep entries from `from` (inclusive) to `to` (exclusive) for several hires at once.
pub fn upkeep(
    conn: &mut DbConnection,
    application_ids: &[i32],
    from: NaiveDate,
    to: NaiveDate,
) -> StorageResult<BTreeMap<i32, Vec<UpkeepEntry>>> {
    let mut by_hire: BTreeMap<i32, Vec<UpkeepEntry>> = BTreeMap::new();
    for chunk in application_ids.chunks(5000) {
        let rows: Vec<(i32, NaiveDate, String, f64, Option<String>)> = upkeep_entries::table
            .filter(upkeep_entries::application_id.eq_any(chunk))
            .filter(upkeep_entries::done_on.ge(from))
            .filter(upkeep_entries::done_on.lt(to))
            .order(upkeep_entries::done_on.asc())
            .select((
                upkeep_entries::application_id,
                upkeep_entries::done_on,
                upkeep_entries::kind,
                upkeep_entries::hours,
                upkeep_entries::note,
            ))
            .load(conn)?;
        for (id, done_on, kind, hours, note) in rows {
            if let Some(kind) = UpkeepKind::parse(&kind) {
                by_hire.entry(id).or_default().push(UpkeepEntry {
                    done_on,
                    kind,
                    hours,
                    note,
                });
            }
        }
    }
    Ok(by_hire)
}

/// Every upkeep entry of one hire, newest first (the candidate page).
pub fn all_upkeep(conn: &mut DbConnection, application_id: i32) -> StorageResult<Vec<UpkeepEntry>> {
    Ok(upkeep_entries::table
        .filter(upkeep_entries::application_id.eq(application_id))
        .order((upkeep_entries::done_on.desc(), upkeep_entries::id.desc()))
        .select((
            upkeep_entries::done_on,
            upkeep_entries::kind,
            upkeep_entries::hours,
            upkeep_entries::note,
        ))
        .load::<(NaiveDate, String, f64, Option<String>)>(conn)?
        .into_iter()
        .filter_map(|(done_on, kind, hours, note)| {
            UpkeepKind::parse(&kind).map(|kind| UpkeepEntry {
                done_on,
                kind,
                hours,
                note,
            })
        })
        .collect())
}
