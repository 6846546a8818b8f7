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
        for r in records {
            if self.any {
                buf.push(b',');
            }
            serde_json::to_writer(&mut buf, r)?;
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
