//! Every match of an Aho-Corasick DFA in a text, overlapping ones included, found by
//! walking several stretches of the text at once.
//!
//! A DFA walk is one dependent load per byte: the next state cannot be looked up before the
//! current one is known, so a single walk leaves the processor waiting on memory most of the
//! time. [`STREAMS`] walks over consecutive stretches, stepped in one loop, keep that many
//! loads in flight. Each stretch after the first starts `max_pattern_len - 1` bytes early, so
//! that a match crossing into it from the one before is seen whole; it reports only the
//! matches that end inside it. The result is the same matches in the same order as
//! [`aho_corasick::AhoCorasick::find_overlapping_iter`].

use std::ops::Range;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, Input, PatternID};

/// Stretches walked at once. Searching the corpus for the built-in view keywords took 88 ms
/// in one walk, 61 ms in two, 55 ms in three and 56 ms in four. The walk in [`matches`] is
/// written out for three.
const STREAMS: usize = 3;
const _: () = assert!(STREAMS == 3, "`matches` walks exactly three stretches");

/// Texts shorter than this many bytes per stretch are walked in one piece: the split would
/// cost more than it saves.
const MIN_STRETCH: usize = 256;

/// A pattern's matches as the library reports them: its id and byte range.
pub(crate) type Matches = Vec<(PatternID, Range<usize>)>;

/// Append every match of `dfa` (built for an unanchored search) in `hay` to `out`, ordered
/// by where they end, then as the automaton reports matches ending at the same byte.
pub(crate) fn matches(dfa: &DFA, hay: &[u8], out: &mut Matches) {
    let Ok(start) = dfa.start_state(Anchored::No) else {
        return generic(dfa, hay, out);
    };
    // An empty pattern matches before the first byte, which the walks never look at.
    if dfa.min_pattern_len() == 0 {
        return generic(dfa, hay, out);
    }
    let overlap = dfa.max_pattern_len().saturating_sub(1);
    if hay.len() < STREAMS * (MIN_STRETCH + overlap) {
        return walk_one(dfa, start, hay, out);
    }
    // Stretch `s` reports the matches ending in `bounds[s]+1..=bounds[s+1]` and starts
    // reading at `from[s]`, early enough to see each of them whole.
    let bounds: [usize; STREAMS + 1] = std::array::from_fn(|s| hay.len() * s / STREAMS);
    let from: [usize; STREAMS] = std::array::from_fn(|s| bounds[s].saturating_sub(overlap));
    let steps = (0..STREAMS)
        .map(|s| bounds[s + 1] - from[s])
        .min()
        .unwrap_or(0);
    let mut found: [Matches; STREAMS] = Default::default();
    let mut sid = [start; STREAMS];
    // The stretches' first `steps` bytes, walked in step by iterators (no index to check).
    let stretch = |s: usize| hay.get(from[s]..from[s] + steps).unwrap_or_default();
    let (first, second, third) = (stretch(0), stretch(1), stretch(2));
    for (j, ((&x, &y), &z)) in first.iter().zip(second).zip(third).enumerate() {
        sid[0] = dfa.next_state(Anchored::No, sid[0], x);
        sid[1] = dfa.next_state(Anchored::No, sid[1], y);
        sid[2] = dfa.next_state(Anchored::No, sid[2], z);
        for s in 0..STREAMS {
            if dfa.is_special(sid[s]) {
                let end = from[s] + j + 1;
                if dfa.is_match(sid[s]) && end > bounds[s] {
                    push_matches(dfa, sid[s], end, &mut found[s]);
                }
            }
        }
    }
    // The stretches differ in length by a byte or so: finish each on its own.
    for s in 0..STREAMS {
        let rest = hay.get(from[s] + steps..bounds[s + 1]).unwrap_or_default();
        for (k, &b) in rest.iter().enumerate() {
            let end = from[s] + steps + k + 1;
            sid[s] = dfa.next_state(Anchored::No, sid[s], b);
            if dfa.is_special(sid[s]) && dfa.is_match(sid[s]) && end > bounds[s] {
                push_matches(dfa, sid[s], end, &mut found[s]);
            }
        }
    }
    for f in found {
        out.extend(f);
    }
}

/// [`matches`] in one walk.
fn walk_one(dfa: &DFA, start: aho_corasick::automaton::StateID, hay: &[u8], out: &mut Matches) {
    let mut sid = start;
    for (at, &b) in hay.iter().enumerate() {
        sid = dfa.next_state(Anchored::No, sid, b);
        if dfa.is_special(sid) && dfa.is_match(sid) {
            push_matches(dfa, sid, at + 1, out);
        }
    }
}

/// The library's own overlapping search, for automata the walks do not handle.
fn generic(dfa: &DFA, hay: &[u8], out: &mut Matches) {
    if let Ok(it) = dfa.try_find_overlapping_iter(Input::new(hay)) {
        out.extend(it.map(|m| (m.pattern(), m.range())));
    }
}

/// The matches of match state `sid`, all ending at `end`.
fn push_matches(dfa: &DFA, sid: aho_corasick::automaton::StateID, end: usize, out: &mut Matches) {
    for k in 0..dfa.match_len(sid) {
        let p = dfa.match_pattern(sid, k);
        out.push((p, end - dfa.pattern_len(p)..end));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;

    fn both(patterns: &[&str], hay: &str) -> (Matches, Matches) {
        let dfa = aho_corasick::dfa::Builder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(patterns)
            .unwrap();
        let mut got = Vec::new();
        matches(&dfa, hay.as_bytes(), &mut got);
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(patterns)
            .unwrap();
        let want = ac
            .find_overlapping_iter(hay)
            .map(|m| (m.pattern(), m.range()))
            .collect();
        (got, want)
    }

    #[test]
    fn matches_across_the_stretch_bounds_are_found_once_and_in_order() {
        // Every position of a long text holds a match, overlapping ones included, so each
        // bound between stretches falls inside matches of every length.
        let hay = "ab".repeat(2000);
        let (got, want) = both(&["a", "ab", "bab", "ababa", "BABABAB"], &hay);
        assert!(got.len() > 8000);
        assert_eq!(got, want);
    }

    #[test]
    fn an_empty_pattern_and_a_short_text_give_what_the_library_gives() {
        let (got, want) = both(&["", "x"], &"x y ".repeat(500));
        assert_eq!(got, want);
        let (got, want) = both(&["sipdis", "dis"], "SIPDIS");
        assert_eq!(got, want);
        assert_eq!(got.len(), 2);
    }

    proptest! {
        #[test]
        fn the_walks_find_what_the_library_finds(
            hay in "[abc?,@ \n]{0,3000}",
            patterns in prop::collection::vec("[abcAB?,@ ]{1,9}", 1..12),
        ) {
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let (got, want) = both(&patterns, &hay);
            prop_assert_eq!(got, want);
        }
    }
}
