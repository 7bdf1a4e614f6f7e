//! The candidate page as HR sees it: the KSA checklist with the applicant's own attestations
//! and flags, the answers (for roles that may read them), the history and the possible moves.

use std::collections::BTreeMap;

use crate::domain::{
    AttestationKind, KsaStatus, Posting, QuestionKind, Requirement, Stage, comment_field,
};
use crate::storage::candidates::CandidateDetail;

pub struct ChecklistItem {
    pub id: String,
    pub number: usize,
    pub title: String,
    pub text: String,
    pub required: bool,
    pub status: KsaStatus,
    pub note: String,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<String>,
    /// "applicant says yes — verify", or what they chose.
    pub attested: Option<String>,
    /// Why this item needs a look: q1 "neither", q2 "no".
    pub flags: Vec<String>,
}

pub struct AnswerView {
    pub label: String,
    pub text: String,
}

pub struct MoveOption {
    pub value: &'static str,
    pub label: &'static str,
}

pub struct CandidateView {
    pub checklist: Vec<ChecklistItem>,
    pub answers: Vec<AnswerView>,
    pub moves: Vec<MoveOption>,
    pub statuses: Vec<MoveOption>,
}

impl CandidateView {
    pub fn new(posting: &Posting, c: &CandidateDetail) -> Self {
        let mut flags: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let answers_map = c.answers.clone().unwrap_or_default();
        for (i, q) in posting.questions.iter().enumerate() {
            if let (Some(flag), Some(value)) = (&q.flag, answers_map.get(q.id.as_str()))
                && q.is_flagged(value)
            {
                flags.entry(flag.ksa.to_string()).or_default().push(format!(
                    "Answered “{}” to question {}",
                    choice_label(q, value),
                    i + 1
                ));
            }
        }
        let checklist = posting
            .ksas
            .iter()
            .map(|k| {
                let review = c.reviews.get(k.id.as_str());
                let attested = k.attestation.as_ref().and_then(|a| {
                    c.attestations.get(a.field.as_str()).map(|value| {
                        match (&a.kind, value.as_str()) {
                            (AttestationKind::YesNo, "yes") => {
                                "Applicant says yes — verify".to_owned()
                            }
                            (AttestationKind::YesNo, _) => "Applicant says no".to_owned(),
                            (AttestationKind::Choice(choices), v) => {
                                let label = choices
                                    .iter()
                                    .find(|ch| ch.value == v)
                                    .map_or(v, |ch| ch.label.as_str());
                                format!("Applicant says: {label} — verify")
                            }
                        }
                    })
                });
                ChecklistItem {
                    id: k.id.to_string(),
                    number: k.number,
                    title: k.title.clone(),
                    text: k.text.clone(),
                    required: k.requirement == Requirement::Required,
                    status: review.map_or(KsaStatus::NotReviewed, |r| r.status),
                    note: review.and_then(|r| r.note.clone()).unwrap_or_default(),
                    reviewer: review.and_then(|r| r.reviewer.clone()),
                    reviewed_at: review
                        .map(|r| r.reviewed_at.format("%Y-%m-%d %H:%M UTC").to_string()),
                    attested,
                    flags: flags.remove(k.id.as_str()).unwrap_or_default(),
                }
            })
            .collect();
        let answers = match &c.answers {
            None => Vec::new(),
            Some(map) => posting
                .questions
                .iter()
                .enumerate()
                .flat_map(|(i, q)| {
                    let mut out = Vec::new();
                    if let Some(value) = map.get(q.id.as_str()) {
                        let text = match q.kind {
                            QuestionKind::ShortAnswer { .. } => value.clone(),
                            _ => choice_label(q, value),
                        };
                        out.push(AnswerView {
                            label: format!("{}. {}", i + 1, q.text),
                            text,
                        });
                    }
                    if let Some(comment) = map.get(&comment_field(q.id.as_str())) {
                        out.push(AnswerView {
                            label: format!("Their note under question {}", i + 1),
                            text: comment.clone(),
                        });
                    }
                    out
                })
                .collect(),
        };
        let moves = c
            .stage
            .next_stages()
            .into_iter()
            .map(|s: Stage| MoveOption {
                value: s.as_str(),
                label: s.label(),
            })
            .collect();
        let statuses = KsaStatus::ALL
            .iter()
            .map(|s| MoveOption {
                value: s.as_str(),
                label: s.label(),
            })
            .collect();
        Self {
            checklist,
            answers,
            moves,
            statuses,
        }
    }
}

fn choice_label(q: &crate::domain::Question, value: &str) -> String {
    match &q.kind {
        QuestionKind::Choice { choices, .. } => choices
            .iter()
            .find(|c| c.value == value)
            .map_or(value.to_owned(), |c| c.label.clone()),
        QuestionKind::YesNo => {
            if value == "yes" {
                "Yes".into()
            } else {
                "No".into()
            }
        }
        QuestionKind::ShortAnswer { .. } => value.to_owned(),
    }
}
