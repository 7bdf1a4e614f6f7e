//! Scores the screening engine on the labelled corpus (tests/screening/corpus).
//!
//! The development part is what the rules were tuned on; the test part was written separately
//! and is only scored. Gates apply to the test part. `PEERHIRE_CORPUS_VERBOSE=1` lists the
//! development part's mistakes (never the test part's, so tuning cannot peek at it).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use std::collections::BTreeSet;
use std::path::PathBuf;

use peerhire::screening::{Category, Screener};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Item {
    id: String,
    field: String,
    text: String,
    verdict: String,
    categories: Vec<Category>,
    rule: String,
    hard: bool,
    phrases: Vec<String>,
}

#[derive(Debug, Default)]
struct Figures {
    /// rule → (caught or correctly accepted, total), for the per-rule table in docs/screening.md.
    by_rule: std::collections::BTreeMap<String, (usize, usize)>,
    refusals: usize,
    refusals_caught: usize,
    categories_right: usize,
    clean: usize,
    clean_refused: usize,
    hard: usize,
    hard_refused: usize,
    phrases: usize,
    phrases_found: usize,
}

impl Figures {
    fn recall(&self) -> f64 {
        ratio(self.refusals_caught, self.refusals)
    }
    fn clean_false_refusals(&self) -> f64 {
        ratio(self.clean_refused, self.clean)
    }
    fn hard_false_refusals(&self) -> f64 {
        ratio(self.hard_refused, self.hard)
    }
    fn category_accuracy(&self) -> f64 {
        ratio(self.categories_right, self.refusals_caught)
    }
    fn phrase_coverage(&self) -> f64 {
        ratio(self.phrases_found, self.phrases)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The files of each part: "dev" is what the rules were tuned on (written in eight rounds by
/// different authors, a ninth from public reference lists: terms of diagnostic and
/// criminal-justice glossaries put into first-person sentences, and a tenth in three parts whose
/// phrasing was modelled on real first-person narratives and on messy phone and
/// second-language writing, an eleventh: answers to the posting's own questions with the
/// disclosure in passing, and variants of each of the policy's examples, and a twelfth: pairs of
/// near-twins that differ in whose the words are, and an HR screener's and a lawyer's examples,
/// and a thirteenth of more near-twins and offences told as stories), "test" is held out.
fn files(part: &str) -> &'static [&'static str] {
    match part {
        "dev" => &[
            "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10a",
            "dev10b", "dev10c", "dev11a", "dev11b", "dev12a", "dev12b", "dev13a", "dev13b",
        ],
        _ => &["test"],
    }
}

fn corpus(part: &str) -> Vec<Item> {
    let mut items = Vec::new();
    for file in files(part) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/screening/corpus/{file}.jsonl"));
        for (i, line) in std::fs::read_to_string(&path).unwrap().lines().enumerate() {
            items.push(
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1)),
            );
        }
    }
    items
}

fn screener() -> Screener {
    Screener::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("forms/screening")).unwrap()
}

fn score(part: &str, screener: &Screener, verbose: bool) -> Figures {
    let mut f = Figures::default();
    for item in corpus(part) {
        let findings = screener.screen(&item.field, &item.text);
        let found: BTreeSet<Category> = findings.iter().map(|x| x.category).collect();
        let expected: BTreeSet<Category> = item.categories.iter().copied().collect();
        let correct_verdict = (item.verdict == "refuse") != found.is_empty();
        let entry = f.by_rule.entry(item.rule.clone()).or_default();
        entry.0 += usize::from(correct_verdict);
        entry.1 += 1;
        let mistake = if item.verdict == "refuse" {
            f.refusals += 1;
            for phrase in &item.phrases {
                f.phrases += 1;
                let start = item.text[..item.text.find(phrase.as_str()).unwrap()]
                    .chars()
                    .count();
                let end = start + phrase.chars().count();
                if findings.iter().any(|x| x.start < end && start < x.end) {
                    f.phrases_found += 1;
                }
            }
            if found.is_empty() {
                Some("missed")
            } else {
                f.refusals_caught += 1;
                if found == expected {
                    f.categories_right += 1;
                    None
                } else {
                    Some("wrong category")
                }
            }
        } else {
            let refused = !found.is_empty();
            if item.hard {
                f.hard += 1;
                f.hard_refused += usize::from(refused);
            } else {
                f.clean += 1;
                f.clean_refused += usize::from(refused);
            }
            refused.then_some("false refusal")
        };
        if let (true, Some(what)) = (verbose, mistake) {
            let phrases: Vec<_> = findings
                .iter()
                .map(|x| format!("{}:{}", x.category, x.phrase))
                .collect();
            eprintln!(
                "{} {what} [{}] {:?} → {phrases:?}",
                item.id, item.rule, item.text
            );
        }
    }
    f
}

fn report_rules(part: &str, f: &Figures) {
    let cells: Vec<String> = f
        .by_rule
        .iter()
        .map(|(rule, (ok, n))| format!("{rule} {ok}/{n}"))
        .collect();
    println!("{part:>4} by rule: {}", cells.join(", "));
}

fn report(part: &str, f: &Figures) {
    println!(
        "{part:>4}: recall {:.3} ({}/{}), false refusals clean {:.3} ({}/{}), hard negatives {:.3} ({}/{}), \
         category right {:.3}, phrases highlighted {:.3} ({}/{})",
        f.recall(),
        f.refusals_caught,
        f.refusals,
        f.clean_false_refusals(),
        f.clean_refused,
        f.clean,
        f.hard_false_refusals(),
        f.hard_refused,
        f.hard,
        f.category_accuracy(),
        f.phrase_coverage(),
        f.phrases_found,
        f.phrases,
    );
}

#[test]
fn the_corpus_is_large_enough_and_well_formed() {
    let all: Vec<Item> = corpus("dev").into_iter().chain(corpus("test")).collect();
    assert!(all.len() >= 600, "{} items", all.len());
    let hard = all
        .iter()
        .filter(|i| i.verdict == "accept" && i.hard)
        .count();
    assert!(hard >= 250, "{hard} hard negatives");
    let ids: BTreeSet<_> = all.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids.len(), all.len(), "ids are unique");
    for item in &all {
        assert!(
            matches!(item.verdict.as_str(), "refuse" | "accept"),
            "{}",
            item.id
        );
        assert_eq!(
            item.verdict == "refuse",
            !item.categories.is_empty(),
            "{}",
            item.id
        );
        for phrase in &item.phrases {
            assert!(
                item.text.contains(phrase.as_str()),
                "{}: {phrase:?}",
                item.id
            );
        }
    }
}

/// Recall of refusals the issue asks for on the held-out part: the gate.
const RECALL_TARGET: f64 = 0.98;

#[test]
fn screening_meets_its_gates_on_the_held_out_part() {
    let screener = screener();
    let verbose = std::env::var_os("PEERHIRE_CORPUS_VERBOSE").is_some();
    let dev = score("dev", &screener, verbose);
    let test = score("test", &screener, false);
    report("dev", &dev);
    report("test", &test);
    report_rules("dev", &dev);
    report_rules("test", &test);
    // 247 of 252 since the eleventh development round (docs/screening.md has the figures): no
    // margin, so a change that loses one held-out refusal fails here.
    assert!(
        test.recall() >= RECALL_TARGET,
        "recall of refusals {:.3} < {RECALL_TARGET}",
        test.recall()
    );
    assert!(
        test.clean_false_refusals() <= 0.02,
        "clean false refusals {:.3} > 0.02",
        test.clean_false_refusals()
    );
    assert!(
        test.hard_false_refusals() <= 0.03,
        "hard-negative false refusals {:.3} > 0.03",
        test.hard_false_refusals()
    );
    assert!(
        test.category_accuracy() >= 0.97,
        "category right {:.3} < 0.97",
        test.category_accuracy()
    );
}

/// `PEERHIRE_PROBE=FILE`: screens each line of FILE and prints the findings — for trying a
/// rule on sentences of one's own while tuning (never point it at the test part).
#[test]
fn probe() {
    let Some(path) = std::env::var_os("PEERHIRE_PROBE") else {
        return;
    };
    let screener = screener();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let findings: Vec<_> = screener
            .screen("q3", line)
            .iter()
            .map(|x| format!("{}:{}", x.category, x.phrase))
            .collect();
        println!("{findings:?} ← {line}");
    }
}
