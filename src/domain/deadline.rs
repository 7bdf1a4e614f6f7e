//! The provisional CIPSS deadline and certification upkeep: date arithmetic and the choice of
//! which alert, if any, is due today. Pure; the scan in `jobs` applies it to every hire.

use chrono::{Months, NaiveDate};

/// When the provisional certification is due: the hire date plus `months` calendar months,
/// clamped to the last day of a shorter month (2023-05-31 + 9 → 2024-02-29). `None` only past
/// the calendar's end.
pub fn provisional_due(hired: NaiveDate, months: u32) -> Option<NaiveDate> {
    hired.checked_add_months(Months::new(months))
}

/// How alerts fall: days before the due date, then every `overdue_every_days` while overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertPlan {
    /// Days before the due date, any order (0 = on the day).
    pub before: Vec<i64>,
    pub overdue_every_days: i64,
}

impl Default for AlertPlan {
    fn default() -> Self {
        Self {
            before: vec![60, 30, 14, 7, 1, 0],
            overdue_every_days: 7,
        }
    }
}

/// One alert: its stable key (stored so it is sent once, ever) and how it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueAlert {
    pub key: String,
    /// Days until the due date; negative when overdue.
    pub days_left: i64,
    pub overdue: bool,
}

impl AlertPlan {
    /// The alert due on `today`, if any: the most urgent threshold already reached. A scan that
    /// missed days therefore sends only that one (its earlier thresholds are never sent), and
    /// nothing is sent when `already` holds this key or a more urgent one.
    pub fn due(&self, today: NaiveDate, due: NaiveDate, already: &[String]) -> Option<DueAlert> {
        let days_left = (due - today).num_days();
        let (key, rank, overdue) = if days_left < 0 && self.overdue_every_days > 0 {
            let weeks = (-days_left) / self.overdue_every_days;
            if weeks == 0 {
                // Overdue, but not yet a full period: the "on the day" alert still stands.
                (
                    format!(
                        "due-{}",
                        self.before.iter().copied().filter(|d| *d >= 0).min()?
                    ),
                    0,
                    false,
                )
            } else {
                (format!("overdue-{weeks}"), -weeks, true)
            }
        } else {
            let threshold = self
                .before
                .iter()
                .copied()
                .filter(|d| *d >= days_left.max(0))
                .min()?;
            (format!("due-{threshold}"), threshold, false)
        };
        let more_urgent_sent = already
            .iter()
            .any(|k| urgency(k).is_some_and(|r| r <= rank));
        (!more_urgent_sent).then_some(DueAlert {
            key,
            days_left,
            overdue,
        })
    }
}

/// Orders keys: smaller is more urgent ('due-60' 60 … 'due-0' 0, 'overdue-2' −2).
fn urgency(key: &str) -> Option<i64> {
    if let Some(d) = key.strip_prefix("due-") {
        return d.parse().ok();
    }
    key.strip_prefix("overdue-")
        .and_then(|w| w.parse::<i64>().ok())
        .map(|w| -w)
}

/// What keeping the certification takes in each certification year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UpkeepRequirement {
    pub continuing_education_hours: f64,
    pub skill_building_hours: f64,
    /// "A biannual review": twice in each certification year.
    pub reviews: u32,
}

impl Default for UpkeepRequirement {
    fn default() -> Self {
        Self {
            continuing_education_hours: 8.0,
            skill_building_hours: 12.0,
            reviews: 2,
        }
    }
}

/// The kinds of upkeep HR records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpkeepKind {
    ContinuingEducation,
    SkillBuilding,
    Review,
}

impl UpkeepKind {
    pub const ALL: [UpkeepKind; 3] = [Self::ContinuingEducation, Self::SkillBuilding, Self::Review];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ContinuingEducation => "continuing_education",
            Self::SkillBuilding => "skill_building",
            Self::Review => "review",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ContinuingEducation => "Continuing education",
            Self::SkillBuilding => "Skill-building group",
            Self::Review => "Biannual review",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// The certification year that holds `today`: (start, end exclusive, number from 1). Years run
/// from the certification date's anniversary.
pub fn certification_year(
    certified_on: NaiveDate,
    today: NaiveDate,
) -> (NaiveDate, NaiveDate, u32) {
    let mut n: u32 = 0;
    loop {
        let start = certified_on
            .checked_add_months(Months::new(12 * n))
            .unwrap_or(certified_on);
        let end = certified_on
            .checked_add_months(Months::new(12 * (n + 1)))
            .unwrap_or(start);
        if today < end || end <= start || n >= 200 {
            return (start, end, n + 1);
        }
        n += 1;
    }
}

/// Progress in one certification year against the requirement.
#[derive(Debug, Clone, PartialEq)]
pub struct UpkeepProgress {
    pub continuing_education_hours: f64,
    pub skill_building_hours: f64,
    pub reviews: u32,
    pub requirement: UpkeepRequirement,
}

impl UpkeepProgress {
    pub fn from_entries(
        requirement: UpkeepRequirement,
        entries: impl IntoIterator<Item = (UpkeepKind, f64)>,
    ) -> Self {
        let mut p = Self {
            continuing_education_hours: 0.0,
            skill_building_hours: 0.0,
            reviews: 0,
            requirement,
        };
        for (kind, hours) in entries {
            match kind {
                UpkeepKind::ContinuingEducation => p.continuing_education_hours += hours,
                UpkeepKind::SkillBuilding => p.skill_building_hours += hours,
                UpkeepKind::Review => p.reviews += 1,
            }
        }
        p
    }

    /// What is still missing, in words; empty when the year's requirement is met.
    pub fn shortfalls(&self) -> Vec<String> {
        let r = self.requirement;
        let mut missing = Vec::new();
        if self.continuing_education_hours < r.continuing_education_hours {
            missing.push(format!(
                "{} of {} hours of continuing education",
                hours(self.continuing_education_hours),
                hours(r.continuing_education_hours)
            ));
        }
        if self.skill_building_hours < r.skill_building_hours {
            missing.push(format!(
                "{} of {} hours of skill-building groups",
                hours(self.skill_building_hours),
                hours(r.skill_building_hours)
            ));
        }
        if self.reviews < r.reviews {
            missing.push(format!("{} of {} reviews", self.reviews, r.reviews));
        }
        missing
    }
}

/// 8.0 → "8", 1.5 → "1.5".
pub fn hours(h: f64) -> String {
    let rounded = (h * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn nine_calendar_months_clamped_to_the_month_end() {
        assert_eq!(provisional_due(d("2021-01-05"), 9), Some(d("2021-10-05")));
        assert_eq!(provisional_due(d("2023-05-31"), 9), Some(d("2024-02-29")));
        assert_eq!(provisional_due(d("2022-12-31"), 9), Some(d("2023-09-30")));
        assert_eq!(provisional_due(d("2022-05-31"), 9), Some(d("2023-02-28")));
        assert_eq!(provisional_due(d("2023-05-29"), 9), Some(d("2024-02-29")));
        assert_eq!(provisional_due(d("2023-05-30"), 9), Some(d("2024-02-29")));
        assert_eq!(provisional_due(d("2024-02-29"), 9), Some(d("2024-11-29")));
        assert_eq!(provisional_due(d("2023-06-30"), 9), Some(d("2024-03-30")));
        assert_eq!(provisional_due(d("2023-01-31"), 9), Some(d("2023-10-31")));
    }

    #[test]
    fn each_threshold_once_the_most_urgent_after_a_gap_then_weekly_overdue() {
        let plan = AlertPlan::default();
        let due = d("2026-10-05");
        let key = |today: &str, already: &[&str]| {
            let already: Vec<String> = already.iter().map(|s| s.to_string()).collect();
            plan.due(d(today), due, &already).map(|a| a.key)
        };
        assert_eq!(key("2026-08-05", &[]), None, "61 days before: nothing yet");
        assert_eq!(key("2026-08-06", &[]).as_deref(), Some("due-60"));
        assert_eq!(key("2026-08-07", &["due-60"]), None, "sent once");
        assert_eq!(key("2026-09-05", &["due-60"]).as_deref(), Some("due-30"));
        // Down from 29 days to 5 days before: only the most urgent reached threshold.
        assert_eq!(
            key("2026-09-30", &["due-60", "due-30"]).as_deref(),
            Some("due-7")
        );
        assert_eq!(
            key("2026-10-01", &["due-60", "due-30", "due-7"]),
            None,
            "14 is older than 7: never sent now"
        );
        assert_eq!(key("2026-10-04", &["due-7"]).as_deref(), Some("due-1"));
        assert_eq!(key("2026-10-05", &["due-1"]).as_deref(), Some("due-0"));
        assert_eq!(
            key("2026-10-08", &["due-0"]),
            None,
            "overdue, less than a week"
        );
        assert_eq!(key("2026-10-12", &["due-0"]).as_deref(), Some("overdue-1"));
        assert_eq!(key("2026-10-13", &["due-0", "overdue-1"]), None);
        assert_eq!(
            key("2026-10-19", &["overdue-1"]).as_deref(),
            Some("overdue-2")
        );
        let a = plan.due(d("2026-10-19"), due, &[]).unwrap();
        assert!(a.overdue && a.days_left == -14);
        assert_eq!(
            key("2026-10-06", &[]).as_deref(),
            Some("due-0"),
            "a first scan the day after still sends 'on the day'"
        );
    }

    #[test]
    fn certification_years_and_progress() {
        let (start, end, n) = certification_year(d("2025-03-10"), d("2026-05-01"));
        assert_eq!((start, end, n), (d("2026-03-10"), d("2027-03-10"), 2));
        let p = UpkeepProgress::from_entries(
            UpkeepRequirement::default(),
            [
                (UpkeepKind::ContinuingEducation, 6.5),
                (UpkeepKind::SkillBuilding, 12.0),
                (UpkeepKind::Review, 0.0),
            ],
        );
        assert_eq!(
            p.shortfalls(),
            ["6.5 of 8 hours of continuing education", "1 of 2 reviews"]
        );
    }
}
