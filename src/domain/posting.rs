//! A job posting as HR wrote it in forms/: its questions and its KSA checklist.

use chrono::NaiveDate;

use super::Slug;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostingStatus {
    Open,
    Closed,
}

impl PostingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Posting {
    pub slug: Slug,
    pub title: String,
    pub employer: String,
    pub department: String,
    pub location: String,
    pub posted_on: NaiveDate,
    pub status: PostingStatus,
    pub summary: String,
    /// The description, rendered from Markdown once at load with raw HTML escaped.
    pub description_html: String,
    pub questions: Vec<Question>,
    pub ksas: Vec<Ksa>,
}

impl Posting {
    pub fn is_open(&self) -> bool {
        self.status == PostingStatus::Open
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id.as_str() == id)
    }

    pub fn ksa(&self, id: &str) -> Option<&Ksa> {
        self.ksas.iter().find(|k| k.id.as_str() == id)
    }

    /// The KSAs the applicant answers for themselves on the form.
    pub fn attestations(&self) -> impl Iterator<Item = (&Ksa, &Attestation)> {
        self.ksas
            .iter()
            .filter_map(|k| k.attestation.as_ref().map(|a| (k, a)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: Slug,
    pub text: String,
    pub kind: QuestionKind,
    /// Answers that do not meet a KSA: they are accepted and stored, and HR sees a flag on it.
    pub flag: Option<AnswerFlag>,
}

#[derive(Debug, Clone)]
pub struct AnswerFlag {
    pub values: Vec<String>,
    pub ksa: Slug,
}

#[derive(Debug, Clone)]
pub enum QuestionKind {
    Choice {
        choices: Vec<Choice>,
        comment: Option<CommentSpec>,
    },
    YesNo,
    ShortAnswer {
        min_sentences: usize,
        max_sentences: usize,
        max_chars: usize,
    },
}

/// An optional free-text comment under a choice question; screened like every free text.
#[derive(Debug, Clone)]
pub struct CommentSpec {
    pub label: String,
    pub max_chars: usize,
}

impl Question {
    /// The values a choice or yes/no question accepts; empty for free text.
    pub fn allowed_values(&self) -> Vec<&str> {
        match &self.kind {
            QuestionKind::Choice { choices, .. } => {
                choices.iter().map(|c| c.value.as_str()).collect()
            }
            QuestionKind::YesNo => vec!["yes", "no"],
            QuestionKind::ShortAnswer { .. } => Vec::new(),
        }
    }

    pub fn is_flagged(&self, value: &str) -> bool {
        self.flag
            .as_ref()
            .is_some_and(|f| f.values.iter().any(|v| v == value))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    Required,
    Preferred,
}

impl Requirement {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Preferred => "preferred",
        }
    }
}

/// One item of the posting's Knowledge, Skills and Abilities checklist.
#[derive(Debug, Clone)]
pub struct Ksa {
    pub id: Slug,
    /// 1-based position in the posting, as the employer numbers them.
    pub number: usize,
    pub title: String,
    pub text: String,
    pub requirement: Requirement,
    pub attestation: Option<Attestation>,
}

/// A KSA the applicant answers on the form ("applicant says yes — verify").
#[derive(Debug, Clone)]
pub struct Attestation {
    /// The HTML form field and JSON key.
    pub field: Slug,
    pub label: String,
    pub kind: AttestationKind,
}

#[derive(Debug, Clone)]
pub enum AttestationKind {
    YesNo,
    Choice(Vec<Choice>),
}

impl Attestation {
    pub fn allowed_values(&self) -> Vec<&str> {
        match &self.kind {
            AttestationKind::YesNo => vec!["yes", "no"],
            AttestationKind::Choice(choices) => choices.iter().map(|c| c.value.as_str()).collect(),
        }
    }
}
