//! Source text: the original bytes, a line index, a terminal-safe copy for display, and the
//! normalised *view* that rules match on, with an exact map back to original byte offsets.
//!
//! Normalised offsets never leave this module and `scan/`: everything public past the scanner
//! speaks in original-file byte ranges.

mod boundary;
pub(crate) mod mask16;
mod normalize;
mod search;
mod source;
mod view;

pub(crate) use boundary::{ceil_char, floor_char};
pub use normalize::{Edit, EditKind, normalized, normalized_with, raw, views};
pub(crate) use search::{find_blank_line, find_ci, rfind_blank_line};
pub use source::{Source, display_safe};
pub use view::{View, ViewBuilder};
