//! A rule's regular expressions: compiled once, with the limits every rule pattern has.
//!
//! A user's patterns compile when their rule file loads, so that a bad one is reported with
//! its file and place. The built-in patterns are known to compile (a test compiles every
//! one); they compile the first time a scan needs them. Compiling is most of a one-file run's
//! start-up (a pre-commit hook), and a cable holds the keywords of only some rules: the others
//! never compile.

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};

/// Compiled size limit of one pattern; larger patterns are an error, not a slow scan.
pub(crate) const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// One pattern of a rule.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    /// The compiled pattern; `None` inside if it does not compile (only a deferred pattern
    /// can get there, and no built-in one does).
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// A pattern compiled already.
    pub(crate) fn compiled(re: Regex) -> Self {
        Pattern {
            source: re.as_str().to_string(),
            compiled: OnceLock::from(Some(re)),
        }
    }

    /// A pattern to compile when it is first used.
    pub(crate) fn deferred(source: String) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled pattern, compiled now if it has not been; `None` if it does not compile.
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| compile_pattern(&self.source).ok())
            .as_ref()
    }

    /// Whether [`Pattern::regex`] would return at once.
    pub(crate) fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }
}

pub(crate) fn compile_pattern(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT * 2)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => {
                format!("pattern compiles to more than {limit} bytes; split it or use `literals`")
            }
            regex::Error::Syntax(text) => {
                // regex renders the pattern with a caret, then `error: <what>`; we show the
                // pattern ourselves, so keep only what is wrong.
                let what = text
                    .lines()
                    .rev()
                    .find_map(|l| l.trim().strip_prefix("error: "))
                    .unwrap_or(text.as_str());
                format!("invalid pattern: {what}")
            }
            other => format!("invalid pattern: {other}"),
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::Pattern;
    use crate::rules::RuleSet;

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
        assert_eq!(p.regex().map(regex::Regex::as_str), None);
        assert!(p.is_compiled(), "the failure is kept, not retried");
        assert_eq!(p.as_str(), "(unclosed");
        let re = regex::Regex::new(r"\d+").unwrap();
        let p = Pattern::compiled(re);
        assert!(p.is_compiled());
        assert_eq!(p.as_str(), r"\d+");
        assert!(p.regex().is_some_and(|r| r.is_match("a 12")));
    }
}
