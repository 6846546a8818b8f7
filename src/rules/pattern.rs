//! A rule's regular expressions: compiled once, with the limits every rule pattern has.
//!
//! A user's patterns compile when their rule file loads, so that a bad one is reported with
//! its file and place. The built-in patterns are known to compile (a test compiles every
//! one); they compile the first time a scan needs them. Compiling is most of a one-file run's
//! start-up (a pre-commit hook), and a cable holds the keywords of only some rules: the others
//! never compile.
//!
//! They compile as the `regex` crate compiles a pattern (the same engine, limits and
//! matches), through its engine's own builder, so that a scan can leave out what it does not
//! need yet. A built-in pattern that a scan searches only in windows around its rule's
//! keywords is searched in a run's first few documents by a form without a literal
//! prefilter: finding the literals and building their automaton was about a third of the
//! built-in patterns' compiling, and a run of one or a few files (a pre-commit hook) searches
//! too little for it to pay. A longer run compiles the whole pattern after them, for the 3%
//! or so of the instructions a byte that the prefilters save over a corpus.

use std::sync::OnceLock;

use regex_automata::meta::{self, Regex};
use regex_syntax::hir::Hir;

use super::bytes::{Beyond, as_bytes};

/// Compiled size limit of one pattern; larger patterns are an error, not a slow scan.
pub(crate) const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// One pattern of a rule.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    /// Whether the pattern is searched only in windows around its rule's keywords (see the
    /// module): set, to `true`, by the scanner.
    windowed: OnceLock<bool>,
    /// The pattern parsed, the first time anything needs it (`None` inside if it does not
    /// parse): the scanner's reading of its shape and each of its compiled forms start from
    /// it. Parsing a built-in pattern, Unicode classes and all, costs about a fifth of
    /// compiling it, and a one-file run parsed each pattern it compiled twice.
    hir: OnceLock<Option<Hir>>,
    /// The compiled pattern; `None` inside if it does not compile (only a deferred pattern
    /// can get there, and no built-in one does).
    compiled: OnceLock<Option<Regex>>,
    /// The same without a prefilter, for a run's first documents.
    light: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// A pattern compiled already, from `source`, parsed to `hir`.
    pub(crate) fn compiled(source: String, hir: Hir, re: Regex) -> Self {
        Pattern {
            source,
            windowed: OnceLock::new(),
            hir: OnceLock::from(Some(hir)),
            compiled: OnceLock::from(Some(re)),
            light: OnceLock::new(),
        }
    }

    /// A pattern to compile when it is first used.
    pub(crate) fn deferred(source: String) -> Self {
        Pattern {
            source,
            windowed: OnceLock::new(),
            hir: OnceLock::new(),
            compiled: OnceLock::new(),
            light: OnceLock::new(),
        }
    }

    /// Mark the pattern as one a scan searches only in windows around its rule's keywords:
    /// a run's first documents search it without a prefilter. The scanner marks it before
    /// its first search.
    pub(crate) fn search_in_windows(&self) {
        // Set once: a second marking finds it set.
        let _ = self.windowed.set(true);
    }

    /// Whether [`Pattern::search_in_windows`] marked it.
    fn windowed(&self) -> bool {
        self.windowed.get() == Some(&true)
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The pattern parsed, parsed now if it has not been; `None` if it does not parse.
    pub(crate) fn hir(&self) -> Option<&Hir> {
        self.hir
            .get_or_init(|| parse_pattern(&self.source).ok())
            .as_ref()
    }

    /// The compiled pattern, compiled now if it has not been; `None` if it does not compile.
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| compile_hir(self.hir()?, true).ok())
            .as_ref()
    }

    /// Whether [`Pattern::regex`] would return at once.
    pub(crate) fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }

    /// The form a scan searches with, compiled now if it has not been: in one of a run's
    /// first documents (`early`), a windowed pattern's form without a prefilter, unless the
    /// whole pattern is compiled already. Both find the same matches.
    pub(crate) fn for_scan(&self, early: bool) -> Option<&Regex> {
        if early && self.windowed() && !self.is_compiled() {
            return self
                .light
                .get_or_init(|| compile_hir(self.hir()?, false).ok())
                .as_ref();
        }
        self.regex()
    }

    /// Whether [`Pattern::for_scan`] would return at once.
    pub(crate) fn is_compiled_for_scan(&self, early: bool) -> bool {
        self.is_compiled() || (early && self.windowed() && self.light.get().is_some())
    }
}

/// A built-in detector's pattern, compiled by [`compile_pattern`] the first time a document
/// needs it: a run whose documents never do (a pre-commit hook's one cable without a phone
/// number) compiles nothing for it.
pub(crate) struct LazyRegex {
    source: &'static str,
    /// Whether it compiles with its literal prefilter (see [`LazyRegex::in_small_spans`]).
    prefilter: bool,
    compiled: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// `source`, not compiled yet.
    pub(crate) const fn new(source: &'static str) -> Self {
        LazyRegex {
            source,
            prefilter: true,
            compiled: OnceLock::new(),
        }
    }

    /// `source`, not compiled yet, for searches of a few hundred bytes at most (a line, the
    /// ids after `DRAFTED:`): compiled without a literal prefilter, which takes longer to
    /// build than such a search saves by it. The matches are the same. A search over a
    /// cable's whole header is no such search: its prefilter pays over a corpus.
    pub(crate) const fn in_small_spans(source: &'static str) -> Self {
        LazyRegex {
            source,
            prefilter: false,
            compiled: OnceLock::new(),
        }
    }

    /// The compiled pattern; `None` only if it does not compile. Each built-in one is a
    /// constant that its detector's tests or its rule's examples compile and match.
    pub(crate) fn get(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| compile_pattern(self.source, self.prefilter).ok())
            .as_ref()
    }
}

impl std::fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("LazyRegex").field(&self.source).finish()
    }
}

/// `pattern` compiled as the `regex` crate compiles it, with or without its literal
/// `prefilter`: the same syntax, engine and matches, with its classes of a few characters
/// beyond ASCII (`\s`, `(?i)s`) written as bytes (see [`super::bytes`]), which spares a
/// one-file run the start-up of a UTF-8 automaton for each.
pub(crate) fn compile_pattern(pattern: &str, prefilter: bool) -> Result<Regex, String> {
    compile_hir(&parse_pattern(pattern)?, prefilter)
}

/// `pattern` parsed as the `regex` crate parses it, or what is wrong with it.
pub(crate) fn parse_pattern(pattern: &str) -> Result<Hir, String> {
    regex_automata::util::syntax::parse(pattern).map_err(|e| {
        // The syntax error renders the pattern with a caret, then `error: <what>`; we show
        // the pattern ourselves, so keep only what is wrong.
        let text = e.to_string();
        let what = text
            .lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix("error: "))
            .unwrap_or(text.as_str());
        format!("invalid pattern: {what}")
    })
}

/// A parsed pattern compiled as [`compile_pattern`] compiles it.
pub(crate) fn compile_hir(hir: &Hir, prefilter: bool) -> Result<Regex, String> {
    let config = meta::Config::new()
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(REGEX_SIZE_LIMIT * 2)
        .utf8_empty(true)
        .auto_prefilter(prefilter);
    Regex::builder()
        .configure(config)
        .build_from_hir(&as_bytes(hir.clone(), Beyond::Few))
        .map_err(|e| match e.size_limit() {
            Some(limit) => {
                format!("pattern compiles to more than {limit} bytes; split it or use `literals`")
            }
            None => format!("invalid pattern: {e}"),
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::{Pattern, compile_pattern};
    use crate::rules::RuleSet;

    #[test]
    fn a_lazy_pattern_for_small_spans_finds_what_the_prefiltered_one_finds() {
        use super::LazyRegex;
        let text = "Classified By: Jane Roe, for reasons 1.4 (b)\n\nDRAFTED: POL:JROE\nCLEARED: A/DCM:XY, ECON: ZZTOP";
        for p in [
            r"[A-Z][A-Z/]*:\s?([A-Z][A-Z'-]{2,})",
            r"(?i:reasons?|for reasons)|1\.[45]|\n\n|$",
            r"^(?i:classified by):?\s",
        ] {
            let (full, small) = (LazyRegex::new(p), LazyRegex::in_small_spans(p));
            let ends = |re: &LazyRegex| -> Vec<(usize, usize)> {
                re.get()
                    .unwrap()
                    .find_iter(text)
                    .map(|m| (m.start(), m.end()))
                    .collect()
            };
            assert!(!ends(&full).is_empty(), "{p}");
            assert_eq!(ends(&full), ends(&small), "{p}");
        }
    }

    #[test]
    fn every_built_in_pattern_compiles_and_waits_to_be_needed() {
        let set = RuleSet::builtin().unwrap();
        let patterns: Vec<(&str, &Pattern)> = set
            .rules()
            .iter()
            .flat_map(|r| r.patterns.iter().map(|p| (r.id.as_str(), p)))
            .collect();
        assert!(patterns.len() >= 20, "{} patterns", patterns.len());
        for (id, p) in patterns {
            assert!(!p.is_compiled(), "{id} compiled at load");
            assert!(p.regex().is_some(), "{id}: {}", p.as_str());
            assert!(p.is_compiled());
        }
    }

    /// Cables hold ASCII digits only, and Unicode `\d` (about 60 ranges) compiles to a UTF-8
    /// automaton at each repetition: in the built-in patterns it was over a quarter of a one-file
    /// run's compiling. They write `[0-9]`.
    #[test]
    fn built_in_patterns_write_digits_as_ascii() {
        let set = RuleSet::builtin().unwrap();
        for r in set.rules() {
            for p in &r.patterns {
                assert!(!p.as_str().contains(r"\d"), "{}: {}", r.id, p.as_str());
            }
        }
    }

    #[test]
    fn a_deferred_pattern_that_does_not_compile_is_none_and_keeps_its_text() {
        let p = Pattern::deferred("(unclosed".into());
        p.search_in_windows();
        assert!(p.for_scan(true).is_none());
        assert!(
            p.is_compiled_for_scan(true),
            "the failure is kept, not retried"
        );
        assert!(!p.is_compiled());
        assert!(p.regex().is_none());
        assert!(p.is_compiled());
        assert_eq!(p.as_str(), "(unclosed");
        let hir = super::parse_pattern(r"\d+").unwrap();
        let re = super::compile_hir(&hir, true).unwrap();
        let p = Pattern::compiled(r"\d+".into(), hir.clone(), re);
        assert!(p.is_compiled());
        assert_eq!(p.hir(), Some(&hir));
        assert_eq!(p.as_str(), r"\d+");
        assert!(p.regex().is_some_and(|r| r.is_match("a 12")));
    }

    #[test]
    fn a_windowed_pattern_is_searched_without_a_prefilter_in_a_runs_first_documents() {
        let p = Pattern::deferred("SECRET|CONFIDENTIAL".into());
        p.search_in_windows();
        assert!(p.for_scan(true).is_some_and(|re| re.is_match("x SECRET")));
        assert!(p.is_compiled_for_scan(true));
        assert!(!p.is_compiled() && !p.is_compiled_for_scan(false));
        assert!(p.for_scan(false).is_some_and(|re| re.is_match("x SECRET")));
        assert!(p.is_compiled());
        // A pattern searched over whole documents has only the one form.
        let p = Pattern::deferred("SECRET|CONFIDENTIAL".into());
        assert!(p.for_scan(true).is_some());
        assert!(p.is_compiled());
    }

    /// With or without a prefilter, a pattern finds what the `regex` crate finds, and
    /// reports its errors as the crate words them.
    #[test]
    fn patterns_match_as_the_regex_crate_matches() {
        let text = "Classified By: Jane Roe, 1.4 (b). x SECRET//NOFORN, é 12 (C) ab\u{2019}s";
        for pattern in [
            r"(?i-u:classified by):.{0,30}?1\.4 \([a-h]\)",
            r"(?:SECRET|CONFIDENTIAL)(?://(?:NOFORN|NF))?",
            r"\b\w+\b",
            r"(?i)[a-z]+",
            r"\((?P<m>[CSU])\)",
            "",
        ] {
            let want: Vec<_> = regex::Regex::new(pattern)
                .unwrap()
                .find_iter(text)
                .map(|m| m.range())
                .collect();
            for prefilter in [false, true] {
                let re = compile_pattern(pattern, prefilter).unwrap();
                let got: Vec<_> = re.find_iter(text).map(|m| m.range()).collect();
                assert_eq!(got, want, "{pattern} prefilter {prefilter}");
            }
        }
        for pattern in ["(unclosed", "a{1000}{1000}"] {
            let theirs = match regex::RegexBuilder::new(pattern)
                .size_limit(super::REGEX_SIZE_LIMIT)
                .build()
            {
                Err(regex::Error::Syntax(text)) => text,
                Err(regex::Error::CompiledTooBig(n)) => format!("more than {n} bytes"),
                other => panic!("{other:?}"),
            };
            let ours = compile_pattern(pattern, false).unwrap_err();
            let what = ours.trim_start_matches("invalid pattern: ");
            let what = what
                .split(';')
                .next()
                .unwrap()
                .trim_start_matches("pattern compiles to ");
            assert!(theirs.contains(what), "{theirs} / {ours}");
        }
    }
}
