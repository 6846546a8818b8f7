//! `redline check`: read each input once, scan it, hand the findings to a printer.

use std::io::{Read, Write};

use crate::report::{Printer, Record, Summary};
use crate::rules::{Confidence, Severity};
use crate::scan::Scanner;
use crate::text::Source;
use crate::walk::{self, Input};

/// Settings of one `check` run, built from the command line.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// Paths as given.
    pub paths: Vec<std::path::PathBuf>,
    /// Findings below this confidence are dropped.
    pub min_confidence: Confidence,
    /// Put matched text into machine output.
    pub show_match: bool,
    /// Least severity that makes the run fail.
    pub fail_on: Option<Severity>,
    /// Apply the fixes of findings that have one, rewriting files atomically.
    pub fix: bool,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing at or above the failing severity.
    Clean,
    /// Findings at or above the failing severity.
    Findings,
    /// Some input could not be read.
    Error,
}

/// What reading one input gave.
pub(crate) enum Read_ {
    Text(Vec<u8>),
    Binary,
}

/// Bytes sniffed for a NUL to decide that a file is binary (as git and ripgrep do).
const SNIFF: usize = 8192;

pub(crate) fn read_input(input: &Input) -> std::io::Result<Read_> {
    let bytes = match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().lock().read_to_end(&mut buf)?;
            buf
        }
        Input::File(path) => std::fs::read(path)?,
    };
    if bytes[..bytes.len().min(SNIFF)].contains(&0) {
        return Ok(Read_::Binary);
    }
    Ok(Read_::Text(bytes))
}

/// Run `check` over the settings' paths.
///
/// Per-input problems (missing, unreadable) are reported on `err` and the run goes on; only the
/// outcome changes.
///
/// # Errors
/// When writing to the printer fails (a closed pipe included).
pub fn run_check(
    settings: &CheckSettings,
    scanner: &Scanner,
    printer: &mut dyn Printer,
    err: &mut dyn Write,
) -> std::io::Result<Outcome> {
    let (inputs, walk_errors) = walk::inputs(&settings.paths);
    let mut summary = Summary::default();
    let mut failed = false;
    let mut fixes = 0;
    for e in &walk_errors {
        writeln!(err, "redline: {}: {}", e.path, e.message)?;
        summary.errors += 1;
    }
    for input in &inputs {
        let name = input.display();
        let mut bytes = match read_input(input) {
            Ok(Read_::Text(b)) => b,
            Ok(Read_::Binary) => {
                writeln!(err, "redline: {name}: binary file skipped")?;
                summary.skipped += 1;
                continue;
            }
            Err(e) => {
                writeln!(err, "redline: {name}: cannot read: {}", io_reason(&e))?;
                summary.errors += 1;
                continue;
            }
        };
        let mut findings = scanner.scan(&bytes);
        if settings.fix {
            match fix_in_place(input, scanner, settings, &mut bytes, &mut findings) {
                Ok(n) => fixes += n,
                Err(e) => {
                    writeln!(err, "redline: {name}: fixes not applied: {}", io_reason(&e))?;
                    summary.errors += 1;
                }
            }
        }
        let source = Source::new(&bytes);
        let mut records = Vec::new();
        for f in findings {
            let Some(rule) = scanner.rules().get(f.rule) else {
                continue;
            };
            if f.confidence < settings.min_confidence {
                continue;
            }
            summary.by_severity[severity_slot(rule.severity)] += 1;
            failed |= settings.fail_on.is_some_and(|t| rule.severity >= t);
            records.push(Record::new(&name, &source, rule, &f, settings.show_match));
        }
        summary.files += 1;
        summary.findings += records.len();
        printer.file(&name, &source, &records)?;
    }
    printer.finish(&summary)?;
    if settings.fix {
        writeln!(err, "redline: applied {fixes} fix(es)")?;
    }
    Ok(if summary.errors > 0 {
        Outcome::Error
    } else if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// `--fix`: apply the fixes among `findings` to the file (atomically, keeping its
/// permissions), then rescan so that what is reported is what is left. Returns the number of
/// fixes applied. Standard input is never rewritten.
fn fix_in_place(
    input: &Input,
    scanner: &Scanner,
    settings: &CheckSettings,
    bytes: &mut Vec<u8>,
    findings: &mut Vec<crate::scan::Finding>,
) -> std::io::Result<usize> {
    let Input::File(path) = input else {
        return Ok(0);
    };
    findings.retain(|f| f.confidence >= settings.min_confidence);
    let (fixed, n) = crate::redact::apply_fixes(bytes, findings);
    if n == 0 || fixed == *bytes {
        return Ok(0);
    }
    let target = std::fs::canonicalize(path)?;
    crate::redact::write::write_atomic(&target, &fixed, None)?;
    *bytes = fixed;
    *findings = scanner.scan(bytes);
    Ok(n)
}

/// Index of a severity in [`Summary::by_severity`] (error, warning, info).
fn severity_slot(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// The OS error without Rust's "(os error N)" suffix.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}
