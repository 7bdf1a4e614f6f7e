//! Screening of free text for diagnoses and criminal history, before anything is stored.
//!
//! Pure: the lexicon and rules are read once from forms/screening/ and compiled; `screen` does no
//! I/O and keeps nothing. The policy it implements is docs/screening.md (from
//! SCREENING-POLICY.md): refuse a text that attaches a *named* diagnosis, or any criminal-justice
//! involvement, to the applicant or another specific person; accept everything else.

mod context;
mod fuzzy;
mod lexicon;
mod normalize;
mod search;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use context::{Context, Token, tokenize};
use lexicon::Compiled;
pub use lexicon::{Kind, LexiconError, phrase_to_regex};
use normalize::Normalized;
use search::Patterns;

/// What a refused phrase discloses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Diagnosis,
    CriminalHistory,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Diagnosis => "diagnosis",
            Self::CriminalHistory => "criminal_history",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One refused phrase: which field, why, the exact words, and where they stand as character
/// (Unicode scalar) offsets into that field's text, `end` exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub field: String,
    pub category: Category,
    pub phrase: String,
    pub start: usize,
    pub end: usize,
}

/// The compiled lexicon and rules. Build once, share by reference across threads.
pub struct Screener {
    compiled: Compiled,
}

/// Why the lexicon could not be loaded: the file, and the place and problem in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: PathBuf,
    pub place: String,
    pub problem: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.file.display(),
            self.place,
            self.problem
        )
    }
}

impl std::error::Error for LoadError {}

pub const LEXICON_FILE: &str = "lexicon.toml";
pub const RULES_FILE: &str = "rules.toml";

impl Screener {
    /// Compiles the lexicon and rules from their TOML texts.
    pub fn from_sources(lexicon: &str, rules: &str) -> Result<Self, LexiconError> {
        Ok(Self {
            compiled: lexicon::compile(lexicon, rules)?,
        })
    }

    /// Reads `lexicon.toml` and `rules.toml` from `dir` (forms/screening).
    pub fn load(dir: &Path) -> Result<Self, LoadError> {
        let read = |name: &str| {
            let file = dir.join(name);
            std::fs::read_to_string(&file).map_err(|e| LoadError {
                file: file.clone(),
                place: "file".into(),
                problem: format!("cannot read it: {e}"),
            })
        };
        let lexicon = read(LEXICON_FILE)?;
        let rules = read(RULES_FILE)?;
        Self::from_sources(&lexicon, &rules).map_err(|e| {
            let (name, place) = match e.place.split_once(": ") {
                Some((name, rest)) => (name.to_owned(), rest.to_owned()),
                None => (e.place.clone(), "file".to_owned()),
            };
            LoadError {
                file: dir.join(name),
                place,
                problem: e.problem,
            }
        })
    }

    /// How many patterns the lexicon compiled to (for start-up logs and docs).
    pub fn pattern_count(&self) -> usize {
        self.compiled.terms.info.len()
            + self
                .compiled
                .exact_terms
                .as_ref()
                .map_or(0, |m| m.info.len())
    }

    /// The next candidate at or after `pos`: the earlier of the two matchers' matches (the
    /// case-insensitive one on a tie), with the term it stands for.
    fn next_candidate(
        &self,
        lower: &str,
        hay: &str,
        pos: usize,
    ) -> Option<(usize, usize, &lexicon::Term)> {
        fn find<'m>(
            m: &'m lexicon::Matcher,
            text: &str,
            pos: usize,
        ) -> Option<(usize, usize, &'m lexicon::Term)> {
            m.patterns.find_at_word_starts(text, pos).map(|found| {
                (
                    found.start(),
                    found.end(),
                    &m.info[found.pattern().as_usize()],
                )
            })
        }
        let folded = find(&self.compiled.terms, lower, pos);
        let exact = self
            .compiled
            .exact_terms
            .as_ref()
            .and_then(|m| find(m, hay, pos));
        match (folded, exact) {
            (Some(a), Some(b)) if b.0 < a.0 => Some(b),
            (Some(a), _) => Some(a),
            (None, b) => b,
        }
    }

    /// Every refused phrase in one field's text, in order. Empty means the text is accepted.
    pub fn screen(&self, field: &str, text: &str) -> Vec<Finding> {
        let mut norm = Normalized::new(text);
        // ASCII lowercasing keeps every byte offset, so one offset map serves both texts.
        let mut lower = norm.text.to_ascii_lowercase();
        let corrections = self.compiled.fuzzy.corrections(&lower);
        if !corrections.is_empty() {
            norm.replace_words(&corrections);
            lower = norm.text.to_ascii_lowercase();
        }
        let hay = norm.text.as_str();
        // Whether the text is mostly capitals matters only for a case-sensitive acronym: rare.
        let mut shouting = None;
        let mut findings = Vec::new();
        let mut lazy = Lazy::default();
        let mut pos = 0;
        while pos < hay.len() {
            let Some((start, found_end, term)) = self.next_candidate(&lower, hay, pos) else {
                break;
            };
            // A phrase's optional tail may leave a separator at the end: it is not part of it.
            let end = start
                + hay[start..found_end]
                    .trim_end_matches([' ', '-', '_', '/', '\n'])
                    .len();
            if end == start || !on_word_boundaries(hay, start, end) {
                pos = next_char(hay, start);
                continue;
            }
            // An exception covers a term it overlaps — unless the term is the longer phrase that
            // holds it whole: "came in through jail diversion" is more than "jail diversion".
            if lazy
                .exceptions(&self.compiled, &lower)
                .iter()
                .any(|&(s, e)| {
                    s < end && start < e && !(start <= s && e <= end && e - s < end - start)
                })
            {
                pos = end;
                continue;
            }
            if term.case_sensitive
                && (*shouting.get_or_insert_with(|| mostly_capitals(hay))
                    || in_capitals(hay, start, end)
                    || (after_pronoun(hay, start) && !hay[start..end].contains(char::is_lowercase)))
            {
                // "I DID IT": an acronym in a run of capitals is just shouting.
                pos = end;
                continue;
            }
            let ctx = Context {
                tokens: lazy.tokens(hay),
                rules: &self.compiled.rules,
            };
            let refused_end = match term.kind {
                Kind::Code => Some(end),
                Kind::Name => (!ctx.is_generic(start, end)).then_some(end),
                Kind::DiagnosedWith if ctx.is_generic(start, end) => None,
                Kind::DiagnosedWith => ctx.named_after(end),
                Kind::Involvement => {
                    (!ctx.is_generic(start, end) && !ctx.is_full_denial(start, end)).then_some(end)
                }
                // "People charged with possession deserve treatment": tied to offenders, but to
                // offenders in general.
                Kind::Offence => {
                    (ctx.is_offender(start, end) && !ctx.is_generic(start, end)).then_some(end)
                }
            };
            match refused_end {
                Some(refused_end) => {
                    let (s, e) = norm.original_span(start, refused_end);
                    findings.push(Finding {
                        field: field.to_owned(),
                        category: term.category,
                        phrase: text.chars().skip(s).take(e - s).collect(),
                        start: s,
                        end: e,
                    });
                    pos = refused_end.max(end);
                }
                None => pos = end,
            }
        }
        findings
    }
}

/// Work done only for texts that contain a candidate: most texts have none.
#[derive(Default)]
struct Lazy {
    exceptions: Option<Vec<(usize, usize)>>,
    tokens: Option<Vec<Token>>,
}

impl Lazy {
    fn exceptions(&mut self, compiled: &Compiled, hay: &str) -> &[(usize, usize)] {
        self.exceptions
            .get_or_insert_with(|| match &compiled.exceptions {
                Some(re) => whole_word_matches(re, hay),
                None => Vec::new(),
            })
    }

    fn tokens(&mut self, hay: &str) -> &[Token] {
        self.tokens.get_or_insert_with(|| tokenize(hay))
    }
}

/// A match must stand alone: no letter or digit directly before or after it. Checked here
/// rather than with `\b` so non-ASCII letters count as letters and the regex stays on its
/// fast engine (a Unicode `\b` falls off it as soon as the text holds one non-ASCII character).
fn on_word_boundaries(hay: &str, start: usize, end: usize) -> bool {
    let before = hay[..start].chars().next_back();
    let after = hay[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Every match of `re` that stands on word boundaries (like the terms: "locked up a" must not
/// match inside "locked up at").
fn whole_word_matches(re: &Patterns, hay: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut pos = 0;
    while pos < hay.len() {
        let Some(m) = re.find_at_word_starts(hay, pos) else {
            break;
        };
        let end = m.start()
            + hay[m.start()..m.end()]
                .trim_end_matches([' ', '-', '_', '/', '\n'])
                .len();
        if end > m.start() && on_word_boundaries(hay, m.start(), end) {
            found.push((m.start(), end));
            pos = end;
        } else {
            pos = next_char(hay, m.start());
        }
    }
    found
}

/// Whether most letters are capitals: then a capitalised acronym is no sign of an acronym.
fn mostly_capitals(hay: &str) -> bool {
    let (mut upper, mut letters) = (0usize, 0usize);
    for c in hay.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        upper += usize::from(c.is_uppercase());
    }
    letters >= 12 && upper * 10 >= letters * 7
}

/// Whether the word before or after the match is also written in capitals (two letters or more).
fn in_capitals(hay: &str, start: usize, end: usize) -> bool {
    let is_caps_word = |w: &str| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase)
    };
    let before = hay[..start].split_whitespace().next_back().unwrap_or("");
    let after = hay[end..].split_whitespace().next().unwrap_or("");
    is_caps_word(before) || is_caps_word(after)
}

/// "then I DID", "we ADD": after a pronoun, a capitalised acronym is a verb (not so for a match
/// that holds lowercase words too: "I have SAD").
fn after_pronoun(hay: &str, start: usize) -> bool {
    let before = hay[..start]
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        before.as_str(),
        "i" | "we" | "they" | "you" | "he" | "she" | "it"
    )
}

fn next_char(hay: &str, from: usize) -> usize {
    hay[from..]
        .chars()
        .next()
        .map_or(hay.len(), |c| from + c.len_utf8())
}

#[cfg(test)]
mod tests;
