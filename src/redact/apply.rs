//! Writing the redacted bytes: every planned span replaced, every other byte copied.

use std::ops::Range;

use super::operator::Replacer;
use super::plan::Redaction;

/// A redacted document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The redacted bytes.
    pub bytes: Vec<u8>,
    /// Each redaction carried out, in order.
    pub replaced: Vec<Replaced>,
}

/// One redaction carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// Index of the redaction in the list given to [`apply`].
    pub index: usize,
    /// Byte range of the replacement in [`Applied::bytes`].
    pub output: Range<usize>,
    /// The replacement text.
    pub text: String,
}

impl Applied {
    /// Whether `range` of [`Applied::bytes`] lies wholly inside one replacement. The
    /// replacements stand in order without overlapping, so only the last one starting at or
    /// before `range` can hold it: a binary search finds it (a document with thousands of
    /// redactions made a search of them all, for every finding, quadratic).
    pub fn within_a_replacement(&self, range: &Range<usize>) -> bool {
        let after = self
            .replaced
            .partition_point(|r| r.output.start <= range.start);
        after
            .checked_sub(1)
            .and_then(|i| self.replaced.get(i))
            .is_some_and(|r| range.end <= r.output.end)
    }
}

/// Replace every span of `redactions` (sorted, no overlaps, as [`super::plan`] returns
/// them) in `bytes`. Bytes outside the spans are copied unchanged.
///
/// A redaction that overlaps the previous one or lies past the end is skipped rather than
/// trusted; [`super::leaks`] then catches anything it should have covered.
pub fn apply(bytes: &[u8], redactions: &[Redaction], replacer: &Replacer) -> Applied {
    // Room for replacements longer than their spans (`[PERSON]` for `Roe`), so that the
    // copy is not moved as it grows.
    let mut out = Vec::with_capacity(bytes.len().saturating_add(redactions.len() * 16));
    let mut replaced = Vec::with_capacity(redactions.len());
    let mut at = 0;
    for (index, r) in redactions.iter().enumerate() {
        let (Some(original), Some(identity)) =
            (bytes.get(r.span.clone()), bytes.get(r.identity.clone()))
        else {
            continue;
        };
        if r.span.start < at {
            continue;
        }
        out.extend_from_slice(&bytes[at..r.span.start]);
        let text = match (&r.text, r.operator) {
            (Some(own), super::Operator::Mask) if !replacer.keep_length => {
                let mut text = own.clone();
                super::operator::push_line_breaks(&mut text, original);
                text
            }
            _ => replacer.replace(r.operator, &r.category, identity, original),
        };
        let output = out.len()..out.len() + text.len();
        out.extend_from_slice(text.as_bytes());
        replaced.push(Replaced {
            index,
            output,
            text,
        });
        at = r.span.end;
    }
    out.extend_from_slice(bytes.get(at..).unwrap_or(&[]));
    Applied {
        bytes: out,
        replaced,
    }
}
