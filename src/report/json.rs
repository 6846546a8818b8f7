//! `--format json`: one document, the contract the evaluation tools depend on.
//!
//! Findings are streamed as they come, so memory stays flat however large the run; the
//! document is only complete once `finish` has written the summary.

use std::io::Write;

use super::{Printer, Record, Summary};
use crate::text::Source;

/// Streams `{"version": 1, "findings": [...], "summary": {...}}`.
pub struct JsonPrinter<'w> {
    out: Box<dyn Write + 'w>,
    started: bool,
    any: bool,
}

impl<'w> JsonPrinter<'w> {
    /// A printer writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        JsonPrinter {
            out,
            started: false,
            any: false,
        }
    }

    fn start(&mut self) -> std::io::Result<()> {
        if !self.started {
            self.out.write_all(br#"{"version":1,"findings":["#)?;
            self.started = true;
        }
        Ok(())
    }
}

/// `r` as the JSON object serde makes of a [`Record`] (same keys, order and escaping; a test
/// holds them equal), with its path already escaped: the keys are written as they are rather
/// than escaped for every record, and the path once per file.
fn write_record(buf: &mut Vec<u8>, r: &Record<'_>, path: &[u8]) -> std::io::Result<()> {
    fn value<T: serde::Serialize + ?Sized>(
        buf: &mut Vec<u8>,
        key: &[u8],
        value: &T,
    ) -> std::io::Result<()> {
        buf.extend_from_slice(key);
        serde_json::to_writer(&mut *buf, value).map_err(std::io::Error::from)
    }
    buf.extend_from_slice(br#"{"path":"#);
    buf.extend_from_slice(path);
    value(buf, br#","rule":"#, r.rule)?;
    value(buf, br#","category":"#, r.category)?;
    value(buf, br#","severity":"#, r.severity)?;
    value(buf, br#","message":"#, r.message)?;
    value(buf, br#","start":"#, &r.start)?;
    value(buf, br#","end":"#, &r.end)?;
    value(buf, br#","line":"#, &r.line)?;
    value(buf, br#","column":"#, &r.column)?;
    value(buf, br#","end_line":"#, &r.end_line)?;
    value(buf, br#","fix":"#, &r.fix)?;
    value(buf, br#","confidence":"#, r.confidence)?;
    value(buf, br#","note":"#, &r.note)?;
    if let Some(m) = &r.matched {
        value(buf, br#","match":"#, m)?;
    }
    buf.push(b'}');
    Ok(())
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
        for r in records {
            if self.any {
                buf.push(b',');
            }
            // A file's records share its path: escape it once.
            if path.as_ref().is_none_or(|(p, _)| *p != r.path) {
                path = Some((r.path, serde_json::to_vec(r.path)?));
            }
            let escaped = path.as_ref().map_or(&[][..], |(_, e)| e.as_slice());
            write_record(&mut buf, r, escaped)?;
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

    #[test]
    fn records_are_written_as_serde_writes_them() {
        let odd = "q\"uote \\ back\n\t\u{1} \u{e9}t\u{e9} \u{2028} </x>";
        let records = [
            record("a/b \"c\".txt", odd, Some("fix\u{0}"), false),
            record("a/b \"c\".txt", "plain", None, true),
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
