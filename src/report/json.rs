//! `--format json`: one document, the contract the evaluation tools depend on.

use std::io::Write;

use serde::Serialize;

use super::{Printer, Record, Summary};
use crate::text::Source;

/// Collects records and writes one JSON document at the end.
pub struct JsonPrinter<'w> {
    out: Box<dyn Write + 'w>,
    records: Vec<Record>,
}

impl<'w> JsonPrinter<'w> {
    /// A printer writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        JsonPrinter {
            out,
            records: Vec::new(),
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: &'a [Record],
    summary: &'a Summary,
}

impl Printer for JsonPrinter<'_> {
    fn file(
        &mut self,
        _path: &str,
        _source: &Source<'_>,
        records: &[Record],
    ) -> std::io::Result<()> {
        self.records.extend_from_slice(records);
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> std::io::Result<()> {
        let doc = Document {
            version: 1,
            findings: &self.records,
            summary,
        };
        serde_json::to_writer(&mut self.out, &doc)?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}
