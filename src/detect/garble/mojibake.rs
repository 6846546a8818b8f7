//! The `garble-mojibake` detector: UTF-8 text that was decoded as Latin-1 or Windows-1252 and
//! encoded again (`â€™` for `’`, `Ã©` for `é`, `Â¬` for `¬`).
//!
//! A run of characters is taken back to the bytes the wrong decoder read (Latin-1 for
//! U+0080..U+00FF, the Windows-1252 table for `€`, `™`, `œ` ...) and decoded as UTF-8 again;
//! only a run that decodes cleanly into non-ASCII text is damage, and that text is the fix.
//! So a plain `é` or `Â` in a Spanish or French name is left alone.

use std::ops::Range;

use crate::detect::{Detector, Document, Hit};
use crate::rules::schema::{Confidence, MatchOn};

/// Windows-1252 bytes 0x80..=0x9F and the characters they decode to.
const CP1252: [(u8, char); 27] = [
    (0x80, '€'),
    (0x82, '‚'),
    (0x83, 'ƒ'),
    (0x84, '„'),
    (0x85, '…'),
    (0x86, '†'),
    (0x87, '‡'),
    (0x88, 'ˆ'),
    (0x89, '‰'),
    (0x8A, 'Š'),
    (0x8B, '‹'),
    (0x8C, 'Œ'),
    (0x8E, 'Ž'),
    (0x91, '‘'),
    (0x92, '’'),
    (0x93, '“'),
    (0x94, '”'),
    (0x95, '•'),
    (0x96, '–'),
    (0x97, '—'),
    (0x98, '˜'),
    (0x99, '™'),
    (0x9A, 'š'),
    (0x9B, '›'),
    (0x9C, 'œ'),
    (0x9E, 'ž'),
    (0x9F, 'Ÿ'),
];

/// Finds mojibake; see the module documentation.
#[derive(Debug, Default)]
pub struct MojibakeDetector;

impl Detector for MojibakeDetector {
    fn needs_raw(&self) -> bool {
        false
    }

    fn reads_structure(&self) -> bool {
        false
    }

    fn detect(&self, doc: &Document<'_>, out: &mut Vec<Hit>) {
        let text = doc.view.text();
        if text.is_ascii() {
            // A run starts with a character U+00C2..U+00EF: no ASCII text holds one.
            return;
        }
        // Only non-ASCII characters matter: skip the ASCII between them in blocks.
        let mut at = 0;
        while let Some(start) = next_non_ascii(text.as_bytes(), at) {
            let mut chars = text[start..].chars();
            let Some(c) = chars.next() else {
                break;
            };
            let mut end = start + c.len_utf8();
            at = end;
            let Some(lead) = byte_of(c).filter(|b| (0xC2..=0xEF).contains(b)) else {
                continue;
            };
            let mut bytes = vec![lead];
            let want = if lead >= 0xE0 { 2 } else { 1 };
            while bytes.len() <= want {
                match chars.next().and_then(|n| byte_of(n).map(|b| (n, b))) {
                    Some((n, b)) if (0x80..=0xBF).contains(&b) => {
                        bytes.push(b);
                        end += n.len_utf8();
                    }
                    _ => break,
                }
            }
            at = end;
            if let Some(fixed) = decoded(&bytes) {
                out.push(hit(start..end, fixed));
            }
        }
    }
}

/// The index of the first non-ASCII byte of `bytes` at or after `from`.
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while bytes.get(i..i + 32).is_some_and(<[u8]>::is_ascii) {
        i += 32;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|b| !b.is_ascii())
        .map(|p| i + p)
}

/// The byte a Latin-1 / Windows-1252 decoder turned into `c`, if any.
fn byte_of(c: char) -> Option<u8> {
    match u32::from(c) {
        0x80..=0xFF => u8::try_from(u32::from(c)).ok(),
        _ => CP1252.iter().find(|(_, ch)| *ch == c).map(|(b, _)| *b),
    }
}

fn decoded(bytes: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(bytes).ok()?;
    (bytes.len() >= 2 && !s.is_ascii()).then(|| s.to_string())
}

fn hit(span: Range<usize>, fix: String) -> Hit {
    Hit {
        on: MatchOn::View,
        span,
        fix: Some(fix),
        confidence: Some(Confidence::High),
        note: Some("UTF-8 read as Windows-1252".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_decode_back_to_what_was_meant() {
        assert_eq!(decoded(&[0xE2, 0x80, 0x99]).as_deref(), Some("’"));
        assert_eq!(decoded(&[0xC3, 0xA9]).as_deref(), Some("é"));
        assert_eq!(byte_of('€'), Some(0x80));
        assert_eq!(byte_of('é'), Some(0xE9));
        // `é` alone is a lead byte with nothing after it: no valid sequence, no finding.
        assert_eq!(decoded(&[0xE9]), None);
    }
}
