//! Receiving one application: parse every field, screen every free text, and only then store.
//! Used by the HTML form and the JSON API alike, so both follow exactly the same rules.
//!
//! A refused text never reaches `storage`: the screening verdict is computed from the input,
//! and on any finding this function returns before the database is touched.

use std::collections::BTreeMap;

use crate::domain::{Application, ApplicationInput, FieldErrors, Posting, Reference};
use crate::forms::Forms;
use crate::screening::{Category, Finding, Screener};
use crate::storage::applications::{NewSubmission, Pending, Submitted};
use crate::storage::outbox::NewMessage;
use crate::storage::{Db, StorageError};

#[derive(Debug)]
pub enum Rejection {
    /// Fields that are missing or malformed — and any screening findings in the texts that were
    /// there, so the applicant can fix everything in one go.
    Invalid {
        errors: FieldErrors,
        findings: Vec<Finding>,
    },
    /// Every field is well-formed, but some text names a diagnosis or criminal history.
    Refused {
        findings: Vec<Finding>,
    },
    Storage(StorageError),
}

/// Screens every free-text field of the input.
pub fn screen_input(
    screener: &Screener,
    posting: &Posting,
    input: &ApplicationInput,
) -> Vec<Finding> {
    input
        .free_texts(posting)
        .into_iter()
        .flat_map(|(field, text)| screener.screen(&field, text))
        .collect()
}

/// Parses, screens and stores. Logs counts only — never a name, an email or a word of text.
pub async fn submit(
    db: &Db,
    forms: &Forms,
    posting: &Posting,
    input: &ApplicationInput,
) -> Result<(Submitted, Application), Rejection> {
    let screener = &forms.screener;
    let parsed = Application::parse(posting, input);
    let findings = screen_input(screener, posting, input);
    if !findings.is_empty() {
        log_refusal(posting, &findings);
    }
    let application = match parsed {
        Err(errors) => return Err(Rejection::Invalid { errors, findings }),
        Ok(_) if !findings.is_empty() => return Err(Rejection::Refused { findings }),
        Ok(application) => application,
    };
    let now = chrono::Utc::now().naive_utc();
    let reference = Reference::generate();
    let receipt = forms
        .mail
        .render(
            "applicant_receipt",
            &[
                ("name", application.name.as_str()),
                ("posting_title", &posting.title),
                ("reference", reference.as_str()),
            ],
        )
        .map(|rendered| NewMessage {
            kind: "applicant_receipt".into(),
            application_id: None, // set by the insert, which knows the new row's id
            to: application.email.as_str().to_owned(),
            cc: None,
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
        });
    let pending = Pending {
        posting_slug: posting.slug.to_string(),
        application: application.clone(),
        submission: NewSubmission { reference, receipt },
        now,
    };
    let submitted = db
        .store_application(pending)
        .await
        .map_err(Rejection::Storage)?;
    match &submitted {
        Submitted::Created(reference) => {
            tracing::info!(posting = %posting.slug, application.reference = %reference, "application received")
        }
        Submitted::AlreadyReceived(reference) => tracing::info!(
            posting = %posting.slug,
            application.reference = %reference,
            "identical application submitted again; kept the first"
        ),
    }
    Ok((submitted, application))
}

/// The only trace a refusal leaves: which fields, how many findings of each category.
fn log_refusal(posting: &Posting, findings: &[Finding]) {
    let mut by_field: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings {
        *by_field.entry(f.field.as_str()).or_default() += 1;
    }
    let count = |c: Category| findings.iter().filter(|f| f.category == c).count();
    let fields: Vec<String> = by_field
        .iter()
        .map(|(field, n)| format!("{field}:{n}"))
        .collect();
    tracing::info!(
        posting = %posting.slug,
        fields = %fields.join(","),
        diagnosis = count(Category::Diagnosis),
        criminal_history = count(Category::CriminalHistory),
        "application refused by screening; nothing stored"
    );
}
