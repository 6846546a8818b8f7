//! Operators: what text replaces a redacted span, and the keyed hash behind pseudonyms.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// How a redacted span is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operator {
    /// `XXXXXXXXXXXX` as in the published cables, or block characters.
    Mask,
    /// The category in brackets: `[PERSON]`.
    Label,
    /// A stable stand-in such as `PERSON-804411`, from a keyed hash of the text.
    Pseudonym,
    /// Nothing (line breaks stay).
    Remove,
}

impl Operator {
    /// The lower-case name used on the command line and in the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Mask => "mask",
            Operator::Label => "label",
            Operator::Pseudonym => "pseudonym",
            Operator::Remove => "remove",
        }
    }
}

/// The character a mask is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MaskStyle {
    /// `X`, as the published cables do.
    #[default]
    X,
    /// `█` (U+2588 FULL BLOCK).
    Block,
}

impl MaskStyle {
    fn char(self) -> char {
        match self {
            MaskStyle::X => 'X',
            MaskStyle::Block => '\u{2588}',
        }
    }
}

/// A secret key for pseudonyms and manifest hashes.
///
/// Pseudonyms are an HMAC-SHA256 of the redacted text, so the same name gives the same
/// pseudonym under one key and no table of real names is ever kept; without the key the
/// pseudonym cannot be checked against a guessed name.
#[derive(Clone)]
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    /// A key from secret bytes (the contents of `--key-file`).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Key(bytes.to_vec())
    }

    /// A fresh random key: pseudonyms are consistent within this run only.
    ///
    /// # Errors
    /// When the operating system has no randomness to give.
    pub fn random() -> std::io::Result<Self> {
        let mut buf = vec![0u8; 32];
        getrandom::fill(&mut buf)
            .map_err(|e| std::io::Error::other(format!("no random key: {e}")))?;
        Ok(Key(buf))
    }

    /// HMAC-SHA256 of `category` and the normalised `text` (case and whitespace folded).
    pub fn digest(&self, category: &str, text: &[u8]) -> [u8; 32] {
        // HMAC accepts keys of any length, so this cannot fail; a zero digest is never used.
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0) else {
            return [0; 32];
        };
        mac.update(category.as_bytes());
        mac.update(b"\0");
        mac.update(normalise(text).as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// A short hex form of [`Key::digest`], for the manifest.
    pub fn hex(&self, category: &str, text: &[u8]) -> String {
        self.digest(category, text)[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The same name across a hard wrap or in capitals is the same name.
fn normalise(text: &[u8]) -> String {
    String::from_utf8_lossy(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// Turns a span and its operator into replacement text.
#[derive(Debug, Clone, Default)]
pub struct Replacer {
    /// The mask character.
    pub mask: MaskStyle,
    /// Masks keep the span's length in characters (and its line breaks), so layout survives.
    pub keep_length: bool,
    /// Key for pseudonyms; without one, pseudonyms fall back to labels.
    pub key: Option<Key>,
}

impl Replacer {
    /// The replacement for `original` (a whole span), line breaks included.
    ///
    /// `identity` is the text whose pseudonym the span takes: the span itself, or for a
    /// propagated mention the name it repeats.
    pub fn replace(
        &self,
        op: Operator,
        category: &str,
        identity: &[u8],
        original: &[u8],
    ) -> String {
        if op == Operator::Mask && self.keep_length {
            return mask_keeping_length(original, self.mask.char());
        }
        // Built in place: a copy verified under labels makes one for every redaction.
        let mut out = match op {
            Operator::Mask => {
                let c = self.mask.char();
                let mut m = String::with_capacity(12 * c.len_utf8() + 2);
                m.extend(std::iter::repeat_n(c, 12));
                m
            }
            Operator::Label => label(category),
            Operator::Pseudonym => self.pseudonym(category, identity),
            Operator::Remove => String::new(),
        };
        push_line_breaks(&mut out, original);
        out
    }

    fn pseudonym(&self, category: &str, identity: &[u8]) -> String {
        let Some(key) = &self.key else {
            return label(category);
        };
        let d = key.digest(category, identity);
        let n = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) % 1_000_000;
        format!("{}-{n}", category.to_uppercase())
    }
}

/// `[PERSON]`: the category in capitals (as `str::to_uppercase` writes them, one character
/// at a time), in brackets.
pub(crate) fn label(category: &str) -> String {
    let mut out = String::with_capacity(category.len() + 4);
    out.push('[');
    if category.is_ascii() {
        out.push_str(category);
        out.make_ascii_uppercase();
    } else {
        out.extend(category.chars().flat_map(char::to_uppercase));
    }
    out.push(']');
    out
}

fn mask_keeping_length(original: &[u8], c: char) -> String {
    String::from_utf8_lossy(original)
        .chars()
        .map(|ch| if ch == '\n' || ch == '\r' { ch } else { c })
        .collect()
}

/// The line breaks of `original`, in order (`\r\n` stays `\r\n`), pushed onto `out`.
pub(crate) fn push_line_breaks(out: &mut String, original: &[u8]) {
    for &b in original {
        if b == b'\n' || b == b'\r' {
            out.push(char::from(b));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn r(keep_length: bool, mask: MaskStyle) -> Replacer {
        Replacer {
            mask,
            keep_length,
            key: Some(Key::from_bytes(b"k")),
        }
    }

    #[test]
    fn operators_keep_line_breaks() {
        let span = b"Jane Q \r\nRoe";
        let x = r(false, MaskStyle::X);
        assert_eq!(
            x.replace(Operator::Mask, "person", span, span),
            "XXXXXXXXXXXX\r\n"
        );
        assert_eq!(
            x.replace(Operator::Label, "person", span, span),
            "[PERSON]\r\n"
        );
        assert_eq!(x.replace(Operator::Remove, "person", span, span), "\r\n");
        let kept = r(true, MaskStyle::Block).replace(Operator::Mask, "person", span, span);
        assert_eq!(kept, "\u{2588}".repeat(7) + "\r\n" + &"\u{2588}".repeat(3));
    }

    #[test]
    fn labels_and_masks_are_built_as_formatted() {
        for c in [
            "person",
            "phone",
            "stra\u{df}e",
            "\u{1c6}emal",
            "\u{130}x",
            "x\u{3c2}",
            "",
        ] {
            assert_eq!(label(c), format!("[{}]", c.to_uppercase()), "{c}");
        }
        for style in [MaskStyle::X, MaskStyle::Block] {
            let masked = r(false, style).replace(Operator::Mask, "person", b"a\nb", b"a\nb");
            assert_eq!(masked, style.char().to_string().repeat(12) + "\n");
        }
    }

    #[test]
    fn pseudonyms_are_keyed_and_fold_case_and_wraps() {
        let x = r(false, MaskStyle::X);
        let a = x.replace(Operator::Pseudonym, "person", b"Jane \nRoe", b"Jane \nRoe");
        let b = x.replace(Operator::Pseudonym, "person", b"JANE ROE", b"JANE ROE");
        assert_eq!(a.trim_end(), b);
        assert!(b.starts_with("PERSON-"), "{b}");
        let other = Replacer {
            key: Some(Key::from_bytes(b"other key")),
            ..x.clone()
        };
        assert_ne!(
            other.replace(Operator::Pseudonym, "person", b"JANE ROE", b"JANE ROE"),
            b
        );
        assert_ne!(
            x.replace(Operator::Pseudonym, "person", b"John Doe", b"x"),
            b
        );
    }
}
