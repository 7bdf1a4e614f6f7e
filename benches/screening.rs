//! Screening speed: one ~1,000-character answer against the full lexicon.
//! `cargo bench --bench screening`; figures are recorded in docs/performance.md.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use peerhire::screening::Screener;

/// About 1 KB of a realistic answer with no finding (the common case: the whole text is scanned).
fn clean_ascii() -> String {
    let sentence = "When fear gets loud I will remind a peer of the small things that already went right, \
                    ask what they hope for this week, and share how hope came back to me one ordinary day at a time. ";
    sentence.repeat(5)
}

fn main_benches(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("forms/screening");
    let screener = Screener::load(&dir).expect("the lexicon loads");

    let ascii = clean_ascii();
    let unicode = ascii
        .replace("fear", "fëar")
        .replace("hope", "hopé")
        .replace("I will", "I’ll");
    let refused = format!(
        "{} My P.T.S.D. and a stint in the county jail taught me.",
        &ascii[..900]
    );
    eprintln!(
        "inputs: ascii {} chars, unicode {} chars, refused {} chars; lexicon {} patterns",
        ascii.chars().count(),
        unicode.chars().count(),
        refused.chars().count(),
        screener.pattern_count()
    );

    c.bench_function("screen 1 KB clean ASCII", |b| {
        b.iter(|| screener.screen("q3", black_box(&ascii)))
    });
    c.bench_function("screen 1 KB clean non-ASCII", |b| {
        b.iter(|| screener.screen("q3", black_box(&unicode)))
    });
    c.bench_function("screen 1 KB with two findings", |b| {
        b.iter(|| screener.screen("q3", black_box(&refused)))
    });
}

criterion_group!(benches, main_benches);
criterion_main!(benches);
