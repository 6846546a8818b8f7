//! The rule file format, as serde sees it. One YAML file holds one rule; unknown keys are
//! errors. Validation beyond the shape (ids, regexes, examples) lives in `load.rs`.

use serde::Deserialize;
use serde_saphyr::Spanned;

/// How serious a finding is; `--fail-on` compares against it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, not a problem by itself.
    Info,
    /// Should be looked at before publication.
    Warning,
    /// Must be fixed or redacted before publication.
    Error,
}

impl Severity {
    /// The lower-case name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// How sure a rule or detector is that a finding is real.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Weak evidence only.
    Low,
    /// Good evidence.
    #[default]
    Medium,
    /// Strong evidence.
    High,
}

impl Confidence {
    /// The lower-case name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// Which text a rule's literals and patterns run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchOn {
    /// The normalised view: hard wraps read as spaces, page breaks skipped.
    #[default]
    View,
    /// The decoded original, line by line.
    Raw,
}

/// An example a rule must fire on; with `match`, the finding must cover exactly that text.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ExampleSpec {
    /// Text the rule must fire on somewhere.
    Text(String),
    /// Text plus the exact matched text expected.
    Expect {
        /// The example text.
        text: String,
        /// The exact text the finding must cover.
        #[serde(rename = "match")]
        matched: String,
    },
}

/// One rule file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub(crate) id: Spanned<String>,
    pub(crate) category: Spanned<String>,
    pub(crate) severity: Severity,
    pub(crate) message: String,
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) confidence: Confidence,
    #[serde(default = "yes")]
    pub(crate) enabled: bool,
    #[serde(default)]
    pub(crate) literals: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) case_insensitive: bool,
    #[serde(default)]
    pub(crate) whole_word: bool,
    #[serde(default)]
    pub(crate) patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) keywords: Vec<String>,
    #[serde(default)]
    pub(crate) dictionary: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) detector: Option<Spanned<String>>,
    /// Options for the detector; the detector validates them (unknown keys are errors).
    #[serde(default)]
    pub(crate) options: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    pub(crate) redact: Option<String>,
    #[serde(default)]
    pub(crate) fix: Option<String>,
    #[serde(default, rename = "match")]
    pub(crate) match_on: MatchOn,
    #[serde(default)]
    pub(crate) scope: crate::cable::Scope,
    #[serde(default)]
    pub(crate) examples: Vec<Spanned<ExampleSpec>>,
    #[serde(default)]
    pub(crate) negative_examples: Vec<Spanned<String>>,
}

fn yes() -> bool {
    true
}
