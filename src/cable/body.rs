//! The banner with the caveat and action lines under it, and the body's numbered paragraphs
//! and lettered items with their portion marks.

use std::ops::Range;

use super::fields::head_key;
use super::lines::{Line, tokens};
use super::marking::{Level, is_caveat_word};
use super::paragraph::{Paragraph, paragraph_at};

/// The banner line: the cable's own classification at the top of its text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Banner {
    /// The whole banner line.
    pub line: Range<usize>,
    /// The classification words (`UNCLAS`, `C O N F I D E N T I A L`).
    pub marking: Range<usize>,
    /// Their level.
    pub level: Level,
    /// `SECTION 01 OF 16`: this section and the number of sections.
    pub section: Option<(u32, u32)>,
}

const LETTER_SPACED: &[(&[u8], Level)] = &[
    (b"T O P S E C R E T", Level::TopSecret),
    (b"C O N F I D E N T I A L", Level::Confidential),
    (b"U N C L A S S I F I E D", Level::Unclassified),
    (b"S E C R E T", Level::Secret),
    (b"TOP SECRET", Level::TopSecret),
    (b"UNCLASSIFIED", Level::Unclassified),
    (b"CONFIDENTIAL", Level::Confidential),
    (b"UNCLAS", Level::Unclassified),
    (b"SECRET", Level::Secret),
];

/// The level and classification words of a banner-shaped line: a marking at the start
/// (after at most a few stray digits or quotes), and nothing lower-case after it.
pub(crate) fn banner_level(bytes: &[u8], line: &Line) -> Option<(Level, Range<usize>)> {
    let t = &bytes[line.trimmed.clone()];
    let skip = t
        .iter()
        .take(8)
        .take_while(|b| b.is_ascii_digit() || **b == b'"' || **b == b'\'')
        .count();
    let rest = &t[skip..];
    if rest.iter().any(u8::is_ascii_lowercase) {
        return None;
    }
    let (word, level) = LETTER_SPACED.iter().find(|(w, _)| rest.starts_with(w))?;
    if rest.get(word.len()).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let start = line.trimmed.start + skip;
    Some((*level, start..start + word.len()))
}

/// Find the banner within `window` lines from `from`.
pub(crate) fn parse_banner(
    bytes: &[u8],
    lines: &[Line],
    from: usize,
    window: usize,
) -> Option<(Banner, usize)> {
    let end = lines.len().min(from + window);
    (from..end).find_map(|i| {
        let (level, marking) = banner_level(bytes, &lines[i])?;
        let line = lines[i].trimmed.clone();
        let section = section_of(bytes, marking.end..line.end);
        Some((
            Banner {
                line,
                marking,
                level,
                section,
            },
            i + 1,
        ))
    })
}

fn section_of(bytes: &[u8], r: Range<usize>) -> Option<(u32, u32)> {
    let toks: Vec<&[u8]> = tokens(bytes, r).map(|t| &bytes[t]).collect();
    let at = toks.iter().position(|t| *t == b"SECTION")?;
    let n = super::lines::number(toks.get(at + 1)?)?;
    (toks.get(at + 2)? == b"OF").then_some(())?;
    Some((n, super::lines::number(toks.get(at + 3)?)?))
}

/// Whether every word of a line is a caveat (`SIPDIS`, `SENSITIVE, SIPDIS`, `NOFORN`).
pub(crate) fn is_caveat_line(bytes: &[u8], line: &Line) -> bool {
    let t = &bytes[line.trimmed.clone()];
    !t.is_empty()
        && t.split(|b| *b == b' ' || *b == b',' || *b == b'/')
            .filter(|w| !w.is_empty())
            .all(|w| is_caveat_word(w) || w == b"TO" || w.starts_with(b"REL"))
}

/// Caveat lines, then action lines, after the banner; returns both and the next line index.
pub(crate) fn caveats_and_actions(
    bytes: &[u8],
    lines: &[Line],
    from: usize,
) -> (Vec<Range<usize>>, Vec<Range<usize>>, usize) {
    let (mut caveats, mut actions) = (Vec::new(), Vec::new());
    let mut i = from;
    while let Some(line) = lines.get(i) {
        if !line.is_blank() && !is_caveat_line(bytes, line) {
            break;
        }
        if !line.is_blank() {
            caveats.push(line.trimmed.clone());
        }
        i += 1;
    }
    // Action lines and more caveat lines may alternate up to the first head key
    // (`ENERGY FOR L. X` / `SENSITIVE` / `SIPDIS` / `E.O. 12958: N/A`).
    let end = lines.len().min(i + 12);
    let key_at = (i..end).find(|&j| head_key(bytes, &lines[j]).is_some());
    if let Some(k) = key_at {
        for l in lines[i..k].iter().filter(|l| !l.is_blank()) {
            if is_caveat_line(bytes, l) {
                caveats.push(l.trimmed.clone());
            } else {
                actions.push(l.trimmed.clone());
            }
        }
        i = k;
    }
    (caveats, actions, i)
}

/// Numbered or portion-marked paragraphs between lines `from` and `to`, skipping
/// page-break lines.
pub(crate) fn parse_paragraphs(
    bytes: &[u8],
    lines: &[Line],
    from: usize,
    to: usize,
    is_page_line: &dyn Fn(usize) -> bool,
) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut last_text_end = None;
    let mut after_blank = true;
    for (i, line) in lines.iter().enumerate().take(to).skip(from) {
        if is_page_line(i) {
            continue;
        }
        if line.is_blank() {
            after_blank = true;
            continue;
        }
        if let Some(p) = paragraph_at(bytes, line)
            && (p.mark.is_some() || starts_paragraph(bytes, line, &p, &out, after_blank))
        {
            close_last(&mut out, last_text_end);
            out.push(p);
        }
        after_blank = false;
        last_text_end = Some(line.trimmed.end);
    }
    close_last(&mut out, last_text_end);
    out
}

/// Whether an unmarked numbered line opens a paragraph rather than an item of a list inside
/// one (`1. Pension age ...` restarting under paragraph 2) or a number wrapped to the start of
/// a line: it stands after a blank line or behind a `¶`, and goes on from the last number.
fn starts_paragraph(
    bytes: &[u8],
    line: &Line,
    p: &Paragraph,
    before: &[Paragraph],
    after_blank: bool,
) -> bool {
    let pilcrow = bytes[line.trimmed.clone()].starts_with("¶".as_bytes());
    let last = before.iter().rev().find_map(|q| q.number);
    (after_blank || pilcrow) && p.number.zip(last).is_none_or(|(n, l)| n > l)
}

fn close_last(out: &mut [Paragraph], end: Option<usize>) {
    if let (Some(p), Some(e)) = (out.last_mut(), end) {
        p.range.end = p.range.end.max(e);
    }
}
