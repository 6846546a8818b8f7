//! Garble detectors that need more than a pattern: repairs checked against the English word
//! list (`Q` damage) and quotation-mark damage whose repair depends on pairing.

mod q;
mod quotes;

pub use q::QDetector;
pub use quotes::QuoteDetector;
