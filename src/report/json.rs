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
        records: &[Record],
    ) -> std::io::Result<()> {
        self.start()?;
        for r in records {
            if self.any {
                self.out.write_all(b",")?;
            }
            serde_json::to_writer(&mut self.out, r)?;
            self.any = true;
        }
        Ok(())
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
