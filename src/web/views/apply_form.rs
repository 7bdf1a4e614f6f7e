//! The application form as the template shows it: each field with the applicant's own words,
//! its hint, its error, and any refused phrases marked.

use std::collections::BTreeMap;

use crate::domain::{
    ApplicationInput, AttestationKind, FieldErrors, Posting, QuestionKind, comment_field,
};
use crate::screening::{Category, Finding};

/// A piece of a field's text, marked when it is a refused phrase.
pub struct Segment {
    pub text: String,
    pub marked: bool,
}

pub struct RefusedPhrase {
    pub phrase: String,
    pub category: Category,
}

/// One input's state: what was typed, and what is wrong with it.
#[derive(Default)]
pub struct FieldState {
    pub id: String,
    pub value: String,
    pub error: Option<String>,
    pub refused: Vec<RefusedPhrase>,
    /// The text split at refused phrases, for the marked preview.
    pub preview: Vec<Segment>,
    pub categories: Vec<Category>,
}

impl FieldState {
    fn new(id: &str, value: &str, errors: &FieldErrors, findings: &[&Finding]) -> Self {
        let mut categories: Vec<Category> = findings.iter().map(|f| f.category).collect();
        categories.sort();
        categories.dedup();
        Self {
            id: id.to_owned(),
            value: value.to_owned(),
            error: errors.get(id).cloned(),
            refused: findings
                .iter()
                .map(|f| RefusedPhrase {
                    phrase: f.phrase.clone(),
                    category: f.category,
                })
                .collect(),
            preview: if findings.is_empty() {
                Vec::new()
            } else {
                segments(value, findings)
            },
            categories,
        }
    }

    pub fn has_problem(&self) -> bool {
        self.error.is_some() || !self.refused.is_empty()
    }

    /// The ids `aria-describedby` should name: the hint, then the error and refusal if any.
    pub fn described_by(&self, with_hint: bool) -> String {
        let mut ids = Vec::new();
        if with_hint {
            ids.push(format!("{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        if !self.refused.is_empty() {
            ids.push(format!("{}-refusal", self.id));
        }
        ids.join(" ")
    }
}

/// Splits `text` at the findings' character offsets.
fn segments(text: &str, findings: &[&Finding]) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(usize, usize)> = findings
        .iter()
        .map(|f| (f.start.min(chars.len()), f.end.min(chars.len())))
        .collect();
    spans.sort();
    let mut out = Vec::new();
    let mut pos = 0;
    for (start, end) in spans {
        if start < pos {
            continue;
        }
        if start > pos {
            out.push(Segment {
                text: chars[pos..start].iter().collect(),
                marked: false,
            });
        }
        out.push(Segment {
            text: chars[start..end].iter().collect(),
            marked: true,
        });
        pos = end;
    }
    if pos < chars.len() {
        out.push(Segment {
            text: chars[pos..].iter().collect(),
            marked: false,
        });
    }
    out
}

pub struct ChoiceView {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct QuestionView {
    pub number: usize,
    pub text: String,
    /// "choice", "yes_no" or "short_answer".
    pub kind: &'static str,
    pub choices: Vec<ChoiceView>,
    pub field: FieldState,
    pub hint: String,
    pub max_chars: usize,
    /// The optional comment under a choice question: its label and state.
    pub comment: Option<(String, usize, FieldState)>,
}

pub struct AttestationView {
    pub label: String,
    pub ksa_title: String,
    pub choices: Vec<ChoiceView>,
    pub field: FieldState,
}

/// One line of the summary at the top: the field to jump to and what to do.
pub struct SummaryItem {
    pub target: String,
    pub message: String,
}

pub struct ApplyFormView {
    pub name: FieldState,
    pub email: FieldState,
    pub phone: FieldState,
    pub questions: Vec<QuestionView>,
    pub attestations: Vec<AttestationView>,
    pub summary: Vec<SummaryItem>,
}

impl ApplyFormView {
    pub fn new(
        posting: &Posting,
        input: &ApplicationInput,
        errors: &FieldErrors,
        findings: &[Finding],
    ) -> Self {
        let mut by_field: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in findings {
            by_field.entry(f.field.as_str()).or_default().push(f);
        }
        let state = |id: &str, value: &str| {
            FieldState::new(
                id,
                value,
                errors,
                by_field.get(id).map_or(&[][..], Vec::as_slice),
            )
        };
        let answer = |id: &str| input.answers.get(id).map_or("", String::as_str);
        let choices_for = |values: Vec<(String, String)>, chosen: &str| {
            values
                .into_iter()
                .map(|(value, label)| ChoiceView {
                    checked: value == chosen,
                    value,
                    label,
                })
                .collect()
        };

        let mut questions = Vec::new();
        for (index, q) in posting.questions.iter().enumerate() {
            let id = q.id.as_str();
            let number = index + 1;
            let (kind, choices, hint, max_chars, comment) = match &q.kind {
                QuestionKind::Choice { choices, comment } => (
                    "choice",
                    choices_for(
                        choices
                            .iter()
                            .map(|c| (c.value.clone(), c.label.clone()))
                            .collect(),
                        answer(id),
                    ),
                    String::new(),
                    0,
                    comment.as_ref().map(|spec| {
                        let field = comment_field(id);
                        (
                            spec.label.clone(),
                            spec.max_chars,
                            state(&field, answer(&field)),
                        )
                    }),
                ),
                QuestionKind::YesNo => (
                    "yes_no",
                    choices_for(
                        vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())],
                        answer(id),
                    ),
                    String::new(),
                    0,
                    None,
                ),
                QuestionKind::ShortAnswer {
                    min_sentences,
                    max_sentences,
                    max_chars,
                } => (
                    "short_answer",
                    Vec::new(),
                    format!(
                        "{} to {} sentences, in your own words (up to {} characters).",
                        min_sentences,
                        max_sentences,
                        thousands(*max_chars)
                    ),
                    *max_chars,
                    None,
                ),
            };
            questions.push(QuestionView {
                number,
                text: q.text.clone(),
                kind,
                choices,
                field: state(id, answer(id)),
                hint,
                max_chars,
                comment,
            });
        }

        let attestations = posting
            .attestations()
            .map(|(ksa, a)| {
                let field = a.field.as_str();
                let chosen = input.attestations.get(field).map_or("", String::as_str);
                let options = match &a.kind {
                    AttestationKind::YesNo => {
                        vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())]
                    }
                    AttestationKind::Choice(choices) => choices
                        .iter()
                        .map(|c| (c.value.clone(), c.label.clone()))
                        .collect(),
                };
                AttestationView {
                    label: a.label.clone(),
                    ksa_title: ksa.title.clone(),
                    choices: choices_for(options, chosen),
                    field: state(field, chosen),
                }
            })
            .collect::<Vec<_>>();

        let name = state("name", &input.name);
        let email = state("email", &input.email);
        let phone = state("phone", input.phone.as_deref().unwrap_or(""));

        let mut summary = Vec::new();
        let mut push = |f: &FieldState, what: &str| {
            if let Some(error) = &f.error {
                summary.push(SummaryItem {
                    target: f.id.clone(),
                    message: error.clone(),
                });
            }
            if !f.refused.is_empty() {
                let phrases: Vec<String> = f
                    .refused
                    .iter()
                    .map(|r| format!("“{}”", r.phrase))
                    .collect();
                summary.push(SummaryItem {
                    target: f.id.clone(),
                    message: format!(
                        "{what}: please rephrase {} — see below.",
                        phrases.join(", ")
                    ),
                });
            }
        };
        push(&name, "Your name");
        push(&email, "Your email");
        push(&phone, "Your phone");
        for q in &questions {
            if let Some((_, _, c)) = &q.comment {
                push(c, &format!("Your note under question {}", q.number));
            }
            push(&q.field, &format!("Question {}", q.number));
        }
        for a in &attestations {
            push(&a.field, &a.ksa_title);
        }
        Self {
            name,
            email,
            phone,
            questions,
            attestations,
            summary,
        }
    }
}

/// 1000 → "1,000", for numbers people read.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
