//! `--format sarif`: one SARIF 2.1.0 log, the format GitHub code scanning and other result
//! viewers read. Every rule in force is described in `tool.driver.rules`; each result carries
//! its region (lines, columns in code points, and byte offsets) and a keyed fingerprint of
//! rule, path and matched text, so viewers can follow a finding as lines move.

use std::io::Write;

use serde_json::{Value, json};

use super::{Printer, Record, Summary};
use crate::fingerprint::{Fingerprinter, normal_path};
use crate::rules::Rule;
use crate::text::Source;

/// The schema a log names; the test suite validates our output against it.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Key of the fingerprints when `REDLINE_FINGERPRINT_KEY` is unset. Public, so such
/// fingerprints only keep the text out of the log; they do not hide guessable values.
const DEFAULT_KEY: &[u8] = b"redline-sarif-v1";

/// Collects results and writes the log at the end.
pub struct SarifPrinter<'w> {
    out: Box<dyn Write + 'w>,
    rules: Vec<Value>,
    ids: Vec<String>,
    results: Vec<Value>,
    fingerprints: Fingerprinter,
}

impl<'w> SarifPrinter<'w> {
    /// A printer describing `rules`, writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>, rules: &[Rule]) -> Self {
        SarifPrinter {
            out,
            rules: rules.iter().map(rule_descriptor).collect(),
            ids: rules.iter().map(|r| r.id.clone()).collect(),
            results: Vec::new(),
            fingerprints: Fingerprinter::from_env()
                .unwrap_or_else(|| Fingerprinter::new(DEFAULT_KEY.to_vec())),
        }
    }
}

/// SARIF's name for a severity.
fn level(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    }
}

fn rule_descriptor(r: &Rule) -> Value {
    json!({
        "id": r.id,
        "shortDescription": {"text": r.message},
        "fullDescription": {"text": r.description.trim_end()},
        "help": {"text": format!("{}\n\n`redline rules explain {}` prints the rule's documentation.", r.description.trim_end(), r.id)},
        "defaultConfiguration": {"level": level(r.severity.as_str())},
        "properties": {"category": r.category, "tags": [r.category], "confidence": r.confidence.as_str()},
    })
}

/// A relative URI reference for `path`: unreserved characters and `/` kept, the rest
/// percent-encoded (SARIF requires valid URIs; paths may hold spaces or `#`).
fn uri(path: &str) -> String {
    let mut s = String::new();
    for b in normal_path(path).bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

impl SarifPrinter<'_> {
    fn result(&self, path: &str, source: &Source<'_>, r: &Record<'_>) -> Value {
        let (end_line, end_column) = source.line_col(r.end);
        let matched = source.bytes().get(r.start..r.end).unwrap_or(&[]);
        let mut result = json!({
            "ruleId": r.rule,
            "level": level(r.severity),
            "message": {"text": r.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri(path)},
                "region": {
                    "startLine": r.line, "startColumn": r.column,
                    "endLine": end_line, "endColumn": end_column,
                    "byteOffset": r.start, "byteLength": r.end - r.start,
                },
            }}],
            "partialFingerprints": {
                "redline/v1": self.fingerprints.fingerprint(r.rule, path, matched),
            },
            "properties": {"category": r.category, "confidence": r.confidence},
        });
        if let Some(i) = self.ids.iter().position(|id| *id == r.rule) {
            result["ruleIndex"] = json!(i);
        }
        if let Some(m) = &r.matched {
            result["properties"]["match"] = json!(m);
        }
        result
    }
}

impl Printer for SarifPrinter<'_> {
    fn file(
        &mut self,
        path: &str,
        source: &Source<'_>,
        records: &[Record<'_>],
    ) -> std::io::Result<()> {
        for r in records {
            let result = self.result(path, source, r);
            self.results.push(result);
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, _summary: &Summary) -> std::io::Result<()> {
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "redline",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": self.rules,
                }},
                "columnKind": "unicodeCodePoints",
                "results": self.results,
            }],
        });
        serde_json::to_writer_pretty(&mut self.out, &log)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uris() {
        assert_eq!(uri("./docs/my cable#1.txt"), "docs/my%20cable%231.txt");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
    }
}
