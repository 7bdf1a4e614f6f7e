use std::collections::BTreeMap;
use std::path::Path;

use super::{FormsError, render_markdown};

/// The templates the service sends; each is `forms/mail/<name>.md`.
pub const TEMPLATE_NAMES: [&str; 5] = [
    "deadline_alert",
    "deadline_overdue",
    "upkeep_alert",
    "applicant_receipt",
    "applicant_not_selected",
];

/// Placeholders each template may use.
fn allowed_placeholders(name: &str) -> &'static [&'static str] {
    match name {
        "deadline_alert" => &[
            "manager_name",
            "hire_name",
            "hire_date",
            "due_date",
            "days_left_text",
            "link",
        ],
        "deadline_overdue" => &[
            "manager_name",
            "hire_name",
            "due_date",
            "days_overdue",
            "link",
        ],
        "upkeep_alert" => &[
            "manager_name",
            "hire_name",
            "year_end",
            "days_left",
            "shortfalls",
            "education_hours",
            "skill_hours",
            "reviews",
            "link",
        ],
        "applicant_receipt" | "applicant_not_selected" => &["name", "posting_title", "reference"],
        _ => &[],
    }
}

#[derive(Debug, Clone)]
struct Template {
    subject: String,
    body: String,
}

/// A message ready for the outbox: subject, plain text and HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, Clone)]
pub struct MailTemplates {
    templates: BTreeMap<String, Template>,
}

impl MailTemplates {
    /// Reads and checks every template: a `Subject:` first line, a blank line, the Markdown
    /// body, and only the placeholders that template knows.
    pub fn load(dir: &Path) -> Result<Self, FormsError> {
        let mut templates = BTreeMap::new();
        for name in TEMPLATE_NAMES {
            let file = dir.join(format!("{name}.md"));
            let source = std::fs::read_to_string(&file).map_err(|e| {
                FormsError::new(&file, None, format!("cannot read the template: {e}"))
            })?;
            let (first, body) = source.split_once('\n').unwrap_or((&source, ""));
            let Some(subject) = first
                .strip_prefix("Subject:")
                .map(str::trim)
                .filter(|s| !s.is_empty())
            else {
                return Err(FormsError::new(
                    &file,
                    Some("line 1".into()),
                    "must be `Subject: …`".into(),
                ));
            };
            let body = body.trim_start_matches(['\r', '\n']).to_owned();
            if body.trim().is_empty() {
                return Err(FormsError::new(
                    &file,
                    Some("body".into()),
                    "the message has no body".into(),
                ));
            }
            for (place, text) in [("subject", subject), ("body", body.as_str())] {
                for placeholder in placeholders(text) {
                    if !allowed_placeholders(name).contains(&placeholder.as_str()) {
                        return Err(FormsError::new(
                            &file,
                            Some(place.into()),
                            format!(
                                "{{{{{placeholder}}}}} is not known here; use {}",
                                allowed_placeholders(name)
                                    .iter()
                                    .map(|p| format!("{{{{{p}}}}}"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                }
            }
            templates.insert(
                name.to_owned(),
                Template {
                    subject: subject.to_owned(),
                    body,
                },
            );
        }
        Ok(Self { templates })
    }

    /// Fills a template. In the HTML, values are escaped so a name cannot add markup or a
    /// link; in the subject, line breaks are removed.
    pub fn render(&self, name: &str, values: &[(&str, &str)]) -> Option<RenderedMail> {
        let template = self.templates.get(name)?;
        let fill = |text: &str, escape: fn(&str) -> String| {
            let mut out = text.to_owned();
            for (key, value) in values {
                out = out.replace(&format!("{{{{{key}}}}}"), &escape(value));
            }
            out
        };
        let subject = fill(&template.subject, |v| v.replace(['\r', '\n'], " "));
        let text = fill(&template.body, |v| v.to_owned());
        let html = render_markdown(&fill(&template.body, escape_markdown_keeping_lists));
        Some(RenderedMail {
            subject,
            text,
            html,
        })
    }
}

fn placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        found.push(after[..end].trim().to_owned());
        rest = &after[end + 2..];
    }
    found
}

/// Escapes Markdown punctuation in a value, except a leading "- " list marker on each line (the
/// upkeep shortfalls are a list the code builds).
fn escape_markdown_keeping_lists(value: &str) -> String {
    value
        .lines()
        .map(|line| match line.strip_prefix("- ") {
            Some(item) => format!("- {}", escape_markdown(item)),
            None => escape_markdown(line),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Backslash-escapes every character Markdown gives a meaning to.
pub fn escape_markdown(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if "\\`*_{}[]()#+-.!|<>&~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn templates() -> MailTemplates {
        MailTemplates::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("forms/mail")).unwrap()
    }

    #[test]
    fn renders_subject_text_and_html() {
        let m = templates()
            .render(
                "deadline_alert",
                &[
                    ("manager_name", "Morgan"),
                    ("hire_name", "Jordan Blake"),
                    ("hire_date", "2026-01-05"),
                    ("due_date", "2026-10-05"),
                    ("days_left_text", "in 60 days"),
                    (
                        "link",
                        "https://jobs.example.org/hr/candidates/K7QM-3XPA-9HDT",
                    ),
                ],
            )
            .unwrap();
        assert_eq!(m.subject, "Provisional CIPSS due in 60 days: Jordan Blake");
        assert!(m.text.contains("**Jordan Blake**, hired on 2026-01-05"));
        assert!(m.html.contains("<strong>Jordan Blake</strong>"));
        assert!(
            m.html
                .contains("href=\"https://jobs.example.org/hr/candidates/K7QM-3XPA-9HDT\""),
            "{}",
            m.html
        );
    }

    #[test]
    fn values_cannot_inject_markup_or_headers() {
        let m = templates()
            .render(
                "applicant_receipt",
                &[
                    ("name", "<img src=x onerror=alert(1)> [click](http://evil)"),
                    ("posting_title", "T"),
                    ("reference", "R\r\nBcc: x@y"),
                ],
            )
            .unwrap();
        assert!(
            !m.html.contains("<img") && !m.html.contains("href=\"http://evil\""),
            "{}",
            m.html
        );
        assert!(!m.subject.contains('\n') && !m.subject.contains('\r'));
    }

    #[test]
    fn a_bad_template_names_the_file_and_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        for name in TEMPLATE_NAMES {
            std::fs::write(
                dir.path().join(format!("{name}.md")),
                "Subject: Hi {{name}}\n\nBody",
            )
            .unwrap();
        }
        let err = MailTemplates::load(dir.path()).unwrap_err();
        assert!(
            err.file.ends_with("deadline_alert.md")
                && err.problem.contains("{{name}} is not known"),
            "{err}"
        );
        std::fs::write(dir.path().join("deadline_alert.md"), "Hello\n\nBody").unwrap();
        let err = MailTemplates::load(dir.path()).unwrap_err();
        assert!(err.problem.contains("Subject:"), "{err}");
    }
}
