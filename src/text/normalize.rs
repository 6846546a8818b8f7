//! Building views of a document: `raw` (decoded, nothing else) and `normalized` (what a reader
//! sees: hard wraps and runs of spaces read as one space, blank lines as a paragraph break).

use super::mask16;
use super::view::{View, ViewBuilder};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The document decoded as UTF-8 and nothing more: invalid bytes read as U+FFFD, a leading
/// byte-order mark is dropped, CRLF reads as LF. Rules with `match: raw` see this view.
pub fn raw(bytes: &[u8]) -> View {
    raw_from(bytes, std::str::from_utf8(bytes).ok())
}

/// Both views of a document, [`normalized_with`] and, when `with_raw`, [`raw`] (else an
/// empty view), validating its UTF-8 once for both.
pub fn views(bytes: &[u8], edits: &[Edit], with_raw: bool) -> (View, View) {
    let valid = std::str::from_utf8(bytes).ok();
    let raw = if with_raw {
        raw_from(bytes, valid)
    } else {
        raw_from(b"", Some(""))
    };
    (normalized_from(bytes, valid, edits), raw)
}

/// [`raw`], with `valid` the document as text when it is valid UTF-8.
fn raw_from(bytes: &[u8], valid: Option<&str>) -> View {
    let mut b = ViewBuilder::with_capacity(bytes.len());
    let mut i = skip_bom(bytes, &mut b);
    while i < bytes.len() {
        let next = memchr_any(bytes, i);
        match valid.and_then(|s| s.get(i..next)) {
            Some(s) => b.copy(s),
            None => copy_decoded(bytes, i, next, &mut b),
        }
        i = next;
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            b.replace(2, "\n");
            i += 2;
        } else {
            copy_decoded(bytes, i, i + 1, &mut b);
            i += 1;
        }
    }
    b.finish(bytes.len())
}

/// The view rules match on by default.
///
/// - A line break with the blanks around it (spaces, tabs, no-break spaces, CR, a trailing
///   `\` export artefact) reads as one space, so a wrapped phone number or name is one item.
/// - Two or more line breaks (a blank line) read as `"\n\n"`: paragraphs stay apart.
/// - A run of blanks within a line reads as one space.
/// - Invalid UTF-8 bytes read as U+FFFD; a leading byte-order mark is dropped.
pub fn normalized(bytes: &[u8]) -> View {
    normalized_with(bytes, &[])
}

/// A change the structure of a document asks of its normalised view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Original byte range the edit covers.
    pub range: std::ops::Range<usize>,
    /// What the range reads as.
    pub kind: EditKind,
}

/// How an [`Edit`] reads in the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    /// Skipped like blank space (a page header): with the blanks around it, it reads as one
    /// space, or as a paragraph break after the end of a sentence.
    Skip,
    /// Reads as this word (`C O N F I D E N T I A L` reads as `CONFIDENTIAL`).
    Word(&'static str),
}

/// [`normalized`], with `edits` (sorted by start, not overlapping) applied: page breaks read
/// as blank space, letter-spaced words as words.
pub fn normalized_with(bytes: &[u8], edits: &[Edit]) -> View {
    normalized_from(bytes, std::str::from_utf8(bytes).ok(), edits)
}

/// [`normalized_with`], with `valid` the document as text when it is valid UTF-8. Most
/// documents are: their lines are copied in whole stretches as slices of it instead of
/// decoded word by word.
fn normalized_from(bytes: &[u8], valid: Option<&str>, edits: &[Edit]) -> View {
    let mut b = ViewBuilder::with_capacity(bytes.len());
    let mut i = skip_bom(bytes, &mut b);
    let mut edits = edits.iter().peekable();
    while i < bytes.len() {
        // An edit the text has already moved past (overlapping another) is dropped.
        while edits.next_if(|e| e.range.start < i).is_some() {}
        let (run, skipped) = blank_run(bytes, i, &mut edits);
        if run > i {
            emit_blank_run(&bytes[i..run], skipped, &mut b);
            i = run;
            continue;
        }
        if let Some(e) = edits.next_if(|e| e.range.start == i)
            && let EditKind::Word(w) = e.kind
        {
            b.replace(e.range.len(), w);
            i = e.range.end.min(bytes.len());
            continue;
        }
        // Searching from `i + 1` is safe: candidates are ASCII or the lead byte 0xC2, never a
        // UTF-8 continuation byte, so a character is never cut in two. An edit starts at an
        // ASCII byte, so stopping there is safe too.
        let mut next = next_special(bytes, i + 1);
        if let Some(e) = edits.peek() {
            // The space before a skipped range belongs to its blank run, or the view would
            // read two spaces where the original has one on each side of a reflowed header.
            let mut stop = e.range.start;
            if e.kind == EditKind::Skip && stop > i + 1 && bytes.get(stop - 1) == Some(&b' ') {
                stop -= 1;
            }
            next = next.min(stop.max(i + 1));
        }
        match valid.and_then(|s| s.get(i..next)) {
            Some(s) => b.copy(s),
            None => copy_decoded(bytes, i, next, &mut b),
        }
        i = next;
    }
    b.finish(bytes.len())
}

fn skip_bom(bytes: &[u8], b: &mut ViewBuilder) -> usize {
    if bytes.starts_with(BOM) {
        b.replace(BOM.len(), "");
        BOM.len()
    } else {
        0
    }
}

/// Length of the blank at `i` (0 if none): space, tab, CR, LF, NBSP, or a `\` that only blanks
/// follow up to the end of its line.
fn blank_len(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        b' ' | b'\t' | b'\r' | b'\n' => 1,
        0xC2 if bytes.get(i + 1) == Some(&0xA0) => 2,
        b'\\' if backslash_ends_line(bytes, i + 1) => 1,
        _ => 0,
    }
}

fn backslash_ends_line(bytes: &[u8], mut j: usize) -> bool {
    while j < bytes.len() {
        match bytes[j] {
            b' ' | b'\t' | b'\r' => j += 1,
            b'\n' => return true,
            _ => return false,
        }
    }
    false
}

/// End of the blank run at `i` (`i` if none), swallowing skip edits; and whether it did.
fn blank_run<'e>(
    bytes: &[u8],
    mut i: usize,
    edits: &mut std::iter::Peekable<impl Iterator<Item = &'e Edit>>,
) -> (usize, bool) {
    let mut skipped = false;
    while i < bytes.len() {
        if let Some(e) = edits.next_if(|e| e.range.start == i && e.kind == EditKind::Skip) {
            i = e.range.end.max(i + 1).min(bytes.len());
            skipped = true;
            continue;
        }
        let n = blank_len(bytes, i);
        if n == 0 {
            break;
        }
        i += n;
    }
    (i, skipped)
}

fn emit_blank_run(run: &[u8], skipped: bool, b: &mut ViewBuilder) {
    if skipped {
        // A page break inside a sentence reads as a space; after the end of a sentence, as a
        // paragraph break (the next page usually starts a paragraph, and a space would glue
        // two paragraphs into one item).
        let ends_sentence = b.text().trim_end().ends_with(['.', '!', '?']);
        let text = if b.text().is_empty() {
            ""
        } else if ends_sentence {
            "\n\n"
        } else {
            " "
        };
        b.replace(run.len(), text);
        return;
    }
    let newlines = run.iter().filter(|c| **c == b'\n').count();
    match (newlines, run) {
        (0, b" ") => b.copy(" "),
        (0 | 1, _) => b.replace(run.len(), " "),
        _ => b.replace(run.len(), "\n\n"),
    }
}

/// Index of the next byte where the view may differ from the original (or the end): a blank
/// other than a single space between two words. A lone space is copied with the words around
/// it, so a line of ordinary text is one copy.
///
/// That is the first break byte (tab, CR, LF, `\`, the lead byte of a no-break space) or
/// the space before it, the first of two spaces, or a space that ends the text.
fn next_special(bytes: &[u8], i: usize) -> usize {
    let (at, is_break) = first_special(bytes, i);
    if is_break && at > i && bytes[at - 1] == b' ' {
        // The space before a break (or before the end of the text).
        at - 1
    } else {
        at
    }
}

/// The bytes that break a line or may blank it ([`blank_len`]'s first bytes but the space).
const BREAKS: [u8; 5] = [b'\n', b'\\', 0xC2, b'\t', b'\r'];

/// The first break byte or the first of two spaces at or after `i`, and whether it is a
/// break (the end of the text counts as one). Sixteen bytes are classed at a time: most
/// lines are copied whole, and a `memchr` call costs more than a line is long.
fn first_special(bytes: &[u8], mut i: usize) -> (usize, bool) {
    // A space that the byte after it also is: the second mask is read one byte on.
    while let (Some(breaks), Some(spaces), Some(spaces_on)) = (
        mask16::any_of(bytes, i, BREAKS),
        mask16::any_of(bytes, i, [b' ']),
        mask16::any_of(bytes, i + 1, [b' ']),
    ) {
        let found = breaks | (spaces & spaces_on);
        if found != 0 {
            let k = found.trailing_zeros();
            return (i + k as usize, breaks >> k & 1 != 0);
        }
        i += mask16::WIDTH;
    }
    while let Some(b) = bytes.get(i) {
        if BREAKS.contains(b) {
            return (i, true);
        }
        if *b == b' ' && bytes.get(i + 1) == Some(&b' ') {
            return (i, false);
        }
        i += 1;
    }
    (bytes.len(), true)
}

fn memchr_any(bytes: &[u8], i: usize) -> usize {
    memchr::memchr(b'\r', &bytes[i..]).map_or(bytes.len(), |p| i + p)
}

/// Copy `bytes[from..to]` into the view, each invalid UTF-8 byte as U+FFFD.
fn copy_decoded(bytes: &[u8], from: usize, to: usize, b: &mut ViewBuilder) {
    if let Ok(s) = std::str::from_utf8(&bytes[from..to]) {
        b.copy(s);
        return;
    }
    for chunk in bytes[from..to].utf8_chunks() {
        b.copy(chunk.valid());
        for _ in chunk.invalid() {
            b.replace(1, "\u{FFFD}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(view: &View, needle: &str) -> std::ops::Range<usize> {
        let at = view.text().find(needle).expect("needle in view");
        view.to_original(at..at + needle.len())
    }

    /// [`next_special`] as a byte loop, the reference it is checked against.
    fn next_special_naive(bytes: &[u8], i: usize) -> usize {
        let ordinary = |b: u8| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\\' | 0xC2);
        (i..bytes.len())
            .find(|&j| match bytes[j] {
                b' ' => !bytes.get(j + 1).is_some_and(|&n| ordinary(n)),
                b => !ordinary(b),
            })
            .unwrap_or(bytes.len())
    }

    proptest::proptest! {
        #[test]
        fn next_special_finds_what_a_byte_loop_finds(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b' ', b' ', b'a', b'b', b'\n', b'\t', b'\r', b'\\', 0xC2, 0xA0]),
                0..80,
            ),
            i in 0usize..80,
        ) {
            let i = i.min(bytes.len());
            proptest::prop_assert_eq!(next_special(&bytes, i), next_special_naive(&bytes, i));
        }
    }

    #[test]
    fn both_views_at_once_are_each_view_decoded_alone() {
        let docs: [&[u8]; 5] = [
            b"",
            b"plain text\nsecond line",
            "\u{FEFF}Jeffrey\u{a0}Scott\\\r\n\tWaldo\r\n".as_bytes(),
            b"bad \xFF byte\r\nand \xC3 cut\r",
            b"page\nASTANA 00000614  002 OF 016\nnext",
        ];
        for doc in docs {
            let edits = [Edit {
                range: 0..doc.len().min(3),
                kind: EditKind::Skip,
            }];
            for edits in [&[][..], &edits[..]] {
                // Built from the text validated once, and decoded piece by piece.
                let (view, raw) = views(doc, edits, true);
                let alone = (normalized_from(doc, None, edits), raw_from(doc, None));
                assert_eq!(format!("{:?}", (view, raw)), format!("{alone:?}"));
                let (_, none) = views(doc, edits, false);
                assert_eq!(format!("{none:?}"), format!("{:?}", raw_from(b"", None)));
            }
        }
    }

    #[test]
    fn wrapped_phone_number_is_one_item() {
        let src = b"reached by phone at +7-3172-70-22- \n96, or by fax";
        let v = normalized(src);
        assert!(v.text().contains("+7-3172-70-22- 96,"));
        let span = find(&v, "+7-3172-70-22- 96");
        assert_eq!(&src[span], b"+7-3172-70-22- \n96");
    }

    #[test]
    fn blank_lines_stay_paragraph_breaks() {
        let v = normalized(b"end. \n \n2. (C) Next");
        assert_eq!(v.text(), "end.\n\n2. (C) Next");
    }

    #[test]
    fn crlf_bom_nbsp_tabs_and_backslashes_are_tolerated() {
        let src = "\u{FEFF}Jeffrey\u{a0}Scott\\\r\n\tWaldo".as_bytes();
        let v = normalized(src);
        assert_eq!(v.text(), "Jeffrey Scott Waldo");
        let span = find(&v, "Jeffrey Scott Waldo");
        assert_eq!(span, 3..src.len());
    }

    #[test]
    fn invalid_utf8_keeps_exact_offsets() {
        let src = b"ab\xffcd Waldo";
        let v = normalized(src);
        assert_eq!(v.text(), "ab\u{FFFD}cd Waldo");
        assert_eq!(&src[find(&v, "Waldo")], b"Waldo");
        assert_eq!(&src[find(&v, "\u{FFFD}")], b"\xff");
    }

    #[test]
    fn raw_keeps_lines() {
        let v = raw(b"a\r\nb\n");
        assert_eq!(v.text(), "a\nb\n");
        assert_eq!(find(&v, "b"), 3..4);
    }
}
