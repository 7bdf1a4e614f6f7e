//! Turns a field's text into the form the lexicon is matched against, remembering where each
//! byte came from so a finding can point at the applicant's own characters.
//!
//! - Unicode NFKC, so full-width letters, ligatures and other compatibility forms match.
//! - Curly quotes become `'` and `"`, every dash becomes `-`; zero-width characters, soft hyphens
//!   and bidirectional controls are dropped (they are invisible and only hide words).
//! - Latin letters lose their accents (`schizophrène` reads as `schizophrene`), and Cyrillic or
//!   Greek letters that look Latin read as the Latin letter (a Cyrillic `р` in `рtsd`).
//! - A run of three or more single letters separated by dots, hyphens, spaces, underscores,
//!   slashes or asterisks is joined into one word, so `P.T.S.D.`, `p t s d`, `P_T_S_D` and
//!   `b-i-p-o-l-a-r` read as `PTSD` and `bipolar`.
//!
//! Case is kept: matching is case-insensitive by its own flag, and a few short acronyms
//! (`ADD`, `DID`) match only in capitals because in lowercase they are everyday words.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Normalized text plus, for each of its bytes, the original character range it came from.
#[derive(Debug)]
pub struct Normalized {
    pub text: String,
    /// Original char index where the character that produced byte `i` starts.
    from: Vec<u32>,
    /// Original char index just past it.
    to: Vec<u32>,
}

impl Normalized {
    pub fn new(original: &str) -> Self {
        let mut out = Builder::with_capacity(original.len());
        if original.is_ascii() {
            // One byte for one character: the offsets are the positions themselves.
            let bytes: Vec<u8> = original
                .bytes()
                .map(|b| match b {
                    b'`' => b'\'',
                    b'\r' => b'\n',
                    b'\n' => b'\n',
                    b if b.is_ascii_whitespace() => b' ',
                    b => b,
                })
                .collect();
            let n = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
            out.text = String::from_utf8(bytes).unwrap_or_default();
            out.from = (0..n).collect();
            out.to = (1..=n).collect();
        } else if is_nfkc_quick(original.chars()) == IsNormalized::Yes {
            for (i, c) in original.chars().enumerate() {
                push_mapped(&mut out, c, i, i + 1);
            }
        } else {
            // Normalize grapheme by grapheme so composed forms stay tied to their source.
            use unicode_segmentation::UnicodeSegmentation;
            let mut index = 0;
            for cluster in original.graphemes(true) {
                let len = cluster.chars().count();
                for c in cluster.nfkc() {
                    push_mapped(&mut out, c, index, index + len);
                }
                index += len;
            }
        }
        out.collapse_spelled_out_words();
        Normalized {
            text: out.text,
            from: out.from,
            to: out.to,
        }
    }

    /// Replaces the byte ranges `[start, end)` (in order, not overlapping) by the given words;
    /// each byte of a new word points at the whole of the word it replaces.
    pub fn replace_words(&mut self, fixes: &[(usize, usize, &str)]) {
        let mut out = Builder::with_capacity(self.text.len() + 8);
        let mut pos = 0;
        for &(start, end, word) in fixes {
            if start < pos || end > self.text.len() || start >= end {
                continue;
            }
            out.text.push_str(&self.text[pos..start]);
            out.from.extend_from_slice(&self.from[pos..start]);
            out.to.extend_from_slice(&self.to[pos..start]);
            let (from, to) = (self.from[start], self.to[end - 1]);
            out.text.push_str(word);
            out.from.extend(std::iter::repeat_n(from, word.len()));
            out.to.extend(std::iter::repeat_n(to, word.len()));
            pos = end;
        }
        out.text.push_str(&self.text[pos..]);
        out.from.extend_from_slice(&self.from[pos..]);
        out.to.extend_from_slice(&self.to[pos..]);
        self.text = out.text;
        self.from = out.from;
        self.to = out.to;
    }

    /// The original char range `[start, end)` behind the normalized byte range.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let start_char = self.from.get(start).copied().unwrap_or(0) as usize;
        let end_char = match end.checked_sub(1).and_then(|last| self.to.get(last)) {
            Some(&to) => to as usize,
            None => start_char,
        };
        (start_char, end_char.max(start_char))
    }
}

fn push_mapped(out: &mut Builder, c: char, from: usize, to: usize) {
    if c.is_ascii() && c != '`' && (c == '\n' || !c.is_ascii_whitespace()) {
        out.push(c, from, to);
        return;
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`'
        | '\u{00B4}' => out.push('\'', from, to),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => out.push('"', from, to),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            out.push('-', from, to)
        }
        // Invisible characters that only serve to split a word: zero-width space/joiners, word
        // joiner, BOM, soft hyphen, and the bidirectional embedding/override/isolate controls.
        '\u{200B}'..='\u{200F}'
        | '\u{2060}'
        | '\u{FEFF}'
        | '\u{00AD}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => {}
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push('\n', from, to),
        c if c.is_whitespace() => out.push(' ', from, to),
        c => out.push(fold_accent(c), from, to),
    }
}

/// A Latin letter with diacritics reads as its base letter: "schizophrène", "dépression",
/// "Asperger’s" in French or with a stray accent match the lexicon's plain spelling.
fn fold_accent(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    if let Some(latin) = confusable(c) {
        return latin;
    }
    if !('\u{00C0}'..='\u{024F}').contains(&c) {
        return c;
    }
    let (mut base, mut only_marks) = (None, true);
    unicode_normalization::char::decompose_canonical(c, |d| {
        if base.is_none() {
            base = Some(d);
        } else if !unicode_normalization::char::is_combining_mark(d) {
            only_marks = false;
        }
    });
    match base {
        Some(b) if only_marks && b.is_ascii_alphabetic() => b,
        _ => c,
    }
}

/// Cyrillic and Greek letters that look like Latin ones ("рtsd" with a Cyrillic р) read as the
/// Latin letter: they only serve to hide a word from a matcher.
fn confusable(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'в' | 'β' => 'b',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'ε' => 'e',
        'һ' => 'h',
        'і' | 'ι' | 'ı' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'м' => 'm',
        'п' | 'η' => 'n',
        'о' | 'ο' | 'σ' => 'o',
        'р' | 'ρ' => 'p',
        'ԛ' => 'q',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'υ' | 'ս' => 'u',
        'ν' => 'v',
        'ԝ' | 'ω' => 'w',
        'х' | 'χ' => 'x',
        'у' | 'γ' => 'y',
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'С' | 'Ϲ' => 'C',
        'Е' | 'Ε' => 'E',
        'Н' | 'Η' => 'H',
        'І' | 'Ι' => 'I',
        'Ј' => 'J',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'Ѕ' => 'S',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'У' | 'Υ' => 'Y',
        'Ζ' => 'Z',
        'Ν' => 'N',
        _ => return None,
    })
}

struct Builder {
    text: String,
    from: Vec<u32>,
    to: Vec<u32>,
}

impl Builder {
    fn with_capacity(n: usize) -> Self {
        Self {
            text: String::with_capacity(n),
            from: Vec::with_capacity(n),
            to: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, c: char, from: usize, to: usize) {
        self.text.push(c);
        let (from, to) = (from as u32, to as u32);
        if c.is_ascii() {
            self.from.push(from);
            self.to.push(to);
        } else {
            for _ in 0..c.len_utf8() {
                self.from.push(from);
                self.to.push(to);
            }
        }
    }

    /// Joins `x.y.z`, `x y z`, `x-y-z`, `x_y_z`, `x/y/z` and `x*y*z` (three or more single letters)
    /// into `xyz`.
    fn collapse_spelled_out_words(&mut self) {
        let bytes = self.text.as_bytes();
        let mut keep = vec![true; bytes.len()];
        let mut changed = false;
        let mut i = 0;
        while i < bytes.len() {
            if !is_single_letter_at(bytes, i) {
                i += 1;
                continue;
            }
            // Collect letters at i, i+2(+k), … separated by runs of 1–2 separator bytes.
            let mut letters = vec![i];
            let mut j = i + 1;
            loop {
                let sep_start = j;
                while j < bytes.len()
                    && j - sep_start < 2
                    && matches!(bytes[j], b'.' | b'-' | b' ' | b'_' | b'/' | b'*')
                {
                    j += 1;
                }
                if j > sep_start && is_single_letter_at(bytes, j) {
                    letters.push(j);
                    j += 1;
                } else {
                    break;
                }
            }
            // "P T S D I sit": the pronoun I (or the article a) after a spelled-out word stays apart.
            if letters.len() >= 4
                && matches!(bytes[letters[letters.len() - 1]], b'I' | b'a' | b'A')
                && bytes[letters[letters.len() - 1] - 1] == b' '
            {
                letters.pop();
            }
            if letters.len() >= 3 {
                for pair in letters.windows(2) {
                    keep[pair[0] + 1..pair[1]].fill(false);
                }
                changed = true;
                i = letters[letters.len() - 1] + 1;
            } else {
                i = letters[letters.len() - 1] + 1;
            }
        }
        if !changed {
            return;
        }
        let mut text = Vec::with_capacity(bytes.len());
        let (mut from, mut to) = (
            Vec::with_capacity(bytes.len()),
            Vec::with_capacity(bytes.len()),
        );
        for (k, &b) in bytes.iter().enumerate() {
            if keep[k] {
                text.push(b);
                from.push(self.from[k]);
                to.push(self.to[k]);
            }
        }
        // Only ASCII separators were removed, so the bytes are still valid UTF-8.
        self.text = String::from_utf8(text).unwrap_or_default();
        self.from = from;
        self.to = to;
    }
}

/// An ASCII letter that stands alone: no letter or digit right before or after it.
fn is_single_letter_at(bytes: &[u8], i: usize) -> bool {
    let word_byte = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
    bytes.get(i).is_some_and(|b| b.is_ascii_alphabetic())
        && (i == 0 || !word_byte(bytes[i - 1]))
        && bytes.get(i + 1).is_none_or(|&b| !word_byte(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        Normalized::new(s).text
    }

    #[test]
    fn ascii_is_kept_as_it_is() {
        assert_eq!(norm("My PTSD, e.g. yes"), "My PTSD, e.g. yes");
    }

    #[test]
    fn spelled_out_acronyms_are_joined() {
        assert_eq!(norm("my P.T.S.D. is"), "my PTSD. is");
        assert_eq!(norm("p t s d"), "ptsd");
        assert_eq!(norm("b-i-p-o-l-a-r"), "bipolar");
        assert_eq!(norm("O.C.D"), "OCD");
        // Two letters are not enough: "U.S." and "a b" stay.
        assert_eq!(norm("the U.S. and a b"), "the U.S. and a b");
    }

    #[test]
    fn compatibility_forms_quotes_and_invisible_characters_are_normalized() {
        assert_eq!(norm("ＰＴＳＤ"), "PTSD");
        assert_eq!(norm("Tourette’s “x”"), "Tourette's \"x\"");
        assert_eq!(norm("bi\u{00AD}polar"), "bipolar");
        assert_eq!(norm("bi\u{200B}polar"), "bipolar");
        assert_eq!(norm("a\u{202E}b"), "ab");
        assert_eq!(norm("post–traumatic"), "post-traumatic");
        assert_eq!(norm("\u{440}tsd"), "ptsd");
        assert_eq!(norm("P_T_S_D and p/t/s/d"), "PTSD and ptsd");
    }

    #[test]
    fn offsets_point_back_at_original_characters() {
        let original = "Zoë: my P.T.S.D.";
        let n = Normalized::new(original);
        let start = n.text.find("PTSD").unwrap();
        let (s, e) = n.original_span(start, start + 4);
        let chars: Vec<char> = original.chars().collect();
        assert_eq!(chars[s..e].iter().collect::<String>(), "P.T.S.D");
    }

    #[test]
    fn decomposed_accents_map_to_the_whole_grapheme() {
        let original = "Jose\u{301} has PTSD";
        let n = Normalized::new(original);
        assert!(n.text.starts_with("Jose has"));
        let start = n.text.find("PTSD").unwrap();
        let (s, e) = n.original_span(start, start + 4);
        assert_eq!(
            original.chars().skip(s).take(e - s).collect::<String>(),
            "PTSD"
        );
    }
}
