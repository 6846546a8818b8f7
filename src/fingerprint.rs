//! Fingerprints of findings: a keyed hash (HMAC-SHA-256) of the rule, the path and the matched
//! text. No line numbers, so a fingerprint survives text moving within a file; no plaintext,
//! so a baseline or a SARIF log does not repeat what it flags.
//!
//! The key matters because the matched values are guessable (a phone number has ~10^10
//! candidates): an unkeyed hash would be a lookup table away from the plaintext. A baseline
//! carries its own random key unless `REDLINE_FINGERPRINT_KEY` supplies one; then the file
//! reveals nothing to whoever lacks that secret.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Environment variable holding a secret fingerprint key (any string).
pub const KEY_ENV: &str = "REDLINE_FINGERPRINT_KEY";

/// Computes fingerprints under one key.
#[derive(Debug, Clone)]
pub struct Fingerprinter {
    key: Vec<u8>,
}

impl Fingerprinter {
    /// A fingerprinter with this key.
    pub fn new(key: impl Into<Vec<u8>>) -> Self {
        Fingerprinter { key: key.into() }
    }

    /// The key from `REDLINE_FINGERPRINT_KEY`, if set and not empty.
    pub fn from_env() -> Option<Self> {
        std::env::var(KEY_ENV)
            .ok()
            .filter(|k| !k.is_empty())
            .map(|k| Fingerprinter::new(k.into_bytes()))
    }

    /// A fresh random 32-byte key, hex-encoded.
    ///
    /// # Errors
    /// When the operating system has no randomness to give.
    pub fn random_key() -> std::io::Result<String> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(hex(&key))
    }

    /// The fingerprint of `rule` matching `matched` in `path`, as 64 hex digits.
    ///
    /// The path is taken without leading `./` so `check .` and `check file` agree; fields are
    /// separated by NUL so no two (rule, path, text) triples hash the same input.
    pub fn fingerprint(&self, rule: &str, path: &str, matched: &[u8]) -> String {
        // HMAC takes keys of any length, so this cannot fail; fall back to an empty MAC input
        // rather than panic if a future version decides otherwise.
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key) else {
            return String::new();
        };
        mac.update(rule.as_bytes());
        mac.update(&[0]);
        mac.update(normal_path(path).as_bytes());
        mac.update(&[0]);
        mac.update(matched);
        hex(&mac.finalize().into_bytes())
    }
}

/// `path` without leading `./` components.
pub fn normal_path(path: &str) -> &str {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.trim_start_matches('/');
    }
    p
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_depend_on_key_rule_path_and_text_but_not_on_dot_slash() {
        let a = Fingerprinter::new(b"k1".to_vec());
        let b = Fingerprinter::new(b"k2".to_vec());
        let f = a.fingerprint("contact.email", "./docs/a.txt", b"x@example.gov");
        assert_eq!(f.len(), 64);
        assert_eq!(
            f,
            a.fingerprint("contact.email", "docs/a.txt", b"x@example.gov")
        );
        assert_ne!(
            f,
            b.fingerprint("contact.email", "docs/a.txt", b"x@example.gov")
        );
        assert_ne!(
            f,
            a.fingerprint("contact.phone", "docs/a.txt", b"x@example.gov")
        );
        assert_ne!(
            f,
            a.fingerprint("contact.email", "docs/b.txt", b"x@example.gov")
        );
        assert_ne!(
            f,
            a.fingerprint("contact.email", "docs/a.txt", b"y@example.gov")
        );
        assert!(!f.contains("example"));
    }

    #[test]
    fn random_keys_differ() {
        let k1 = Fingerprinter::random_key().unwrap();
        let k2 = Fingerprinter::random_key().unwrap();
        assert_eq!(k1.len(), 64);
        assert_ne!(k1, k2);
    }
}
