//! The raw text's keyword hits without a walk over the whole raw text.
//!
//! Most of a document's normalised view is the raw text copied byte for byte: only blank
//! runs, page headers and letter-spaced banners read otherwise. One automaton of the view's
//! and the raw text's patterns walked over the view finds both views' hits; a raw pattern's
//! match inside a copied piece of the view is a match in the raw text at the copied bytes.
//! A raw match anywhere else takes in at least one byte the view does not copy. The raw text
//! is walked only around those bytes, and only where a raw pattern can take them in: a run
//! of blanks other than one lone space (a line break, a paragraph break, two spaces) holds
//! no byte of a match of a pattern whose only blanks are single spaces between other
//! characters (see [`Both::new`]), and those runs are nearly all the view reads otherwise.
//!
//! This needs the raw text to be the document itself (no byte-order mark, no `\r`, valid
//! UTF-8: every cable of the corpus); other documents are walked twice, as before.

use std::ops::Range;

use aho_corasick::PatternID;
use aho_corasick::dfa::DFA;

use super::Search;
use super::overlapping::{self, Matches, Spare, Table};
use crate::text::View;

/// Blank bytes the normaliser folds into one space or a paragraph break (`\` only before
/// the end of a line). A raw pattern holding none of them but single spaces between other
/// bytes cannot take in a byte of a run of them other than one lone space. The no-break
/// space, which the normaliser folds too, is left out: a raw pattern may hold one, and a
/// stretch holding one is walked.
const BLANKS: &[u8] = b" \t\r\n\\";

/// One automaton for the view's patterns and the raw text's.
#[derive(Debug)]
pub(super) struct Both {
    dfa: Box<DFA>,
    table: Table,
    /// The union's patterns below this are the view automaton's, in its order; the others
    /// the raw automaton's, from pattern 0.
    view_patterns: usize,
    /// The raw automaton's longest pattern, in bytes.
    raw_longest: usize,
}

impl Both {
    /// The union of `view` and `raw` patterns (ASCII case-insensitive, as [`Search`] builds
    /// them); `None` when a raw pattern holds a blank other than a single space between
    /// other bytes, or when the union has no table for its walks.
    pub(super) fn new(view: &[String], raw: &[String]) -> Option<Both> {
        if raw.is_empty() || !raw.iter().all(|p| blanks_are_inner_spaces(p.as_bytes())) {
            return None;
        }
        let texts: Vec<String> = view.iter().chain(raw).cloned().collect();
        // Built as each view's walked automaton is; only a DFA has a table.
        let Search::Dfa(dfa) = Search::walked(&texts).ok()? else {
            return None;
        };
        let table = Table::new(&dfa, &texts)?;
        let raw_longest = raw.iter().map(String::len).max()?;
        Some(Both {
            dfa,
            table,
            view_patterns: view.len(),
            raw_longest,
        })
    }

    /// The matches of the view automaton in `view` into `view_found`, and those of the raw
    /// automaton (`raw`, with its table if it has one) in the raw text, which is
    /// `original`, into `raw_found`: each list as the automaton's own walk reports it.
    pub(super) fn matches(
        &self,
        view: &View,
        original: &[u8],
        raw: (&Search, Option<&Table>),
        found: (&mut Matches, &mut Matches),
        spare: &mut Spare,
    ) {
        let (view_found, raw_found) = found;
        let start = raw_found.len();
        overlapping::matches(
            &self.dfa,
            Some(&self.table),
            view.text().as_bytes(),
            view_found,
            spare,
        );
        // The raw matches inside copied pieces, at their original bytes.
        view_found.retain(|(p, range)| {
            let Some(raw_id) = p.as_usize().checked_sub(self.view_patterns) else {
                return true;
            };
            if let (Some(at), Ok(id)) = (view.copied_from(range), PatternID::new(raw_id)) {
                raw_found.push((id, at..at + range.len()));
            }
            false
        });
        // The raw matches that take in a byte the view does not copy.
        let reach = self.raw_longest.saturating_sub(1);
        let mut near: Vec<Range<usize>> = Vec::new();
        let mut window: Option<Range<usize>> = None;
        let mut walked = Matches::new();
        let mut flush = |w: Range<usize>, near: &mut Vec<Range<usize>>| {
            let Some(hay) = original.get(w.clone()) else {
                near.clear();
                return;
            };
            walked.clear();
            raw.0.matches(hay, raw.1, &mut walked, spare);
            for (p, r) in walked.drain(..) {
                let r = w.start + r.start..w.start + r.end;
                if near.iter().any(|s| takes_in(&r, s)) {
                    raw_found.push((p, r));
                }
            }
            near.clear();
        };
        for stretch in view.uncopied() {
            if !may_hold_raw_bytes(original, &stretch) {
                continue;
            }
            let w = stretch.start.saturating_sub(reach)..(stretch.end + reach).min(original.len());
            window = match window {
                Some(open) if w.start < open.end => Some(open.start..w.end.max(open.end)),
                Some(open) => {
                    flush(open, &mut near);
                    Some(w)
                }
                None => Some(w),
            };
            near.push(stretch);
        }
        if let Some(open) = window {
            flush(open, &mut near);
        }
        // In the order of the raw automaton's walk: by end, the longer first, then by
        // pattern (a match state lists its patterns so).
        raw_found[start..].sort_unstable_by_key(|(p, r)| (r.end, std::cmp::Reverse(r.len()), *p));
    }
}

/// Whether every blank of `pattern` ([`BLANKS`]) is a space with a byte other than a blank
/// on either side.
fn blanks_are_inner_spaces(pattern: &[u8]) -> bool {
    pattern.iter().enumerate().all(|(i, b)| {
        if !BLANKS.contains(b) {
            return true;
        }
        let other = |j: Option<usize>| {
            j.and_then(|j| pattern.get(j))
                .is_some_and(|c| !BLANKS.contains(c))
        };
        *b == b' ' && other(i.checked_sub(1)) && other(Some(i + 1))
    })
}

/// Whether a raw pattern's match may take in a byte of uncopied `stretch` of `original`, or
/// for an empty stretch, have bytes on both sides of it. Not when the stretch is blanks
/// ([`BLANKS`]) other than one lone space: a raw pattern of a [`Both`] holds no blank but
/// single spaces with other bytes on either side, so the part of a match in such a stretch
/// would be a space with bytes that are no blanks around it, a stretch of its own.
fn may_hold_raw_bytes(original: &[u8], stretch: &Range<usize>) -> bool {
    original
        .get(stretch.clone())
        .is_none_or(|s| s.is_empty() || s == b" " || s.iter().any(|b| !BLANKS.contains(b)))
}

/// Whether match `r` takes in a byte of `stretch`, or for an empty stretch (two copied
/// pieces that meet in the original), has bytes on both sides of it.
fn takes_in(r: &Range<usize>, stretch: &Range<usize>) -> bool {
    if stretch.is_empty() {
        r.start < stretch.start && stretch.start < r.end
    } else {
        r.start < stretch.end && stretch.start < r.end
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::LazyLock;

    use proptest::prelude::*;

    use super::*;
    use crate::cable::Cable;
    use crate::rules::RuleSet;
    use crate::scan::Scanner;
    use crate::text::{self, floor_char};

    static BUILTIN: LazyLock<Scanner> =
        LazyLock::new(|| Scanner::new(&RuleSet::builtin().unwrap()).unwrap());

    const SEED: &str = include_str!("../../tests/fixtures/cables/07ASTANA614.txt");

    /// What [`Both::matches`] finds in `doc` with the built-in rules, and what a walk of
    /// each automaton over its whole view finds; `None` when the raw text is not `doc`.
    fn found_and_walked(doc: &[u8]) -> Option<((Matches, Matches), (Matches, Matches))> {
        let [Some(v), Some(r)] = &BUILTIN.literals else {
            panic!("the built-in rules have keywords on both views");
        };
        let cable = Cable::parse(doc);
        let view = text::normalized_with(doc, &cable.view_edits());
        let raw = text::raw(doc);
        if !raw.is_verbatim() {
            return None;
        }
        let both = Both::new(&v.texts, &r.texts).unwrap();
        let mut spare = Spare::default();
        let (mut view_found, mut raw_found) = (Matches::new(), Matches::new());
        both.matches(
            &view,
            raw.text().as_bytes(),
            (&r.search, r.table(true)),
            (&mut view_found, &mut raw_found),
            &mut spare,
        );
        let mut view_walked = Matches::new();
        let mut raw_walked = Matches::new();
        let view_text = view.text().as_bytes();
        v.search
            .matches(view_text, v.table(true), &mut view_walked, &mut spare);
        r.search.matches(
            raw.text().as_bytes(),
            r.table(true),
            &mut raw_walked,
            &mut spare,
        );
        Some(((view_found, raw_found), (view_walked, raw_walked)))
    }

    /// Pieces of cable text: what the view reads otherwise (page headers, letter-spaced
    /// banners, blank runs, no-break spaces, line-ending `\`), raw and view keywords, words.
    const PIECES: &[&str] = &[
        "\nASTANA 00000614  002 OF 016 \n",
        "\nKABUL 00003025 002 OF 002\n",
        "\nC O N F I D E N T I A L\n",
        "C O N F I D E N T I A L SECTION 01 OF 02 OSLO 000123",
        "U N C L A S",
        "S E C R E T",
        "C C O N F",
        "SECRET",
        "secret",
        "CONFIDENTIAL",
        "UNCLAS",
        "(C)",
        "(S//NF)",
        "(SBU)",
        "SBU)",
        "NF)",
        "(U)",
        "(TS)",
        "SENSITIVE",
        "EXEMPT",
        "(protect)",
        "\u{a0}",
        "a\u{a0}b",
        "\u{b}",
        "\u{7}",
        "\u{7f}",
        "?s",
        ",s",
        "@",
        "classified by",
        "DECL:",
        "ZNY",
        " dot ",
        "(at)",
        "\u{b6}",
        "\u{fffd}",
        " ",
        "  ",
        "\n",
        " \n",
        "\n\n",
        "\t",
        "\\\n",
        "x",
        "word",
        ". ",
        "1. ",
        "O N F",
        "E C R",
        "N C L",
    ];

    proptest! {
        #[test]
        fn one_walk_over_the_view_finds_what_a_walk_over_each_view_finds(
            cuts in proptest::collection::vec(
                (0usize..20_000, proptest::sample::select(PIECES)),
                0..16,
            ),
            plain in proptest::collection::vec(proptest::sample::select(PIECES), 0..40),
            on_seed: bool,
        ) {
            let mut doc = if on_seed { SEED.to_string() } else { plain.concat() };
            for (at, piece) in cuts {
                let at = floor_char(&doc, at % (doc.len() + 1));
                doc.insert_str(at, piece);
            }
            let (found, walked) = found_and_walked(doc.as_bytes()).unwrap();
            prop_assert_eq!(found, walked);
        }
    }

    #[test]
    fn the_seed_cable_s_matches_are_those_of_two_walks() {
        let (found, walked) = found_and_walked(SEED.as_bytes()).unwrap();
        // Portion marks, banners and page headers: raw matches in copied text and in text
        // the view reads otherwise.
        assert!(found.1.len() > 20, "{:?}", found.1);
        assert_eq!(found, walked);
    }

    #[test]
    fn a_raw_text_that_is_not_the_document_is_walked_on_its_own() {
        assert!(found_and_walked(b"SECRET\r\n(C) text\r\n").is_none());
        assert!(found_and_walked(b"\xef\xbb\xbfSECRET").is_none());
        assert!(found_and_walked(b"SECRET \xff (C)").is_none());
    }

    #[test]
    fn raw_patterns_may_hold_blanks_only_as_single_spaces_between_other_bytes() {
        for ok in ["C O N F", "a b", "\u{a0}", "x", "(C"] {
            assert!(blanks_are_inner_spaces(ok.as_bytes()), "{ok:?}");
        }
        for bad in [" dot", "dot ", "a  b", "a\tb", "a\nb", "\r", "a\\b", " "] {
            assert!(!blanks_are_inner_spaces(bad.as_bytes()), "{bad:?}");
        }
        let view = ["@".to_string()];
        assert!(Both::new(&view, &["SECRET".into(), "C O N F".into()]).is_some());
        assert!(Both::new(&view, &["SECRET".into(), " dot ".into()]).is_none());
        assert!(Both::new(&view, &[]).is_none());
    }

    #[test]
    fn only_blank_runs_other_than_a_lone_space_are_passed_over() {
        let text = b"a \n b  c\td\\\ne f\xc2\xa0g";
        let holds = |r: Range<usize>| may_hold_raw_bytes(text, &r);
        assert!(!holds(1..4)); // " \n "
        assert!(!holds(5..7)); // "  "
        assert!(!holds(8..9)); // "\t"
        assert!(!holds(10..12)); // "\\\n"
        assert!(holds(13..14)); // a lone space
        assert!(holds(15..17)); // a no-break space
        assert!(holds(0..2)); // a letter
        assert!(holds(3..3)); // two copied pieces meeting
    }

    #[test]
    fn raw_matches_reaching_furthest_from_an_uncopied_byte_are_found() {
        // The original `..vwxyQRSTU..`, whose `Q` the view reads as `-`: the longest raw
        // matches end at the `Q` and start there.
        let original = b"..vwxyQRSTU..";
        let mut b = crate::text::ViewBuilder::default();
        b.copy("..vwxy");
        b.replace(1, "-");
        b.copy("RSTU..");
        let view = b.finish(original.len());
        let raw: Vec<String> = vec!["vwxyQ".into(), "QRSTU".into(), "..".into()];
        let both = Both::new(&["wx".to_string()], &raw).unwrap();
        let search = Search::new(&raw).unwrap();
        let (mut view_found, mut raw_found) = (Matches::new(), Matches::new());
        both.matches(
            &view,
            original,
            (&search, None),
            (&mut view_found, &mut raw_found),
            &mut Spare::default(),
        );
        let mut walked = Matches::new();
        search.matches(original, None, &mut walked, &mut Spare::default());
        let spans: Vec<Range<usize>> = raw_found.iter().map(|(_, r)| r.clone()).collect();
        assert_eq!(spans, [0..2, 2..7, 6..11, 11..13]);
        assert_eq!(raw_found, walked);
        assert_eq!(view_found.len(), 1);
    }

    #[test]
    fn a_match_takes_in_a_stretch_it_overlaps_or_straddles() {
        assert!(takes_in(&(2..5), &(4..6)));
        assert!(!takes_in(&(2..4), &(4..6)));
        assert!(!takes_in(&(6..8), &(4..6)));
        assert!(takes_in(&(2..5), &(3..3)));
        assert!(!takes_in(&(3..5), &(3..3)));
        assert!(!takes_in(&(1..3), &(3..3)));
    }

    #[test]
    fn a_seasoned_scanner_finds_what_a_fresh_one_finds() {
        let fresh = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
        let seasoned = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
        for _ in 0..super::super::TABLE_AFTER {
            seasoned.scan(b"Nothing to report.\n");
        }
        let doc = format!(
            "{SEED}\nC O N F I D E N T I A L\nASTANA 00000614  003 OF 016\n\
             (C) More\u{a0}text, \u{7} and SECRET\\\nthings.\n"
        );
        let before = seasoned.both.get().is_some();
        let found = seasoned.scan(doc.as_bytes());
        assert!(!before && matches!(seasoned.both.get(), Some(Some(_))));
        assert_eq!(found, fresh.scan(doc.as_bytes()));
        assert!(fresh.both.get().is_none());
    }
}
