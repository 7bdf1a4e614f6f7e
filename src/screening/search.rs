//! Where, from a given place on, a word begins with one of many patterns — and which pattern.
//!
//! Every term starts on a word boundary, so instead of one unanchored search over the union of a
//! thousand patterns (which keeps every pattern's partial matches alive at once: the lazy DFA
//! spent its time building states no two texts share, 0.7 ms for an ordinary answer), the text
//! is tried at each word start with an anchored search, which dies after a byte or two unless a
//! term begins there. The lazy DFA is driven directly: through the meta regex, the fixed cost
//! of a search (strategy choice, cache pool, reverse search for the start) was four fifths of
//! the time, paid at every word start. The Pike VM over the same NFA answers in the rare case
//! the DFA cannot (a pattern that asks for a Unicode word boundary makes it quit on non-ASCII).

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::pikevm::{Cache as VmCache, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::util::start;
use regex_automata::{Anchored, Input, Match};
use regex_syntax::hir::Hir;

type Make<T> =
    Box<dyn Fn() -> T + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

/// The lazy DFA's cache, per searching thread. Hundreds of patterns make many states; with the
/// default 2 MiB the cache fills, is cleared again and again, and the search slows to a crawl —
/// measured: a run over 650 answers went from 2 s to 13 s in a debug build. The cache grows only
/// as states are needed.
const DFA_CACHE_BYTES: usize = 32 * 1024 * 1024;

pub struct Patterns {
    dfa: DFA,
    dfa_caches: Pool<DfaCache, Make<DfaCache>>,
    vm: PikeVM,
    vm_caches: Pool<VmCache, Make<VmCache>>,
}

impl Patterns {
    /// Compiles the patterns; a match reports the index of the pattern in `patterns`, and where
    /// two match at one place the earlier in the list wins (leftmost-first).
    pub fn new(patterns: &[Hir]) -> Result<Self, String> {
        let nfa = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(WhichCaptures::Implicit))
            .build_many_from_hir(patterns)
            .map_err(|e| e.to_string())?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .cache_capacity(DFA_CACHE_BYTES)
                    // Quit on non-ASCII rather than refuse to build, should a pattern ask for a
                    // Unicode word boundary: the Pike VM answers those searches.
                    .unicode_word_boundary(true),
            )
            .build_from_nfa(nfa.clone())
            .map_err(|e| e.to_string())?;
        let vm = PikeVM::new_from_nfa(nfa).map_err(|e| e.to_string())?;
        let (for_dfa, for_vm) = (dfa.clone(), vm.clone());
        Ok(Self {
            dfa_caches: Pool::new(Box::new(move || for_dfa.create_cache())),
            vm_caches: Pool::new(Box::new(move || for_vm.create_cache())),
            dfa,
            vm,
        })
    }

    /// The first match at or after `from` that starts where a word can start (no letter or digit
    /// just before it).
    pub fn find_at_word_starts(&self, text: &str, from: usize) -> Option<Match> {
        let mut cache = self.dfa_caches.get();
        let bytes = text.as_bytes();
        let mut previous_is_word = text[..from]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let mut at = from;
        while at < bytes.len() {
            let (is_word, width) = match bytes[at] {
                b if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
                _ => text[at..]
                    .chars()
                    .next()
                    .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8())),
            };
            if !previous_is_word && self.may_match_at(&mut cache, bytes, at) {
                if let Some(found) = self.match_at(&mut cache, text, at) {
                    return Some(found);
                }
            }
            previous_is_word = is_word;
            at += width;
        }
        None
    }

    /// Walks the DFA from `at` until it dies: false means no pattern matches there. Nearly every
    /// word start dies within two or three bytes, so this costs a few table lookups where a full
    /// search costs hundreds of instructions of setup. True (a match state, or anything the walk
    /// cannot decide) sends the place to the full search.
    fn may_match_at(&self, cache: &mut DfaCache, bytes: &[u8], at: usize) -> bool {
        let start = start::Config::new()
            .anchored(Anchored::Yes)
            .look_behind(at.checked_sub(1).map(|i| bytes[i]));
        let Ok(mut state) = self.dfa.start_state(cache, &start) else {
            return true;
        };
        for &byte in &bytes[at..] {
            // The known transition is a table lookup; only an unknown one needs the full call,
            // which computes it (and can run out of cache).
            let mut next = self.dfa.next_state_untagged(cache, state, byte);
            if next.is_unknown() {
                match self.dfa.next_state(cache, state, byte) {
                    Ok(computed) => next = computed,
                    Err(_) => return true,
                }
            }
            if next.is_tagged() {
                return !next.is_dead();
            }
            state = next;
        }
        true
    }

    fn match_at(&self, cache: &mut DfaCache, text: &str, at: usize) -> Option<Match> {
        let input = Input::new(text)
            .span(at..text.len())
            .anchored(Anchored::Yes);
        match self.dfa.try_search_fwd(cache, &input) {
            Ok(None) => None,
            Ok(Some(end)) => Some(Match::must(end.pattern().as_usize(), at..end.offset())),
            Err(_) => {
                let mut vm_cache = self.vm_caches.get();
                self.vm.find(&mut vm_cache, input)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(sources: &[&str]) -> Patterns {
        let hirs: Vec<Hir> = sources
            .iter()
            .map(|s| regex_automata::util::syntax::parse(s).unwrap())
            .collect();
        Patterns::new(&hirs).unwrap()
    }

    fn found(p: &Patterns, text: &str) -> Option<(usize, usize, usize)> {
        p.find_at_word_starts(text, 0)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
    }

    #[test]
    fn finds_only_at_word_starts_and_the_earlier_pattern_wins() {
        let p = patterns(&["(?-u)bipolar disorder", "(?-u)polar", "(?-u)bipolar"]);
        assert_eq!(found(&p, "my bipolar disorder"), Some((3, 19, 0)));
        assert_eq!(found(&p, "my bipolar"), Some((3, 10, 2)));
        assert_eq!(found(&p, "a polar bear"), Some((2, 7, 1)));
        assert_eq!(found(&p, "bipolarity"), Some((0, 7, 2)));
        assert_eq!(found(&p, "xpolar"), None);
        assert_eq!(
            found(&p, "épolar"),
            None,
            "a non-ASCII letter is a letter too"
        );
    }

    #[test]
    fn a_unicode_boundary_that_stops_the_dfa_is_answered_by_the_vm() {
        let p = patterns(&[r"(?u:\b)café(?u:\b)"]);
        assert_eq!(found(&p, "un café noir"), Some((3, 8, 0)));
        assert_eq!(found(&p, "un cafés"), None);
    }
}
