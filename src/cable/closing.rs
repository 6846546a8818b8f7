//! The end of a cable: drafting lines (`DRAFTED:`, `CLEARED:`, `APPROVED:`) and the closing
//! signature (`ORDWAY`).

use std::ops::Range;

use super::lines::{Line, starts_ci};
use super::marking::{is_caveat_word, level_word};

/// Lines naming who drafted, cleared and approved the cable: the key, an optional `BY`, then
/// a colon (a sentence that starts "drafted by the ministry" is not one).
pub(crate) fn is_drafting_line(bytes: &[u8], line: &Line) -> bool {
    let t = &bytes[line.trimmed.clone()];
    [&b"DRAFTED"[..], b"CLEARED", b"APPROVED"].iter().any(|k| {
        if !starts_ci(t, k) {
            return false;
        }
        let rest = t[k.len()..].trim_ascii_start();
        let rest = if starts_ci(rest, b"BY") {
            rest[2..].trim_ascii_start()
        } else {
            rest
        };
        rest.starts_with(b":")
    })
}

/// The trailing signature lines (`ORDWAY`), skipping end-of-message noise.
pub(crate) fn parse_signature(
    bytes: &[u8],
    lines: &[Line],
    from: usize,
) -> (Vec<Range<usize>>, usize) {
    let mut i = lines.len();
    let mut sig = Vec::new();
    while i > from {
        let line = &lines[i - 1];
        let t = &bytes[line.trimmed.clone()];
        if line.is_blank() || matches!(t, b"NNNN" | b"BT") || t.starts_with(b"#") {
            if !sig.is_empty() && line.is_blank() {
                break;
            }
            i -= 1;
            continue;
        }
        if sig.len() >= 2 || !is_signature_name(t) {
            break;
        }
        sig.push(line.trimmed.clone());
        i -= 1;
    }
    sig.reverse();
    let start = sig.first().map_or(usize::MAX, |r| r.start);
    (sig, start)
}

fn is_signature_name(t: &[u8]) -> bool {
    // Most lines are longer: settled before their words are split out.
    if t.len() > 40 {
        return false;
    }
    let words: Vec<&[u8]> = t.split(|b| *b == b' ').filter(|w| !w.is_empty()).collect();
    !words.is_empty()
        && words.len() <= 3
        && words.iter().all(|w| {
            w[0].is_ascii_uppercase()
                && w.iter()
                    .all(|b| b.is_ascii_alphabetic() || matches!(b, b'\'' | b'-' | b'.'))
        })
        && !words
            .iter()
            .any(|w| is_caveat_word(w) || level_word(w).is_some() || *w == b"END")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_up_to_three_capitalised_words_in_forty_bytes() {
        for t in ["ORDWAY", "John Q. Smith-Jones", "O'NEILL"] {
            assert!(is_signature_name(t.as_bytes()), "{t}");
        }
        for t in [
            "",
            "ANNA MARIA VAN DORN",
            "Bartholomew-Featherstonehaugh Worthington",
            "ORDWAY, JR",
            "smith",
            "END",
            "NOFORN",
        ] {
            assert!(!is_signature_name(t.as_bytes()), "{t}");
        }
    }
}
