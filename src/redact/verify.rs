//! Fail-closed verification: the redacted output is scanned again with the same scanner.

use super::apply::Applied;
use super::plan::Policy;
use crate::scan::{Finding, Scanner};

/// Findings of the policy's categories in the redacted output that touch any byte a
/// replacement did not write: text the redaction left behind. Empty means the output is
/// safe to write.
///
/// A finding entirely inside one replacement (the signature rule matching
/// `XXXXXXXXXXXX` at the foot of a cable) is a finding of our own marker, not of the
/// document, and does not count; nor does a finding that is nothing but such a marker where
/// the input already had one (a cable published with `XXXXXXXXXXXX` in it). Anything else
/// does, so a finding the first scan missed, or one that redaction brought about by joining
/// text, fails the file.
pub fn leaks(scanner: &Scanner, policy: &Policy, applied: &Applied) -> Vec<Finding> {
    leaks_among(scanner, policy, applied, scanner.scan(&applied.bytes))
}

/// [`leaks`], given `found`, what the scanner finds in `applied.bytes`: a caller that has
/// scanned these very bytes already need not scan them again (the scan is a function of the
/// bytes alone).
pub(crate) fn leaks_among(
    scanner: &Scanner,
    policy: &Policy,
    applied: &Applied,
    found: Vec<Finding>,
) -> Vec<Finding> {
    found
        .into_iter()
        .filter(|f| {
            scanner
                .rules()
                .get(f.rule)
                .is_some_and(|rule| policy.selects(rule, f))
        })
        .filter(|f| {
            !applied
                .bytes
                .get(f.span.clone())
                .is_some_and(|t| policy.is_marker(t))
        })
        .filter(|f| !applied.within_a_replacement(&f.span))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::redact::{Operator, Replacer, apply, plan};
    use crate::rules::RuleSet;

    #[test]
    fn a_redaction_left_out_is_caught() {
        let scanner = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
        let text = b"Ask Ambassador Quentin Marlowe, tel +1-202-555-0147, or qm@example.gov.\n";
        let policy = Policy::new(&["person", "phone", "email"], Operator::Mask);
        let planned = plan(text, &scanner.scan(text), scanner.rules(), &policy);
        let full = apply(text, &planned, &Replacer::default());
        assert!(leaks(&scanner, &policy, &full).is_empty());
        for skip in 0..planned.len() {
            let mut partial = planned.clone();
            let dropped = partial.remove(skip);
            let out = apply(text, &partial, &Replacer::default());
            let left = leaks(&scanner, &policy, &out);
            assert!(
                left.iter()
                    .any(|f| scanner.rules()[f.rule].category == dropped.category),
                "dropping {dropped:?} went unnoticed"
            );
        }
        assert_eq!(planned.len(), 3);
    }
}
