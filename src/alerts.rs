//! The daily scan: which hires need a reminder today, written to the outbox exactly once each.
//!
//! Deadline alerts go to the hiring manager at the configured thresholds before the provisional
//! CIPSS due date, on the day, then every week while overdue with HR in copy. Upkeep alerts go
//! before a certified hire's certification year closes with requirements still open. The
//! `alerts_sent` table's key makes each alert once-only across restarts and instances.

use chrono::{Duration, NaiveDate, Utc};
use url::Url;

use crate::config::DeadlineSettings;
use crate::domain::Stage;
use crate::domain::deadline::{UpkeepProgress, certification_year, hours, provisional_due};
use crate::forms::MailTemplates;
use crate::storage::hires::{self, Hire};
use crate::storage::outbox::NewMessage;
use crate::storage::{Db, StorageResult};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScanReport {
    pub deadline_alerts: usize,
    pub upkeep_alerts: usize,
}

/// The due date of a hire's provisional certification: the newest extension, or the hire date
/// plus the configured months.
pub fn due_date(hire: &Hire, months: u32) -> Option<NaiveDate> {
    hire.extended_to
        .or_else(|| provisional_due(hire.hire_date, months))
}

/// "in 60 days", "tomorrow", "today".
pub fn days_left_text(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        n => format!("in {n} days"),
    }
}

pub fn candidate_link(base_url: &Url, reference: &str) -> String {
    base_url
        .join(&format!("hr/candidates/{reference}"))
        .map(|u| u.to_string())
        .unwrap_or_default()
}

/// The certification dates whose certification year (a whole number of years later) ends
/// within the largest upkeep threshold from `today`, with three days' slack for month-end
/// clamping; the scan reads just those hires, and decides each exactly.
fn certification_dates_ending_soon(today: NaiveDate, thresholds: &[i64]) -> Vec<NaiveDate> {
    let ahead = thresholds.iter().copied().max().unwrap_or(0);
    let mut dates = Vec::new();
    for years in 1..=60u32 {
        for day in -3..=ahead + 3 {
            if let Some(d) =
                (today + Duration::days(day)).checked_sub_months(chrono::Months::new(12 * years))
            {
                dates.push(d);
            }
        }
    }
    dates.sort_unstable();
    dates.dedup();
    dates
}

/// Runs the scan for `today`; queues what is due; returns the counts. Idempotent.
pub async fn scan(
    db: &Db,
    settings: &DeadlineSettings,
    templates: &MailTemplates,
    base_url: &Url,
    today: NaiveDate,
) -> StorageResult<ScanReport> {
    let mut report = ScanReport::default();
    let months = settings.cipss_months;
    let max_before = settings.alerts.before.iter().copied().max().unwrap_or(0);
    // A hire can need an alert only once due − max(thresholds) ≤ today. Subtracting months
    // undoes the month-end clamp only to within three days (2026-02-28 − 9 months is 05-28, yet
    // 05-31 is due then too), so the bound reaches three days further; the plan decides exactly.
    let hired_by = (today + Duration::days(max_before))
        .checked_sub_months(chrono::Months::new(months))
        .map(|d| d + Duration::days(3));
    let upkeep_candidates = certification_dates_ending_soon(today, &settings.upkeep_alert_days);
    let (awaiting, certified, hr) = db
        .read(move |conn| {
            let awaiting = hires::hires(conn, &[Stage::Hired], hired_by.or(Some(today)), None)?;
            let certified = hires::certified_on_any(conn, &upkeep_candidates)?;
            Ok((awaiting, certified, hires::hr_emails(conn)?))
        })
        .await?;
    let now = Utc::now().naive_utc();

    let mut pending = Vec::new();
    for hire in awaiting {
        let Some(due) = due_date(&hire, months) else {
            continue;
        };
        let Some(alert) = settings.alerts.due(today, due, &hire.alerts) else {
            continue;
        };
        let name = hire.name.clone().unwrap_or_else(|| "your hire".into());
        let link = candidate_link(base_url, &hire.reference);
        let due_text = due.format("%B %-d, %Y").to_string();
        let rendered = if alert.overdue {
            templates.render(
                "deadline_overdue",
                &[
                    ("manager_name", &hire.manager_name),
                    ("hire_name", &name),
                    ("due_date", &due_text),
                    ("days_overdue", &(-alert.days_left).to_string()),
                    ("link", &link),
                ],
            )
        } else {
            templates.render(
                "deadline_alert",
                &[
                    ("manager_name", &hire.manager_name),
                    ("hire_name", &name),
                    (
                        "hire_date",
                        &hire.hire_date.format("%B %-d, %Y").to_string(),
                    ),
                    ("due_date", &due_text),
                    ("days_left_text", &days_left_text(alert.days_left.max(0))),
                    ("link", &link),
                ],
            )
        };
        let Some(mail) = rendered else { continue };
        let message = NewMessage {
            kind: if alert.overdue {
                "deadline_overdue".into()
            } else {
                "deadline_alert".into()
            },
            application_id: Some(hire.application_id),
            to: hire.manager_email.clone(),
            cc: (alert.overdue && !hr.is_empty()).then(|| hr.join(", ")),
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
        };
        pending.push((hire.application_id, alert.key.clone(), message));
    }
    report.deadline_alerts = record_alerts(db, pending, today, now).await?;

    report.upkeep_alerts =
        scan_upkeep(db, settings, templates, base_url, today, certified, now).await?;
    if report != ScanReport::default() {
        tracing::info!(
            deadline = report.deadline_alerts,
            upkeep = report.upkeep_alerts,
            "alerts queued"
        );
    }
    Ok(report)
}

async fn scan_upkeep(
    db: &Db,
    settings: &DeadlineSettings,
    templates: &MailTemplates,
    base_url: &Url,
    today: NaiveDate,
    certified: Vec<Hire>,
    now: chrono::NaiveDateTime,
) -> StorageResult<usize> {
    // Which hires still need this year's alert, and the span of their years.
    let mut due = Vec::new();
    for hire in certified {
        let Some(certified_on) = hire.certified_on else {
            continue;
        };
        let (start, end, year) = certification_year(certified_on, today);
        let days_left = (end - today).num_days();
        // The most urgent threshold reached; none sent for a more urgent one this year.
        let Some(threshold) = settings
            .upkeep_alert_days
            .iter()
            .copied()
            .filter(|d| *d >= days_left)
            .min()
        else {
            continue;
        };
        let more_urgent_sent = hire.alerts.iter().any(|k| {
            k.strip_prefix(&format!("upkeep-{year}-"))
                .and_then(|d| d.parse::<i64>().ok())
                .is_some_and(|d| d <= threshold)
        });
        if !more_urgent_sent {
            due.push((hire, start, end, year, days_left, threshold));
        }
    }
    let (Some(from), Some(to)) = (due.iter().map(|d| d.1).min(), due.iter().map(|d| d.2).max())
    else {
        return Ok(0);
    };
    let ids: Vec<i32> = due.iter().map(|d| d.0.application_id).collect();
    let mut entries = db
        .read(move |conn| hires::upkeep(conn, &ids, from, to))
        .await?;
    let mut pending = Vec::new();
    for (hire, start, end, year, days_left, threshold) in due {
        let id = hire.application_id;
        let key = format!("upkeep-{year}-{threshold}");
        let entries: Vec<_> = entries
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e.done_on >= start && e.done_on < end)
            .collect();
        let progress = UpkeepProgress::from_entries(
            settings.upkeep,
            entries.iter().map(|e| (e.kind, e.hours)),
        );
        let shortfalls = progress.shortfalls();
        if shortfalls.is_empty() {
            continue;
        }
        let list: Vec<String> = shortfalls.iter().map(|s| format!("- {s}")).collect();
        let Some(mail) = templates.render(
            "upkeep_alert",
            &[
                ("manager_name", &hire.manager_name),
                ("hire_name", hire.name.as_deref().unwrap_or("your hire")),
                (
                    "year_end",
                    &(end - Duration::days(1)).format("%B %-d, %Y").to_string(),
                ),
                ("days_left", &days_left.to_string()),
                ("shortfalls", &list.join("\n")),
                (
                    "education_hours",
                    &hours(settings.upkeep.continuing_education_hours),
                ),
                ("skill_hours", &hours(settings.upkeep.skill_building_hours)),
                ("reviews", &settings.upkeep.reviews.to_string()),
                ("link", &candidate_link(base_url, &hire.reference)),
            ],
        ) else {
            continue;
        };
        let message = NewMessage {
            kind: "upkeep_alert".into(),
            application_id: Some(id),
            to: hire.manager_email.clone(),
            cc: None,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
        };
        pending.push((id, key, message));
    }
    record_alerts(db, pending, today, now).await
}

/// Alerts recorded (with their messages) per transaction: each is its own savepoint, so one
/// already sent is skipped alone, and a day with a thousand alerts costs a few flushes rather
/// than a thousand (measured: the scan over 100,000 hires that queues 1,665 took 1.3 s).
const ALERTS_PER_TRANSACTION: usize = 500;

/// Records each alert and queues its message, unless it was sent before; returns how many were new.
async fn record_alerts(
    db: &Db,
    mut pending: Vec<(i32, String, NewMessage)>,
    today: NaiveDate,
    now: chrono::NaiveDateTime,
) -> StorageResult<usize> {
    // The same order on every instance, so two scans of one day that meet in one PostgreSQL
    // database wait for each other's rows in turn instead of deadlocking.
    pending.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut queued = 0;
    while !pending.is_empty() {
        let rest = pending.split_off(pending.len().min(ALERTS_PER_TRANSACTION));
        let chunk = std::mem::replace(&mut pending, rest);
        queued += db
            .write(move |conn| hires::record_alerts(conn, &chunk, today, now))
            .await?;
    }
    Ok(queued)
}
