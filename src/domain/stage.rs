//! The hiring pipeline: which stage a candidate is in, which moves are allowed, and what each
//! move needs. Pure rules; storage applies them under a version check.

use std::fmt;

use chrono::NaiveDate;

/// Where a candidate stands. The main line runs top to bottom; `withdrawn` and `not_selected`
/// end an application before hire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Applied,
    Screening,
    Interview,
    Offer,
    Hired,
    ProvisionalCipss,
    Certified,
    Withdrawn,
    NotSelected,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Self::Applied,
        Self::Screening,
        Self::Interview,
        Self::Offer,
        Self::Hired,
        Self::ProvisionalCipss,
        Self::Certified,
        Self::Withdrawn,
        Self::NotSelected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Screening => "screening",
            Self::Interview => "interview",
            Self::Offer => "offer",
            Self::Hired => "hired",
            Self::ProvisionalCipss => "provisional_cipss",
            Self::Certified => "certified",
            Self::Withdrawn => "withdrawn",
            Self::NotSelected => "not_selected",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Applied => "Applied",
            Self::Screening => "Screening",
            Self::Interview => "Interview",
            Self::Offer => "Offer",
            Self::Hired => "Hired",
            Self::ProvisionalCipss => "Provisional CIPSS",
            Self::Certified => "Certified",
            Self::Withdrawn => "Withdrawn",
            Self::NotSelected => "Not selected",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Before hire, a candidate may still withdraw or not be selected.
    pub fn is_before_hire(self) -> bool {
        matches!(
            self,
            Self::Applied | Self::Screening | Self::Interview | Self::Offer
        )
    }

    /// The stages reachable from here, in the order a screener would pick them.
    pub fn next_stages(self) -> Vec<Stage> {
        let mut next = match self {
            Self::Applied => vec![Self::Screening],
            Self::Screening => vec![Self::Interview],
            Self::Interview => vec![Self::Offer],
            Self::Offer => vec![Self::Hired],
            // A hire who already holds the full certification goes straight to certified.
            Self::Hired => vec![Self::ProvisionalCipss, Self::Certified],
            Self::ProvisionalCipss => vec![Self::Certified],
            Self::Certified | Self::Withdrawn | Self::NotSelected => vec![],
        };
        if self.is_before_hire() {
            next.extend([Self::Withdrawn, Self::NotSelected]);
        }
        next
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a reviewer judged one KSA item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KsaStatus {
    NotReviewed,
    Met,
    NotMet,
    FollowUp,
}

impl KsaStatus {
    pub const ALL: [KsaStatus; 4] = [Self::NotReviewed, Self::Met, Self::NotMet, Self::FollowUp];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotReviewed => "not_reviewed",
            Self::Met => "met",
            Self::NotMet => "not_met",
            Self::FollowUp => "follow_up",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotReviewed => "Not reviewed",
            Self::Met => "Met",
            Self::NotMet => "Not met",
            Self::FollowUp => "Follow up",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// What a move brings with it; each guard reads what it needs.
#[derive(Debug, Clone, Default)]
pub struct MoveDetails {
    pub reason: Option<String>,
    pub override_reason: Option<String>,
    pub hire_date: Option<NaiveDate>,
    /// The user id of the hiring manager, already checked to be a manager.
    pub hiring_manager: Option<i32>,
    pub certification_date: Option<NaiveDate>,
}

/// The KSA picture a guard needs: for each required item, its status.
#[derive(Debug, Clone, Default)]
pub struct ChecklistState {
    pub required_not_reviewed: Vec<String>,
    pub required_not_met: Vec<String>,
}

/// Why a move cannot happen, in words a screener understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveRefused(pub String);

impl fmt::Display for MoveRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Longest accepted text for a reason or an override.
pub const REASON_MAX_CHARS: usize = 2000;

fn written(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// Checks one move against the stage table and its guards.
pub fn check_move(
    from: Stage,
    to: Stage,
    details: &MoveDetails,
    checklist: &ChecklistState,
) -> Result<(), MoveRefused> {
    let refuse = |why: String| Err(MoveRefused(why));
    if from == to {
        return refuse(format!("The candidate is already at “{}”.", to.label()));
    }
    if !from.next_stages().contains(&to) {
        let allowed: Vec<&str> = from.next_stages().iter().map(|s| s.label()).collect();
        return refuse(if allowed.is_empty() {
            format!("“{}” is a final stage; nothing follows it.", from.label())
        } else {
            format!(
                "A candidate at “{}” can move to {} — not to “{}”.",
                from.label(),
                allowed.join(" or "),
                to.label()
            )
        });
    }
    for text in [&details.reason, &details.override_reason] {
        if let Some(t) = written(text)
            && t.chars().count() > REASON_MAX_CHARS
        {
            return refuse(format!(
                "A reason may be at most {REASON_MAX_CHARS} characters."
            ));
        }
    }
    match to {
        Stage::Withdrawn | Stage::NotSelected if written(&details.reason).is_none() => {
            return refuse(format!("Moving to “{}” needs a reason.", to.label()));
        }
        Stage::Interview if from == Stage::Screening => {
            if !checklist.required_not_reviewed.is_empty() {
                return refuse(format!(
                    "Leaving screening needs every required KSA reviewed; still not reviewed: {}.",
                    checklist.required_not_reviewed.join(", ")
                ));
            }
            if !checklist.required_not_met.is_empty() && written(&details.override_reason).is_none()
            {
                return refuse(format!(
                    "Required KSA not met: {}. To advance anyway, write the reason for the override.",
                    checklist.required_not_met.join(", ")
                ));
            }
        }
        Stage::Hired if details.hire_date.is_none() || details.hiring_manager.is_none() => {
            return refuse("Moving to “Hired” needs a hire date and a hiring manager.".into());
        }
        Stage::ProvisionalCipss | Stage::Certified if details.certification_date.is_none() => {
            return refuse(format!(
                "Moving to “{}” needs the certification date.",
                to.label()
            ));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_details() -> MoveDetails {
        MoveDetails {
            reason: Some("moved away".into()),
            override_reason: Some("strong interview".into()),
            hire_date: NaiveDate::from_ymd_opt(2026, 1, 5),
            hiring_manager: Some(7),
            certification_date: NaiveDate::from_ymd_opt(2026, 6, 1),
        }
    }

    /// Every from→to pair: allowed exactly when the table says so (with every detail given).
    #[test]
    fn the_stage_table_exhaustively() {
        use Stage::*;
        let allowed: &[(Stage, Stage)] = &[
            (Applied, Screening),
            (Screening, Interview),
            (Interview, Offer),
            (Offer, Hired),
            (Hired, ProvisionalCipss),
            (Hired, Certified),
            (ProvisionalCipss, Certified),
        ];
        for from in Stage::ALL {
            for to in Stage::ALL {
                let expected = allowed.contains(&(from, to))
                    || (from.is_before_hire() && matches!(to, Withdrawn | NotSelected));
                let result = check_move(from, to, &full_details(), &ChecklistState::default());
                assert_eq!(result.is_ok(), expected, "{from} → {to}: {result:?}");
            }
        }
    }

    #[test]
    fn each_guard_says_what_is_missing() {
        let none = MoveDetails::default();
        let ok = ChecklistState::default();
        let e = check_move(Stage::Offer, Stage::Hired, &none, &ok).unwrap_err();
        assert!(e.0.contains("hire date and a hiring manager"), "{e}");
        let e = check_move(Stage::Hired, Stage::ProvisionalCipss, &none, &ok).unwrap_err();
        assert!(e.0.contains("certification date"), "{e}");
        let e = check_move(Stage::Interview, Stage::Withdrawn, &none, &ok).unwrap_err();
        assert!(e.0.contains("needs a reason"), "{e}");
        let blank = MoveDetails {
            reason: Some("   ".into()),
            ..MoveDetails::default()
        };
        assert!(check_move(Stage::Applied, Stage::NotSelected, &blank, &ok).is_err());
        let e = check_move(Stage::Hired, Stage::Withdrawn, &full_details(), &ok).unwrap_err();
        assert!(e.0.contains("can move to"), "{e}");
        let e = check_move(Stage::Certified, Stage::Hired, &full_details(), &ok).unwrap_err();
        assert!(e.0.contains("final stage"), "{e}");
    }

    #[test]
    fn leaving_screening_needs_every_required_ksa_reviewed_and_an_override_for_not_met() {
        let unreviewed = ChecklistState {
            required_not_reviewed: vec!["Education".into()],
            ..Default::default()
        };
        let e = check_move(
            Stage::Screening,
            Stage::Interview,
            &full_details(),
            &unreviewed,
        )
        .unwrap_err();
        assert!(e.0.contains("Education"), "{e}");

        let not_met = ChecklistState {
            required_not_met: vec!["Driving license and transportation".into()],
            ..Default::default()
        };
        let without = MoveDetails {
            override_reason: None,
            ..full_details()
        };
        let e = check_move(Stage::Screening, Stage::Interview, &without, &not_met).unwrap_err();
        assert!(
            e.0.contains("Required KSA not met: Driving license") && e.0.contains("override"),
            "{e}"
        );
        assert!(
            check_move(
                Stage::Screening,
                Stage::Interview,
                &full_details(),
                &not_met
            )
            .is_ok()
        );
        // Withdrawing is never blocked by the checklist.
        assert!(check_move(Stage::Screening, Stage::Withdrawn, &without, &unreviewed).is_ok());
    }
}
