//! `--format json`: one document, the contract the evaluation tools depend on.
//!
//! Findings are streamed as they come, so memory stays flat however large the run; the
//! document is only complete once `finish` has written the summary.

use std::io::Write;

use super::{Printer, Record, Summary};
use crate::text::{Source, mask16};

/// Streams `{"version": 1, "findings": [...], "summary": {...}}`.
pub struct JsonPrinter<'w> {
    out: Box<dyn Write + 'w>,
    started: bool,
    any: bool,
    /// The members every finding of one rule shares, escaped once.
    rules: Vec<RuleMembers>,
}

/// A rule's `"rule"`, `"category"`, `"severity"` and `"message"` members as JSON, with the
/// texts they were written from.
struct RuleMembers {
    texts: [String; 4],
    json: Vec<u8>,
}

/// Most rules whose members a printer keeps; findings of further rules (a run has a few
/// dozen) are escaped one by one.
const RULES_KEPT: usize = 256;

impl<'w> JsonPrinter<'w> {
    /// A printer writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        JsonPrinter {
            out,
            started: false,
            any: false,
            rules: Vec::new(),
        }
    }

    /// The escaped members of `r`'s rule, from those kept or written now.
    fn rule_members(&mut self, r: &Record<'_>) -> std::io::Result<Option<usize>> {
        let texts = [r.rule, r.category, r.severity, r.message];
        let same = |m: &RuleMembers| m.texts.iter().zip(texts).all(|(a, b)| a == b);
        if let Some(i) = self.rules.iter().position(same) {
            return Ok(Some(i));
        }
        if self.rules.len() >= RULES_KEPT {
            return Ok(None);
        }
        let mut json = Vec::new();
        write_rule_members(&mut json, r)?;
        self.rules.push(RuleMembers {
            texts: texts.map(str::to_string),
            json,
        });
        Ok(Some(self.rules.len() - 1))
    }

    fn start(&mut self) -> std::io::Result<()> {
        if !self.started {
            self.out.write_all(br#"{"version":1,"findings":["#)?;
            self.started = true;
        }
        Ok(())
    }
}

/// Whether `a` and `b` borrow their rule's texts from the same places.
fn same_rule_texts(a: &Record<'_>, b: &Record<'_>) -> bool {
    std::ptr::eq(a.rule, b.rule)
        && std::ptr::eq(a.category, b.category)
        && std::ptr::eq(a.severity, b.severity)
        && std::ptr::eq(a.message, b.message)
}

/// `r` as the JSON object serde makes of a [`Record`] (same keys, order and escaping; a test
/// holds them equal), with its path already escaped: the keys are written as they are rather
/// than escaped for every record, and the path once per file.
/// `rule` is the record's rule members as [`write_rule_members`] writes them, if kept.
fn write_record(
    buf: &mut Vec<u8>,
    r: &Record<'_>,
    path: &[u8],
    rule: Option<&[u8]>,
) -> std::io::Result<()> {
    buf.extend_from_slice(br#"{"path":"#);
    buf.extend_from_slice(path);
    match rule {
        Some(members) => buf.extend_from_slice(members),
        None => write_rule_members(buf, r)?,
    }
    value(buf, br#","start":"#, &r.start)?;
    value(buf, br#","end":"#, &r.end)?;
    value(buf, br#","line":"#, &r.line)?;
    value(buf, br#","column":"#, &r.column)?;
    value(buf, br#","end_line":"#, &r.end_line)?;
    text(buf, br#","fix":"#, r.fix.as_deref())?;
    // A confidence is one of three words: written as they are, not escaped each time.
    match r.confidence {
        "high" => buf.extend_from_slice(br#","confidence":"high""#),
        "medium" => buf.extend_from_slice(br#","confidence":"medium""#),
        "low" => buf.extend_from_slice(br#","confidence":"low""#),
        other => value(buf, br#","confidence":"#, other)?,
    }
    text(buf, br#","note":"#, r.note.as_deref())?;
    if let Some(m) = &r.matched {
        text(buf, br#","match":"#, Some(m))?;
    }
    buf.push(b'}');
    Ok(())
}

/// The members of `r` that come from its rule: `,"rule":...,"message":...`.
fn write_rule_members(buf: &mut Vec<u8>, r: &Record<'_>) -> std::io::Result<()> {
    value(buf, br#","rule":"#, r.rule)?;
    value(buf, br#","category":"#, r.category)?;
    value(buf, br#","severity":"#, r.severity)?;
    value(buf, br#","message":"#, r.message)
}

/// `key` and then `s` as a JSON string (`null` for `None`), as serde writes it. A string
/// with nothing to escape (no `"`, `\\` or control character; most notes) is copied between
/// quotes: serde's escaping writes it piece by piece.
fn text(buf: &mut Vec<u8>, key: &[u8], s: Option<&str>) -> std::io::Result<()> {
    match s {
        Some(s) if !needs_escape(s.as_bytes()) => {
            buf.extend_from_slice(key);
            buf.push(b'"');
            buf.extend_from_slice(s.as_bytes());
            buf.push(b'"');
            Ok(())
        }
        _ => value(buf, key, &s),
    }
}

/// Whether JSON needs an escape for a byte of `bytes`: `"`, `\\` or a control character
/// below `0x20` (serde leaves `0x7f` and everything beyond ASCII as it is).
fn needs_escape(bytes: &[u8]) -> bool {
    // Sixteen bytes at a time: a note is a few dozen bytes.
    let block = |b: &[u8], i: usize| {
        Some(mask16::in_range(b, i, 1, 0x1f)? | mask16::any_of(b, i, [0, b'"', b'\\'])?)
    };
    mask16::first(bytes, block, |&b| b < 0x20 || b == b'"' || b == b'\\').is_some()
}

/// `key` and then `value` as JSON.
fn value<T: serde::Serialize + ?Sized>(
    buf: &mut Vec<u8>,
    key: &[u8],
    value: &T,
) -> std::io::Result<()> {
    buf.extend_from_slice(key);
    serde_json::to_writer(&mut *buf, value).map_err(std::io::Error::from)
}

impl Printer for JsonPrinter<'_> {
    fn file(
        &mut self,
        _path: &str,
        _source: &Source<'_>,
        records: &[Record<'_>],
    ) -> std::io::Result<()> {
        self.start()?;
        // One file's records are rendered into memory and written at once: serde writes
        // many small pieces, which cost a dynamic call each on the output.
        let mut buf = Vec::with_capacity(records.len() * 320);
        let mut path: Option<(&str, Vec<u8>)> = None;
        // The previous record and its rule's members: the next record is often of the same
        // rule, borrowing the very same texts.
        let mut previous: Option<(&Record<'_>, Option<usize>)> = None;
        for r in records {
            if self.any {
                buf.push(b',');
            }
            // A file's records share its path: escape it once.
            if path
                .as_ref()
                .is_none_or(|(p, _)| !std::ptr::eq(*p, r.path) && *p != r.path)
            {
                path = Some((r.path, serde_json::to_vec(r.path)?));
            }
            let escaped = path.as_ref().map_or(&[][..], |(_, e)| e.as_slice());
            let rule = match previous {
                // Texts at the same address and of the same length, both borrowed now, are
                // the same texts: no need to compare them.
                Some((p, rule)) if same_rule_texts(p, r) => rule,
                _ => self.rule_members(r)?,
            };
            previous = Some((r, rule));
            let members = rule
                .and_then(|i| self.rules.get(i))
                .map(|m| m.json.as_slice());
            write_record(&mut buf, r, escaped, members)?;
            self.any = true;
        }
        self.out.write_all(&buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, summary: &Summary) -> std::io::Result<()> {
        self.start()?;
        self.out.write_all(br#"],"summary":"#)?;
        serde_json::to_writer(&mut self.out, summary)?;
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record<'a>(path: &'a str, text: &'a str, fix: Option<&str>, with: bool) -> Record<'a> {
        Record {
            path,
            rule: text,
            category: "cat\u{7f}",
            severity: "error",
            message: text,
            start: 0,
            end: 12_345_678_901,
            line: 7,
            column: 1,
            end_line: usize::MAX,
            fix: fix.map(str::to_string),
            confidence: "high",
            note: (!with).then(|| text.to_string()),
            matched: with.then(|| text.to_string()),
        }
    }

    proptest::proptest! {
        /// Strings copied between quotes or escaped by serde read as serde writes them.
        #[test]
        fn texts_are_written_as_serde_writes_them(
            s in proptest::option::of("[a-z \"\\\\\u{0}-\u{1f}\u{7f}\u{e9}\u{2028}]{0,24}"),
        ) {
            let mut buf = Vec::new();
            proptest::prop_assert!(text(&mut buf, b"k", s.as_deref()).is_ok());
            let mut want = b"k".to_vec();
            want.extend(serde_json::to_vec(&s).unwrap_or_default());
            proptest::prop_assert_eq!(buf, want);
        }
    }

    #[test]
    fn records_are_written_as_serde_writes_them() {
        let odd = "q\"uote \\ back\n\t\u{1} \u{e9}t\u{e9} \u{2028} </x>";
        let mut other_rule = record("a/b \"c\".txt", "plain", None, false);
        other_rule.category = "another";
        let plain = record("a/b \"c\".txt", "plain", None, true);
        // A record borrowing the very texts of the one before it.
        let same_texts = Record {
            start: 99,
            ..plain.clone()
        };
        let records = [
            record("a/b \"c\".txt", odd, Some("fix\u{0}"), false),
            plain,
            same_texts,
            // The same rule id with other members is written with its own.
            other_rule,
            record("other\\path.txt", odd, None, true),
        ];
        let mut out = Vec::new();
        let mut p = JsonPrinter::new(Box::new(&mut out));
        assert!(p.file("ignored", &Source::new(b""), &records).is_ok());
        assert!(p.file("ignored", &Source::new(b""), &records[..1]).is_ok());
        drop(p);
        let mut want = br#"{"version":1,"findings":["#.to_vec();
        for (i, r) in records.iter().chain(&records[..1]).enumerate() {
            if i > 0 {
                want.push(b',');
            }
            want.extend(serde_json::to_vec(r).unwrap_or_default());
        }
        assert_eq!(
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&want)
        );
    }
}
