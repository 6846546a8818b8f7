//! `check --fix`: apply the suggested fix of every finding that has one.

use crate::scan::Finding;

/// Replace the span of every finding that carries a `fix` with that fix.
///
/// A rule only gives a `fix` when applying it is safe, so every fix is applied; of two
/// fixes over the same bytes the first (by position) wins and the other is left for the next
/// run. Returns the new bytes and the number of fixes applied.
///
/// ```
/// use redline::{redact::apply_fixes, scan::Finding, rules::Confidence};
/// let f = Finding { rule: 0, span: 4..10, fix: Some("Juno's".into()),
///                   confidence: Confidence::High, note: None };
/// assert_eq!(apply_fixes(b"See Juno?s book", &[f]), (b"See Juno's book".to_vec(), 1));
/// ```
pub fn apply_fixes(bytes: &[u8], findings: &[Finding]) -> (Vec<u8>, usize) {
    let mut fixes: Vec<(&std::ops::Range<usize>, &str)> = findings
        .iter()
        .filter_map(|f| f.fix.as_deref().map(|fix| (&f.span, fix)))
        .collect();
    fixes.sort_by_key(|(span, _)| (span.start, span.end));
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    let mut applied = 0;
    for (span, fix) in fixes {
        if span.start < at || span.end > bytes.len() || span.start > span.end {
            continue;
        }
        out.extend_from_slice(&bytes[at..span.start]);
        out.extend_from_slice(fix.as_bytes());
        at = span.end;
        applied += 1;
    }
    out.extend_from_slice(&bytes[at..]);
    (out, applied)
}
