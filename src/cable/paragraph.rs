//! A paragraph's start: its number (`2.`), or its lettered item (`B)`), and its portion
//! mark (`(SBU)`). The body's paragraphs and the header's fields both need to know where
//! one starts.

use std::ops::Range;

use super::lines::Line;
use super::marking::{Marking, parse_portion};

/// One paragraph or portion of the body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Paragraph {
    /// From the paragraph's first byte to the end of its last non-blank line.
    pub range: Range<usize>,
    /// The paragraph number (`2` of `2. (SBU) ...`), when numbered.
    pub number: Option<u32>,
    /// The portion mark with its parentheses (`(SBU)`), when marked.
    pub mark: Option<Range<usize>>,
    /// What the portion mark says.
    pub marking: Option<Marking>,
}

/// Paragraph start at a line: number and portion mark.
pub(crate) fn paragraph_at(bytes: &[u8], line: &Line) -> Option<Paragraph> {
    let r = line.trimmed.clone();
    let mut i = r.start;
    if bytes[r.clone()].starts_with("¶".as_bytes()) {
        i += "¶".len();
    }
    let digits = bytes[i..r.end]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    // `1.4 (b)` continuing a `Classified By` line is not paragraph 1: a blank must follow.
    let after_dot = bytes.get(i + digits + 1).copied();
    let number = if digits > 0
        && digits <= 3
        && bytes.get(i + digits) == Some(&b'.')
        && (i + digits + 1 >= r.end || matches!(after_dot, Some(b' ' | b'\t' | b'(')))
    {
        let n = super::lines::number(&bytes[i..i + digits]);
        i += digits + 1;
        n
    } else {
        // A lettered item (`A) (S//NF) ...`, `B. (C) ...`) is a portion when it is marked.
        if digits == 0 && lettered_item(&bytes[i..r.end]) {
            i += 2;
        }
        None
    };
    while i < r.end && bytes[i] == b' ' {
        i += 1;
    }
    let (mark, marking) = portion_mark(bytes, i, r.end).unzip();
    if number.is_none() && mark.is_none() {
        return None;
    }
    Some(Paragraph {
        range: r,
        number,
        marking,
        mark,
    })
}

fn lettered_item(t: &[u8]) -> bool {
    matches!(t, [l, b'.' | b')', b' ', b'(', ..] if l.is_ascii_uppercase())
}

/// The portion mark at `i` (before `end`), with its parentheses, and what it says.
fn portion_mark(bytes: &[u8], i: usize, end: usize) -> Option<(Range<usize>, Marking)> {
    if bytes.get(i) != Some(&b'(') {
        return None;
    }
    let close = bytes[i..end.min(i + 32)].iter().position(|b| *b == b')')?;
    let inner = std::str::from_utf8(&bytes[i + 1..i + close]).ok()?;
    parse_portion(inner).map(|m| (i..i + close + 1, m))
}
