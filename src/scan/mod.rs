//! The compiled scanner: every rule of a run compiled once, then run over each document.
//!
//! All literals, dictionary entries and keywords of the rules matching on one view live in
//! **one** Aho-Corasick automaton searched with overlapping semantics, so no rule's literal can
//! hide another rule's match at the same bytes. A rule's keywords are literals every match of
//! its patterns contains (gitleaks-style prefilter): its patterns run only in windows around
//! the keywords' hits, the lines they stand on when a pattern cannot cross a line break, or as
//! far as the pattern's longest match reaches (see [`Reach`]). Once a run has seen a few
//! documents, one automaton of both views' literals is walked over the normalised view, and
//! the raw text only where the view does not copy it (see [`verbatim`]). Detectors run once
//! per document.
//!
//! Overlaps are handled deliberately: within one rule, overlapping hits merge into the longest
//! leftmost one; across rules of one category, a finding inside another is dropped; findings
//! of different categories over the same bytes are all kept (a name inside a `Classified By:`
//! line is both a person and part of a classification marking).

mod examples;
mod forward;
mod holds;
mod lead;
mod narrow;
mod overlapping;
mod rare;
mod verbatim;

use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_automata::meta::Regex;
use regex_automata::util::captures::Captures;
use regex_automata::{Input, PatternID};

use crate::cable::{Cable, Depth, Scope};
use crate::detect::{self, Detector, Document, Hit};
use crate::rules::{Confidence, MatchOn, Rule, RuleError, RuleSet};
use crate::text::{self, View};
use forward::Forward;

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

/// One Aho-Corasick automaton over the literals and keywords of the rules that match on one
/// view: a rule's literals and keywords count only in the view its patterns run on (where
/// every match holds a keyword), so each view is searched for its own entries only.
#[derive(Debug)]
struct Literals {
    search: Search,
    entries: Vec<Entry>,
    /// The automaton's patterns, for the case-sensitive check after a match.
    texts: Vec<String>,
    /// The DFA's transitions as its walks read them, built once the scanner has seen
    /// [`TABLE_AFTER`] documents (building takes longer than walking a few cables without).
    table: OnceLock<Option<overlapping::Table>>,
}

/// A rule's detector, with the rule's index.
type RuleDetector = (usize, Box<dyn Detector>);

/// The detector of each rule that names one, with the rule's index; an error for each that
/// cannot be built.
fn build_detectors(rules: &[Rule]) -> (Vec<RuleDetector>, Vec<RuleError>) {
    let mut detectors = Vec::new();
    let mut errors = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        if let Some(name) = &rule.detector {
            match detect::build(name, rule.options.as_ref()) {
                Ok(d) => detectors.push((i, d)),
                Err(msg) => errors.push(rule_error(rule, msg)),
            }
        }
    }
    (detectors, errors)
}

/// An automaton for overlapping search.
#[derive(Debug)]
enum Search {
    /// A search by the patterns' rare bytes ([`rare`]), when each has one and they are few.
    Rare(rare::Rare),
    /// A DFA, walked by [`overlapping::matches`] (what `aho-corasick` builds for up to
    /// [`DFA_MOST`] patterns anyway).
    Dfa(Box<aho_corasick::dfa::DFA>),
    /// Up to [`DFA_MOST`] patterns searched by their contiguous NFA until the walks' table
    /// is asked for ([`Search::table`], after [`TABLE_AFTER`] documents), then by the DFA
    /// built with it: building the DFA took a one-file run longer than searching its
    /// document with the NFA, and both report the same matches in the same order.
    Deferred {
        nfa: AhoCorasick,
        dfa: OnceLock<Option<Box<aho_corasick::dfa::DFA>>>,
    },
    /// Whatever `aho-corasick` chooses for more patterns (a DFA would grow too large).
    Other(AhoCorasick),
}

/// Most patterns searched with a DFA, as `aho-corasick` decides by itself.
const DFA_MOST: usize = 100;

impl Search {
    /// A search by the texts' rare bytes when they allow one ([`rare`]), else
    /// [`Search::walked`].
    fn new(texts: &[String]) -> Result<Search, aho_corasick::BuildError> {
        // Case is checked per entry after the match, so one automaton serves rules with
        // and without `case_insensitive`.
        if let Some(rare) = rare::Rare::new(texts) {
            return Ok(Search::Rare(rare));
        }
        if texts.len() > DFA_MOST {
            return Search::walked(texts);
        }
        Search::deferred(texts)
    }

    /// [`Search::Deferred`] for `texts`.
    fn deferred(texts: &[String]) -> Result<Search, aho_corasick::BuildError> {
        Ok(Search::Deferred {
            nfa: AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(texts)?,
            dfa: OnceLock::new(),
        })
    }

    /// The DFA [`Search::walked`] builds for up to [`DFA_MOST`] `texts`.
    fn dfa(texts: &[String]) -> Result<aho_corasick::dfa::DFA, aho_corasick::BuildError> {
        aho_corasick::dfa::Builder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(texts)
    }

    /// An automaton for `texts`, walked over every byte: a DFA for up to [`DFA_MOST`]
    /// patterns, whatever `aho-corasick` chooses for more.
    fn walked(texts: &[String]) -> Result<Search, aho_corasick::BuildError> {
        Ok(if texts.len() <= DFA_MOST {
            Search::Dfa(Box::new(Search::dfa(texts)?))
        } else {
            Search::Other(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .ascii_case_insensitive(true)
                    .build(texts)?,
            )
        })
    }

    /// The DFA's table for its walks, if it is a DFA and one can be built (a deferred DFA is
    /// built now, and searches from now on).
    fn table(&self, texts: &[String]) -> Option<overlapping::Table> {
        match self {
            Search::Dfa(dfa) => overlapping::Table::new(dfa, texts),
            Search::Deferred { dfa, .. } => {
                let dfa = dfa.get_or_init(|| Search::dfa(texts).ok().map(Box::new));
                overlapping::Table::new(dfa.as_deref()?, texts)
            }
            Search::Rare(_) | Search::Other(_) => None,
        }
    }

    /// Every match in `hay`, overlapping ones included, in the order they end.
    fn matches(
        &self,
        hay: &[u8],
        table: Option<&overlapping::Table>,
        out: &mut overlapping::Matches,
        spare: &mut overlapping::Spare,
    ) {
        match self {
            Search::Rare(rare) => rare.matches(hay, out),
            Search::Dfa(dfa) => overlapping::matches(dfa, table, hay, out, spare),
            Search::Deferred { nfa, dfa } => match dfa.get().and_then(Option::as_deref) {
                Some(dfa) => overlapping::matches(dfa, table, hay, out, spare),
                None => {
                    if let Ok(it) = nfa.try_find_overlapping_iter(hay) {
                        out.extend(it.map(|m| (m.pattern(), m.range())));
                    }
                }
            },
            Search::Other(ac) => {
                out.extend(
                    ac.find_overlapping_iter(hay)
                        .map(|m| (m.pattern(), m.range())),
                );
            }
        }
    }
}

impl Literals {
    /// The table for the automaton's walks: built on the first call with `seasoned`, none
    /// before.
    fn table(&self, seasoned: bool) -> Option<&overlapping::Table> {
        if seasoned {
            self.table
                .get_or_init(|| self.search.table(&self.texts))
                .as_ref()
        } else {
            self.table.get().and_then(Option::as_ref)
        }
    }

    /// The automaton of the rules matching on `on`; `None` when they have no literals.
    fn build(rules: &[Rule], on: MatchOn, errors: &mut Vec<RuleError>) -> Option<Literals> {
        let mut texts: Vec<String> = Vec::new();
        let mut entries = Vec::new();
        for (i, rule) in rules.iter().enumerate().filter(|(_, r)| r.match_on == on) {
            for lit in &rule.literals {
                texts.push(lit.clone());
                entries.push(Entry::Literal { rule: i });
            }
            for kw in &rule.keywords {
                texts.push(kw.clone());
                entries.push(Entry::Keyword { rule: i });
            }
        }
        if texts.is_empty() {
            return None;
        }
        match Search::new(&texts) {
            Ok(search) => Some(Literals {
                search,
                entries,
                texts,
                table: OnceLock::new(),
            }),
            Err(e) => {
                errors.push(RuleError::unlocated(
                    "<rules>",
                    format!("cannot build the literal automaton: {e}"),
                    vec!["use fewer or shorter literals".into()],
                ));
                None
            }
        }
    }
}

/// An invented cable for [`Scanner::warm_up`]: a header, routing, a `Classified By:` line, a
/// drafting line, phone numbers of several shapes and a signature, so that the detectors take
/// the paths that build their patterns.
const WARM_UP_CABLE: &str = "\
VZCZC XYZ0001\nR 011200Z JAN 09\nFM AMEMBASSY NOWHERE\nTO SECSTATE WASHDC 0001\n\
C O N F I D E N T I A L NOWHERE 000001\n\nSIPDIS\n\nDEPT FOR EUR/XYZ (QUILLBY)\n\n\
E.O. 12958: DECL: 01/01/2019\nTAGS: PREL, XX\nSUBJECT: A VISIT\n\n\
Classified By: Ambassador Orla Vantreeck, reasons 1.4 (b) and (d)\n\n\
1. (C) Minister Teodor Brask said that his office, tel. 202-555-0100 or (202) 555-0101, \
fax +1 202 555 0102, was open on 12/05/2008; about 150 people called 555-0103.\n\n\
DRAFTED: POL:OVANTREECK\n\nVANTREECK\n";

/// Buffers a thread reuses from document to document: each rule's hits and keyword hits,
/// and the keyword walk's matches. Each scan leaves them empty; fresh ones for every
/// document cost allocations and copies as they grow.
#[derive(Default)]
struct Buffers {
    hits: Vec<Vec<Hit>>,
    keyword_hits: Vec<Vec<Range<usize>>>,
    found: overlapping::Matches,
    /// The raw text's matches, when both views' are searched at once.
    raw_found: overlapping::Matches,
    spare: overlapping::Spare,
    /// One rule's findings at a time, in [`Scanner::findings`].
    mapped: Vec<Finding>,
    /// Spans kept so far, per category, in [`Scanner::drop_contained_same_category`].
    kept: Vec<Vec<Range<usize>>>,
}

impl Buffers {
    /// The memory the buffers hold, in bytes.
    fn bytes(&self) -> usize {
        use std::mem::size_of;
        let hits: usize = self.hits.iter().map(Vec::capacity).sum();
        let keywords: usize = self.keyword_hits.iter().map(Vec::capacity).sum();
        let kept: usize = self.kept.iter().map(Vec::capacity).sum();
        hits * size_of::<Hit>()
            + keywords * size_of::<Range<usize>>()
            + (self.found.capacity() + self.raw_found.capacity() + self.spare.capacity())
                * size_of::<(aho_corasick::PatternID, Range<usize>)>()
            + self.mapped.capacity() * size_of::<Finding>()
            + kept * size_of::<Range<usize>>()
    }
}

/// Most memory a thread's kept [`Buffers`] may hold (a cable's need a few kilobytes).
const BUFFERS_KEEP: usize = 1 << 20;

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::new(Buffers::default());
}

/// Documents a scanner sees before it builds its keyword walks' table (see
/// [`Literals::table`]) and compiles its windowed patterns whole (see
/// [`crate::rules::Pattern::for_scan`]): a pre-commit run of a few files never does.
const TABLE_AFTER: usize = 8;

/// All rules of a run, compiled.
#[derive(Debug)]
pub struct Scanner {
    rules: Vec<Rule>,
    /// The literals and keywords of the rules matching on the view, then on the raw text.
    literals: [Option<Literals>; 2],
    /// One automaton of both, for one walk over the view that finds both views' matches
    /// (see [`verbatim`]), built with the tables; `None` when it cannot serve.
    both: OnceLock<Option<verbatim::Both>>,
    detectors: Vec<RuleDetector>,
    /// What is known of each rule's patterns before a search, worked out the first time a
    /// scan needs the rule (see [`Scanner::rule_facts`]).
    facts: Vec<OnceLock<RuleFacts>>,
    /// Documents scanned so far.
    scanned: AtomicUsize,
    any_raw: bool,
    /// Whether a rule or a detector reads the raw view, so that a scan builds it.
    reads_raw: bool,
    /// How much of each document's cable structure a scan parses: all of it when a rule is
    /// confined to a part or a detector reads the structure, else what the views need.
    depth: Depth,
    /// Region assumed for documents that do not name one (config `phone-region`).
    default_region: Option<String>,
    /// Each rule's category as a number (categories in order of first appearance), so that
    /// findings are grouped by category without comparing names.
    categories: Vec<usize>,
}

impl Scanner {
    /// Compile the enabled rules of `set`.
    ///
    /// # Errors
    /// A rule naming a detector that does not exist, or an automaton too large to build.
    pub fn new(set: &RuleSet) -> Result<Self, Vec<RuleError>> {
        let rules: Vec<Rule> = set.rules().iter().filter(|r| r.enabled).cloned().collect();
        // The detectors (some compile patterns) and the two keyword automata are
        // independent: built side by side, they take less of a one-file run.
        let ((detectors, mut errors), (view, raw, literal_errors)) = rayon::join(
            || build_detectors(&rules),
            || {
                let mut errors = Vec::new();
                let view = Literals::build(&rules, MatchOn::View, &mut errors);
                let raw = Literals::build(&rules, MatchOn::Raw, &mut errors);
                (view, raw, errors)
            },
        );
        errors.extend(literal_errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let any_raw = rules.iter().any(|r| r.match_on == MatchOn::Raw);
        let reads_raw = any_raw || detectors.iter().any(|(_, d)| d.needs_raw());
        let structure = rules.iter().any(|r| r.scope != Scope::Any)
            || detectors.iter().any(|(_, d)| d.reads_structure());
        let depth = if structure { Depth::Full } else { Depth::Views };
        let facts = rules.iter().map(|_| OnceLock::new()).collect();
        let categories = category_ids(&rules);
        Ok(Scanner {
            categories,
            rules,
            literals: [view, raw],
            both: OnceLock::new(),
            detectors,
            facts,
            scanned: AtomicUsize::new(0),
            any_raw,
            reads_raw,
            depth,
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
        let cable = Cable::parse_to(bytes, self.depth);
        // When nothing reads the raw view, an empty one costs nothing.
        let (view, raw) = text::views(bytes, &cable.view_edits(), self.reads_raw);
        let mut buf = BUFFERS.with(|b| std::mem::take(&mut *b.borrow_mut()));
        buf.hits.resize_with(self.rules.len(), Vec::new);
        // Where each rule's keywords stand, in the view its patterns run on.
        buf.keyword_hits.resize_with(self.rules.len(), Vec::new);
        let seasoned = self.scanned.fetch_add(1, Ordering::Relaxed) >= TABLE_AFTER;
        // A run of a few documents (a pre-commit hook) builds no automaton of both.
        let both = seasoned && self.any_raw && self.literal_hits_of_both(&view, &raw, &mut buf);
        if !both {
            self.literal_hits(&view, MatchOn::View, seasoned, &mut buf);
            if self.any_raw {
                self.literal_hits(&raw, MatchOn::Raw, seasoned, &mut buf);
            }
        }
        // A run's first documents search windowed patterns without a prefilter.
        let early = !seasoned;
        self.compile_needed(&buf.keyword_hits, early);
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.patterns.is_empty() {
                continue;
            }
            let keywords = (!rule.keywords.is_empty()).then_some(buf.keyword_hits[i].as_slice());
            if keywords.is_some_and(<[_]>::is_empty) {
                continue;
            }
            let v = if rule.match_on == MatchOn::Raw {
                &raw
            } else {
                &view
            };
            let facts = self.rule_facts(i);
            pattern_hits(rule, facts, v, keywords, early, &mut buf.hits[i]);
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
            d.detect(&doc, &mut buf.hits[*i]);
        }
        let mut found = self.findings(bytes, &view, &raw, &mut buf);
        found.retain(|f| cable.in_scope(self.rules[f.rule].scope, &f.span));
        buf.keyword_hits.iter_mut().for_each(Vec::clear);
        // The buffers of an unusually large document are let go, so that memory after it
        // falls back to what ordinary documents need.
        if buf.bytes() <= BUFFERS_KEEP {
            BUFFERS.with(|b| *b.borrow_mut() = buf);
        }
        found
    }

    /// Compile the patterns that this document's search runs (those of the rules with no
    /// keywords or with hits of them) and no earlier scan compiled, each as its search runs
    /// it (forward from its keyword hits, or whole): side by side when there are several, as
    /// in a one-file run's only scan. Later scans find them compiled.
    fn compile_needed(&self, keyword_hits: &[Vec<Range<usize>>], early: bool) {
        use rayon::prelude::*;
        let needed: Vec<usize> = (self.rules.iter().zip(keyword_hits).enumerate())
            .filter(|(_, (r, kw))| {
                !r.patterns.is_empty() && (r.keywords.is_empty() || !kw.is_empty())
            })
            .filter(|&(i, (r, _))| {
                self.facts
                    .get(i)
                    .and_then(OnceLock::get)
                    .is_none_or(|f| !f.compiled(r, early))
            })
            .map(|(i, _)| i)
            .collect();
        let patterns: usize = needed.iter().map(|&i| self.rules[i].patterns.len()).sum();
        if patterns < 2 {
            // None, or one: the search compiles it.
            return;
        }
        // Each rule's facts are worked out (its patterns parsed) side by side too.
        needed.par_iter().for_each(|&i| {
            let facts = self.rule_facts(i);
            let patterns = self.rules[i].patterns.par_iter().zip(&facts.led);
            patterns.for_each(|(p, led)| match led {
                Some(forward) => {
                    forward.get_or_init(|| p.hir().and_then(Forward::of));
                }
                None => {
                    p.for_scan(early);
                }
            });
        });
    }

    /// What is known of rule `i`'s patterns, worked out now if no scan has needed the rule
    /// yet: each pattern is parsed then (a one-file run parses only the patterns of the
    /// rules its document calls for), and those searched only in windows around the
    /// rule's keywords are marked so (see [`crate::rules::Pattern::for_scan`]).
    fn rule_facts(&self, i: usize) -> &RuleFacts {
        self.facts[i].get_or_init(|| {
            let rule = &self.rules[i];
            let facts: Vec<Facts> = (rule.patterns.iter())
                .map(|p| Facts::of(p.hir(), &rule.keywords))
                .collect();
            if !rule.keywords.is_empty() {
                for (p, f) in rule.patterns.iter().zip(&facts) {
                    if f.reach.is_bounded() {
                        p.search_in_windows();
                    }
                }
            }
            let led = facts
                .iter()
                .map(|f| f.searched_from_keywords().then(OnceLock::new))
                .collect();
            RuleFacts { facts, led }
        })
    }

    /// Documents scanned so far (for tests that count scans).
    #[cfg(test)]
    pub(crate) fn documents_scanned(&self) -> usize {
        self.scanned.load(Ordering::Relaxed)
    }

    /// Run every detector, last first, on a small invented cable, so that the patterns and
    /// tables they build on first use are built. A run of one or a few files calls this on
    /// an idle core while it scans its first file: building them takes a few milliseconds
    /// that would otherwise fall on that scan (the scan waits only for what is still being
    /// built). Nothing found is kept.
    ///
    /// It stops at the next detector once `done` is set: a run whose files are scanned
    /// need not wait for patterns none of them called for (most of a one-file run's
    /// warm-up, since its scan builds only what its keywords call for).
    pub fn warm_up(&self, done: &AtomicBool) {
        if done.load(Ordering::Relaxed) {
            return;
        }
        let bytes = WARM_UP_CABLE.as_bytes();
        let cable = Cable::parse(bytes);
        let (view, raw) = text::views(bytes, &cable.view_edits(), true);
        let doc = Document {
            bytes,
            view: &view,
            raw: &raw,
            region: Some("US"),
            cable: &cable,
        };
        let mut hits = Vec::new();
        for (_, d) in self.detectors.iter().rev() {
            if done.load(Ordering::Relaxed) {
                return;
            }
            d.detect(&doc, &mut hits);
            hits.clear();
        }
    }

    /// The matches of rule `i`'s patterns in `text` that hold none of its keywords: a rule
    /// whose patterns run only around its keywords would miss them. Empty for a rule without
    /// keywords or patterns.
    pub(crate) fn keyword_misses(&self, i: usize, text: &str) -> Vec<String> {
        let Some(rule) = self.rules.get(i) else {
            return Vec::new();
        };
        if rule.keywords.is_empty() || rule.patterns.is_empty() {
            return Vec::new();
        }
        let view = match rule.match_on {
            MatchOn::Raw => text::raw(text.as_bytes()),
            MatchOn::View => text::normalized(text.as_bytes()),
        };
        let t = view.text();
        let keywords: Vec<String> = rule
            .keywords
            .iter()
            .map(|k| k.to_ascii_lowercase())
            .collect();
        let mut misses = Vec::new();
        for re in rule
            .patterns
            .iter()
            .filter_map(crate::rules::Pattern::regex)
        {
            for m in re.find_iter(t) {
                let text = t.get(m.range()).unwrap_or_default();
                let found = text.to_ascii_lowercase();
                if !keywords.iter().any(|k| found.contains(k.as_str())) {
                    misses.push(text.to_string());
                }
            }
        }
        misses
    }

    /// The hits of the literals and keywords of the rules matching on `on`, in `v`.
    fn literal_hits(&self, v: &View, on: MatchOn, seasoned: bool, buf: &mut Buffers) {
        let Some(lits) = &self.literals[usize::from(on == MatchOn::Raw)] else {
            return;
        };
        let table = lits.table(seasoned);
        lits.search
            .matches(v.text().as_bytes(), table, &mut buf.found, &mut buf.spare);
        let mut found = std::mem::take(&mut buf.found);
        self.take_matches(on, v, &mut found, buf);
        buf.found = found;
    }

    /// [`literal_hits`](Self::literal_hits) of both views, with one walk over the view and
    /// the raw text walked only where the view does not copy it (see [`verbatim`]), the
    /// automaton of both built on the first call; `false` when that cannot be done (the raw
    /// text is not the document itself, no automaton of both) and nothing was searched.
    fn literal_hits_of_both(&self, view: &View, raw: &View, buf: &mut Buffers) -> bool {
        let Some(raw_lits) = &self.literals[1] else {
            return false;
        };
        let both = self.both.get_or_init(|| {
            let view_texts = self.literals[0].as_ref().map_or(&[][..], |l| &l.texts);
            verbatim::Both::new(view_texts, &raw_lits.texts)
        });
        let Some(both) = both else {
            return false;
        };
        if !raw.is_verbatim() {
            return false;
        }
        let mut found = std::mem::take(&mut buf.found);
        let mut raw_found = std::mem::take(&mut buf.raw_found);
        both.matches(
            view,
            raw.text().as_bytes(),
            (&raw_lits.search, raw_lits.table(true)),
            (&mut found, &mut raw_found),
            &mut buf.spare,
        );
        self.take_matches(MatchOn::View, view, &mut found, buf);
        self.take_matches(MatchOn::Raw, raw, &mut raw_found, buf);
        buf.found = found;
        buf.raw_found = raw_found;
        true
    }

    /// Sort the automaton's matches `found` in `v` (which it leaves empty) into keyword hits
    /// and literal hits of the rules matching on `on`.
    fn take_matches(
        &self,
        on: MatchOn,
        v: &View,
        found: &mut overlapping::Matches,
        buf: &mut Buffers,
    ) {
        let Some(Literals { entries, texts, .. }) = &self.literals[usize::from(on == MatchOn::Raw)]
        else {
            found.clear();
            return;
        };
        let text = v.text();
        for (pattern, range) in found.drain(..) {
            let Some(entry) = entries.get(pattern.as_usize()) else {
                continue;
            };
            match *entry {
                Entry::Keyword { rule } => {
                    if let Some(kw) = buf.keyword_hits.get_mut(rule) {
                        kw.push(range);
                    }
                }
                Entry::Literal { rule: i } => {
                    let rule = &self.rules[i];
                    let lit = texts.get(pattern.as_usize());
                    if !literal_accepts(rule, text, range.clone(), lit) {
                        continue;
                    }
                    buf.hits[i].push(Hit {
                        on,
                        span: range,
                        fix: rule.fix.clone(),
                        confidence: None,
                        note: None,
                    });
                }
            }
        }
    }

    /// The findings of each rule's hits in `buf`, which it leaves empty.
    fn findings(&self, bytes: &[u8], view: &View, raw: &View, buf: &mut Buffers) -> Vec<Finding> {
        let Buffers {
            hits, mapped, kept, ..
        } = buf;
        // Room for every hit at once: findings are large, and growing by doubling copies them.
        let mut out = Vec::with_capacity(hits.iter().map(Vec::len).sum());
        // One rule's findings at a time, in room shared by all of them (and kept from
        // document to document).
        for (i, rule_hits) in hits.iter_mut().enumerate() {
            rule_hits.sort_by_key(|h| {
                (
                    h.on == MatchOn::Raw,
                    h.span.start,
                    std::cmp::Reverse(h.span.end),
                )
            });
            let mut last_end: Option<(MatchOn, usize)> = None;
            mapped.reserve(rule_hits.len());
            for h in rule_hits.drain(..) {
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
            out.append(mapped);
        }
        self.drop_contained_same_category(&mut out, kept);
        out.sort_by_key(|f| (f.span.start, f.span.end, f.rule));
        out
    }

    /// Across rules of one category, a finding inside another finding is the same thing
    /// reported twice: keep the larger.
    ///
    /// Each finding is compared with the last 16 kept of its own category, so what a
    /// category's rules report does not depend on which other categories are scanned.
    /// `kept` is room for the spans kept so far, per category, cleared first.
    fn drop_contained_same_category(
        &self,
        out: &mut Vec<Finding>,
        kept: &mut Vec<Vec<Range<usize>>>,
    ) {
        out.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end), f.rule));
        kept.iter_mut().for_each(Vec::clear);
        out.retain(|f| {
            let cat = self.categories.get(f.rule).copied().unwrap_or_default();
            if kept.len() <= cat {
                kept.resize_with(cat + 1, Vec::new);
            }
            let Some(spans) = kept.get_mut(cat) else {
                return true;
            };
            let inside = spans
                .iter()
                .rev()
                .take(16)
                .any(|k| k.start <= f.span.start && f.span.end <= k.end);
            if !inside {
                spans.push(f.span.clone());
            }
            !inside
        });
    }
}

/// Each rule's category as a number: the categories in the order they first appear.
fn category_ids(rules: &[Rule]) -> Vec<usize> {
    let mut names: Vec<&str> = Vec::new();
    rules
        .iter()
        .map(|r| {
            let name = r.category.as_str();
            names.iter().position(|&c| c == name).unwrap_or_else(|| {
                names.push(name);
                names.len() - 1
            })
        })
        .collect()
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

fn pattern_hits(
    rule: &Rule,
    RuleFacts { facts, led }: &RuleFacts,
    v: &View,
    keywords: Option<&[Range<usize>]>,
    early: bool,
    out: &mut Vec<Hit>,
) {
    let text = v.text();
    let mut windows = Vec::new();
    // What `windows` were worked out for: patterns of one rule that reach alike and need
    // the same hits (a rule's patterns are often variants of one form) share them.
    let mut windows_for: Option<WindowsKey<'_>> = None;
    // The hits a pattern needs (see `holds`), and the last start of one in each window.
    let mut held = Vec::new();
    let mut lasts = Vec::new();
    for (j, pattern) in rule.patterns.iter().enumerate() {
        let facts = facts.get(j).unwrap_or(&UNKNOWN_FACTS);
        if let (Some(kw), Some(Some(forward))) = (keywords, led.get(j))
            && let Some(forward) = forward.get_or_init(|| pattern.hir().and_then(Forward::of))
        {
            let before = out.len();
            let fixes = || pattern.for_scan(early);
            if led_matches(rule, forward, fixes, facts.reach, text, kw, out).is_ok() {
                continue;
            }
            // The lazy DFA gave up: the pattern's windows, as for any other.
            out.truncate(before);
        }
        let Some(re) = pattern.for_scan(early) else {
            continue;
        };
        match keywords {
            Some(kw) if facts.reach.is_bounded() => {
                let holds = facts.holds.as_deref();
                let key = (facts.reach, facts.lead, holds);
                if windows_for != Some(key) {
                    let kw = match holds {
                        Some(texts) => {
                            held.clear();
                            held.extend(kw.iter().filter(|h| holds_text(text, h, texts)).cloned());
                            held.sort_unstable_by_key(|h| h.start);
                            held.as_slice()
                        }
                        None => kw,
                    };
                    windows.clear();
                    facts.reach.windows(text, kw, facts.lead, &mut windows);
                    lasts.clear();
                    if holds.is_some() {
                        last_starts(kw, &windows, &mut lasts);
                    }
                    windows_for = Some(key);
                }
            }
            _ => {
                windows.clear();
                windows.push(0..text.len());
                lasts.clear();
                windows_for = None;
            }
        }
        // Narrowing to `m` by its groups reads them into locations made once per pattern
        // and document, not a fresh `Captures` per search.
        let mut groups =
            (rule.fix.is_none() && facts.narrows && facts.cut.is_none()).then(|| Narrow {
                m: re.group_info().to_index(PatternID::ZERO, "m"),
                caps: re.create_captures(),
            });
        // Captures are needed only to fill in a fix or to narrow the span to a group `m` that
        // cannot be cut from the match's bytes: a search for the whole match alone skips the
        // capture engine.
        let mut reading = match groups.as_mut() {
            _ if rule.fix.is_some() => Reading::Fix,
            Some(narrow) => Reading::Group(narrow),
            None => Reading::Match(facts.cut.as_ref()),
        };
        for (k, w) in windows.iter().enumerate() {
            // Every match holds a needed hit: none starts after the window's last one.
            let last = lasts.get(k).copied().unwrap_or(usize::MAX);
            matches_in(rule, re, &mut reading, text, w.clone(), last, out);
        }
    }
}

/// Whether keyword hit `h` reads as one of `texts` in `text`.
fn holds_text(text: &str, h: &Range<usize>, texts: &[Vec<u8>]) -> bool {
    let bytes = text.as_bytes().get(h.clone()).unwrap_or_default();
    texts.iter().any(|t| t.as_slice() == bytes)
}

/// For each of `windows` (sorted, apart), the last start of one of `hits` (sorted by start)
/// inside it: each hit's window holds it, so the hits inside a merged window are the ones it
/// was made of.
fn last_starts(hits: &[Range<usize>], windows: &[Range<usize>], out: &mut Vec<usize>) {
    out.extend(windows.iter().map(|w| {
        let i = hits.partition_point(|h| h.start < w.end);
        i.checked_sub(1)
            .and_then(|i| hits.get(i))
            .map(|h| h.start)
            .filter(|&s| s >= w.start)
            // No hit inside (none is left out of a window): search it all.
            .unwrap_or(usize::MAX)
    }));
}

/// What a pattern's windows are worked out from: its reach, whether its matches start at
/// hits, and the hit texts it needs.
type WindowsKey<'a> = (Reach, bool, Option<&'a [Vec<u8>]>);

/// How [`matches_in`] reads a pattern's matches.
enum Reading<'n> {
    /// The whole match, or group `m` cut from its bytes.
    Match(Option<&'n narrow::Cut>),
    /// Group `m`, read by the capture engine.
    Group(&'n mut Narrow),
    /// Every group, to fill in the rule's fix.
    Fix,
}

/// Where a pattern's groups are read to narrow a match to group `m`.
struct Narrow {
    /// The index of group `m`, if the pattern has one.
    m: Option<usize>,
    caps: Captures,
}

/// The matches of a pattern whose every match starts at one of the keyword hits `kw`: each
/// is searched anchored at a hit, in that hit's own window, skipping hits inside the match
/// before. These are the matches a search of the whole text finds (leftmost first, without
/// overlaps), found without the unanchored search's walk back to a match's start, which for
/// a pattern with a long bounded gap (`Classified By:.{0,300}?1.4 ...`) cost more than the
/// walk forward.
///
/// A rule with a fix reads each match's groups with `fixes` (the pattern itself, compiled
/// at the first match): most hits of such a rule's keyword start no match (`¶` stands
/// before every paragraph, rarely before a year), and the anchored walk settles them
/// without the capture search a window costs.
fn led_matches<'r>(
    rule: &Rule,
    forward: &Forward,
    fixes: impl Fn() -> Option<&'r Regex>,
    reach: Reach,
    text: &str,
    kw: &[Range<usize>],
    out: &mut Vec<Hit>,
) -> Result<(), regex_automata::MatchError> {
    // The hits in order of their starts, one per start (the window of a start is the
    // same for every keyword there: it runs to the end of the line or of the longest match).
    let mut hits: Vec<&Range<usize>> = kw.iter().collect();
    hits.sort_unstable_by_key(|k| (k.start, k.end));
    hits.dedup_by_key(|k| k.start);
    let mut at = 0;
    let mut lines = Lines::default();
    for k in hits {
        let start = k.start;
        if start < at {
            continue;
        }
        let w = reach.window(text, k, true, &mut lines);
        // As in `matches_in`: the text goes on one character past the window, for a
        // look-ahead at its end; a match reaching past the window is none.
        let cut = next_boundary(text, w.end).min(text.len());
        let Some(hay) = text.get(..cut) else { continue };
        let Some(end) = forward.end_of_match_at(hay, start, cut)? else {
            continue;
        };
        if end > w.end {
            continue;
        }
        if end == start {
            at = next_boundary(text, end);
            continue;
        }
        at = end;
        let fix = match &rule.fix {
            None => None,
            Some(tpl) => {
                let Some(re) = fixes() else { continue };
                Some(fill_fix(re, hay, start..end, tpl)?)
            }
        };
        out.push(hit(rule, start..end, fix));
    }
    Ok(())
}

/// Rule fix `tpl` filled in from the groups of `re`'s match `span` in `hay`: the match the
/// anchored search at its start finds. That search finds the match a walk forward found;
/// should it not, the caller is told the search gave up, and searches the windows instead.
fn fill_fix(
    re: &Regex,
    hay: &str,
    span: Range<usize>,
    tpl: &str,
) -> Result<String, regex_automata::MatchError> {
    let mut caps = re.create_captures();
    let input = Input::new(hay)
        .range(span.start..)
        .anchored(regex_automata::Anchored::Yes);
    re.search_captures(&input, &mut caps);
    if caps.get_match().map(|m| m.range()) != Some(span.clone()) {
        return Err(regex_automata::MatchError::gave_up(span.start));
    }
    let mut s = String::new();
    caps.interpolate_string_into(hay, tpl, &mut s);
    Ok(s)
}

/// The matches of `re` that lie inside `window` of `text`, searched with the text around the
/// window as context (a `\b` or `^` at the window's edge sees the real neighbours). No match
/// starts after `last` (the last needed hit in the window, when every match holds one).
fn matches_in(
    rule: &Rule,
    re: &Regex,
    reading: &mut Reading<'_>,
    text: &str,
    window: Range<usize>,
    last: usize,
    out: &mut Vec<Hit>,
) {
    // The haystack ends one character past the window, so that a look-ahead at the window's
    // end sees the real next character; a match reaching past the window is a match the cut
    // made up (the real one would need the text the window leaves out), and is skipped.
    let cut = next_boundary(text, window.end).min(text.len());
    let Some(hay) = text.get(..cut) else { return };
    let mut at = window.start;
    while at <= window.end && at <= last {
        let input = Input::new(hay).range(at..);
        let (whole, m, fix) = if let Reading::Match(by_bytes) = *reading {
            let Some(m) = re.search(&input) else { break };
            let narrowed = by_bytes.map_or(m.range(), |c| c.narrow(hay.as_bytes(), m.range()));
            (m.range(), narrowed, None)
        } else if let Reading::Group(Narrow { m, caps }) = reading {
            re.search_captures(&input, caps);
            let Some(whole) = caps.get_match() else {
                break;
            };
            // A group `m` that took no part in the match narrows nothing.
            let m = m
                .and_then(|i| caps.get_group(i))
                .map_or(whole.range(), |g| g.range());
            (whole.range(), m, None)
        } else {
            let mut caps = re.create_captures();
            re.search_captures(&input, &mut caps);
            let Some(whole) = caps.get_match() else { break };
            let m = caps.get_group_by_name("m").unwrap_or(whole.span());
            let fix = rule.fix.as_ref().map(|tpl| {
                let mut s = String::new();
                caps.interpolate_string_into(hay, tpl, &mut s);
                s
            });
            (whole.range(), m.range(), fix)
        };
        if whole.end > window.end {
            at = next_boundary(text, whole.start);
            continue;
        }
        at = if whole.is_empty() {
            next_boundary(text, whole.end)
        } else {
            whole.end
        };
        if !m.is_empty() {
            out.push(hit(rule, m, fix));
        }
    }
}

/// The character boundary after the character at `at` (`at + 1` past the end).
fn next_boundary(text: &str, at: usize) -> usize {
    let mut i = at + 1;
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// What the scanner works out about a pattern once, when it is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Facts {
    /// How far its matches reach from a keyword.
    reach: Reach,
    /// It has a group `m` other than the whole match, so a match needs its captures to be
    /// narrowed to it (`(?P<m>...)` around the whole pattern needs none).
    narrows: bool,
    /// How group `m` is read from a whole match's bytes, when it can be: then a search for
    /// the whole match is all it needs (see [`narrow`]).
    cut: Option<narrow::Cut>,
    /// Every match starts with one of the rule's keywords (see [`lead`]), so a match starts
    /// at a keyword hit.
    lead: bool,
    /// Every match holds a keyword hit of one of these texts, as they stand in the text (see
    /// [`holds`]): the pattern is searched around those hits only.
    holds: Option<Vec<Vec<u8>>>,
}

impl Facts {
    /// For a pattern that does not parse (a compiled one always does): assume the most.
    const UNKNOWN: Facts = Facts {
        reach: Reach::UNBOUNDED,
        narrows: true,
        cut: None,
        lead: false,
        holds: None,
    };

    /// Whether the pattern is best searched anchored at each keyword hit: its every match
    /// starts at one, it is bounded (a hit's search cannot run on to the end of the text),
    /// and a match is the whole span (no group `m` to narrow it to).
    fn searched_from_keywords(&self) -> bool {
        self.lead && self.reach.is_bounded() && !self.narrows
    }

    /// The facts of a pattern of a rule with `keywords`, parsed to `hir` (`None`: it does
    /// not parse, and nothing is known).
    pub(crate) fn of(hir: Option<&regex_syntax::hir::Hir>, keywords: &[String]) -> Facts {
        use regex_syntax::hir::HirKind;
        let Some(hir) = hir else {
            return Facts::UNKNOWN;
        };
        let whole_m = matches!(hir.kind(), HirKind::Capture(c) if c.name.as_deref() == Some("m"));
        Facts {
            reach: Reach::of_hir(hir),
            narrows: !whole_m && has_group_m(hir),
            cut: narrow::Cut::of(hir),
            lead: lead::starts_with_keyword(hir, keywords),
            holds: holds::hit_texts(hir, keywords),
        }
    }
}

/// What is known of a rule's patterns before a search (see [`Scanner::rule_facts`]).
#[derive(Debug)]
struct RuleFacts {
    /// Each pattern's facts.
    facts: Vec<Facts>,
    /// For each pattern best searched anchored at its keyword hits
    /// ([`Facts::searched_from_keywords`]), its forward search, compiled the first time a
    /// scan needs it instead of the pattern itself; `None` for the other patterns.
    led: Vec<Option<OnceLock<Option<Forward>>>>,
}

impl RuleFacts {
    /// Whether each of `rule`'s patterns is compiled for its search (forward from its
    /// keyword hits, or whole).
    fn compiled(&self, rule: &Rule, early: bool) -> bool {
        rule.patterns
            .iter()
            .zip(&self.led)
            .all(|(p, led)| match led {
                Some(forward) => forward.get().is_some(),
                None => p.is_compiled_for_scan(early),
            })
    }
}

/// [`Facts::UNKNOWN`], to lend.
static UNKNOWN_FACTS: Facts = Facts::UNKNOWN;

/// Whether `hir` has a capture group named `m`.
fn has_group_m(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => c.name.as_deref() == Some("m") || has_group_m(&c.sub),
        HirKind::Repetition(r) => has_group_m(&r.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().any(has_group_m),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

/// How far a pattern's match can reach from a keyword it contains: what its search windows
/// are cut by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reach {
    /// The pattern cannot match a line break, so a match stays on its keyword's line.
    line: bool,
    /// The longest match in bytes, when bounded.
    len: Option<usize>,
}

impl Reach {
    const UNBOUNDED: Reach = Reach {
        line: false,
        len: None,
    };

    fn of_hir(hir: &regex_syntax::hir::Hir) -> Reach {
        Reach {
            line: !reaches_newline(hir),
            len: hir.properties().maximum_len(),
        }
    }

    fn is_bounded(self) -> bool {
        self.line || self.len.is_some()
    }

    /// The windows of `text` that every match holding one of the keyword hits `kw` lies in,
    /// sorted and merged. With `lead`, every match starts with a keyword, so a window starts
    /// at its hit.
    fn windows(self, text: &str, kw: &[Range<usize>], lead: bool, out: &mut Vec<Range<usize>>) {
        let mut lines = Lines::default();
        out.extend(kw.iter().map(|k| self.window(text, k, lead, &mut lines)));
        out.sort_by_key(|w| w.start);
        // Merge overlapping windows in place.
        let mut kept = 0usize;
        for i in 0..out.len() {
            let w = out[i].clone();
            match kept.checked_sub(1).map(|k| &mut out[k]) {
                Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
                _ => {
                    out[kept] = w;
                    kept += 1;
                }
            }
        }
        out.truncate(kept);
    }

    /// The window of keyword hit `k` (see [`Reach::windows`]), its line's ends looked up in
    /// `lines`.
    fn window(self, text: &str, k: &Range<usize>, lead: bool, lines: &mut Lines) -> Range<usize> {
        let (mut start, mut end) = (0, text.len());
        if lead {
            start = k.start;
        }
        if self.line {
            if !lead {
                start = lines.start(text.as_bytes(), k.start);
            }
            end = lines.end(text.as_bytes(), k.end);
        }
        if let Some(len) = self.len {
            start = start.max(k.end.saturating_sub(len));
            end = end.min(k.start.saturating_add(len));
        }
        while start > 0 && !text.is_char_boundary(start) {
            start -= 1;
        }
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }
}

/// The last line start and line end searched for, to answer later hits on the same line
/// without searching it again. A cable published one paragraph per line has many hits on a
/// line of a thousand bytes or more: searching from each hit to the ends of its line made
/// the windows cost more than the searches in them, and a long line full of hits cost time
/// quadratic in its length.
#[derive(Debug, Default)]
struct Lines {
    /// `(from, to)`: no line break in `from..to`, and the line holding `to` starts at
    /// `from`.
    start: Option<(usize, usize)>,
    /// `(from, to)`: no line break in `from..to`, and `to` is a line break or the end.
    end: Option<(usize, usize)>,
}

impl Lines {
    /// Where the line holding byte `at` starts (after the line break before `at`).
    fn start(&mut self, bytes: &[u8], at: usize) -> usize {
        let from = match self.start {
            Some((from, to)) if from <= at && at <= to => return from,
            // Further along: only the bytes since the last search can hold a break.
            Some((from, to)) if to < at => {
                memchr::memrchr(b'\n', &bytes[to..at]).map_or(from, |i| to + i + 1)
            }
            _ => memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1),
        };
        self.start = Some((from, at));
        from
    }

    /// The first line break at or after `at`, or the end of `bytes`.
    fn end(&mut self, bytes: &[u8], at: usize) -> usize {
        if let Some((from, to)) = self.end
            && from <= at
            && at <= to
        {
            return to;
        }
        let to = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        self.end = Some((at, to));
        to
    }
}

/// Whether a match of `hir` can hold a line break.
fn reaches_newline(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => lit.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Repetition(r) => reaches_newline(&r.sub),
        HirKind::Capture(c) => reaches_newline(&c.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().any(reaches_newline),
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::rules::parse_rule;

    /// The id of each rule whose patterns have all compiled for their searches (forward
    /// from their keyword hits, or whole), and of each with one that has not.
    fn compiled_or_not(scanner: &Scanner) -> (Vec<&str>, Vec<&str>) {
        let mut done = Vec::new();
        let mut waiting = Vec::new();
        for (r, facts) in scanner.rules().iter().zip(&scanner.facts) {
            if r.patterns.is_empty() {
                continue;
            }
            let early = scanner.scanned.load(Ordering::Relaxed) <= TABLE_AFTER;
            let compiled = facts.get().is_some_and(|f| f.compiled(r, early));
            if compiled { &mut done } else { &mut waiting }.push(r.id.as_str());
        }
        (done, waiting)
    }

    proptest::proptest! {
        /// A deferred DFA's search finds the same matches in the same order before its
        /// table is built (its NFA) and after (the DFA's walks).
        #[test]
        fn a_deferred_dfa_finds_what_its_nfa_found(
            patterns in proptest::collection::vec("[abAB ¶(]{1,4}", 1..12),
            hay in "[abcAB ¶()\n]{0,400}",
        ) {
            let search = Search::deferred(&patterns).unwrap();
            let Search::Deferred { dfa, .. } = &search else {
                return Err(proptest::test_runner::TestCaseError::fail("not deferred"));
            };
            let mut spare = overlapping::Spare::default();
            let mut early = overlapping::Matches::new();
            search.matches(hay.as_bytes(), None, &mut early, &mut spare);
            proptest::prop_assert!(dfa.get().is_none());
            let table = search.table(&patterns);
            proptest::prop_assert!(dfa.get().is_some_and(Option::is_some));
            proptest::prop_assert!(table.is_some());
            let mut late = overlapping::Matches::new();
            search.matches(hay.as_bytes(), table.as_ref(), &mut late, &mut spare);
            proptest::prop_assert_eq!(&early, &late);
            // The DFA without its table (the library's own search of it) too.
            let mut untabled = overlapping::Matches::new();
            search.matches(hay.as_bytes(), None, &mut untabled, &mut spare);
            proptest::prop_assert_eq!(&early, &untabled);
        }
    }

    #[test]
    fn up_to_a_hundred_walked_patterns_wait_for_their_dfa() {
        let texts: Vec<String> = (0..40).map(|i| format!("w{i}x")).collect();
        assert!(matches!(
            Search::new(&texts).unwrap(),
            Search::Deferred { .. }
        ));
        let many: Vec<String> = (0..150).map(|i| format!("w{i}x")).collect();
        assert!(matches!(Search::new(&many).unwrap(), Search::Other(_)));
    }

    #[test]
    fn only_a_scanner_with_a_raw_rule_or_structure_check_builds_the_raw_view() {
        let mut set = RuleSet::builtin().unwrap();
        assert!(Scanner::new(&set).unwrap().reads_raw);
        // What `redact` scans for by default: nothing in these reads the raw view.
        set.enable_only_categories(&["person".into(), "phone".into(), "email".into()]);
        assert!(!Scanner::new(&set).unwrap().reads_raw);
        // A structure check maps its hits onto the raw view.
        set.set_enabled("structure.unmarked-paragraph", true);
        assert!(Scanner::new(&set).unwrap().reads_raw);
    }

    #[test]
    fn only_a_scanner_with_a_structure_check_or_a_confined_rule_parses_the_whole_structure() {
        let mut set = RuleSet::builtin().unwrap();
        assert_eq!(Scanner::new(&set).unwrap().depth, Depth::Full);
        // What `redact` scans for by default: the views and the posting's country suffice.
        set.enable_only_categories(&["person".into(), "phone".into(), "email".into()]);
        assert_eq!(Scanner::new(&set).unwrap().depth, Depth::Views);
        set.set_enabled("structure.unmarked-paragraph", true);
        assert_eq!(Scanner::new(&set).unwrap().depth, Depth::Full);
        let confined = format!("{}scope: body\n", rule("['zz[0-9]']", "[zz]"));
        assert_eq!(scanner(&confined).depth, Depth::Full);
        assert_eq!(scanner(&rule("['zz[0-9]']", "[zz]")).depth, Depth::Views);
    }

    #[test]
    fn a_scanner_of_some_categories_finds_what_the_full_scanner_finds_of_them() {
        let full = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
        let mut set = RuleSet::builtin().unwrap();
        let categories = ["person", "phone", "email"];
        set.enable_only_categories(&categories.map(String::from));
        let some = Scanner::new(&set).unwrap();
        let seed = include_str!("../../tests/fixtures/cables/07ASTANA614.txt");
        let invented = "C O N F I D E N T I A L SECTION 01 OF 02 ATLANTIS 000123\n\n\
            E.O. 12958: DECL: 01/01/2020\nTAGS: PREL\nSUBJECT: TALKS\n\n1. (C) Minister \
            Orrin ATLANTIS 00000123  002 OF 002 Quillfeather (tel +1-202-555-\n0147, \
            oq@example.gov) met Ambassador Tulenko.\n\nQUILLFEATHER\n";
        let mut seen = Vec::new();
        for text in [seed, invented] {
            let of = |s: &Scanner| -> Vec<(String, Range<usize>)> {
                s.scan(text.as_bytes())
                    .into_iter()
                    .filter(|f| categories.contains(&s.rules()[f.rule].category.as_str()))
                    .map(|f| (s.rules()[f.rule].category.clone(), f.span))
                    .collect()
            };
            let expected = of(&full);
            assert_eq!(of(&some), expected);
            seen.extend(expected.into_iter().map(|(category, _)| category));
        }
        // Names, numbers and an address: the comparison is not of empty lists.
        for category in categories {
            assert!(seen.iter().any(|c| c == category), "no {category} found");
        }
    }

    #[test]
    fn a_scan_compiles_the_built_in_patterns_its_keywords_call_for_and_no_others() {
        let scanner = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
        let (done, _) = compiled_or_not(&scanner);
        assert_eq!(done, Vec::<&str>::new(), "nothing compiles before a scan");
        let text = "Classified By: Ambassador Jane Roe, reasons 1.4 (b) and (d)\n\n\
                    1. (C) Nothing here has an address.\n";
        let found = scanner.scan(text.as_bytes());
        assert!(
            found
                .iter()
                .any(|f| scanner.rules()[f.rule].id == "classification.authority")
        );
        let (done, waiting) = compiled_or_not(&scanner);
        for id in ["classification.authority", "classification.portion"] {
            assert!(done.contains(&id), "{id} not compiled: {done:?}");
        }
        // The authority's patterns are searched forward from their keywords only.
        let authority = scanner
            .rules()
            .iter()
            .position(|r| r.id == "classification.authority");
        let authority = &scanner.rules()[authority.unwrap()];
        assert!(authority.patterns.iter().all(|p| !p.is_compiled()));
        for id in [
            "contact.email",
            "contact.email.obfuscated",
            "garble.control-char",
        ] {
            assert!(waiting.contains(&id), "{id} compiled: {done:?}");
        }
        // A later document that needs one compiles it then, and finds the same as a scanner
        // that compiled everything first.
        let more = "Write to jane.roe@example.org today.\n";
        let found = scanner.scan(more.as_bytes());
        let (done, _) = compiled_or_not(&scanner);
        assert!(done.contains(&"contact.email"));
        let eager = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
        for r in eager.rules() {
            for p in &r.patterns {
                assert!(p.regex().is_some(), "{}: {}", r.id, p.as_str());
            }
        }
        assert_eq!(found, eager.scan(more.as_bytes()));
    }

    #[test]
    fn the_warm_up_cable_takes_the_detectors_paths_and_changes_no_finding() {
        let builtin = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
        let found = builtin.scan(WARM_UP_CABLE.as_bytes());
        let rules: Vec<&str> = found
            .iter()
            .map(|f| builtin.rules()[f.rule].id.as_str())
            .collect();
        // It reaches the name conventions and the phone judge, where the lazily built
        // patterns are.
        for want in ["person.name", "contact.phone", "classification.authority"] {
            assert!(rules.contains(&want), "{want} not in {rules:?}");
        }
        let seed = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/cables/07ASTANA614.txt"
        ));
        let seed = seed.unwrap();
        let cold = Scanner::new(&RuleSet::builtin().unwrap())
            .unwrap()
            .scan(&seed);
        builtin.warm_up(&AtomicBool::new(false));
        assert_eq!(builtin.scan(&seed), cold);
    }

    /// What this thread's kept buffers hold: the number of hits, keyword hits and matches
    /// left in them, and the bytes they take.
    fn kept() -> (usize, usize) {
        BUFFERS.with(|b| {
            let b = b.borrow();
            let left = b.hits.iter().map(Vec::len).sum::<usize>()
                + b.keyword_hits.iter().map(Vec::len).sum::<usize>()
                + b.found.len()
                + b.raw_found.len();
            (left, b.bytes())
        })
    }

    #[test]
    fn a_scan_after_others_on_the_same_thread_finds_what_a_fresh_thread_finds() {
        let builtin = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
        let seed = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/cables/07ASTANA614.txt"
        ))
        .unwrap();
        let quiet = b"Nothing to report.\n".to_vec();
        let alone =
            |doc: &[u8]| std::thread::scope(|s| s.spawn(|| builtin.scan(doc)).join().unwrap());
        let (seed_alone, quiet_alone) = (alone(&seed), alone(&quiet));
        assert!(seed_alone.len() > 10);
        assert!(quiet_alone.is_empty());
        // A scanner with one rule in between: the kept buffers change length.
        let small = scanner(&rule("['zz[0-9]']", "[zz]"));
        for _ in 0..2 {
            assert_eq!(builtin.scan(&seed), seed_alone);
            assert_eq!(kept().0, 0, "hits left over for the next document");
            assert_eq!(builtin.scan(&quiet), quiet_alone);
            assert_eq!(spans(&small, "a zz9 b"), ["zz9"]);
        }
    }

    #[test]
    fn the_buffers_of_a_document_with_many_hits_are_let_go() {
        let small = scanner(&rule("['zz[0-9]']", "[zz]"));
        assert_eq!(spans(&small, "a zz9 b"), ["zz9"]);
        let (_, ordinary) = kept();
        assert!(ordinary > 0 && ordinary <= BUFFERS_KEEP);
        let many = "zz1 ".repeat(20_000);
        assert_eq!(small.scan(many.as_bytes()).len(), 20_000);
        assert_eq!(kept(), (0, 0));
        assert_eq!(spans(&small, "a zz9 b"), ["zz9"]);
        assert!(kept().1 > 0);
    }

    fn scanner(yaml: &str) -> Scanner {
        let no_dict = |name: &str| -> Result<String, String> { Err(format!("no {name}")) };
        let rule = parse_rule("t.yaml", yaml, false, &no_dict).unwrap();
        let mut set = RuleSet::new();
        set.extend(vec![rule]).unwrap();
        Scanner::new(&set).unwrap()
    }

    fn rule(patterns: &str, keywords: &str) -> String {
        format!(
            "id: t.one\ncategory: test\nseverity: error\nmessage: m\ndescription: d\n\
             patterns: {patterns}\nkeywords: {keywords}\nexamples: [x]\nnegative_examples: [y]\n"
        )
    }

    fn spans(s: &Scanner, text: &str) -> Vec<String> {
        s.scan(text.as_bytes())
            .iter()
            .map(|f| text[f.span.clone()].to_string())
            .collect()
    }

    impl Facts {
        fn of_pattern(pattern: &str) -> Facts {
            Facts::of(regex_syntax::parse(pattern).ok().as_ref(), &[])
        }
    }

    #[test]
    fn a_group_m_around_the_whole_pattern_needs_no_captures() {
        assert!(!Facts::of_pattern(r"(?P<m>DECL: *\d+)").narrows);
        assert!(!Facts::of_pattern(r"(?m)(?P<m>a|b)").narrows);
        assert!(!Facts::of_pattern(r"plain").narrows);
        assert!(Facts::of_pattern(r"x(?P<m>a)").narrows);
        assert!(Facts::of_pattern(r"(?P<m>a)|b").narrows);
        assert!(Facts::of_pattern(r"(?:(?P<m>a)b)+").narrows);
        assert!(Facts::of_pattern(r"(?P<w>a(?P<m>b))").narrows);
    }

    #[test]
    fn a_match_narrows_to_group_m_when_it_took_part() {
        // Group `m` inside one branch only, a group before it, several matches per window.
        let s = scanner(&rule(r"['(?P<k>k)(?:x(?P<m>[0-9]+)|y[0-9]+)']", "['k']"));
        assert!(s.rule_facts(0).facts[0].narrows);
        assert_eq!(spans(&s, "kx12 ky34 kx5;kx6"), ["12", "ky34", "5", "6"]);
        assert!(spans(&s, "x12 y34").is_empty());
    }

    #[test]
    fn reach_knows_line_bound_and_length_bound_patterns() {
        assert!(Facts::of_pattern(r"(?m)^[ \t]*SECRET$").reach.line);
        assert!(!Facts::of_pattern(r"A\s+B").reach.line);
        assert_eq!(Facts::of_pattern(r"ab(?:c|de)").reach.len, Some(4));
        assert_eq!(Facts::of_pattern(r"a\s+b").reach.len, None);
        assert!(!Facts::of_pattern(r"a\s+b").reach.is_bounded());
    }

    /// [`Reach::windows`] with each hit's line searched for anew: the reference the kept
    /// line is checked against.
    fn windows_one_by_one(
        reach: Reach,
        text: &str,
        kw: &[Range<usize>],
        lead: bool,
    ) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut merged: Vec<Range<usize>> = Vec::new();
        for k in kw {
            let mut one = Vec::new();
            reach.windows(text, std::slice::from_ref(k), lead, &mut one);
            out.extend(one);
        }
        out.sort_by_key(|w| w.start);
        for w in out {
            match merged.last_mut() {
                Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
                _ => merged.push(w),
            }
        }
        merged
    }

    proptest::proptest! {
        // Cheap cases, and a hit holding a line break before another hit on its line is
        // rare among them: more than the default number.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        #[test]
        fn a_line_kept_from_hit_to_hit_gives_the_windows_of_each_hit_s_own_line(
            chars in proptest::collection::vec(
                proptest::sample::select(vec!['a', 'b', ' ', '\n', '\u{e9}']),
                0..60,
            ),
            hits in proptest::collection::vec((0usize..60, 0usize..6), 0..12),
            line in proptest::bool::ANY,
            len in proptest::option::of(1usize..30),
            lead in proptest::bool::ANY,
        ) {
            let text: String = chars.into_iter().collect();
            // Hits on character boundaries, in any order, some holding a line break.
            let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let kw: Vec<Range<usize>> = hits
                .iter()
                .map(|&(at, n)| {
                    let i = at % bounds.len();
                    bounds[i]..bounds[(i + n).min(bounds.len() - 1)]
                })
                .collect();
            let reach = Reach { line, len };
            let mut got = Vec::new();
            reach.windows(&text, &kw, lead, &mut got);
            proptest::prop_assert_eq!(got, windows_one_by_one(reach, &text, &kw, lead));
        }
    }

    /// The built-in portion-mark rule, with its keywords or without (then every pattern
    /// is searched over the whole text).
    fn portion(keywords: bool) -> Scanner {
        let builtin = RuleSet::builtin().unwrap();
        let mut rule = builtin.get("classification.portion").unwrap().clone();
        if !keywords {
            rule.keywords.clear();
        }
        let mut set = RuleSet::new();
        set.extend(vec![rule]).unwrap();
        Scanner::new(&set).unwrap()
    }

    #[test]
    fn each_pattern_is_searched_around_the_hits_its_matches_hold() {
        let s = portion(true);
        let holds = |j: usize| -> Vec<String> {
            s.rule_facts(0).facts[j]
                .holds
                .iter()
                .flatten()
                .map(|t| String::from_utf8_lossy(t).into_owned())
                .collect()
        };
        // `(C` in capitals for the marks, `SBU)` or `NF)` for the damaged ones, `(c` in
        // lower case for `6. (c)`.
        assert!(holds(0).contains(&"(C".to_string()), "{:?}", holds(0));
        assert!(!holds(0).contains(&"(c".to_string()), "{:?}", holds(0));
        assert_eq!(holds(2), ["NF)", "SBU)"]);
        assert!(holds(3).contains(&"(c".to_string()) && !holds(3).contains(&"(C".to_string()));
        let text = "1. (C) One.\n2. (c) two. (S//NF) and (SBU)\n12. SBU) three\nSUBJECT: X (S)\n";
        assert_eq!(
            spans(&s, text),
            ["(C)", "(c)", "(S//NF)", "(SBU)", "SBU)", "(S)"]
        );
        assert_eq!(spans(&s, text), spans(&PORTION.1, text));
    }

    #[test]
    fn a_window_is_searched_up_to_its_last_needed_hit_and_no_further() {
        // Each match holds a hit of `(C`, so a search past the window's last one finds
        // nothing; a match starting right at it is still found.
        let s = scanner(&rule(r"['(?P<m>\(C\))(?: |$)']", "['(C']"));
        assert!(s.rule_facts(0).facts[0].holds.is_some());
        assert_eq!(spans(&s, "(C) (C) "), ["(C)", "(C)"]);
        assert_eq!(spans(&s, "x (C) (C)"), ["(C)", "(C)"]);
        let mut lasts = Vec::new();
        last_starts(&[2..4, 9..11, 30..32], &[0..20, 25..40, 50..60], &mut lasts);
        assert_eq!(lasts, [9, 30, usize::MAX]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// Searching each pattern only around the hits its matches hold, and no further than
        /// the last of them, finds what searching the whole text finds.
        #[test]
        fn portion_marks_found_around_their_hits_are_those_of_a_whole_search(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "(C)", "(c)", "(S//NF)", "(SBU)", "(sbu)", "SBU)", "NF)", "(U)", "(TS)",
                    "(S/REL NATO)", "(C/NF)", "1. ", "12. ", "6.", " ", "  ", "\n", "\t",
                    "Title: ", "SUBJECT: ", "x", "para", ". ", ": ", "-- ", "\u{b6}", "(",
                    ")", "C", "s",
                ]),
                0..40,
            ),
        ) {
            let text: String = pieces.concat();
            proptest::prop_assert_eq!(spans(&PORTION.0, &text), spans(&PORTION.1, &text));
        }
    }

    /// [`portion`] with and without keywords, built once for the property test's cases.
    static PORTION: std::sync::LazyLock<(Scanner, Scanner)> =
        std::sync::LazyLock::new(|| (portion(true), portion(false)));

    #[test]
    fn windowed_patterns_find_what_a_whole_document_search_finds() {
        // Line-bound (`[a-z]+` cannot cross a line break) and length-bound (`\s{1,3}`).
        let s = scanner(&rule(r"['\b[a-z]+-OP-\d+\b', 'X\s{1,3}OP:\d']", "['OP']"));
        let text = "first line\nsee abc-OP-12 and x-OP-3\n\nother\nX\n OP:7 end op-OP-9";
        let whole: Vec<String> = ["abc-OP-12", "x-OP-3", "X\n OP:7", "op-OP-9"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(spans(&s, text), whole);
        // A word boundary at a window's edge sees the real neighbour: `OP-1` glued to a
        // letter after the window is no match.
        assert_eq!(spans(&s, "ab-OP-1x\nab-OP-2"), vec!["ab-OP-2"]);
    }

    #[test]
    fn a_runs_first_documents_and_its_later_ones_find_the_same() {
        let scanner = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
        let first = scanner.scan(WARM_UP_CABLE.as_bytes());
        assert!(first.len() > 10, "{first:?}");
        let portion = scanner
            .rules()
            .iter()
            .find(|r| r.id == "classification.portion")
            .unwrap();
        // The first documents search the portion marks without a prefilter...
        assert!(portion.patterns.iter().all(|p| !p.is_compiled()));
        assert!(
            portion
                .patterns
                .iter()
                .all(|p| p.is_compiled_for_scan(true))
        );
        for _ in 0..=TABLE_AFTER {
            assert_eq!(scanner.scan(WARM_UP_CABLE.as_bytes()), first);
        }
        // ...and the later ones with the whole pattern.
        assert!(
            portion
                .patterns
                .iter()
                .all(crate::rules::Pattern::is_compiled)
        );
    }

    #[test]
    fn windows_that_start_at_a_leading_keyword_find_what_a_whole_search_finds() {
        let pattern = r"(?i-u:op)-\d+(?: op-\d+)*";
        let s = scanner(&rule(&format!("['{pattern}']"), "['op']"));
        assert!(s.rule_facts(0).facts[0].lead);
        let text = "xop-1 OP-2 op-3op-4; op-5 and op-6 op-; op-7";
        let whole: Vec<String> = regex::Regex::new(pattern)
            .unwrap()
            .find_iter(text)
            .map(|m| m.as_str().to_string())
            .collect();
        assert_eq!(whole, ["op-1", "OP-2 op-3", "op-4", "op-5", "op-6", "op-7"]);
        // The pattern is searched forward from its hits, from the first document on (and
        // the keyword walks change from the library's search to the table on the way).
        assert!(
            s.rule_facts(0).led[0]
                .as_ref()
                .is_some_and(|f| f.get().is_none())
        );
        for _ in 0..=TABLE_AFTER {
            assert_eq!(spans(&s, text), whole);
        }
        let led = s.rule_facts(0).led[0]
            .as_ref()
            .and_then(|f| f.get())
            .and_then(Option::as_ref);
        assert!(led.is_some(), "the pattern was searched anchored");
        // Without the scanner's merging of overlapping hits: the anchored searches alone
        // find no match inside another (`op-3` of `OP-2 op-3`).
        let kw: Vec<Range<usize>> = (0..text.len() - 1)
            .filter(|&i| text[i..i + 2].eq_ignore_ascii_case("op"))
            .map(|i| i..i + 2)
            .collect();
        let mut out = Vec::new();
        if let Some(forward) = led {
            led_matches(
                &s.rules[0],
                forward,
                || None,
                s.rule_facts(0).facts[0].reach,
                text,
                &kw,
                &mut out,
            )
            .unwrap();
        }
        let got: Vec<&str> = out.iter().map(|h| &text[h.span.clone()]).collect();
        assert_eq!(got, whole);
    }

    #[test]
    fn a_forward_search_that_gives_up_leaves_the_pattern_to_its_windows() {
        let pattern = r"(?i-u:op)-[0-9]+(?: op-[0-9]+)*";
        let s = scanner(&rule(&format!("['{pattern}']"), "['op']"));
        let text = "xop-1 OP-2 op-3op-4; op-5 and op-6 op-; op-7";
        let whole = spans(&s, text);
        assert_eq!(whole, ["op-1", "OP-2 op-3", "op-4", "op-5", "op-6", "op-7"]);
        let mut s = scanner(&rule(&format!("['{pattern}']"), "['op']"));
        s.rule_facts(0);
        if let Some(facts) = s.facts[0].get_mut() {
            facts.led[0] = Some(OnceLock::from(forward::Forward::giving_up(pattern)));
        }
        assert!(
            s.rule_facts(0).led[0]
                .as_ref()
                .is_some_and(|f| f.get().is_some_and(Option::is_some))
        );
        assert_eq!(spans(&s, text), whole);
    }

    #[test]
    fn anchored_searches_see_the_text_around_their_window() {
        // A look-behind before the keyword, a look-ahead after the match, a line end.
        let pattern = r"(?-u:\b)(?i-u:ref) [0-9]{1,3}(?-u:\b)";
        let s = scanner(&rule(&format!("['{pattern}']"), "['ref']"));
        assert!(s.rule_facts(0).facts[0].searched_from_keywords());
        let text = "xref 1; REF 22\nref 333x ref 4444 ref 5\nref";
        let whole: Vec<String> = regex::Regex::new(pattern)
            .unwrap()
            .find_iter(text)
            .map(|m| m.as_str().to_string())
            .collect();
        assert_eq!(whole, ["REF 22", "ref 5"]);
        assert_eq!(spans(&s, text), whole);
        assert!(
            s.rule_facts(0).led[0]
                .as_ref()
                .is_some_and(|f| f.get().is_some_and(Option::is_some))
        );
    }

    #[test]
    fn a_rule_with_a_fix_is_searched_from_its_keywords_and_fixed_from_its_groups() {
        let pattern = r"¶(?P<y>(?:19|20)[0-9][0-9])(?-u:\b)";
        let yaml = rule(&format!("['{pattern}']"), "['¶']") + "fix: '${y}'\n";
        let text = "¶1. (C) In ¶2009, ¶20101 and ¶1999x; then ¶¶2011.\n¶12. By ¶1987";
        let re = regex::Regex::new(pattern).unwrap();
        let whole: Vec<(String, String)> = re
            .captures_iter(text)
            .map(|c| (c[0].to_string(), c["y"].to_string()))
            .collect();
        assert_eq!(whole.len(), 3);
        let s = scanner(&yaml);
        assert!(s.rule_facts(0).facts[0].searched_from_keywords());
        // Past the first documents too, when the whole pattern is compiled.
        for _ in 0..=TABLE_AFTER {
            let got: Vec<(String, String)> = s
                .scan(text.as_bytes())
                .iter()
                .map(|f| {
                    let fix = f.fix.clone().unwrap_or_default();
                    (text[f.span.clone()].to_string(), fix)
                })
                .collect();
            assert_eq!(got, whole);
        }
        assert!(
            s.rule_facts(0).led[0]
                .as_ref()
                .is_some_and(|f| f.get().is_some_and(Option::is_some)),
            "the pattern was searched anchored"
        );
    }

    #[test]
    fn a_match_without_a_keyword_is_named() {
        let s = scanner(&rule(r"['\d{3}-\d{4}']", "['tel']"));
        assert_eq!(s.keyword_misses(0, "tel 555-1234"), vec!["555-1234"]);
        let s = scanner(&rule(r"['tel \d{3}-\d{4}']", "['tel']"));
        assert!(s.keyword_misses(0, "TEL 555-1234").is_empty());
    }
}
