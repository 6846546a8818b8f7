//! Detectors: finders that need more than a literal or a pattern (phone validation, personal
//! names, garble fixes from a word list). A rule names one with `detector:`; the scanner runs
//! it once per document and reports its hits under that rule.

mod garble;
pub mod names;
mod phone;
mod runs;
pub mod structure;
pub(crate) mod swar;
pub mod words;

use std::ops::Range;

use crate::cable::Cable;
use crate::rules::schema::{Confidence, MatchOn};
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

    /// Whether the detector reads [`Document::raw`]; when no rule or detector does, the
    /// scanner skips building it and hands over an empty view.
    fn needs_raw(&self) -> bool {
        true
    }

    /// Whether the detector reads [`Document::cable`] beyond its region: when no rule or
    /// detector does, the scanner parses only what the views and the region come from
    /// ([`crate::cable::Depth::Views`]).
    fn reads_structure(&self) -> bool {
        true
    }
}

/// Names a rule may give in `detector:`.
pub const NAMES: &[&str] = &[
    "names",
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

/// Start loading, on a thread of its own, what the `detectors` named (those of the enabled
/// rules) would load on first use at a cost the first documents feel: libphonenumber's
/// metadata for `phone`. For a run over many files, called before it builds its scanner
/// and walks its folders, so that a spare core does the loading meanwhile. The thread is
/// not waited for: it only fills a process-wide table, and a run that ends first loses
/// nothing. Where no thread can be started, the table loads on first use as it would have.
pub(crate) fn preload_in_background<'a>(mut detectors: impl Iterator<Item = &'a str>) {
    if detectors.any(|d| d == "phone") {
        // `Builder::spawn` reports a failure to start the thread; `thread::spawn` panics.
        let _ = std::thread::Builder::new()
            .name("phone-metadata".into())
            .spawn(phone::load_metadata);
    }
}

/// The detector called `name` with its default options, if there is one.
pub fn by_name(name: &str) -> Option<Box<dyn Detector>> {
    build(name, None).ok()
}

/// The detector called `name`, configured by a rule's `options:` mapping.
///
/// # Errors
/// An unknown detector, or options the detector refuses (unknown keys, wrong types).
pub fn build(name: &str, options: Option<&serde_json::Value>) -> Result<Box<dyn Detector>, String> {
    let no_options = |d: Box<dyn Detector>| match options {
        None => Ok(d),
        Some(_) => Err(format!("detector `{name}` takes no options")),
    };
    match name {
        "names" => Ok(Box::new(names::NameDetector::from_options(options)?)),
        "phone" => no_options(Box::new(phone::PhoneDetector)),
        "garble-q" => no_options(Box::new(garble::QDetector)),
        "garble-quotes" => no_options(Box::new(garble::QuoteDetector)),
        "garble-mojibake" => no_options(Box::new(garble::MojibakeDetector)),
        "structure.marking-mismatch" => no_options(Box::new(structure::MarkingMismatch)),
        "structure.portion-above-banner" => no_options(Box::new(structure::PortionAboveBanner)),
        "structure.missing-authority" => no_options(Box::new(structure::MissingAuthority)),
        "structure.unmarked-paragraph" => no_options(Box::new(structure::UnmarkedParagraph)),
        "structure.decl-passed" => no_options(Box::new(structure::DeclPassed)),
        _ => Err(format!("unknown detector `{name}`")),
    }
}

pub use garble::{MojibakeDetector, QDetector, QuoteDetector};
pub use phone::PhoneDetector;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::text;

    /// A cable, and text with damaged characters and phone numbers of several shapes.
    const DOCUMENTS: [&str; 2] = [
        include_str!("../../tests/fixtures/cables/07ASTANA614.txt"),
        "SECRET\n\n1. (S//NF) Minister Teodor Brask?s aide, tel. 202-555-0100 or\n\
         (202) 555-0101, said the traffQked goods were \u{e2}\u{20ac}\u{2122}seized\u{e2}\u{20ac}\u{9d}.\n\
         He called it \"\"final\"\" on 12/05/2008.\n\n2. Unmarked.\n",
    ];

    /// What `detector` finds in `bytes`, given the raw view or an empty one.
    fn hits(detector: &dyn Detector, bytes: &[u8], with_raw: bool) -> Vec<Hit> {
        hits_at(detector, bytes, with_raw, crate::cable::Depth::Full)
    }

    /// [`hits`], with the cable structure parsed to `depth`.
    fn hits_at(
        detector: &dyn Detector,
        bytes: &[u8],
        with_raw: bool,
        depth: crate::cable::Depth,
    ) -> Vec<Hit> {
        let cable = Cable::parse_to(bytes, depth);
        let view = text::normalized_with(bytes, &cable.view_edits());
        let raw = text::raw(if with_raw { bytes } else { b"" });
        let doc = Document {
            bytes,
            view: &view,
            raw: &raw,
            region: cable.region,
            cable: &cable,
        };
        let mut out = Vec::new();
        detector.detect(&doc, &mut out);
        out
    }

    /// Whether each detector that `reads` says does not read what `without` leaves out
    /// finds the same in each document with and without it (and finds something, or it
    /// would pass whatever it read); how many such detectors there are.
    fn same_without(
        reads: fn(&dyn Detector) -> bool,
        without: fn(&dyn Detector, &[u8]) -> Vec<Hit>,
    ) -> usize {
        let mut checked = 0;
        for name in NAMES {
            let d = by_name(name).unwrap();
            if reads(d.as_ref()) {
                continue;
            }
            let mut any = false;
            for doc in DOCUMENTS {
                let found = hits(d.as_ref(), doc.as_bytes(), true);
                assert_eq!(found, without(d.as_ref(), doc.as_bytes()), "{name}");
                any |= !found.is_empty();
            }
            assert!(any, "{name} finds nothing in the documents");
            checked += 1;
        }
        checked
    }

    #[test]
    fn a_detector_that_reads_no_raw_view_finds_the_same_without_one() {
        let checked = same_without(|d| d.needs_raw(), |d, doc| hits(d, doc, false));
        // The names, phone and three garble detectors; the structure checks map their hits
        // onto the raw view.
        assert_eq!(checked, 5);
    }

    #[test]
    fn a_detector_that_reads_no_structure_finds_the_same_in_a_parse_for_the_views() {
        let checked = same_without(
            |d| d.reads_structure(),
            |d, doc| hits_at(d, doc, true, crate::cable::Depth::Views),
        );
        // The names, phone and three garble detectors; the structure checks read the
        // paragraphs, markings and head fields.
        assert_eq!(checked, 5);
    }
}
