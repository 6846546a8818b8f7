//! Proving rules against their own `examples` and `negative_examples`.

use crate::rules::{Example, RuleSet};

use super::Scanner;

/// An example that did not behave as its rule promised.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    /// The rule's id.
    pub rule_id: String,
    /// Where the rule came from.
    pub origin: crate::rules::Origin,
    /// The example.
    pub example: Example,
    /// Whether it was a negative example.
    pub negative: bool,
    /// What went wrong.
    pub message: String,
}

/// Run every example of every enabled rule of `set` through a scanner of the whole set.
///
/// The whole set is compiled once, so an example is judged as a user's document would be,
/// with every other rule present.
///
/// # Errors
/// When the set does not compile.
pub fn test_examples(set: &RuleSet) -> Result<Vec<ExampleFailure>, Vec<crate::rules::RuleError>> {
    let scanner = Scanner::new(set)?;
    let mut failures = Vec::new();
    for (i, rule) in scanner.rules().iter().enumerate() {
        for ex in &rule.examples {
            let mine = found_by(&scanner, i, &ex.text);
            let misses = scanner.keyword_misses(i, &ex.text);
            let message = match (&ex.matched, mine.is_empty()) {
                _ if !misses.is_empty() => Some(format!(
                    "a pattern matches {:?}, which holds none of the rule's keywords; \
                     every match must hold one, since patterns run only around them",
                    misses[0]
                )),
                (_, true) => Some("the rule does not fire on this example".to_string()),
                (Some(want), false) if !mine.contains(&want.as_str()) => Some(format!(
                    "expected a finding covering exactly {want:?}, found {mine:?}"
                )),
                _ => None,
            };
            if let Some(message) = message {
                failures.push(ExampleFailure {
                    rule_id: rule.id.clone(),
                    origin: rule.origin.clone(),
                    example: ex.clone(),
                    negative: false,
                    message,
                });
            }
        }
        for ex in &rule.negative_examples {
            let mine = found_by(&scanner, i, &ex.text);
            if !mine.is_empty() {
                failures.push(ExampleFailure {
                    rule_id: rule.id.clone(),
                    origin: rule.origin.clone(),
                    example: ex.clone(),
                    negative: true,
                    message: format!("the rule fires on this negative example: {mine:?}"),
                });
            }
        }
    }
    Ok(failures)
}

/// The texts that rule `i` of `scanner` finds in `text`.
fn found_by<'t>(scanner: &Scanner, i: usize, text: &'t str) -> Vec<&'t str> {
    scanner
        .scan(text.as_bytes())
        .iter()
        .filter(|f| f.rule == i)
        .filter_map(|f| text.get(f.span.clone()))
        .collect()
}
