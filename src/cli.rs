//! The command line, as clap sees it (low level), and its translation into settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::redact::{MaskStyle, Operator};
use crate::report::Format;
use crate::rules::{Confidence, Severity};

/// Lint documents (US diplomatic cables first) for sensitive content: personal names, phone
/// numbers, e-mail addresses, classification markings and garbled characters.
#[derive(Debug, Parser)]
#[command(name = "redline", version, about, long_about = None)]
pub struct Cli {
    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Which project config file to use.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colours when writing to a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report sensitive content in files, folders (walked, honouring .gitignore) or `-` (stdin).
    Check(CheckArgs),
    /// Write redacted copies: names, phone numbers and e-mail addresses replaced, verified by
    /// a second scan before anything is written.
    Redact(RedactArgs),
    /// List, explain and test rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Inspect the project config file (`redline.yaml` or `.redline.yaml`).
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script, e.g. `redline completions bash > /etc/bash_completion.d/redline`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `redline man > redline.1`.
    Man,
}

/// Where the config file comes from.
#[derive(Debug, Args, Clone, Default)]
pub struct ConfigArgs {
    /// Use this config file instead of searching for `redline.yaml` / `.redline.yaml` from the
    /// working folder upward.
    #[arg(long, value_name = "FILE", global = true, conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore config files.
    #[arg(long, global = true)]
    pub no_config: bool,
}

/// `redline config ...`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the config in force (file found, with every default spelled out).
    Show,
}

/// Options of `check` for fitting into hooks and CI: inputs, baseline, quietness.
#[derive(Debug, Args, Clone, Default)]
pub struct RunArgs {
    /// Check what is staged in the git index instead of files on disk.
    #[arg(long, conflicts_with = "paths")]
    pub staged: bool,
    /// Apply the config's `exclude` to files given by name too (for hooks, which pass every
    /// changed file by name).
    #[arg(long)]
    pub force_exclude: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Print findings and errors only: no summary line, no notes, no progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print how many findings each rule and category produced (on stderr).
    #[arg(long)]
    pub statistics: bool,
}

/// Which rules a run uses.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleArgs {
    /// Add rules from a YAML file or a folder of them (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in rule packs.
    #[arg(long)]
    pub no_builtin: bool,
    /// Turn on a rule, a dotted id prefix or a category (repeatable).
    #[arg(long, value_name = "ID")]
    pub enable: Vec<String>,
    /// Turn off a rule, a dotted id prefix or a category (repeatable).
    #[arg(long, value_name = "ID")]
    pub disable: Vec<String>,
}

/// `redline check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check; `-` reads stdin. Default: the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when a finding is at or above this severity [config `fail-on`; default: warning].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Report only findings at or above this confidence [config `min-confidence`; default: low].
    #[arg(long, value_enum)]
    pub min_confidence: Option<ConfidenceArg>,
    /// Include the matched text in machine output (off by default: CI logs must not repeat
    /// what we flag).
    #[arg(long)]
    pub show_match: bool,
    /// Worker threads (default: one per core). Output is the same for any count.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Apply the fix of every finding that has one (a rule gives a fix only when it is safe),
    /// rewriting each file atomically; the findings reported are those left afterwards.
    #[arg(long)]
    pub fix: bool,
    /// Rule selection.
    #[command(flatten)]
    pub rule_args: RuleArgs,
    /// Hooks, CI and baselines.
    #[command(flatten)]
    pub run: RunArgs,
}

/// `redline redact`.
#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Files or folders to redact; `-` reads stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Write the redacted copy to this file (one input only).
    #[arg(short = 'o', long = "output", value_name = "FILE", conflicts_with_all = ["out_dir", "in_place"])]
    pub output: Option<PathBuf>,
    /// Write redacted copies below this folder, mirroring each input folder's tree.
    #[arg(long, value_name = "DIR", conflicts_with = "in_place")]
    pub out_dir: Option<PathBuf>,
    /// Replace each input with its redacted copy, atomically.
    #[arg(long)]
    pub in_place: bool,
    /// Categories to redact (comma-separated).
    #[arg(long, value_delimiter = ',', default_values_t = ["person".to_string(), "phone".to_string(), "email".to_string()])]
    pub categories: Vec<String>,
    /// Redact only findings at or above this confidence.
    #[arg(long, value_enum, default_value_t = ConfidenceArg::Low)]
    pub min_confidence: ConfidenceArg,
    /// How to replace a redacted span.
    #[arg(long, value_enum, default_value_t = Operator::Mask)]
    pub operator: Operator,
    /// Operator for one rule or category: `person=pseudonym` (repeatable; a rule id wins over
    /// a category).
    #[arg(long = "operator-for", value_name = "KEY=OP", value_parser = parse_operator_for)]
    pub operator_for: Vec<(String, Operator)>,
    /// Mask character: `x` (`XXXXXXXXXXXX`, as the published cables) or `block` (`█`).
    #[arg(long, value_enum, default_value_t = MaskStyle::X)]
    pub mask_char: MaskStyle,
    /// Masks keep the length of what they replace (and its line breaks), so layout survives.
    #[arg(long)]
    pub keep_length: bool,
    /// Secret key for pseudonyms and manifest hashes (default: a random key for this run).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Write one JSON line per redaction to this file (never the redacted text).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Write the copies without re-scanning them. Not recommended.
    #[arg(long)]
    pub no_verify: bool,
    /// Worker threads (default: one per core). The copies and the report are the same for
    /// any count.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Rule selection.
    #[command(flatten)]
    pub rule_args: RuleArgs,
}

fn parse_operator_for(s: &str) -> Result<(String, Operator), String> {
    let (key, op) = s
        .split_once('=')
        .ok_or_else(|| format!("expected RULE_OR_CATEGORY=OPERATOR, got `{s}`"))?;
    let op = Operator::from_str(op, true)
        .map_err(|_| format!("unknown operator `{op}`: mask, label, pseudonym or remove"))?;
    Ok((key.to_string(), op))
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Any finding.
    Info,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
    /// Never exit 1 for findings.
    Never,
}

impl FailOn {
    /// The least severity that fails the run, if any.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Info => Some(Severity::Info),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Error => Some(Severity::Error),
            FailOn::Never => None,
        }
    }
}

/// `--min-confidence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConfidenceArg {
    /// Everything.
    Low,
    /// Medium and high.
    Medium,
    /// High only.
    High,
}

impl From<ConfidenceArg> for Confidence {
    fn from(c: ConfidenceArg) -> Self {
        match c {
            ConfidenceArg::Low => Confidence::Low,
            ConfidenceArg::Medium => Confidence::Medium,
            ConfidenceArg::High => Confidence::High,
        }
    }
}

/// `redline rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules with their category, severity and state.
    List(RuleArgs),
    /// Print a rule's documentation, from its rule file.
    Explain {
        /// The rule id.
        id: String,
        /// Rule selection.
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    /// Check every example and negative example of the built-in rules, or of the given rule
    /// files or folders (then built-in rules are not loaded).
    Test {
        /// Rule files or folders; default: the built-in packs.
        paths: Vec<PathBuf>,
    },
}
