//! A view of a document that rules match on, with an exact map back to original bytes.
//!
//! The view is built from pieces: runs of text copied from the original (one view byte per
//! original byte) and replacements (some view text standing for an original range of any
//! length, including empty text for a skipped range). The map is piecewise: a copied piece maps
//! byte for byte, a replacement maps as a whole. A view range therefore maps to the original
//! range from its first to its last original byte, however many breaks it crosses.

use std::ops::Range;

#[derive(Debug, Clone, Copy)]
struct Piece {
    view_start: usize,
    orig_start: usize,
    orig_len: usize,
    copied: bool,
}

/// Normalised text plus its map to original byte offsets.
#[derive(Debug, Clone)]
pub struct View {
    text: String,
    pieces: Vec<Piece>,
    orig_len: usize,
}

impl View {
    /// The normalised text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Map a view byte range to the original byte range it stands for.
    ///
    /// A range that starts or ends inside a replacement takes the whole replaced original
    /// range on that side, so the result always covers every original byte the view range
    /// was built from.
    pub fn to_original(&self, range: Range<usize>) -> Range<usize> {
        if range.start >= range.end {
            let at = self.start_to_original(range.start);
            return at..at;
        }
        let start = self.start_to_original(range.start);
        let end = self.end_to_original(range.end);
        start..end.max(start)
    }

    /// Map an original byte range to the smallest view range whose
    /// [`to_original`](Self::to_original) covers it: how a detector that found something by
    /// structure (original offsets) reports it as a hit in this view.
    ///
    /// ```
    /// let v = redline::text::normalized(b"a \n  b");
    /// assert_eq!(v.text(), "a b");
    /// assert_eq!(v.from_original(5..6), 2..3);
    /// assert_eq!(v.to_original(v.from_original(1..5)), 1..5);
    /// ```
    pub fn from_original(&self, range: Range<usize>) -> Range<usize> {
        let start = self.view_start_of(range.start, false);
        let end = self.view_start_of(range.end, true);
        start..end.max(start)
    }

    /// View offset for original offset `at`; `end` picks the end of a replacement `at` falls
    /// inside, so the mapped range still covers it.
    fn view_start_of(&self, at: usize, end: bool) -> usize {
        let i = self.pieces.partition_point(|p| p.orig_start <= at);
        let Some(p) = i.checked_sub(1).and_then(|i| self.pieces.get(i)) else {
            return 0;
        };
        let view_end = self
            .pieces
            .get(i)
            .map_or(self.text.len(), |next| next.view_start);
        let inside = at - p.orig_start;
        if inside >= p.orig_len {
            // In skipped bytes after this piece: the view is at the piece's end.
            return view_end;
        }
        if p.copied {
            p.view_start + inside
        } else if end && inside > 0 {
            view_end
        } else {
            p.view_start
        }
    }

    /// Whether the text is the original itself, byte for byte (one copied piece, or
    /// nothing on both sides).
    pub(crate) fn is_verbatim(&self) -> bool {
        match self.pieces.as_slice() {
            [] => self.orig_len == 0 && self.text.is_empty(),
            [p] => p.copied && p.orig_start == 0 && p.orig_len == self.orig_len,
            _ => false,
        }
    }

    /// The original start of view range `range` when the range lies inside one copied piece
    /// (its text is the original's, byte for byte); `None` when it reaches into a
    /// replacement or across a skipped range.
    pub(crate) fn copied_from(&self, range: &Range<usize>) -> Option<usize> {
        let p = self.piece_at(range.start)?;
        let inside = range.start - p.view_start;
        (p.copied && range.end <= p.view_start + p.orig_len).then_some(p.orig_start + inside)
    }

    /// The stretches of the original that no copied piece covers, in order: before the first
    /// copied piece, between each two (empty when two copied pieces meet in the original but
    /// not in the view) and after the last. An original byte outside all of them is copied.
    pub(crate) fn uncopied(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        let mut copied = self.pieces.iter().filter(|p| p.copied);
        let mut at = Some(0);
        std::iter::from_fn(move || {
            let from = at?;
            match copied.next() {
                Some(p) => {
                    at = Some(p.orig_start + p.orig_len);
                    Some(from..p.orig_start)
                }
                None => {
                    at = None;
                    Some(from..self.orig_len)
                }
            }
        })
        // The stretch before a piece that starts the original, or after one that ends it,
        // is no stretch.
        .filter(|r| !(r.is_empty() && (r.start == 0 || r.start == self.orig_len)))
    }

    fn piece_at(&self, view_offset: usize) -> Option<&Piece> {
        let i = self
            .pieces
            .partition_point(|p| p.view_start <= view_offset)
            .checked_sub(1)?;
        self.pieces.get(i)
    }

    fn start_to_original(&self, at: usize) -> usize {
        match self.piece_at(at) {
            Some(p) if p.copied => (p.orig_start + (at - p.view_start)).min(self.orig_len),
            Some(p) => p.orig_start,
            None => 0,
        }
    }

    fn end_to_original(&self, end: usize) -> usize {
        // The last byte of the range is at `end - 1`.
        match self.piece_at(end - 1) {
            Some(p) if p.copied => (p.orig_start + (end - p.view_start)).min(self.orig_len),
            Some(p) => p.orig_start + p.orig_len,
            None => 0,
        }
    }
}

/// Builds a [`View`] piece by piece, in original order.
#[derive(Debug, Default)]
pub struct ViewBuilder {
    text: String,
    pieces: Vec<Piece>,
    orig_pos: usize,
}

impl ViewBuilder {
    /// A builder with room for about `capacity` bytes of text.
    pub fn with_capacity(capacity: usize) -> Self {
        ViewBuilder {
            text: String::with_capacity(capacity),
            pieces: Vec::new(),
            orig_pos: 0,
        }
    }

    /// Where the next piece starts in the original.
    pub fn orig_pos(&self) -> usize {
        self.orig_pos
    }

    /// The view text written so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Copy `text`, which is the original's next `text.len()` bytes, unchanged.
    pub fn copy(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.pieces.last_mut() {
            Some(p) if p.copied && p.orig_start + p.orig_len == self.orig_pos => {
                p.orig_len += text.len();
            }
            _ => self.pieces.push(Piece {
                view_start: self.text.len(),
                orig_start: self.orig_pos,
                orig_len: text.len(),
                copied: true,
            }),
        }
        self.text.push_str(text);
        self.orig_pos += text.len();
    }

    /// Let `text` stand for the original's next `orig_len` bytes (`text` may be empty: the
    /// original bytes are skipped).
    pub fn replace(&mut self, orig_len: usize, text: &str) {
        if text.is_empty() {
            self.orig_pos += orig_len;
            return;
        }
        self.pieces.push(Piece {
            view_start: self.text.len(),
            orig_start: self.orig_pos,
            orig_len,
            copied: false,
        });
        self.text.push_str(text);
        self.orig_pos += orig_len;
    }

    /// Finish the view; `orig_len` is the length of the whole original.
    pub fn finish(self, orig_len: usize) -> View {
        View {
            text: self.text,
            pieces: self.pieces,
            orig_len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copied_text_maps_byte_for_byte() {
        let mut b = ViewBuilder::default();
        b.copy("hello world");
        let v = b.finish(11);
        assert_eq!(v.to_original(6..11), 6..11);
    }

    #[test]
    fn a_range_across_a_replacement_covers_it_whole() {
        // original: "+7-22- \n  96" ; view: "+7-22- 96"
        let mut b = ViewBuilder::default();
        b.copy("+7-22-");
        b.replace(4, " ");
        b.copy("96");
        let v = b.finish(12);
        assert_eq!(v.text(), "+7-22- 96");
        assert_eq!(v.to_original(0..9), 0..12);
        assert_eq!(v.to_original(7..9), 10..12);
        assert_eq!(v.to_original(0..6), 0..6);
    }

    #[test]
    fn the_original_bytes_no_copied_piece_covers_are_told_in_order() {
        // original: "ab \n  cd" + 5 skipped bytes + "ef"; view: "ab cdef"
        let mut b = ViewBuilder::default();
        b.copy("ab");
        b.replace(4, " ");
        b.copy("cd");
        b.replace(5, "");
        b.copy("ef");
        let v = b.finish(15);
        assert_eq!(v.text(), "ab cdef");
        assert_eq!(v.uncopied().collect::<Vec<_>>(), [2..6, 8..13]);
        assert_eq!(v.copied_from(&(0..2)), Some(0));
        assert_eq!(v.copied_from(&(3..5)), Some(6));
        assert_eq!(v.copied_from(&(5..7)), Some(13));
        assert_eq!(v.copied_from(&(4..6)), None); // across the skipped bytes
        assert_eq!(v.copied_from(&(1..4)), None); // into the replacement
        assert_eq!(v.copied_from(&(2..3)), None);
        assert!(!v.is_verbatim());
        // Copied pieces that meet in the original but not in the view (an insertion), and
        // stretches at either end.
        let mut b = ViewBuilder::default();
        b.replace(1, "");
        b.copy("a");
        b.replace(0, "+");
        b.copy("b");
        b.replace(2, " ");
        let v = b.finish(5);
        assert_eq!(v.text(), "a+b ");
        assert_eq!(v.uncopied().collect::<Vec<_>>(), [0..1, 2..2, 3..5]);
        let verbatim = |s: &str| {
            let mut b = ViewBuilder::default();
            b.copy(s);
            b.finish(s.len()).is_verbatim()
        };
        assert!(verbatim("abc") && verbatim(""));
        assert!(crate::text::raw(b"a\nb").is_verbatim());
        assert!(!crate::text::raw(b"a\r\nb").is_verbatim());
        assert_eq!(crate::text::raw(b"ab").uncopied().count(), 0);
    }

    #[test]
    fn skipped_bytes_are_inside_the_covering_range() {
        let mut b = ViewBuilder::default();
        b.copy("ab ");
        b.replace(10, "");
        b.copy("cd");
        let v = b.finish(15);
        assert_eq!(v.text(), "ab cd");
        assert_eq!(v.to_original(0..5), 0..15);
        assert_eq!(v.to_original(3..5), 13..15);
    }
}
