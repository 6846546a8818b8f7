//! The original bytes of one document with a line index, and a display-safe copy of them.

use std::cell::Cell;
use std::ops::Range;

use super::mask16;

/// One document's original bytes plus the start offset of every line.
///
/// Line and column numbers are what users see: 1-based lines, 1-based columns counted in
/// characters (an invalid UTF-8 byte counts as one character).
#[derive(Debug)]
pub struct Source<'a> {
    bytes: &'a [u8],
    line_starts: Vec<usize>,
    /// The last column worked out, `(offset, line, column)` (line 0: none yet). A later
    /// offset on the same line counts on from it: the columns of many findings on one long
    /// line (a cable published one paragraph per line, a document with no line break at
    /// all) then cost one pass over the line, not one each, which was quadratic in the
    /// line's length.
    last_column: Cell<(usize, usize, usize)>,
}

impl<'a> Source<'a> {
    /// Index the lines of `bytes`.
    ///
    /// ```
    /// let src = redline::text::Source::new(b"ab\ncd");
    /// assert_eq!(src.line_col(4), (2, 2));
    /// ```
    pub fn new(bytes: &'a [u8]) -> Self {
        // Sixteen bytes are classed at a time and each line break read off the mask: a
        // `memchr` call per line costs more than a cable's line is long.
        // Room for lines of about 48 bytes, so that a cable's (about 65 bytes) need no
        // growing.
        let mut line_starts = Vec::with_capacity(bytes.len() / 48 + 1);
        line_starts.push(0);
        let mut at = 0;
        while let Some(mut breaks) = mask16::any_of(bytes, at, [b'\n']) {
            while breaks != 0 {
                line_starts.push(at + breaks.trailing_zeros() as usize + 1);
                breaks &= breaks - 1;
            }
            at += mask16::WIDTH;
        }
        let rest = bytes.get(at..).unwrap_or_default();
        line_starts.extend(
            (at..)
                .zip(rest)
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Source {
            bytes,
            line_starts,
            last_column: Cell::new((0, 0, 0)),
        }
    }

    /// The original bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// 1-based line holding byte `offset` (an offset past the end is on the last line).
    pub fn line(&self, offset: usize) -> usize {
        // Findings come in order: most stand on the line of the column worked out last.
        let (_, last, _) = self.last_column.get();
        if let Some(&start) = last.checked_sub(1).and_then(|i| self.line_starts.get(i))
            && start <= offset
            && self.line_starts.get(last).is_none_or(|&next| offset < next)
        {
            return last;
        }
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// 1-based line and 1-based character column of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let end = offset.min(self.bytes.len());
        let (at, last_line, column) = self.last_column.get();
        // Counting on from the last offset counts as counting from the line's start only
        // where no character is cut in two: not at a UTF-8 continuation byte.
        let (from, before) = if last_line == line
            && at <= end
            && !self.bytes.get(at).is_some_and(|b| (0x80..0xc0).contains(b))
        {
            (at, column - 1)
        } else {
            (self.line_starts.get(line - 1).copied().unwrap_or(0), 0)
        };
        let column = before + char_count(self.bytes.get(from..end).unwrap_or(&[])) + 1;
        self.last_column.set((end, line, column));
        (line, column)
    }

    /// Byte range of 1-based `line`, without its line terminator.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let mut end = self
            .line_starts
            .get(line)
            .map_or(self.bytes.len(), |next| next - 1);
        if end > start && self.bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// Number of lines (a final line without a newline counts).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Characters in `bytes`, counting each invalid UTF-8 byte as one.
fn char_count(bytes: &[u8]) -> usize {
    // Most lines are ASCII: one character per byte, found by a vectorised check.
    if bytes.is_ascii() {
        return bytes.len();
    }
    // Most others are valid UTF-8, which `from_utf8` checks and `chars().count()` counts
    // many bytes at a time; decoding chunk by chunk goes a byte at a time, and a finding on
    // a long line counts from the line's start.
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.chars().count();
    }
    bytes
        .utf8_chunks()
        .map(|c| c.valid().chars().count() + c.invalid().len())
        .sum()
}

/// A copy of `bytes` that is safe to print on a terminal and has *exactly the same length*, so
/// that byte spans into the original stay valid spans into the copy.
///
/// Control characters (other than newline and tab) become `?`, invalid UTF-8 bytes become `?`
/// each, and bidirectional-override and zero-width characters become `?` repeated to their
/// UTF-8 length. A document can therefore neither send escape sequences to the terminal nor
/// disguise the text around a span.
///
/// ```
/// let safe = redline::text::display_safe("a\x1b[2J\u{202e}b".as_bytes());
/// assert_eq!(safe, "a?[2J???b");
/// ```
pub fn display_safe(bytes: &[u8]) -> String {
    // Most documents are ASCII: only their control characters need replacing, byte by byte.
    if bytes.is_ascii() {
        let safe: Vec<u8> = bytes
            .iter()
            .map(|&b| {
                if (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f {
                    b'?'
                } else {
                    b
                }
            })
            .collect();
        // ASCII in, ASCII out: this never falls back.
        return String::from_utf8(safe).unwrap_or_default();
    }
    display_safe_chars(bytes)
}

/// [`display_safe`] a character at a time, for any bytes.
fn display_safe_chars(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if is_unsafe_char(c) {
                out.extend(std::iter::repeat_n('?', c.len_utf8()));
            } else {
                out.push(c);
            }
        }
        out.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    out
}

fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            | '\u{061C}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = Source::new("é\nxé y".as_bytes());
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_col(3), (2, 1));
        // "xé " is 4 bytes, 3 characters.
        assert_eq!(src.line_col(7), (2, 4));
    }

    proptest::proptest! {
        /// The line index holds the start of every line, before and after the sixteen-byte
        /// blocks its search reads.
        #[test]
        fn every_line_start_is_indexed(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b' ', b'\n', 0xC3, 0xA9]),
                0..80,
            ),
        ) {
            let want: Vec<usize> = std::iter::once(0)
                .chain(bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1))
                .collect();
            proptest::prop_assert_eq!(&Source::new(&bytes).line_starts, &want);
        }
    }

    proptest::proptest! {
        /// The ASCII and valid-UTF-8 shortcuts count as the full decoding does, invalid
        /// bytes one each.
        #[test]
        fn char_count_counts_each_character_and_invalid_byte_once(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    (0x20u8..0x7f).prop_map(|b| vec![b]),
                    proptest::num::u8::ANY.prop_map(|b| vec![b]),
                    proptest::char::any().prop_map(|c| c.to_string().into_bytes()),
                ],
                0..40,
            )
        ) {
            let bytes = pieces.concat();
            let decoded: usize = bytes
                .utf8_chunks()
                .map(|c| c.valid().chars().count() + c.invalid().len())
                .sum();
            proptest::prop_assert_eq!(char_count(&bytes), decoded);
        }
    }

    proptest::proptest! {
        /// Columns counted on from the last one asked for are the columns counted from the
        /// line's start, and lines found from its line the lines found afresh, whatever the
        /// order of the questions, across line breaks, multi-byte characters and invalid
        /// bytes.
        #[test]
        fn columns_counted_on_are_columns_counted_afresh(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    &b"a"[..], b" ", b"\n", "\u{e9}".as_bytes(), "\u{20ac}".as_bytes(),
                    b"\xff", b"\xe2\x82", b"\x82",
                ]),
                0..40,
            ),
            offsets in proptest::collection::vec(0usize..90, 1..20),
        ) {
            let bytes = pieces.concat();
            let source = Source::new(&bytes);
            for offset in offsets {
                let afresh = Source::new(&bytes).line_col(offset);
                // Lines found from the last column's line are the lines found afresh.
                proptest::prop_assert_eq!(source.line(offset), afresh.0, "line at {}", offset);
                proptest::prop_assert_eq!(source.line_col(offset), afresh, "at {}", offset);
            }
        }
    }

    #[test]
    fn line_range_drops_crlf() {
        let src = Source::new(b"ab\r\ncd");
        assert_eq!(src.line_range(1), 0..2);
        assert_eq!(src.line_range(2), 4..6);
        assert_eq!(src.line_count(), 2);
    }

    proptest::proptest! {
        /// The ASCII path makes the same copy as the character-at-a-time one.
        #[test]
        fn ascii_documents_are_made_safe_as_any_other(bytes in proptest::collection::vec(0u8..0x80, 0..200)) {
            proptest::prop_assert_eq!(display_safe(&bytes), display_safe_chars(&bytes));
        }
    }

    #[test]
    fn display_safe_keeps_length() {
        let input = b"ok \xff\x00 \xe2\x80\xae end\r\n";
        let safe = display_safe(input);
        assert_eq!(safe.len(), input.len());
        assert!(!safe.contains('\u{202e}'));
        assert!(!safe.contains('\x00'));
    }
}
