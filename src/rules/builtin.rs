//! The built-in rule packs, embedded at build time from `rules/<category>/*.yaml` (see
//! `build.rs`).

use super::{Rule, RuleError, load::parse_rule};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Look up an embedded file by its path below `rules/`.
pub(crate) fn embedded(path: &str) -> Option<&'static str> {
    BUILTIN_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, text)| *text)
}

/// Parse every embedded rule file, in path order.
///
/// Files are parsed in parallel: parsing the YAML and compiling the patterns is most of a
/// pre-commit run's start-up, and the files are independent.
pub(crate) fn load_all() -> Result<Vec<Rule>, Vec<RuleError>> {
    use rayon::prelude::*;

    let parsed: Vec<Result<Rule, Vec<RuleError>>> = BUILTIN_FILES
        .par_iter()
        .filter(|(path, _)| path.ends_with(".yaml") || path.ends_with(".yml"))
        .map(|(path, text)| load_one(path, text))
        .collect();
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for one in parsed {
        match one {
            Ok(rule) => rules.push(rule),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(errors)
    }
}

/// Parse one embedded rule file; its dictionaries are read from the files beside it.
fn load_one(path: &str, text: &str) -> Result<Rule, Vec<RuleError>> {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let reader = |name: &str| {
        let full = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        embedded(&full)
            .map(str::to_string)
            .ok_or_else(|| format!("no embedded dictionary `rules/{full}`"))
    };
    parse_rule(&format!("rules/{path}"), text, true, &reader)
}
