//! Phone candidates: digit runs with the separators people write, split where two numbers
//! stand side by side, extended by an extension, and bounded so that a run glued to a word
//! (`MSI2558-695`, `071206Z`) is no candidate.

use std::ops::Range;

use crate::rules::pattern::LazyRegex;
use crate::text::mask16;

/// A digit run with `+`, parentheses, dots, dashes, slashes and single spaces between digits;
/// [`runs`] finds what this pattern finds, without a regex.
#[cfg(test)]
pub(super) const RUN: &str = r"[+(]{0,2}\d(?:[ ]?[\d()./\-])*\d";

/// A byte that may stand inside a run (after an optional single space).
fn in_run(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'(' | b')' | b'.' | b'/' | b'-')
}

/// The digit runs of `text`, exactly as `RUN` finds them with `find_iter` (leftmost, greedy,
/// not overlapping), in one pass over the bytes: the pattern matches every pair of digits in
/// a cable, and a scan by hand is several times cheaper than the regex engine there.
///
/// From a start (at most two `+`/`(` then a digit), a run stretches over bytes of
/// [`in_run`], each optionally after one space; it ends after its last digit that has no
/// space before it (the pattern's final `\d` cannot take a space). A start whose stretch has
/// no such digit fails, and so does every start inside that stretch but the last two bytes
/// (a `(` there may begin a run through a `+` the stretch stopped at), so the scan resumes
/// there: the work stays linear.
pub(super) fn runs(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let n = b.len();
    // Room for a run every 64 bytes, about what a cable has: growing by doubling from
    // nothing took most of a cable's allocations here.
    let mut out = Vec::with_capacity(n / 64);
    let mut s = 0;
    while s < n {
        let Some(off) = run_start(&b[s..]) else {
            break;
        };
        s += off;
        let mut k = 0;
        while k < 3 && s + k < n && matches!(b[s + k], b'+' | b'(') {
            k += 1;
        }
        let p = s + k;
        if k > 2 || p >= n || !b[p].is_ascii_digit() {
            s += 1;
            continue;
        }
        let mut i = p + 1;
        let mut end = None;
        loop {
            if i < n && in_run(b[i]) {
                if b[i].is_ascii_digit() {
                    end = Some(i + 1);
                }
                i += 1;
            } else if i + 1 < n && b[i] == b' ' && in_run(b[i + 1]) {
                i += 2;
            } else {
                break;
            }
        }
        match end {
            Some(e) => {
                out.push(s..e);
                s = e;
            }
            // Every start inside the stretch fails too, except a `(` or two just before a
            // `+` that ended it (`0(+00`: the run is `(+00`).
            None => s = i.saturating_sub(2).max(s + 1),
        }
    }
    out
}

/// Where the first byte that may start a run stands: a digit, `+` or `(`. This scan walks
/// every byte of every document, so it classes sixteen bytes at a time
/// ([`mask16::digit_or`]) and finds the byte from the block's mask.
fn run_start(bytes: &[u8]) -> Option<usize> {
    mask16::first(
        bytes,
        |b, i| mask16::digit_or(b, i, [b'+', b'(']),
        |&b| starts_run(b),
    )
}

/// A digit, `+` or `(`, tested without branches.
#[inline(always)]
fn starts_run(b: u8) -> bool {
    (b.wrapping_sub(b'0') < 10) | (b == b'+') | (b == b'(')
}

/// An extension written right after a number (`x2294`, `, ext. 12`); a page-mark `¶` that a
/// wrap pushed before the digits is kept.
/// An office's short name may stand before the word (`, JOC extension 6200`).
static EXTENSION: LazyRegex =
    LazyRegex::new(r"^(?:,? ?(?:[A-Z]{2,6} )?(?i:x|ext\.?|extension) ?¶?\d{1,6})");

/// Words that may be glued to a number's end without making it part of a word.
const GLUED_CUES: &[&str] = &["fax", "tel", "email", "e-mail", "cell", "mobile"];

/// Every candidate span of `text`, in order.
pub(super) fn candidates(text: &str) -> Vec<Range<usize>> {
    let runs = runs(text);
    // Room for a candidate per run: most runs are one piece, and few are dropped.
    let mut out: Vec<Range<usize>> = Vec::with_capacity(runs.len());
    // One buffer for every run's pieces: most runs are one piece, and a vector per run was
    // an allocation per number-like run.
    let mut pieces = Vec::new();
    for run in runs {
        split(text, run, &mut pieces);
        for piece in pieces.drain(..) {
            let piece = balance_open_paren(text, piece);
            let piece = extend(text, piece);
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
/// (`283-7161`) is followed by another (`283-7162`), appending the pieces to `pieces`.
fn split(text: &str, run: Range<usize>, pieces: &mut Vec<Range<usize>>) {
    let mut start = run.start;
    let mut prev: Option<&str> = None;
    let mut at = run.start;
    for token in text[run.clone()].split(' ') {
        let here = at;
        at += token.len() + 1;
        if token == "/" {
            push_trimmed(text, start..here, pieces);
            start = at;
            prev = None;
            continue;
        }
        if let Some(p) = prev
            && ends_complete(p)
            && starts_grouped(token)
        {
            push_trimmed(text, start..here, pieces);
            start = here;
        }
        prev = Some(token);
    }
    push_trimmed(text, start..run.end, pieces);
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

fn extend(text: &str, r: Range<usize>) -> Range<usize> {
    // The `x`/`ext` word stands after at most a comma, a space and an office's name of two
    // to six capitals and a space: most numbers are followed by something else, and are
    // settled here without running the regex (or compiling it: a one-file run seldom needs
    // it).
    let rest = text.as_bytes().get(r.end..).unwrap_or_default();
    let mut j = usize::from(rest.first() == Some(&b','));
    j += usize::from(rest.get(j) == Some(&b' '));
    let office = rest
        .get(j..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    let after_office = ((2..=6).contains(&office) && rest.get(j + office) == Some(&b' '))
        .then_some(j + office + 1);
    let starts_word = |i: usize| {
        rest.get(i)
            .is_some_and(|c| matches!(c, b'x' | b'X' | b'e' | b'E'))
    };
    if !starts_word(j) && !after_office.is_some_and(starts_word) {
        return r;
    }
    match EXTENSION.get().and_then(|re| re.find(&text[r.end..])) {
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
        candidates(text).into_iter().map(|r| &text[r]).collect()
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

    proptest::proptest! {
        /// A number is extended exactly where the extension pattern, run after every number,
        /// would extend it: the check before it turns away only what it cannot match.
        #[test]
        fn only_numbers_the_pattern_cannot_extend_are_turned_away(
            rest in "[ ,.xXeEtTnNsSiIoOABCJOZ¶0-9a-z]{0,14}",
        ) {
            let text = format!("555-0101{rest}");
            let want = EXTENSION
                .get()
                .unwrap()
                .find(&text[8..])
                .map_or(8, |m| 8 + m.end());
            proptest::prop_assert_eq!(extend(&text, 0..8), 0..want, "{:?}", text);
        }
    }

    #[test]
    fn glued_runs_are_no_candidates() {
        assert!(found("MSI1234-567 and 101200Z").is_empty());
        assert_eq!(found("number (188) in"), ["188"]);
        assert_eq!(found("(56)(2)555-0101fax: x"), ["(56)(2)555-0101"]);
    }

    #[test]
    fn runs_are_what_the_pattern_finds() {
        let run = regex::Regex::new(RUN).unwrap();
        for text in [
            "12 3",
            "555 1234",
            "(((5 6",
            "+(12)34 5",
            "1 2 3 4 5 6",
            "a+7-3172-70-22- 96, x",
            "((12 ((34",
            "0(+00",
            "1((+2 3",
            "9",
            "",
            "ab 3.25 and 1/2/2003 +1 (202) 555-0100.",
        ] {
            let want: Vec<_> = run.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(runs(text), want, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn runs_match_the_pattern_on_any_text(text in "[0-9 +()./\\-a\n]{0,40}") {
            let run = regex::Regex::new(RUN).unwrap();
            let want: Vec<_> = run.find_iter(&text).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(runs(&text), want);
        }

        /// The first byte that may start a run, in blocks or not: in the first block, a later
        /// one, the tail after the last full block, or nowhere.
        #[test]
        fn a_run_starts_where_a_byte_by_byte_search_finds_it(
            text in r"[a-z ,.)*'/\-]{0,100}[0-9+(]?[a-z0-9 +(]{0,8}",
        ) {
            let bytes = text.as_bytes();
            let want = bytes.iter().position(|&b| b.is_ascii_digit() || b == b'+' || b == b'(');
            proptest::prop_assert_eq!(run_start(bytes), want);
        }
    }
}
