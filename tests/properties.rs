//! Property tests (proptest) on every domain parser, the forms loader and the screening engine:
//! no input makes them panic, and what they return keeps its promises — screening offsets are
//! character offsets inside the text that point at the reported phrase.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use peerhire::domain::sentences::count_sentences;
use peerhire::domain::{
    Application, ApplicationInput, EmailAddress, NewPassword, PersonName, PhoneNumber, Posting,
    Reference, Slug, Stage,
};
use peerhire::forms::Forms;
use peerhire::screening::Screener;
use proptest::prelude::*;

fn forms() -> &'static Forms {
    static FORMS: OnceLock<Forms> = OnceLock::new();
    FORMS.get_or_init(|| {
        Forms::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("forms")).unwrap()
    })
}

fn screener() -> &'static Screener {
    &forms().screener
}

fn posting() -> Arc<Posting> {
    forms().posting("peer-support-specialist").unwrap().clone()
}

/// Words the lexicon and its context rules react to, mixed with arbitrary text, so the
/// properties reach the context code and not only the "nothing found" path.
const PIECES: &[&str] = &[
    "my",
    "I was",
    "people with",
    "never",
    "diagnosed with",
    "PTSD",
    "P.T.S.D.",
    "bi-polar",
    "bipolar2",
    "F4310",
    "F43.10",
    "arrested",
    "probation",
    "my PO",
    "jail",
    "track record",
    "charged",
    "conviction",
    "my brother's",
    "schizophrenia",
    "OCD",
    "since 2016",
    "a training on",
    "Dr.",
    "e.g.",
    "St.",
    "“",
    "”",
    "’",
    "\u{202e}",
    "\u{200b}",
    "ﬁ",
    "Ｆ４３",
    "é",
    "😀",
    ".",
    "!",
    "?",
    " ",
    "  ",
    "-",
    "\n",
    "\u{0}",
];

fn texty() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.join(" ")),
        prop::collection::vec(
            prop_oneof![
                prop::sample::select(PIECES).prop_map(str::to_owned),
                any::<String>()
            ],
            0..12
        )
        .prop_map(|p| p.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn screening_never_panics_and_offsets_point_at_the_phrase(text in texty()) {
        let chars: Vec<char> = text.chars().collect();
        for finding in screener().screen("q3", &text) {
            prop_assert!(finding.start < finding.end, "{finding:?}");
            prop_assert!(finding.end <= chars.len(), "{finding:?} in {} chars", chars.len());
            let at: String = chars[finding.start..finding.end].iter().collect();
            prop_assert_eq!(&at, &finding.phrase);
            prop_assert_eq!(finding.field.as_str(), "q3");
        }
    }

    #[test]
    fn screening_is_deterministic(text in texty()) {
        prop_assert_eq!(screener().screen("q4", &text), screener().screen("q4", &text));
    }

    #[test]
    fn contact_parsers_never_panic_and_keep_what_they_accept(raw in texty()) {
        if let Ok(email) = EmailAddress::parse(&raw) {
            let again = EmailAddress::parse(email.as_str()).unwrap();
            prop_assert_eq!(again.as_str(), email.as_str());
        }
        if let Ok(name) = PersonName::parse(&raw) {
            let n = name.as_str().chars().count();
            prop_assert!((1..=200).contains(&n), "{n}");
        }
        if let Ok(phone) = PhoneNumber::parse(&raw) {
            prop_assert!(!phone.as_str().is_empty());
        }
        let _ = NewPassword::parse(&raw);
    }

    #[test]
    fn identifiers_never_panic(raw in texty()) {
        if let Some(reference) = Reference::parse(&raw) {
            prop_assert!(reference.as_str().len() >= 10);
        }
        let _ = Slug::parse(&raw);
        let _ = Stage::parse(&raw);
    }

    #[test]
    fn sentence_counting_never_panics_and_is_bounded(text in texty()) {
        let n = count_sentences(&text);
        prop_assert!(n <= text.chars().count());
    }

    #[test]
    fn application_parsing_never_panics(
        name in texty(), email in texty(), q in prop::collection::vec(texty(), 5), extra in texty()
    ) {
        let mut answers = BTreeMap::new();
        for (i, text) in q.into_iter().enumerate() {
            answers.insert(format!("q{}", i + 1), text);
        }
        answers.insert("q1_comment".into(), extra.clone());
        let attestations = BTreeMap::from([("diploma".to_owned(), extra.clone()), (extra, "yes".to_owned())]);
        let input = ApplicationInput { name, email, phone: None, answers, attestations };
        let posting = posting();
        let _ = Application::parse(&posting, &input);
        for (field, text) in input.free_texts(&posting) {
            let _ = screener().screen(&field, text);
        }
    }

    #[test]
    fn the_forms_loader_never_panics_on_any_posting_text(source in texty(), description in texty()) {
        let _ = peerhire::forms::parse_posting(&source, "peer-support-specialist", &description);
    }

    #[test]
    fn the_forms_loader_never_panics_on_a_mangled_real_posting(cut in 0usize..6000, insert in texty()) {
        let real = std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("forms/postings/peer-support-specialist/posting.toml"),
        ).unwrap();
        let mut at = cut.min(real.len());
        while !real.is_char_boundary(at) { at -= 1; }
        let mangled = format!("{}{insert}{}", &real[..at], &real[at..]);
        let _ = peerhire::forms::parse_posting(&mangled, "peer-support-specialist", "A description.");
    }
}
