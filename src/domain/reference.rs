//! The reference an applicant receives: short enough to read over the phone, long enough that
//! nobody can guess another applicant's.

use std::fmt;

/// Digits and capitals without the look-alikes 0/O, 1/I/L: 31 symbols.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// 12 symbols ≈ 59 bits of randomness.
const SYMBOLS: usize = 12;

/// Shown and stored as `XXXX-XXXX-XXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference(String);

impl Reference {
    /// A fresh random reference from the operating system's generator.
    pub fn generate() -> Self {
        use rand::Rng;
        let mut rng = rand::rng();
        let symbols: String = (0..SYMBOLS)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect();
        Self::group(&symbols)
    }

    /// Accepts what a person types: any case, with or without dashes and spaces.
    pub fn parse(raw: &str) -> Option<Self> {
        let symbols: String = raw
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = symbols.len() == SYMBOLS && symbols.bytes().all(|b| ALPHABET.contains(&b));
        valid.then(|| Self::group(&symbols))
    }

    fn group(symbols: &str) -> Self {
        Self(format!(
            "{}-{}-{}",
            &symbols[0..4],
            &symbols[4..8],
            &symbols[8..12]
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_references_are_well_formed_and_distinct() {
        let refs: std::collections::HashSet<_> = (0..1000).map(|_| Reference::generate()).collect();
        assert_eq!(refs.len(), 1000);
        for r in &refs {
            assert_eq!(r.as_str().len(), 14);
            assert!(!r.as_str().contains(['0', 'O', '1', 'I', 'L']), "{r}");
            assert_eq!(Reference::parse(r.as_str()).as_ref(), Some(r));
        }
    }

    #[test]
    fn parsing_forgives_case_and_dashes_but_not_ambiguous_letters() {
        let r = Reference::parse("k7qm 3xpa 9hdt").unwrap();
        assert_eq!(r.as_str(), "K7QM-3XPA-9HDT");
        assert!(Reference::parse("K7QM-3XPA-9HD0").is_none());
        assert!(Reference::parse("K7QM-3XPA").is_none());
        assert!(Reference::parse("../../etc/passwd").is_none());
    }
}
