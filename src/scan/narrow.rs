//! Narrowing a match to its group `m` from the match's bytes, without the capture engine.
//!
//! Most patterns that report group `m` put context around it (`1. (SBU)` is found after
//! a paragraph number, reported as `(SBU)`): the pattern is a concatenation of a part
//! before `m`, `m` itself and a part after it. When no byte the part before can consume
//! is one that can start `m`, `m` starts at the match's first byte that can start it; and
//! likewise for its end and the part after. The whole match is then all a search needs:
//! reading its groups took a second engine over every match (the bounded backtracker),
//! most of the cost of a search for the portion marks that stand in every paragraph.

use std::ops::Range;

use regex_syntax::hir::{Class, Hir, HirKind};

/// A set of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Bytes([u64; 4]);

impl Bytes {
    const ALL_HIGH: Bytes = Bytes([0, 0, u64::MAX, u64::MAX]);

    fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    /// A byte of a literal: itself if ASCII, else every byte from `0x80` up (it may stand in
    /// any position of a character's encoding, or be a raw byte in a `(?-u)` pattern).
    fn insert_literal(&mut self, b: u8) {
        if b < 0x80 {
            self.insert(b);
        } else {
            *self = self.union(Bytes::ALL_HIGH);
        }
    }

    fn insert_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.insert(b);
        }
    }

    fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn union(self, other: Bytes) -> Bytes {
        let mut out = self;
        for (a, b) in out.0.iter_mut().zip(other.0) {
            *a |= b;
        }
        out
    }

    fn meets(&self, other: &Bytes) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| a & b != 0)
    }

    /// Every byte of the UTF-8 encodings of `class`'s characters: their ASCII bytes exactly,
    /// and every byte from `0x80` up for a character beyond ASCII (any of which may be the
    /// first, last or an inner byte of its encoding).
    fn of_class(class: &Class) -> Bytes {
        let mut out = Bytes::default();
        match class {
            Class::Bytes(c) => {
                for r in c.ranges() {
                    out.insert_range(r.start(), r.end());
                }
            }
            Class::Unicode(c) => {
                for r in c.ranges() {
                    let lo = u32::from(r.start());
                    let hi = u32::from(r.end());
                    if lo < 0x80 {
                        // Both are below 0x80 here, so the casts keep their values.
                        out.insert_range(lo as u8, hi.min(0x7f) as u8);
                    }
                    if hi >= 0x80 {
                        out = out.union(Bytes::ALL_HIGH);
                    }
                }
            }
        }
        out
    }
}

/// Which end of a match a set of bytes is wanted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    First,
    Last,
}

/// The bytes a non-empty match of `hir` can start (or end) with, and whether `hir` can
/// match the empty string.
fn edge(hir: &Hir, end: End) -> (Bytes, bool) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (Bytes::default(), true),
        HirKind::Literal(lit) => {
            let b = match end {
                End::First => lit.0.first(),
                End::Last => lit.0.last(),
            };
            let mut out = Bytes::default();
            match b {
                Some(&b) => out.insert_literal(b),
                None => return (out, true),
            }
            (out, false)
        }
        HirKind::Class(c) => (Bytes::of_class(c), false),
        HirKind::Capture(c) => edge(&c.sub, end),
        HirKind::Repetition(r) => {
            let (bytes, empty) = edge(&r.sub, end);
            (bytes, empty || r.min == 0)
        }
        HirKind::Alternation(ways) => ways.iter().fold((Bytes::default(), false), |acc, w| {
            let (bytes, empty) = edge(w, end);
            (acc.0.union(bytes), acc.1 || empty)
        }),
        HirKind::Concat(parts) => {
            let mut out = Bytes::default();
            let mut step = |part: &Hir| {
                let (bytes, empty) = edge(part, end);
                out = out.union(bytes);
                empty
            };
            let empty = match end {
                End::First => parts.iter().all(&mut step),
                End::Last => parts.iter().rev().all(&mut step),
            };
            (out, empty)
        }
    }
}

/// Every byte a match of `hir` can hold.
fn all_bytes(hir: &Hir) -> Bytes {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Bytes::default(),
        HirKind::Literal(lit) => {
            let mut out = Bytes::default();
            for &b in lit.0.iter() {
                out.insert_literal(b);
            }
            out
        }
        HirKind::Class(c) => Bytes::of_class(c),
        HirKind::Capture(c) => all_bytes(&c.sub),
        HirKind::Repetition(r) => all_bytes(&r.sub),
        HirKind::Alternation(v) | HirKind::Concat(v) => v
            .iter()
            .fold(Bytes::default(), |acc, h| acc.union(all_bytes(h))),
    }
}

/// How group `m` is read from the bytes of a whole match (see the module's notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cut {
    /// The bytes `m` can start with; the part before it holds none of them.
    first: Bytes,
    /// The bytes `m` can end with; the part after it holds none of them.
    last: Bytes,
}

impl Cut {
    /// The cut for a pattern whose top level is a concatenation with group `m` as one of its
    /// parts, `m` never empty and in no other part, and the bytes around it apart from its
    /// ends as above; `None` for any other pattern (its groups are read as they are).
    pub(crate) fn of(hir: &Hir) -> Option<Cut> {
        let HirKind::Concat(parts) = hir.kind() else {
            return None;
        };
        let is_m =
            |h: &Hir| matches!(h.kind(), HirKind::Capture(c) if c.name.as_deref() == Some("m"));
        let k = parts.iter().position(is_m)?;
        let HirKind::Capture(m) = parts[k].kind() else {
            return None;
        };
        if parts
            .iter()
            .enumerate()
            .any(|(i, p)| i != k && super::has_group_m(p))
        {
            return None;
        }
        let (first, empty) = edge(&m.sub, End::First);
        if empty {
            return None;
        }
        let (last, _) = edge(&m.sub, End::Last);
        let before = parts[..k]
            .iter()
            .fold(Bytes::default(), |acc, h| acc.union(all_bytes(h)));
        let after = parts[k + 1..]
            .iter()
            .fold(Bytes::default(), |acc, h| acc.union(all_bytes(h)));
        (!before.meets(&first) && !after.meets(&last)).then_some(Cut { first, last })
    }

    /// Group `m` of the match `whole` of `text`.
    pub(crate) fn narrow(&self, text: &[u8], whole: Range<usize>) -> Range<usize> {
        let bytes = text.get(whole.clone()).unwrap_or_default();
        let start = bytes.iter().position(|&b| self.first.contains(b));
        let end = bytes.iter().rposition(|&b| self.last.contains(b));
        match (start, end) {
            (Some(s), Some(e)) if s <= e => whole.start + s..whole.start + e + 1,
            // Not a match of the pattern the cut was made for.
            _ => whole,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn cut(pattern: &str) -> Option<Cut> {
        Cut::of(&regex_syntax::parse(pattern).unwrap())
    }

    #[test]
    fn a_group_whose_ends_its_context_cannot_hold_is_cut_from_the_match() {
        let c = cut(r"(?m)(?:^[ \t]*[0-9]{1,3}\.[ \t]*|[.:;][ \t]*)(?P<m>\((?:S|C|SBU)\))[ \t]*$");
        let text = b"xx 12. (SBU)  ";
        let c = c.unwrap();
        assert_eq!(c.narrow(text, 5..14), 7..12);
        // Context after a group that ends in a letter.
        let c = cut(r"(?P<m>[A-Z]+)[0-9 ]+").unwrap();
        assert_eq!(c.narrow(b"AB12 3", 0..6), 0..2);
    }

    #[test]
    fn a_group_whose_ends_its_context_may_hold_is_read_by_the_capture_engine() {
        // `S` of `SUBJECT:` can start the group.
        assert_eq!(cut(r"(?:SUBJECT: *)(?P<m>(?:SBU|S//NF)\))"), None);
        // `)` can end the group and follow it.
        assert_eq!(cut(r" (?P<m>\(C\))\)?"), None);
        // A case-insensitive context holds both cases of the group's first letter.
        assert_eq!(cut(r"(?i:no )(?P<m>N[a-z]+)"), None);
        // A non-ASCII context may hold any byte from 0x80 up.
        assert_eq!(cut(r"¶ ?(?P<m>é[a-z])"), None);
        // A group that may be empty has no first byte.
        assert_eq!(cut(r"x(?P<m>a*)"), None);
        // A group inside a repetition, an alternation, or the whole match.
        assert_eq!(cut(r"(?:x(?P<m>a))+"), None);
        assert_eq!(cut(r"x(?P<m>a)|b"), None);
        assert_eq!(cut(r"(?P<m>ab)"), None);
    }

    #[test]
    fn an_optional_start_leaves_the_next_parts_bytes_as_a_first_byte() {
        // `m` may start with `(` or a digit: the context must hold neither.
        assert_eq!(cut(r"[0-9] (?P<m>\(?[0-9]+\)?)"), None);
        let c = cut(r"- (?P<m>\(?[0-9]+\)?)").unwrap();
        assert_eq!(c.narrow(b"- 12", 0..4), 2..4);
        assert_eq!(c.narrow(b"- (12)", 0..6), 2..6);
    }

    proptest::proptest! {
        /// Wherever a cut is made, it finds the group the capture engine finds.
        #[test]
        fn a_cut_finds_the_group_the_capture_engine_finds(
            pattern in proptest::sample::select(vec![
                r"(?m)(?:^[ \t]*(?:[0-9]{1,3},?[ \t]+)?|[.:;)\-*][ \t]*)(?P<m>\((?:TS|SBU|U|C|S)(?: ?//? ?(?:NF|REL(?: TO)?(?:,? ?[A-Z]{2,})+))*\))",
                r"(?m)[ \t](?P<m>\((?:TS|SBU|U|C|S)(?: ?//? ?NF)*\))[ \t]*$",
                r"(?m)^[ \t]*¶?[0-9]{1,3}\.[ \t]*(?P<m>\((?:u|c|s|sbu)\))",
                r"(?i)by: *(?P<m>[a-z][a-z .]*[a-z])[ ,]*(?:1\.[45]|reasons?)",
                r"- (?P<m>\(?[0-9]+\)?)",
            ]),
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "(", ")", "(S)", "(SBU)", "(C//NF)", "(S//REL TO USA, GBR)", "(u)", "S",
                    "NF", "//", " ", "\t", "\n", "1.", "12,", ".", ":", "-", "¶", "By: ",
                    "Jane Roe", "1.4", "reasons", "x", "0", "é",
                ]),
                0..14,
            ),
        ) {
            let hir = regex_syntax::parse(pattern).unwrap();
            let re = regex::Regex::new(pattern).unwrap();
            let text = pieces.concat();
            if let Some(c) = Cut::of(&hir) {
                for caps in re.captures_iter(&text) {
                    let whole = caps.get(0).unwrap().range();
                    let m = caps.name("m").unwrap().range();
                    proptest::prop_assert_eq!(c.narrow(text.as_bytes(), whole), m, "{:?}", text);
                }
            }
        }
    }

    #[test]
    fn the_patterns_of_the_property_test_are_cut() {
        for p in [
            r"(?m)[ \t](?P<m>\((?:TS|SBU|U|C|S)(?: ?//? ?NF)*\))[ \t]*$",
            r"(?m)^[ \t]*¶?[0-9]{1,3}\.[ \t]*(?P<m>\((?:u|c|s|sbu)\))",
            r"- (?P<m>\(?[0-9]+\)?)",
        ] {
            assert!(cut(p).is_some(), "{p}");
        }
    }
}
