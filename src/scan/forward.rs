//! A keyword-led pattern searched forward only, anchored at a keyword hit.
//!
//! Every match of such a pattern starts at a hit (see [`super::lead`]), so a search anchored
//! there needs the end of the match only. A lazy DFA over the forward automaton gives it: no
//! reverse automaton, no capture engine and no prefilter are compiled. For
//! `classification.authority`'s `Classified By:.{0,300}?1.4 ...`, whose gap of 300 characters
//! compiles to a UTF-8 automaton per character, that is under half of what the `regex`
//! crate compiles for it, and compiling it was the largest part of a one-file run's start-up.
//!
//! A class that holds every character beyond ASCII (`.`, `[^,]`) is compiled as bytes: one
//! of its ASCII bytes, or a byte that leads a character's encoding and the continuation bytes
//! after it (see [`crate::rules::bytes`]). On UTF-8 text that reads exactly the characters the
//! class does, and it compiles to two states where the UTF-8 automaton for every character
//! but a line break takes about a dozen: the authority pattern's gap compiles in about a
//! third of the time.
//!
//! A long lazy gap (`.{0,300}?`) is searched open (`.*?`), which compiles to a couple of
//! states where the bounded gap compiles to hundreds, and the match is kept when it holds no
//! more characters than the gap allows ([`open_gap`] says why that is the bounded pattern's
//! match). A longer match, rare, is searched again with the pattern as written, compiled
//! then.

use std::sync::OnceLock;

use crate::rules::REGEX_SIZE_LIMIT;
use crate::rules::bytes::{Beyond, as_bytes};
use regex_automata::hybrid::dfa::{Cache, Config, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, MatchError};
use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

/// How a search gets a lazy DFA's cache of its own.
type MakeCache = Box<dyn Fn() -> Cache + Send + Sync>;

/// One pattern's forward lazy DFA and the caches of the threads that search with it.
pub(crate) struct Forward {
    dfa: DFA,
    caches: Pool<Cache, MakeCache>,
    /// The pattern's gap, when `dfa` searches it open.
    gap: Option<Gap>,
}

/// A lazy gap searched open (see [`open_gap`]), and what a match too long to keep needs.
struct Gap {
    /// The most characters the gap may take: a match of no more characters is the
    /// pattern's own.
    most: usize,
    /// The pattern as written, parsed, and the configuration its search is built with.
    hir: Hir,
    config: Config,
    /// The pattern's search as written, compiled the first time a match is too long to keep
    /// (`None`: it did not compile, and such a match is left to the full engine).
    exact: OnceLock<Option<Box<Forward>>>,
}

impl std::fmt::Debug for Forward {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Forward").finish_non_exhaustive()
    }
}

impl Forward {
    /// The pattern parsed to `hir`, with the limits of every rule pattern; `None` if it does
    /// not compile this way (a Unicode word boundary, for one), and the pattern is then
    /// searched as any other.
    pub(crate) fn of(hir: &Hir) -> Option<Forward> {
        Forward::with(hir, DFA::config().cache_capacity(REGEX_SIZE_LIMIT * 2))
    }

    /// [`Forward::of`] `pattern`.
    #[cfg(test)]
    pub(crate) fn new(pattern: &str) -> Option<Forward> {
        Forward::of(&regex_syntax::parse(pattern).ok()?)
    }

    /// `pattern` with a lazy DFA that gives up on any search needing more than a few
    /// states, to test what a search does then.
    #[cfg(test)]
    pub(crate) fn giving_up(pattern: &str) -> Option<Forward> {
        let config = DFA::config()
            .cache_capacity(0)
            .skip_cache_capacity_check(true)
            .minimum_cache_clear_count(Some(0));
        Forward::with(&regex_syntax::parse(pattern).ok()?, config)
    }

    fn with(hir: &Hir, config: Config) -> Option<Forward> {
        match open_gap(hir) {
            Some((opened, most)) => {
                let mut forward = Forward::compile(opened, config.clone())?;
                forward.gap = Some(Gap {
                    most,
                    hir: hir.clone(),
                    config,
                    exact: OnceLock::new(),
                });
                Some(forward)
            }
            None => Forward::compile(hir.clone(), config),
        }
    }

    /// The search for `hir` as it is.
    fn compile(hir: Hir, config: Config) -> Option<Forward> {
        let hir = as_bytes(hir, Beyond::AnyChar);
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                    .which_captures(thompson::WhichCaptures::None),
            )
            .build_from_hir(&hir)
            .ok()?;
        let dfa = DFA::builder().configure(config).build_from_nfa(nfa).ok()?;
        let for_caches = dfa.clone();
        let make: MakeCache = Box::new(move || for_caches.create_cache());
        Some(Forward {
            dfa,
            caches: Pool::new(make),
            gap: None,
        })
    }

    /// The end of the leftmost-first match that starts at `start` and ends by `end` in
    /// `hay` (the text after `end` is context for a look-ahead only). An error if the lazy
    /// DFA gave up, which the search then leaves to the full engine.
    pub(crate) fn end_of_match_at(
        &self,
        hay: &str,
        start: usize,
        end: usize,
    ) -> Result<Option<usize>, MatchError> {
        let input = Input::new(hay).range(start..end).anchored(Anchored::Yes);
        let found = {
            let mut cache = self.caches.get();
            self.dfa
                .try_search_fwd(&mut cache, &input)?
                .map(|m| m.offset())
        };
        let (Some(gap), Some(at)) = (&self.gap, found) else {
            return Ok(found);
        };
        let chars = hay.get(start..at).map_or(usize::MAX, |m| m.chars().count());
        if chars <= gap.most {
            return Ok(found);
        }
        // Too long to tell whether the gap took more than it may: the search as written.
        let exact = gap
            .exact
            .get_or_init(|| Forward::compile(gap.hir.clone(), gap.config.clone()).map(Box::new));
        match exact {
            Some(exact) => exact.end_of_match_at(hay, start, end),
            None => Err(MatchError::gave_up(start)),
        }
    }
}

/// The least span (`n - m` of `{m,n}?`) of a gap that [`open_gap`] opens: a shorter one
/// compiles to few states anyway.
const GAP_OPENED: u32 = 16;

/// `hir` with its gap opened, and the most characters the gap takes: the first lazy
/// repetition `{m,n}?` of a class, with `n - m` at least [`GAP_OPENED`], that stands in the
/// pattern's own sequence (inside capture groups at most), made `{m,}?`.
///
/// Where the opened pattern matches at a start with at most `n` characters, the pattern as
/// written matches there the same. Leftmost-first, the match is the first way to match in
/// the order of preference: for each way of matching what stands before the gap, the gap
/// taking `m`, `m + 1`, ... characters, and for each, the ways of what follows. The pattern
/// as written tries the same ways in the same order, less those where the gap takes more than
/// `n`. A match of at most `n` characters took at most `n` in the gap (a class takes one
/// character a time), so every way tried before it was tried by the pattern as written too,
/// and failed there too. A longer match tells nothing, and is searched again as written.
fn open_gap(hir: &Hir) -> Option<(Hir, usize)> {
    match hir.kind() {
        HirKind::Capture(cap) => {
            let (sub, most) = open_gap(&cap.sub)?;
            let cap = Capture {
                index: cap.index,
                name: cap.name.clone(),
                sub: Box::new(sub),
            };
            Some((Hir::capture(cap), most))
        }
        HirKind::Concat(subs) => {
            let (i, rep, most) = subs
                .iter()
                .enumerate()
                .find_map(|(i, sub)| match sub.kind() {
                    HirKind::Repetition(rep)
                        if !rep.greedy
                            && matches!(rep.sub.kind(), HirKind::Class(_))
                            && rep
                                .max
                                .is_some_and(|n| n.saturating_sub(rep.min) >= GAP_OPENED) =>
                    {
                        Some((i, rep, usize::try_from(rep.max?).ok()?))
                    }
                    _ => None,
                })?;
            let mut subs = subs.to_vec();
            let opened = Hir::repetition(Repetition {
                max: None,
                ..rep.clone()
            });
            *subs.get_mut(i)? = opened;
            Some((Hir::concat(subs), most))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::Forward;
    use regex_automata::{Anchored, Input};

    const PATTERNS: &[&str] = &[
        r"(?i-u:op)-[0-9]+(?: op-[0-9]+)*",
        r"(?i-u:ref) .{0,12}?[0-9](?-u:\b)",
        r"DECL: *(?:[0-9]{4}/[0-9]{1,2}|[A-Z]+)",
        r"(?i-u:at)(?:[ \t]|$)",
        r"(?i-u:x)|(?i-u:x)y*",
        r"(?i-u:é)t[éa]?",
        // Classes that hold every character beyond ASCII, read as bytes.
        r"(?i-u:ref).{0,6}?[0-9]",
        r"x.",
        r"x[^,]*(?:y|,)?",
        r"(?s)p.{1,3}\S",
        r"(?-u:\b)z.*?(?-u:\b)",
    ];

    /// Patterns with a gap searched open (see `open_gap`). What follows a gap may make a
    /// match longer than the gap may be, which is searched again as written.
    const GAPS: &[&str] = &[
        r"(?i-u:op).{0,16}?[0-9]",
        r"(?P<m>x[^,]{0,17}?(?:o|P))",
        r"z.{0,16}?y.{0,16}?x",
        r"(?s)a.{1,18}?t",
        r"(?:op|x).{2,18}?/",
        r"x.{0,16}?y[0-9 ]*",
        r"(?P<m>o(?:.{0,16}?p|P))[0-9]*",
        r"(?P<m>(?i-u:p):.{0,16}?1\.[45] ?\([a-h]\)[ a-h()]*)",
    ];

    /// The end of the anchored search for `pattern` at the `pick`th character of `text`
    /// within `room` bytes: by `Forward` and by the `regex` crate's engine.
    fn both_ends(
        pattern: &str,
        text: &str,
        pick: usize,
        room: usize,
    ) -> (Option<usize>, Option<usize>) {
        let forward = Forward::new(pattern).unwrap();
        let full = regex_automata::meta::Regex::new(pattern).unwrap();
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let start = starts
            .get(pick % (starts.len() + 1))
            .copied()
            .unwrap_or(text.len());
        let mut end = (start + room).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let input = Input::new(text).range(start..end).anchored(Anchored::Yes);
        let want = full.search(&input).map(|m| m.end());
        (forward.end_of_match_at(text, start, end).unwrap(), want)
    }

    proptest::proptest! {
        /// Anchored at any character, the forward search ends where the `regex` crate's
        /// engine ends the same anchored search, windowed or not.
        #[test]
        fn ends_where_the_full_engine_ends(
            text in "[ opOP0-9x-zé’😀¶\\-\\t\n/:,ADECLrfat]{0,40}",
            pick in 0usize..64,
            room in 0usize..64,
            which in 0usize..PATTERNS.len(),
        ) {
            let (got, want) = both_ends(PATTERNS[which], &text, pick, room);
            proptest::prop_assert_eq!(got, want);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

        /// So does a search with its gap opened, whether the match is short enough to keep
        /// or searched again as written.
        #[test]
        fn open_gaps_end_where_the_full_engine_ends(
            text in "[ opPxyz0-9é😀/:,at()bd1.\n]{0,60}",
            pick in 0usize..8,
            room in 0usize..80,
            which in 0usize..GAPS.len(),
        ) {
            let (got, want) = both_ends(GAPS[which], &text, pick, room);
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn a_search_that_needs_more_states_than_the_cache_holds_is_an_error() {
        let pattern = r"(?i-u:op)-[0-9]+(?: op-[0-9]+)*";
        let text = "op-1 op-22 op-333 op-4444 op-55555";
        assert_eq!(
            Forward::new(pattern)
                .unwrap()
                .end_of_match_at(text, 0, text.len()),
            Ok(Some(text.len()))
        );
        assert!(
            Forward::giving_up(pattern)
                .unwrap()
                .end_of_match_at(text, 0, text.len())
                .is_err()
        );
    }

    #[test]
    fn a_gap_counts_characters_beyond_ascii_as_one_each() {
        let forward = Forward::new(r"(?i-u:classified by):.{0,30}?1\.4 ?\([a-h]\)").unwrap();
        // 29 characters in 32 bytes between the colon and the reasons, then 31 in 34.
        let text = "Classified By: Chargé d’affaires Jane Roe, 1.4 (d)";
        assert_eq!(
            forward.end_of_match_at(text, 0, text.len()),
            Ok(Some(text.len()))
        );
        let text = "Classified By: Chargé d’affaires Jane Q Roe, 1.4 (d)";
        assert_eq!(forward.end_of_match_at(text, 0, text.len()), Ok(None));
        // A match ends after a whole character, never inside one.
        let forward = Forward::new(r"x.").unwrap();
        assert_eq!(forward.end_of_match_at("x😀y", 0, 6), Ok(Some(5)));
    }

    #[test]
    fn a_long_lazy_gap_is_searched_open_and_a_long_match_again_as_written() {
        let pattern = r"(?P<m>(?i-u:classified by):.{0,20}?1\.4 ?\([a-h]\)[ a-h()]*)";
        let forward = Forward::new(pattern).unwrap();
        let gap = forward.gap.as_ref().unwrap();
        assert_eq!(gap.most, 20);
        // A match of at most 20 characters is kept as the open search found it.
        let text = "Classified By:1.4(b)";
        assert_eq!(forward.end_of_match_at(text, 0, text.len()), Ok(Some(20)));
        assert!(gap.exact.get().is_none());
        // A longer one is searched again as written: a gap of 20 characters matches, one
        // of 21 does not, though the open search matches both.
        let text = "Classified By: Jane Roe, Ambassad 1.4 (b)";
        assert_eq!(forward.end_of_match_at(text, 0, text.len()), Ok(Some(41)));
        assert!(gap.exact.get().is_some());
        let text = "Classified By: Jane Roe, Ambassado 1.4 (b)";
        assert_eq!(forward.end_of_match_at(text, 0, text.len()), Ok(None));
        // A gap of 20 characters, then more than 20 characters of reasons.
        let text = "Classified By: 1.4 (b) (c) (d) (e) (f) (g) (h) x";
        assert_eq!(
            forward.end_of_match_at(text, 0, text.len()),
            Ok(Some(text.len() - 1))
        );
    }

    #[test]
    fn only_a_long_lazy_gap_of_one_class_in_the_pattern_s_own_sequence_is_opened() {
        let opened = |p: &str| Forward::new(p).unwrap().gap.map(|g| g.most);
        assert_eq!(opened(r"a.{0,300}?b"), Some(300));
        assert_eq!(opened(r"(?P<m>a[^,]{4,40}?b)"), Some(40));
        assert_eq!(opened(r"a.{0,300}?b.{0,30}?c"), Some(300));
        // Too short a span, greedy, of more than a class, or inside an alternation.
        assert_eq!(opened(r"a.{0,15}?b"), None);
        assert_eq!(opened(r"a.{20,30}?b"), None);
        assert_eq!(opened(r"a.{0,300}b"), None);
        assert_eq!(opened(r"a(?:bc){0,300}?d"), None);
        assert_eq!(opened(r"x|a.{0,300}?b"), None);
    }

    #[test]
    fn a_unicode_word_boundary_is_left_to_the_full_engine() {
        assert!(Forward::new(r"\bword\b").is_none());
        assert!(Forward::new(r"(?-u:\b)word(?-u:\b)").is_some());
        assert!(Forward::new(r"(unclosed").is_none());
    }
}
