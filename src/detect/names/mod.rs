//! The `names` detector: personal names in cables, from several kinds of evidence.
//!
//! 1. **Candidates** ([`tokens`]): runs of capitalised or all-capital words in the normalised
//!    view (so a name broken across a line wrap is one run).
//! 2. **Gazetteers** ([`gazetteer`]): given names and surnames with wide international
//!    coverage, with English words and places as counter-evidence.
//! 3. **Context cues** ([`cues`]): titles and roles before, reporting verbs and appositions
//!    after, organisation words that make a run something else.
//! 4. **Cable conventions** ([`cable`]): routing lines, drafting user ids, `Classified By:`,
//!    the signature.
//! 5. **Propagation** ([`propagate`]): words of names found with good evidence are names
//!    wherever else they stand in the document.
//!
//! Each kind of evidence can be switched off in the rule's `options:`, and an `allow` list
//! names people never to report.

mod analysis;
mod cable;
mod cues;
mod evidence;
mod gazetteer;
mod keys;
mod propagate;
mod table;
mod tokens;

use std::cell::{Cell, RefCell};
use std::ops::Range;

use serde::Deserialize;

use super::{Detector, Document, Hit};
use crate::rules::schema::{Confidence, MatchOn};
use evidence::{Analysis, Cue, Found, Lists};
use propagate::Known;

/// The detector's options, from the rule file's `options:` mapping.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Use the given-name, surname, English-word and place lists.
    pub gazetteers: bool,
    /// Use titles, roles, reporting verbs and appositions.
    pub context: bool,
    /// Use cable conventions (routing lines, drafting ids, `Classified By:`, signature).
    pub conventions: bool,
    /// Find later mentions of names found earlier in the same document.
    pub propagation: bool,
    /// Names never to report: a finding whose words all belong to one entry is dropped
    /// (`Ana Ruiz` also allows a bare `Ruiz`). Case and spacing are ignored.
    pub allow: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            gazetteers: true,
            context: true,
            conventions: true,
            propagation: true,
            allow: Vec::new(),
        }
    }
}

/// Finds personal names.
#[derive(Debug, Default)]
pub struct NameDetector {
    settings: Settings,
    /// The allow list, each entry split into lower-case words.
    allow: Vec<Vec<String>>,
}

impl NameDetector {
    /// A detector with `settings`.
    pub fn new(settings: Settings) -> Self {
        let allow = settings
            .allow
            .iter()
            .map(|n| n.split_whitespace().map(str::to_lowercase).collect())
            .collect();
        NameDetector { settings, allow }
    }

    /// A detector from a rule's `options:` value (absent means the defaults).
    ///
    /// # Errors
    /// An unknown option or a value of the wrong type, with serde's description.
    pub fn from_options(options: Option<&serde_json::Value>) -> Result<Self, String> {
        let settings = match options {
            None => Settings::default(),
            Some(v) => Settings::deserialize(v).map_err(|e| format!("names detector: {e}"))?,
        };
        Ok(NameDetector::new(settings))
    }

    fn allowed(&self, a: &Analysis<'_>, r: &Range<usize>) -> bool {
        self.allow.iter().any(|entry| {
            r.clone()
                .filter(|&i| matches!(a.tokens[i].shape, tokens::Shape::Cap | tokens::Shape::Upper))
                .all(|i| entry.iter().any(|w| w.eq_ignore_ascii_case(a.word(i))))
        })
    }
}

/// Buffers one thread reuses from document to document: a cable's words and their facts
/// need large vectors, and fresh ones for every document cost allocations and page faults.
#[derive(Default)]
struct Scratch {
    tokens: Vec<tokens::Token>,
    runs: Vec<Range<usize>>,
    lex: Vec<Cell<Option<gazetteer::Lex>>>,
    class: Vec<Cell<Option<u16>>>,
    judged: Judged,
}

/// Room [`NameDetector::judge`] fills and empties for each document.
#[derive(Default)]
struct Judged {
    /// Every name found, with its priority (see [`NameDetector::judge`]).
    found: Vec<(u8, Found)>,
    /// The names one pass finds.
    pass: Vec<Found>,
    /// The runs (by index) whose verdict a known word could change.
    open: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Most tokens a thread's kept buffers may hold (a document of ~400 KB; a cable has a few
/// thousand).
const SCRATCH_KEEP: usize = 1 << 16;

/// How runs are judged: with the shortcuts that spare work without changing a verdict, or
/// (for tests) without them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Judging {
    /// The second pass judges again only the runs holding a known word whose first verdict
    /// was open (see [`evidence::judge_run`]): a closed verdict comes out the same, and the
    /// first pass's copy of it wins the overlap. A lone acronym in prose is settled before
    /// its cue is looked for.
    Quick,
    /// Every run holding a known word is judged again, and every lone word's cue is looked
    /// for: the same names as [`Judging::Quick`].
    #[cfg(test)]
    Plain,
}

impl Detector for NameDetector {
    fn needs_raw(&self) -> bool {
        // Everything is read from the normalised view (wraps joined); see `cable.rs`.
        false
    }

    fn reads_structure(&self) -> bool {
        // The detector finds the cable conventions it needs in the view itself.
        false
    }

    fn detect(&self, doc: &Document<'_>, out: &mut Vec<Hit>) {
        self.detect_with(doc, out, Judging::Quick);
    }
}

impl NameDetector {
    /// [`Detector::detect`], judging runs as `judging` says.
    fn detect_with(&self, doc: &Document<'_>, out: &mut Vec<Hit>, judging: Judging) {
        let text = doc.view.text();
        let Scratch {
            tokens: mut toks,
            mut runs,
            mut lex,
            mut class,
            mut judged,
        } = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        toks.clear();
        runs.clear();
        tokens::tokenize(text, &mut toks, &mut runs);
        lex.clear();
        lex.resize(toks.len(), Cell::new(None));
        class.clear();
        class.resize(toks.len(), Cell::new(None));
        let mut a = Analysis {
            class,
            text,
            lex,
            use_lists: self.settings.gazetteers,
            tokens: toks,
            windows: Vec::new(),
            skip: cable::skip_regions(text),
        };
        let conventions = if self.settings.conventions {
            cable::find(&a)
        } else {
            cable::Conventions::default()
        };
        a.windows = conventions.windows;
        let found = self.judge(&a, &runs, &conventions.found, judging, &mut judged);
        for f in found {
            // Conventions (routing parentheses, signatures) read whatever stands in their
            // slot; an earlier redaction standing there is no name.
            let marker_only = f.tokens.clone().all(|i| {
                let t = &a.tokens[i];
                tokens::is_redaction_marker(text, t.start, t.end)
            });
            if marker_only || self.allowed(&a, &f.tokens) {
                continue;
            }
            let span = a.tokens[f.tokens.start].start..a.tokens[f.tokens.end - 1].end;
            out.push(Hit {
                on: MatchOn::View,
                span,
                fix: None,
                confidence: Some(f.confidence),
                note: Some(note(&a, &f)),
            });
        }
        let scratch = Scratch {
            tokens: a.tokens,
            runs,
            lex: a.lex,
            class: a.class,
            judged,
        };
        // The buffers of an unusually large document are let go, so that memory after it
        // falls back to what ordinary documents need.
        if scratch.tokens.capacity() <= SCRATCH_KEEP {
            SCRATCH.with(|s| *s.borrow_mut() = scratch);
        }
    }

    /// Judge every run, twice when propagation is on: the second pass knows the names the
    /// first found with good evidence. `room` is left empty.
    fn judge(
        &self,
        a: &Analysis<'_>,
        runs: &[Range<usize>],
        convention: &[Found],
        judging: Judging,
        room: &mut Judged,
    ) -> Vec<Found> {
        let mut known = Known::default();
        // (priority, found): conventions first, then the first pass, then propagation, so a
        // name keeps the evidence it was first found on.
        let Judged { found, pass, open } = room;
        found.extend(convention.iter().map(|f| (0, f.clone())));
        // The runs whose verdict a known word could change.
        for (k, r) in runs.iter().enumerate() {
            let is_open = self.judge_run(judging, a, r, &known, pass);
            if is_open || judging != Judging::Quick {
                open.push(k);
            }
        }
        if self.settings.propagation {
            for f in pass.iter().chain(convention) {
                seed(a, f, &mut known);
            }
        }
        found.extend(pass.drain(..).map(|f| (1, f)));
        if !known.is_empty() {
            known.freeze(a.tokens.len());
            // Only runs holding a known word can judge differently the second time.
            let holds_known = |r: &Range<usize>| {
                r.clone().any(|i| {
                    matches!(a.tokens[i].shape, tokens::Shape::Cap | tokens::Shape::Upper)
                        && known.contains_token(a, i)
                })
            };
            for r in open
                .iter()
                .filter_map(|&k| runs.get(k))
                .filter(|r| holds_known(r))
            {
                self.judge_run(judging, a, r, &known, pass);
            }
            found.extend(pass.drain(..).map(|f| (2, f)));
        }
        open.clear();
        // Overlaps: keep the earliest, then the longest, then the first found.
        found.sort_by_key(|(p, f)| (f.tokens.start, std::cmp::Reverse(f.tokens.end), *p));
        let mut kept: Vec<Found> = Vec::with_capacity(found.len());
        for (_, f) in found.drain(..) {
            if kept.last().is_some_and(|k| f.tokens.start < k.tokens.end) {
                continue;
            }
            kept.push(f);
        }
        kept
    }

    /// [`evidence::judge_run`] of `run`, with the shortcuts `judging` allows.
    fn judge_run(
        &self,
        judging: Judging,
        a: &Analysis<'_>,
        run: &Range<usize>,
        known: &Known,
        out: &mut Vec<Found>,
    ) -> bool {
        match judging {
            Judging::Quick => {
                evidence::judge_run::<true>(a, run.clone(), known, &self.settings, out)
            }
            #[cfg(test)]
            Judging::Plain => {
                evidence::judge_run::<false>(a, run.clone(), known, &self.settings, out)
            }
        }
    }
}

/// Remember the words of a name found with good evidence. A word that is also an ordinary
/// word or a place (`Ford`, `Jordan`) is remembered only when a context cue or convention
/// vouched for the name, not on list evidence alone.
fn seed(a: &Analysis<'_>, f: &Found, known: &mut Known) {
    // A possessive is weak evidence: good enough to report, not to vouch for other mentions.
    let weak = matches!(f.cue, Cue::Possessive(_) | Cue::Convention(cable::USER_ID));
    if f.confidence < Confidence::Medium || weak {
        return;
    }
    let cued = !matches!(f.cue, Cue::None | Cue::Earlier) && f.tokens.len() == 1;
    for i in f.tokens.clone() {
        let lex = a.lex(i);
        let word = a.word(i);
        if matches!(a.tokens[i].shape, tokens::Shape::Cap | tokens::Shape::Upper)
            && !a.is(i, cues::class::TITLE)
            && (cued || !(lex.english() || lex.place()))
        {
            known.add(word);
        }
    }
}

/// The evidence in words, for the finding's note: "title 'Minister' + surname list". Built
/// with pushes rather than `format!`: there is one per name found, and formatting cost more.
fn note(a: &Analysis<'_>, f: &Found) -> String {
    let (what, word) = match f.cue {
        Cue::None => ("", None),
        Cue::Title(i) => ("title", Some(i)),
        Cue::Honorific(i) => ("honorific", Some(i)),
        Cue::Role(i) => ("role", Some(i)),
        Cue::Verb(i) => ("after it", Some(i)),
        Cue::Apposition(i) => ("apposition", Some(i)),
        Cue::Possessive(_) => ("possessive", None),
        Cue::Earlier => ("name found earlier in the document", None),
        Cue::Convention(what) => (what, None),
    };
    let lists = match f.lists {
        Lists::GivenSurname => "given-name and surname lists",
        Lists::Names => "name lists",
        Lists::Name => "name list",
        Lists::Unlisted if matches!(f.cue, Cue::Convention(_)) => "",
        Lists::Unlisted => "capitalised words in no list",
    };
    let mut out = String::with_capacity(64);
    match (f.cue, word) {
        // `'said' after it`
        (Cue::Verb(_), Some(i)) => {
            out.push('\'');
            out.push_str(a.word(i));
            out.push_str("' ");
            out.push_str(what);
        }
        // `apposition ', Head'`
        (Cue::Apposition(_), Some(i)) => {
            out.push_str(what);
            out.push_str(" ', ");
            out.push_str(a.word(i));
            out.push('\'');
        }
        // `title 'Minister'`
        (_, Some(i)) => {
            out.push_str(what);
            out.push_str(" '");
            out.push_str(a.word(i));
            out.push('\'');
        }
        (_, None) => out.push_str(what),
    }
    if !out.is_empty() && !lists.is_empty() {
        out.push_str(" + ");
    }
    out.push_str(lists);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    /// The normalised view of `src` and what `d` finds in it.
    fn detect_in(d: &NameDetector, src: &str) -> (text::View, Vec<crate::detect::Hit>) {
        detect_judging(d, src, Judging::Quick)
    }

    /// [`detect_in`], judging runs as `judging` says.
    fn detect_judging(
        d: &NameDetector,
        src: &str,
        judging: Judging,
    ) -> (text::View, Vec<crate::detect::Hit>) {
        let view = text::normalized(src.as_bytes());
        let raw = text::raw(src.as_bytes());
        let cable = crate::cable::Cable::parse(src.as_bytes());
        let doc = Document {
            bytes: src.as_bytes(),
            view: &view,
            raw: &raw,
            region: None,
            cable: &cable,
        };
        let mut hits = Vec::new();
        d.detect_with(&doc, &mut hits, judging);
        (view, hits)
    }

    /// Words of invented prose for [`shortcuts_change_no_verdict`]: names that are also
    /// ordinary words or places, names in capitals (of four, five and more letters), short
    /// names, titles, verbs, particles, acronyms, organisation words and sentence ends.
    #[rustfmt::skip]
    const PROSE: &[&str] = &[
        "Quillfeather", "QUILLFEATHER", "Ordmann", "ORDMANN", "Kvaranto", "Tulenko", "Bexari",
        "Ford", "Hope", "Rose", "Young", "Jordan", "Georgia", "Paris", "John", "Maria", "Ivan",
        "Minister", "Ambassador", "Mr.", "Dr.", "Charge", "said", "told", "met", "the", "of",
        "and", "al", "bin", "van", "NEA", "DATT", "EmbOff", "Foundation", "Ministry", "March",
        "Post", "XXXXXXXXXXXX", "A.", "J.", "Quillfeather's", "Ordmann,s", "in", "with", "1.",
        "(C)", "Vek", "VEK", "Tolka", "TOLKA", "SUBJECT:", "MINISTER",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        /// Judging again only the runs whose first verdict was open, and settling lone
        /// acronyms before their cue, finds what judging without these shortcuts finds.
        #[test]
        fn shortcuts_change_no_verdict(
            words in proptest::collection::vec(
                (
                    proptest::sample::select(PROSE),
                    proptest::sample::select(&[" ", " ", " ", ", ", ". ", "\n", "\n\n"][..]),
                ),
                1..60,
            ),
        ) {
            let src: String = words.iter().flat_map(|(w, gap)| [*w, *gap]).collect();
            let d = default();
            let (_, quick) = detect_judging(&d, &src, Judging::Quick);
            let (_, plain) = detect_judging(&d, &src, Judging::Plain);
            proptest::prop_assert_eq!(quick, plain, "{:?}", src);
        }
    }

    #[test]
    fn earlier_redactions_in_convention_slots_are_no_names() {
        let d = default();
        let src = "DEPT FOR EUR/WE (XXXXXXXXXXXX), S/P (QUILLFEATHER)\n\nText.\n";
        let found = names(&d, src);
        assert!(found.iter().all(|n| !n.contains("XXXX")), "{found:?}");
    }

    /// Names found in `text` (invented names only), as the text they cover.
    fn names(d: &NameDetector, src: &str) -> Vec<String> {
        let (view, hits) = detect_in(d, src);
        hits.iter()
            .map(|h| view.text()[h.span.clone()].to_string())
            .collect()
    }

    fn default() -> NameDetector {
        NameDetector::new(Settings::default())
    }

    #[test]
    fn titles_verbs_and_appositions_are_cues() {
        let d = default();
        assert_eq!(names(&d, "They met Ambassador Ordmann today."), ["Ordmann"]);
        assert_eq!(names(&d, "Later Kvaranto said no."), ["Kvaranto"]);
        assert_eq!(
            names(&d, "We saw Bexari Tulenko, Head of the Customs Service."),
            ["Bexari Tulenko"]
        );
    }

    #[test]
    fn a_name_found_once_is_found_again() {
        let d = default();
        let src = "Minister Gulnara Sarsenbayeva spoke. Later SARSENBAYEVA,s aide and \
                   then Sarsenbayeva came.";
        assert_eq!(
            names(&d, src),
            ["Gulnara Sarsenbayeva", "SARSENBAYEVA", "Sarsenbayeva"]
        );
        let off = NameDetector::from_options(Some(&serde_json::json!({"propagation": false})));
        let off = off.unwrap_or_default();
        assert_eq!(names(&off, src), ["Gulnara Sarsenbayeva"]);
    }

    #[test]
    fn organisations_places_months_and_jargon_are_not_names() {
        let d = default();
        let src = "The Fulbright Program met the Embassy in March. Post told EmbOff that \
                   XXXXXXXXXXXX left Kazakhstan for Costa Rica.";
        assert!(names(&d, src).is_empty(), "{:?}", names(&d, src));
    }

    #[test]
    fn a_drafting_line_whose_300_byte_cap_falls_inside_a_character_is_read_up_to_it() {
        // `é` takes bytes 299 and 300 after `DRAFTED:`: slicing at 300 panicked.
        let src = format!("DRAFTED: POL:JORDMANN {}é and more\n", "a".repeat(285));
        assert_eq!(src.find('é'), Some("DRAFTED:".len() + 299));
        assert_eq!(names(&default(), &src), ["JORDMANN"]);
    }

    #[test]
    fn a_routing_name_after_for_ends_at_the_first_separator() {
        let d = default();
        let cable = |sep: &str| {
            format!(
                "R 011200Z JAN 09\nFM AMEMBASSY OSLO\nTO SECSTATE WASHDC\n\
                 INFO NSC FOR QUINLAN{sep}HALLORAN MARSDEN\n\nE.O. 12958: N/A\n\
                 SUBJECT: VISIT\n\n1. (C) The visit went well.\n"
            )
        };
        assert_eq!(names(&d, &cable(" ")), ["QUINLAN HALLORAN MARSDEN"]);
        for sep in [";", ",", "(", ")", " AND "] {
            assert_eq!(names(&d, &cable(sep)), ["QUINLAN"], "{sep:?}");
        }
        // Another `FOR` starts a routing name of its own.
        assert_eq!(names(&d, &cable(" FOR ")), ["QUINLAN", "HALLORAN MARSDEN"]);
    }

    #[test]
    fn cable_conventions_find_routing_ids_classified_by_and_signature() {
        let d = default();
        let src = "DEPT FOR EUR/CARC (QUINLAN)\n\nE.O. 12958: N/A\nSUBJECT: VISIT\n\n\
                   Classified By: Charge Petra Lindqvist, reasons 1.4 (b)\n\n\
                   1. (C) The visit went well.\nDRAFTED: POL:JRMARSDEN\n\nHALLORAN\n";
        assert_eq!(
            names(&d, src),
            ["QUINLAN", "Petra Lindqvist", "JRMARSDEN", "HALLORAN"]
        );
    }

    #[test]
    fn cues_before_a_name_read_the_gap_and_the_words_before_it() {
        let d = default();
        let notes = |src: &str| -> Vec<(String, String)> {
            let (view, hits) = detect_in(&d, src);
            hits.into_iter()
                .map(|h| {
                    let text = view.text()[h.span].to_string();
                    (text, h.note.unwrap_or_default())
                })
                .collect()
        };
        let title = |t: &str| format!("title '{t}' + capitalised words in no list");
        let honorific = "honorific 'Mr' + capitalised words in no list".to_string();
        let kvaranto = |note: String| vec![("Kvaranto".to_string(), note)];
        // `A/S Kvaranto`: the tokenizer sees `A` and `S`; after `A/S:` the gap is `: `.
        assert_eq!(notes("They met A/S Kvaranto today."), kvaranto(title("S")));
        assert_eq!(notes("They met U/S Kvaranto today."), kvaranto(title("S")));
        assert_eq!(
            notes("Present were A/S: Kvaranto and others."),
            kvaranto(title("S"))
        );
        assert_eq!(
            notes("Later Mr. Kvaranto left."),
            kvaranto(honorific.clone())
        );
        assert_eq!(notes("Later Mr Kvaranto left."), kvaranto(honorific));
        // After `, ` the title furthest back over `of`, `the` and capitalised words.
        assert_eq!(
            notes("The Minister of Foreign Affairs, Bexari Tulenko, spoke."),
            [("Bexari Tulenko".to_string(), title("Minister"))]
        );
    }

    #[test]
    fn a_word_repeated_in_a_run_ends_the_name_in_any_case() {
        // Two mentions, not a name of two words (the second, in capitals in prose, reads as
        // an acronym).
        let d = default();
        assert_eq!(
            names(&d, "Minister Kvaranto KVARANTO said no."),
            ["Kvaranto"]
        );
    }

    #[test]
    fn the_allow_list_drops_a_name_and_its_bare_surname() {
        let opts = serde_json::json!({"allow": ["Tomasz Wielicki"]});
        let d = NameDetector::from_options(Some(&opts)).unwrap_or_default();
        let src = "President Tomasz Wielicki met Minister Ana Kovarik. Wielicki said yes.";
        assert_eq!(names(&d, src), ["Ana Kovarik"]);
    }

    #[test]
    fn a_possessive_is_a_cue_but_vouches_for_no_other_mention() {
        let d = default();
        let src = "They discussed Kvarnstal's offer. Kvarnstal came later.";
        assert_eq!(names(&d, src), ["Kvarnstal"]);
    }

    #[test]
    fn unknown_options_are_refused() {
        let bad = serde_json::json!({"gazeteers": false});
        let err = NameDetector::from_options(Some(&bad)).unwrap_err();
        assert!(err.contains("gazeteers"), "{err}");
    }

    #[test]
    fn findings_carry_their_evidence() {
        let d = default();
        let src = "They met Ambassador Ordmann today.";
        let (_, hits) = detect_in(&d, src);
        assert_eq!(hits.len(), 1);
        let note = hits[0].note.clone().unwrap_or_default();
        assert!(note.starts_with("title 'Ambassador'"), "{note}");
    }

    #[test]
    fn notes_name_each_kind_of_evidence() {
        let d = default();
        let notes = |src: &str| -> Vec<String> {
            let (_, hits) = detect_in(&d, src);
            hits.into_iter().filter_map(|h| h.note).collect()
        };
        assert_eq!(
            notes("Later Kvaranto said no."),
            ["'said' after it + capitalised words in no list"]
        );
        assert_eq!(
            notes("We saw Bexari Tulenko, Head of the Customs Service."),
            ["apposition ', Head' + capitalised words in no list"]
        );
        assert_eq!(
            notes("They discussed Kvarnstal's offer."),
            ["possessive + capitalised words in no list"]
        );
        // A convention with no list evidence says only what it is.
        assert_eq!(
            notes("DEPT FOR EUR/CARC (QUINLAN)\n\nText.\n"),
            ["routing line"]
        );
    }
}
