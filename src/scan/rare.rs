//! Keyword search by rare bytes: when each keyword holds a byte that is rare in cables, the
//! text is read sixteen bytes at a time for those bytes only, and each keyword is compared
//! where its rare byte stands, instead of walking the whole automaton over every byte.
//!
//! `redact`'s scanner (person, phone and email rules) looks for `@` and the spelled-out
//! `at)`, ` dot `: their rare bytes are `@`, `)`, `]`, `}` and `d`/`D`, about 3% of a
//! cable's bytes. The automaton's walk took about seven instructions a byte there; this
//! search takes about three and a half, most of it the sixteen-byte test (one compare per
//! anchor byte). A keyword is compared once for all its spellings in either case (`at)`,
//! `AT)`), eight bytes at a time. `check`'s keywords (portion marks, markings) have too
//! many rare bytes, or none rare enough, and keep the walk.
//!
//! The matches are those of an ASCII case-insensitive, overlapping Aho-Corasick search in
//! the order it reports them (a test holds the two to it): by their end, then the longer
//! first, then by pattern.

use std::ops::Range;

use aho_corasick::PatternID;

use super::overlapping::Matches;
use crate::text::mask16;

/// Most distinct bytes (each ASCII case counted) the anchors may take: one compare each
/// per sixteen bytes.
const MOST_ANCHORS: usize = 8;

/// Most of a cable's bytes, in ten-thousandths, that may be anchors: beyond, comparing the
/// keywords at each costs about what the walk does.
const MOST_SHARE: u32 = 500;

/// How often each byte stands in a cable, in ten-thousandths of its bytes (counted over a
/// fifth of the corpus).
#[rustfmt::skip]
const FREQUENCY: [u16; 256] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 155, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1502, 0, 15, 1, 1, 0, 0, 14, 21, 22, 4, 0, 67, 158, 82, 19,
    57, 36, 30, 13, 12, 13, 10, 9, 12, 14, 22, 2, 0, 4, 0, 1,
    0, 100, 32, 78, 43, 97, 32, 28, 39, 78, 10, 12, 37, 50, 58, 67,
    42, 3, 74, 99, 71, 50, 12, 15, 18, 16, 10, 0, 2, 0, 0, 0,
    0, 562, 86, 218, 248, 796, 136, 128, 271, 542, 6, 32, 268, 155, 507, 490,
    140, 7, 431, 429, 604, 171, 70, 82, 17, 92, 13, 0, 0, 0, 0, 0,
    5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1, 1, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

/// A byte and, for an ASCII letter, its other case.
fn cases(b: u8) -> [u8; 2] {
    [b.to_ascii_lowercase(), b.to_ascii_uppercase()]
}

/// How often `b` stands in a cable in either ASCII case.
fn share(b: u8) -> u32 {
    let [lower, upper] = cases(b);
    let f = |c: u8| u32::from(FREQUENCY[usize::from(c)]);
    if lower == upper {
        f(b)
    } else {
        f(lower) + f(upper)
    }
}

/// A keyword search by rare bytes; see the module documentation.
#[derive(Debug)]
pub(super) struct Rare {
    /// The anchor bytes: the first `anchors` of the array.
    set: [u8; MOST_ANCHORS],
    anchors: usize,
    /// The patterns that are one in ASCII case-insensitive comparison (`at)`, `AT)`), each
    /// compared once.
    keys: Vec<Key>,
    /// For each byte, the keys anchored on it (by index), with the anchor's offset.
    anchored: Vec<Vec<(usize, usize)>>,
}

/// One keyword in ASCII case-insensitive comparison, and the patterns that spell it.
#[derive(Debug)]
struct Key {
    /// ASCII letters in lower case.
    folded: Vec<u8>,
    /// Its patterns, in order.
    ids: Vec<PatternID>,
    /// For a key of at most eight bytes, the eight-byte comparison: bytes read at a match's
    /// start, with `0x20` set where the key has a letter (folding either case to lower
    /// case) and the bytes past the key cleared, equal `word`.
    fold: u64,
    keep: u64,
    word: u64,
}

impl Key {
    fn new(folded: Vec<u8>) -> Key {
        let (mut fold, mut keep, mut word) = (0u64, 0u64, 0u64);
        if folded.len() <= 8 {
            for (k, &b) in folded.iter().enumerate() {
                let at = 8 * k;
                if b.is_ascii_lowercase() {
                    fold |= 0x20 << at;
                }
                keep |= 0xFF << at;
                word |= u64::from(b) << at;
            }
        }
        Key {
            folded,
            ids: Vec::new(),
            fold,
            keep,
            word,
        }
    }

    /// Whether the key stands at `start` of `hay`.
    #[inline(always)]
    fn at(&self, hay: &[u8], start: usize) -> bool {
        if let Some(eight) = hay.get(start..start + 8)
            && self.folded.len() <= 8
            && let Ok(eight) = <[u8; 8]>::try_from(eight)
        {
            return (u64::from_le_bytes(eight) | self.fold) & self.keep == self.word;
        }
        hay.get(start..start + self.folded.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(&self.folded))
    }
}

impl Rare {
    /// The search for `patterns`, if each holds a byte rare enough and those bytes are few
    /// enough (see [`MOST_ANCHORS`], [`MOST_SHARE`]).
    pub(super) fn new(patterns: &[String]) -> Option<Rare> {
        let mut keys: Vec<Key> = Vec::new();
        for (id, p) in patterns.iter().enumerate() {
            let folded = p.as_bytes().to_ascii_lowercase();
            let k = match keys.iter().position(|k| k.folded == folded) {
                Some(k) => k,
                None => {
                    keys.push(Key::new(folded));
                    keys.len() - 1
                }
            };
            keys[k].ids.push(PatternID::new(id).ok()?);
        }
        let mut anchored: Vec<Vec<(usize, usize)>> = vec![Vec::new(); 256];
        let mut bytes: Vec<u8> = Vec::new();
        for (k, key) in keys.iter().enumerate() {
            // The rarest byte (the first of equals), so each match is found once.
            let (at, &b) = key
                .folded
                .iter()
                .enumerate()
                .min_by_key(|&(k, &b)| (share(b), k))?;
            let both = cases(b);
            let each = if both[0] == both[1] {
                &both[..1]
            } else {
                &both[..]
            };
            for &c in each {
                anchored[usize::from(c)].push((k, at));
                if !bytes.contains(&c) {
                    bytes.push(c);
                }
            }
        }
        let total: u32 = bytes
            .iter()
            .map(|&b| u32::from(FREQUENCY[usize::from(b)]))
            .sum();
        if bytes.len() > MOST_ANCHORS || total > MOST_SHARE {
            return None;
        }
        let first = *bytes.first()?;
        let mut set = [first; MOST_ANCHORS];
        set[..bytes.len()].copy_from_slice(&bytes);
        Some(Rare {
            set,
            anchors: bytes.len(),
            keys,
            anchored,
        })
    }

    /// Every match in `hay`, overlapping ones included, in the order an Aho-Corasick
    /// search reports them, appended to `out`.
    pub(super) fn matches(&self, hay: &[u8], out: &mut Matches) {
        let from = out.len();
        // A compare for each anchor byte and none more: the block test is most of the
        // search's cost.
        match self.anchors {
            1 => self.find::<1>(hay, out),
            2 => self.find::<2>(hay, out),
            3 => self.find::<3>(hay, out),
            4 => self.find::<4>(hay, out),
            5 => self.find::<5>(hay, out),
            6 => self.find::<6>(hay, out),
            7 => self.find::<7>(hay, out),
            _ => self.find::<MOST_ANCHORS>(hay, out),
        }
        // Found in the order of their anchors: put in the order of their ends.
        out[from..].sort_unstable_by_key(|(id, r)| (r.end, std::cmp::Reverse(r.len()), *id));
    }

    /// The keys at each of the first `N` anchor bytes in `hay`.
    fn find<const N: usize>(&self, hay: &[u8], out: &mut Matches) {
        let mut set = [0u8; N];
        set.copy_from_slice(&self.set[..N]);
        let mut at = 0;
        while let Some(mut m) = mask16::any_of(hay, at, set) {
            while m != 0 {
                self.compare(hay, at + m.trailing_zeros() as usize, out);
                m &= m - 1;
            }
            at += mask16::WIDTH;
        }
        for i in at..hay.len() {
            if set.contains(&hay[i]) {
                self.compare(hay, i, out);
            }
        }
    }

    /// The matches of the keys anchored on the byte at `i`.
    #[inline(always)]
    fn compare(&self, hay: &[u8], i: usize, out: &mut Matches) {
        for &(k, off) in &self.anchored[usize::from(hay[i])] {
            let Some(start) = i.checked_sub(off) else {
                continue;
            };
            let key = &self.keys[k];
            if key.at(hay, start) {
                let range: Range<usize> = start..start + key.folded.len();
                out.extend(key.ids.iter().map(|&id| (id, range.clone())));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;

    /// The library's overlapping, ASCII case-insensitive matches.
    fn library(patterns: &[String], hay: &[u8]) -> Matches {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(patterns)
            .unwrap();
        ac.find_overlapping_iter(hay)
            .map(|m| (m.pattern(), m.range()))
            .collect()
    }

    fn ours(patterns: &[String], hay: &[u8]) -> Matches {
        let mut out = Vec::new();
        Rare::new(patterns).unwrap().matches(hay, &mut out);
        out
    }

    fn strings(ps: &[&str]) -> Vec<String> {
        ps.iter().map(|p| (*p).to_string()).collect()
    }

    #[test]
    fn redact_s_keywords_are_searched_by_their_rare_bytes_and_check_s_are_not() {
        let redact = strings(&["at)", "at]", "at}", " dot ", "AT)", "AT]", " DOT ", "@"]);
        let rare = Rare::new(&redact).unwrap();
        let mut set = rare.set[..rare.anchors].to_vec();
        set.sort_unstable();
        assert_eq!(set, b")@D]d}");
        // Common bytes only, or too many rare ones.
        assert!(Rare::new(&strings(&["the", "SECRET"])).is_none());
        let nine = ["(C", "@", "]", "}", "#", "$", "%", "&", "^"];
        assert!(Rare::new(&strings(&nine)).is_none());
        assert!(Rare::new(&strings(&nine[1..])).is_some());
    }

    #[test]
    fn matches_are_those_of_the_library_in_its_order() {
        let patterns = strings(&["at)", "AT)", " dot ", "@", "t)", "a@", "@@"]);
        let hay = b"write to jdoe(at)example dot gov or JDOE (AT) X DoT Y, a@@b at)t)";
        let found = ours(&patterns, hay);
        assert!(found.len() > 8, "{found:?}");
        assert_eq!(found, library(&patterns, hay));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any patterns the search takes (suffixes of each other, repeats in either case,
        /// non-ASCII bytes) match as the library matches them, in its order.
        #[test]
        fn rare_byte_matches_are_the_library_s(
            patterns in prop::collection::vec(
                prop::collection::vec(prop::sample::select(&b"aAtT)@]dD x\xc3\xa9"[..]), 1..5),
                1..7,
            ),
            hay in prop::collection::vec(prop::sample::select(&b"aAtT)@]dD x\xc3\xa9\n"[..]), 0..200),
        ) {
            let patterns: Vec<String> = patterns
                .into_iter()
                .map(|p| String::from_utf8_lossy(&p).into_owned())
                .collect();
            // Sets the search does not take are left to the walk.
            prop_assume!(Rare::new(&patterns).is_some());
            prop_assert_eq!(ours(&patterns, &hay), library(&patterns, &hay));
        }
    }
}
