//! Classes beyond ASCII written as bytes, so that compiling a pattern needs no UTF-8
//! automaton.
//!
//! The `regex` crate's compiler turns a class that holds a character beyond ASCII into a
//! UTF-8 automaton, and the first such class of every pattern sets up a table of 10,000
//! entries for it (about 320 KB, written in full). In a one-file run (a pre-commit hook)
//! those tables were about a fifth of the page faults, and page faults were as much of the
//! run's time as its own work in a slow hour. Two kinds of class need no such automaton:
//!
//! - A class with only a few characters beyond ASCII (`\s`, or `s` under `(?i)`, which also
//!   reads `ſ`): each of those characters is its UTF-8 encoding written as bytes, beside the
//!   class's ASCII part. The encodings are whole and distinct, so on UTF-8 text this reads
//!   exactly the characters the class reads, one at a time, for every kind of search.
//! - A class that holds every character beyond ASCII (`.`, `[^,]`): a lead byte and the
//!   continuation bytes after it ([`Beyond::AnyChar`]). This one holds only for a search
//!   anchored at a character's start that reads forward (see [`crate::scan`]'s forward
//!   searches), not for the `regex` crate's engine as a whole.

use regex_syntax::hir::{
    Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition,
};

/// Most characters beyond ASCII a class may hold to be written character by character:
/// `\s` holds 19, `\d` several hundred.
const FEW: u32 = 32;

/// Which classes beyond ASCII [`as_bytes`] writes as bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Beyond {
    /// Classes with at most a few characters beyond ASCII.
    Few,
    /// Those, and classes that hold every character beyond ASCII (for forward searches
    /// anchored at a character's start only).
    AnyChar,
}

/// `hir` with its classes beyond ASCII written as bytes where `beyond` allows.
pub(crate) fn as_bytes(hir: Hir, beyond: Beyond) -> Hir {
    // A part with no class beyond ASCII stays as it is: rebuilding it node by node cost
    // more than the few classes rewritten.
    if !beyond_ascii(&hir) {
        return hir;
    }
    let again = |sub: Box<Hir>| Box::new(as_bytes(*sub, beyond));
    match hir.into_kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let any = match beyond {
                Beyond::AnyChar => any_char_bytes(&class),
                Beyond::Few => None,
            };
            any.or_else(|| few_chars_bytes(&class))
                .unwrap_or_else(|| Hir::class(Class::Unicode(class)))
        }
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: again(rep.sub),
            ..rep
        }),
        HirKind::Capture(mut cap) => {
            cap.sub = again(cap.sub);
            Hir::capture(cap)
        }
        HirKind::Concat(subs) => {
            Hir::concat(subs.into_iter().map(|h| as_bytes(h, beyond)).collect())
        }
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.into_iter().map(|h| as_bytes(h, beyond)).collect())
        }
        HirKind::Class(class) => Hir::class(class),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(lit) => Hir::literal(lit.0),
        HirKind::Look(look) => Hir::look(look),
    }
}

/// Whether `hir` holds a class with a character beyond ASCII.
fn beyond_ascii(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => !class.is_ascii(),
        HirKind::Repetition(rep) => beyond_ascii(&rep.sub),
        HirKind::Capture(cap) => beyond_ascii(&cap.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(beyond_ascii),
        HirKind::Class(Class::Bytes(_))
        | HirKind::Empty
        | HirKind::Literal(_)
        | HirKind::Look(_) => false,
    }
}

fn byte_class(lo: u8, hi: u8) -> Hir {
    Hir::class(Class::Bytes(ClassBytes::new([ClassBytesRange::new(
        lo, hi,
    )])))
}

/// `class`'s ASCII part as a byte class, if it has one.
fn ascii_part(class: &ClassUnicode) -> Option<Hir> {
    let mut ascii = class.clone();
    ascii.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]));
    ascii
        .to_byte_class()
        .filter(|b| !b.ranges().is_empty())
        .map(|b| Hir::class(Class::Bytes(b)))
}

/// `class` as its ASCII part or one of its few characters beyond ASCII, each written as
/// the bytes of its encoding; `None` if it holds none beyond ASCII or more than [`FEW`].
///
/// Each character is a concatenation of one-byte classes rather than a literal: an
/// alternation of one-character literals would be folded back into a class.
fn few_chars_bytes(class: &ClassUnicode) -> Option<Hir> {
    let beyond: Vec<&ClassUnicodeRange> = class.iter().filter(|r| !r.end().is_ascii()).collect();
    let count: u32 = beyond
        .iter()
        .map(|r| u32::from(r.end()) - u32::from(r.start().max('\u{80}')) + 1)
        .sum();
    if beyond.is_empty() || count > FEW {
        return None;
    }
    let mut alternatives: Vec<Hir> = ascii_part(class).into_iter().collect();
    let mut buf = [0; 4];
    for c in beyond
        .iter()
        .flat_map(|r| r.start().max('\u{80}')..=r.end())
    {
        let encoded = c.encode_utf8(&mut buf).as_bytes();
        alternatives.push(Hir::concat(
            encoded.iter().map(|&b| byte_class(b, b)).collect(),
        ));
    }
    Some(Hir::alternation(alternatives))
}

/// `class` as one of its ASCII bytes, or a byte from `0xC0` up and the continuation bytes
/// (`0x80`-`0xBF`) after it, as many as follow; `None` unless it holds every character
/// beyond ASCII.
///
/// Searched forward from a character's start, this reads the characters the class reads.
/// A character beyond ASCII is a lead byte and its continuation bytes, and the repetition
/// takes them all before anything else in the pattern reads on: nothing else reads a
/// continuation byte (a `&str` pattern cannot name one, and every other class beyond ASCII
/// reads whole encodings), so a search that stopped inside a character could not go on.
/// The one place it could end is the end of the pattern, and there the repetition, greedy,
/// prefers the rest of the character: a search ends inside a character only where the text
/// does, and a `&str` never does.
fn any_char_bytes(class: &ClassUnicode) -> Option<Hir> {
    let beyond = ClassUnicode::new([ClassUnicodeRange::new('\u{80}', char::MAX)]);
    let mut held = class.clone();
    held.intersect(&beyond);
    if held != beyond {
        return None;
    }
    let character = Hir::concat(vec![
        byte_class(0xC0, 0xFF),
        Hir::repetition(Repetition {
            min: 0,
            max: None,
            greedy: true,
            sub: Box::new(byte_class(0x80, 0xBF)),
        }),
    ]);
    Some(match ascii_part(class) {
        Some(ascii) => Hir::alternation(vec![ascii, character]),
        None => character,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::{Beyond, as_bytes};

    /// Whether `pattern` comes out with a class still read as characters beyond ASCII.
    fn keeps_a_unicode_class(pattern: &str, beyond: Beyond) -> bool {
        fn any(hir: &regex_syntax::hir::Hir) -> bool {
            use regex_syntax::hir::{Class, HirKind};
            match hir.kind() {
                HirKind::Class(Class::Unicode(c)) => !c.is_ascii(),
                HirKind::Repetition(r) => any(&r.sub),
                HirKind::Capture(c) => any(&c.sub),
                HirKind::Concat(s) | HirKind::Alternation(s) => s.iter().any(any),
                _ => false,
            }
        }
        any(&as_bytes(regex_syntax::parse(pattern).unwrap(), beyond))
    }

    #[test]
    fn a_pattern_with_no_class_beyond_ascii_comes_out_as_it_went_in() {
        for p in [
            r"(?-u:\b)ZN[YR] (?P<m>[A-Z]{5}) ?ZZH",
            r"(?i-u:classified by):[0-9]+",
            r"(?m)^(?:a|b)*$",
        ] {
            let hir = regex_syntax::parse(p).unwrap();
            assert_eq!(as_bytes(hir.clone(), Beyond::Few), hir, "{p}");
            assert_eq!(as_bytes(hir.clone(), Beyond::AnyChar), hir, "{p}");
        }
        // One class beyond ASCII: the pattern is rewritten.
        let hir = regex_syntax::parse(r"ZN[YR] \s").unwrap();
        assert_ne!(as_bytes(hir.clone(), Beyond::Few), hir);
    }

    #[test]
    fn only_classes_with_few_characters_beyond_ascii_become_bytes() {
        for p in [
            r"\s",
            r"[^\S\n]",
            r"(?i:classified by)",
            r"(?i)k",
            r"[é]",
            r"[a-zé-ë]",
        ] {
            assert!(!keeps_a_unicode_class(p, Beyond::Few), "{p}");
        }
        for p in [r"\w+", r"\d", r"[^é]", r"\S", r".{0,3}", r"[^\s&]"] {
            assert!(keeps_a_unicode_class(p, Beyond::Few), "{p}");
        }
        // Every character beyond ASCII, for forward searches only.
        for p in [r".{0,3}", r"(?s)a.b", r"(?P<m>[^,\n]+)", r"\s\(", r"(?i)k"] {
            assert!(!keeps_a_unicode_class(p, Beyond::AnyChar), "{p}");
        }
        for p in [r"\w+", r"[^é]", r"\S", r"[^\s&]"] {
            assert!(keeps_a_unicode_class(p, Beyond::AnyChar), "{p}");
        }
    }

    proptest::proptest! {
        /// Written as bytes, a pattern finds what the `regex` crate finds, with the same
        /// groups, on text full of the characters its classes read beyond ASCII.
        #[test]
        fn the_few_characters_read_as_before(
            text in "[ a-zA-Z\t\n(),:.ſKéë\u{a0}\u{85}\u{2000}-\u{200b}\u{3000}\u{2028}😀]{0,40}",
            which in 0usize..7,
        ) {
            let pattern = [
                r"[A-Z]\s?\(([A-Z][A-Z' .,/-]*)\)",
                r"^(?i:classified by):?\s",
                r"(?i:reasons?|for reasons)|1\.[45]|\n\n|$",
                r"(?:^|[\s(])(&[A-Za-z][^\s&]*)",
                r"([a-zé-ë]+)\s+(?i:k)",
                r"[^\S\n]{2,}|\s$",
                r"(?i)s\s",
            ][which];
            let theirs = regex::Regex::new(pattern).unwrap();
            let hir = as_bytes(regex_syntax::parse(pattern).unwrap(), Beyond::Few);
            let ours = regex_automata::meta::Regex::builder().build_from_hir(&hir).unwrap();
            let want: Vec<Vec<Option<(usize, usize)>>> = theirs
                .captures_iter(&text)
                .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
                .collect();
            let got: Vec<Vec<Option<(usize, usize)>>> = ours
                .captures_iter(&text)
                .map(|c| (0..c.group_len()).map(|i| c.get_group(i).map(|s| (s.start, s.end))).collect())
                .collect();
            proptest::prop_assert_eq!(got, want, "{:?} on {:?}", pattern, text);
        }
    }
}
