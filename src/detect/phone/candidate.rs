//! Phone candidates: digit runs with the separators people write, split where two numbers
//! stand side by side, extended by an extension, and bounded so that a run glued to a word
//! (`MSI2558-695`, `071206Z`) is no candidate.

use std::ops::Range;

use regex::Regex;

/// A digit run with `+`, parentheses, dots, dashes, slashes and single spaces between digits.
pub(super) const RUN: &str = r"[+(]{0,2}\d(?:[ ]?[\d()./\-])*\d";

/// An extension written right after a number (`x2294`, `, ext. 12`); a page-mark `¶` that a
/// wrap pushed before the digits is kept.
/// An office's short name may stand before the word (`, JOC extension 6200`).
pub(super) const EXTENSION: &str = r"^(?:,? ?(?:[A-Z]{2,6} )?(?i:x|ext\.?|extension) ?¶?\d{1,6})";

/// Words that may be glued to a number's end without making it part of a word.
const GLUED_CUES: &[&str] = &["fax", "tel", "email", "e-mail", "cell", "mobile"];

/// Every candidate span of `text`, in order.
pub(super) fn candidates(text: &str, run: &Regex, extension: &Regex) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for m in run.find_iter(text) {
        for piece in split(text, m.range()) {
            let piece = balance_open_paren(text, piece);
            let piece = extend(text, piece, extension);
            // An extension's digits were already taken by the number before it.
            let taken = out.last().is_some_and(|last| piece.start < last.end);
            if !taken && bounded(text, &piece) {
                out.push(piece);
            }
        }
    }
    out
}

/// Split a run at a lone `/` between numbers and where a complete grouped number
/// (`283-7161`) is followed by another (`283-7162`).
fn split(text: &str, run: Range<usize>) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = run.start;
    let mut prev: Option<&str> = None;
    let mut at = run.start;
    for token in text[run.clone()].split(' ') {
        let here = at;
        at += token.len() + 1;
        if token == "/" {
            push_trimmed(text, start..here, &mut pieces);
            start = at;
            prev = None;
            continue;
        }
        if let Some(p) = prev
            && ends_complete(p)
            && starts_grouped(token)
        {
            push_trimmed(text, start..here, &mut pieces);
            start = here;
        }
        prev = Some(token);
    }
    push_trimmed(text, start..run.end, &mut pieces);
    pieces
}

fn ends_complete(token: &str) -> bool {
    let b = token.as_bytes();
    let tail = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    tail == 4 && b.len() > 4 && matches!(b[b.len() - 5], b'-' | b'.')
}

fn starts_grouped(token: &str) -> bool {
    let digits = token.bytes().filter(u8::is_ascii_digit).count();
    let lead = token
        .trim_start_matches('(')
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    digits >= 6 && (2..=4).contains(&lead) && token.contains(['-', '.', ')'])
}

fn push_trimmed(text: &str, mut r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    while r.end > r.start && !b[r.end - 1].is_ascii_digit() {
        r.end -= 1;
    }
    while r.start < r.end && !matches!(b[r.start], b'0'..=b'9' | b'+' | b'(') {
        r.start += 1;
    }
    if r.start < r.end {
        out.push(r);
    }
}

/// `(176` is the number `176` in parentheses: an opening parenthesis with no closing one
/// is not part of the number.
fn balance_open_paren(text: &str, mut r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    if s.matches('(').count() > s.matches(')').count() && s.starts_with('(') {
        r.start += 1;
    }
    r
}

fn extend(text: &str, r: Range<usize>, extension: &Regex) -> Range<usize> {
    match extension.find(&text[r.end..]) {
        Some(m) => r.start..r.end + m.end(),
        None => r,
    }
}

/// Not glued to a word on either side (a cue word glued after is allowed: `3334fax:`).
fn bounded(text: &str, r: &Range<usize>) -> bool {
    let mut back = text[..r.start].chars().rev();
    let before = back.next();
    if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '#' | '_' | '-' | '/')) {
        return false;
    }
    // `9,059` and `3.25`: the tail of a larger number.
    if before.is_some_and(|c| c == ',' || c == '.')
        && back.next().is_some_and(|c| c.is_ascii_digit())
    {
        return false;
    }
    let rest = &text[r.end..];
    let mut ahead = rest.chars();
    // `200,000`: the head of a larger number.
    if matches!(ahead.next(), Some(',' | '.')) && ahead.next().is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    match rest.chars().next() {
        Some(c) if c.is_ascii_digit() => false,
        Some(c) if c.is_alphabetic() => {
            let lower = rest
                .get(..8.min(rest.len()))
                .unwrap_or("")
                .to_ascii_lowercase();
            GLUED_CUES.iter().any(|w| lower.starts_with(w))
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let run = Regex::new(RUN).unwrap();
        let ext = Regex::new(EXTENSION).unwrap();
        candidates(text, &run, &ext)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn neighbours_split_and_extensions_join() {
        assert_eq!(found("Tel: 555-0101 555-0102 or"), ["555-0101", "555-0102"]);
        assert_eq!(
            found("(202) 555-0101 / 555-0102"),
            ["(202) 555-0101", "555-0102"]
        );
        assert_eq!(found("+1-202-555-0101x1234 then"), ["+1-202-555-0101x1234"]);
        assert_eq!(
            found("+1-202-555-0101, ext. 12."),
            ["+1-202-555-0101, ext. 12"]
        );
    }

    #[test]
    fn glued_runs_are_no_candidates() {
        assert!(found("MSI1234-567 and 101200Z").is_empty());
        assert_eq!(found("number (188) in"), ["188"]);
        assert_eq!(found("(56)(2)555-0101fax: x"), ["(56)(2)555-0101"]);
    }
}
