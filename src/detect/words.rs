//! The English word list (`data/words/english.txt`, SCOWL via Debian `wamerican-large`; see
//! `data/words/SOURCES.md`), embedded in the binary and searched in place.
//!
//! The list is byte-sorted, one lower-case word a line, so a lookup is a binary search over
//! the embedded text itself: nothing is parsed or allocated at start-up, which keeps a
//! pre-commit run's cost at zero for documents with nothing to repair. An `fst` set would be
//! smaller but needs a build step shared with other detectors; the plain list is enough for
//! the few lookups a garble repair makes.

use crate::text::mask16;

static WORDS: &str = include_str!("../../data/words/english.txt");

/// Whether `word` (compared in lower case) is an English word of the list.
pub fn is_word(word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    first_at_or_after(&lower) == Some(lower.as_str())
}

/// The words of the list that start with `prefix` (compared in lower case), in list order:
/// one binary search, then a walk over the neighbouring lines.
pub fn with_prefix(prefix: &str) -> impl Iterator<Item = &'static str> {
    let lower = prefix.to_ascii_lowercase();
    let text = WORDS.as_bytes();
    let mut at = lower_bound(&lower);
    // Line by line with a byte loop: the lines are short, and `str::lines` sets up a
    // character search for each.
    std::iter::from_fn(move || {
        let end = line_end(text, at);
        let line = WORDS.get(at..end).filter(|_| at < text.len())?;
        at = end + 1;
        Some(line)
    })
    .take_while(move |w| w.starts_with(&lower))
}

/// The first word of the list that is not less than `key`.
fn first_at_or_after(key: &str) -> Option<&'static str> {
    let lo = lower_bound(key);
    let end = line_end(WORDS.as_bytes(), lo.min(WORDS.len()));
    WORDS.get(lo..end).filter(|w| !w.is_empty())
}

/// Where the first line not less than `key` starts (a lower-bound binary search over the
/// lines of the embedded text; the text's length when there is none).
fn lower_bound(key: &str) -> usize {
    let text = WORDS.as_bytes();
    let (mut lo, mut hi) = (0usize, text.len());
    // Invariant: lines starting before `lo` are < key; lines starting at or after `hi` are >= key.
    while lo < hi {
        let mid = line_start(text, lo + (hi - lo) / 2).max(lo);
        let end = line_end(text, mid);
        if &text[mid..end] < key.as_bytes() {
            lo = end + 1;
        } else {
            hi = mid;
        }
    }
    lo.min(text.len())
}

/// Where the line holding `from` ends (the text's length for the last line). A line is a
/// word of a few bytes, shorter than `memchr`'s set-up: sixteen bytes are tested at once.
fn line_end(text: &[u8], from: usize) -> usize {
    text.get(from..)
        .and_then(|rest| mask16::find(rest, b'\n'))
        .map_or(text.len(), |i| from + i)
}

/// Where the line holding byte `at` starts: a byte loop backwards, for the reason
/// [`line_end`] gives.
fn line_start(text: &[u8], at: usize) -> usize {
    text.get(..at)
        .and_then(|head| head.iter().rposition(|&b| b == b'\n'))
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_byte_sorted_so_binary_search_is_sound() {
        let lines: Vec<&str> = WORDS.lines().collect();
        assert!(lines.len() > 100_000);
        assert!(lines.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn finds_words_first_last_and_between() {
        let first = WORDS.lines().next().unwrap();
        let last = WORDS.lines().last().unwrap();
        for w in [
            first,
            last,
            "energy",
            "Trafficked",
            "doesn't",
            "coordinator",
        ] {
            assert!(is_word(w), "{w}");
        }
        for w in ["traffqked", "zzzzzzzz", "", "aaaaa"] {
            assert!(!is_word(w), "{w}");
        }
        let traffi: Vec<&str> = with_prefix("TRAFFI").collect();
        assert!(traffi.contains(&"trafficked") && traffi.iter().all(|w| w.starts_with("traffi")));
        assert_eq!(with_prefix("traffq").count(), 0);
        assert_eq!(with_prefix("").count(), WORDS.lines().count());
    }
}
