//! The redaction manifest: one JSON line per redaction, saying where and how, never what.

use serde::Serialize;

use super::apply::Replaced;
use super::operator::{Key, Operator};
use super::plan::Redaction;
use crate::rules::Rule;
use crate::text::Source;

/// One line of the manifest. The original text is never part of it; with `--key-file` a
/// keyed hash of it is, so that two manifests can be compared without revealing the text.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Entry {
    /// The input path, as given or walked.
    pub file: String,
    /// Id of the rule behind the redaction.
    pub rule: String,
    /// Its category.
    pub category: String,
    /// Start byte offset of the redacted span in the original file.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// 1-based line of `start` in the original file.
    pub line: usize,
    /// The operator applied.
    pub operator: Operator,
    /// The text written in place of the span.
    pub replacement: String,
    /// Whether the span is another mention of a finding rather than a finding.
    pub propagated: bool,
    /// Keyed hash (HMAC-SHA256, first 8 bytes, hex) of the redacted text; only with a key
    /// from `--key-file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

/// The manifest entries of one file.
pub fn entries(
    file: &str,
    source: &Source<'_>,
    rules: &[Rule],
    redactions: &[Redaction],
    replaced: &[Replaced],
    key: Option<&Key>,
) -> Vec<Entry> {
    replaced
        .iter()
        .filter_map(|done| {
            let r = redactions.get(done.index)?;
            let original = source.bytes().get(r.identity.clone())?;
            Some(Entry {
                file: file.to_string(),
                rule: rules.get(r.rule).map(|x| x.id.clone()).unwrap_or_default(),
                category: r.category.clone(),
                start: r.span.start,
                end: r.span.end,
                line: source.line(r.span.start),
                operator: r.operator,
                replacement: done.text.clone(),
                propagated: r.propagated,
                hash: key.map(|k| k.hex(&r.category, original)),
            })
        })
        .collect()
}
