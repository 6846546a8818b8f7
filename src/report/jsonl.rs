//! `--format jsonl`: one JSON object per finding and line (the records of `--format json`),
//! written as each file is done, so a consumer can stream a long run.

use std::io::Write;

use super::{Printer, Record, Summary};
use crate::text::Source;

/// Writes one JSON line per finding.
pub struct JsonLinesPrinter<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> JsonLinesPrinter<'w> {
    /// A printer writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        JsonLinesPrinter { out }
    }
}

impl Printer for JsonLinesPrinter<'_> {
    fn file(
        &mut self,
        _path: &str,
        _source: &Source<'_>,
        records: &[Record<'_>],
    ) -> std::io::Result<()> {
        // Rendered into memory, then written at once (see the JSON printer).
        let mut buf = Vec::with_capacity(records.len() * 320);
        for r in records {
            serde_json::to_writer(&mut buf, r)?;
            buf.push(b'\n');
        }
        self.out.write_all(&buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, _summary: &Summary) -> std::io::Result<()> {
        self.out.flush()
    }
}
