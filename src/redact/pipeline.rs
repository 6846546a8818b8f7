//! One document through the whole of redaction: scan, plan, apply, verify, and redact again
//! what verification found, until the copy is clean or the rounds run out. Pure: no I/O.

use std::ops::Range;

use super::apply::{Applied, apply};
use super::operator::{Operator, Replacer};
use super::plan::{Policy, Redaction, plan};
use super::verify::{leaks, leaks_among};
use crate::scan::{Finding, Scanner};

/// Rounds of redact-then-verify before a copy that still leaks is given up on. A leak found
/// by verification is nearly always fixed in the second round. `remove` can chain: in a
/// list of names after one title, removing each name brings the title next to the next one
/// (two corpus cables needed more than three rounds). Only leaking copies pay for a round.
const ROUNDS: usize = 8;

/// A redacted document and what verification says of it.
#[derive(Debug, Clone)]
pub struct Redacted {
    /// The redactions carried out, sorted, in original-file offsets.
    pub redactions: Vec<Redaction>,
    /// The redacted bytes.
    pub applied: Applied,
    /// Findings left in the copy (offsets into [`Applied::bytes`]). Not empty means the copy
    /// must not be written. Always empty when verification is off.
    pub leaks: Vec<Finding>,
}

/// Redact `bytes` with the findings of `scanner` (the same `check` reports).
///
/// With `verify`, the copy is read again twice: as written, and with every replacement shown
/// as a label (once when the two are the same text, and not at all when the copy is the
/// input unchanged: the first scan has read those bytes). The second reading matters for
/// masks: at the foot of a cable, a rule may match `XXXXXXXXXXXX` where it matched a wrongly
/// found line before, and so never reach the real signature under it; with `[PERSON]` in its
/// place the rule reads on and finds it.
/// Whatever either reading finds outside the replacements is redacted in another round; a
/// copy that still leaks after [`ROUNDS`] rounds comes back with its leaks.
pub fn redact_document(
    bytes: &[u8],
    scanner: &Scanner,
    policy: &Policy,
    replacer: &Replacer,
    verify: bool,
) -> Redacted {
    let mut findings = scanner.scan(bytes);
    let mut round = 0;
    loop {
        round += 1;
        let redactions = plan(bytes, &findings, scanner.rules(), policy);
        let applied = apply(bytes, &redactions, replacer);
        if !verify {
            return done(redactions, applied, Vec::new());
        }
        let written = if round == 1 && applied.bytes == bytes {
            // Nothing was replaced: the copy is the input, so what a scan of it finds is
            // what the first scan found. A run over copies it wrote before (every file up
            // to date) reads each file once instead of twice.
            leaks_among(scanner, policy, &applied, findings.clone())
        } else {
            leaks(scanner, policy, &applied)
        };
        let labelled = labelled(bytes, &redactions);
        // Under labels (or no redaction at all) both readings are the same text: the scan
        // of one is the scan of the other.
        let seen_labelled = if labelled == applied {
            written.clone()
        } else {
            leaks(scanner, policy, &labelled)
        };
        if (written.is_empty() && seen_labelled.is_empty()) || round == ROUNDS {
            let left = if written.is_empty() && !seen_labelled.is_empty() {
                // Report in the copy's own offsets: the line is the same in both readings.
                relocate(&seen_labelled, &labelled, &redactions, &applied)
            } else {
                written.clone()
            };
            return done(redactions, applied, left);
        }
        for (list, view) in [(&written, &applied), (&seen_labelled, &labelled)] {
            findings.extend(list.iter().map(|f| Finding {
                span: to_original(&f.span, view, &redactions),
                ..f.clone()
            }));
        }
    }
}

fn done(redactions: Vec<Redaction>, applied: Applied, leaks: Vec<Finding>) -> Redacted {
    Redacted {
        redactions,
        applied,
        leaks,
    }
}

/// The copy with every replacement shown as its category label: the second reading that
/// [`redact_document`] verifies.
pub fn labelled(bytes: &[u8], redactions: &[Redaction]) -> Applied {
    let as_labels: Vec<Redaction> = redactions
        .iter()
        .map(|r| Redaction {
            operator: Operator::Label,
            text: None,
            ..r.clone()
        })
        .collect();
    apply(bytes, &as_labels, &Replacer::default())
}

/// Map a range of a redacted copy back to the original: an end inside a replacement moves to
/// the edge of the span it replaced, so the result covers every original byte the range
/// touched.
fn to_original(range: &Range<usize>, view: &Applied, redactions: &[Redaction]) -> Range<usize> {
    let map = |at: usize, is_end: bool| -> usize {
        let mut shift: isize = 0;
        for done in &view.replaced {
            let Some(r) = redactions.get(done.index) else {
                continue;
            };
            let inside = if is_end {
                done.output.start < at && at <= done.output.end
            } else {
                done.output.start <= at && at < done.output.end
            };
            if inside {
                return if is_end { r.span.end } else { r.span.start };
            }
            if done.output.end <= at {
                shift += r.span.len() as isize - done.output.len() as isize;
            }
        }
        at.saturating_add_signed(shift)
    };
    map(range.start, false)..map(range.end, true)
}

/// Leaks found in the labelled reading, moved to the written copy's offsets.
fn relocate(
    found: &[Finding],
    from: &Applied,
    redactions: &[Redaction],
    to: &Applied,
) -> Vec<Finding> {
    found
        .iter()
        .map(|f| {
            let original = to_original(&f.span, from, redactions);
            let mut shift: isize = 0;
            for done in &to.replaced {
                if let Some(r) = redactions.get(done.index)
                    && r.span.end <= original.start
                {
                    shift += done.output.len() as isize - r.span.len() as isize;
                }
            }
            let start = original.start.saturating_add_signed(shift);
            Finding {
                span: start..start + original.len(),
                ..f.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::rules::RuleSet;

    fn scanner() -> Scanner {
        Scanner::new(&RuleSet::builtin().unwrap()).unwrap()
    }

    #[test]
    fn a_signature_under_end_text_is_redacted_and_verified() {
        // Telegram trailers (`END TEXT`) once made the signature rule take the trailer for
        // the signer, so a mask stood where the rule matched and hid the name below from a
        // single re-scan; the labelled second reading exists for that case. With the name
        // detector the signer is found at once; the copy must still verify clean.
        let s = scanner();
        let text = b"The council met.\n \nEND TEXT \nHALVORSEN\n";
        let policy = Policy::new(&["person"], Operator::Mask);
        let doc = redact_document(text, &s, &policy, &Replacer::default(), true);
        assert!(doc.leaks.is_empty(), "{:?}", doc.leaks);
        assert_eq!(
            String::from_utf8_lossy(&doc.applied.bytes),
            "The council met.\n \nEND TEXT \nXXXXXXXXXXXX\n"
        );
        assert!(leaks(&s, &policy, &labelled(text, &doc.redactions)).is_empty());
    }

    #[test]
    fn a_copy_redaction_leaves_unchanged_is_verified_without_a_second_scan() {
        let s = scanner();
        let policy = Policy::new(&["person", "phone"], Operator::Mask);
        let text = b"Minister Petra Lindqvist said so; call +1-202-555-0147.\n";
        let first = redact_document(text, &s, &policy, &Replacer::default(), true);
        assert!(first.leaks.is_empty(), "{:?}", first.leaks);
        assert!(!first.redactions.is_empty());
        // Redacting the copy again changes nothing: one scan, no leaks, and a scan of the
        // copy agrees.
        let copy = first.applied.bytes.clone();
        let before = s.documents_scanned();
        let again = redact_document(&copy, &s, &policy, &Replacer::default(), true);
        assert_eq!(s.documents_scanned() - before, 1);
        assert!(again.redactions.is_empty(), "{:?}", again.redactions);
        assert_eq!(again.applied.bytes, copy);
        assert!(again.leaks.is_empty(), "{:?}", again.leaks);
        assert!(leaks(&s, &policy, &again.applied).is_empty());
    }

    #[test]
    fn findings_in_hand_are_judged_as_a_scan_s_would_be() {
        let s = scanner();
        let policy = Policy::new(&["person"], Operator::Mask);
        let text = b"They met Ambassador Quentin Marlowe and XXXXXXXXXXXX.\n";
        let unchanged = apply(text, &[], &Replacer::default());
        let found = s.scan(text);
        assert!(!found.is_empty());
        // A finding the plan had left out stays a leak; the same list with none in the
        // policy's categories leaves none.
        assert_eq!(
            leaks_among(&s, &policy, &unchanged, found.clone()),
            leaks(&s, &policy, &unchanged)
        );
        assert!(!leaks_among(&s, &policy, &unchanged, found).is_empty());
        let other = Policy::new(&["phone"], Operator::Mask);
        assert!(leaks_among(&s, &other, &unchanged, s.scan(text)).is_empty());
    }

    #[test]
    fn ranges_map_back_to_the_original() {
        let text = b"aa BBBB cc DD ee";
        let r = |span: Range<usize>| Redaction {
            span: span.clone(),
            rule: 0,
            category: "person".into(),
            operator: Operator::Label,
            identity: span,
            propagated: false,
            text: None,
        };
        let redactions = [r(3..7), r(11..13)];
        let out = apply(text, &redactions, &Replacer::default());
        assert_eq!(out.bytes, b"aa [PERSON] cc [PERSON] ee");
        let back = |x: Range<usize>| to_original(&x, &out, &redactions);
        assert_eq!(back(12..14), 8..10, "after one replacement");
        assert_eq!(back(24..26), 14..16, "after two");
        assert_eq!(back(5..14), 3..10, "from inside a replacement");
        assert_eq!(back(0..2), 0..2);
    }
}
