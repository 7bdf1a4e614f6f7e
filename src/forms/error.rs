use std::fmt;
use std::path::{Path, PathBuf};

/// A mistake in forms/: which file, where in it, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormsError {
    pub file: PathBuf,
    /// "line 12, column 3" or a path such as "questions[2].max_sentences".
    pub place: Option<String>,
    pub problem: String,
}

impl FormsError {
    pub fn new(file: &Path, place: Option<String>, problem: String) -> Self {
        Self {
            file: file.to_owned(),
            place,
            problem,
        }
    }

    /// Builds an error from a TOML parse error, turning its byte span into a line and column.
    pub fn from_toml(file: &Path, source: &str, err: &toml::de::Error) -> Self {
        let place = err.span().map(|span| {
            let before = &source[..span.start.min(source.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}")
        });
        Self::new(file, place, err.message().trim().to_owned())
    }
}

impl fmt::Display for FormsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(place) = &self.place {
            write!(f, ": {place}")?;
        }
        write!(f, ": {}", self.problem)
    }
}

impl std::error::Error for FormsError {}
