//! The compiled scanner: every rule of a run compiled once, then run over each document.
//!
//! All literals, dictionary entries and keywords of all rules live in **one** Aho-Corasick
//! automaton searched with overlapping semantics, so no rule's literal can hide another rule's
//! match at the same bytes. Regex patterns run only when their rule's keywords occurred in the
//! document (gitleaks-style prefilter). Detectors run once per document.
//!
//! Overlaps are handled deliberately: within one rule, overlapping hits merge into the longest
//! leftmost one; across rules of one category, a finding inside another is dropped; findings
//! of different categories over the same bytes are all kept (a name inside a `Classified By:`
//! line is both a person and part of a classification marking).

mod examples;

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::cable::Cable;
use crate::detect::{self, Detector, Document, Hit};
use crate::rules::{Confidence, MatchOn, Rule, RuleError, RuleSet};
use crate::text::{self, View};

pub use examples::{ExampleFailure, test_examples};

/// One finding, in original-file byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the rule in [`Scanner::rules`].
    pub rule: usize,
    /// Byte range in the original file, trimmed of surrounding blanks.
    pub span: Range<usize>,
    /// Suggested replacement text.
    pub fix: Option<String>,
    /// How sure the finding is.
    pub confidence: Confidence,
    /// The evidence behind it.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy)]
enum Entry {
    Literal { rule: usize },
    Keyword { rule: usize },
}

/// All rules of a run, compiled.
#[derive(Debug)]
pub struct Scanner {
    rules: Vec<Rule>,
    automaton: Option<AhoCorasick>,
    entries: Vec<Entry>,
    /// The automaton's patterns, for the case-sensitive check after a match.
    entry_texts: Vec<String>,
    detectors: Vec<(usize, Box<dyn Detector>)>,
    any_raw: bool,
    /// Region assumed for documents that do not name one (config `phone-region`).
    default_region: Option<String>,
}

impl Scanner {
    /// Compile the enabled rules of `set`.
    ///
    /// # Errors
    /// A rule naming a detector that does not exist, or an automaton too large to build.
    pub fn new(set: &RuleSet) -> Result<Self, Vec<RuleError>> {
        let rules: Vec<Rule> = set.rules().iter().filter(|r| r.enabled).cloned().collect();
        let mut patterns: Vec<&str> = Vec::new();
        let mut entries = Vec::new();
        let mut detectors = Vec::new();
        let mut errors = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            for lit in &rule.literals {
                patterns.push(lit);
                entries.push(Entry::Literal { rule: i });
            }
            for kw in &rule.keywords {
                patterns.push(kw);
                entries.push(Entry::Keyword { rule: i });
            }
            if let Some(name) = &rule.detector {
                match detect::build(name, rule.options.as_ref()) {
                    Ok(d) => detectors.push((i, d)),
                    Err(msg) => errors.push(rule_error(rule, msg)),
                }
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            // Case is checked per entry after the match, so one automaton serves rules with
            // and without `case_insensitive`.
            match AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .build(&patterns)
            {
                Ok(ac) => Some(ac),
                Err(e) => {
                    errors.push(RuleError {
                        path: "<rules>".into(),
                        source: std::sync::Arc::from(""),
                        span: None,
                        message: format!("cannot build the literal automaton: {e}"),
                        notes: vec!["use fewer or shorter literals".into()],
                    });
                    None
                }
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let any_raw = rules.iter().any(|r| r.match_on == MatchOn::Raw);
        let entry_texts = patterns.iter().map(|p| p.to_string()).collect();
        Ok(Scanner {
            rules,
            automaton,
            entries,
            entry_texts,
            detectors,
            any_raw,
            default_region: None,
        })
    }

    /// Assume `region` (ISO 3166, e.g. `US`) for documents that do not name their own, e.g.
    /// for phone numbers written without a country code.
    pub fn set_default_region(&mut self, region: Option<String>) {
        self.default_region = region;
    }

    /// The compiled rules; [`Finding::rule`] indexes into this.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Scan one document; findings come back sorted by position, then rule.
    pub fn scan(&self, bytes: &[u8]) -> Vec<Finding> {
        let cable = Cable::parse(bytes);
        let view = text::normalized_with(bytes, &cable.view_edits());
        let raw = if self.any_raw || self.detectors.iter().any(|(_, d)| d.needs_raw()) {
            text::raw(bytes)
        } else {
            // Nothing reads the raw view: an empty one costs nothing.
            text::raw(b"")
        };
        let mut hits: Vec<Vec<Hit>> = vec![Vec::new(); self.rules.len()];
        let mut keyword_seen = vec![false; self.rules.len()];
        self.literal_hits(&view, MatchOn::View, &mut hits, &mut keyword_seen);
        if self.any_raw {
            // Keywords count in either view: a raw rule's keyword may only exist before
            // normalisation (a letter-spaced banner reads as one word in the view).
            self.literal_hits(&raw, MatchOn::Raw, &mut hits, &mut keyword_seen);
        }
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.patterns.is_empty() || (!rule.keywords.is_empty() && !keyword_seen[i]) {
                continue;
            }
            let v = if rule.match_on == MatchOn::Raw {
                &raw
            } else {
                &view
            };
            pattern_hits(rule, v, &mut hits[i]);
        }
        let doc = Document {
            bytes,
            view: &view,
            raw: &raw,
            // The posting's country first; the configured default for documents without one.
            region: cable.region.or(self.default_region.as_deref()),
            cable: &cable,
        };
        for (i, d) in &self.detectors {
            d.detect(&doc, &mut hits[*i]);
        }
        let mut found = self.findings(bytes, &view, &raw, hits);
        found.retain(|f| cable.in_scope(self.rules[f.rule].scope, &f.span));
        found
    }

    fn literal_hits(
        &self,
        v: &View,
        on: MatchOn,
        hits: &mut [Vec<Hit>],
        keyword_seen: &mut [bool],
    ) {
        let Some(ac) = &self.automaton else { return };
        let text = v.text();
        for m in ac.find_overlapping_iter(text) {
            let Some(entry) = self.entries.get(m.pattern().as_usize()) else {
                continue;
            };
            match *entry {
                Entry::Keyword { rule } => {
                    if let Some(seen) = keyword_seen.get_mut(rule) {
                        *seen = true;
                    }
                }
                Entry::Literal { rule: i } => {
                    let rule = &self.rules[i];
                    let lit = self.entry_texts.get(m.pattern().as_usize());
                    if rule.match_on != on || !literal_accepts(rule, text, m.range(), lit) {
                        continue;
                    }
                    hits[i].push(Hit {
                        on,
                        span: m.range(),
                        fix: rule.fix.clone(),
                        confidence: None,
                        note: None,
                    });
                }
            }
        }
    }

    fn findings(&self, bytes: &[u8], view: &View, raw: &View, hits: Vec<Vec<Hit>>) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, mut rule_hits) in hits.into_iter().enumerate() {
            rule_hits.sort_by_key(|h| {
                (
                    h.on == MatchOn::Raw,
                    h.span.start,
                    std::cmp::Reverse(h.span.end),
                )
            });
            let mut last_end: Option<(MatchOn, usize)> = None;
            let mut mapped: Vec<Finding> = Vec::new();
            for h in rule_hits {
                if let Some((on, end)) = last_end
                    && on == h.on
                    && h.span.start < end
                {
                    continue;
                }
                last_end = Some((h.on, h.span.end));
                let v = if h.on == MatchOn::Raw { raw } else { view };
                let span = trim(bytes, v.to_original(h.span.clone()));
                if span.is_empty() {
                    continue;
                }
                mapped.push(Finding {
                    rule: i,
                    span,
                    fix: h.fix,
                    confidence: h.confidence.unwrap_or(self.rules[i].confidence),
                    note: h.note,
                });
            }
            // The same bytes found in both views count once.
            mapped.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end)));
            mapped.dedup_by(|b, a| b.span.start < a.span.end);
            out.extend(mapped);
        }
        self.drop_contained_same_category(&mut out);
        out.sort_by_key(|f| (f.span.start, f.span.end, f.rule));
        out
    }

    /// Across rules of one category, a finding inside another finding is the same thing
    /// reported twice: keep the larger.
    fn drop_contained_same_category(&self, out: &mut Vec<Finding>) {
        out.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end), f.rule));
        let mut keep: Vec<Finding> = Vec::with_capacity(out.len());
        for f in out.drain(..) {
            let cat = &self.rules[f.rule].category;
            let inside = keep.iter().rev().take(16).any(|k| {
                &self.rules[k.rule].category == cat
                    && k.span.start <= f.span.start
                    && f.span.end <= k.span.end
            });
            if !inside {
                keep.push(f);
            }
        }
        *out = keep;
    }
}

fn literal_accepts(rule: &Rule, text: &str, range: Range<usize>, lit: Option<&String>) -> bool {
    if !rule.case_insensitive && text.get(range.clone()) != lit.map(String::as_str) {
        return false;
    }
    !rule.whole_word || is_whole_word(text, range)
}

/// Whether `text[range]` is not glued to a letter or digit on either side.
pub(crate) fn is_whole_word(text: &str, range: Range<usize>) -> bool {
    let before = text.get(..range.start).and_then(|s| s.chars().next_back());
    let after = text.get(range.end..).and_then(|s| s.chars().next());
    let first = text.get(range.clone()).and_then(|s| s.chars().next());
    let last = text.get(range).and_then(|s| s.chars().next_back());
    let glued = |outer: Option<char>, inner: Option<char>| matches!((outer, inner), (Some(o), Some(i)) if is_word(o) && is_word(i));
    !glued(before, first) && !glued(after, last)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn pattern_hits(rule: &Rule, v: &View, out: &mut Vec<Hit>) {
    let text = v.text();
    for re in &rule.patterns {
        let narrow = re.capture_names().any(|n| n == Some("m"));
        if !narrow && rule.fix.is_none() {
            for m in re.find_iter(text) {
                if !m.range().is_empty() {
                    out.push(hit(rule, m.range(), None));
                }
            }
            continue;
        }
        for caps in re.captures_iter(text) {
            let Some(m) = caps.name("m").or_else(|| caps.get(0)) else {
                continue;
            };
            if m.range().is_empty() {
                continue;
            }
            let fix = rule.fix.as_ref().map(|tpl| {
                let mut s = String::new();
                caps.expand(tpl, &mut s);
                s
            });
            out.push(hit(rule, m.range(), fix));
        }
    }
}

fn hit(rule: &Rule, span: Range<usize>, fix: Option<String>) -> Hit {
    Hit {
        on: rule.match_on,
        span,
        fix,
        confidence: None,
        note: None,
    }
}

/// Narrow an original range to exclude surrounding ASCII whitespace.
fn trim(bytes: &[u8], mut r: Range<usize>) -> Range<usize> {
    r.end = r.end.min(bytes.len());
    while r.start < r.end && bytes[r.start].is_ascii_whitespace() {
        r.start += 1;
    }
    while r.end > r.start && bytes[r.end - 1].is_ascii_whitespace() {
        r.end -= 1;
    }
    r
}

fn rule_error(rule: &Rule, message: String) -> RuleError {
    RuleError {
        path: rule.origin.path.clone(),
        source: rule.origin.source.clone(),
        span: Some(rule.origin.id_span.clone()),
        message,
        notes: vec![],
    }
}
