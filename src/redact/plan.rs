//! Which bytes of a document get redacted, and how: findings filtered by the policy, widened
//! to whole tokens, other mentions added, overlaps merged.

use std::collections::HashSet;
use std::ops::Range;

use super::operator::Operator;
use super::spans::{Haystack, INDEX_ABOVE, mention_keys, mentions_in, merge, whole_tokens};
use crate::rules::{Confidence, Rule};
use crate::scan::Finding;

/// What a redaction run redacts, and with which operator.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Categories redacted (`person`, `phone`, `email` by default).
    pub categories: Vec<String>,
    /// Findings below this confidence are left alone.
    pub min_confidence: Confidence,
    /// Operator unless an override names the rule or its category.
    pub operator: Operator,
    /// `(rule id or category, operator)`; a rule id wins over a category.
    pub overrides: Vec<(String, Operator)>,
}

impl Policy {
    /// Redact `categories` at any confidence with `operator`.
    pub fn new(categories: &[&str], operator: Operator) -> Self {
        Policy {
            categories: categories.iter().map(|c| c.to_string()).collect(),
            min_confidence: Confidence::Low,
            operator,
            overrides: Vec::new(),
        }
    }

    /// Whether `finding` of `rule` is to be redacted.
    pub fn selects(&self, rule: &Rule, finding: &Finding) -> bool {
        finding.confidence >= self.min_confidence && self.categories.contains(&rule.category)
    }

    /// The operator for findings of `rule`.
    pub fn operator_for(&self, rule: &Rule) -> Operator {
        let by = |key: &str| self.overrides.iter().find(|(k, _)| k == key).map(|o| o.1);
        by(&rule.id)
            .or_else(|| by(&rule.category))
            .unwrap_or(self.operator)
    }

    /// Text that is already a redaction marker of this policy (all mask characters, a label
    /// or a pseudonym of a redacted category): redacting it again would change nothing but
    /// its form, so a second run leaves it alone.
    pub(crate) fn is_marker(&self, text: &[u8]) -> bool {
        let t = String::from_utf8_lossy(text);
        let t = t.trim();
        if is_mask(t) {
            return true;
        }
        // Every marker starts with `[` or a category's first letter in capitals: most
        // findings (names in title case, numbers) are settled by their first byte.
        let first = t.as_bytes().first().copied();
        if first.is_some_and(|b| b.is_ascii() && b != b'[')
            && self.categories.iter().all(|c| {
                c.as_bytes()
                    .first()
                    .is_some_and(|&f| f.is_ascii() && Some(f.to_ascii_uppercase()) != first)
            })
        {
            return false;
        }
        // A label `[PERSON]` or a pseudonym `PERSON-123456`, compared without building
        // either: this runs for every finding of every document.
        self.categories.iter().any(|c| {
            let label = t
                .strip_prefix('[')
                .and_then(|r| strip_upper(r, c))
                .is_some_and(|r| r == "]");
            label
                || strip_upper(t, c)
                    .and_then(|r| r.strip_prefix('-'))
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
    }
}

/// Whether trimmed text `t` is all mask characters (`X`, `█`), blanks aside.
fn is_mask(t: &str) -> bool {
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, 'X' | '\u{2588}') || c.is_whitespace())
}

/// `text` without a leading `word` in upper case (as `str::to_uppercase` writes it).
fn strip_upper<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let mut rest = text.chars();
    for u in word.chars().flat_map(char::to_uppercase) {
        if rest.next()? != u {
            return None;
        }
    }
    Some(rest.as_str())
}

/// One planned redaction, in original-file byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    /// The bytes replaced: whole tokens, merged with any overlapping redaction.
    pub span: Range<usize>,
    /// Index of the rule (in [`crate::scan::Scanner::rules`]) of the finding behind it.
    pub rule: usize,
    /// The rule's category.
    pub category: String,
    /// How the span is replaced.
    pub operator: Operator,
    /// The text this redaction stands for: its own span, or for another mention of a name
    /// the finding it repeats. Pseudonyms and manifest hashes are derived from it.
    pub identity: Range<usize>,
    /// Whether this is another mention of a finding rather than a finding itself.
    pub propagated: bool,
    /// The rule's own replacement text (its `redact:` key), used by the mask operator.
    pub text: Option<String>,
}

/// Plan the redactions of `bytes` from its `findings` (as [`crate::scan::Scanner::scan`]
/// returns them). The result is sorted and free of overlaps.
pub fn plan(bytes: &[u8], findings: &[Finding], rules: &[Rule], policy: &Policy) -> Vec<Redaction> {
    let mut direct: Vec<Redaction> = Vec::new();
    for f in findings {
        let Some(rule) = rules.get(f.rule) else {
            continue;
        };
        let span = whole_tokens(bytes, f.span.clone());
        if span.is_empty() || !policy.selects(rule, f) {
            continue;
        }
        if bytes.get(span.clone()).is_none_or(|t| policy.is_marker(t)) {
            continue;
        }
        direct.push(Redaction {
            span: span.clone(),
            rule: f.rule,
            category: rule.category.clone(),
            operator: policy.operator_for(rule),
            identity: span,
            propagated: false,
            text: rule.redact.clone(),
        });
    }
    let covered = Covered::new(&direct);
    let mut others: Vec<Redaction> = Vec::new();
    let first = first_of_each_text(bytes, &direct);
    // The document prepared for searching, once, and only if something is redacted.
    let mut hay: Option<Haystack<'_>> = None;
    // A long document with many findings: their keys are searched for at once (each text
    // has at most six forms, so a cable never comes near).
    if direct.len().saturating_mul(6 * bytes.len()) > INDEX_ABOVE {
        let mut texts: Vec<(&[u8], bool)> = direct
            .iter()
            .map(|d| {
                (
                    bytes.get(d.span.clone()).unwrap_or(&[]),
                    d.category == "person",
                )
            })
            .collect();
        texts.sort_unstable();
        texts.dedup();
        let keys = texts
            .into_iter()
            .flat_map(|(text, names)| mention_keys(text, names))
            .collect();
        hay.get_or_insert_with(|| Haystack::new(bytes)).index(keys);
    }
    for (d, first) in direct.iter().zip(first) {
        if !first {
            continue;
        }
        let hay = hay.get_or_insert_with(|| Haystack::new(bytes));
        for m in mentions_in(hay, &d.span, d.category == "person") {
            let span = whole_tokens(bytes, m);
            if covered.holds(&span) {
                continue;
            }
            others.push(Redaction {
                span,
                propagated: true,
                ..d.clone()
            });
        }
    }
    let mut all = direct;
    all.extend(others);
    // Findings first at equal starts, so a merged group is reported under a finding.
    all.sort_by_key(|r| (r.span.start, r.propagated, std::cmp::Reverse(r.span.end)));
    merge(all, |r| &mut r.span)
}

/// For each finding, whether it is the first of `direct` with its text: the mentions of a
/// text are the same whichever of its findings looks for them. A set of the texts seen
/// settles it in one probe a finding, where a list of them took one comparison per pair.
fn first_of_each_text(bytes: &[u8], direct: &[Redaction]) -> Vec<bool> {
    let mut seen: HashSet<&[u8]> = HashSet::with_capacity(direct.len());
    direct
        .iter()
        .map(|d| seen.insert(bytes.get(d.span.clone()).unwrap_or(&[])))
        .collect()
}

/// The spans of a document's findings, to tell whether a mention lies inside one.
///
/// Such a mention changes nothing in the plan: sorted by start with findings first, the
/// finding that holds it comes before it, and [`merge`] folds it into that finding's group
/// without widening it. Most mentions are of this kind (a name found at each of its
/// places is also each other's mention), and leaving them out spares building, sorting
/// and merging them.
struct Covered {
    /// `(start, furthest end of any span starting at or before it)`, sorted by start.
    reach: Vec<(usize, usize)>,
}

impl Covered {
    fn new(direct: &[Redaction]) -> Self {
        let mut reach: Vec<(usize, usize)> =
            direct.iter().map(|d| (d.span.start, d.span.end)).collect();
        reach.sort_unstable();
        let mut furthest = 0;
        for r in &mut reach {
            furthest = furthest.max(r.1);
            r.1 = furthest;
        }
        Covered { reach }
    }

    /// Whether some finding's span starts at or before `span` and ends at or after it.
    fn holds(&self, span: &Range<usize>) -> bool {
        let before = self.reach.partition_point(|r| r.0 <= span.start);
        before
            .checked_sub(1)
            .and_then(|k| self.reach.get(k))
            .is_some_and(|r| r.1 >= span.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::operator::label;

    /// [`Policy::is_marker`] as first written, building each label and prefix: the reference.
    fn is_marker_built(policy: &Policy, text: &[u8]) -> bool {
        let t = String::from_utf8_lossy(text);
        let t = t.trim();
        if is_mask(t) {
            return true;
        }
        policy.categories.iter().any(|c| {
            let prefix = format!("{}-", c.to_uppercase());
            t == label(c)
                || t.strip_prefix(&prefix)
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
    }

    /// A person finding over `span`, masked.
    fn finding(span: Range<usize>) -> Redaction {
        Redaction {
            identity: span.clone(),
            span,
            rule: 0,
            category: "person".to_string(),
            operator: Operator::Mask,
            propagated: false,
            text: None,
        }
    }

    #[test]
    fn a_mention_is_covered_only_inside_one_findings_span() {
        let covered = Covered::new(&[finding(20..25), finding(3..10), finding(0..5)]);
        for (span, inside) in [
            (0..5, true),
            (4..10, true),
            (3..10, true),
            (20..25, true),
            (21..22, true),
            // Across two findings that overlap, but inside neither.
            (0..10, false),
            (4..11, false),
            (19..21, false),
            (24..26, false),
            (11..12, false),
            (26..27, false),
        ] {
            assert_eq!(covered.holds(&span), inside, "{span:?}");
        }
    }

    #[test]
    fn each_text_is_looked_for_from_its_first_finding() {
        let bytes = b"Roe and Doe met Roe; ROE and Doe.";
        let direct = [
            finding(16..19),
            finding(8..11),
            finding(0..3),
            finding(21..24),
            finding(29..32),
        ];
        assert_eq!(
            first_of_each_text(bytes, &direct),
            [true, true, false, true, false]
        );
        assert!(first_of_each_text(bytes, &[]).is_empty());
    }

    #[test]
    fn markers_are_recognised_without_building_them() {
        let policy = Policy::new(&["person", "phone", "straße"], Operator::Mask);
        let texts = [
            "[PERSON]",
            " [PHONE] ",
            "[PERSON",
            "PERSON]",
            "[person]",
            "[PERSONS]",
            "[]",
            "PERSON-123456",
            "PHONE-7",
            "PERSON-",
            "PERSON-12a",
            "PERSON123",
            "PERSONS-1",
            "[STRASSE]",
            "STRASSE-42",
            "[STRAßE]",
            "XXXXXXXXXXXX",
            "\u{2588}\u{2588} \u{2588}",
            "",
            "Jane Roe",
            "[EMAIL]",
        ];
        for t in texts {
            assert_eq!(
                policy.is_marker(t.as_bytes()),
                is_marker_built(&policy, t.as_bytes()),
                "{t:?}"
            );
        }
        assert!(policy.is_marker(label("phone").as_bytes()));
        assert!(policy.is_marker(b"STRASSE-42"));
        assert!(!policy.is_marker(b"[EMAIL]"));
    }
}
