//! Garble detectors that need more than a pattern: repairs checked against the English word
//! list (`Q` damage), quotation-mark damage whose repair depends on pairing, and mojibake
//! undone by re-decoding.

mod mojibake;
mod q;
mod quotes;

pub use mojibake::MojibakeDetector;
pub use q::QDetector;
pub use quotes::QuoteDetector;
