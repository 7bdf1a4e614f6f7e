//! Misspellings of long lexicon words: "prision", "posession", "assualt", "schizophernia".
//!
//! A word of the text is taken for a listed word when it is one edit away from it (a letter
//! added, dropped, changed, or two neighbours swapped), or two edits for listed words of ten
//! letters or more, keeps its first letter, and is not itself an English word that happens to
//! be that close ("poison" is one letter from "prison"; rules.toml `[fuzzy] not` lists them).
//! Only lowercase ASCII words are compared; the pass costs one scan of the text.

use std::collections::HashSet;

/// The listed words, by first letter.
#[derive(Debug, Default)]
pub struct Fuzzy {
    buckets: Vec<Vec<Entry>>,
    not: HashSet<String>,
    min_len: usize,
    max_len: usize,
    two_edits_from: usize,
}

#[derive(Debug)]
struct Entry {
    word: Box<[u8]>,
    term: usize,
}

impl Fuzzy {
    /// `words`: (word, index of the term it stands for). Words shorter than `min_len` are
    /// matched exactly only and should not be listed.
    pub fn new(
        words: &[(String, usize)],
        not: &[String],
        min_len: usize,
        two_edits_from: usize,
    ) -> Self {
        let mut buckets: Vec<Vec<Entry>> = (0..26).map(|_| Vec::new()).collect();
        let mut max_len = 0;
        for (word, term) in words {
            let bytes = word.as_bytes();
            if let Some(&first) = bytes.first().filter(|b| b.is_ascii_lowercase()) {
                max_len = max_len.max(bytes.len());
                buckets[usize::from(first - b'a')].push(Entry {
                    word: bytes.into(),
                    term: *term,
                });
            }
        }
        Self {
            buckets,
            not: not.iter().map(|w| w.trim().to_lowercase()).collect(),
            min_len,
            max_len,
            two_edits_from,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.max_len == 0
    }

    /// Every misspelled listed word in `lower` (ASCII-lowercased text): (start, end, term).
    /// A word spelled exactly as listed is left to the phrase matcher.
    pub fn find_all(&self, lower: &str) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        if self.is_empty() {
            return found;
        }
        let bytes = lower.as_bytes();
        let is_word_byte = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
        let mut i = 0;
        while i < bytes.len() {
            if !is_word_byte(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            let mut plain = true;
            while i < bytes.len() && is_word_byte(bytes[i]) {
                plain &= bytes[i].is_ascii_lowercase();
                i += 1;
            }
            let word = &bytes[start..i];
            if !plain || word.len() + 1 < self.min_len || word.len() > self.max_len + 2 {
                continue;
            }
            let bucket = &self.buckets[usize::from(word[0] - b'a')];
            let hit = bucket.iter().find(|e| {
                let allowed = if e.word.len() >= self.two_edits_from {
                    2
                } else {
                    1
                };
                e.word.len() >= self.min_len
                    && e.word.len().abs_diff(word.len()) <= allowed
                    && *e.word != *word
                    && within(&e.word, word, allowed)
            });
            if let Some(e) = hit {
                // Only now build the string: most words have no near neighbour in the list.
                if !self.not.contains(std::str::from_utf8(word).unwrap_or_default()) {
                    found.push((start, i, e.term));
                }
            }
        }
        found
    }
}

/// Whether `a` and `b` are at most `k` edits apart (insert, delete, substitute, swap two
/// neighbours), with the same first letter.
fn within(a: &[u8], b: &[u8], k: usize) -> bool {
    if a.first() != b.first() {
        return false;
    }
    if k == 1 {
        return within_one(a, b);
    }
    // Optimal string alignment distance, small words only.
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > k {
            return false;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m] <= k
}

fn within_one(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let Some(i) = short.iter().zip(long).position(|(x, y)| x != y) else {
        return long.len() - short.len() <= 1;
    };
    match long.len() - short.len() {
        0 => {
            short[i + 1..] == long[i + 1..]
                || (i + 1 < short.len()
                    && short[i] == long[i + 1]
                    && short[i + 1] == long[i]
                    && short[i + 2..] == long[i + 2..])
        }
        1 => short[i..] == long[i + 1..],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_and_two_edits() {
        assert!(within(b"prison", b"prision", 1));
        assert!(within(b"assault", b"assualt", 1));
        assert!(within(b"parole", b"parol", 1));
        assert!(within(b"felony", b"felany", 1));
        assert!(!within(b"prison", b"prism", 1));
        assert!(!within(b"prison", b"brison", 1));
        assert!(within(b"schizophrenia", b"schizophernia", 2));
        assert!(within(b"schizophrenia", b"skizophrenia", 2));
        assert!(!within(b"schizophrenia", b"skitzophrenia", 2));
        assert!(!within(b"misdemeanor", b"misdemeanours", 1));
    }

    #[test]
    fn finds_misspellings_but_not_listed_real_words() {
        let f = Fuzzy::new(
            &[("prison".into(), 0), ("possession".into(), 1)],
            &["poison".into()],
            6,
            10,
        );
        let text = "after prision and posession, not poison or prison";
        let hits: Vec<&str> = f
            .find_all(text)
            .iter()
            .map(|&(s, e, _)| &text[s..e])
            .collect();
        assert_eq!(hits, ["prision", "posession"]);
    }
}
