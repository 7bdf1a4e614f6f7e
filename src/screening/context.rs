//! The words around a match decide whether it is about a specific person.
//!
//! Text is split into lowercase tokens with their sentence and clause; each rule looks at a few
//! tokens before or after the match. Rules are deliberately simple and listed in rules.toml.

use super::lexicon::{Rules, is_number};

#[derive(Debug)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sentence: u32,
    pub clause: u32,
}

/// Splits normalized text into word tokens (letters, digits, inner apostrophes).
pub fn tokenize(source: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let (mut sentence, mut clause) = (0u32, 0u32);
    let mut current: Option<(usize, String)> = None;
    let mut prev: Option<char> = None;
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let inner_apostrophe =
            c == '\'' && current.is_some() && next.is_some_and(char::is_alphanumeric);
        if c.is_alphanumeric() || inner_apostrophe {
            let entry = current.get_or_insert_with(|| (i, String::new()));
            entry.1.extend(c.to_lowercase());
        } else {
            if let Some((start, text)) = current.take() {
                tokens.push(Token {
                    text,
                    start,
                    end: i,
                    sentence,
                    clause,
                });
            }
            let spaced_dash = c == '-' && prev == Some(' ') && next == Some(' ');
            match c {
                '.' | '!' | '?' | ';' | '\n' => {
                    sentence += 1;
                    clause += 1;
                }
                ',' | ':' | '(' | ')' | '"' => clause += 1,
                _ if spaced_dash => clause += 1,
                _ => {}
            }
        }
        prev = Some(c);
    }
    if let Some((start, text)) = current.take() {
        tokens.push(Token {
            text,
            start,
            end: source.len(),
            sentence,
            clause,
        });
    }
    tokens
}

/// The tokens of one text and the rules, with the questions the screener asks of a match.
pub struct Context<'a> {
    pub tokens: &'a [Token],
    pub rules: &'a Rules,
}

impl Context<'_> {
    /// Index of the first token at or after byte `pos`.
    fn first_at_or_after(&self, pos: usize) -> usize {
        self.tokens.partition_point(|t| t.start < pos)
    }

    /// Up to `n` tokens before `pos` in the same sentence (or clause), in text order.
    fn before(&self, pos: usize, n: usize, same_clause: bool) -> Vec<&str> {
        let end = self.tokens.partition_point(|t| t.end <= pos);
        let Some(reference) = self.tokens.get(end).or_else(|| self.tokens.last()) else {
            return Vec::new();
        };
        let mut picked: Vec<&str> = self.tokens[..end]
            .iter()
            .rev()
            .take_while(|t| {
                if same_clause {
                    t.clause == reference.clause
                } else {
                    t.sentence == reference.sentence
                }
            })
            .take(n)
            .map(|t| t.text.as_str())
            .collect();
        picked.reverse();
        picked
    }

    /// Up to `n` tokens starting at `pos` in the same sentence.
    fn after(&self, pos: usize, n: usize, same_clause: bool) -> Vec<&str> {
        let first = self.first_at_or_after(pos);
        let Some(head) = self.tokens.get(first) else {
            return Vec::new();
        };
        let before_head = first.checked_sub(1).and_then(|i| self.tokens.get(i));
        let (sentence, clause) = match before_head {
            Some(t) if t.end <= pos => (t.sentence, t.clause),
            _ => (head.sentence, head.clause),
        };
        self.tokens[first..]
            .iter()
            .take_while(|t| {
                if same_clause {
                    t.clause == clause
                } else {
                    t.sentence == sentence
                }
            })
            .take(n)
            .map(|t| t.text.as_str())
            .collect()
    }

    /// Generic or professional use: a group ("people with …"), a topic ("a training on …") or a
    /// workplace ("volunteered at the …") before the match, with no specific person in between.
    pub fn is_generic(&self, start: usize, end: usize) -> bool {
        let r = self.rules;
        let rest = self.after(end, 24, false);
        if r.personal_after.any_in(&rest) {
            return false;
        }
        // "everyone hurt by my check fraud": a term that begins with its owner is that
        // person's, whatever group stands before it.
        let owner = self
            .tokens
            .get(self.first_at_or_after(start))
            .filter(|t| t.end <= end)
            .is_some_and(|t| matches!(t.text.as_str(), "my" | "his" | "her" | "their"));
        if owner {
            return false;
        }
        // "The PTSD clinic where I volunteer", "the drug court graduation I attended as a
        // mentor": the term names a place or an event, and the sentence goes on to say it is
        // the writer's work ("the fraud at the pharmacy where I worked" names neither).
        let names_a_place = rest.first().is_some_and(|w| r.institutions.contains(*w));
        if names_a_place && r.workplace_after.any_in(&rest[..rest.len().min(14)]) {
            return true;
        }
        // "justice-involved youth", "incarcerated people": a group right after the term.
        let after = self.after(end, 8, true);
        if after.first().is_some_and(|w| r.groups_after.contains(*w)) {
            return true;
        }
        let before = self.before(start, r.generic_window, false);
        // "an autism acceptance training", "an HIV testing event": the term names a cause or a
        // field — unless it is someone's ("my HIV testing").
        let owned = before
            .last()
            .is_some_and(|w| r.anchors.contains(*w) || w.ends_with("'s"));
        if !owned && r.compounds.match_at(&after, 0).is_some() {
            return true;
        }
        let mut workplace_possible = true;
        let mut quantity = false;
        let mut listed = false;
        for i in (0..before.len()).rev() {
            let word = before[i];
            if r.anchors.contains(word) {
                if self.in_relative_clause(&before, i) || self.taught(&before, i) {
                    continue;
                }
                return false;
            }
            // "I've dealt with a lot, including PTSD": a list marker says nothing of whose the
            // list is, so the search goes on past it; the list is generic only if nothing
            // earlier makes it the writer's ("conditions such as PTSD" stays generic).
            // "conditions like OCD" lists examples of a class, as "such as" does.
            let class_like = word == "like" && i >= 1 && r.classes.contains(before[i - 1]);
            if class_like
                || matches!(word, "including" | "includes" | "included" | "whether")
                || (word == "such" && before.get(i + 1) == Some(&"as"))
            {
                // "whether it was really PTSD": a dispute over one person's label.
                let disputed = word == "whether"
                    && before
                        .get(i + 1)
                        .is_some_and(|w| matches!(*w, "it" | "it's" | "its" | "this" | "that"));
                // "Yes, both. Including a bipolar 2 diagnosis.": a list that opens the
                // sentence goes on from the one before it, which is the writer's.
                let opens_sentence = word != "whether" && i == 0 && before.len() < r.generic_window;
                listed |= !disputed && !opens_sentence;
                continue;
            }
            if r.quantities
                .match_at(&before, i)
                .is_some_and(|len| i + len == before.len())
            {
                quantity = true;
                continue;
            }
            if r.workplace_stops.contains(word) {
                workplace_possible = false;
            }
            if r.groups.contains(word) {
                // "my kids visited me …": one's own family is specific people.
                let own_family = i >= 1
                    && matches!(before[i - 1], "my" | "his" | "her" | "our" | "their")
                    && matches!(
                        word,
                        "kids"
                            | "children"
                            | "folks"
                            | "parents"
                            | "parent"
                            | "families"
                            | "family"
                            | "moms"
                            | "dads"
                            | "sponsors"
                            | "grandparents"
                    );
                // "one of my peers has PTSD": one particular person of the group.
                let one_of = i >= 3
                    && before[i - 3] == "one"
                    && before[i - 2] == "of"
                    && matches!(
                        before[i - 1],
                        "my" | "the" | "our" | "his" | "her" | "their"
                    );
                // "I'm one of many people with …" counts the writer in.
                let writer_one_of = (1..=3).any(|k| {
                    i >= k + 2
                        && before[i - k - 1] == "of"
                        && before[i - k - 2] == "one"
                        && before[..i - k - 2]
                            .last()
                            .is_some_and(|w| matches!(*w, "i'm" | "im" | "am" | "was" | "i"))
                }) || (i >= 3
                    && before[i - 1] == "of"
                    && before[i - 2] == "one"
                    && matches!(before[i - 3], "i'm" | "im" | "am" | "was" | "i"));
                // "When I tell peers about the OUI that…": the group is whom the writer tells,
                // and what is told is the writer's.
                let told_by_writer = i >= 2
                    && matches!(
                        before[i - 1],
                        "tell" | "told" | "show" | "showed" | "remind" | "reminded" | "let"
                    )
                    && matches!(before[i - 2], "i" | "i'd" | "i'll" | "we");
                if own_family || one_of || writer_one_of || told_by_writer {
                    return false;
                }
                // "as someone with …", "as a woman with …" speak of the writer.
                let as_self = (i >= 1 && before[i - 1] == "as")
                    || (i >= 2
                        && before[i - 2] == "as"
                        && matches!(before[i - 1], "a" | "an" | "one"));
                return !as_self;
            }
            // "bring an AA meeting into the jail" is a workplace; "addiction brought jail" is not.
            let brings_nothing = matches!(word, "bring" | "brought" | "bringing")
                && before
                    .get(i + 1)
                    .is_none_or(|w| matches!(*w, "me" | "him" | "her" | "us" | "them" | "my"));
            // "out of work for a year", "couldn't work for months": no workplace at all.
            let not_working = (i >= 2 && before[i - 2] == "out" && before[i - 1] == "of")
                || (i >= 1
                    && (matches!(before[i - 1], "not" | "never" | "cannot" | "unable")
                        || is_nt(before[i - 1])
                        || before[i - 1].ends_with("n't")))
                || (i >= 2 && before[i - 2] == "unable" && before[i - 1] == "to");
            if (workplace_possible && r.topics.match_at(&before, i).is_some())
                || (workplace_possible
                    && !brings_nothing
                    && !not_working
                    && r.workplace.match_at(&before, i).is_some()
                    && !after_possessive(&before, i))
            {
                return true;
            }
        }
        if quantity || listed {
            return true;
        }
        // "PTSD is common among veterans": a general statement — unless the rest of the clause
        // brings the writer in ("autism looks different for me").
        let brings_writer_in = after.iter().any(|w| {
            matches!(
                *w,
                "me" | "my" | "myself" | "mine" | "i" | "i'm" | "im" | "i've" | "ive" | "i'd"
            )
        });
        // "The PTSD is not as bad as it was": a general statement names the condition bare;
        // with "the" it is one particular person's.
        let definite = before.last().is_some_and(|w| *w == "the");
        r.generic_after.match_at(&after, 0).is_some() && !brings_writer_in && !definite
    }

    /// "the folks I'd work with", "people we serve": a subject pronoun right after a group word,
    /// followed by a verb of working with them, describes the group — not the writer.
    fn in_relative_clause(&self, before: &[&str], i: usize) -> bool {
        let r = self.rules;
        if !matches!(
            before[i],
            "i" | "i'd" | "i'll" | "i've" | "we" | "we'd" | "we'll" | "we've"
        ) {
            return false;
        }
        let group_before = match i {
            0 => false,
            _ if r.groups.contains(before[i - 1]) => true,
            // "the trainings I've done covered …": a topic described by the writer's part in it.
            _ if r.topics.match_at(before, i - 1) == Some(1) => true,
            _ => {
                i >= 2
                    && matches!(before[i - 1], "who" | "that" | "whom")
                    && r.groups.contains(before[i - 2])
            }
        };
        let verb = before[i + 1..].iter().find(|w| {
            !matches!(
                **w,
                "will" | "would" | "could" | "might" | "get" | "to" | "now"
            )
        });
        group_before && verb.is_some_and(|v| r.relative_verbs.contains(*v))
    }

    /// "First Aid taught me the signs of psychosis": me/us as the one taught.
    fn taught(&self, before: &[&str], i: usize) -> bool {
        matches!(before[i], "me" | "us")
            && i >= 1
            && self.rules.teaching_verbs.contains(before[i - 1])
    }

    /// A full denial: a negation shortly before, and nothing that makes it partial
    /// ("never arrested" yes; "no arrests since 2016" no).
    pub fn is_full_denial(&self, start: usize, end: usize) -> bool {
        let r = self.rules;
        let before = self.before(start, r.denial_window, true);
        // The last negation governs: "never arrested and never had any trouble with the law".
        let Some(negation) = before
            .iter()
            .rposition(|w| r.negations.contains(*w) || w.ends_with("n't") || is_nt(w))
        else {
            return false;
        };
        // "I won't get into my criminal past" declines to discuss; it denies nothing. And the
        // negation must govern the term: "not proud of my past convictions" denies nothing.
        if r.not_denial.any_in(&before[negation..]) {
            return false;
        }
        if !before[negation + 1..]
            .iter()
            .all(|w| r.denial_between.contains(*w))
        {
            return false;
        }
        let whole_before = self.before(start, 64, true);
        let after = self.after(end, 64, true);
        // The term itself may be the limit: "no felonies" leaves the misdemeanours.
        let own: Vec<&str> = self.tokens[self.first_at_or_after(start)..]
            .iter()
            .take_while(|t| t.start < end)
            .map(|t| t.text.as_str())
            .collect();
        !(r.partial.any_in(&whole_before)
            || r.partial.any_in(&own)
            || r.partial.any_in(&after)
            || self.next_clause_qualifies(end))
    }

    /// "I've never been to prison, only county": the clause after the term limits the denial.
    fn next_clause_qualifies(&self, end: usize) -> bool {
        let first = self.first_at_or_after(end);
        let Some(last_of_term) = first.checked_sub(1).and_then(|i| self.tokens.get(i)) else {
            return false;
        };
        let (clause, sentence) = (last_of_term.clause, last_of_term.sentence);
        let next = self.tokens[first..]
            .iter()
            .find(|t| t.clause != clause && t.sentence == sentence);
        next.is_some_and(|t| {
            matches!(
                t.text.as_str(),
                "only" | "except" | "besides" | "apart" | "unless"
            )
        })
    }

    /// An offence tied to an offender: "charged with theft", "my theft conviction".
    pub fn is_offender(&self, start: usize, end: usize) -> bool {
        let r = self.rules;
        let before = self.before(start, 5, true);
        let after = self.after(end, 8, false);
        let ends_in_context = |words: &[&str]| {
            (0..words.len()).any(|i| {
                r.offence_before
                    .match_at(words, i)
                    .is_some_and(|len| i + len == words.len())
            })
        };
        // "picked up for the burglary", "charged with that theft": a determiner between the
        // context and the offence does not untie them.
        let determiner = before.last().is_some_and(|w| {
            matches!(
                *w,
                "a" | "an" | "the" | "that" | "this" | "those" | "these" | "some" | "one"
            )
        });
        let before_hit = ends_in_context(&before[before.len().saturating_sub(4)..])
            || (determiner && ends_in_context(&before[..before.len() - 1]));
        // "Theft, 2015." — an offence dated like an entry on a record.
        let dated = after.first().is_some_and(|w| {
            w.len() == 4 && (w.starts_with("19") || w.starts_with("20")) && is_number(w)
        });
        before_hit
            || r.offence_after.match_at(&after, 0).is_some()
            || starts_with_count(&after, r)
            || dated
    }

    /// For "diagnosed with …": the byte end of the named thing, or `None` when nothing is named
    /// ("diagnosed with a mental illness", "never diagnosed with anything").
    pub fn named_after(&self, end: usize) -> Option<usize> {
        let r = self.rules;
        let first = self.first_at_or_after(end);
        let clause = self.tokens.get(first)?.clause;
        let prior_clause = first.checked_sub(1).map(|i| self.tokens[i].clause);
        if prior_clause.is_some_and(|c| c != clause) {
            return None;
        }
        for t in self.tokens[first..]
            .iter()
            .take_while(|t| t.clause == clause)
            .take(6)
        {
            if r.fillers.contains(&t.text) {
                continue;
            }
            if r.unnamed.contains(&t.text) || is_number(&t.text) {
                return None;
            }
            return Some(t.end);
        }
        None
    }
}

/// "my old counselor", "the officer who…", "the guards at county": a role acting on the writer,
/// not a workplace — a role counts only when someone is said to hold it ("as a nurse", "I was a
/// CO", "my husband is a corrections officer", "a former officer").
fn after_possessive(before: &[&str], i: usize) -> bool {
    let role = matches!(
        before[i],
        "counselor"
            | "nurse"
            | "teacher"
            | "coach"
            | "officer"
            | "officers"
            | "staff"
            | "deputy"
            | "guard"
            | "guards"
            | "chaplain"
            | "advocate"
            | "facilitator"
    );
    let writer_holds = before[i.saturating_sub(4)..i].iter().any(|w| {
        matches!(
            *w,
            "as" | "was"
                | "am"
                | "i'm"
                | "im"
                | "is"
                | "are"
                | "were"
                | "he's"
                | "she's"
                | "works"
                | "worked"
                | "work"
                | "working"
                | "job"
                | "career"
                | "became"
                | "become"
                | "becoming"
                | "retired"
                | "former"
                | "ex"
                | "been"
                | "i've"
                | "ive"
                | "being"
                | "years"
                | "trained"
                // "I coach basketball at the youth detention center": a verb, not a role.
                | "i"
                | "we"
                | "i'll"
                | "i'd"
                | "be"
        )
    });
    role && !writer_holds
}

fn is_nt(word: &str) -> bool {
    matches!(
        word,
        "dont"
            | "didnt"
            | "doesnt"
            | "havent"
            | "hasnt"
            | "hadnt"
            | "wasnt"
            | "werent"
            | "isnt"
            | "arent"
            | "cant"
            | "wont"
            | "couldnt"
            | "wouldnt"
            | "shouldnt"
            | "aint"
    )
}

/// "theft, two counts" — a count of charges right after the offence.
fn starts_with_count(after: &[&str], _rules: &Rules) -> bool {
    matches!(after, [n, "counts" | "count", ..] if is_number(n))
}
