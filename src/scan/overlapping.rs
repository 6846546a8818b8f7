//! Every match of an Aho-Corasick DFA in a text, overlapping ones included, found by
//! walking several stretches of the text at once through a copy of the DFA's transitions.
//!
//! A DFA walk is one dependent load per byte: the next state cannot be looked up before the
//! current one is known, so a single walk leaves the processor waiting on memory most of the
//! time. [`STREAMS`] walks over consecutive stretches, stepped in one loop, keep that many
//! loads in flight. Each stretch after the first starts `max_pattern_len - 1` bytes early, so
//! that a match crossing into it from the one before is seen whole; it reports only the
//! matches that end inside it. The result is the same matches in the same order as
//! [`aho_corasick::AhoCorasick::find_overlapping_iter`].
//!
//! The walks step through a [`Table`] rather than the library's `next_state`: a step there
//! maps the byte to its class, checks the index against the transition table's length and
//! then tells special states apart; in the table the index is masked to a fixed length (no
//! check), and a flag bit in the ids of match states lets one test cover all the walks.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, Input, PatternID};

/// Stretches walked at once. With the library's `next_state`, searching the corpus for the
/// built-in view keywords took 88 ms in one walk, 61 ms in two, 55 ms in three and 56 ms in
/// four; through the [`Table`], whose steps take fewer instructions, the walks took 5.6% of
/// a one-thread `check`'s CPU samples in three and 4.8% in four (three runs each, alternated;
/// 6.4% with `next_state` in three).
const STREAMS: usize = 4;

/// Texts shorter than this many bytes per stretch are walked in one piece: the split would
/// cost more than it saves.
const MIN_STRETCH: usize = 256;

/// Entries in a [`Table`] (states times byte classes), a power of two so that an index
/// masked to it needs no bounds check. The built-in automata need a few thousand; an
/// automaton that needs more is walked by the library.
const TABLE: usize = 1 << 15;

/// A pattern's matches as the library reports them: its id and byte range.
pub(crate) type Matches = Vec<(PatternID, Range<usize>)>;

/// Room for each stretch's matches, kept empty between searches so that a thread's
/// searches reuse it instead of allocating their own.
#[derive(Debug, Default)]
pub(crate) struct Spare {
    streams: [Matches; STREAMS],
}

impl Spare {
    /// How many matches the streams have room for.
    pub(crate) fn capacity(&self) -> usize {
        self.streams.iter().map(Vec::capacity).sum()
    }
}

/// Set in the id of a match state. Above every index into a [`Table`], so the mask that
/// keeps an index in bounds also clears it.
const MATCH: u32 = 1 << 31;
const _: () = assert!(
    TABLE <= MATCH as usize,
    "an index must not reach the match flag"
);

/// A DFA's transitions over its byte classes: each state's id is its row's offset, with
/// [`MATCH`] set for match states.
#[derive(Debug)]
pub(crate) struct Table {
    /// Each byte's class: bytes that occur in no pattern (in either ASCII case) share one,
    /// and each other byte has its own, shared with its other ASCII case.
    classes: [u8; 256],
    /// `next[state + class]`: the next state.
    next: Box<[u32; TABLE]>,
    /// The number of classes: the distance between two states' rows.
    stride: usize,
    /// The start state's id.
    start: u32,
    /// The library's state for each of ours (by `id / stride`, [`MATCH`] cleared), for its
    /// matches.
    states: Vec<StateID>,
}

impl Table {
    /// The table of `dfa`, built for an unanchored, ASCII case-insensitive search of
    /// `patterns`; `None` when it would not fit, when the DFA matches the empty string (the
    /// walks never look before the first byte), or when a transition does not agree with the
    /// DFA's.
    pub(crate) fn new(dfa: &DFA, patterns: &[String]) -> Option<Table> {
        let start = dfa.start_state(Anchored::No).ok()?;
        if dfa.min_pattern_len() == 0 {
            return None;
        }
        let (classes, reps) = byte_classes(patterns);
        let stride = reps.len();
        // The library's states in the order a breadth-first walk meets them, and each one's
        // row of next states (as indices into that order).
        let mut order = vec![start];
        let mut index: HashMap<StateID, u32> = HashMap::from([(start, 0)]);
        let mut rows: Vec<u32> = Vec::new();
        let mut i = 0;
        while let Some(&s) = order.get(i) {
            for rep in &reps {
                // A class without bytes (every byte occurs in some pattern) is never read.
                let t = rep.map_or(start, |b| dfa.next_state(Anchored::No, s, b));
                let n = u32::try_from(order.len()).ok()?;
                let t = *index.entry(t).or_insert_with(|| {
                    order.push(t);
                    n
                });
                rows.push(t);
            }
            i += 1;
            if order.len() * stride > TABLE {
                return None;
            }
        }
        // Every byte from every state goes where the DFA goes.
        for (k, &s) in order.iter().enumerate() {
            for b in 0..=255u8 {
                let ours = rows[k * stride + usize::from(classes[usize::from(b)])];
                if order.get(ours as usize) != Some(&dfa.next_state(Anchored::No, s, b)) {
                    return None;
                }
            }
        }
        // A state's id is its row's offset, with [`MATCH`] set for a match state.
        let id = |k: u32| -> Option<u32> {
            let s = *order.get(k as usize)?;
            let row = u32::try_from(k as usize * stride).ok()?;
            Some(if dfa.is_match(s) { row | MATCH } else { row })
        };
        let mut next: Box<[u32; TABLE]> = vec![0u32; TABLE].into_boxed_slice().try_into().ok()?;
        for (at, &t) in next.iter_mut().zip(&rows) {
            *at = id(t)?;
        }
        Some(Table {
            classes,
            next,
            stride,
            start: id(0)?,
            states: order,
        })
    }

    /// The state after `sid` reads `byte`.
    #[inline(always)]
    fn step(&self, sid: u32, byte: u8) -> u32 {
        let class = usize::from(self.classes[usize::from(byte)]);
        self.next[(sid as usize + class) & (TABLE - 1)]
    }

    /// Append the matches of state `sid` (a match state), all ending at `end`.
    fn push_matches(&self, dfa: &DFA, sid: u32, end: usize, out: &mut Matches) {
        if let Some(&s) = self.states.get((sid & !MATCH) as usize / self.stride) {
            push_matches(dfa, s, end, out);
        }
    }
}

/// Each byte's class for ASCII case-insensitive `patterns` (see [`Table::classes`]), and a
/// byte of each class (`None` for the class of bytes in no pattern when there are none).
fn byte_classes(patterns: &[String]) -> ([u8; 256], Vec<Option<u8>>) {
    let mut used = [false; 256];
    for b in patterns.iter().flat_map(|p| p.bytes()) {
        used[usize::from(b.to_ascii_lowercase())] = true;
    }
    let mut classes = [0u8; 256];
    let mut reps: Vec<Option<u8>> = vec![None];
    let mut of_folded: [Option<u8>; 256] = [None; 256];
    for b in 0..=255u8 {
        let folded = usize::from(b.to_ascii_lowercase());
        let class = if !used[folded] {
            if reps[0].is_none() {
                reps[0] = Some(b);
            }
            0
        } else if let Some(c) = of_folded[folded] {
            c
        } else {
            // At most 1 + 256 - 26 classes: they fit a byte.
            let c = u8::try_from(reps.len()).unwrap_or(u8::MAX);
            reps.push(Some(b));
            of_folded[folded] = Some(c);
            c
        };
        classes[usize::from(b)] = class;
    }
    (classes, reps)
}

/// Append every match of `dfa` (built for an unanchored search) in `hay` to `out`, ordered
/// by where they end, then as the automaton reports matches ending at the same byte. The
/// walks need the DFA's [`Table`]; without one, the library searches.
pub(crate) fn matches(
    dfa: &DFA,
    table: Option<&Table>,
    hay: &[u8],
    out: &mut Matches,
    spare: &mut Spare,
) {
    let Some(t) = table else {
        return generic(dfa, hay, out);
    };
    let overlap = dfa.max_pattern_len().saturating_sub(1);
    if hay.len() < STREAMS * (MIN_STRETCH + overlap) {
        return walk_one(dfa, t, hay, out);
    }
    // Stretch `s` reports the matches ending in `bounds[s]+1..=bounds[s+1]` and starts
    // reading at `from[s]`, early enough to see each of them whole.
    let bounds: [usize; STREAMS + 1] = std::array::from_fn(|s| hay.len() * s / STREAMS);
    let from: [usize; STREAMS] = std::array::from_fn(|s| bounds[s].saturating_sub(overlap));
    let steps = (0..STREAMS)
        .map(|s| bounds[s + 1] - from[s])
        .min()
        .unwrap_or(0);
    let found = &mut spare.streams;
    let mut sid = [t.start; STREAMS];
    // The stretches' first `steps` bytes, walked in step.
    let stretch = |s: usize| hay.get(from[s]..from[s] + steps).unwrap_or_default();
    let stretches: [&[u8]; STREAMS] = std::array::from_fn(stretch);
    // As long as the shortest (all are `steps` long), so that every call below moves on.
    let steps = stretches.iter().map(|s| s.len()).min().unwrap_or(0);
    let mut j = 0;
    while j < steps {
        j = walk_all(t, stretches, &mut sid, j);
        // Some walk is in a match state after byte `j - 1`, or all are done.
        for s in 0..STREAMS {
            let end = from[s] + j;
            if sid[s] & MATCH != 0 && end > bounds[s] {
                t.push_matches(dfa, sid[s], end, &mut found[s]);
            }
        }
    }
    // The stretches differ in length by a byte or so: finish each on its own.
    for s in 0..STREAMS {
        let rest = hay.get(from[s] + steps..bounds[s + 1]).unwrap_or_default();
        for (k, &b) in rest.iter().enumerate() {
            let end = from[s] + steps + k + 1;
            sid[s] = t.step(sid[s], b);
            if sid[s] & MATCH != 0 && end > bounds[s] {
                t.push_matches(dfa, sid[s], end, &mut found[s]);
            }
        }
    }
    for f in found {
        out.append(f);
    }
}

/// Step the walks in `sid` over `stretches` (of equal length) from byte `j` until one of
/// them reaches a match state or the stretches end; the position after the last byte read.
/// The loop is a function of its own so that its few values stay in registers.
#[inline(never)]
fn walk_all(
    t: &Table,
    stretches: [&[u8]; STREAMS],
    sid: &mut [u32; STREAMS],
    mut j: usize,
) -> usize {
    let n = stretches.iter().map(|s| s.len()).min().unwrap_or(0);
    let stretches = stretches.map(|s| &s[..n]);
    let mut now = *sid;
    while j < n {
        for (state, stretch) in now.iter_mut().zip(&stretches) {
            *state = t.step(*state, stretch[j]);
        }
        j += 1;
        if now.iter().fold(0, |any, &s| any | s) & MATCH != 0 {
            break;
        }
    }
    *sid = now;
    j
}

/// [`matches`] in one walk.
fn walk_one(dfa: &DFA, t: &Table, hay: &[u8], out: &mut Matches) {
    let mut sid = t.start;
    for (at, &b) in hay.iter().enumerate() {
        sid = t.step(sid, b);
        if sid & MATCH != 0 {
            t.push_matches(dfa, sid, at + 1, out);
        }
    }
}

/// The library's own overlapping search, for automata without a table.
fn generic(dfa: &DFA, hay: &[u8], out: &mut Matches) {
    if let Ok(it) = dfa.try_find_overlapping_iter(Input::new(hay)) {
        out.extend(it.map(|m| (m.pattern(), m.range())));
    }
}

/// The matches of match state `sid`, all ending at `end`.
fn push_matches(dfa: &DFA, sid: StateID, end: usize, out: &mut Matches) {
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

    /// The walks' matches (through the table, which must build) and the library's.
    fn both(patterns: &[&str], hay: &str) -> (Matches, Matches) {
        let dfa = aho_corasick::dfa::Builder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(patterns)
            .unwrap();
        let owned: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        let table = Table::new(&dfa, &owned);
        assert!(table.is_some() || patterns.contains(&""), "{patterns:?}");
        let mut got = Vec::new();
        matches(
            &dfa,
            table.as_ref(),
            hay.as_bytes(),
            &mut got,
            &mut Spare::default(),
        );
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

    #[test]
    fn bytes_of_every_kind_step_as_the_automaton_steps() {
        // Patterns holding non-ASCII bytes, control bytes and every ASCII letter, so that
        // few bytes are in no pattern, over a text of every byte.
        let letters: String = ('a'..='z').collect();
        let patterns = ["\u{a0}", "\u{b6}1", "\x07", "Zz", letters.as_str(), "?s"];
        let hay: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        let hay = String::from_utf8_lossy(&hay).into_owned() + "?S ¶1 ZZ \u{a0}";
        let (got, want) = both(&patterns, &hay);
        assert!(got.len() > 10);
        assert_eq!(got, want);
    }

    #[test]
    fn an_automaton_too_large_for_a_table_has_none() {
        let many: Vec<String> = (0..2000).map(|i| format!("w{i:04}x{i}")).collect();
        let dfa = aho_corasick::dfa::Builder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&many)
            .unwrap();
        assert!(Table::new(&dfa, &many).is_none());
        // Without one, the library's search finds the same.
        let mut got = Vec::new();
        matches(
            &dfa,
            None,
            b"w0007x7 w1999x1999",
            &mut got,
            &mut Spare::default(),
        );
        assert_eq!(got.len(), 2);
    }

    proptest! {
        #[test]
        fn the_walks_find_what_the_library_finds(
            hay in "[abc?,@ \n\u{e9}\u{a0}]{0,3000}",
            patterns in prop::collection::vec("[abcAB?,@ \u{e9}]{1,9}", 1..12),
        ) {
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let (got, want) = both(&patterns, &hay);
            prop_assert_eq!(got, want);
        }
    }
}
