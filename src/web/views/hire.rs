//! A hire's certification as HR and the manager see it: the provisional CIPSS deadline with its
//! extensions, and upkeep progress in the current certification year.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use icalendar::{Calendar, Component, Event, EventLike};
use url::Url;

use crate::alerts::{candidate_link, days_left_text, due_date};
use crate::config::DeadlineSettings;
use crate::domain::Stage;
use crate::domain::deadline::{
    UpkeepKind, UpkeepProgress, certification_year, hours, provisional_due,
};
use crate::storage::hires::{Extension, Hire, UpkeepEntry};

pub struct DeadlineView {
    pub due: NaiveDate,
    pub days_left: i64,
    /// "due in 60 days", "due today", "overdue by 3 days".
    pub status: String,
    pub overdue: bool,
    pub extensions: Vec<Extension>,
}

impl DeadlineView {
    pub fn new(
        settings: &DeadlineSettings,
        hire_date: NaiveDate,
        extensions: Vec<Extension>,
        today: NaiveDate,
    ) -> Option<Self> {
        let due = extensions
            .last()
            .map(|e| e.new_due)
            .or_else(|| provisional_due(hire_date, settings.cipss_months));
        Self::from_due(due, today).map(|view| Self { extensions, ..view })
    }

    pub fn from_due(due: Option<NaiveDate>, today: NaiveDate) -> Option<Self> {
        let due = due?;
        let days_left = (due - today).num_days();
        let status = match days_left {
            d if d < 0 => format!("overdue by {} day{}", -d, if d == -1 { "" } else { "s" }),
            d => format!("due {}", days_left_text(d)),
        };
        Some(Self {
            due,
            days_left,
            status,
            overdue: days_left < 0,
            extensions: Vec::new(),
        })
    }
}

pub struct Requirement {
    pub label: &'static str,
    pub done: String,
    pub needed: String,
    pub met: bool,
}

pub struct UpkeepView {
    pub year_start: NaiveDate,
    pub year_end: NaiveDate,
    pub days_left: i64,
    pub requirements: Vec<Requirement>,
    pub entries: Vec<UpkeepEntry>,
}

impl UpkeepView {
    pub fn new(
        settings: &DeadlineSettings,
        certified_on: NaiveDate,
        entries: Vec<UpkeepEntry>,
        today: NaiveDate,
    ) -> Self {
        let (start, end, _) = certification_year(certified_on, today);
        let this_year = entries
            .iter()
            .filter(|e| e.done_on >= start && e.done_on < end)
            .map(|e| (e.kind, e.hours));
        let p = UpkeepProgress::from_entries(settings.upkeep, this_year);
        let r = settings.upkeep;
        let requirements = vec![
            Requirement {
                label: UpkeepKind::ContinuingEducation.label(),
                done: format!("{} h", hours(p.continuing_education_hours)),
                needed: format!("{} h", hours(r.continuing_education_hours)),
                met: p.continuing_education_hours >= r.continuing_education_hours,
            },
            Requirement {
                label: UpkeepKind::SkillBuilding.label(),
                done: format!("{} h", hours(p.skill_building_hours)),
                needed: format!("{} h", hours(r.skill_building_hours)),
                met: p.skill_building_hours >= r.skill_building_hours,
            },
            Requirement {
                label: UpkeepKind::Review.label(),
                done: p.reviews.to_string(),
                needed: r.reviews.to_string(),
                met: p.reviews >= r.reviews,
            },
        ];
        Self {
            year_start: start,
            year_end: end - Duration::days(1),
            days_left: (end - today).num_days(),
            requirements,
            entries,
        }
    }

    pub fn all_met(&self) -> bool {
        self.requirements.iter().all(|r| r.met)
    }

    /// "Continuing education 2 of 8 h, Biannual review 1 of 2".
    pub fn open_summary(&self) -> String {
        let open: Vec<String> = self
            .requirements
            .iter()
            .filter(|r| !r.met)
            .map(|r| format!("{} {} of {}", r.label, r.done, r.needed))
            .collect();
        open.join(", ")
    }
}

/// One line of the manager's page.
pub struct ManagerRow {
    pub reference: String,
    pub name: String,
    pub stage: Stage,
    pub hire_date: NaiveDate,
    /// For a hire still without provisional certification.
    pub deadline: Option<DeadlineView>,
    /// For a certified hire.
    pub upkeep: Option<UpkeepView>,
}

impl ManagerRow {
    /// The manager's hires, most urgent first: open deadlines by days left, then everyone else
    /// by hire date.
    pub fn sorted(
        settings: &DeadlineSettings,
        found: Vec<Hire>,
        mut upkeep: BTreeMap<i32, Vec<UpkeepEntry>>,
        today: NaiveDate,
    ) -> Vec<Self> {
        let mut rows: Vec<Self> = found
            .into_iter()
            .map(|h| {
                let deadline = (h.stage == Stage::Hired)
                    .then(|| DeadlineView::from_due(due_date(&h, settings.cipss_months), today))
                    .flatten();
                let upkeep = match (h.stage, h.certified_on) {
                    (Stage::Certified, Some(on)) => Some(UpkeepView::new(
                        settings,
                        on,
                        upkeep.remove(&h.application_id).unwrap_or_default(),
                        today,
                    )),
                    _ => None,
                };
                Self {
                    reference: h.reference,
                    name: h.name.unwrap_or_else(|| "(erased)".into()),
                    stage: h.stage,
                    hire_date: h.hire_date,
                    deadline,
                    upkeep,
                }
            })
            .collect();
        rows.sort_by_key(|r| {
            (
                r.deadline.as_ref().map_or(i64::MAX, |d| d.days_left),
                r.hire_date,
            )
        });
        rows
    }
}

/// The iCalendar feed of a manager's open deadlines: one all-day event per due date.
pub fn deadline_calendar(settings: &DeadlineSettings, hires: &[Hire], base_url: &Url) -> String {
    let mut calendar = Calendar::new();
    calendar.name("peerhire: provisional CIPSS deadlines");
    for hire in hires.iter().filter(|h| h.stage == Stage::Hired) {
        let Some(due) = due_date(hire, settings.cipss_months) else {
            continue;
        };
        let name = hire.name.as_deref().unwrap_or("a hire");
        let link = candidate_link(base_url, &hire.reference);
        calendar.push(
            Event::new()
                .uid(&format!("cipss-{}@peerhire", hire.reference))
                .all_day(due)
                .summary(&format!("Provisional CIPSS due: {name}"))
                .description(&format!(
                    "{name} (hired {}) needs to hold the provisional CIPSS certification by today. {link}",
                    hire.hire_date
                ))
                .url(&link)
                .done(),
        );
    }
    calendar.done().to_string()
}
