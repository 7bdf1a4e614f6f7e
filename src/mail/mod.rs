//! Email: messages rendered from the Markdown templates of forms/mail, the transactional outbox, and the worker that
//! delivers it over SMTP (lettre) or, with no SMTP configured, as `.eml` files.
//!
//! A message is written to the outbox in the same transaction as the event that causes it; the
//! worker claims due messages under a lease, sends, and records the outcome, retrying with
//! exponential backoff. Nothing is sent from a request handler directly.

mod transport;
mod worker;

pub use crate::forms::{MailTemplates, RenderedMail};
pub use transport::{Mailer, SendError};
pub use worker::{DeliveryReport, deliver_due};

use crate::domain::Posting;
use crate::storage::candidates::CandidateDetail;
use crate::storage::outbox::NewMessage;

/// The notice an applicant receives when not selected (HR may choose not to send it).
/// `None` when the contact details are gone.
pub fn not_selected_notice(
    templates: &MailTemplates,
    posting: &Posting,
    candidate: &CandidateDetail,
) -> Option<NewMessage> {
    let (name, email) = (candidate.name.as_deref()?, candidate.email.as_deref()?);
    let mail = templates.render(
        "applicant_not_selected",
        &[
            ("name", name),
            ("posting_title", &posting.title),
            ("reference", &candidate.reference),
        ],
    )?;
    Some(NewMessage {
        kind: "applicant_not_selected".into(),
        application_id: Some(candidate.id),
        to: email.to_owned(),
        cc: None,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
    })
}
