//! `--format concise`: one line per finding, `path:line:col: rule message`, the shape editors
//! and `grep` already understand. Nothing else is printed, so a clean run prints nothing.

use std::io::Write;

use super::{Printer, Record, Summary};
use crate::text::{Source, display_safe};

/// Writes one line per finding.
pub struct ConcisePrinter<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> ConcisePrinter<'w> {
    /// A printer writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        ConcisePrinter { out }
    }
}

impl Printer for ConcisePrinter<'_> {
    fn file(
        &mut self,
        path: &str,
        _source: &Source<'_>,
        records: &[Record<'_>],
    ) -> std::io::Result<()> {
        let path = display_safe(path.as_bytes());
        for r in records {
            writeln!(
                self.out,
                "{path}:{}:{}: {} {}",
                r.line, r.column, r.rule, r.message
            )?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, _summary: &Summary) -> std::io::Result<()> {
        self.out.flush()
    }
}
