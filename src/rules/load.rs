//! Reading rule files: YAML into the schema, then validation into a [`Rule`]. Every problem is
//! reported with the file and the byte range it is at.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde_saphyr::{Location, Spanned};

use super::pattern::{Pattern, compile_hir, parse_pattern};
use super::schema::{ExampleSpec, RuleFile};
use super::{Example, Origin, Rule, RuleError};

/// Rule files larger than this are refused before parsing.
pub(crate) const MAX_RULE_FILE: usize = 1 << 20;
/// Dictionaries larger than this are refused.
const MAX_DICTIONARY: usize = 32 << 20;
const KNOWN_DETECTORS: &[&str] = crate::detect::NAMES;

/// How a rule file's `dictionary:` path is read.
pub(crate) type DictionaryReader<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

/// Parse and validate one rule file.
///
/// `read_dictionary` resolves a `dictionary:` path relative to the rule file.
///
/// # Errors
/// Every problem found, each with the byte range it is at.
pub fn parse_rule(
    path: &str,
    text: &str,
    builtin: bool,
    read_dictionary: &DictionaryReader<'_>,
) -> Result<Rule, Vec<RuleError>> {
    parse_rule_with(path, text, builtin, true, read_dictionary)
}

/// [`parse_rule`], requiring `examples` only when `examples_required` (a built-in rule
/// file loaded without them, see [`super::BuiltinExamples::Skip`], has none).
pub(crate) fn parse_rule_with(
    path: &str,
    text: &str,
    builtin: bool,
    examples_required: bool,
    read_dictionary: &DictionaryReader<'_>,
) -> Result<Rule, Vec<RuleError>> {
    let source: Arc<str> = Arc::from(text);
    let err = errors_in(path, &source);
    if text.len() > MAX_RULE_FILE {
        return Err(vec![err(
            None,
            format!(
                "rule file is {} bytes; the limit is {MAX_RULE_FILE}",
                text.len()
            ),
            "put long word lists in a `dictionary:` file",
        )]);
    }
    let file: RuleFile = serde_saphyr::from_str(text).map_err(|e| {
        let span = e.location().and_then(|l| span_of(text, &l));
        vec![err(
            span,
            yaml_message(&e),
            "see `redline rules explain` for the rule schema",
        )]
    })?;
    rule_from_file(
        path,
        &source,
        file,
        builtin,
        examples_required,
        read_dictionary,
    )
}

/// Makes the errors of rule file `path`, read from `source`: at a span of it (or none), with
/// a message and a note (none when empty).
fn errors_in<'a>(
    path: &'a str,
    source: &'a Arc<str>,
) -> impl Fn(Option<Range<usize>>, String, &str) -> RuleError + 'a {
    move |span, message, note| RuleError {
        path: path.to_string(),
        source: source.clone(),
        span,
        message,
        notes: if note.is_empty() {
            vec![]
        } else {
            vec![note.to_string()]
        },
    }
}

/// The rule `file` holds, checked, read from `source` (what its spans point into: where they
/// are unknown, as in a file read from JSON, they are empty).
pub(crate) fn rule_from_file(
    path: &str,
    source: &Arc<str>,
    file: RuleFile,
    builtin: bool,
    examples_required: bool,
    read_dictionary: &DictionaryReader<'_>,
) -> Result<Rule, Vec<RuleError>> {
    let text: &str = source;
    let err = errors_in(path, source);
    let mut errors = Vec::new();
    let id_span = span_of(text, &file.id.referenced).unwrap_or(0..0);
    if !valid_id(&file.id.value) {
        errors.push(err(
            Some(id_span.clone()),
            format!("invalid rule id `{}`", file.id.value),
            "ids are dotted lower-case words, e.g. `contact.phone`",
        ));
    }
    if !valid_category(&file.category.value) {
        errors.push(err(
            span_of(text, &file.category.referenced),
            format!("invalid category `{}`", file.category.value),
            "use person, phone, email, classification, garble, or a lower-case name of your own",
        ));
    }
    let mut patterns = Vec::new();
    for p in &file.patterns {
        if builtin {
            // Known to compile (a test compiles every one): compiled where a scan needs it.
            patterns.push(Pattern::deferred(p.value.clone()));
            continue;
        }
        let parsed =
            parse_pattern(&p.value).and_then(|hir| compile_hir(&hir, true).map(|re| (hir, re)));
        match parsed {
            Ok((hir, re)) => patterns.push(Pattern::compiled(p.value.clone(), hir, re)),
            Err(msg) => errors.push(err(span_of(text, &p.referenced), msg, "")),
        }
    }
    let mut literals = Vec::new();
    for l in &file.literals {
        if l.value.is_empty() {
            errors.push(err(
                span_of(text, &l.referenced),
                "empty literal".into(),
                "",
            ));
        } else {
            literals.push(l.value.clone());
        }
    }
    if let Some(dict) = &file.dictionary {
        match read_dictionary(&dict.value) {
            Ok(words) if words.len() > MAX_DICTIONARY => errors.push(err(
                span_of(text, &dict.referenced),
                format!("dictionary `{}` is over {MAX_DICTIONARY} bytes", dict.value),
                "",
            )),
            Ok(words) => literals.extend(dictionary_entries(&words)),
            Err(msg) => errors.push(err(span_of(text, &dict.referenced), msg, "")),
        }
    }
    if let Some(d) = &file.detector
        && !KNOWN_DETECTORS.contains(&d.value.as_str())
    {
        errors.push(err(
            span_of(text, &d.referenced),
            format!("unknown detector `{}`", d.value),
            &format!("known detectors: {}", KNOWN_DETECTORS.join(", ")),
        ));
    }
    if let Some(o) = &file.options {
        let checked = match &file.detector {
            None => Err("`options` configure a detector; this rule has none".to_string()),
            Some(d) if !KNOWN_DETECTORS.contains(&d.value.as_str()) => Ok(()),
            Some(d) => crate::detect::build(&d.value, Some(&o.value)).map(|_| ()),
        };
        if let Err(msg) = checked {
            errors.push(err(
                span_of(text, &o.referenced),
                msg,
                "see the detector's documentation for its options",
            ));
        }
    }
    if file.literals.is_empty()
        && file.patterns.is_empty()
        && file.dictionary.is_none()
        && file.detector.is_none()
    {
        errors.push(err(
            Some(id_span.clone()),
            "the rule matches nothing".into(),
            "give it `literals`, `patterns`, a `dictionary` or a `detector`",
        ));
    }
    if examples_required && file.examples.is_empty() {
        errors.push(err(
            Some(id_span.clone()),
            "the rule has no `examples`".into(),
            "every rule carries texts it must fire on, checked by `redline rules test`",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        id: file.id.value,
        category: file.category.value,
        severity: file.severity,
        message: file.message,
        description: file.description,
        confidence: file.confidence,
        enabled: file.enabled,
        literals,
        case_insensitive: file.case_insensitive,
        whole_word: file.whole_word,
        patterns,
        keywords: file.keywords,
        detector: file.detector.map(|d| d.value),
        options: file.options.map(|o| o.value),
        redact: file.redact,
        fix: file.fix,
        match_on: file.match_on,
        scope: file.scope,
        examples: file.examples.iter().map(|e| example(text, e)).collect(),
        negative_examples: file
            .negative_examples
            .iter()
            .map(|e| Example {
                text: e.value.clone(),
                matched: None,
                span: span_of(text, &e.referenced).unwrap_or(0..0),
            })
            .collect(),
        origin: Origin {
            path: path.to_string(),
            builtin,
            source: source.clone(),
            id_span,
        },
    })
}

fn example(text: &str, e: &Spanned<ExampleSpec>) -> Example {
    let span = span_of(text, &e.referenced).unwrap_or(0..0);
    match &e.value {
        ExampleSpec::Text(t) => Example {
            text: t.clone(),
            matched: None,
            span,
        },
        ExampleSpec::Expect { text, matched } => Example {
            text: text.clone(),
            matched: Some(matched.clone()),
            span,
        },
    }
}

/// serde-saphyr's message without its own snippet: we render the snippet ourselves.
pub(crate) fn yaml_message(e: &serde_saphyr::Error) -> String {
    let full = e.without_snippet().to_string();
    let first = full.lines().next().unwrap_or("invalid YAML").trim();
    // The location is shown by our own snippet.
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

fn dictionary_entries(words: &str) -> impl Iterator<Item = String> + '_ {
    words
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty() && !w.starts_with('#'))
        .map(str::to_string)
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

fn valid_category(cat: &str) -> bool {
    let mut bytes = cat.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Byte range of a YAML location in `text`: the value's own span when the parser knows it,
/// otherwise from its line and column to the end of that line.
pub(crate) fn span_of(text: &str, loc: &Location) -> Option<Range<usize>> {
    let span = loc.span();
    if let (Some(start), Some(len)) = (span.byte_offset(), span.byte_len()) {
        let start = usize::try_from(start).ok()?.min(text.len());
        let mut end = (start + usize::try_from(len).ok()?).min(text.len());
        if end <= start {
            // A mapping or sequence has no length of its own: show the rest of its line.
            end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        }
        return Some(start..end.max(start));
    }
    let line = usize::try_from(loc.line()).ok()?;
    let col = usize::try_from(loc.column()).ok()?;
    if line == 0 {
        return None;
    }
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let rest = text.get(line_start..)?;
    let line_text = rest.split('\n').next().unwrap_or("");
    let start = line_start
        + line_text
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
    Some(start..line_start + line_text.len())
}

/// Load every rule file at `path`: one file, or every `*.yaml`/`*.yml` below a folder, in
/// path order.
pub(crate) fn load_path(path: &Path) -> Result<Vec<Rule>, Vec<RuleError>> {
    let io_err = |p: &Path, e: std::io::Error| {
        RuleError::unlocated(
            p.display().to_string(),
            format!("cannot read rule file: {e}"),
            vec![],
        )
    };
    let mut files = Vec::new();
    if path.is_dir() {
        for entry in ignore::WalkBuilder::new(path)
            .standard_filters(false)
            .build()
        {
            let entry = entry.map_err(|e| {
                vec![RuleError::unlocated(
                    path.display().to_string(),
                    format!("cannot walk rule folder: {e}"),
                    vec![],
                )]
            })?;
            let p = entry.path();
            if p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
            {
                files.push(p.to_path_buf());
            }
        }
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let text = match read_limited(&file, MAX_RULE_FILE) {
            Ok(t) => t,
            Err(e) => {
                errors.push(io_err(&file, e));
                continue;
            }
        };
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let reader = move |name: &str| {
            read_limited(&dir.join(name), MAX_DICTIONARY)
                .map_err(|e| format!("cannot read dictionary `{name}`: {e}"))
        };
        match parse_rule(&file.display().to_string(), &text, false, &reader) {
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

/// Read a UTF-8 file of at most `limit` bytes (a larger one is an error, read no further).
fn read_limited(path: &Path, limit: usize) -> std::io::Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut buf = Vec::new();
    file.take(limit as u64 + 1).read_to_end(&mut buf)?;
    if buf.len() > limit {
        return Err(std::io::Error::other(format!(
            "larger than the limit of {limit} bytes"
        )));
    }
    String::from_utf8(buf).map_err(|e| std::io::Error::other(format!("not UTF-8: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_dict(name: &str) -> Result<String, String> {
        Err(format!("no dictionary {name}"))
    }

    const GOOD: &str = "id: test.one\ncategory: phone\nseverity: error\nmessage: m\ndescription: d\npatterns: ['\\d{3}-\\d{4}']\nexamples: ['call 555-1234']\n";

    #[test]
    fn a_good_rule_loads() {
        let rule = parse_rule("t.yaml", GOOD, false, &no_dict).unwrap();
        assert_eq!(rule.id, "test.one");
        assert_eq!(rule.patterns.len(), 1);
        assert_eq!(rule.examples[0].text, "call 555-1234");
    }

    #[test]
    fn an_unknown_key_is_located() {
        let text = GOOD.replace("message: m", "mesage: m");
        let errs = parse_rule("t.yaml", &text, false, &no_dict).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("mesage"), "{}", errs[0].message);
        assert_eq!(errs[0].line_col().map(|(l, _)| l), Some(4));
    }

    #[test]
    fn an_invalid_pattern_points_at_the_pattern() {
        let text = GOOD.replace("'\\d{3}-\\d{4}'", "'(unclosed'");
        let errs = parse_rule("t.yaml", &text, false, &no_dict).unwrap_err();
        assert!(errs[0].message.starts_with("invalid pattern"));
        let span = errs[0].span.clone().unwrap();
        assert!(text[span].contains("unclosed"));
    }

    #[test]
    fn an_oversized_pattern_is_refused() {
        let text = GOOD.replace("'\\d{3}-\\d{4}'", "'(\\w{100}){100}'");
        let errs = parse_rule("t.yaml", &text, false, &no_dict).unwrap_err();
        assert!(
            errs[0].message.contains("compiles to more than"),
            "{}",
            errs[0].message
        );
    }

    const NAMES: &str = "id: test.names\ncategory: person\nseverity: error\nmessage: m\ndescription: d\ndetector: names\noptions:\n  allow: [Ana Ruiz]\nexamples: ['Ambassador Ordmann said']\n";

    #[test]
    fn detector_options_load_and_unknown_ones_are_located() {
        let rule = parse_rule("t.yaml", NAMES, false, &no_dict).unwrap();
        assert!(rule.options.is_some());
        let text = NAMES.replace("  allow:", "  alow:");
        let errs = parse_rule("t.yaml", &text, false, &no_dict).unwrap_err();
        assert!(errs[0].message.contains("alow"), "{}", errs[0].message);
        assert_eq!(errs[0].line_col().map(|(l, _)| l), Some(8));
    }

    #[test]
    fn options_without_a_detector_are_refused() {
        let text = GOOD.replace("examples:", "options: {a: 1}\nexamples:");
        let errs = parse_rule("t.yaml", &text, false, &no_dict).unwrap_err();
        assert!(errs[0].message.contains("has none"), "{}", errs[0].message);
    }

    #[test]
    fn ids_and_categories_are_checked() {
        assert!(valid_id("contact.phone.intl"));
        assert!(!valid_id("Contact.phone"));
        assert!(!valid_id("contact..phone"));
        assert!(valid_category("person"));
        assert!(!valid_category("Person"));
    }
}
