//! The `phone` detector: telephone, fax and mobile numbers.
//!
//! Candidates come from one broad pattern (digit runs with the separators people write:
//! `+`, parentheses, dots, dashes, slashes, single spaces), split where two numbers stand
//! side by side, and extended by an extension (`x1234`, `ext. 12`). Each candidate is then
//! judged on several signals ([`judge`]): its shape (international prefix, area code in
//! parentheses, North American form), cue words around it (`tel`, `fax`, `cell`, `IVG`,
//! `reached at`, `(Desk)`), and, only when nothing else decides, libphonenumber metadata
//! (the `rlibphonenumber` crate) with the posting's country as default region.
//!
//! The metadata is the last signal on purpose: cables carry numbers that were valid when
//! written but fail today's plan (Astana's old `3172` area code), and it costs: loading it
//! takes about 10 ms, and each country's patterns compile at the first number that needs
//! them, which a pre-commit run should not pay for every file. The metadata loads on first
//! use, so a document whose candidates are all decided by shape or cue never loads it. A
//! run over a folder, which will almost surely need it, starts loading it on a spare core
//! before it has built its scanner ([`super::preload_in_background`]).

mod candidate;
mod judge;
mod pattern;

use super::{Detector, Document, Hit};
use crate::rules::schema::MatchOn;

/// Load libphonenumber's metadata now, once per process (about 10 ms of one core), rather
/// than in the scan of the first document whose numbers need it, where the other scanning
/// threads may wait for it too.
pub(crate) fn load_metadata() {
    let _ = &*rlibphonenumber::PHONE_NUMBER_UTIL;
}

/// Finds telephone numbers; see the module documentation.
#[derive(Debug)]
pub struct PhoneDetector;

impl Detector for PhoneDetector {
    fn needs_raw(&self) -> bool {
        false
    }

    fn reads_structure(&self) -> bool {
        false
    }

    fn detect(&self, doc: &Document<'_>, out: &mut Vec<Hit>) {
        let text = doc.view.text();
        for span in candidate::candidates(text) {
            if let Some(verdict) = judge::judge(text, span.clone(), doc.region) {
                out.push(Hit {
                    on: MatchOn::View,
                    span,
                    fix: None,
                    confidence: Some(verdict.confidence),
                    note: Some(verdict.reason.to_string()),
                });
            }
        }
    }
}
