//! Lines of a document as byte ranges, and the small byte-level tests the parsers share.
//!
//! The parsers work on bytes, not `str`: a cable with invalid UTF-8 still has a structure,
//! and every range they keep is an original byte range.

use std::ops::Range;

use crate::text::mask16;

/// One line: its range without the terminator (`\n` or `\r\n`), and its range trimmed of
/// blanks (spaces, tabs, no-break spaces, a trailing `\` export artefact).
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub(crate) full: Range<usize>,
    pub(crate) trimmed: Range<usize>,
}

impl Line {
    pub(crate) fn is_blank(&self) -> bool {
        self.trimmed.is_empty()
    }
}

/// Every line of `bytes`, in order.
pub(crate) fn split_lines(bytes: &[u8]) -> Vec<Line> {
    // Room for lines of 32 bytes on average: most cables' are longer (half of them average
    // under 49), so the vector is seldom grown.
    let mut out = Vec::with_capacity(bytes.len() / 32 + 1);
    let mut start = 0;
    while start < bytes.len() {
        let end = mask16::find(&bytes[start..], b'\n').map_or(bytes.len(), |p| start + p);
        let mut full_end = end;
        if full_end > start && bytes[full_end - 1] == b'\r' {
            full_end -= 1;
        }
        out.push(Line {
            full: start..full_end,
            trimmed: trim(bytes, start..full_end),
        });
        start = end + 1;
    }
    out
}

fn is_blank_at(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(b' ' | b'\t' | b'\r' | b'\\') => 1,
        Some(0xC2) if bytes.get(i + 1) == Some(&0xA0) => 2,
        _ => 0,
    }
}

/// `r` narrowed to exclude surrounding blanks.
pub(crate) fn trim(bytes: &[u8], r: Range<usize>) -> Range<usize> {
    let (mut s, mut e) = (r.start, r.end.min(bytes.len()));
    while s < e {
        let n = is_blank_at(bytes, s);
        if n == 0 || s + n > e {
            break;
        }
        s += n;
    }
    while e > s {
        if matches!(bytes[e - 1], b' ' | b'\t' | b'\r' | b'\\') {
            e -= 1;
        } else if e - s >= 2 && bytes[e - 2] == 0xC2 && bytes[e - 1] == 0xA0 {
            e -= 2;
        } else {
            break;
        }
    }
    s..e
}

/// Whether `hay` starts with `prefix`, ignoring ASCII case.
pub(crate) fn starts_ci(hay: &[u8], prefix: &[u8]) -> bool {
    hay.len() >= prefix.len() && hay[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The range of `bytes[r]` after `prefix` (case-insensitive) and blanks, if it starts so.
pub(crate) fn after_prefix(bytes: &[u8], r: &Range<usize>, prefix: &[u8]) -> Option<Range<usize>> {
    let hay = bytes.get(r.clone())?;
    starts_ci(hay, prefix).then(|| trim(bytes, r.start + prefix.len()..r.end))
}

/// Whether `s` holds a lowercase ASCII letter.
pub(crate) fn has_lower(s: &[u8]) -> bool {
    s.iter().any(u8::is_ascii_lowercase)
}

/// Whitespace-separated tokens of `bytes[r]`, as ranges.
pub(crate) fn tokens(bytes: &[u8], r: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut i = r.start;
    let end = r.end.min(bytes.len());
    std::iter::from_fn(move || {
        while i < end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= end {
            return None;
        }
        let s = i;
        while i < end && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        Some(s..i)
    })
}

/// The first `N` tokens of `bytes[r]` (see [`tokens`]) and how many there are, at most `N`:
/// the page-header tests gather a line's first words without allocating for them.
pub(crate) fn first_tokens<const N: usize>(
    bytes: &[u8],
    r: Range<usize>,
) -> ([Range<usize>; N], usize) {
    let mut out: [Range<usize>; N] = std::array::from_fn(|_| 0..0);
    let mut n = 0;
    for (slot, t) in out.iter_mut().zip(tokens(bytes, r)) {
        *slot = t;
        n += 1;
    }
    (out, n)
}

/// Parse ASCII digits.
pub(crate) fn number(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_trim() {
        let b = b"  ab \r\n\xC2\xA0cd\\\n\nx";
        let ls = split_lines(b);
        assert_eq!(ls.len(), 4);
        assert_eq!(&b[ls[0].trimmed.clone()], b"ab");
        assert_eq!(&b[ls[1].trimmed.clone()], b"cd");
        assert!(ls[2].is_blank());
        assert_eq!(&b[ls[3].full.clone()], b"x");
    }

    #[test]
    fn tokens_and_numbers() {
        let b = b"SECTION 01 OF 16";
        let t: Vec<_> = tokens(b, 0..b.len()).map(|r| &b[r]).collect();
        assert_eq!(t, vec![&b"SECTION"[..], b"01", b"OF", b"16"]);
        assert_eq!(number(b"016"), Some(16));
        assert_eq!(number(b"1a"), None);
    }

    #[test]
    fn first_tokens_are_the_first_of_the_tokens() {
        let b = b"  ASTANA 00000614  002.2 OF 016 ";
        let all: Vec<_> = tokens(b, 0..b.len()).collect();
        let (four, n) = first_tokens::<4>(b, 0..b.len());
        assert_eq!((&four[..n], n), (&all[..4], 4));
        let (nine, n) = first_tokens::<9>(b, 0..b.len());
        assert_eq!((&nine[..n], n), (&all[..], 5));
        let (none, n) = first_tokens::<3>(b, 0..2);
        assert_eq!((n, none), (0, [0..0, 0..0, 0..0]));
    }
}
