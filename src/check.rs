//! `redline check`: read each input once, scan it, hand the findings to a printer.

use std::io::{Read, Write};

use crate::report::{Printer, Record, Summary};
use crate::rules::{Confidence, Severity};
use crate::scan::{Finding, Scanner};

use crate::text::Source;
use crate::walk::{self, Input};
use rayon::prelude::*;

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
    /// Worker threads; 0 means one per core.
    pub threads: usize,
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

/// Why an input was not read.
fn refuse(msg: &str) -> std::io::Error {
    std::io::Error::other(msg.to_string())
}

/// Inputs read and scanned together before their results are reported. Large enough to keep
/// both cores busy, small enough that memory stays flat however many files a run has.
const CHUNK: usize = 128;

/// One input after reading and scanning: `None` for a binary file.
struct Scanned<'a> {
    input: &'a Input,
    result: std::io::Result<Option<(Vec<u8>, Vec<Finding>)>>,
}

fn scan_one<'a>(input: &'a Input, scanner: &Scanner) -> Scanned<'a> {
    let result = read_input(input).map(|read| match read {
        Read_::Text(bytes) => {
            let findings = scanner.scan(&bytes);
            Some((bytes, findings))
        }
        Read_::Binary => None,
    });
    Scanned { input, result }
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
        Input::File(path) => {
            // A FIFO or device given by name could block forever or never end.
            let meta = std::fs::metadata(path)?;
            if meta.is_dir() {
                return Err(refuse("is a folder where a file was expected"));
            }
            if !meta.is_file() {
                return Err(refuse("not a regular file"));
            }
            std::fs::read(path)?
        }
    };
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        // Offsets are bytes of the original file; decoding UTF-16 would break that promise,
        // so refuse clearly instead of skipping it as binary.
        return Err(refuse(
            "UTF-16 text is not supported; convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)",
        ));
    }
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
    for e in &walk_errors {
        writeln!(err, "redline: {}: {}", e.path, e.message)?;
        summary.errors += 1;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .map_err(std::io::Error::other)?;
    for chunk in inputs.chunks(CHUNK) {
        // Read and scan a chunk in parallel; report it in input order, so output is the same
        // whatever the thread count.
        let scanned: Vec<Scanned> = pool.install(|| {
            chunk
                .par_iter()
                .map(|input| scan_one(input, scanner))
                .collect()
        });
        for one in scanned {
            let name = one.input.display();
            let (bytes, findings) = match one.result {
                Ok(Some(done)) => done,
                Ok(None) => {
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
    }
    printer.finish(&summary)?;
    Ok(if summary.errors > 0 {
        Outcome::Error
    } else if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
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
