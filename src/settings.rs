//! From the command line and the config file to the settings of a run: which rules (with
//! severity overrides), which files (excludes), which findings to leave out (allow lists).
//! The command line wins over the config file, which wins over the built-in defaults.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use regex::Regex;

use crate::baseline::Baseline;
use crate::cli::{CheckArgs, ConfidenceArg, ConfigArgs, FailOn, RuleArgs};
use crate::config::{self, Config, ConfigError};
use crate::rules::{BuiltinExamples, Confidence, Rule, RuleError, RuleSet, Severity};
use crate::scan::test_examples;

/// The config file a run uses: `--config`, else the one discovered from the working folder,
/// none with `--no-config`.
///
/// # Errors
/// A config file that cannot be read or is invalid; a `--config` file that does not exist.
pub fn load_config(args: &ConfigArgs) -> Result<Option<Config>, ConfigError> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(p) => p.clone(),
        None => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            match config::discover(&cwd) {
                // Shown relative to the working folder when it is there, as users name it.
                Some(p) => p
                    .strip_prefix(&cwd)
                    .map_or_else(|_| p.clone(), Path::to_path_buf),
                None => return Ok(None),
            }
        }
    };
    config::load(&path).map(Some)
}

/// The rules of a run: the config's rule paths and selections first, then the command line's
/// (so `--enable` undoes a config `disable`), then the config's severity overrides.
///
/// # Errors
/// Broken rule files, and selectors that match no rule.
pub fn rule_set(
    args: &RuleArgs,
    config: Option<&Config>,
    examples: BuiltinExamples,
) -> Result<RuleSet, Vec<RuleError>> {
    let Some(c) = config else {
        return load_rules(args, examples);
    };
    let mut paths = c.rule_paths();
    paths.extend(args.rules.iter().cloned());
    let base = RuleArgs {
        rules: paths,
        no_builtin: args.no_builtin || !c.file.builtin,
        enable: c.file.enable.clone(),
        disable: c.file.disable.clone(),
    };
    let mut set = load_rules(&base, examples)?;
    let mut errors = Vec::new();
    let unknown = |what: &str, sel: &str, origin: &str| {
        RuleError::unlocated(
            origin,
            format!("{what}: no rule, id prefix or category `{sel}`"),
            vec!["`redline rules list` shows the rules".into()],
        )
    };
    for (selectors, on) in [(&args.enable, true), (&args.disable, false)] {
        for sel in selectors {
            if !set.set_enabled(sel, on) {
                errors.push(unknown("selection", sel, "<command line>"));
            }
        }
    }
    let origin = c.path.display().to_string();
    for (sel, severity) in &c.file.severity {
        if !set.set_severity(sel, *severity) {
            errors.push(unknown("severity override", sel, &origin));
        }
    }
    if errors.is_empty() {
        Ok(set)
    } else {
        Err(errors)
    }
}

/// The settings of a `check` run: command line over config file over defaults.
///
/// # Errors
/// Invalid excludes, an unreadable baseline; the message names the file.
pub fn check_settings(args: &CheckArgs, config: Option<&Config>) -> Result<CheckSettings, String> {
    let file = config.map(|c| &c.file);
    let fail_on = args
        .fail_on
        .or(file.and_then(|f| f.fail_on))
        .unwrap_or(FailOn::Warning);
    let min_confidence = args
        .min_confidence
        .or(file.and_then(|f| f.min_confidence))
        .unwrap_or(ConfidenceArg::Low);
    let run = &args.run;
    let baseline = match &run.baseline {
        Some(p) => Some(Baseline::load(p)?),
        None => None,
    };
    let mut s = CheckSettings::new(args.paths.clone());
    s.min_confidence = min_confidence.into();
    s.show_match = args.show_match;
    s.threads = args.threads;
    s.fix = args.fix;
    s.fail_on = fail_on.threshold();
    s.staged = run.staged;
    s.excludes = Excludes::new(config)?;
    s.force_exclude = run.force_exclude;
    s.allow = AllowList::new(config)?;
    s.baseline = baseline;
    s.write_baseline = run.write_baseline.clone();
    s.statistics = run.statistics;
    s.quiet = run.quiet;
    s.progress = !run.quiet && std::io::stderr().is_terminal();
    Ok(s)
}

/// Paths a run leaves out: the config's `exclude` patterns, gitignore syntax, relative to
/// the config file's folder.
#[derive(Debug, Clone)]
pub struct Excludes {
    matcher: Option<Gitignore>,
}

impl Excludes {
    /// No excludes.
    pub fn none() -> Self {
        Excludes { matcher: None }
    }

    /// The excludes of `config`.
    ///
    /// # Errors
    /// An invalid pattern, named.
    pub fn new(config: Option<&Config>) -> Result<Self, String> {
        let Some(c) = config.filter(|c| !c.file.exclude.is_empty()) else {
            return Ok(Excludes::none());
        };
        let mut b = GitignoreBuilder::new(&c.root);
        for pat in &c.file.exclude {
            b.add_line(None, pat)
                .map_err(|e| format!("{}: exclude `{pat}`: {e}", c.path.display()))?;
        }
        let matcher = b
            .build()
            .map_err(|e| format!("{}: exclude: {e}", c.path.display()))?;
        Ok(Excludes {
            matcher: Some(matcher),
        })
    }

    /// Whether the file at `path` (relative to the working folder, or absolute) is excluded.
    pub fn excludes(&self, path: &Path) -> bool {
        let Some(m) = &self.matcher else {
            return false;
        };
        let Ok(abs) = std::path::absolute(path) else {
            return false;
        };
        // The matcher only judges paths below its root (and panics on others).
        abs.starts_with(m.path()) && m.matched_path_or_any_parents(&abs, false).is_ignore()
    }
}

/// Findings that are known and accepted, from the config's `allow:` list.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    entries: Vec<(Matcher, Vec<String>)>,
}

#[derive(Debug, Clone)]
enum Matcher {
    Value(String),
    Regex(Regex),
}

impl AllowList {
    /// The allow list of `config` (empty without one).
    ///
    /// # Errors
    /// An invalid regex (the config loader has checked them already).
    pub fn new(config: Option<&Config>) -> Result<Self, String> {
        let mut entries = Vec::new();
        for e in config.map_or(&[][..], |c| &c.file.allow[..]) {
            let m = match (&e.value, &e.regex) {
                (Some(v), _) => Matcher::Value(collapse_blanks(v)),
                (None, Some(re)) => Matcher::Regex(
                    Regex::new(&format!("^(?:{})$", re.value)).map_err(|e| e.to_string())?,
                ),
                (None, None) => continue,
            };
            entries.push((m, e.rules.clone()));
        }
        Ok(AllowList { entries })
    }

    /// Whether an entry covers `rule` matching `matched`. Line breaks and runs of blanks
    /// compare as one space, so a value wrapped across lines in a document still matches.
    pub fn allows(&self, rule: &Rule, matched: &[u8]) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let text = String::from_utf8_lossy(matched);
        let collapsed = collapse_blanks(&text);
        self.entries.iter().any(|(m, rules)| {
            let applies = rules.is_empty() || rules.iter().any(|s| rule.selected_by(s));
            applies
                && match m {
                    Matcher::Value(v) => *v == collapsed,
                    Matcher::Regex(re) => re.is_match(&text) || re.is_match(&collapsed),
                }
        })
    }
}

fn collapse_blanks(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str, root: &Path) -> Config {
        Config {
            path: root.join("redline.yaml"),
            root: root.to_path_buf(),
            file: config::parse("redline.yaml", text).unwrap(),
        }
    }

    #[test]
    fn excludes_are_gitignore_patterns_below_the_config_folder() {
        let dir = tempfile::tempdir().unwrap();
        let c = config("exclude: ['drafts/', '*.log']\n", dir.path());
        let ex = Excludes::new(Some(&c)).unwrap();
        assert!(ex.excludes(&dir.path().join("drafts/a.txt")));
        assert!(ex.excludes(&dir.path().join("x/run.log")));
        assert!(!ex.excludes(&dir.path().join("cables/a.txt")));
        assert!(!ex.excludes(Path::new("/elsewhere/run.log")));
    }

    #[test]
    fn allow_entries_match_whole_values_per_rule() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(
            "allow:\n  - value: press@example.gov\n  - regex: '\\+1-202-555-01\\d\\d'\n    rules: [phone]\n",
            dir.path(),
        );
        let allow = AllowList::new(Some(&c)).unwrap();
        let set = RuleSet::builtin().unwrap();
        let email = set.get("contact.email").unwrap();
        let phone = set.get("contact.phone").unwrap();
        assert!(allow.allows(email, b"press@example.gov"));
        assert!(!allow.allows(email, b"xpress@example.gov"));
        assert!(allow.allows(phone, b"+1-202-555-0123"));
        assert!(!allow.allows(phone, b"+1-202-\n555-0123"));
        assert!(!allow.allows(email, b"+1-202-555-0123"));
        assert!(!allow.allows(phone, b"+1-202-555-0123 ext"));
    }
}

/// Load the rules a run asked for, the built-in ones with their examples or without.
///
/// # Errors
/// Every problem in every rule file, and selectors that match no rule.
pub fn load_rules(args: &RuleArgs, examples: BuiltinExamples) -> Result<RuleSet, Vec<RuleError>> {
    let mut set = if args.no_builtin {
        RuleSet::new()
    } else {
        RuleSet::builtin_with(examples)?
    };
    let mut errors = Vec::new();
    for path in &args.rules {
        let mut user = RuleSet::new();
        match user.add_path(path) {
            Ok(()) => errors.extend(user_example_errors(&user)),
            Err(mut e) => errors.append(&mut e),
        }
        if let Err(mut e) = set.extend(user.rules().to_vec()) {
            errors.append(&mut e);
        }
    }
    for (selectors, on) in [(&args.enable, true), (&args.disable, false)] {
        for sel in selectors {
            if !set.set_enabled(sel, on) {
                errors.push(RuleError::unlocated(
                    "<command line>",
                    format!("no rule, id prefix or category `{sel}`"),
                    vec!["`redline rules list` shows the rules".into()],
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(set)
    } else {
        Err(errors)
    }
}

/// A user rule whose example fails is a broken rule file.
fn user_example_errors(user: &RuleSet) -> Vec<RuleError> {
    match test_examples(user) {
        Ok(failures) => failures
            .into_iter()
            .map(|f| RuleError {
                path: f.origin.path.clone(),
                source: f.origin.source.clone(),
                span: Some(f.example.span.clone()),
                message: format!(
                    "rule `{}`: {} {}",
                    f.rule_id,
                    if f.negative {
                        "negative example:"
                    } else {
                        "example:"
                    },
                    f.message
                ),
                notes: vec!["fix the rule or the example; `redline rules test` checks them".into()],
            })
            .collect(),
        Err(e) => e,
    }
}

/// Settings of one `check` run, built from the command line and the config file.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// Paths as given.
    pub paths: Vec<PathBuf>,
    /// Findings below this confidence are dropped.
    pub min_confidence: Confidence,
    /// Put matched text into machine output.
    pub show_match: bool,
    /// Least severity that makes the run fail.
    pub fail_on: Option<Severity>,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Apply the fixes of findings that have one, rewriting files atomically.
    pub fix: bool,
    /// Read the files staged in the git index instead of `paths`.
    pub staged: bool,
    /// Paths left out (walked files always; files given by name with `force_exclude`).
    pub excludes: Excludes,
    /// Apply `excludes` to files given by name too.
    pub force_exclude: bool,
    /// Findings accepted by the config.
    pub allow: AllowList,
    /// Findings accepted by a baseline: only new ones are reported.
    pub baseline: Option<Baseline>,
    /// Record every finding in this baseline file instead of reporting it.
    pub write_baseline: Option<PathBuf>,
    /// Print counts per rule and category on the error stream at the end.
    pub statistics: bool,
    /// No notes (binary files skipped) and no summary line.
    pub quiet: bool,
    /// Show a progress bar on stderr (the caller checks that it is a terminal).
    pub progress: bool,
}

impl CheckSettings {
    /// Settings for `paths` with every option at its default.
    pub fn new(paths: Vec<PathBuf>) -> Self {
        CheckSettings {
            paths,
            min_confidence: Confidence::Low,
            show_match: false,
            fail_on: Some(Severity::Warning),
            staged: false,
            excludes: Excludes::none(),
            force_exclude: false,
            allow: AllowList::default(),
            baseline: None,
            write_baseline: None,
            statistics: false,
            quiet: false,
            progress: false,
            threads: 0,
            fix: false,
        }
    }
}
