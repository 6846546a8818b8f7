//! `redline check`: read each input once, scan it, leave out what the allow list or the
//! baseline accepts, hand the rest to a printer.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::ProgressBar;

use crate::baseline::{Baseline, BaselineWriter};
use crate::reason::io_reason;
use crate::report::{Printer, Record, Statistics, Summary};
use crate::rules::Severity;
use crate::scan::{Finding, Scanner};
use crate::text::{Source, display_safe};
use crate::walk::{self, Input, Read_, read_input};

pub use crate::settings::CheckSettings;

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

/// Inputs read and scanned at most ahead of the one being reported: far enough that no
/// thread waits for the reporter behind one large file, near enough that memory stays flat
/// however many files a run has.
const WINDOW: usize = 256;

/// Printed output is flushed after this many inputs (and at the end), so that a long run
/// shows its progress without a write per file.
const FLUSH_EVERY: usize = 128;

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

/// Runs with fewer inputs than this warm the scanner up on another thread
/// ([`Scanner::warm_up`]).
const WARM_UP_MAX_INPUTS: usize = 8;

/// The state of a run as it goes.
struct Run<'s> {
    settings: &'s CheckSettings,
    summary: Summary,
    failed: bool,
    baseline: Option<Baseline>,
    writer: Option<BaselineWriter>,
    statistics: Statistics,
    /// Fixes applied with `--fix`.
    fixes: usize,
}

/// Run `check` over the settings' paths (or the git index).
///
/// Per-input problems (missing, unreadable) are reported on `err` and the run goes on; only the
/// outcome changes.
///
/// # Errors
/// When writing to the printer fails (a closed pipe included), or the baseline cannot be
/// written.
pub fn run_check(
    settings: &CheckSettings,
    scanner: &Scanner,
    printer: &mut dyn Printer,
    err: &mut dyn Write,
) -> std::io::Result<Outcome> {
    let mut run = Run {
        settings,
        summary: Summary {
            quiet: settings.quiet,
            ..Summary::default()
        },
        failed: false,
        baseline: settings.baseline.clone(),
        writer: match settings.write_baseline {
            Some(_) => Some(BaselineWriter::new()?),
            None => None,
        },
        statistics: Statistics::default(),
        fixes: 0,
    };
    let inputs = run.inputs(err)?;
    let bar = crate::progress::bar(settings.progress, inputs.len());
    let threads = match settings.threads {
        0 => std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
        n => n,
    };
    // Set once every input is scanned: the warm-up stops at its next detector.
    let scanned = AtomicBool::new(false);
    std::thread::scope(|scope| -> std::io::Result<()> {
        // A run of a few files (a pre-commit hook) would build the detectors' patterns in
        // its first scan; another core builds them meanwhile. A long run builds them once
        // either way, and `--threads 1` asked for no second thread.
        if inputs.len() < WARM_UP_MAX_INPUTS && settings.threads != 1 {
            scope.spawn(|| scanner.warm_up(&scanned));
        }
        // Read and scan on `threads` threads; resolve and print here, in input order, so
        // output is the same whatever the thread count.
        let mut reported = 0;
        let outcome = crate::ordered::for_each(
            &inputs,
            threads,
            WINDOW,
            |input| scan_one(input, scanner),
            |one| {
                run.report_one(one, scanner, printer, &bar, err)?;
                reported += 1;
                if reported % FLUSH_EVERY == 0 || reported == inputs.len() {
                    printer.flush()?;
                }
                Ok(())
            },
        );
        scanned.store(true, Ordering::Relaxed);
        outcome
    })?;
    bar.finish_and_clear();
    printer.finish(&run.summary)?;
    run.finish(err)
}

impl Run<'_> {
    /// Resolve and print one scanned input (applying `--fix` first).
    fn report_one(
        &mut self,
        one: Scanned<'_>,
        scanner: &Scanner,
        printer: &mut dyn Printer,
        bar: &ProgressBar,
        err: &mut dyn Write,
    ) -> std::io::Result<()> {
        let settings = self.settings;
        let name = one.input.display();
        if !bar.is_hidden() {
            bar.set_message(display_safe(name.as_bytes()));
        }
        bar.inc(1);
        let Some((mut bytes, mut findings)) = self.read(one.result, &name, bar, err)? else {
            return Ok(());
        };
        if settings.fix {
            match fix_in_place(one.input, scanner, settings, &mut bytes, &mut findings) {
                Ok(n) => self.fixes += n,
                Err(e) => {
                    writeln!(err, "redline: {name}: fixes not applied: {}", io_reason(&e))?;
                    self.summary.errors += 1;
                }
            }
        }
        let source = Source::new(&bytes);
        let records = self.records(&name, &source, findings, scanner);
        self.summary.files += 1;
        self.summary.findings += records.len();
        // The bar steps aside only when something is printed, not once per file.
        if records.is_empty() {
            printer.file(&name, &source, &records)
        } else {
            bar.suspend(|| printer.file(&name, &source, &records))
        }
    }

    /// The inputs of the run, excludes applied.
    fn inputs(&mut self, err: &mut dyn Write) -> std::io::Result<Vec<Input>> {
        let s = self.settings;
        let (inputs, walk_errors) = if s.staged {
            match crate::staged::staged_paths() {
                Ok((top, paths)) => {
                    let inputs = paths
                        .into_iter()
                        .filter(|p| !self.excluded(&top.join(p)))
                        .map(Input::Staged)
                        .collect();
                    (inputs, Vec::new())
                }
                Err(e) => {
                    writeln!(err, "redline: --staged: {e}")?;
                    self.summary.errors += 1;
                    (Vec::new(), Vec::new())
                }
            }
        } else {
            let (inputs, errors) = walk::inputs(&s.paths);
            let kept = inputs
                .into_iter()
                .filter(|i| match i {
                    // A file named on the command line is checked unless excludes are forced.
                    Input::File(p) if s.force_exclude || !s.paths.contains(p) => !self.excluded(p),
                    _ => true,
                })
                .collect();
            (kept, errors)
        };
        for e in &walk_errors {
            writeln!(err, "redline: {}: {}", e.path, e.message)?;
            self.summary.errors += 1;
        }
        Ok(inputs)
    }

    fn excluded(&mut self, path: &std::path::Path) -> bool {
        let out = self.settings.excludes.excludes(path);
        self.summary.excluded += usize::from(out);
        out
    }

    /// The text and findings of one input, or `None` (reported) when it is binary or
    /// unreadable.
    fn read(
        &mut self,
        result: std::io::Result<Option<(Vec<u8>, Vec<Finding>)>>,
        name: &str,
        bar: &ProgressBar,
        err: &mut dyn Write,
    ) -> std::io::Result<Option<(Vec<u8>, Vec<Finding>)>> {
        match result {
            Ok(Some(done)) => Ok(Some(done)),
            Ok(None) => {
                if !self.settings.quiet {
                    bar.suspend(|| writeln!(err, "redline: {name}: binary file skipped"))?;
                }
                self.summary.skipped += 1;
                Ok(None)
            }
            Err(e) => {
                bar.suspend(|| writeln!(err, "redline: {name}: cannot read: {}", io_reason(&e)))?;
                self.summary.errors += 1;
                Ok(None)
            }
        }
    }

    /// The findings of one document that are reported: confident enough, not allowed, not
    /// in the baseline.
    fn records<'a>(
        &mut self,
        name: &'a str,
        source: &Source<'_>,
        findings: Vec<Finding>,
        scanner: &'a Scanner,
    ) -> Vec<Record<'a>> {
        let s = self.settings;
        let bytes = source.bytes();
        // Most findings are reported: room for all of them at once, not grown by doubling.
        let mut records = Vec::with_capacity(findings.len());
        for f in findings {
            let Some(rule) = scanner.rules().get(f.rule) else {
                continue;
            };
            if f.confidence < s.min_confidence {
                continue;
            }
            let matched = bytes.get(f.span.clone()).unwrap_or(&[]);
            if s.allow.allows(rule, matched) {
                self.summary.allowed += 1;
                continue;
            }
            if let Some(w) = &mut self.writer {
                let fp = w.fingerprinter().fingerprint(&rule.id, name, matched);
                w.add(fp);
                self.summary.baselined += 1;
                continue;
            }
            if let Some(b) = &mut self.baseline {
                let fp = b.fingerprinter().fingerprint(&rule.id, name, matched);
                if b.take(&fp) {
                    self.summary.baselined += 1;
                    continue;
                }
            }
            self.summary.by_severity[severity_slot(rule.severity)] += 1;
            self.failed |= s.fail_on.is_some_and(|t| rule.severity >= t);
            let record = Record::new(name, source, rule, f, s.show_match);
            // Counted only when asked for: two map lookups for every finding otherwise.
            if s.statistics {
                self.statistics.add(&record);
            }
            records.push(record);
        }
        records
    }

    /// Write the baseline and the statistics; the outcome.
    fn finish(self, err: &mut dyn Write) -> std::io::Result<Outcome> {
        if self.settings.fix {
            writeln!(err, "redline: applied {} fix(es)", self.fixes)?;
        }
        if self.settings.statistics {
            self.statistics.write(err)?;
        }
        if let (Some(w), Some(path)) = (self.writer, &self.settings.write_baseline) {
            let n = w.len();
            w.write(path).map_err(|e| {
                std::io::Error::other(format!(
                    "{}: cannot write the baseline: {}",
                    path.display(),
                    io_reason(&e)
                ))
            })?;
            if !self.settings.quiet {
                writeln!(
                    err,
                    "redline: wrote {n} finding{} to the baseline {}",
                    if n == 1 { "" } else { "s" },
                    path.display()
                )?;
            }
        }
        Ok(if self.summary.errors > 0 {
            Outcome::Error
        } else if self.failed {
            Outcome::Findings
        } else {
            Outcome::Clean
        })
    }
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
