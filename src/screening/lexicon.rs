//! The lexicon and context rules, read from `forms/screening/` and compiled once at start.
//!
//! Phrases are written in a small language HR and counsel can read (see docs/screening.md):
//! a space matches any run of spaces, hyphens, slashes or underscores — or nothing, so
//! `bi polar` matches "bipolar", "bi-polar" and "bi polar"; `*` after a word matches any further
//! letters; `'` is optional; `#` is a number in digits or words; `(a|b)` and `?` group and make
//! optional. Entries that need more use `regex` (Rust regex syntax, matched case-insensitively).

use std::collections::{BTreeMap, HashSet};

use regex_syntax::hir::Hir;
use serde::Deserialize;

use super::Category;
use super::fuzzy::Fuzzy;
use super::search::Patterns;

/// A mistake in the lexicon or rules file: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    pub place: String,
    pub problem: String,
}

impl std::fmt::Display for LexiconError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.problem)
    }
}

fn err(place: impl Into<String>, problem: impl Into<String>) -> LexiconError {
    LexiconError {
        place: place.into(),
        problem: problem.into(),
    }
}

/// How a matched term is judged in its context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A diagnosis code (ICD/DSM): refused wherever it stands, unless an exception covers it.
    Code,
    /// A named diagnosis: refused unless used generically ("people with …", "a training on …").
    Name,
    /// "diagnosed with", "dx of": refused when a name follows, not for "a mental illness".
    DiagnosedWith,
    /// Contact with the justice system: refused unless generic, a workplace, or a full denial.
    Involvement,
    /// An offence that can also be suffered ("theft", "assault"): refused only when tied to an
    /// offender ("charged with theft", "my theft conviction").
    Offence,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    /// Named vocabularies (`facility = "warren|windham|…"`), used in phrases as `{facility}`.
    #[serde(default)]
    sets: BTreeMap<String, String>,
    terms: Vec<TermFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermFile {
    category: Category,
    kind: Kind,
    #[serde(default)]
    phrases: Vec<String>,
    /// Matched with case as written: short acronyms that are everyday words in lowercase.
    #[serde(default)]
    case_sensitive: bool,
    #[serde(default)]
    regex: Vec<String>,
    #[serde(default)]
    #[expect(dead_code, reason = "documentation for people editing the file")]
    note: Option<String>,
}

/// Word lists for the context rules (forms/screening/rules.toml).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    pub exceptions: PhraseList,
    pub generic: Generic,
    pub anchors: WordList,
    pub denial: Denial,
    pub offence: OffenceContext,
    pub diagnosed_with: DiagnosedWithRule,
    #[serde(default)]
    pub fuzzy: FuzzyRule,
}

/// Misspellings of the lexicon's words, corrected before matching (src/screening/fuzzy.rs).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuzzyRule {
    /// The words, spelled right.
    #[serde(default)]
    pub words: Vec<String>,
    /// Listed words shorter than this are matched as spelled only.
    pub min_length: usize,
    /// Listed words this long or longer also match two edits away.
    pub two_edits_from: usize,
    /// Real words that are that close to a listed one: never taken for a misspelling.
    #[serde(default)]
    pub not: Vec<String>,
}

impl Default for FuzzyRule {
    fn default() -> Self {
        Self {
            words: Vec::new(),
            min_length: 6,
            two_edits_from: 10,
            not: Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhraseList {
    #[serde(default)]
    pub phrases: Vec<String>,
    #[serde(default)]
    pub regex: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordList {
    pub words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Generic {
    /// How many words before a term are searched for a marker.
    pub window: usize,
    pub groups: Vec<String>,
    /// "a lot of diabetes": generic right before a term, when no specific person came before.
    #[serde(default)]
    pub quantities: Vec<String>,
    /// Groups that can stand right after a term as the noun it describes ("justice-involved
    /// youth"); pronouns such as "everyone" cannot ("the ankle monitor everyone saw").
    #[serde(default)]
    pub groups_after: Vec<String>,
    /// "the folks I'd work with": a pronoun in a clause that describes a group.
    #[serde(default)]
    pub relative_verbs: Vec<String>,
    /// "a training taught me …": after these, "me" and "us" do not make the text personal.
    #[serde(default)]
    pub teaching_verbs: Vec<String>,
    pub topics: Vec<String>,
    pub workplace: Vec<String>,
    pub workplace_stops: Vec<String>,
    pub after: Vec<String>,
    /// Nouns a term can describe as a cause or a field: "autism acceptance training", "an HIV
    /// testing event". Generic even beside the writer, unless a possessive stands right before.
    #[serde(default)]
    pub compounds: Vec<String>,
    pub personal_after: Vec<String>,
    /// After a term, the writer's work: "the PTSD clinic where I volunteer".
    #[serde(default)]
    pub workplace_after: Vec<String>,
    /// Nouns right after a term that make it the name of a place or an event ("clinic").
    #[serde(default)]
    pub institutions: Vec<String>,
    /// Nouns before "like" that make it a list of examples ("conditions like OCD").
    #[serde(default)]
    pub classes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Denial {
    pub window: usize,
    pub not_denial: Vec<String>,
    pub between: Vec<String>,
    pub negations: Vec<String>,
    pub partial: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffenceContext {
    pub before: Vec<String>,
    pub after: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosedWithRule {
    pub fillers: Vec<String>,
    pub unnamed: Vec<String>,
}

/// One pattern of the combined matcher and what it stands for.
#[derive(Debug, Clone)]
pub struct Term {
    pub category: Category,
    pub kind: Kind,
    pub case_sensitive: bool,
}

/// The compiled patterns and, by pattern id, the term each pattern stands for.
pub struct Matcher {
    pub patterns: Patterns,
    pub info: Vec<Term>,
}

/// Everything compiled: the term matchers, the exception matcher, and the word sets.
pub struct Compiled {
    /// Run on the ASCII-lowercased text.
    pub terms: Matcher,
    /// Case-sensitive acronyms, run on the text as typed.
    pub exact_terms: Option<Matcher>,
    /// Run on the lowercased text; `None` when the rules list no exceptions.
    pub exceptions: Option<Patterns>,
    /// Misspellings of the lexicon's words, corrected before matching.
    pub fuzzy: Fuzzy,
    pub rules: Rules,
}

/// Context word lists as sets of lowercase words (multi-word entries as space-joined strings).
#[derive(Debug)]
pub struct Rules {
    pub generic_window: usize,
    pub groups: HashSet<String>,
    pub groups_after: HashSet<String>,
    pub quantities: WordSet,
    pub relative_verbs: HashSet<String>,
    pub teaching_verbs: HashSet<String>,
    pub topics: WordSet,
    pub workplace: WordSet,
    pub workplace_stops: HashSet<String>,
    pub generic_after: WordSet,
    pub compounds: WordSet,
    pub personal_after: WordSet,
    pub workplace_after: WordSet,
    pub institutions: HashSet<String>,
    pub classes: HashSet<String>,
    pub anchors: HashSet<String>,
    pub denial_window: usize,
    pub not_denial: WordSet,
    pub denial_between: HashSet<String>,
    pub negations: HashSet<String>,
    pub partial: WordSet,
    pub offence_before: WordSet,
    pub offence_after: WordSet,
    pub fillers: HashSet<String>,
    pub unnamed: HashSet<String>,
}

/// Single words and multi-word sequences, matched against the token stream.
#[derive(Debug, Default)]
pub struct WordSet {
    pub sequences: Vec<Vec<String>>,
}

impl WordSet {
    fn new(entries: &[String]) -> Self {
        let mut sequences: Vec<Vec<String>> = entries
            .iter()
            .map(|e| {
                e.split_whitespace()
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .filter(|s| !s.is_empty())
            .collect();
        sequences.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Self { sequences }
    }

    /// Whether a sequence starts at `tokens[i]`; returns its length. `#` in an entry stands
    /// for any number, in digits or words.
    pub fn match_at(&self, tokens: &[&str], i: usize) -> Option<usize> {
        self.sequences.iter().find_map(|seq| {
            let fits = tokens.get(i..i + seq.len()).is_some_and(|t| {
                t.iter()
                    .zip(seq)
                    .all(|(a, b)| a == b || (b == "#" && is_number(a)))
            });
            fits.then_some(seq.len())
        })
    }

    /// Whether any sequence lies wholly inside `tokens`.
    pub fn any_in(&self, tokens: &[&str]) -> bool {
        (0..tokens.len()).any(|i| self.match_at(tokens, i).is_some())
    }
}

/// A token that is a count: digits, or a number word.
pub fn is_number(token: &str) -> bool {
    const WORDS: [&str; 28] = [
        "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "fifteen", "eighteen", "twenty", "thirty", "forty", "fifty", "sixty",
        "ninety", "hundred", "few", "couple", "several", "many", "some",
    ];
    token.bytes().all(|b| b.is_ascii_digit()) || WORDS.contains(&token)
}

fn word_set(entries: &[String]) -> HashSet<String> {
    entries.iter().map(|w| w.trim().to_lowercase()).collect()
}

const SEPARATOR: &str = r"[\s\-_/]*";
const NUMBER: &str = "(?:[0-9]+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred|hundred|a few|few|a couple|couple|a couple of|couple of|several|some)";

/// Reorders every `(a|b|c)` group so longer alternatives come first. The matcher takes the first
/// alternative that fits ("leftmost-first"), so `(i|ii)` would stop at "i" in "bipolar ii".
fn longest_first(phrase: &str) -> String {
    fn split_top(inner: &str) -> Vec<String> {
        let (mut parts, mut depth, mut current) = (Vec::new(), 0i32, String::new());
        for c in inner.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                '|' if depth == 0 => {
                    parts.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
            current.push(c);
        }
        parts.push(current);
        parts
    }
    let chars: Vec<char> = phrase.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '(' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let (mut depth, mut j) = (0i32, i);
        while j < chars.len() {
            match chars[j] {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        if j >= chars.len() {
            // Unbalanced: leave it for phrase_to_regex to report.
            out.extend(&chars[i..]);
            break;
        }
        let inner: String = chars[i + 1..j].iter().collect();
        let mut parts: Vec<String> = split_top(&inner).iter().map(|p| longest_first(p)).collect();
        parts.sort_by_key(|p| std::cmp::Reverse(p.len()));
        out.push('(');
        out.push_str(&parts.join("|"));
        out.push(')');
        i = j + 1;
    }
    out
}

/// Replaces every `{name}` in a phrase by the set's alternatives, `(a|b|c)`; sets may use other
/// sets.
pub fn expand_sets(phrase: &str, sets: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = phrase.to_owned();
    for _ in 0..8 {
        let Some(open) = out.find('{') else {
            return Ok(out);
        };
        let Some(len) = out[open..].find('}') else {
            return Err("has a `{` without its `}`".into());
        };
        let name = &out[open + 1..open + len];
        let Some(value) = sets.get(name) else {
            return Err(format!(
                "uses the set {{{name}}}, which [sets] does not define"
            ));
        };
        out = format!("{}({}){}", &out[..open], value, &out[open + len + 1..]);
    }
    Err("nests sets too deeply".into())
}

/// Whether every match of a phrase ends on a letter or digit, so the pattern can require a
/// word boundary right after it. Without that, a phrase that matches the start of a longer
/// word ("summons" in "summonsed", "bipolar i" in "bipolar in") hides every other phrase that
/// would match there.
fn ends_in_word_char(phrase: &str) -> bool {
    /// (can match nothing, may end on a character that is not a letter or digit)
    fn sequence(chars: &[char]) -> (bool, bool) {
        let mut atoms: Vec<(bool, bool)> = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '(' => {
                    let (mut depth, mut j) = (0i32, i);
                    while j < chars.len() {
                        match chars[j] {
                            '(' => depth += 1,
                            ')' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                    let inner = &chars[i + 1..j.min(chars.len())];
                    let (mut nullable, mut bad) = (false, false);
                    let mut depth = 0i32;
                    let mut start = 0;
                    for k in 0..=inner.len() {
                        let split = k == inner.len()
                            || match inner[k] {
                                '(' => {
                                    depth += 1;
                                    false
                                }
                                ')' => {
                                    depth -= 1;
                                    false
                                }
                                '|' => depth == 0,
                                _ => false,
                            };
                        if split {
                            let (n, b) = sequence(&inner[start..k]);
                            nullable |= n;
                            bad |= b;
                            start = k + 1;
                        }
                    }
                    i = j + 1;
                    if chars.get(i) == Some(&'?') {
                        nullable = true;
                        i += 1;
                    }
                    atoms.push((nullable, bad));
                    continue;
                }
                '?' => {
                    if let Some(last) = atoms.last_mut() {
                        last.0 = true;
                    }
                }
                '*' => {}
                ' ' | '\'' => atoms.push((true, true)),
                '#' => atoms.push((false, false)),
                c => atoms.push((false, !c.is_ascii_alphanumeric())),
            }
            i += 1;
        }
        let mut bad = false;
        for &(nullable, b) in atoms.iter().rev() {
            bad |= b;
            if !nullable {
                return (false, bad);
            }
        }
        (true, bad)
    }
    let chars: Vec<char> = phrase.trim().chars().collect();
    let (nullable, bad) = sequence(&chars);
    !nullable && !bad
}

/// Turns a phrase of the lexicon language into a regular expression.
pub fn phrase_to_regex(phrase: &str) -> Result<String, String> {
    let sorted = longest_first(phrase.trim());
    let phrase = sorted.as_str();
    if phrase.is_empty() {
        return Err("is empty".into());
    }
    let mut out = String::with_capacity(phrase.len() * 3);
    let mut depth = 0i32;
    let mut last_was_space = false;
    for c in phrase.chars() {
        if c == ' ' {
            if !last_was_space {
                out.push_str(SEPARATOR);
            }
            last_was_space = true;
            continue;
        }
        last_was_space = false;
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => out.push(c),
            '*' => out.push_str("[a-z]*"),
            '\'' => out.push_str("'?"),
            '#' => out.push_str(NUMBER),
            '(' => {
                depth += 1;
                out.push_str("(?:");
            }
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return Err("has a `)` without its `(`".into());
                }
                out.push(')');
            }
            '|' | '?' => out.push(c),
            '.' | '+' | '&' | '-' | ':' | ',' => {
                out.push('\\');
                out.push(c);
            }
            other => {
                return Err(format!(
                    "uses {other:?}; write letters, digits, spaces and ( | ) ? * ' #"
                ));
            }
        }
    }
    if depth != 0 {
        return Err("has a `(` without its `)`".into());
    }
    Ok(out)
}

/// Parses one pattern, so a syntax error names the entry it comes from. Parsed once and only
/// parsed: compiling each of a thousand patterns on its own to check it took three quarters of
/// start-up (0.4 s); the combined build below still reports a pattern too large to compile.
fn parse_pattern(place: &str, pattern: &str) -> Result<Hir, LexiconError> {
    regex_automata::util::syntax::parse(pattern)
        .map_err(|e| err(place, format!("is not a valid pattern: {e}")))
}

fn build(patterns: &[Hir], place: &str) -> Result<Patterns, LexiconError> {
    Patterns::new(patterns).map_err(|e| err(place, format!("cannot be compiled: {e}")))
}

/// Compiles both files. `lexicon` and `rules` are the TOML texts.
pub fn compile(lexicon: &str, rules: &str) -> Result<Compiled, LexiconError> {
    let lexicon: LexiconFile = toml::from_str(lexicon)
        .map_err(|e| err(toml_place("lexicon.toml", lexicon, &e), e.message()))?;
    let rules_file: RulesFile =
        toml::from_str(rules).map_err(|e| err(toml_place("rules.toml", rules, &e), e.message()))?;

    // Two matchers: most terms run on the lowercased text without a case-insensitive flag (a
    // smaller automaton than one that folds case itself); the few case-sensitive acronyms run on
    // the text as typed. Within each, longer phrases come first, so "bipolar disorder" wins over
    // "bipolar" when both start at the same place.
    let mut folded: Vec<(usize, Hir, Term)> = Vec::new();
    let mut exact: Vec<(usize, Hir, Term)> = Vec::new();
    for (i, term) in lexicon.terms.iter().enumerate() {
        if term.phrases.is_empty() && term.regex.is_empty() {
            return Err(err(
                format!("lexicon.toml: terms[{i}]"),
                "has neither phrases nor regex",
            ));
        }
        let info = Term {
            category: term.category,
            kind: term.kind,
            case_sensitive: term.case_sensitive,
        };
        let target = if term.case_sensitive {
            &mut exact
        } else {
            &mut folded
        };
        for (j, phrase) in term.phrases.iter().enumerate() {
            let place = format!("lexicon.toml: terms[{i}].phrases[{j}] ({phrase:?})");
            let phrase = expand_sets(phrase, &lexicon.sets).map_err(|p| err(&place, p))?;
            let written = if term.case_sensitive {
                phrase.clone()
            } else {
                phrase.to_lowercase()
            };
            // Names and offences also match their plural: "manic episodes", "burglaries".
            let plural = matches!(term.kind, Kind::Name | Kind::Offence)
                && !term.case_sensitive
                && written.ends_with(|c: char| c.is_ascii_alphabetic());
            let body = phrase_to_regex(&written).map_err(|p| err(&place, p))?;
            let suffix = if plural { "(?:es|s)?" } else { "" };
            let boundary = if ends_in_word_char(&written) {
                r"\b"
            } else {
                ""
            };
            let pattern = format!("(?-u)(?:{body}){suffix}{boundary}");
            target.push((phrase.len(), parse_pattern(&place, &pattern)?, info.clone()));
        }
        for (j, source) in term.regex.iter().enumerate() {
            let place = format!("lexicon.toml: terms[{i}].regex[{j}]");
            let flags = if term.case_sensitive {
                "(?-u)"
            } else {
                "(?i-u)"
            };
            let pattern = format!("{flags}(?:{source})");
            target.push((usize::MAX, parse_pattern(&place, &pattern)?, info.clone()));
        }
    }
    let matcher = |mut entries: Vec<(usize, Hir, Term)>| -> Result<Option<Matcher>, LexiconError> {
        if entries.is_empty() {
            return Ok(None);
        }
        entries.sort_by_key(|(len, ..)| std::cmp::Reverse(*len));
        let (patterns, info): (Vec<Hir>, Vec<Term>) =
            entries.into_iter().map(|(_, p, t)| (p, t)).unzip();
        Ok(Some(Matcher {
            patterns: build(&patterns, "lexicon.toml")?,
            info,
        }))
    };
    let Some(terms) = matcher(folded)? else {
        return Err(err("lexicon.toml", "lists no case-insensitive term"));
    };
    let exact_terms = matcher(exact)?;

    let mut exception_patterns = Vec::new();
    for (j, phrase) in rules_file.exceptions.phrases.iter().enumerate() {
        let place = format!("rules.toml: exceptions.phrases[{j}] ({phrase:?})");
        let phrase = expand_sets(phrase, &lexicon.sets).map_err(|p| err(&place, p))?;
        let pattern = format!(
            "(?-u)(?:{})",
            phrase_to_regex(&phrase.to_lowercase()).map_err(|p| err(&place, p))?
        );
        exception_patterns.push(parse_pattern(&place, &pattern)?);
    }
    for (j, source) in rules_file.exceptions.regex.iter().enumerate() {
        let place = format!("rules.toml: exceptions.regex[{j}]");
        let pattern = format!("(?i-u)(?:{source})");
        exception_patterns.push(parse_pattern(&place, &pattern)?);
    }
    let exceptions = match exception_patterns.is_empty() {
        true => None,
        false => Some(build(&exception_patterns, "rules.toml: exceptions")?),
    };

    let r = rules_file;
    let fuzzy = Fuzzy::new(
        &r.fuzzy.words,
        &r.fuzzy.not,
        r.fuzzy.min_length.max(4),
        r.fuzzy.two_edits_from.max(r.fuzzy.min_length.max(4)),
    );
    if r.generic.window == 0 || r.denial.window == 0 {
        return Err(err("rules.toml", "windows must be at least one word"));
    }
    let rules = Rules {
        generic_window: r.generic.window,
        groups: word_set(&r.generic.groups),
        groups_after: word_set(&r.generic.groups_after),
        quantities: WordSet::new(&r.generic.quantities),
        relative_verbs: word_set(&r.generic.relative_verbs),
        teaching_verbs: word_set(&r.generic.teaching_verbs),
        topics: WordSet::new(&r.generic.topics),
        workplace: WordSet::new(&r.generic.workplace),
        workplace_stops: word_set(&r.generic.workplace_stops),
        generic_after: WordSet::new(&r.generic.after),
        compounds: WordSet::new(&r.generic.compounds),
        personal_after: WordSet::new(&r.generic.personal_after),
        workplace_after: WordSet::new(&r.generic.workplace_after),
        institutions: word_set(&r.generic.institutions),
        classes: word_set(&r.generic.classes),
        anchors: word_set(&r.anchors.words),
        denial_window: r.denial.window,
        not_denial: WordSet::new(&r.denial.not_denial),
        denial_between: word_set(&r.denial.between),
        negations: word_set(&r.denial.negations),
        partial: WordSet::new(&r.denial.partial),
        offence_before: WordSet::new(&r.offence.before),
        offence_after: WordSet::new(&r.offence.after),
        fillers: word_set(&r.diagnosed_with.fillers),
        unnamed: word_set(&r.diagnosed_with.unnamed),
    };
    Ok(Compiled {
        terms,
        exact_terms,
        exceptions,
        fuzzy,
        rules,
    })
}

fn toml_place(file: &str, source: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => {
            let before = &source[..span.start.min(source.len())];
            let line = before.matches('\n').count() + 1;
            format!("{file}: line {line}")
        }
        None => file.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(phrase: &str, text: &str) -> bool {
        let re =
            regex::Regex::new(&format!("(?i)^(?:{})$", phrase_to_regex(phrase).unwrap())).unwrap();
        re.is_match(text)
    }

    #[test]
    fn a_space_matches_separators_or_nothing() {
        for text in ["bipolar", "bi polar", "bi-polar", "bi  polar", "BI_POLAR"] {
            assert!(matches("bi polar", text), "{text}");
        }
        assert!(!matches("bi polar", "bi.polar"));
    }

    #[test]
    fn star_apostrophe_number_and_groups() {
        assert!(matches("schizophreni*", "schizophrenic"));
        assert!(matches("tourette's", "tourettes"));
        assert!(matches("tourette's", "Tourette's"));
        assert!(matches("did # years", "did 3 years"));
        assert!(matches("did # years", "did three years"));
        assert!(matches("bi polar( (1|2|i|ii))?", "bipolar 2"));
        assert!(matches("bi polar( (1|2|i|ii))?", "bipolar2"));
        assert!(matches("(an? )?eating disorder", "an eating disorder"));
    }

    #[test]
    fn longer_alternatives_are_tried_first() {
        assert_eq!(longest_first("bipolar (i|ii)"), "bipolar (ii|i)");
        assert_eq!(longest_first("(a|bb (c|dd))"), "(bb (dd|c)|a)");
        assert!(matches("bi polar( (i|ii))?", "bipolar ii"));
    }

    #[test]
    fn bad_phrases_are_refused_with_a_reason() {
        assert!(phrase_to_regex("").is_err());
        assert!(phrase_to_regex("a (b").unwrap_err().contains("`(`"));
        assert!(phrase_to_regex("a b)").unwrap_err().contains("`)`"));
        assert!(phrase_to_regex("[x]").unwrap_err().contains("'['"));
    }
}
