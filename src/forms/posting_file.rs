//! The on-disk shape of `postings/<slug>/posting.toml`, and its conversion into a [`Posting`].

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use super::{FormsError, render_markdown};
use crate::domain::{
    AnswerFlag, Attestation, AttestationKind, Choice, CommentSpec, Ksa, Posting, PostingStatus,
    Question, QuestionKind, Requirement, Slug,
};

/// The question ids the application form, the API and the screening rules rely on.
pub const QUESTION_IDS: [&str; 5] = ["q1", "q2", "q3", "q4", "q5"];
/// Field names the application form uses for itself; an attestation may not take them.
const RESERVED_FIELDS: [&str; 8] = ["name", "email", "phone", "q1", "q2", "q3", "q4", "q5"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PostingFile {
    slug: String,
    title: String,
    employer: String,
    department: String,
    location: String,
    posted_on: toml::value::Datetime,
    status: StatusFile,
    summary: String,
    description_file: String,
    questions: Vec<QuestionFile>,
    ksas: Vec<KsaFile>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum StatusFile {
    Open,
    Closed,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoiceFile {
    value: String,
    label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommentFile {
    label: String,
    max_chars: usize,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum QuestionKindFile {
    Choice,
    YesNo,
    ShortAnswer,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    id: String,
    kind: QuestionKindFile,
    text: String,
    #[serde(default)]
    choices: Vec<ChoiceFile>,
    comment: Option<CommentFile>,
    #[serde(default)]
    flag_values: Vec<String>,
    flags_ksa: Option<String>,
    min_sentences: Option<usize>,
    max_sentences: Option<usize>,
    max_chars: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RequirementFile {
    Required,
    Preferred,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum AttestationKindFile {
    YesNo,
    Choice,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AttestationFile {
    field: String,
    kind: AttestationKindFile,
    label: String,
    #[serde(default)]
    choices: Vec<ChoiceFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KsaFile {
    id: String,
    title: String,
    text: String,
    requirement: RequirementFile,
    attestation: Option<AttestationFile>,
}

/// Reads and validates one posting folder.
pub fn load(folder: &Path) -> Result<Posting, FormsError> {
    let file = folder.join("posting.toml");
    let source = std::fs::read_to_string(&file)
        .map_err(|e| FormsError::new(&file, None, format!("cannot read the file: {e}")))?;
    let folder_name = folder
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    parse(&file, &source, folder_name, |name| {
        let path = folder.join(name);
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    })
}

/// Parses and checks a posting.toml's text; `description` reads the Markdown file it names.
/// Pure apart from that callback, so it can be fuzzed and property-tested on any text.
pub fn parse(
    file: &Path,
    source: &str,
    folder_name: &str,
    description: impl FnOnce(&str) -> Result<String, String>,
) -> Result<Posting, FormsError> {
    let raw: PostingFile =
        toml::from_str(source).map_err(|e| FormsError::from_toml(file, source, &e))?;
    let description = description(&raw.description_file)
        .map_err(|problem| FormsError::new(file, Some("description_file".into()), problem))?;
    Checker { file }.posting(raw, folder_name, &description)
}

/// Turns raw values into domain types, naming the place of the first problem.
struct Checker<'a> {
    file: &'a Path,
}

impl Checker<'_> {
    fn err(&self, place: impl Into<String>, problem: impl Into<String>) -> FormsError {
        FormsError::new(self.file, Some(place.into()), problem.into())
    }

    fn text(&self, place: &str, value: String) -> Result<String, FormsError> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(self.err(place, "must not be empty"));
        }
        Ok(trimmed.to_owned())
    }

    fn posting(
        &self,
        raw: PostingFile,
        folder: &str,
        description: &str,
    ) -> Result<Posting, FormsError> {
        let slug = Slug::parse(&raw.slug).map_err(|p| self.err("slug", p))?;
        if slug.as_str() != folder {
            return Err(self.err(
                "slug",
                format!("is `{slug}` but the folder is `{folder}`; they must match"),
            ));
        }
        let posted_on = NaiveDate::parse_from_str(&raw.posted_on.to_string(), "%Y-%m-%d")
            .map_err(|_| self.err("posted_on", "must be a date such as 2021-01-05"))?;
        if description.trim().is_empty() {
            return Err(self.err("description_file", "the description is empty"));
        }
        let ksas = self.ksas(raw.ksas)?;
        let questions = self.questions(raw.questions, &ksas)?;
        Ok(Posting {
            slug,
            title: self.text("title", raw.title)?,
            employer: self.text("employer", raw.employer)?,
            department: self.text("department", raw.department)?,
            location: self.text("location", raw.location)?,
            posted_on,
            status: match raw.status {
                StatusFile::Open => PostingStatus::Open,
                StatusFile::Closed => PostingStatus::Closed,
            },
            summary: self.text("summary", raw.summary)?,
            description_html: render_markdown(description),
            questions,
            ksas,
        })
    }

    fn choices(&self, place: &str, raw: Vec<ChoiceFile>) -> Result<Vec<Choice>, FormsError> {
        if raw.len() < 2 {
            return Err(self.err(place, "a choice needs at least two options"));
        }
        let mut seen = HashSet::new();
        raw.into_iter()
            .enumerate()
            .map(|(i, c)| {
                let value = Slug::parse_with(&c.value, true)
                    .map_err(|p| self.err(format!("{place}[{i}].value"), p))?;
                if !seen.insert(value.to_string()) {
                    return Err(self.err(
                        format!("{place}[{i}].value"),
                        format!("`{value}` is listed twice"),
                    ));
                }
                let label = self.text(&format!("{place}[{i}].label"), c.label)?;
                Ok(Choice {
                    value: value.to_string(),
                    label,
                })
            })
            .collect()
    }

    fn questions(&self, raw: Vec<QuestionFile>, ksas: &[Ksa]) -> Result<Vec<Question>, FormsError> {
        let ids: Vec<&str> = raw.iter().map(|q| q.id.as_str()).collect();
        if ids != QUESTION_IDS {
            return Err(self.err(
                "questions",
                format!("must be exactly {QUESTION_IDS:?} in that order; found {ids:?}"),
            ));
        }
        raw.into_iter()
            .enumerate()
            .map(|(i, q)| self.question(i, q, ksas))
            .collect()
    }

    fn question(&self, i: usize, q: QuestionFile, ksas: &[Ksa]) -> Result<Question, FormsError> {
        let place = format!("questions[{i}] ({})", q.id);
        let id = Slug::parse(&q.id).map_err(|p| self.err(format!("{place}.id"), p))?;
        let text = self.text(&format!("{place}.text"), q.text)?;
        let only_for = |field: &str, present: bool, kind: &str| {
            if present {
                Err(self.err(
                    format!("{place}.{field}"),
                    format!("only a {kind} question takes `{field}`"),
                ))
            } else {
                Ok(())
            }
        };
        let kind = match q.kind {
            QuestionKindFile::Choice => {
                only_for("min_sentences", q.min_sentences.is_some(), "short_answer")?;
                QuestionKind::Choice {
                    choices: self.choices(&format!("{place}.choices"), q.choices)?,
                    comment: match q.comment {
                        Some(c) => Some(CommentSpec {
                            label: self.text(&format!("{place}.comment.label"), c.label)?,
                            max_chars: self
                                .limit(&format!("{place}.comment.max_chars"), c.max_chars)?,
                        }),
                        None => None,
                    },
                }
            }
            QuestionKindFile::YesNo => {
                only_for("choices", !q.choices.is_empty(), "choice")?;
                only_for("comment", q.comment.is_some(), "choice")?;
                QuestionKind::YesNo
            }
            QuestionKindFile::ShortAnswer => {
                only_for("choices", !q.choices.is_empty(), "choice")?;
                let min = q.min_sentences.unwrap_or(1);
                let max = q.max_sentences.unwrap_or(3);
                if min == 0 || max < min {
                    return Err(self.err(
                        format!("{place}.max_sentences"),
                        format!("needs 1 ≤ min_sentences ≤ max_sentences; found {min} and {max}"),
                    ));
                }
                let max_chars =
                    self.limit(&format!("{place}.max_chars"), q.max_chars.unwrap_or(1000))?;
                QuestionKind::ShortAnswer {
                    min_sentences: min,
                    max_sentences: max,
                    max_chars,
                }
            }
        };
        let question = Question {
            id,
            text,
            kind,
            flag: None,
        };
        let flag = self.flag(&place, &question, q.flag_values, q.flags_ksa, ksas)?;
        Ok(Question { flag, ..question })
    }

    fn limit(&self, place: &str, value: usize) -> Result<usize, FormsError> {
        if !(1..=10_000).contains(&value) {
            return Err(self.err(place, format!("must be between 1 and 10000; found {value}")));
        }
        Ok(value)
    }

    fn flag(
        &self,
        place: &str,
        question: &Question,
        values: Vec<String>,
        ksa: Option<String>,
        ksas: &[Ksa],
    ) -> Result<Option<AnswerFlag>, FormsError> {
        match (values.is_empty(), ksa) {
            (true, None) => Ok(None),
            (false, None) => {
                Err(self.err(format!("{place}.flags_ksa"), "flag_values needs flags_ksa"))
            }
            (true, Some(_)) => Err(self.err(
                format!("{place}.flag_values"),
                "flags_ksa needs flag_values",
            )),
            (false, Some(ksa)) => {
                let Some(target) = ksas.iter().find(|k| k.id.as_str() == ksa) else {
                    return Err(self.err(
                        format!("{place}.flags_ksa"),
                        format!("no KSA has the id `{ksa}`"),
                    ));
                };
                let allowed = question.allowed_values();
                if let Some(bad) = values.iter().find(|v| !allowed.contains(&v.as_str())) {
                    return Err(self.err(
                        format!("{place}.flag_values"),
                        format!("`{bad}` is not one of the answers {allowed:?}"),
                    ));
                }
                Ok(Some(AnswerFlag {
                    values,
                    ksa: target.id.clone(),
                }))
            }
        }
    }

    fn ksas(&self, raw: Vec<KsaFile>) -> Result<Vec<Ksa>, FormsError> {
        if raw.is_empty() {
            return Err(self.err("ksas", "a posting needs at least one KSA"));
        }
        let mut ids = HashSet::new();
        let mut fields = HashSet::new();
        raw.into_iter()
            .enumerate()
            .map(|(i, k)| {
                let place = format!("ksas[{i}]");
                let id = Slug::parse_with(&k.id, true)
                    .map_err(|p| self.err(format!("{place}.id"), p))?;
                if !ids.insert(id.clone()) {
                    return Err(self.err(
                        format!("{place}.id"),
                        format!("`{id}` is used by another KSA"),
                    ));
                }
                let attestation = match k.attestation {
                    Some(a) => {
                        Some(self.attestation(&format!("{place}.attestation"), a, &mut fields)?)
                    }
                    None => None,
                };
                Ok(Ksa {
                    id,
                    number: i + 1,
                    title: self.text(&format!("{place}.title"), k.title)?,
                    text: self.text(&format!("{place}.text"), k.text)?,
                    requirement: match k.requirement {
                        RequirementFile::Required => Requirement::Required,
                        RequirementFile::Preferred => Requirement::Preferred,
                    },
                    attestation,
                })
            })
            .collect()
    }

    fn attestation(
        &self,
        place: &str,
        a: AttestationFile,
        fields: &mut HashSet<String>,
    ) -> Result<Attestation, FormsError> {
        let field =
            Slug::parse_with(&a.field, true).map_err(|p| self.err(format!("{place}.field"), p))?;
        if RESERVED_FIELDS.contains(&field.as_str()) {
            return Err(self.err(
                format!("{place}.field"),
                format!("`{field}` is a field the form already uses"),
            ));
        }
        if !fields.insert(field.to_string()) {
            return Err(self.err(
                format!("{place}.field"),
                format!("`{field}` is used by another attestation"),
            ));
        }
        let kind = match a.kind {
            AttestationKindFile::YesNo if a.choices.is_empty() => AttestationKind::YesNo,
            AttestationKindFile::YesNo => {
                return Err(self.err(
                    format!("{place}.choices"),
                    "a yes_no attestation takes no choices",
                ));
            }
            AttestationKindFile::Choice => {
                AttestationKind::Choice(self.choices(&format!("{place}.choices"), a.choices)?)
            }
        };
        Ok(Attestation {
            field,
            label: self.text(&format!("{place}.label"), a.label)?,
            kind,
        })
    }
}
