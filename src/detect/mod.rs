//! Detectors: finders that need more than a literal or a pattern (phone validation, personal
//! names, garble fixes from a word list). A rule names one with `detector:`; the scanner runs
//! it once per document and reports its hits under that rule.

mod garble;
mod phone;
pub mod structure;
pub mod words;

use std::ops::Range;

use crate::cable::Cable;
use crate::rules::{Confidence, MatchOn};
use crate::text::View;

/// What a detector sees of a document.
pub struct Document<'a> {
    /// The original bytes.
    pub bytes: &'a [u8],
    /// The normalised view.
    pub view: &'a View,
    /// The raw (decoded only) view.
    pub raw: &'a View,
    /// ISO 3166 region of the posting (e.g. `KZ` for Embassy Astana), when known: the
    /// default country for phone numbers written without a country code.
    pub region: Option<&'a str>,
    /// The document's cable structure (empty for a plain document), parsed once per document.
    pub cable: &'a Cable,
}

/// One thing a detector found, in offsets of the view it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Which view `span` is in.
    pub on: MatchOn,
    /// Byte range in that view.
    pub span: Range<usize>,
    /// Suggested replacement.
    pub fix: Option<String>,
    /// Confidence, when the detector knows better than the rule.
    pub confidence: Option<Confidence>,
    /// The evidence, for the finding's note.
    pub note: Option<String>,
}

/// A finder run once per document.
pub trait Detector: Send + Sync + std::fmt::Debug {
    /// Push every hit in `doc` onto `out`.
    fn detect(&self, doc: &Document<'_>, out: &mut Vec<Hit>);
}

/// Names a rule may give in `detector:`.
pub const NAMES: &[&str] = &[
    "phone",
    "garble-q",
    "garble-quotes",
    "garble-mojibake",
    "structure.marking-mismatch",
    "structure.portion-above-banner",
    "structure.missing-authority",
    "structure.unmarked-paragraph",
    "structure.decl-passed",
];

/// The detector called `name`, if there is one.
pub fn by_name(name: &str) -> Option<Box<dyn Detector>> {
    Some(match name {
        "phone" => Box::new(phone::PhoneDetector::new()?),
        "garble-q" => Box::new(garble::QDetector::new()?),
        "garble-quotes" => Box::new(garble::QuoteDetector::new()?),
        "garble-mojibake" => Box::new(garble::MojibakeDetector),
        "structure.marking-mismatch" => Box::new(structure::MarkingMismatch),
        "structure.portion-above-banner" => Box::new(structure::PortionAboveBanner),
        "structure.missing-authority" => Box::new(structure::MissingAuthority),
        "structure.unmarked-paragraph" => Box::new(structure::UnmarkedParagraph),
        "structure.decl-passed" => Box::new(structure::DeclPassed),
        _ => return None,
    })
}

pub use garble::{MojibakeDetector, QDetector, QuoteDetector};
pub use phone::PhoneDetector;
