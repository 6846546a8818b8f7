//! `--format human`: codespan-reporting diagnostics, then a one-line summary.
//!
//! Document text reaches the terminal only through [`display_safe`], which neutralises
//! control, escape and bidi characters without changing byte lengths, so spans stay exact.

use std::io::Write;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::term::{self, termcolor::Buffer};

use super::excerpt::Excerpt;
use super::{Printer, Record, Summary};
use crate::text::{Source, display_safe};

/// Renders each finding as a diagnostic with its source snippet.
pub struct HumanPrinter<'w> {
    out: Box<dyn Write + 'w>,
    color: bool,
}

impl<'w> HumanPrinter<'w> {
    /// A printer writing to `out`, with ANSI colours when `color`.
    pub fn new(out: Box<dyn Write + 'w>, color: bool) -> Self {
        HumanPrinter { out, color }
    }
}

pub(crate) fn buffer(color: bool) -> Buffer {
    if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    }
}

pub(crate) fn severity(s: &str) -> CsSeverity {
    match s {
        "error" => CsSeverity::Error,
        "warning" => CsSeverity::Warning,
        _ => CsSeverity::Note,
    }
}

fn diagnostic(r: &Record<'_>, label: Range<usize>) -> Diagnostic<()> {
    let mut notes = vec![format!("confidence: {}", r.confidence)];
    if let Some(note) = &r.note {
        notes.push(format!("evidence: {}", display_safe(note.as_bytes())));
    }
    if let Some(fix) = &r.fix {
        notes.push(format!(
            "fix: replace with `{}`",
            display_safe(fix.as_bytes())
        ));
    }
    Diagnostic::new(severity(r.severity))
        .with_code(r.rule)
        .with_message(r.message)
        .with_labels(vec![Label::primary((), label).with_message(r.category)])
        .with_notes(notes)
}

impl Printer for HumanPrinter<'_> {
    fn file(
        &mut self,
        path: &str,
        source: &Source<'_>,
        records: &[Record<'_>],
    ) -> std::io::Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let name = display_safe(path.as_bytes());
        let text = display_safe(source.bytes());
        let config = term::Config::default();
        let mut buf = buffer(self.color);
        for r in records {
            let excerpt = Excerpt::new(&name, &text, source, r.start..r.end);
            term::emit_to_write_style(&mut buf, &config, &excerpt, &diagnostic(r, excerpt.span()))
                .map_err(std::io::Error::other)?;
        }
        self.out.write_all(buf.as_slice())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, s: &Summary) -> std::io::Result<()> {
        let [errors, warnings, infos] = s.by_severity;
        let mut line = format!(
            "redline: {} file{} checked, {} finding{} ({errors} error{}, {warnings} warning{}, {infos} info)",
            s.files,
            plural(s.files),
            s.findings,
            plural(s.findings),
            plural(errors),
            plural(warnings),
        );
        if s.skipped > 0 {
            line.push_str(&format!(
                ", {} binary file{} skipped",
                s.skipped,
                plural(s.skipped)
            ));
        }
        if s.errors > 0 {
            line.push_str(&format!(", {} unreadable", s.errors));
        }
        for (n, what) in [
            (s.allowed, "allowed by the config"),
            (s.baselined, "in the baseline"),
        ] {
            if n > 0 {
                line.push_str(&format!(", {n} {what}"));
            }
        }
        if s.excluded > 0 {
            line.push_str(&format!(
                ", {} file{} excluded",
                s.excluded,
                plural(s.excluded)
            ));
        }
        if !s.quiet {
            writeln!(self.out, "{line}")?;
        }
        self.out.flush()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
