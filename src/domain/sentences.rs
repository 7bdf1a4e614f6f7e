//! Counting sentences the way a reader would, for the "1 to 3 sentences" answers.
//!
//! Unicode sentence segmentation (UAX #29) does the work; on top of it, a period after a common
//! abbreviation ("Dr.", "St.", "e.g.") or an initial ("J.") does not end a sentence, and pieces
//! with no letter or digit (a trailing emoji, "!!!") belong to the sentence before them.

use unicode_segmentation::UnicodeSegmentation;

/// Abbreviations whose period is not the end of a sentence. "etc." and "a.m."/"p.m." are left
/// out on purpose: they end sentences as often as not.
const ABBREVIATIONS: &[&str] = &[
    "e.g.", "i.e.", "eg.", "ie.", "cf.", "dr.", "drs.", "st.", "mr.", "mrs.", "ms.", "mx.", "mt.",
    "jr.", "sr.", "vs.", "no.", "nos.", "approx.", "dept.", "ave.", "rd.", "blvd.", "hwy.", "rte.",
    "u.s.", "u.s.a.", "prof.", "gov.", "sen.", "rep.", "lt.", "sgt.", "capt.", "col.", "gen.",
    "ft.", "fr.", "rev.", "hon.", "ph.d.", "m.d.", "b.a.", "m.a.", "b.s.", "m.s.", "r.n.",
    "l.c.s.w.", "w/o.", "min.", "max.", "est.", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.",
    "aug.", "sep.", "sept.", "oct.", "nov.", "dec.",
];

pub fn count_sentences(text: &str) -> usize {
    let mut count = 0;
    let mut continues_previous = false;
    for segment in text.split_sentence_bounds() {
        let trimmed = segment.trim();
        if !trimmed.chars().any(char::is_alphanumeric) {
            continue;
        }
        if !continues_previous {
            count += 1;
        }
        continues_previous = ends_with_abbreviation(trimmed);
    }
    count
}

fn ends_with_abbreviation(sentence: &str) -> bool {
    let Some(last) = sentence.split_whitespace().next_back() else {
        return false;
    };
    let last = last.trim_start_matches(['(', '"', '\'', '“', '‘']);
    let lower = last.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    // An initial: one capital letter and a period ("J. Smith").
    let mut chars = last.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::count_sentences as n;

    #[test]
    fn counts_plain_sentences() {
        assert_eq!(n("One."), 1);
        assert_eq!(n("One. Two! Three?"), 3);
        assert_eq!(n("One. Two. Three. Four."), 4);
        assert_eq!(n("no punctuation at all"), 1);
        assert_eq!(n("   "), 0);
        assert_eq!(n(""), 0);
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_a_sentence() {
        assert_eq!(n("I saw Dr. Smith at St. Mary's in Lewiston."), 1);
        assert_eq!(n("Small things, e.g. a walk, help. I'd share that."), 2);
        assert_eq!(n("My mentor J. Reed taught me. I listen now."), 2);
        assert_eq!(
            n("We met on Main St. Then we talked."),
            1,
            "an abbreviation wins over a possible break"
        );
    }

    #[test]
    fn trailing_emoji_and_repeated_marks_stay_with_their_sentence() {
        assert_eq!(n("I believe in hope!!! 🙏"), 1);
        assert_eq!(n("Hope matters... It really does."), 2);
    }

    #[test]
    fn line_breaks_separate_sentences() {
        assert_eq!(n("first thought\nsecond thought\nthird\nfourth"), 4);
    }
}
