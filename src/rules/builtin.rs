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
pub(crate) fn load_all() -> Result<Vec<Rule>, Vec<RuleError>> {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (path, text) in BUILTIN_FILES {
        if !(path.ends_with(".yaml") || path.ends_with(".yml")) {
            continue;
        }
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
        match parse_rule(&format!("rules/{path}"), text, true, &reader) {
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
