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
    scanner
        .scan(&applied.bytes)
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
        .filter(|f| {
            !applied
                .replaced
                .iter()
                .any(|r| r.output.start <= f.span.start && f.span.end <= r.output.end)
        })
        .collect()
}
