//! Baselines: the findings a project has accepted for now, so that `check --baseline FILE`
//! reports only new ones. A baseline holds fingerprints (see [`crate::fingerprint`]), never the
//! matched text or a line number: it can be committed next to the documents, and it does not
//! churn when text moves. The same value found twice in a file is two entries, so a third
//! occurrence is new.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::fingerprint::{Fingerprinter, KEY_ENV};

/// The file format, version 1.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    /// The fingerprint key, hex; absent when the key comes from `REDLINE_FINGERPRINT_KEY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    fingerprints: Vec<String>,
}

/// A loaded baseline: fingerprints not yet matched by a finding of this run.
#[derive(Debug, Clone)]
pub struct Baseline {
    fingerprinter: Fingerprinter,
    remaining: HashMap<String, usize>,
}

impl Baseline {
    /// Read a baseline file.
    ///
    /// # Errors
    /// An unreadable or malformed file, or one written with a secret key that is not set now.
    pub fn load(path: &Path) -> Result<Self, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "{shown}: cannot read the baseline: {}",
                crate::reason::io_reason(&e)
            )
        })?;
        let file: BaselineFile = serde_json::from_str(&text)
            .map_err(|e| format!("{shown}: not a redline baseline: {e}"))?;
        if file.version != 1 {
            return Err(format!(
                "{shown}: baseline version {} is not supported; write it again with --write-baseline",
                file.version
            ));
        }
        let fingerprinter = match (file.key, Fingerprinter::from_env()) {
            (Some(key), _) => Fingerprinter::new(key.into_bytes()),
            (None, Some(f)) => f,
            (None, None) => {
                return Err(format!(
                    "{shown}: the baseline was written with a secret key; set {KEY_ENV}"
                ));
            }
        };
        let mut remaining = HashMap::new();
        for f in file.fingerprints {
            *remaining.entry(f).or_insert(0) += 1;
        }
        Ok(Baseline {
            fingerprinter,
            remaining,
        })
    }

    /// The fingerprinter the baseline was written with.
    pub fn fingerprinter(&self) -> &Fingerprinter {
        &self.fingerprinter
    }

    /// Whether the baseline holds `fingerprint` (once more); each entry absorbs one finding.
    pub fn take(&mut self, fingerprint: &str) -> bool {
        match self.remaining.get_mut(fingerprint) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }
}

/// Collects fingerprints for `--write-baseline`.
#[derive(Debug, Clone)]
pub struct BaselineWriter {
    fingerprinter: Fingerprinter,
    key: Option<String>,
    fingerprints: Vec<String>,
}

impl BaselineWriter {
    /// A writer keyed by `REDLINE_FINGERPRINT_KEY`, or else by a fresh random key stored in
    /// the file.
    ///
    /// # Errors
    /// When no random key can be had.
    pub fn new() -> std::io::Result<Self> {
        let (fingerprinter, key) = match Fingerprinter::from_env() {
            Some(f) => (f, None),
            None => {
                let key = Fingerprinter::random_key()?;
                (Fingerprinter::new(key.clone().into_bytes()), Some(key))
            }
        };
        Ok(BaselineWriter {
            fingerprinter,
            key,
            fingerprints: Vec::new(),
        })
    }

    /// The fingerprinter to use for findings.
    pub fn fingerprinter(&self) -> &Fingerprinter {
        &self.fingerprinter
    }

    /// Record one finding's fingerprint.
    pub fn add(&mut self, fingerprint: String) {
        self.fingerprints.push(fingerprint);
    }

    /// How many findings were recorded.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }

    /// Write the baseline file; fingerprints sorted so that rewriting it gives small diffs.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn write(mut self, path: &Path) -> std::io::Result<()> {
        self.fingerprints.sort();
        let file = BaselineFile {
            version: 1,
            key: self.key,
            fingerprints: self.fingerprints,
        };
        let mut text = serde_json::to_string_pretty(&file)?;
        text.push('\n');
        std::fs::write(path, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_baseline_absorbs_each_finding_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let mut w = BaselineWriter::new().unwrap();
        let fp = w
            .fingerprinter()
            .fingerprint("contact.email", "a.txt", b"x@example.gov");
        w.add(fp.clone());
        w.write(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("example"), "{text}");
        let mut b = Baseline::load(&path).unwrap();
        let again = b
            .fingerprinter()
            .fingerprint("contact.email", "./a.txt", b"x@example.gov");
        assert_eq!(again, fp);
        assert!(b.take(&again));
        assert!(!b.take(&again));
    }

    #[test]
    fn malformed_baselines_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(&path, "{\"version\": 2, \"fingerprints\": []}").unwrap();
        assert!(Baseline::load(&path).unwrap_err().contains("version 2"));
        std::fs::write(&path, "[]").unwrap();
        assert!(Baseline::load(&path).is_err());
    }
}
