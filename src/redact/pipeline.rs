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
            let back = Back::new(view, &redactions);
            findings.extend(list.iter().map(|f| Finding {
                span: back.range(&f.span),
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

/// The way back from a redacted copy to the original, for many ranges: what each
/// replacement adds to the length is summed once, so that a range maps back with a binary
/// search instead of a walk over every replacement (which, for every finding of a document
/// with thousands of redactions, was quadratic).
struct Back<'a> {
    view: &'a Applied,
    redactions: &'a [Redaction],
    /// `shift[k]`: the original's length minus the copy's over the replacements before
    /// `view.replaced[k]`.
    shift: Vec<isize>,
}

impl<'a> Back<'a> {
    fn new(view: &'a Applied, redactions: &'a [Redaction]) -> Self {
        let mut shift = Vec::with_capacity(view.replaced.len() + 1);
        let mut sum: isize = 0;
        shift.push(sum);
        for done in &view.replaced {
            if let Some(r) = redactions.get(done.index) {
                sum += r.span.len() as isize - done.output.len() as isize;
            }
            shift.push(sum);
        }
        Back {
            view,
            redactions,
            shift,
        }
    }

    /// Map a range of the copy back to the original: an end inside a replacement moves to
    /// the edge of the span it replaced, so the result covers every original byte the range
    /// touched.
    fn range(&self, range: &Range<usize>) -> Range<usize> {
        self.point(range.start, false)..self.point(range.end, true)
    }

    fn point(&self, at: usize, is_end: bool) -> usize {
        // The replacements ending before `at` hold neither end of a range there and all lie
        // before it; the copy's replacements stand in order, so their ends rise.
        let first = self.view.replaced.partition_point(|d| d.output.end < at);
        let mut shift = self.shift.get(first).copied().unwrap_or(0);
        for done in self.view.replaced.get(first..).unwrap_or(&[]) {
            if done.output.start > at {
                break;
            }
            let Some(r) = self.redactions.get(done.index) else {
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
    }
}

/// Leaks found in the labelled reading, moved to the written copy's offsets.
fn relocate(
    found: &[Finding],
    from: &Applied,
    redactions: &[Redaction],
    to: &Applied,
) -> Vec<Finding> {
    let back = Back::new(from, redactions);
    // Where each replacement of `to` ends in the original, and what it adds to the length
    // up to there, summed: the spans stand in order, so their ends rise.
    let mut ends: Vec<(usize, isize)> = Vec::with_capacity(to.replaced.len());
    let mut sum: isize = 0;
    for done in &to.replaced {
        if let Some(r) = redactions.get(done.index) {
            sum += done.output.len() as isize - r.span.len() as isize;
            ends.push((r.span.end, sum));
        }
    }
    found
        .iter()
        .map(|f| {
            let original = back.range(&f.span);
            let before = ends.partition_point(|(end, _)| *end <= original.start);
            let shift = before
                .checked_sub(1)
                .and_then(|i| ends.get(i))
                .map_or(0, |(_, sum)| *sum);
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

    /// [`Back::range`] as first written, a walk over every replacement: the reference.
    fn to_original_by_walk(
        range: &Range<usize>,
        view: &Applied,
        redactions: &[Redaction],
    ) -> Range<usize> {
        let map = |at: usize, is_end: bool| -> usize {
            let mut shift: isize = 0;
            for done in &view.replaced {
                let r = &redactions[done.index];
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

    proptest::proptest! {
        /// Mapping back, moving over to the written copy and telling a replacement's own
        /// text apart give what a walk over every replacement gives, for masks, labels and
        /// removals (which leave nothing in the copy).
        #[test]
        fn ranges_map_as_a_walk_over_every_replacement_maps_them(
            len in 0usize..60,
            cuts in proptest::collection::vec((0usize..60, 1usize..6, 0usize..3), 0..10),
            probes in proptest::collection::vec((0usize..130, 0usize..20), 1..20),
        ) {
            let text: Vec<u8> = (0..len).map(|i| b"ab \n"[i % 4]).collect();
            let mut redactions: Vec<Redaction> = Vec::new();
            let mut sorted = cuts.clone();
            sorted.sort();
            for (start, n, op) in sorted {
                let span = start.min(len)..(start + n).min(len);
                if span.is_empty() || redactions.last().is_some_and(|r| span.start < r.span.end) {
                    continue;
                }
                redactions.push(Redaction {
                    span: span.clone(),
                    rule: 0,
                    category: "person".into(),
                    operator: [Operator::Mask, Operator::Label, Operator::Remove][op],
                    identity: span,
                    propagated: false,
                    text: None,
                });
            }
            let written = apply(&text, &redactions, &Replacer::default());
            let shown = labelled(&text, &redactions);
            let back = Back::new(&written, &redactions);
            let mut found = Vec::new();
            for &(at, n) in &probes {
                let r = at.min(written.bytes.len())..(at + n).min(written.bytes.len());
                proptest::prop_assert_eq!(back.range(&r), to_original_by_walk(&r, &written, &redactions));
                let held = written
                    .replaced
                    .iter()
                    .any(|d| d.output.start <= r.start && r.end <= d.output.end);
                proptest::prop_assert_eq!(written.within_a_replacement(&r), held);
                let r = at.min(shown.bytes.len())..(at + n).min(shown.bytes.len());
                found.push(Finding {
                    rule: 0,
                    span: r,
                    fix: None,
                    confidence: crate::rules::Confidence::High,
                    note: None,
                });
            }
            // The labelled reading's findings moved to the written copy: back to the
            // original, then over by what the written copy's replacements before it add.
            let moved: Vec<Range<usize>> = found
                .iter()
                .map(|f| {
                    let original = to_original_by_walk(&f.span, &shown, &redactions);
                    let shift: isize = written
                        .replaced
                        .iter()
                        .map(|d| (&redactions[d.index], d))
                        .filter(|(r, _)| r.span.end <= original.start)
                        .map(|(r, d)| d.output.len() as isize - r.span.len() as isize)
                        .sum();
                    let start = original.start.saturating_add_signed(shift);
                    start..start + original.len()
                })
                .collect();
            let got: Vec<Range<usize>> = relocate(&found, &shown, &redactions, &written)
                .into_iter()
                .map(|f| f.span)
                .collect();
            proptest::prop_assert_eq!(got, moved);
        }
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
        let back = |x: Range<usize>| Back::new(&out, &redactions).range(&x);
        assert_eq!(back(12..14), 8..10, "after one replacement");
        assert_eq!(back(24..26), 14..16, "after two");
        assert_eq!(back(5..14), 3..10, "from inside a replacement");
        assert_eq!(back(0..2), 0..2);
    }
}
