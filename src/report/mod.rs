//! One diagnostic model and its printers. A [`Record`] is a finding resolved against its file
//! and rule (path, line, column); each output format is one [`Printer`].

mod concise;
mod excerpt;
mod github;
mod human;
mod json;
mod jsonl;
mod problems;
mod sarif;
mod statistics;

use std::io::Write;

use serde::Serialize;

use crate::rules::Rule;
use crate::scan::Finding;
use crate::text::Source;

pub use concise::ConcisePrinter;
pub use github::GithubPrinter;
pub use human::HumanPrinter;
pub use json::JsonPrinter;
pub use jsonl::JsonLinesPrinter;
pub use problems::{render_config_error, render_example_failures, render_rule_errors};
pub use sarif::SarifPrinter;
pub use statistics::Statistics;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Rendered diagnostics with source snippets (default).
    Human,
    /// One line per finding: `path:line:col: rule message`.
    Concise,
    /// One JSON document: `{"version": 1, "findings": [...], "summary": {...}}`.
    Json,
    /// One JSON object per finding and line.
    Jsonl,
    /// A SARIF 2.1.0 log (GitHub code scanning and other viewers).
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}

impl Format {
    /// Whether the format is for people (so a closing summary line belongs in it).
    pub fn is_human(self) -> bool {
        self == Format::Human
    }
}

/// A finding resolved for output: everything a printer needs, in original-file terms.
///
/// It borrows the path and the rule's texts, so resolving a finding copies nothing of them.
#[derive(Debug, Clone, Serialize)]
pub struct Record<'a> {
    /// The path as given or walked.
    pub path: &'a str,
    /// Rule id.
    pub rule: &'a str,
    /// Rule category.
    pub category: &'a str,
    /// Rule severity.
    pub severity: &'static str,
    /// Rule message.
    pub message: &'a str,
    /// Start byte offset in the original file.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in characters.
    pub column: usize,
    /// 1-based line of the last byte.
    pub end_line: usize,
    /// Suggested replacement.
    pub fix: Option<String>,
    /// How sure the finding is.
    pub confidence: &'static str,
    /// Evidence behind the finding.
    pub note: Option<String>,
    /// The matched text, only with `--show-match`.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
}

impl<'a> Record<'a> {
    /// Resolve `finding` in `source` for output (its fix and note move into the record).
    pub fn new(
        path: &'a str,
        source: &Source<'_>,
        rule: &'a Rule,
        finding: Finding,
        show_match: bool,
    ) -> Self {
        let (line, column) = source.line_col(finding.span.start);
        let end_line = source.line(finding.span.end.saturating_sub(1).max(finding.span.start));
        Record {
            path,
            rule: &rule.id,
            category: &rule.category,
            severity: rule.severity.as_str(),
            message: &rule.message,
            start: finding.span.start,
            end: finding.span.end,
            line,
            column,
            end_line,
            fix: finding.fix,
            confidence: finding.confidence.as_str(),
            note: finding.note,
            matched: show_match.then(|| {
                String::from_utf8_lossy(source.bytes().get(finding.span.clone()).unwrap_or(&[]))
                    .into_owned()
            }),
        }
    }
}

/// Totals of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Files scanned.
    pub files: usize,
    /// Findings reported.
    pub findings: usize,
    /// Files that could not be read.
    pub errors: usize,
    /// Findings by severity: error, warning, info.
    #[serde(skip)]
    pub by_severity: [usize; 3],
    /// Files skipped as binary.
    #[serde(skip)]
    pub skipped: usize,
    /// Findings left out because an allow list covers them.
    #[serde(skip)]
    pub allowed: usize,
    /// Findings left out because the baseline holds them.
    #[serde(skip)]
    pub baselined: usize,
    /// Files left out by the configured excludes.
    #[serde(skip)]
    pub excluded: usize,
    /// Print no closing summary line (`--quiet`).
    #[serde(skip)]
    pub quiet: bool,
}

/// Receives each scanned file's findings, in input order, then the summary.
pub trait Printer {
    /// One file and its findings (possibly none).
    ///
    /// # Errors
    /// When writing fails.
    fn file(
        &mut self,
        path: &str,
        source: &Source<'_>,
        records: &[Record<'_>],
    ) -> std::io::Result<()>;

    /// The end of the run.
    ///
    /// # Errors
    /// When writing fails.
    fn finish(&mut self, summary: &Summary) -> std::io::Result<()>;

    /// Push what was printed so far to the output (every so many files of a long run).
    ///
    /// # Errors
    /// When writing fails.
    fn flush(&mut self) -> std::io::Result<()>;
}

/// Build the printer for `format`, writing to `out`.
pub fn printer<'w>(format: Format, out: Box<dyn Write + 'w>, color: bool) -> Box<dyn Printer + 'w> {
    printer_with_rules(format, out, color, &[])
}

/// Build the printer for `format`, writing to `out`; `rules` are the rules in force, which
/// SARIF describes in its log.
pub fn printer_with_rules<'w>(
    format: Format,
    out: Box<dyn Write + 'w>,
    color: bool,
    rules: &[Rule],
) -> Box<dyn Printer + 'w> {
    match format {
        Format::Human => Box::new(HumanPrinter::new(out, color)),
        Format::Concise => Box::new(ConcisePrinter::new(out)),
        Format::Json => Box::new(JsonPrinter::new(out)),
        Format::Jsonl => Box::new(JsonLinesPrinter::new(out)),
        Format::Sarif => Box::new(SarifPrinter::new(out, rules)),
        Format::Github => Box::new(GithubPrinter::new(out)),
    }
}
