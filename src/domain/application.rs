//! An application as the applicant sent it ([`ApplicationInput`], strings) and as it is once
//! every field is valid ([`Application`]). Screening is separate (`crate::screening`); this
//! module only knows the shape rules: required fields, choices, the 1–3 sentence rule, limits.

use std::collections::BTreeMap;

use super::Slug;
use super::contact::{EmailAddress, PersonName, PhoneNumber};
use super::posting::{Posting, QuestionKind};
use super::sentences::count_sentences;

/// The field that holds the optional free-text comment under a choice question.
pub fn comment_field(question_id: &str) -> String {
    format!("{question_id}_comment")
}

/// What arrived, field by field, before any check.
#[derive(Debug, Clone, Default)]
pub struct ApplicationInput {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// `q1`..`q5`, and `q1_comment` for the optional comment.
    pub answers: BTreeMap<String, String>,
    /// One entry per attestation field the applicant answered.
    pub attestations: BTreeMap<String, String>,
}

impl ApplicationInput {
    /// Every non-blank free-text field and its text, for screening: the short answers, the
    /// comment under a choice, and anything else typed by the person except contact details.
    pub fn free_texts<'a>(&'a self, posting: &Posting) -> Vec<(String, &'a str)> {
        let mut texts = Vec::new();
        for question in &posting.questions {
            let id = question.id.as_str();
            let field = match &question.kind {
                QuestionKind::ShortAnswer { .. } => id.to_owned(),
                QuestionKind::Choice {
                    comment: Some(_), ..
                } => comment_field(id),
                _ => continue,
            };
            if let Some(text) = self.answers.get(&field).filter(|t| !t.trim().is_empty()) {
                texts.push((field, text.as_str()));
            }
        }
        texts
    }
}

/// Field → a sentence saying what is wrong, in plain words.
pub type FieldErrors = BTreeMap<String, String>;

/// A valid application: every value checked.
#[derive(Debug, Clone)]
pub struct Application {
    pub name: PersonName,
    pub email: EmailAddress,
    pub phone: Option<PhoneNumber>,
    /// (field, value): `q1`..`q5`, and `q1_comment` when given. Choices hold their value.
    pub answers: Vec<(String, String)>,
    /// (field, value) for the attestations the applicant answered.
    pub attestations: Vec<(String, String)>,
    /// KSAs an answer does not meet (q1 "neither", q2 "no"): accepted, shown to HR as a flag.
    pub flagged_ksas: Vec<Slug>,
}

/// Collects field errors while parsing goes on, so the applicant sees every problem at once.
#[derive(Default)]
struct Collector(FieldErrors);

impl Collector {
    fn keep<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|message| self.add(field, message)).ok()
    }

    fn add(&mut self, field: &str, message: String) {
        self.0.entry(field.to_owned()).or_insert(message);
    }
}

impl Application {
    pub fn parse(posting: &Posting, input: &ApplicationInput) -> Result<Self, FieldErrors> {
        let mut errors = Collector::default();
        let name = errors.keep("name", PersonName::parse(&input.name));
        let email = errors.keep("email", EmailAddress::parse(&input.email));
        let phone = match input
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(raw) => errors.keep("phone", PhoneNumber::parse(raw)),
            None => None,
        };

        let mut answers = Vec::new();
        let mut flagged_ksas = Vec::new();
        for (index, question) in posting.questions.iter().enumerate() {
            let id = question.id.as_str();
            let number = index + 1;
            let raw = input.answers.get(id).map(|s| s.trim()).unwrap_or("");
            match &question.kind {
                QuestionKind::Choice { .. } | QuestionKind::YesNo => {
                    if raw.is_empty() {
                        errors.add(id, format!("Please choose an answer to question {number}."));
                    } else if !question.allowed_values().contains(&raw) {
                        errors.add(
                            id,
                            format!(
                                "Please choose one of the listed answers to question {number}."
                            ),
                        );
                    } else {
                        if question.is_flagged(raw)
                            && let Some(flag) = &question.flag
                            && !flagged_ksas.contains(&flag.ksa)
                        {
                            flagged_ksas.push(flag.ksa.clone());
                        }
                        answers.push((id.to_owned(), raw.to_owned()));
                    }
                    if let QuestionKind::Choice {
                        comment: Some(spec),
                        ..
                    } = &question.kind
                    {
                        let field = comment_field(id);
                        let text = input.answers.get(&field).map(|s| s.trim()).unwrap_or("");
                        let chars = text.chars().count();
                        if chars > spec.max_chars {
                            errors.add(
                                &field,
                                format!(
                                    "Your note under question {number} is {chars} characters long; the limit is {}.",
                                    spec.max_chars
                                ),
                            );
                        } else if !text.is_empty() {
                            answers.push((field, text.to_owned()));
                        }
                    }
                }
                QuestionKind::ShortAnswer {
                    min_sentences,
                    max_sentences,
                    max_chars,
                } => {
                    let checked =
                        check_short_answer(number, raw, *min_sentences, *max_sentences, *max_chars);
                    if errors.keep(id, checked).is_some() {
                        answers.push((id.to_owned(), raw.to_owned()));
                    }
                }
            }
        }

        let mut attestations = Vec::new();
        for (_, attestation) in posting.attestations() {
            let field = attestation.field.as_str();
            let Some(raw) = input
                .attestations
                .get(field)
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
            else {
                continue;
            };
            if attestation.allowed_values().contains(&raw) {
                attestations.push((field.to_owned(), raw.to_owned()));
            } else {
                errors.add(
                    field,
                    format!(
                        "Please choose one of the listed answers for “{}”.",
                        attestation.label
                    ),
                );
            }
        }

        match (name, email, errors.0.is_empty()) {
            (Some(name), Some(email), true) => Ok(Self {
                name,
                email,
                phone,
                answers,
                attestations,
                flagged_ksas,
            }),
            _ => Err(errors.0),
        }
    }
}

/// The 1-to-3-sentence rule with its limits, and a message that says what was found.
fn check_short_answer(
    number: usize,
    text: &str,
    min: usize,
    max: usize,
    max_chars: usize,
) -> Result<(), String> {
    let range = if min == max {
        format!("{min}")
    } else {
        format!("{min} to {max}")
    };
    let plural = |n: usize| if n == 1 { "sentence" } else { "sentences" };
    if text.is_empty() {
        return Err(format!(
            "Question {number} is blank: please answer in {range} {}.",
            plural(max)
        ));
    }
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(format!(
            "Your answer to question {number} is {chars} characters long; the limit is {max_chars}."
        ));
    }
    let sentences = count_sentences(text);
    if sentences > max {
        return Err(format!(
            "Your answer to question {number} has {sentences} sentences; the limit is {max}."
        ));
    }
    if sentences < min {
        return Err(format!(
            "Your answer to question {number} has {sentences} {}; please write at least {min}.",
            plural(sentences)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
