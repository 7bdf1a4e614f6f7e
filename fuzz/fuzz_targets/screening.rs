//! The screening engine on any text: it must not panic, and every finding must point at
//! characters inside the text that spell the reported phrase.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use peerhire::screening::Screener;

fn screener() -> &'static Screener {
    static SCREENER: OnceLock<Screener> = OnceLock::new();
    SCREENER.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../forms/screening");
        Screener::load(&dir).expect("the repository's lexicon loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let chars: Vec<char> = text.chars().collect();
    for finding in screener().screen("q3", text) {
        assert!(finding.start < finding.end && finding.end <= chars.len());
        let at: String = chars[finding.start..finding.end].iter().collect();
        assert_eq!(at, finding.phrase);
    }
});
