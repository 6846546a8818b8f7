//! redline lints documents for sensitive content and writes redacted copies. Its first users
//! prepare US diplomatic cables for publication.
//!
//! # Pipeline
//!
//! Data flows one way:
//!
//! 1. **read bytes** ([`walk`], [`check`]): files as given, folders walked honouring
//!    `.gitignore`, `-` for stdin; binary files are skipped.
//! 2. **cable structure** ([`cable`]): header, routing, banner, head fields, paragraphs, page
//!    breaks and signature as original byte ranges, parsed once per document (a plain
//!    document has none).
//! 3. **text view** ([`text`]): the bytes decoded and normalised the way a reader sees a cable
//!    (hard wraps read as spaces, page breaks skipped, letter-spaced banners read as words),
//!    with an exact map back to original byte offsets.
//! 4. **scan** ([`scan`]): every rule ([`rules`], YAML files, built-in packs embedded in the
//!    binary plus the user's own) compiled once into one scanner: one Aho-Corasick automaton
//!    for all literals, regex patterns behind keyword prefilters, and detectors ([`detect`]),
//!    which see the cable structure; a rule with `scope:` keeps hits in one part of a cable.
//! 5. **findings** in original-file byte ranges, then **report** ([`report`]) or **redact**
//!    ([`redact`]: the same findings, replaced, verified by a second scan, written
//!    atomically).
//!
//! Normalised offsets never leave `text` and `scan`: every public span is a byte range of the
//! original file.
//!
//! ```
//! use redline::{rules::RuleSet, scan::Scanner};
//! let scanner = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
//! let text = b"He may be reached by phone at +7-3172-70-22-\n96.";
//! let findings = scanner.scan(text);
//! let phone = findings.iter().find(|f| scanner.rules()[f.rule].category == "phone").unwrap();
//! assert_eq!(&text[phone.span.clone()], b"+7-3172-70-22-\n96");
//! ```

pub mod app;
pub mod baseline;
pub mod cable;
pub mod check;
pub mod cli;
pub mod config;
pub mod detect;
pub mod ecosystem;
pub mod exit;
pub mod fingerprint;
pub(crate) mod ordered;
mod progress;
pub(crate) mod reason;
pub mod redact;
pub mod report;
pub mod rules;
pub mod scan;
pub mod settings;
pub mod staged;
pub mod text;
pub mod walk;

pub use app::run;
pub use cli::Cli;
