//! Redaction: turn a document's findings into a redacted copy that provably leaks nothing.
//!
//! Everything here except [`write`] and [`run`] is pure: bytes, findings and a policy in,
//! bytes out. The steps, in order:
//!
//! 1. [`plan`]: keep the findings of the redacted categories at or above the confidence
//!    floor, widen each to whole tokens (`Pat` inside `Patten` becomes `Patten`), add every
//!    other mention of the same name ([`spans`]), and merge overlapping spans into one.
//! 2. [`apply`]: replace each planned span with its operator's text ([`Operator`]); line
//!    breaks inside a span survive so the line structure does.
//! 3. [`leaks`]: scan the output again with the same scanner; a finding of a redacted
//!    category that touches any byte not written by a replacement is a leak.
//!    [`redact_document`] reads the copy both as written and with labels in place of the
//!    replacements, redacts what either reading finds, and tries again (a few rounds); a copy
//!    that still leaks is not written (fail closed).
//! 4. [`write`]: the output goes to disk atomically (temporary file in the same folder,
//!    fsync, permissions kept, rename), so a failure leaves the original intact.
//!
//! The same [`crate::scan::Scanner::scan`] findings feed `check --format json` and redaction,
//! so both agree on spans.
//!
//! ```
//! use redline::redact::{Operator, Policy, Replacer, apply, plan};
//! use redline::{rules::RuleSet, scan::Scanner};
//! let scanner = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
//! let text = b"Call him at +7-3172-70-22-\n96 today.\n";
//! let policy = Policy::new(&["phone"], Operator::Mask);
//! let planned = plan(text, &scanner.scan(text), scanner.rules(), &policy);
//! let out = apply(text, &planned, &Replacer::default());
//! assert_eq!(out.bytes, b"Call him at XXXXXXXXXXXX\n today.\n");
//! ```

mod apply;
mod durable;
pub mod fix;
pub mod manifest;
mod operator;
mod parallel;
mod pipeline;
mod plan;
pub mod run;
pub mod spans;
mod verify;
pub mod write;

pub use apply::{Applied, Replaced, apply};
pub use fix::apply_fixes;
pub use operator::{Key, MaskStyle, Operator, Replacer};
pub use pipeline::{Redacted, labelled, redact_document};
pub use plan::{Policy, Redaction, plan};
pub use verify::leaks;
