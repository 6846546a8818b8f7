//! Candidate generation: the words of the normalised view with their shapes, grouped into
//! runs of name-shaped words (capitalised, all capitals, initials, inner particles such as
//! `al`, `bin`, `van`). Only runs can hold names; everything else is never looked up.

use std::ops::Range;

use crate::detect::swar::{class_prefix, in_range, splat};
use crate::text::mask16;

/// How a word is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `Waldo`, `McDonald`, `el-Jahmi` (a lower-case particle before a capitalised part).
    Cap,
    /// `WALDO`: all capitals, two letters or more.
    Upper,
    /// `A.`: one capital and a full stop.
    Initial,
    /// Anything starting lower-case.
    Lower,
    /// Digits, a lone capital without a full stop.
    Other,
}

/// One word of the view.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    /// Byte offset in the view text.
    pub start: usize,
    /// End byte offset (a possessive `'s` and an initial's `.` are outside, resp. inside).
    pub end: usize,
    /// How it is written.
    pub shape: Shape,
    /// Separated from the previous word by exactly one space (or nothing after an initial).
    pub joined: bool,
    /// Plain lower-case ASCII: no capital to explain, so it starts no sentence that matters
    /// (see [`sentence_start`]).
    pub plain: bool,
    /// ASCII without a hyphen, so that the word folds to its own lower case (no accent to
    /// drop, no article to cut): names found earlier are looked up as it is written.
    pub simple: bool,
}

impl Token {
    /// The token's text in `text`.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// Whether `word` folds to its own lower case for comparison: ASCII (no accent to drop) and
/// without a hyphen (no article to cut). See [`Token::simple`].
pub(crate) fn folds_as_written(word: &[u8]) -> bool {
    word.iter().all(|&c| c.is_ascii() && c != b'-')
}

/// Lower-case words that may stand inside a name: `Saif al Islam`, `Vincent van Gogh`.
const PARTICLES: &[&str] = &[
    "al", "bin", "bint", "da", "das", "de", "del", "della", "der", "di", "dos", "du", "el", "ibn",
    "la", "le", "van", "von", "y",
];

/// The length of the longest of [`PARTICLES`] (`della`).
const LONGEST_PARTICLE: usize = 5;

/// Whether a lower-case word may stand inside a name.
pub(crate) fn is_particle(word: &[u8]) -> bool {
    // Most words are longer than any particle: settled by their length.
    word.len() <= LONGEST_PARTICLE && PARTICLES.iter().any(|p| p.as_bytes() == word)
}

fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric())
}

/// The character at byte `i` of `text` (NUL past the end or inside a character).
fn char_at(text: &str, i: usize) -> char {
    text.get(i..).and_then(|s| s.chars().next()).unwrap_or('\0')
}

/// Split `text` into words, appending them to `out`, and their runs of name-shaped words to
/// `runs` (see [`Runs`]).
///
/// ASCII fast paths: the byte loop decodes a character only at non-ASCII bytes, a plain
/// lower-case word skips the shape analysis altogether, any other word of ASCII letters and
/// digits is measured and shaped in one pass ([`fast_word`]), and the words of prose (most
/// words) are read in a short loop of their own ([`prose_word`]), the commonest of them, a
/// space and a short lower-case word, from one sixteen-byte class mask
/// ([`short_lower_word`]).
pub(crate) fn tokenize(text: &str, out: &mut Vec<Token>, runs: &mut Vec<Range<usize>>) {
    tokenize_with::<true>(text, out, runs);
}

/// [`tokenize`], with or without the fast path for prose ([`prose_word`]):
/// the words are the same either way (a test holds them to it).
fn tokenize_with<const PROSE: bool>(
    text: &str,
    out: &mut Vec<Token>,
    runs: &mut Vec<Range<usize>>,
) {
    let bytes = text.as_bytes();
    // Cables run to about one word per six bytes.
    out.reserve(text.len() / 6);
    let mut run = Runs {
        out: runs,
        open: None,
    };
    let mut i = 0;
    let mut prev_end = 0;
    let mut prev_initial = false;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
        } else {
            let c = char_at(text, i);
            if !is_word_char(c) {
                i += c.len_utf8().max(1);
                continue;
            }
        }
        let (end, shape, plain, simple) = match fast_word(bytes, i) {
            // ASCII letters and digits, and an initial's full stop.
            Some((end, shape, plain)) => (end, shape, plain, true),
            None => {
                let (end, shape, plain) = any_word(text, i);
                let word = bytes.get(i..end).unwrap_or_default();
                (end, shape, plain, folds_as_written(word))
            }
        };
        // The gap since the previous word is one space, or nothing after an initial.
        let joined = !out.is_empty()
            && ((i == prev_end + 1 && bytes[prev_end] == b' ') || (i == prev_end && prev_initial));
        out.push(Token {
            start: i,
            end,
            shape,
            joined,
            plain,
            simple,
        });
        run.add(text, out);
        prev_initial = shape == Shape::Initial;
        prev_end = end;
        i = end.max(i + 1);
        // Skip a possessive or garbled possessive (`Patten's`, `Patten,s`, `PattenQs`) as
        // part of the gap.
        if matches!(bytes.get(i), Some(b'\'' | b',' | b'Q' | 0xE2))
            && let Some(skip) = text.get(i..).and_then(possessive_len)
        {
            i += skip;
        }
        // Prose: words of letters in one case or capitalised, one space or a punctuation
        // mark and a space apart, read without the general loop.
        while PROSE && i == prev_end {
            // Most words of prose: a space and a short plain lower-case word.
            if let Some(end) = short_lower_word(bytes, i) {
                out.push(Token {
                    start: i + 1,
                    end,
                    shape: Shape::Lower,
                    joined: true,
                    plain: true,
                    simple: true,
                });
                prev_end = end;
                i = end;
                continue;
            }
            let Some((start, end, shape)) = prose_word(bytes, i) else {
                break;
            };
            out.push(Token {
                start,
                end,
                shape,
                joined: start == i + 1,
                plain: shape == Shape::Lower && bytes[start].is_ascii_lowercase(),
                simple: true,
            });
            if shape != Shape::Lower {
                run.add(text, out);
            }
            prev_initial = false;
            prev_end = end;
            i = end;
        }
    }
    run.finish();
}

/// The end of the word after a word ending at `i`, when a space stands at `i` and the word
/// is plain lower case of at most fourteen letters, ended within the sixteen bytes at `i` by
/// a byte that ends a word (not a `,s` possessive): the commonest word of prose, read from
/// the class mask of the sixteen bytes at `i` ([`mask16::in_range`]) as [`prose_word`]
/// would read it. Near the text's end, where fewer than sixteen bytes are left, the word is
/// left to [`prose_word`].
#[inline(always)]
fn short_lower_word(bytes: &[u8], i: usize) -> Option<usize> {
    let lower = mask16::in_range(bytes, i, b'a', b'z')?;
    if bytes[i] != b' ' {
        return None;
    }
    // The first byte after the space that is no lower-case letter: the word's end.
    let k = (!lower & 0xFFFE).trailing_zeros() as usize;
    if !(2..mask16::WIDTH).contains(&k) {
        return None;
    }
    let end = i + k;
    let c = bytes[end];
    if !ends_word(c) || (c == b',' && bytes.get(end + 1) == Some(&b's')) {
        return None;
    }
    Some(end)
}

/// The word after a word ending at `i`, when one space or one of `,.:;)` and a space stand
/// between them and it is plain lower case (`said`), capitalised (`Minister`) or in
/// capitals (`MINISTER`), with no possessive to skip after it (`,s`): its start, end and
/// shape, as the general loop would read them ([`fast_word`]). `None` leaves it to the
/// general loop.
#[inline(always)]
fn prose_word(bytes: &[u8], i: usize) -> Option<(usize, usize, Shape)> {
    let start = match *bytes.get(i)? {
        b' ' => i + 1,
        b',' | b'.' | b':' | b';' | b')' if bytes.get(i + 1) == Some(&b' ') => i + 2,
        _ => return None,
    };
    let first = *bytes.get(start)?;
    let rest = bytes.get(start + 1..)?;
    let (end, shape) = if first.is_ascii_lowercase() {
        (start + 1 + lower_prefix(rest), Shape::Lower)
    } else if first.is_ascii_uppercase() {
        match lower_prefix(rest) {
            0 => match upper_prefix(rest) {
                0 => return None,
                // An earlier redaction is no word of a name (see `is_redaction_marker`; no
                // `[` stands before a word here, and no `-` after it).
                n if n >= 2 && first == b'X' && rest[..n].iter().all(|&b| b == b'X') => {
                    (start + 1 + n, Shape::Lower)
                }
                n => (start + 1 + n, Shape::Upper),
            },
            n => (start + 1 + n, Shape::Cap),
        }
    } else {
        return None;
    };
    match bytes.get(end) {
        None => Some((start, end, shape)),
        Some(b',') if bytes.get(end + 1) == Some(&b's') => None,
        Some(&c) if ends_word(c) => Some((start, end, shape)),
        Some(_) => None,
    }
}

/// The word starting at `start`: its end, its shape, and whether it is plain lower case
/// (a plain word's shape needs no further look).
fn any_word(text: &str, start: usize) -> (usize, Shape, bool) {
    let bytes = text.as_bytes();
    let (end, plain) = plain_word(bytes, start).map_or_else(
        || {
            let end = word_end(text, start);
            let plain = bytes.get(start).is_some_and(u8::is_ascii_lowercase)
                && bytes[start..end].iter().all(u8::is_ascii_lowercase);
            (end, plain)
        },
        |end| (end, true),
    );
    if plain {
        return (end, Shape::Lower, true);
    }
    let end = compound_split(text, start, end);
    let end = strip_garbled_possessive(text, start, end);
    let (end, shape) = shape_of(text, start, end);
    // A redaction marker is no word of a name: it neither starts nor extends a run.
    if is_redaction_marker(text, start, end) {
        return (end, Shape::Lower, false);
    }
    (end, shape, false)
}

/// [`any_word`] for the words most text is made of, in one pass over their bytes: a plain
/// lower-case word, or ASCII letters and digits ended by a blank, ASCII punctuation, or the
/// end of the text (a `-` or `'` only where it ends the word, see [`ends_at_joiner`]).
/// `None` for any other word.
fn fast_word(bytes: &[u8], start: usize) -> Option<(usize, Shape, bool)> {
    if let Some(end) = plain_word(bytes, start) {
        return Some((end, Shape::Lower, true));
    }
    let rest = bytes.get(start..)?;
    let len = alnum_prefix(rest);
    match rest.get(len) {
        _ if len == 0 => return None,
        Some(&c) if !c.is_ascii() => return None,
        Some(b'\'' | b'-') if !ends_at_joiner(rest, len) => return None,
        _ => {}
    }
    // Not plain lower case: `plain_word` took those.
    let mut word = &rest[..len];
    // `ObamaQs` (see `strip_garbled_possessive`).
    if len > 3 && word.ends_with(b"Qs") && word[len - 3].is_ascii_lowercase() {
        word = &word[..len - 2];
    }
    let end = start + word.len();
    if word.iter().any(u8::is_ascii_digit) {
        return Some((end, Shape::Other, false));
    }
    if !word.first()?.is_ascii_uppercase() {
        // Plain when every letter is lower case, as [`any_word`] reads it (a word ended by a
        // joiner gets here; `abQs` is not plain, its `Qs` cut off or not).
        let plain = rest[..len].iter().all(u8::is_ascii_lowercase);
        return Some((end, Shape::Lower, plain));
    }
    let capitals = !word.iter().any(u8::is_ascii_lowercase);
    if capitals && is_redaction_marker_bytes(bytes, start, end) {
        return Some((end, Shape::Lower, false));
    }
    let shape = match word.len() {
        1 if bytes.get(end) == Some(&b'.') => return Some((end + 1, Shape::Initial, false)),
        1 => Shape::Other,
        _ if capitals => Shape::Upper,
        _ => Shape::Cap,
    };
    Some((end, shape, false))
}

/// Whether a word of ASCII letters and digits, `rest[..len]`, ends at the `'` or `-` at
/// `rest[len]`, as [`word_end`] decides: no letter follows the joiner (`1998-99`,
/// `officials' `), or it is a possessive `'s` that no word character follows (`Turkey's`).
/// `false` also where a byte that decides is beyond ASCII: the general reading decides.
fn ends_at_joiner(rest: &[u8], len: usize) -> bool {
    match rest.get(len + 1) {
        None => true,
        Some(&n) if !n.is_ascii() => false,
        Some(&n) if !n.is_ascii_alphabetic() => true,
        Some(b's') if rest.get(len) == Some(&b'\'') => match rest.get(len + 2) {
            None => true,
            Some(&e) => e.is_ascii() && !e.is_ascii_alphanumeric(),
        },
        Some(_) => false,
    }
}

/// The end of the plain lower-case ASCII word starting at `start` (most words are), or
/// `None` when the word is anything else or may go on (`-`, `'`, a capital, a digit, a
/// non-ASCII character): [`word_end`] then decides.
fn plain_word(bytes: &[u8], start: usize) -> Option<usize> {
    let rest = bytes.get(start..)?;
    let n = lower_prefix(rest);
    match rest.get(n) {
        _ if n == 0 => None,
        None => Some(start + n),
        Some(&c) if ends_word(c) => Some(start + n),
        Some(_) => None,
    }
}

/// Whether the byte after a run of ASCII letters ends the word for certain: ASCII, no letter
/// or digit, and neither `'` nor `-` (after which a word may go on, see [`word_end`]).
fn ends_word(c: u8) -> bool {
    ENDS_WORD[usize::from(c)]
}

/// [`ends_word`] for every byte, looked up: it is asked after nearly every word, and the
/// four tests it stands for cost more than a load.
static ENDS_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        table[c] = !b.is_ascii_alphanumeric() && b != b'\'' && b != b'-';
        c += 1;
    }
    table
};

/// How many bytes at the start of `bytes` are ASCII lower-case letters.
fn lower_prefix(bytes: &[u8]) -> usize {
    match mask16::in_range(bytes, 0, b'a', b'z') {
        Some(m) if m != 0xFFFF => (!m).trailing_zeros() as usize,
        _ => class_prefix(bytes, |x| in_range(x, b'a', b'z'), u8::is_ascii_lowercase),
    }
}

/// How many bytes at the start of `bytes` are ASCII capitals.
fn upper_prefix(bytes: &[u8]) -> usize {
    match mask16::in_range(bytes, 0, b'A', b'Z') {
        Some(m) if m != 0xFFFF => (!m).trailing_zeros() as usize,
        _ => class_prefix(bytes, |x| in_range(x, b'A', b'Z'), u8::is_ascii_uppercase),
    }
}

/// How many bytes at the start of `bytes` are ASCII letters or digits.
fn alnum_prefix(bytes: &[u8]) -> usize {
    let mask = |lo, hi| mask16::in_range(bytes, 0, lo, hi);
    if let (Some(lower), Some(upper), Some(digits)) =
        (mask(b'a', b'z'), mask(b'A', b'Z'), mask(b'0', b'9'))
    {
        let m = lower | upper | digits;
        if m != 0xFFFF {
            return (!m).trailing_zeros() as usize;
        }
    }
    class_prefix(
        bytes,
        |x| in_range(x | splat(0x20), b'a', b'z') | in_range(x, b'0', b'9'),
        u8::is_ascii_alphanumeric,
    )
}

/// `XXXXXXXXXXXX` (earlier redactions in published cables), `[PERSON]` (redline's label)
/// and `PERSON-123456` (its pseudonym): what redaction leaves must never read as a name, or
/// a redacted copy would be redacted again.
pub(crate) fn is_redaction_marker(text: &str, start: usize, end: usize) -> bool {
    is_redaction_marker_bytes(text.as_bytes(), start, end)
}

/// [`is_redaction_marker`] over the text's bytes.
fn is_redaction_marker_bytes(text: &[u8], start: usize, end: usize) -> bool {
    let word = &text[start..end];
    if word.len() >= 3 && word.iter().all(|b| *b == b'X') {
        return true;
    }
    if !word.iter().all(u8::is_ascii_uppercase) {
        return false;
    }
    let before = start.checked_sub(1).and_then(|i| text.get(i));
    let after = &text[end..];
    (before == Some(&b'[') && after.first() == Some(&b']'))
        || (after.first() == Some(&b'-') && after.get(1).is_some_and(u8::is_ascii_digit))
}

/// `Olmert-Mubarak summit`, `PERETZ-OLMERT`: two capitalised names joined by a hyphen are
/// two words (a particle such as `al-` or `Abu-` stays glued).
fn compound_split(text: &str, start: usize, end: usize) -> usize {
    let word = text.get(start..end).unwrap_or("");
    let Some(dash) = word.bytes().position(|b| b == b'-') else {
        return end;
    };
    let (left, right) = (&word[..dash], &word[dash + 1..]);
    let cap = |s: &str| s.chars().next().is_some_and(char::is_uppercase) && s.len() >= 3;
    let particle = [
        "Abu", "ABU", "Abd", "ABD", "Bin", "BIN", "Ben", "BEN", "Ibn", "IBN",
    ];
    if cap(left) && cap(right) && !particle.contains(&left) {
        start + dash
    } else {
        end
    }
}

/// `ObamaQs`: a `?`-for-apostrophe garble turned into `Q`, then `s`.
fn strip_garbled_possessive(text: &str, start: usize, end: usize) -> usize {
    let word = text.get(start..end).unwrap_or("").as_bytes();
    let n = word.len();
    if n > 3 && word.ends_with(b"Qs") && word[n - 3].is_ascii_lowercase() {
        end - 2
    } else {
        end
    }
}

/// Byte length of a possessive ending at the start of `rest`: `'s`, `’s`, `,s`, or `'`.
fn possessive_len(rest: &str) -> Option<usize> {
    for p in ["'s", "\u{2019}s", ",s", "Qs"] {
        if let Some(after) = rest.strip_prefix(p)
            && !after.chars().next().is_some_and(is_word_char)
        {
            return Some(p.len());
        }
    }
    None
}

/// End of the word starting at `start`: word characters, with inner `'`, `’` or `-` when a
/// letter follows (but not a possessive `'s`).
fn word_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut j = start;
    while let Some(&b) = bytes.get(j) {
        if b.is_ascii_alphanumeric() {
            j += 1 + bytes.get(j + 1..).map_or(0, alnum_prefix);
            continue;
        }
        let (c, len) = if b.is_ascii() {
            (b as char, 1)
        } else {
            let c = char_at(text, j);
            (c, c.len_utf8())
        };
        if !c.is_ascii() && is_word_char(c) {
            j += len;
            continue;
        }
        let joiner = matches!(c, '\'' | '\u{2019}' | '-');
        if !joiner || !is_letter(char_at(text, j + len)) {
            break;
        }
        if c != '-' && text.get(j..).and_then(possessive_len).is_some() {
            break;
        }
        j += len;
    }
    j
}

/// The shape of `text[start..end]`, and its end (an initial takes its full stop).
fn shape_of(text: &str, start: usize, end: usize) -> (usize, Shape) {
    let word = text.get(start..end).unwrap_or("");
    if word.is_ascii() {
        return shape_of_ascii(text, word.as_bytes(), end);
    }
    let Some(first) = word.chars().next() else {
        return (end, Shape::Other);
    };
    if word.chars().any(|c| c.is_ascii_digit()) {
        return (end, Shape::Other);
    }
    let upper_count = word.chars().filter(|c| c.is_uppercase()).count();
    let lower_count = word.chars().filter(|c| c.is_lowercase()).count();
    if first.is_uppercase() {
        if word.chars().count() == 1 {
            return if text.get(end..).is_some_and(|r| r.starts_with('.')) {
                (end + 1, Shape::Initial)
            } else {
                (end, Shape::Other)
            };
        }
        let shape = if lower_count == 0 {
            Shape::Upper
        } else {
            Shape::Cap
        };
        return (end, shape);
    }
    // `al-Qadhafi`, `el-Jahmi`: a particle glued to a capitalised name.
    if let Some(dash) = word.find('-')
        && word
            .get(dash + 1..)
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_uppercase)
        && upper_count > 0
    {
        return (end, Shape::Cap);
    }
    (end, Shape::Lower)
}

/// [`shape_of`] for an ASCII word, in one pass over its bytes.
fn shape_of_ascii(text: &str, word: &[u8], end: usize) -> (usize, Shape) {
    let Some(&first) = word.first() else {
        return (end, Shape::Other);
    };
    let (mut upper, mut lower) = (0usize, 0usize);
    for &b in word {
        if b.is_ascii_digit() {
            return (end, Shape::Other);
        }
        upper += usize::from(b.is_ascii_uppercase());
        lower += usize::from(b.is_ascii_lowercase());
    }
    if first.is_ascii_uppercase() {
        if word.len() == 1 {
            return if text.as_bytes().get(end) == Some(&b'.') {
                (end + 1, Shape::Initial)
            } else {
                (end, Shape::Other)
            };
        }
        let shape = if lower == 0 { Shape::Upper } else { Shape::Cap };
        return (end, shape);
    }
    if let Some(dash) = word.iter().position(|&b| b == b'-')
        && word.get(dash + 1).is_some_and(u8::is_ascii_uppercase)
        && upper > 0
    {
        return (end, Shape::Cap);
    }
    (end, Shape::Lower)
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Adm", "Amb", "Capt", "Col", "Dr", "Gen", "Gov", "Hon", "Jr", "Lt", "Maj", "Messrs", "Mme",
    "Mr", "Mrs", "Ms", "No", "Prof", "Rep", "Rev", "Sen", "Sgt", "Sr", "Sra", "St", "Vs",
];

/// The length of the longest of [`ABBREVIATIONS`] (`Messrs`).
const LONGEST_ABBREVIATION: usize = 6;

/// Whether token `i` of `tokens` (the words of `text`) starts a sentence, a heading or a
/// line item, where its capital says nothing. Asked of few words (those a judgement turns
/// on), so worked out when asked rather than for every word.
pub(crate) fn sentence_start(text: &str, tokens: &[Token], i: usize) -> bool {
    let Some(t) = tokens.get(i) else {
        return false;
    };
    let prev = i.checked_sub(1).and_then(|p| tokens.get(p));
    let prev_initial = prev.is_some_and(|p| p.shape == Shape::Initial);
    !t.plain && starts_sentence(text, t.start, prev, prev_initial)
}

fn starts_sentence(text: &str, at: usize, prev: Option<&Token>, prev_initial: bool) -> bool {
    let before = text.get(..at).unwrap_or("");
    let Some(c) = before.chars().rev().find(|c| *c != ' ') else {
        return true;
    };
    match c {
        '.' => {
            let abbrev = prev.is_some_and(|p| {
                p.end - p.start <= LONGEST_ABBREVIATION
                    && p.end + 1 == before.trim_end().len()
                    && ABBREVIATIONS
                        .iter()
                        .any(|a| a.eq_ignore_ascii_case(p.text(text)))
            });
            !prev_initial && !abbrev
        }
        '!' | '?' | ':' | ';' | '(' | ')' | '"' | '\n' | '\u{b6}' | '-' | '*' | '[' | ']' => true,
        _ => false,
    }
}

/// Runs of name-shaped tokens: capitalised words, capitals, initials, and particles between
/// them, each joined to the previous one by a single space. Ranges index the tokens. Built
/// as [`tokenize`] pushes each word, while the words are at hand.
struct Runs<'o> {
    out: &'o mut Vec<Range<usize>>,
    /// The run the last name-shaped word stands in.
    open: Option<Range<usize>>,
}

impl Runs<'_> {
    /// Take in the last of `tokens`, just pushed.
    fn add(&mut self, text: &str, tokens: &[Token]) {
        let Some(t) = tokens.last() else {
            return;
        };
        let k = tokens.len() - 1;
        if !starts_run(t) {
            return;
        }
        if let Some(open) = &mut self.open {
            // Next to the run, or after a particle next to it (`van` in `Ivo van Dorn`).
            let extends = t.joined
                && (open.end == k
                    || (open.end + 1 == k
                        && tokens.get(k - 1).is_some_and(|p| {
                            p.joined
                                && p.shape == Shape::Lower
                                && is_particle(p.text(text).as_bytes())
                        })));
            if extends {
                open.end = k + 1;
                return;
            }
            self.out.push(open.clone());
        }
        self.open = Some(k..k + 1);
    }

    /// Close the last run.
    fn finish(self) {
        if let Some(open) = self.open {
            self.out.push(open);
        }
    }
}

fn starts_run(t: &Token) -> bool {
    matches!(t.shape, Shape::Cap | Shape::Upper | Shape::Initial)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, Shape, bool)> {
        let mut toks = Vec::new();
        tokenize(text, &mut toks, &mut Vec::new());
        toks.iter()
            .enumerate()
            .map(|(i, t)| {
                let start = sentence_start(text, &toks, i);
                (t.text(text).to_string(), t.shape, start)
            })
            .collect()
    }

    #[test]
    fn a_word_ends_at_ascii_that_is_no_letter_digit_apostrophe_or_dash() {
        for b in 0..=u8::MAX {
            let ends = b.is_ascii() && !b.is_ascii_alphanumeric() && b != b'\'' && b != b'-';
            assert_eq!(ends_word(b), ends, "byte {b:#04x}");
        }
    }

    #[test]
    fn lower_prefix_counts_ascii_lower_case_letters_at_the_start() {
        let cases: &[&[u8]] = &[
            b"",
            b"a",
            b"abcdefgh",
            b"abcdefghi jk",
            b"abcdefghijklmnopq.",
            b"wordZ",
            b"`az{",
            b"za@[",
            b"caf\xc3\xa9 x",
            b"abcdefg\xe2\x80\x99s",
            b"ABC",
        ];
        for &c in cases {
            let naive = c.iter().take_while(|b| b.is_ascii_lowercase()).count();
            assert_eq!(lower_prefix(c), naive, "{c:?}");
        }
        for b in 0..=255u8 {
            let w = [b'a', b'B', b'c', b'7', b'e', b'f', b'g', b];
            let naive = w.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
            assert_eq!(alnum_prefix(&w), naive, "{b}");
            assert_eq!(alnum_prefix(&w[7..]), naive.saturating_sub(7), "{b}");
            let w = [b'a', b'b', b'c', b'd', b'e', b'f', b'g', b];
            let naive = w.iter().take_while(|b| b.is_ascii_lowercase()).count();
            assert_eq!(lower_prefix(&w), naive, "{b}");
        }
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// The prefix readers count what a byte-by-byte count does, on either side of the
        /// sixteen bytes one class mask covers.
        #[test]
        fn prefixes_count_as_one_byte_at_a_time_does(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::sample::select(b"azAZ09`{@[/:".to_vec()),
                    1 => proptest::num::u8::ANY,
                ],
                0..40,
            ),
            letters in 0usize..24,
            class in 0usize..3,
        ) {
            // A run of one class first, so that prefixes of every length are read.
            let lead = [b'q', b'Q', b'7'][class];
            let bytes: Vec<u8> = std::iter::repeat_n(lead, letters).chain(bytes).collect();
            let count = |f: fn(&u8) -> bool| bytes.iter().take_while(|b| f(b)).count();
            proptest::prop_assert_eq!(lower_prefix(&bytes), count(u8::is_ascii_lowercase));
            proptest::prop_assert_eq!(upper_prefix(&bytes), count(u8::is_ascii_uppercase));
            proptest::prop_assert_eq!(alnum_prefix(&bytes), count(u8::is_ascii_alphanumeric));
        }

        /// The one-pass reading of a word agrees with the general one wherever it answers.
        #[test]
        fn fast_words_read_as_any_word_does(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    "[a-zA-Z0-9]{1,6}",
                    proptest::sample::select(vec![
                        "XXX", "XXXXXXXXXXXX", "X", "aQs", "abQs", "ObamaQs", "AQs", "A", "B",
                        "Ab", "AB", "ab", "a1", "1a", "PERSON", "123", " ", ".", ",", "'", "-",
                        "[", "]", "é", "É", "’", "'s", "s", "-s", "'s'", "'é",
                    ])
                    .prop_map(String::from),
                ],
                0..16,
            ),
        ) {
            let text = pieces.concat();
            let bytes = text.as_bytes();
            for i in 0..bytes.len() {
                if bytes[i].is_ascii_alphanumeric()
                    && let Some(fast) = fast_word(bytes, i)
                {
                    proptest::prop_assert_eq!(fast, any_word(&text, i), "at {}", i);
                }
            }
        }

        /// Runs built as words are pushed are the runs read off the finished words: from
        /// each name-shaped word, the joined words after it that are name-shaped, or a
        /// particle with one after it.
        #[test]
        fn runs_as_words_arrive_are_the_runs_of_the_words(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Ivo", "DORN", "P.", "van", "al", "met", "the", "2009", "XXXX",
                ]),
                0..14,
            ),
            gaps in proptest::collection::vec(
                proptest::sample::select(vec![" ", "  ", ", ", "\n", ""]),
                14,
            ),
        ) {
            let text: String = words.iter().zip(&gaps).map(|(w, g)| format!("{w}{g}")).collect();
            let (mut toks, mut built) = (Vec::new(), Vec::new());
            tokenize(&text, &mut toks, &mut built);
            let mut read = Vec::new();
            let mut i = 0;
            while i < toks.len() {
                if !starts_run(&toks[i]) {
                    i += 1;
                    continue;
                }
                let mut end = i + 1;
                while toks.get(end).is_some_and(|t| t.joined) {
                    let t = &toks[end];
                    let particle = t.shape == Shape::Lower && is_particle(t.text(&text).as_bytes());
                    if starts_run(t) {
                        end += 1;
                    } else if particle && toks.get(end + 1).is_some_and(|n| n.joined && starts_run(n)) {
                        end += 2;
                    } else {
                        break;
                    }
                }
                read.push(i..end);
                i = end;
            }
            proptest::prop_assert_eq!(built, read, "{:?}", text);
        }
    }

    proptest::proptest! {
        // Many cases: a difference needs a particular word after a particular gap.
        #![proptest_config(proptest::test_runner::Config::with_cases(4096))]

        /// The prose fast path reads the words, their runs and every fact about them as the
        /// general loop does.
        #[test]
        fn prose_reads_as_the_general_loop_does(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    "[a-z]{1,10}",
                    "[A-Z][a-z]{0,9}",
                    "[A-Z]{1,6}",
                    "[a-zA-Z0-9]{1,4}",
                    proptest::sample::select(vec![
                        " ", " ", " ", "  ", ",", ",s", "'s", "'", "-", ".", "\n", "Qs", "’s",
                        "XXXX", "é", "P.", "van", "Dorn", "(", ")", "ObamaQs", "[", "]", ", ",
                        ". ", ": ", "; ", ") ", "XX", "XXX", "XXXXXXXXXXXX", "PERSON-1", "[PERSON]",
                    ])
                    .prop_map(String::from),
                ],
                0..40,
            ),
        ) {
            let text = pieces.concat();
            let (fast, runs) = read_with(&text, true);
            proptest::prop_assert_eq!((fast.clone(), runs), read_with(&text, false), "{:?}", text);
            // A simple word is one that folds to its own lower case.
            for (start, end, _, _, _, simple) in fast {
                let word = &text.as_bytes()[start..end];
                let as_written = word.iter().all(|&c| c.is_ascii() && c != b'-');
                proptest::prop_assert_eq!(simple, as_written, "{:?} in {:?}", &text[start..end], text);
            }
        }
    }

    /// Every fact about a text's words (start, end, shape, joined, plain, simple), and their
    /// runs.
    type Read = (
        Vec<(usize, usize, Shape, bool, bool, bool)>,
        Vec<Range<usize>>,
    );

    /// What `text` reads as, with or without the prose fast paths.
    fn read_with(text: &str, fast: bool) -> Read {
        let (mut toks, mut runs) = (Vec::new(), Vec::new());
        if fast {
            tokenize_with::<true>(text, &mut toks, &mut runs);
        } else {
            tokenize_with::<false>(text, &mut toks, &mut runs);
        }
        let toks = toks
            .iter()
            .map(|t| (t.start, t.end, t.shape, t.joined, t.plain, t.simple))
            .collect();
        (toks, runs)
    }

    /// The one-load path for short lower-case words, at every length it can take and past
    /// it, before every kind of byte that may follow a word, and beside it the words it must
    /// leave to the other paths.
    #[test]
    fn short_lower_words_read_as_the_general_loop_does() {
        let letters = "abcdefghijklmnopqrstuvwxyz";
        let after = [
            "",
            " ",
            ",s",
            ",s ",
            ",sa",
            ", ",
            ",",
            ".",
            ". x",
            "'s",
            "'",
            "-x",
            "Qs",
            "Q",
            "X",
            "9",
            "\u{e9}",
            "\u{2019}s",
            "\n",
            "(",
            ")",
            "  ",
            "\t",
        ];
        for len in 0..=20 {
            let lower = &letters[..len];
            // Lower case, and the words beside it that the path must leave alone: capitalised
            // (`X` as an earlier redaction's letter too) and in capitals.
            let words = [
                lower.to_string(),
                format!("A{lower}"),
                format!("X{lower}"),
                lower.to_ascii_uppercase(),
            ];
            for (word, end) in words.iter().flat_map(|w| after.map(|e| (w, e))) {
                for lead in ["met", "Met", "MET", "x.", "("] {
                    // With the text's end near, and far enough for every load.
                    for tail in ["", " and then some more words"] {
                        let text = format!("{lead} {word}{end}{tail}");
                        assert_eq!(read_with(&text, true), read_with(&text, false), "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn earlier_redactions_in_prose_are_no_words_of_a_name() {
        for text in ["met XXX today", "met XXXXXXXXXXXX, today", "met: XXXX and"] {
            assert_eq!(words(text)[1].1, Shape::Lower, "{text}");
        }
        assert_eq!(words("met XX today")[1].1, Shape::Upper);
    }

    #[test]
    fn no_particle_is_longer_than_the_longest() {
        assert!(PARTICLES.iter().all(|p| p.len() <= LONGEST_PARTICLE));
        assert!(is_particle(b"della") && !is_particle(b"dellas"));
    }

    #[test]
    fn no_abbreviation_is_longer_than_the_longest() {
        assert!(
            ABBREVIATIONS
                .iter()
                .all(|a| a.len() <= LONGEST_ABBREVIATION)
        );
    }

    #[test]
    fn possessives_and_garbled_possessives_stay_outside_the_word() {
        let w = words("Mr. Odinsky's car and Odinsky,s view of O'Brien");
        let texts: Vec<&str> = w.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Mr", "Odinsky", "car", "and", "Odinsky", "view", "of", "O'Brien"
            ]
        );
        assert!(!w[1].2, "a name after `Mr.` does not start a sentence");
    }

    #[test]
    fn initials_particles_and_capitals_have_shapes() {
        let w = words("Tomas B. el-Varga met TARAS");
        assert_eq!(w[1], ("B.".to_string(), Shape::Initial, false));
        assert_eq!(w[2].1, Shape::Cap);
        assert_eq!(w[4].1, Shape::Upper);
    }

    #[test]
    fn runs_join_names_across_particles_but_not_punctuation() {
        let text = "met Ivo van Dorn, Lena P.K. Ostrova and the Board";
        let (mut toks, mut r) = (Vec::new(), Vec::new());
        tokenize(text, &mut toks, &mut r);
        let got: Vec<&str> = r
            .iter()
            .map(|r| &text[toks[r.start].start..toks[r.end - 1].end])
            .collect();
        assert_eq!(got, ["Ivo van Dorn", "Lena P.K. Ostrova", "Board"]);
    }
}
