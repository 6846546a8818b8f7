//! Page breaks inside a cable's text (`ASTANA 00000614  002.2 OF 016`, `KABUL 00003025 002 OF
//! 002`, old-telegram `PAGE 02  ATHENS 02959  171944Z`), the banner repeated with them, page
//! headers a viewer has reflowed into a long line, and letter-spaced banner words.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::packed;
use memchr::memmem;

use super::body::{banner_level, is_caveat_line};
use super::lines::{Line, first_tokens, number, tokens};

/// One page break, in original bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PageBreak {
    /// The page header text (`ASTANA 00000614  002.2 OF 016`).
    pub header: Range<usize>,
    /// A classification banner or caveat line repeated right under the header.
    pub banner: Option<Range<usize>>,
    /// Whether the header stands inside a line of text (reflowed by a viewer).
    pub inline: bool,
    /// What the normalised view leaves out for this break: header, repeated banner, the line
    /// ends between them.
    pub skip: Range<usize>,
}

/// A banner word written letter by letter (`C O N F I D E N T I A L`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SpacedWord {
    /// The letter-spaced text.
    pub range: Range<usize>,
    /// The word it reads as.
    pub word: &'static str,
}

/// City tokens of a modern page header line: `CITY... NNNNN NNN(.N) OF NNN`.
fn modern_header(bytes: &[u8], line: &Line) -> Option<Range<usize>> {
    let (toks, n) = first_tokens::<9>(bytes, line.trimmed.clone());
    if !(5..=8).contains(&n) || !is_page_tail(bytes, &toks[n - 4..]) {
        return None;
    }
    let city = &toks[..n - 4];
    city.iter()
        .all(|t| {
            bytes[t.clone()]
                .iter()
                .all(|b| b.is_ascii_uppercase() || *b == b'-')
        })
        .then(|| city[0].start..city[city.len() - 1].end)
}

/// `00000614 002.2 OF 016`.
fn is_page_tail(bytes: &[u8], t: &[Range<usize>]) -> bool {
    let serial = &bytes[t[0].clone()];
    let page = &bytes[t[1].clone()];
    let page = page.split(|b| *b == b'.').next().unwrap_or_default();
    serial.len() >= 4
        && number(serial).is_some()
        && page.len() == 3
        && number(page).is_some()
        && &bytes[t[2].clone()] == b"OF"
        && bytes[t[3].clone()].len() == 3
        && number(&bytes[t[3].clone()]).is_some()
}

/// `PAGE 02 VATICA 01261 061419Z`.
fn old_header(bytes: &[u8], line: &Line) -> bool {
    // Most lines are settled by their first word, before any are gathered.
    if !bytes
        .get(line.trimmed.clone())
        .is_some_and(|l| l.starts_with(b"PAGE"))
    {
        return false;
    }
    let toks: Vec<&[u8]> = tokens(bytes, line.trimmed.clone())
        .take(8)
        .map(|t| &bytes[t])
        .collect();
    let (Some(first), Some(second), Some(last)) = (toks.first(), toks.get(1), toks.last()) else {
        return false;
    };
    toks.len() >= 4
        && *first == b"PAGE"
        && second.len() == 2
        && number(second).is_some()
        && last.len() == 7
        && last[6] == b'Z'
        && number(&last[..6]).is_some()
}

/// Whether a line repeats the banner under a page header: a marking alone, with its caveats
/// or its `SECTION` tail, or a caveat line.
fn is_repeated_banner(bytes: &[u8], line: &Line) -> bool {
    if is_caveat_line(bytes, line) {
        return true;
    }
    let Some((_, marking)) = banner_level(bytes, line) else {
        return false;
    };
    let rest = &bytes[marking.end..line.trimmed.end];
    let rest = rest.trim_ascii_start();
    rest.is_empty() || rest.starts_with(b"SECTION") || rest.starts_with(b"//")
}

/// Line-start offset of the line after `i` (or the end).
fn next_start(bytes: &[u8], lines: &[Line], i: usize) -> usize {
    lines.get(i + 1).map_or(bytes.len(), |l| l.full.start)
}

/// Full-line page breaks; returns them and the city their headers name.
pub(crate) fn line_breaks(
    bytes: &[u8],
    lines: &[Line],
    from: usize,
) -> (Vec<PageBreak>, Vec<usize>, Option<Range<usize>>) {
    let (mut out, mut idx, mut city) = (Vec::new(), Vec::new(), None);
    for i in from..lines.len() {
        let line = &lines[i];
        // Cheap tests before tokenising: a page header starts with a capital and ends with a
        // digit (`... OF 016`) or the `Z` of a date-time group.
        let last = line.trimmed.end.checked_sub(1).and_then(|i| bytes.get(i));
        if !bytes
            .get(line.trimmed.start)
            .is_some_and(u8::is_ascii_uppercase)
            || !last.is_some_and(|b| b.is_ascii_digit() || *b == b'Z')
        {
            continue;
        }
        let c = modern_header(bytes, line);
        if c.is_none() && !old_header(bytes, line) {
            continue;
        }
        city = city.or(c);
        idx.push(i);
        let mut pb = PageBreak {
            header: line.trimmed.clone(),
            banner: None,
            inline: false,
            skip: line.full.start..next_start(bytes, lines, i),
        };
        let next = (i + 1..lines.len().min(i + 4)).find(|&j| !lines[j].is_blank());
        if let Some(j) = next.filter(|&j| is_repeated_banner(bytes, &lines[j])) {
            pb.banner = Some(lines[j].trimmed.clone());
            pb.skip.end = next_start(bytes, lines, j);
            idx.push(j);
        }
        out.push(pb);
    }
    (out, idx, city)
}

/// Page headers reflowed into running text: `... company TRIPOLI 00001053 002.2 OF 003 worth
/// ...`. Only the cable's own city is looked for, so text that merely resembles a header is
/// left alone.
pub(crate) fn inline_breaks(bytes: &[u8], city: &[u8], taken: &[PageBreak]) -> Vec<PageBreak> {
    let mut out = Vec::new();
    if city.is_empty() {
        return out;
    }
    for at in memmem::find_iter(bytes, city) {
        if at > 0 && !bytes[at - 1].is_ascii_whitespace() {
            continue;
        }
        if taken.iter().any(|p| p.skip.contains(&at)) {
            continue;
        }
        let after = at + city.len();
        let (toks, n) = first_tokens::<4>(bytes, after..bytes.len().min(after + 40));
        if n < 4 || !is_page_tail(bytes, &toks) || bytes[after..toks[3].end].contains(&b'\n') {
            continue;
        }
        let header = at..toks[3].end;
        out.push(PageBreak {
            header: header.clone(),
            banner: None,
            inline: true,
            skip: header,
        });
    }
    out
}

const SPACED: &[(&str, &str)] = &[
    ("C O N F I D E N T I A L", "CONFIDENTIAL"),
    ("U N C L A S S I F I E D", "UNCLASSIFIED"),
    ("S E C R E T", "SECRET"),
    ("N O F O R N", "NOFORN"),
];

/// The search for [`SPACED`]: one vectorised pass for the four words (Teddy, where the
/// processor has it), where a substring search per word reads every document four times. No
/// word's letter-spaced end is another's start, so the occurrences a leftmost-first search
/// skips are those a search for the word alone skips too (one overlapping an earlier one of
/// the same word).
static SPACED_SEARCH: LazyLock<Option<packed::Searcher>> = LazyLock::new(|| {
    packed::Config::new()
        .match_kind(packed::MatchKind::LeftmostFirst)
        .builder()
        .extend(SPACED.iter().map(|(spaced, _)| spaced))
        .build()
});

/// Letter-spaced banner words anywhere in the text.
pub(crate) fn spaced_words(bytes: &[u8]) -> Vec<SpacedWord> {
    let Some(search) = SPACED_SEARCH.as_ref() else {
        return word_by_word(bytes);
    };
    search
        .find_iter(bytes)
        .filter_map(|m| spaced_at(bytes, m.start(), m.pattern().as_usize()))
        .collect()
}

/// [`spaced_words`] one word at a time.
fn word_by_word(bytes: &[u8]) -> Vec<SpacedWord> {
    let mut out: Vec<SpacedWord> = (0..SPACED.len())
        .flat_map(|k| {
            let spaced = SPACED[k].0.as_bytes();
            memmem::find_iter(bytes, spaced).filter_map(move |at| spaced_at(bytes, at, k))
        })
        .collect();
    out.sort_by_key(|s| s.range.start);
    out
}

/// The `k`th of [`SPACED`] found at `at`, unless it is glued to other letters or goes on
/// spelling (`S E C R E T A R Y`).
fn spaced_at(bytes: &[u8], at: usize, k: usize) -> Option<SpacedWord> {
    let (spaced, word) = SPACED.get(k)?;
    let end = at + spaced.len();
    let goes_on = bytes.get(end) == Some(&b' ')
        && bytes.get(end + 1).is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(end + 2).is_none_or(|b| !b.is_ascii_alphabetic());
    let glued = bytes.get(end).is_some_and(u8::is_ascii_alphanumeric)
        || (at > 0 && bytes[at - 1].is_ascii_alphanumeric());
    (!goes_on && !glued).then_some(SpacedWord {
        range: at..end,
        word,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn pairs(words: Vec<SpacedWord>) -> Vec<(Range<usize>, &'static str)> {
        words.into_iter().map(|w| (w.range, w.word)).collect()
    }

    fn found(bytes: &[u8]) -> Vec<(Range<usize>, &'static str)> {
        pairs(spaced_words(bytes))
    }

    /// What the single search must find: each word searched for on its own.
    fn word_by_word(bytes: &[u8]) -> Vec<(Range<usize>, &'static str)> {
        pairs(super::word_by_word(bytes))
    }

    #[test]
    fn spaced_words_are_found_side_by_side_and_not_inside_longer_spellings() {
        let text = b"C O N F I D E N T I A L  N O F O R N\nS E C R E T A R Y\nxS E C R E T";
        assert_eq!(found(text), [(0..23, "CONFIDENTIAL"), (25..36, "NOFORN")]);
        assert_eq!(found(text), word_by_word(text));
        // Where the processor has Teddy, the single search is what runs.
        #[cfg(target_arch = "x86_64")]
        assert!(SPACED_SEARCH.is_some());
    }

    proptest! {
        #[test]
        fn one_search_finds_what_a_search_per_word_finds(
            parts in prop::collection::vec(
                prop_oneof![
                    Just("C O N F I D E N T I A L"),
                    Just("U N C L A S S I F I E D"),
                    Just("S E C R E T"),
                    Just("N O F O R N"),
                    Just("N O F O R "),
                    Just(" "),
                    Just("\n"),
                    Just("A"),
                    Just("C O N"),
                    Just("S E"),
                ],
                0..24,
            ),
        ) {
            let text = parts.concat();
            prop_assert_eq!(found(text.as_bytes()), word_by_word(text.as_bytes()));
        }
    }
}
