//! What a human-readable diagnostic shows of its document: the lines a finding touches, each
//! long line cut to a window around the finding.
//!
//! Cables published one paragraph per line run to 2,000 characters a line. Shown whole, such
//! a line made every finding in it a screenful, one cable's report hundreds of kilobytes, and
//! its rendering a quarter of a one-file run. Compilers cut long lines the same way.

use std::ops::Range;

use codespan_reporting::files::{Error, Files, column_index};

use crate::text::{Source, ceil_char, floor_char};

/// Lines longer than this many characters are cut to a window around the finding.
const LONG_LINE: usize = 120;

/// Characters of a cut line kept on each side of the finding.
const CONTEXT: usize = 40;

/// Marks where a cut line was cut (one character, one column).
const CUT: &str = "…";

/// The lines of one finding, as codespan reads them: line and column numbers are the
/// document's, the text is the lines cut to their windows.
pub(crate) struct Excerpt<'n, 's> {
    name: &'n str,
    source: &'n Source<'s>,
    text: String,
    /// Where each line of `text` starts.
    starts: Vec<usize>,
    /// The document's 1-based line number of the first line.
    first_line: usize,
    /// Per line: where the document's text starts in `text` (after a cut mark) and the
    /// document offset of that byte, for columns counted in the document.
    kept: Vec<(usize, usize)>,
    /// The finding's range in `text`.
    span: Range<usize>,
}

impl<'n, 's> Excerpt<'n, 's> {
    /// The excerpt for `span` (byte offsets in the document) of `safe`, the display-safe
    /// copy of `source`'s bytes (which keeps every byte offset), named `name`.
    pub(crate) fn new(
        name: &'n str,
        safe: &str,
        source: &'n Source<'s>,
        span: Range<usize>,
    ) -> Self {
        let start = floor_char(safe, span.start);
        let end = ceil_char(safe, span.end).max(start);
        let first_line = source.line(start);
        let last_line = if end > start {
            source.line(end - 1)
        } else {
            first_line
        }
        .max(first_line);
        let mut x = Excerpt {
            name,
            source,
            text: String::new(),
            starts: Vec::new(),
            first_line,
            kept: Vec::new(),
            span: 0..0,
        };
        for line in first_line..=last_line {
            let from = floor_char(safe, source.line_range(line).start);
            let to =
                memchr::memchr(b'\n', &safe.as_bytes()[from..]).map_or(safe.len(), |i| from + i);
            let text = safe.get(from..to).unwrap_or("");
            // The finding's part of this line.
            let (s, e) = (start.clamp(from, to), end.clamp(from, to));
            let long = text.len() > LONG_LINE && text.chars().nth(LONG_LINE).is_some();
            let (cut_from, cut_to) = if long {
                (back(safe, from, s), forward(safe, e, to))
            } else {
                (from, to)
            };
            if line > first_line {
                x.text.push('\n');
            }
            x.starts.push(x.text.len());
            if cut_from > from {
                x.text.push_str(CUT);
            }
            let base = x.text.len();
            x.kept.push((base, cut_from));
            x.text.push_str(safe.get(cut_from..cut_to).unwrap_or(""));
            if line == first_line {
                x.span.start = base + (s - cut_from);
            }
            if line == last_line {
                x.span.end = (base + (e - cut_from)).max(x.span.start);
            }
            if cut_to < to {
                x.text.push_str(CUT);
            }
        }
        x
    }

    /// The finding's range in the excerpt's text (for the diagnostic's label).
    pub(crate) fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

/// Where a window ending at `at` starts: [`CONTEXT`] characters back, not before `from`. A
/// cut that would save no more than the mark costs is not made.
fn back(text: &str, from: usize, at: usize) -> usize {
    let before = text.get(from..at).unwrap_or("");
    // The last character left out; cut only when another stands before it.
    match before.char_indices().rev().nth(CONTEXT) {
        Some((i, c)) if i > 0 => from + i + c.len_utf8(),
        _ => from,
    }
}

/// Where a window starting at `at` ends: [`CONTEXT`] characters on, not past `to`.
fn forward(text: &str, at: usize, to: usize) -> usize {
    let after = text.get(at..to).unwrap_or("");
    match after.char_indices().nth(CONTEXT + 1) {
        Some(_) => after
            .char_indices()
            .nth(CONTEXT)
            .map_or(to, |(i, _)| at + i),
        None => to,
    }
}

impl<'a> Files<'a> for Excerpt<'_, '_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .starts
            .partition_point(|&s| s <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, Error> {
        Ok(self.first_line + line_index)
    }

    /// The document's column: what [`Source::line_col`] says of the document byte shown
    /// there (a cut mark stands for the first byte kept after it). A character shown as
    /// several `?` is one column, as in every other output format.
    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let range = self.line_range((), line_index)?;
        let Some(&(base, at)) = self.kept.get(line_index) else {
            return Ok(column_index(&self.text, range, byte_index) + 1);
        };
        Ok(self.source.line_col(at + byte_index.saturating_sub(base)).1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        let start = *self.starts.get(line_index).ok_or(Error::LineTooLarge {
            given: line_index,
            max: self.starts.len().saturating_sub(1),
        })?;
        let end = self
            .starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The excerpt of `doc` for `span`, with the document's view of where the span starts.
    fn excerpt(doc: &str, span: Range<usize>) -> (String, String, (usize, usize), (usize, usize)) {
        let source = Source::new(doc.as_bytes());
        let safe = crate::text::display_safe(doc.as_bytes());
        let x = Excerpt::new("doc", &safe, &source, span.clone());
        let loc = x.location((), x.span().start).unwrap();
        (
            x.text.clone(),
            x.text[x.span()].to_string(),
            (loc.line_number, loc.column_number),
            source.line_col(span.start),
        )
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let doc = "first line\nMinister Ana Ruiz spoke.\nlast";
        let at = doc.find("Ana").unwrap();
        let (text, found, loc, want) = excerpt(doc, at..at + 8);
        assert_eq!(text, "Minister Ana Ruiz spoke.");
        assert_eq!(found, "Ana Ruiz");
        assert_eq!(loc, want);
        assert_eq!(loc, (2, 10));
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_with_the_document_s_columns() {
        let doc = format!(
            "head\n{}Ana Ruiz{}\n",
            "word ".repeat(100),
            " tail".repeat(100)
        );
        let at = doc.find("Ana").unwrap();
        let (text, found, loc, want) = excerpt(&doc, at..at + 8);
        assert_eq!(found, "Ana Ruiz");
        assert_eq!(loc, want);
        assert!(text.starts_with(CUT) && text.ends_with(CUT), "{text}");
        assert_eq!(text.chars().count(), 2 * CONTEXT + 8 + 2, "{text}");
    }

    #[test]
    fn a_finding_near_a_line_edge_is_cut_on_the_other_side_only() {
        let doc = format!("Ana Ruiz{}", " and more".repeat(40));
        let (text, found, loc, want) = excerpt(&doc, 0..8);
        assert_eq!(found, "Ana Ruiz");
        assert_eq!(loc, want);
        assert!(!text.starts_with(CUT) && text.ends_with(CUT), "{text}");
    }

    #[test]
    fn a_finding_across_two_long_lines_keeps_both_ends() {
        let doc = format!("{}Ana\nRuiz{}", "é".repeat(200), " x".repeat(200));
        let at = doc.find("Ana").unwrap();
        let (text, found, loc, want) = excerpt(&doc, at..at + 8);
        assert_eq!(found, "Ana\nRuiz");
        assert_eq!(loc, want);
        assert_eq!(text.lines().count(), 2);
    }

    proptest::proptest! {
        /// Wherever a finding stands, in lines short or long, ASCII or not, with characters
        /// that are shown as `?`, the excerpt holds its text and puts it at the document's
        /// line and column.
        #[test]
        fn the_excerpt_holds_the_finding_where_the_document_has_it(
            lines in proptest::collection::vec("[a-zé \t\u{1b}\u{202e}]{0,300}", 1..5),
            a in 0usize..2000,
            len in 0usize..60,
        ) {
            let doc = lines.join("\n");
            let start = floor_char(&doc, a.min(doc.len()));
            let end = floor_char(&doc, (start + len).min(doc.len()));
            let (text, found, loc, want) = excerpt(&doc, start..end);
            // What is shown is the display-safe text (escapes and bidi controls as `?`),
            // without the line break a finding may end on (it shows no line after it).
            let safe = crate::text::display_safe(doc.as_bytes());
            let shown = &safe[start..end];
            proptest::prop_assert_eq!(&found, shown.strip_suffix('\n').unwrap_or(shown));
            proptest::prop_assert_eq!(loc, want);
            let longest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            proptest::prop_assert!(longest <= LONG_LINE.max(2 * CONTEXT + len + 2), "{}", text);
        }
    }
}
