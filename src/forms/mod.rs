//! Loads forms/ — the postings (and, in later layers, the screening lexicon and the email
//! templates) — into domain types. HR edits these files without a rebuild, so every mistake is
//! reported with the file, the place in it and the problem, and stops the start.

mod error;
mod mail_templates;
mod markdown;
mod posting_file;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use error::FormsError;
pub use mail_templates::{MailTemplates, RenderedMail, TEMPLATE_NAMES, escape_markdown};
pub use markdown::render_markdown;

/// Parses one posting.toml's text (for fuzzing and property tests); `description` is the text
/// of the Markdown file it names.
pub fn parse_posting(
    source: &str,
    folder_name: &str,
    description: &str,
) -> Result<Posting, FormsError> {
    let text = description.to_owned();
    posting_file::parse(Path::new("posting.toml"), source, folder_name, move |_| {
        Ok(text)
    })
}

use crate::domain::Posting;
use crate::screening::Screener;

/// Everything loaded from the forms directory, validated.
pub struct Forms {
    pub dir: PathBuf,
    postings: BTreeMap<String, Arc<Posting>>,
    /// The screening lexicon and rules from `screening/`, compiled once.
    pub screener: Arc<Screener>,
    /// The email templates from `mail/`.
    pub mail: Arc<MailTemplates>,
}

impl std::fmt::Debug for Forms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Forms")
            .field("dir", &self.dir)
            .field("postings", &self.postings.keys())
            .finish()
    }
}

impl Forms {
    /// Loads every `postings/<slug>/posting.toml` below `dir`, and the screening lexicon from
    /// `screening/`. Fails on the first bad file.
    pub fn load(dir: &Path) -> Result<Self, FormsError> {
        let postings_dir = dir.join("postings");
        let entries = std::fs::read_dir(&postings_dir).map_err(|e| {
            FormsError::new(&postings_dir, None, format!("cannot read the folder: {e}"))
        })?;
        let mut folders: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        folders.sort();

        let mut postings = BTreeMap::new();
        for folder in folders {
            let posting = posting_file::load(&folder)?;
            let slug = posting.slug.to_string();
            if postings.contains_key(&slug) {
                return Err(FormsError::new(
                    &folder.join("posting.toml"),
                    Some("slug".into()),
                    format!("`{slug}` is used by another posting"),
                ));
            }
            postings.insert(slug, Arc::new(posting));
        }
        if postings.is_empty() {
            return Err(FormsError::new(
                &postings_dir,
                None,
                "holds no posting; add a folder with a posting.toml".into(),
            ));
        }
        let screener = Screener::load(&dir.join("screening"))
            .map_err(|e| FormsError::new(&e.file, Some(e.place), e.problem))?;
        let mail = MailTemplates::load(&dir.join("mail"))?;
        Ok(Self {
            dir: dir.to_owned(),
            postings,
            screener: Arc::new(screener),
            mail: Arc::new(mail),
        })
    }

    pub fn posting(&self, slug: &str) -> Option<&Arc<Posting>> {
        self.postings.get(slug)
    }

    /// All postings, open and closed, by slug.
    pub fn postings(&self) -> impl Iterator<Item = &Arc<Posting>> {
        self.postings.values()
    }

    /// Open postings, newest first.
    pub fn open_postings(&self) -> Vec<&Arc<Posting>> {
        let mut open: Vec<_> = self.postings.values().filter(|p| p.is_open()).collect();
        open.sort_by(|a, b| b.posted_on.cmp(&a.posted_on).then(a.title.cmp(&b.title)));
        open
    }
}

#[cfg(test)]
mod tests;
