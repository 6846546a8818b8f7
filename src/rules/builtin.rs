//! The built-in rule packs, embedded at build time from `rules/<category>/*.yaml` (see
//! `build.rs`).

use super::{BuiltinExamples, Rule, RuleError, load::parse_rule_with};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Look up an embedded file by its path below `rules/`.
pub(crate) fn embedded(path: &str) -> Option<&'static str> {
    BUILTIN_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, text)| *text)
}

/// Parse every embedded rule file, in path order, with or without its examples.
///
/// Files are parsed in parallel: parsing the YAML is a visible part of a pre-commit run's
/// start-up (the patterns compile later, where a scan first needs them), and the files are
/// independent.
pub(crate) fn load_all(examples: BuiltinExamples) -> Result<Vec<Rule>, Vec<RuleError>> {
    use rayon::prelude::*;

    let parsed: Vec<Result<Rule, Vec<RuleError>>> = BUILTIN_FILES
        .par_iter()
        .filter(|(path, _)| path.ends_with(".yaml") || path.ends_with(".yml"))
        .map(|(path, text)| match examples {
            BuiltinExamples::Load => load_one(path, text, true),
            BuiltinExamples::Skip => load_one(path, &without_examples(text), false),
        })
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

/// `text`, a built-in rule file, without its top-level `examples:` and `negative_examples:`
/// keys: each such key's line, and the lines after it up to the next that starts with a
/// letter (the next top-level key). The built-in files are written so (a test holds their
/// rules to be the same either way, examples apart); a user's rule files are never cut.
fn without_examples(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut cut = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with(|c: char| c.is_ascii_alphabetic()) {
            cut = line.starts_with("examples:") || line.starts_with("negative_examples:");
        }
        if !cut {
            out.push_str(line);
        }
    }
    out
}

/// Parse one embedded rule file; its dictionaries are read from the files beside it. A file
/// cut by [`without_examples`] has no examples to require.
fn load_one(path: &str, text: &str, examples_required: bool) -> Result<Rule, Vec<RuleError>> {
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
    parse_rule_with(
        &format!("rules/{path}"),
        text,
        true,
        examples_required,
        &reader,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A rule as a scan uses it: its examples, and the text it was parsed from, left out.
    fn scanned_part(r: &Rule) -> String {
        let mut r = r.clone();
        r.examples.clear();
        r.negative_examples.clear();
        r.origin.source = std::sync::Arc::from("");
        format!("{r:?}")
    }

    #[test]
    fn rules_loaded_without_examples_are_the_same_rules() {
        let full = load_all(BuiltinExamples::Load).unwrap();
        let cut = load_all(BuiltinExamples::Skip).unwrap();
        assert_eq!(full.len(), cut.len());
        assert!(full.len() >= 20, "{} rules", full.len());
        for (f, c) in full.iter().zip(&cut) {
            assert!(
                !f.examples.is_empty() && !f.negative_examples.is_empty(),
                "{}",
                f.id
            );
            assert!(
                c.examples.is_empty() && c.negative_examples.is_empty(),
                "{}",
                c.id
            );
            assert_eq!(scanned_part(f), scanned_part(c));
            assert!(c.origin.source.len() < f.origin.source.len(), "{}", f.id);
        }
    }

    #[test]
    fn only_the_example_keys_are_cut() {
        let text = "id: a.b\nexamples:\n  - one\n  - text: two\n    match: two\n\
                    description: |\n  examples: stay in a block\nnegative_examples:\n- three\n\
                    # a comment\nfix: x\nexamples: [four]\n";
        assert_eq!(
            without_examples(text),
            "id: a.b\ndescription: |\n  examples: stay in a block\nfix: x\n"
        );
    }
}
