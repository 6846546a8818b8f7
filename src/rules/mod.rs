//! Rules: the schema of a rule file, loading and validating rule files, and the set of rules a
//! run uses (built-in packs embedded in the binary plus the user's own).

mod builtin;
pub(crate) mod bytes;
mod load;
pub(crate) mod pattern;
pub(crate) mod schema;

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

pub use load::parse_rule;
pub(crate) use load::{span_of as span_in, yaml_message as yaml_error_message};
pub use pattern::Pattern;
pub(crate) use pattern::REGEX_SIZE_LIMIT;
pub use schema::{Confidence, MatchOn, Severity};

/// One validated rule, ready to be compiled into a scanner.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable dotted id, e.g. `contact.phone`.
    pub id: String,
    /// `person`, `phone`, `email`, `classification`, `garble`, or a user category.
    pub category: String,
    /// How serious a finding is.
    pub severity: Severity,
    /// One-line message shown with each finding.
    pub message: String,
    /// What it finds, why it matters, how to fix.
    pub description: String,
    /// Confidence of a finding unless a detector says otherwise.
    pub confidence: Confidence,
    /// Whether the rule runs unless enabled or disabled by the user.
    pub enabled: bool,
    /// Literal strings (and dictionary entries), matched by Aho-Corasick.
    pub literals: Vec<String>,
    /// Literals match regardless of ASCII case.
    pub case_insensitive: bool,
    /// Literals match only as whole words.
    pub whole_word: bool,
    /// Regular expressions; a named group `m` narrows the reported span.
    pub patterns: Vec<Pattern>,
    /// Literals every match of the patterns holds (ASCII case-insensitive); the patterns run
    /// only around them.
    pub keywords: Vec<String>,
    /// A built-in detector that does work a pattern cannot.
    pub detector: Option<String>,
    /// The detector's options (`options:` in the rule file), validated at load.
    pub options: Option<serde_json::Value>,
    /// Replacement text used by `redact`.
    pub redact: Option<String>,
    /// Suggested fix; `$name` / `${n}` refer to the pattern's capture groups.
    pub fix: Option<String>,
    /// Which view the literals and patterns run on.
    pub match_on: MatchOn,
    /// The part of a cable the rule's hits are kept in (`body`, `header`, `routing`,
    /// `signature`; `any` by default).
    pub scope: crate::cable::Scope,
    /// Texts the rule must fire on.
    pub examples: Vec<Example>,
    /// Texts the rule must not fire on.
    pub negative_examples: Vec<Example>,
    /// Where the rule came from.
    pub origin: Origin,
}

impl Rule {
    /// Whether `selector` names this rule: its id, a dotted prefix of it (`garble` covers
    /// `garble.q`) or its category.
    pub fn selected_by(&self, selector: &str) -> bool {
        let prefix = self
            .id
            .strip_prefix(selector)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'));
        prefix || self.category == selector
    }
}

/// An example or negative example of a rule, with its place in the rule file.
#[derive(Debug, Clone)]
pub struct Example {
    /// The example text.
    pub text: String,
    /// For examples: the exact text the finding must cover, when given.
    pub matched: Option<String>,
    /// Byte range of the example in its rule file.
    pub span: Range<usize>,
}

/// Where a rule was loaded from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Path of the rule file (`rules/<category>/<file>` for built-in rules).
    pub path: String,
    /// Whether the rule is embedded in the binary.
    pub builtin: bool,
    /// The rule file's text, for rendering errors against it.
    pub source: Arc<str>,
    /// Byte range of the `id` value in the file.
    pub id_span: Range<usize>,
}

/// A problem in a rule file, located in that file.
#[derive(Debug, Clone)]
pub struct RuleError {
    /// The rule file's path.
    pub path: String,
    /// The rule file's text.
    pub source: Arc<str>,
    /// Byte range the problem is at, when known.
    pub span: Option<Range<usize>>,
    /// What is wrong.
    pub message: String,
    /// How to move on.
    pub notes: Vec<String>,
}

impl RuleError {
    /// An error not located in any rule file's text (a file that cannot be read, a selector
    /// on the command line, an automaton that cannot be built).
    pub fn unlocated(path: impl Into<String>, message: String, notes: Vec<String>) -> Self {
        RuleError {
            path: path.into(),
            source: std::sync::Arc::from(""),
            span: None,
            message,
            notes,
        }
    }

    /// 1-based line and column of the problem, when known.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let span = self.span.as_ref()?;
        Some(crate::text::Source::new(self.source.as_bytes()).line_col(span.start))
    }
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line_col() {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Whether the built-in rules are loaded with their `examples` and `negative_examples`.
///
/// Only `redline rules test`, `redline rules explain` and the tests read them, and they are
/// about a third of the rules' YAML: parsing that YAML was a fifth of the instructions of a
/// one-file run (a pre-commit hook), so a run that scans loads the rules without them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinExamples {
    /// Load them.
    Load,
    /// Leave them out: every built-in rule's `examples` and `negative_examples` are empty.
    Skip,
}

/// The rules of one run.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// An empty set.
    pub fn new() -> Self {
        RuleSet::default()
    }

    /// The built-in packs embedded in the binary, with their examples.
    ///
    /// # Errors
    /// Only if a built-in rule is broken, which the test suite rules out.
    pub fn builtin() -> Result<Self, Vec<RuleError>> {
        RuleSet::builtin_with(BuiltinExamples::Load)
    }

    /// The built-in packs, with their examples or without (see [`BuiltinExamples`]).
    ///
    /// # Errors
    /// Only if a built-in rule is broken, which the test suite rules out.
    pub fn builtin_with(examples: BuiltinExamples) -> Result<Self, Vec<RuleError>> {
        let mut set = RuleSet::new();
        set.extend(builtin::load_all(examples)?)?;
        Ok(set)
    }

    /// Add user rules from a file or a folder (every `*.yaml`/`*.yml` below it). User rules
    /// have their examples checked at load.
    ///
    /// # Errors
    /// Unreadable files and every problem in the rule files, each located.
    pub fn add_path(&mut self, path: &Path) -> Result<(), Vec<RuleError>> {
        let rules = load::load_path(path)?;
        self.extend(rules)
    }

    /// Add rules, refusing an id that is already taken.
    ///
    /// # Errors
    /// One error per duplicate id, pointing at the second definition.
    pub fn extend(&mut self, rules: Vec<Rule>) -> Result<(), Vec<RuleError>> {
        let mut errors = Vec::new();
        for rule in rules {
            if let Some(first) = self.rules.iter().find(|r| r.id == rule.id) {
                errors.push(RuleError {
                    path: rule.origin.path.clone(),
                    source: rule.origin.source.clone(),
                    span: Some(rule.origin.id_span.clone()),
                    message: format!("duplicate rule id `{}`", rule.id),
                    notes: vec![format!(
                        "first defined in {}; give this rule another id",
                        first.origin.path
                    )],
                });
            } else {
                self.rules.push(rule);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Turn rules on or off by id, by dotted prefix (`garble` covers `garble.q`) or by
    /// category. Returns false when nothing matched `selector`.
    pub fn set_enabled(&mut self, selector: &str, enabled: bool) -> bool {
        let mut any = false;
        for rule in self.rules.iter_mut().filter(|r| r.selected_by(selector)) {
            rule.enabled = enabled;
            any = true;
        }
        any
    }

    /// Set the severity of the rules `selector` names (as in [`RuleSet::set_enabled`]).
    /// Returns false when nothing matched.
    pub fn set_severity(&mut self, selector: &str, severity: Severity) -> bool {
        let mut any = false;
        for rule in self.rules.iter_mut().filter(|r| r.selected_by(selector)) {
            rule.severity = severity;
            any = true;
        }
        any
    }

    /// Turn off every rule whose category is not in `categories`: a run that only acts on
    /// some categories (`redact`) then pays for no other rule.
    pub fn enable_only_categories(&mut self, categories: &[String]) {
        for rule in &mut self.rules {
            if !categories.contains(&rule.category) {
                rule.enabled = false;
            }
        }
    }

    /// Keep only the rules that are enabled.
    pub fn retain_enabled(&mut self) {
        self.rules.retain(|r| r.enabled);
    }

    /// All rules, enabled or not, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}
