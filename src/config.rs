//! The project configuration file, `redline.yaml` or `.redline.yaml`, found from the working
//! folder upward (the first folder holding one wins; `--config` names one, `--no-config`
//! ignores them). The schema is strict: an unknown key is an error shown with a snippet of
//! the file, never ignored, so a typo cannot silently switch a check off.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::cli::{ConfidenceArg, FailOn};
use crate::rules::Severity;

/// File names searched for, in this order, in each folder.
pub const FILE_NAMES: &[&str] = &["redline.yaml", ".redline.yaml"];

/// Config files larger than this are refused before parsing.
const MAX_CONFIG: usize = 1 << 20;

/// One config file as written. Every key is optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Extra rule files or folders, relative to the config file.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Load the built-in rule packs (default true).
    #[serde(default = "yes")]
    pub builtin: bool,
    /// Rules, dotted id prefixes or categories to turn on.
    #[serde(default)]
    pub enable: Vec<String>,
    /// Rules, dotted id prefixes or categories to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Severity overrides: rule, dotted id prefix or category -> severity.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Least severity that fails the run (`--fail-on` overrides).
    #[serde(default)]
    pub fail_on: Option<FailOn>,
    /// Least confidence reported (`--min-confidence` overrides).
    #[serde(default)]
    pub min_confidence: Option<ConfidenceArg>,
    /// Paths never checked: gitignore-style patterns relative to the config file.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Findings that are known and accepted.
    #[serde(default)]
    pub allow: Vec<AllowEntry>,
    /// Redaction settings, read by `redact`.
    #[serde(default)]
    pub redact: RedactConfig,
    /// ISO 3166 region assumed for phone numbers without a country code, e.g. `US`.
    #[serde(default)]
    pub phone_region: Option<Spanned<String>>,
}

fn yes() -> bool {
    true
}

/// One allow-list entry: an exact value or a regex (matched against the whole matched text),
/// optionally only for some rules.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AllowEntry {
    /// The exact matched text (runs of blanks and line breaks compare as one space).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// A regex the whole matched text must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<Spanned<String>>,
    /// Rules, dotted id prefixes or categories the entry applies to; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// Why the finding is accepted (kept for the reader; not used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `redact:` settings.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RedactConfig {
    /// Redaction operator per category, e.g. `person: mask`. Validated by `redact`.
    #[serde(default)]
    pub operators: BTreeMap<String, String>,
}

/// A config file that was found and read.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it is.
    pub path: PathBuf,
    /// The folder its relative paths start from.
    pub root: PathBuf,
    /// What it says.
    pub file: ConfigFile,
}

impl Config {
    /// The file's extra rule paths, resolved against its folder.
    pub fn rule_paths(&self) -> Vec<PathBuf> {
        self.file.rules.iter().map(|r| self.root.join(r)).collect()
    }
}

/// A problem in a config file, located in it.
#[derive(Debug, Clone)]
pub struct ConfigError {
    /// The config file's path.
    pub path: String,
    /// Its text.
    pub source: Arc<str>,
    /// Where the problem is, when known.
    pub span: Option<Range<usize>>,
    /// What is wrong.
    pub message: String,
    /// How to move on.
    pub notes: Vec<String>,
}

/// The config file for a folder: the first `redline.yaml` or `.redline.yaml` in `start` or
/// one of its ancestors.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find_map(|dir| FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file()))
}

/// Read and check the config file at `path`.
///
/// # Errors
/// An unreadable file, invalid YAML, unknown keys and invalid values, each located.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let shown = path.display().to_string();
    let text = read_limited(path).map_err(|e| ConfigError {
        path: shown.clone(),
        source: Arc::from(""),
        span: None,
        message: format!(
            "cannot read the config file: {}",
            crate::reason::io_reason(&e)
        ),
        notes: vec!["`--no-config` runs without it".into()],
    })?;
    let file = parse(&shown, &text)?;
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let root = abs
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok(Config {
        path: path.to_path_buf(),
        root,
        file,
    })
}

fn read_limited(path: &Path) -> std::io::Result<String> {
    let len = std::fs::metadata(path)?.len();
    if len > MAX_CONFIG as u64 {
        return Err(std::io::Error::other(format!(
            "{len} bytes; the limit is {MAX_CONFIG}"
        )));
    }
    std::fs::read_to_string(path)
}

/// Parse config text; `path` names it in errors.
///
/// # Errors
/// Invalid YAML, unknown keys, invalid regexes or regions, each located.
pub fn parse(path: &str, text: &str) -> Result<ConfigFile, ConfigError> {
    let source: Arc<str> = Arc::from(text);
    let err = |span: Option<Range<usize>>, message: String, note: &str| ConfigError {
        path: path.to_string(),
        source: source.clone(),
        span,
        message,
        notes: vec![note.to_string()],
    };
    // An empty file is a valid config that sets nothing.
    if text.trim().is_empty() {
        return Ok(ConfigFile {
            builtin: true,
            ..ConfigFile::default()
        });
    }
    let file: ConfigFile = serde_saphyr::from_str(text).map_err(|e| {
        let span = e.location().and_then(|l| crate::rules::span_in(text, &l));
        err(
            span,
            crate::rules::yaml_error_message(&e),
            "the README lists the config keys; `redline config show` prints the config in force",
        )
    })?;
    for entry in &file.allow {
        check_allow_entry(entry, text, &err)?;
    }
    if let Some(region) = &file.phone_region {
        let ok = region.value.len() == 2 && region.value.bytes().all(|b| b.is_ascii_uppercase());
        if !ok {
            return Err(err(
                crate::rules::span_in(text, &region.referenced),
                format!("invalid phone region `{}`", region.value),
                "use a two-letter ISO 3166 code in capitals, e.g. `US` or `KZ`",
            ));
        }
    }
    Ok(file)
}

/// Builds a located error from a span, a message and a note.
type MakeError<'a> = dyn Fn(Option<Range<usize>>, String, &str) -> ConfigError + 'a;

fn check_allow_entry(
    entry: &AllowEntry,
    text: &str,
    err: &MakeError<'_>,
) -> Result<(), ConfigError> {
    match (&entry.value, &entry.regex) {
        (Some(_), None) => Ok(()),
        (None, Some(re)) => match regex::Regex::new(&re.value) {
            Ok(_) => Ok(()),
            Err(e) => Err(err(
                crate::rules::span_in(text, &re.referenced),
                format!("invalid allow regex: {e}"),
                "the regex must match the whole matched text; see the regex crate's syntax",
            )),
        },
        (Some(_), Some(re)) => Err(err(
            crate::rules::span_in(text, &re.referenced),
            "an allow entry has both `value` and `regex`".into(),
            "give one of them; write two entries for both",
        )),
        (None, None) => Err(err(
            None,
            "an allow entry has neither `value` nor `regex`".into(),
            "each entry of `allow:` needs `value: TEXT` or `regex: PATTERN`",
        )),
    }
}

/// The effective config as YAML, for `redline config show`.
///
/// # Errors
/// Only if serialisation fails.
pub fn show(config: Option<&Config>) -> Result<String, String> {
    let mut out = match config {
        Some(c) => format!("# config file: {}\n", c.path.display()),
        None => "# no config file: built-in defaults\n".to_string(),
    };
    let default = ConfigFile {
        builtin: true,
        ..ConfigFile::default()
    };
    let mut file = config.map_or(default, |c| c.file.clone());
    if let Some(c) = config {
        file.rules = c
            .rule_paths()
            .iter()
            .map(|p| p.display().to_string())
            .collect();
    }
    // Spell out the defaults the command line falls back to, so the output is the whole truth.
    file.fail_on.get_or_insert(FailOn::Warning);
    file.min_confidence.get_or_insert(ConfidenceArg::Low);
    out.push_str(&serde_saphyr::to_string(&file).map_err(|e| e.to_string())?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_config_parses() {
        let text = "rules: [my-rules]\nenable: [person.title]\ndisable: [garble]\nseverity: {phone: warning}\nfail-on: error\nmin-confidence: medium\nexclude: ['*.log']\nallow:\n  - value: press@example.gov\n  - regex: '\\+1-202-555-01\\d\\d'\n    rules: [phone]\nredact:\n  operators: {person: mask}\nphone-region: US\n";
        let c = parse("redline.yaml", text).unwrap();
        assert_eq!(c.rules, ["my-rules"]);
        assert_eq!(c.severity["phone"], Severity::Warning);
        assert_eq!(c.fail_on, Some(FailOn::Error));
        assert_eq!(c.allow.len(), 2);
        assert_eq!(c.redact.operators["person"], "mask");
        assert!(c.builtin);
    }

    #[test]
    fn an_unknown_key_is_located() {
        let e = parse("redline.yaml", "fail-on: error\nexlude: ['a']\n").unwrap_err();
        assert!(e.message.contains("exlude"), "{}", e.message);
        assert_eq!(e.span.map(|s| s.start), Some(15));
    }

    #[test]
    fn bad_allow_entries_and_regions_are_refused() {
        assert!(parse("c", "allow:\n  - regex: '(x'\n").is_err());
        assert!(parse("c", "allow:\n  - rules: [phone]\n").is_err());
        assert!(parse("c", "phone-region: usa\n").is_err());
        assert!(parse("c", "").is_ok());
    }

    #[test]
    fn discovery_walks_up_and_prefers_the_nearest() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(dir.path().join(".redline.yaml"), "").unwrap();
        assert_eq!(discover(&sub), Some(dir.path().join(".redline.yaml")));
        std::fs::write(dir.path().join("a/redline.yaml"), "").unwrap();
        assert_eq!(discover(&sub), Some(dir.path().join("a/redline.yaml")));
    }
}
