//! Cable conventions: where cables put names by habit rather than in prose. Routing and
//! action lines (`DEPT FOR NEA/MAG (JOHNSON, NARDI)`, `NSC FOR YERGER`), user ids on
//! `DRAFTED:`/`CLEARED:`/`APPROVED:` lines (`POL:STWILLIAMS`), the `Classified By:` line, and
//! the signature on the closing line.
//!
//! These helpers read the normalised view with small local patterns; they are kept apart so
//! that they can switch to the cable structure parser (`src/cable/`) once it is available.

use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use memchr::memmem::Finder;

use super::analysis::Skip;
use super::cues;
use super::evidence::{Analysis, Cue, Found, Lists};
use super::tokens::Shape;
use crate::rules::pattern::LazyRegex;
use crate::rules::schema::Confidence;
use crate::text::{find_blank_line, floor_char};

/// Office symbols and routing words that follow `FOR` but are not people.
const OFFICES: &[&str] = &[
    "and", "army", "attn", "caa", "cia", "dao", "dea", "defense", "dept", "dhs", "doe", "doj",
    "dos", "energy", "eucom", "fbi", "info", "justice", "navy", "nsc", "opic", "pass", "polad",
    "state", "treasury", "usaid", "usdoc", "ustr",
];

/// The convention of a user id on a drafting line; such ids are not propagated.
pub(crate) const USER_ID: &str = "user id on a drafting line";

/// What the conventions found: names, and stretches of text whose names need no other cue.
#[derive(Debug, Default)]
pub(crate) struct Conventions {
    /// Names found by convention.
    pub found: Vec<Found>,
    /// View byte ranges (with the convention's name) where any name-shaped piece is a name.
    pub windows: Vec<(Range<usize>, &'static str)>,
}

/// Stretches with no names in prose: the telegram header (from `VZCZC` or `FM` to the
/// classification banner) and the `TAGS:` line.
pub(crate) fn skip_regions(text: &str) -> Skip {
    const STARTS: &[&str] = &[
        "VZCZC",
        "FM AMEMBASSY",
        "FM AMCONSUL",
        "FM SECSTATE",
        "FM USMISSION",
    ];
    const ENDS: &[&str] = &[
        "SIPDIS",
        "SECTION ",
        "C O N F I D E N T I A L",
        "S E C R E T",
        "U N C L A S",
        "UNCLAS",
        "E.O.",
        "SUBJECT:",
    ];
    static STARTS_AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    static ENDS_AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    // One automaton per list: a single pass that stops at the first hit, where a substring
    // search per pattern would scan the whole header once for each. A contiguous NFA: the
    // DFA `aho-corasick` picks for so few patterns took a one-file run longer to build than
    // a cable's header takes to search.
    let build = |pats: &[&str]| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(pats)
            .ok()
    };
    let head = text.get(..floor_char(text, HEAD)).unwrap_or(text);
    let mut out = Vec::new();
    let (Some(starts), Some(ends)) = (
        STARTS_AC.get_or_init(|| build(STARTS)).as_ref(),
        ENDS_AC.get_or_init(|| build(ENDS)).as_ref(),
    ) else {
        return Skip::new(out);
    };
    if let Some(s) = starts.find(head) {
        let from = s.end();
        let e = head
            .get(from..)
            .and_then(|rest| ends.find(rest))
            .map_or(head.len(), |m| from + m.start());
        out.push(s.start()..e);
    }
    // Searchers built once: building one takes longer than a cable's header takes to search.
    static TAGS: LazyLock<[Finder<'static>; 2]> =
        LazyLock::new(|| [b"TAGS".as_slice(), b"SUBJECT"].map(Finder::new));
    let [tags, subject] = &*TAGS;
    if let Some(at) = tags.find(head.as_bytes()) {
        let rest = head.get(at..).unwrap_or("");
        // The stretch ends at the first `SUBJECT` or blank line within 800 bytes: a search
        // that could still find one starting before 800 goes no further.
        let window = rest.as_bytes().get(..rest.len().min(800 + "SUBJECT".len()));
        let window = window.unwrap_or_default();
        let len = [subject.find(window), find_blank_line(window)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(rest.len())
            .min(800);
        out.push(at..at + len);
    }
    Skip::new(out)
}

/// How far into a cable its header (routing, subject, `Classified By:`) may reach.
const HEAD: usize = 8192;

/// Run every convention over the analysed document.
pub(crate) fn find(a: &Analysis<'_>) -> Conventions {
    let mut c = Conventions::default();
    let header_end = header_end(a.text);
    routing_parens(a, header_end, &mut c);
    routing_for(a, header_end, &mut c);
    user_ids(a, &mut c);
    classified_by(a, &mut c);
    signature(a, &mut c);
    c
}

/// The routing block ends at the subject or the E.O. line.
fn header_end(text: &str) -> usize {
    static RE: LazyRegex = LazyRegex::new(r"(?-u:\b)(?:SUBJECT|Subject|E\.O\.|TAGS)(?-u:\b)");
    RE.get()
        .and_then(|r| r.find_iter(text).find(|m| m.start() > 200))
        .map_or(text.len().min(3000), |m| m.start())
}

/// Token index starting at view byte `at`.
fn token_at(a: &Analysis<'_>, at: usize) -> Option<usize> {
    let i = a.tokens.partition_point(|t| t.start < at);
    a.tokens.get(i).filter(|t| t.start == at).map(|_| i)
}

fn push(c: &mut Conventions, tokens: Range<usize>, what: &'static str, lists: Lists) {
    c.found.push(Found {
        tokens,
        confidence: Confidence::High,
        cue: Cue::Convention(what),
        lists,
    });
}

/// `G/TIP (MHALL)`, `NEA/MAG (JOHNSON, NARDI)`, `USTR (EISSENSTAT/MELLE)`.
fn routing_parens(a: &Analysis<'_>, end: usize, c: &mut Conventions) {
    static RE: LazyRegex = LazyRegex::new(r"[A-Z]\s?\(([A-Z][A-Z' .,/-]*)\)");
    let Some(r) = RE.get() else {
        return;
    };
    let head = a.text.get(..end).unwrap_or("");
    for caps in r.captures_iter(head) {
        let Some(span) = caps.get_group(1) else {
            continue;
        };
        let Some(list) = head.get(span.range()) else {
            continue;
        };
        let mut at = span.start;
        for item in list.split([',', '/']) {
            let item_start = at + (item.len() - item.trim_start().len());
            at += item.len() + 1;
            for part in item.trim().split(" AND ") {
                let off = item_start + item.trim().find(part).unwrap_or(0);
                routing_item(a, off, part.trim_end(), c);
            }
        }
    }
}

fn routing_item(a: &Analysis<'_>, at: usize, item: &str, c: &mut Conventions) {
    let letters = item.bytes().filter(u8::is_ascii_alphabetic).count();
    let marking = ["SBU", "NF", "NOFORN", "REL", "ORCON"].contains(&item);
    if letters < 3 || marking || item.split(' ').any(|w| w.len() > 1 && is_office(w)) {
        return;
    }
    let (Some(first), Some(last)) = (token_at(a, at), last_token(a, at + item.len())) else {
        return;
    };
    if first < last + 1 {
        push(c, first..last + 1, "routing line", Lists::Unlisted);
    }
}

fn last_token(a: &Analysis<'_>, end: usize) -> Option<usize> {
    let i = a.tokens.partition_point(|t| t.end <= end);
    i.checked_sub(1).filter(|&j| a.tokens[j].end == end)
}

fn is_office(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_ascii_alphabetic());
    OFFICES.iter().any(|o| o.eq_ignore_ascii_case(w)) || cues::is_title(w)
}

/// `NSC FOR YERGER`, `TREASURY FOR MOGER/KNOWLES`, `ENERGY FOR L. EINSTEIN`: names after
/// `FOR` in the routing block, up to the next separator. Offices there (`FOR NEA/MAG`) are
/// short codes in no name list; a name must be in one.
fn routing_for(a: &Analysis<'_>, end: usize, c: &mut Conventions) {
    for t in &a.tokens {
        if t.start >= end {
            break;
        }
        // The bytes, not `a.word`: this runs for every word of the routing block.
        if a.text.as_bytes().get(t.start..t.end) != Some(b"FOR") {
            continue;
        }
        let rest = a.text.get(t.end..end).unwrap_or("");
        // Only a separator starting in the first 60 bytes matters: search no further.
        // One pass over its bytes tests every separator at each byte (a substring search
        // apiece would build a searcher for each `FOR`).
        let window = rest.as_bytes().get(..64).unwrap_or(rest.as_bytes());
        let stop = (0..window.len())
            .find(|&i| {
                matches!(window[i], b';' | b',' | b'(' | b')' | b'\n')
                    || [&b" AND "[..], b" FOR ", b"  "]
                        .iter()
                        .any(|s| window[i..].starts_with(s))
            })
            .unwrap_or(rest.len())
            .min(60);
        // The cap can fall inside a character: cut at the character's start.
        let head = rest.get(..floor_char(rest, stop)).unwrap_or("");
        let mut at = t.end;
        for item in head.split(['/', ':']) {
            let off = at + (item.len() - item.trim_start().len());
            at += item.len() + 1;
            routing_name(a, off, item.trim(), c);
        }
    }
}

fn routing_name(a: &Analysis<'_>, at: usize, item: &str, c: &mut Conventions) {
    let words: Vec<&str> = item.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() || words.len() > 3 || words.iter().any(|w| is_office(w)) {
        return;
    }
    let (Some(first), Some(last)) = (token_at(a, at), last_token(a, at + item.len())) else {
        return;
    };
    let names: Vec<usize> = (first..=last)
        .filter(|&i| a.tokens[i].shape == Shape::Upper)
        .collect();
    let good = |i: usize| {
        let l = a.lex(i);
        l.name() && !l.place() && a.word(i).len() >= 4 && !cues::is_not_name(a.word(i))
    };
    if !names.is_empty()
        && names.iter().all(|&i| a.lex(i).name() || a.lex(i).unknown())
        && names.iter().any(|&i| good(i))
    {
        push(c, first..last + 1, "routing line", Lists::Name);
    }
}

/// `DRAFTED: POL:STWILLIAMS`, `CLEARED: A/DCM:TEWILLIAMS; ECON:CMCRUMPLER`.
fn user_ids(a: &Analysis<'_>, c: &mut Conventions) {
    static KW: LazyRegex = LazyRegex::new(r"(?:DRAFTED|CLEARED|APPROVED|RELEASED)(?: BY)?:");
    static ID: LazyRegex = LazyRegex::in_small_spans(r"[A-Z][A-Z/]*:\s?([A-Z][A-Z'-]{2,})");
    let (Some(kw), Some(id)) = (KW.get(), ID.get()) else {
        return;
    };
    for m in kw.find_iter(a.text) {
        let rest = a.text.get(m.end()..).unwrap_or("");
        let stop = find_blank_line(rest.as_bytes())
            .unwrap_or(rest.len())
            .min(300);
        // The cap can fall inside a character: cut at the character's start.
        let ids = rest.get(..floor_char(rest, stop)).unwrap_or("");
        for caps in id.captures_iter(ids) {
            let Some(name) = caps.get_group(1) else {
                continue;
            };
            if let Some(t) = token_at(a, m.end() + name.start) {
                push(c, t..t + 1, USER_ID, Lists::Unlisted);
            }
        }
    }
}

/// Most characters between `Classified By:` and its reasons that still make one line of
/// names.
const MAX_CLASSIFIER_CHARS: usize = 160;

/// The `Classified By:` line up to its reasons: its names need no other cue.
fn classified_by(a: &Analysis<'_>, c: &mut Conventions) {
    // A case-insensitive regex over the whole text has no fast literal prefilter; finding
    // the two spellings cables use first keeps this to a few anchored matches.
    for at in find_classified(a.text) {
        let start = at.saturating_sub(1);
        if let Some(m) = a.text.get(start..).and_then(classifier) {
            c.windows
                .push((start + m.start..start + m.end, "`Classified By:` line"));
        }
    }
}

/// In `t`, which starts with `Classified By`, where the classifier's words stand: after the
/// label, up to the reasons, a blank line or the end, on one line of at most
/// [`MAX_CLASSIFIER_CHARS`] characters.
///
/// The line reads as `^(?i:classified by):?\s(.+?)(?:(?i:reasons?|for reasons)|1\.[45]|\n\n|$)`
/// with the gap (group 1) measured after the match: the first end the lazy gap finds is the
/// one a bounded `.{1,160}?` would find when it lies within 160 characters, and there is none
/// otherwise (a bounded repetition of `.` compiles to 160 copies of the UTF-8 automaton for
/// any character: about a millisecond of every run's start-up).
///
/// It is searched in two steps that need no capture engine (which cost about 15,000
/// instructions a line): the label, anchored; then the earliest place, after a first
/// character, where one of the gap's ends stands, within the label's line and the two bytes
/// after it. The gap cannot take a line break, so no end further on can close it: a blank
/// line (`\n\n`) is the last one that can.
fn classifier(t: &str) -> Option<Range<usize>> {
    static LABEL: LazyRegex = LazyRegex::in_small_spans(r"^(?i:classified by):?\s");
    static END: LazyRegex = LazyRegex::in_small_spans(r"(?i:reasons?|for reasons)|1\.[45]|\n\n|$");
    let label = LABEL.get()?;
    let end = END.get()?;
    let start = label.find(t)?.end();
    // `.+?`: one character at least (a line break there ends the line before the gap: no
    // end can stand within it, as `stop` then shows).
    let first = t.get(start..)?.chars().next()?;
    let line_end = memchr::memchr(b'\n', &t.as_bytes()[start..]).map_or(t.len(), |p| start + p);
    let within = start + first.len_utf8()..(line_end + 2).min(t.len());
    let stop = end
        .find(regex_automata::Input::new(t).range(within))?
        .start();
    if stop > line_end {
        return None;
    }
    (t.get(start..stop)?.chars().count() <= MAX_CLASSIFIER_CHARS).then_some(start..stop)
}

/// Offsets of every `lassified`/`LASSIFIED` in the header, in order.
fn find_classified(text: &str) -> Vec<usize> {
    let head = text.get(..floor_char(text, HEAD)).unwrap_or("");
    static LOWER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("lassified"));
    static UPPER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("LASSIFIED"));
    let mut at: Vec<usize> = LOWER
        .find_iter(head.as_bytes())
        .chain(UPPER.find_iter(head.as_bytes()))
        .collect();
    at.sort_unstable();
    at
}

/// Words that may trail a cable after its signature.
fn is_trailer(word: &str) -> bool {
    word.bytes().all(|b| b == b'X' || b == b'x')
        || ["CABLE", "ENDS", "END", "TEXT", "NNNN", "BT"].contains(&word)
}

/// The signature: the last capitalised word(s) of the cable, standing alone after a
/// sentence or a line (`... End comment. STEVENS`, `van Voorst`, `ORDWAY ORDWAY`).
fn signature(a: &Analysis<'_>, c: &mut Conventions) {
    let mut last = a.tokens.len();
    while last > 0 && is_trailer(a.word(last - 1)) {
        last -= 1;
    }
    let Some(end) = last.checked_sub(1) else {
        return;
    };
    // A title (`Ambassador`) is no signer, and a document that is one word has no signature.
    if !matches!(a.tokens[end].shape, Shape::Cap | Shape::Upper)
        || cues::is_not_name(a.word(end))
        || cues::is_title(a.word(end))
        || end == 0
    {
        return;
    }
    let mut start = end;
    if start > 0 && a.tokens[start].joined && is_name_part(a, start - 1) && start - 1 > 0 {
        start -= 1;
    }
    // `ORDWAY ORDWAY`: the name signed twice.
    let twice = start == end && start > 0 && a.word(start - 1) == a.word(end);
    if twice {
        start -= 1;
    }
    // `(SBU)` before a trailer is a portion mark, not a signer.
    let text = a.text.as_bytes();
    let (first, last_byte) = (a.tokens[start].start, a.tokens[end].end);
    if first.checked_sub(1).and_then(|i| text.get(i)) == Some(&b'(')
        || text.get(last_byte) == Some(&b')')
    {
        return;
    }
    let lead = start.checked_sub(1).map(|p| a.word(p));
    let alone = a.sentence_start(start) || !a.tokens[start].joined || lead.is_some_and(is_trailer);
    if !alone {
        return;
    }
    if twice {
        push(c, start..start + 1, "signature", Lists::Unlisted);
        start += 1;
    }
    push(c, start..end + 1, "signature", Lists::Unlisted);
}

/// `van` or `VAN` before a signature surname.
fn is_name_part(a: &Analysis<'_>, i: usize) -> bool {
    let w = a.word(i);
    matches!(
        w,
        "van" | "VAN" | "Van" | "de" | "DE" | "De" | "von" | "VON" | "Von"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const LABELS: &[&str] = &[
        "Classified By:",
        "CLASSIFIED BY:",
        "classified by",
        "Classified by:\n",
    ];
    const WORDS: &[&str] = &[
        "Ambassador",
        "Jane",
        "Q.",
        "Ordmann,",
        "Deputy Chief of Mission",
        "été",
        "reaſons",
        "FOR REAſON",
        "for",
        "reasons",
        "REASON",
        "1.4",
        "1.5",
        "(b)",
        "\n",
        "\n\n",
        "Department of State, Office of Something Rather Long Indeed",
    ];

    proptest::proptest! {
        /// The unbounded gap with its length checked finds what the bounded `.{1,160}?` of
        /// the pattern as first written found.
        #[test]
        fn the_checked_gap_finds_what_the_bounded_gap_found(
            label in proptest::sample::select(LABELS),
            words in proptest::collection::vec(proptest::sample::select(WORDS), 0..14),
        ) {
            let bounded = regex::Regex::new(
                r"^(?i:classified by):?\s(.{1,160}?)(?:(?i:reasons?|for reasons)|1\.[45]|\n\n|$)",
            )
            .unwrap();
            let text = format!("{label} {}", words.join(" "));
            let want = bounded
                .captures(&text)
                .and_then(|c| c.get(1))
                .map(|m| m.range());
            proptest::prop_assert_eq!(classifier(&text), want, "{:?}", text);
        }
    }

    #[test]
    fn a_classifier_line_ends_at_its_reasons() {
        let t = "Classified By: Ambassador Jane Ordmann, reasons 1.4 (b) and (d)";
        assert_eq!(
            classifier(t).map(|r| &t[r]),
            Some("Ambassador Jane Ordmann, ")
        );
        let long = format!("Classified By: {} 1.4 (b)", "word ".repeat(40));
        assert_eq!(
            classifier(&long),
            None,
            "more than 160 characters before the reasons"
        );
        let gap = |n: usize| format!("Classified By: {} 1.4 (b)", "é".repeat(n - 1));
        assert_eq!(classifier(&gap(160)).map(|r| r.len()), Some(159 * 2 + 1));
        assert_eq!(classifier(&gap(161)), None);
    }

    #[test]
    fn the_header_and_the_tags_line_are_skipped_and_nothing_after_them() {
        let text = "VZCZCXRO1234\nFM AMEMBASSY OSLO\nTO SECSTATE WASHDC\nC O N F I D E N T I A L \
                    OSLO 000123\n\nE.O. 12958\nTAGS: PGOV PREL NO\nSUBJECT: LUNCH WITH THE \
                    MINISTER\n\n1. (C) Ordmann said";
        let skip = skip_regions(text);
        let at = |s: &str| text.find(s).unwrap();
        assert!(skip.holds(at("AMEMBASSY")));
        assert!(!skip.holds(at("C O N F")), "the banner ends the header");
        assert!(!skip.holds(at("E.O.")));
        assert!(skip.holds(at("PGOV")), "the tags line, after the header");
        assert!(!skip.holds(at("SUBJECT")));
        assert!(!skip.holds(at("Ordmann")));
        assert!(!skip_regions("Ordmann said").holds(0));
    }

    #[test]
    fn the_tags_stretch_ends_at_a_subject_or_blank_line_up_to_800_bytes_on() {
        // `TAGS:` at 0, then tag codes of five bytes each (` PGOV`), padded to `end`.
        let tags = |end: usize, after: &str| {
            let mut t = String::from("TAGS:");
            while t.len() + 5 <= end {
                t.push_str(" PGOV");
            }
            t.push_str(&" ".repeat(end - t.len()));
            t + after
        };
        // Ended by `SUBJECT` late in the window; the last byte it can start at is 799.
        for end in [700, 799] {
            let text = tags(end, "SUBJECT: TALKS WITH ORDMANN\n");
            let skip = skip_regions(&text);
            assert!(skip.holds(end - 1), "{end}");
            assert!(!skip.holds(end), "{end}");
        }
        // A blank line ends it too.
        let text = tags(650, "\n\nORDMANN SAID");
        let skip = skip_regions(&text);
        assert!(skip.holds(649));
        assert!(!skip.holds(650));
        // With neither within 800 bytes it stops at 800, whatever stands later.
        for after in ["", "SUBJECT: X", "\n\nX"] {
            let text = tags(1000, after);
            let skip = skip_regions(&text);
            assert!(skip.holds(799), "{after:?}");
            assert!(!skip.holds(800), "{after:?}");
        }
    }
}
