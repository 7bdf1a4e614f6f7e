use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, header};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

use crate::config::Settings;
use crate::storage::DatabaseUrl;
use crate::storage::outbox::OutboxRow;

/// Where messages go: an SMTP server, or — with none configured — `.eml` files in a folder.
#[derive(Clone)]
pub enum Mailer {
    Smtp { url: SecretString },
    Files { dir: PathBuf },
}

/// Why a message was not sent: try again later, or the server refused it outright.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Server down, timeout, 4xx: retried with backoff.
    Transient(String),
    /// 5xx or an address that cannot be used: retried until the give-up time, then failed.
    Permanent(String),
}

impl Mailer {
    /// SMTP when `PEERHIRE_SMTP_URL` is set; otherwise an `outbox/` folder beside the SQLite
    /// database (or in the working directory for PostgreSQL).
    pub fn from_settings(settings: &Settings) -> Self {
        match &settings.smtp_url {
            Some(url) => Self::Smtp { url: url.clone() },
            None => {
                let base = match &settings.database {
                    DatabaseUrl::Sqlite(path) => {
                        path.parent().map(PathBuf::from).unwrap_or_default()
                    }
                    DatabaseUrl::Postgres(_) => PathBuf::new(),
                };
                Self::Files {
                    dir: base.join("outbox"),
                }
            }
        }
    }

    /// What `serve` says at start about where email goes.
    pub fn describe_for_people(&self) -> String {
        match self {
            Self::Smtp { .. } => format!("sent through {}", self.describe()),
            Self::Files { dir } => format!(
                "PEERHIRE_SMTP_URL is not set, so each message is written as an .eml file in {}",
                dir.display()
            ),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Smtp { url } => match url::Url::parse(url.expose_secret()) {
                Ok(u) => format!(
                    "SMTP {}://{}:{}",
                    u.scheme(),
                    u.host_str().unwrap_or("?"),
                    u.port().unwrap_or(0)
                ),
                Err(_) => "SMTP".into(),
            },
            Self::Files { dir } => format!(".eml files in {}", dir.display()),
        }
    }

    /// One SMTP connection serves the batch (created and dropped inside the async runtime, as
    /// lettre requires).
    /// Sends each message; one outcome per message, in order. Nothing is attempted after
    /// `deadline` (the end of the claim's lease, less a margin) and no attempt runs past it: a
    /// message still in flight when its lease ended could be claimed and sent again elsewhere.
    pub async fn send_all(
        &self,
        from: &str,
        messages: &[OutboxRow],
        deadline: tokio::time::Instant,
    ) -> Vec<Result<(), SendError>> {
        let from: Mailbox = match from.parse() {
            Ok(m) => m,
            Err(e) => {
                return messages
                    .iter()
                    .map(|_| Err(SendError::Permanent(format!("sender address: {e}"))))
                    .collect();
            }
        };
        match self {
            Self::Files { dir } => {
                let mut out = Vec::with_capacity(messages.len());
                for m in messages {
                    out.push(match build(&from, m) {
                        Ok(message) => write_eml(dir, m, &message.formatted()),
                        Err(e) => Err(e),
                    });
                }
                out
            }
            Self::Smtp { url } => {
                let transport =
                    match AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret()) {
                        Ok(builder) => builder.timeout(Some(Duration::from_secs(20))).build(),
                        Err(e) => {
                            return messages
                                .iter()
                                .map(|_| Err(SendError::Transient(format!("smtp: {e}"))))
                                .collect();
                        }
                    };
                let mut out = Vec::with_capacity(messages.len());
                for m in messages {
                    let outcome = match build(&from, m) {
                        Ok(message) => {
                            match tokio::time::timeout_at(deadline, transport.send(message)).await {
                                Ok(sent) => sent.map(|_| ()).map_err(|e| {
                                    if e.is_permanent() {
                                        SendError::Permanent(e.to_string())
                                    } else {
                                        SendError::Transient(e.to_string())
                                    }
                                }),
                                Err(_) => Err(SendError::Transient(
                                    "no answer from the SMTP server before the lease ended".into(),
                                )),
                            }
                        }
                        Err(e) => Err(e),
                    };
                    out.push(outcome);
                }
                out
            }
        }
    }
}

fn build(from: &Mailbox, m: &OutboxRow) -> Result<Message, SendError> {
    let bad = |what: &str, e: &dyn std::fmt::Display| SendError::Permanent(format!("{what}: {e}"));
    let to: Mailbox = m.to_address.parse().map_err(|e| bad("recipient", &e))?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.subject.clone())
        .header(AutoSubmitted)
        .message_id(Some(format!(
            "<outbox-{}-{}@peerhire>",
            m.id,
            m.created_at.and_utc().timestamp()
        )));
    if let Some(cc) = &m.cc_address {
        for address in cc.split(',').map(str::trim).filter(|a| !a.is_empty()) {
            builder = builder.cc(address.parse().map_err(|e| bad("copy recipient", &e))?);
        }
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            m.text_body.clone(),
            m.html_body.clone(),
        ))
        .map_err(|e| bad("message", &e))
}

/// `Auto-Submitted: auto-generated`, so out-of-office replies are not sent back.
#[derive(Clone)]
struct AutoSubmitted;

impl header::Header for AutoSubmitted {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// Writes the message atomically: a partial file never appears under its final name.
fn write_eml(dir: &PathBuf, m: &OutboxRow, bytes: &[u8]) -> Result<(), SendError> {
    let failed =
        |e: std::io::Error| SendError::Transient(format!("cannot write to {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(failed)?;
    let name = format!("{:06}-{}.eml", m.id, m.kind);
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).map_err(failed)?;
    std::fs::rename(&tmp, dir.join(name)).map_err(failed)
}
