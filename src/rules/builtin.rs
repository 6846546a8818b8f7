//! The built-in rule packs, embedded at build time from `rules/<category>/*.yaml` (see
//! `build.rs`).

use std::sync::Arc;

use super::load::{parse_rule_with, rule_from_file};
use super::schema::RuleFile;
use super::{BuiltinExamples, Rule, RuleError};

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
            BuiltinExamples::Skip => load_one_from_json(path, text)
                .unwrap_or_else(|| load_one(path, &without_examples(text), false)),
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

/// Rule file `path` without its examples, from the JSON the build made of it (see `build.rs`):
/// the rule [`load_one`] makes of `text` cut by [`without_examples`], with the same span of
/// its id (and `text` whole as its source, as when its examples are loaded). `None` if there
/// is no such JSON or it does not read as a rule file (the YAML then says what is wrong).
fn load_one_from_json(path: &str, text: &str) -> Option<Result<Rule, Vec<RuleError>>> {
    let json = BUILTIN_RULES_JSON
        .iter()
        .find(|(p, _)| *p == path)
        .and_then(|(_, json)| *json)?;
    let file: RuleFile = serde_json::from_str(json).ok()?;
    // The whole file, examples and all: cutting them out took longer than copying them.
    let source: Arc<str> = Arc::from(text);
    let id_span = id_span(&source)?;
    let rule = rule_from_file(
        &format!("rules/{path}"),
        &source,
        file,
        true,
        false,
        &dictionary_reader(path),
    );
    Some(rule.map(|mut r| {
        r.origin.id_span = id_span;
        r
    }))
}

/// Where the value of the `id:` line that opens a built-in rule file stands (every one opens
/// so, plain: a test holds the span to the one the YAML parser gives).
fn id_span(text: &str) -> Option<std::ops::Range<usize>> {
    let line = text.split('\n').next()?;
    let value = line.strip_prefix("id:")?;
    let start = 3 + (value.len() - value.trim_start().len());
    Some(start..3 + value.trim_end().len())
}

/// Parse one embedded rule file; its dictionaries are read from the files beside it. A file
/// cut by [`without_examples`] has no examples to require.
fn load_one(path: &str, text: &str, examples_required: bool) -> Result<Rule, Vec<RuleError>> {
    parse_rule_with(
        &format!("rules/{path}"),
        text,
        true,
        examples_required,
        &dictionary_reader(path),
    )
}

/// Reads the dictionaries of embedded rule file `path` from the embedded files beside it.
fn dictionary_reader(path: &str) -> impl Fn(&str) -> Result<String, String> + '_ {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    move |name: &str| {
        let full = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        embedded(&full)
            .map(str::to_string)
            .ok_or_else(|| format!("no embedded dictionary `rules/{full}`"))
    }
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
            assert_eq!(f.origin.id_span, c.origin.id_span, "{}", f.id);
            assert_eq!(f.origin.source, c.origin.source, "{}", f.id);
        }
    }

    #[test]
    fn every_built_in_rule_file_is_read_from_its_json_as_from_its_yaml() {
        let yaml_files = BUILTIN_FILES
            .iter()
            .filter(|(p, _)| p.ends_with(".yaml") || p.ends_with(".yml"));
        let mut read = 0;
        for (path, text) in yaml_files {
            let from_json = load_one_from_json(path, text).unwrap().unwrap();
            let from_yaml = load_one(path, &without_examples(text), false).unwrap();
            assert_eq!(scanned_part(&from_json), scanned_part(&from_yaml), "{path}");
            assert_eq!(from_json.origin.id_span, from_yaml.origin.id_span, "{path}");
            assert_eq!(&*from_json.origin.source, *text, "{path}");
            read += 1;
        }
        assert_eq!(read, BUILTIN_RULES_JSON.len());
        assert!(read >= 20, "{read} rule files");
    }

    #[test]
    fn an_id_span_is_the_value_of_the_opening_id_line() {
        assert_eq!(id_span("id: a.b\ncategory: x\n"), Some(4..7));
        assert_eq!(id_span("id:   a.b  \r\n"), Some(6..9));
        assert_eq!(id_span("category: x\nid: a.b\n"), None);
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
