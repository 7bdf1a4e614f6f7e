//! Misspellings of the lexicon's own words: "prision", "posession", "recovry court",
//! "borderline personallity", "schiz0phrenia".
//!
//! Before matching, a word of the text is read as a listed word (rules.toml `[fuzzy] words`)
//! when it is one edit away from it (a letter added, dropped, changed, or two neighbours
//! swapped) — two edits for listed words of ten letters or more —, keeps its first letter, and
//! is not itself an English word that happens to be that close ("poison" is one letter from
//! "prison"; `[fuzzy] not` lists them, checked against a word list). Digits standing for letters
//! ("b1polar", "schiz0phrenia") are read as those letters. The corrected word then takes part in
//! every phrase and exception like the correctly spelled one. Only plain ASCII words are
//! compared, and the pass costs one scan of the text.

use std::collections::HashSet;

/// A listed word and the set of letters it holds.
type Entry = (Box<str>, u32);

/// The listed words, by first letter and length.
#[derive(Debug, Default)]
pub struct Fuzzy {
    /// `buckets[letter][length]`: the words of that first letter and length, each with the set
    /// of letters it holds (one edit changes that set by two letters at most).
    buckets: Vec<Vec<Vec<Entry>>>,
    not: HashSet<String>,
    min_len: usize,
    max_len: usize,
    two_edits_from: usize,
}

impl Fuzzy {
    /// Words shorter than `min_len` are matched as spelled only.
    pub fn new(words: &[String], not: &[String], min_len: usize, two_edits_from: usize) -> Self {
        let mut max_len = 0;
        let words: Vec<String> = words
            .iter()
            .map(|w| w.trim().to_ascii_lowercase())
            .filter(|w| w.len() >= min_len && w.bytes().all(|b| b.is_ascii_lowercase()))
            .collect();
        for word in &words {
            max_len = max_len.max(word.len());
        }
        let mut buckets: Vec<Vec<Vec<Entry>>> =
            (0..26).map(|_| vec![Vec::new(); max_len + 1]).collect();
        for word in words {
            let first = usize::from(word.as_bytes()[0] - b'a');
            let len = word.len();
            let set = letter_set(word.as_bytes());
            buckets[first][len].push((word.into(), set));
        }
        Self {
            buckets,
            not: not.iter().map(|w| w.trim().to_lowercase()).collect(),
            min_len,
            max_len,
            two_edits_from,
        }
    }

    /// Every misspelled listed word in `lower` (ASCII-lowercased text): (start, end, the word
    /// as listed). A word spelled exactly as listed is left alone.
    pub fn corrections(&self, lower: &str) -> Vec<(usize, usize, &str)> {
        let mut found = Vec::new();
        if self.max_len == 0 {
            return found;
        }
        let bytes = lower.as_bytes();
        let mut i = 0;
        let mut mapped = Vec::with_capacity(32);
        while i < bytes.len() {
            // One table look-up per byte: 1 a letter, 2 a digit, 3 anything else inside a word
            // (upper case, non-ASCII), 0 outside words.
            if CLASS[usize::from(bytes[i])] == 0 {
                i += 1;
                continue;
            }
            let start = i;
            let (mut seen, mut digits) = (0u8, 0usize);
            while i < bytes.len() {
                let class = CLASS[usize::from(bytes[i])];
                if class == 0 {
                    break;
                }
                seen |= 1 << class;
                digits += usize::from(class == 2);
                i += 1;
            }
            let len = i - start;
            if seen & 0b1000 != 0
                || len + 1 < self.min_len
                || len > self.max_len + 2
                || len - digits < 4
            {
                continue;
            }
            let word = &bytes[start..i];
            let word: &[u8] = if digits == 0 {
                word
            } else {
                mapped.clear();
                let mut ok = true;
                for &b in word {
                    mapped.push(match b {
                        b'0' => b'o',
                        b'1' => b'i',
                        b'3' => b'e',
                        b'4' => b'a',
                        b'5' => b's',
                        b'7' => b't',
                        b if b.is_ascii_lowercase() => b,
                        _ => {
                            ok = false;
                            b
                        }
                    });
                }
                if !ok {
                    continue;
                }
                &mapped
            };
            let Some(by_len) = self.buckets.get(usize::from(word[0].wrapping_sub(b'a'))) else {
                continue;
            };
            let of_len = |l: usize| by_len.get(l).map_or(&[][..], Vec::as_slice);
            let set = letter_set(word);
            // A word spelled as listed is right as it is.
            if digits == 0
                && of_len(len)
                    .iter()
                    .any(|(e, e_set)| *e_set == set && e.as_bytes() == word)
            {
                continue;
            }
            // The nearest listed word: one edit, else two for the long ones.
            let near = |k: usize| {
                (len.saturating_sub(k)..=len + k)
                    .filter(|&l| k == 1 || l >= self.two_edits_from)
                    .flat_map(|l| of_len(l).iter())
                    .find(|(e, e_set)| {
                        (e_set ^ set).count_ones() as usize <= 2 * k
                            && within(e.as_bytes(), word, k)
                    })
                    .map(|(e, _)| e)
            };
            let hit = near(1).or_else(|| {
                if len + 2 >= self.two_edits_from {
                    near(2)
                } else {
                    None
                }
            });
            if let Some(e) = hit
                && !self
                    .not
                    .contains(std::str::from_utf8(&bytes[start..i]).unwrap_or_default())
            {
                found.push((start, i, &**e));
            }
        }
        found
    }
}

/// Byte classes for the word scan: 1 lowercase letter, 2 digit, 3 other word byte, 0 not in a word.
const CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'a'..=b'z' => 1,
            b'0'..=b'9' => 2,
            b'A'..=b'Z' | 0x80..=0xFF => 3,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// The letters a word holds, as bits.
fn letter_set(word: &[u8]) -> u32 {
    word.iter()
        .filter(|b| b.is_ascii_lowercase())
        .fold(0, |set, b| set | 1 << (b - b'a'))
}

/// Whether `a` and `b` are at most `k` edits apart (insert, delete, substitute, swap two
/// neighbours), with the same first letter.
fn within(a: &[u8], b: &[u8], k: usize) -> bool {
    if a.first() != b.first() {
        return false;
    }
    if k <= 1 {
        return within_one(a, b);
    }
    // Optimal string alignment distance, small words only (rows on the stack).
    let (n, m) = (a.len(), b.len());
    if m >= 40 {
        return false;
    }
    let mut prev2 = [0usize; 41];
    let mut prev = [0usize; 41];
    let mut cur = [0usize; 41];
    for (j, p) in prev.iter_mut().enumerate().take(m + 1) {
        *p = j;
    }
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
    fn corrects_misspellings_and_digits_but_not_listed_real_words() {
        let f = Fuzzy::new(
            &["prison".into(), "possession".into(), "schizophrenia".into()],
            &["poison".into()],
            6,
            10,
        );
        let text = "after prision and posession, not poison or prison; schiz0phrenia";
        let hits: Vec<(&str, &str)> = f
            .corrections(text)
            .iter()
            .map(|&(s, e, w)| (&text[s..e], w))
            .collect();
        assert_eq!(
            hits,
            [
                ("prision", "prison"),
                ("posession", "possession"),
                ("schiz0phrenia", "schizophrenia")
            ]
        );
    }
}
