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

use crate::rules::REGEX_SIZE_LIMIT;
use crate::rules::bytes::{Beyond, as_bytes};
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, MatchError};

/// How a search gets a lazy DFA's cache of its own.
type MakeCache = Box<dyn Fn() -> Cache + Send + Sync>;

/// One pattern's forward lazy DFA and the caches of the threads that search with it.
pub(crate) struct Forward {
    dfa: DFA,
    caches: Pool<Cache, MakeCache>,
}

impl std::fmt::Debug for Forward {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Forward").finish_non_exhaustive()
    }
}

impl Forward {
    /// `pattern` with the limits of every rule pattern; `None` if it does not compile this
    /// way (a Unicode word boundary, for one), and the pattern is then searched as any other.
    pub(crate) fn new(pattern: &str) -> Option<Forward> {
        Forward::with(pattern, DFA::config().cache_capacity(REGEX_SIZE_LIMIT * 2))
    }

    /// `pattern` with a lazy DFA that gives up on any search needing more than a few
    /// states, to test what a search does then.
    #[cfg(test)]
    pub(crate) fn giving_up(pattern: &str) -> Option<Forward> {
        let config = DFA::config()
            .cache_capacity(0)
            .skip_cache_capacity_check(true)
            .minimum_cache_clear_count(Some(0));
        Forward::with(pattern, config)
    }

    fn with(pattern: &str, config: regex_automata::hybrid::dfa::Config) -> Option<Forward> {
        let hir = as_bytes(regex_syntax::parse(pattern).ok()?, Beyond::AnyChar);
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
        let mut cache = self.caches.get();
        Ok(self
            .dfa
            .try_search_fwd(&mut cache, &input)?
            .map(|m| m.offset()))
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
            let pattern = PATTERNS[which];
            let forward = Forward::new(pattern).unwrap();
            let full = regex_automata::meta::Regex::new(pattern).unwrap();
            let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            let start = starts.get(pick % (starts.len() + 1)).copied().unwrap_or(text.len());
            let mut end = (start + room).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let input = Input::new(&text).range(start..end).anchored(Anchored::Yes);
            let want = full.search(&input).map(|m| m.end());
            proptest::prop_assert_eq!(forward.end_of_match_at(&text, start, end).unwrap(), want);
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
    fn a_unicode_word_boundary_is_left_to_the_full_engine() {
        assert!(Forward::new(r"\bword\b").is_none());
        assert!(Forward::new(r"(?-u:\b)word(?-u:\b)").is_some());
        assert!(Forward::new(r"(unclosed").is_none());
    }
}
