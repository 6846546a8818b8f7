//! Rendering problems in rule files (load errors, failing examples) as diagnostics against the
//! rule file's text, like any finding.

use std::io::Write;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;

use super::human::buffer;
use crate::config::ConfigError;
use crate::rules::RuleError;
use crate::scan::ExampleFailure;
use crate::text::display_safe;

/// Render rule-file errors to `out`.
///
/// # Errors
/// When writing fails.
pub fn render_rule_errors(
    errors: &[RuleError],
    out: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    let config = term::Config::default();
    let mut buf = buffer(color);
    for e in errors {
        let file = SimpleFile::new(
            display_safe(e.path.as_bytes()),
            display_safe(e.source.as_bytes()),
        );
        let mut d = Diagnostic::error()
            .with_message(format!("broken rule file: {}", e.message))
            .with_notes(e.notes.clone());
        match &e.span {
            Some(span) => d = d.with_labels(vec![Label::primary((), span.clone())]),
            None => d = d.with_notes(vec![format!("in {}", e.path)]),
        }
        term::emit_to_write_style(&mut buf, &config, &file, &d).map_err(std::io::Error::other)?;
    }
    out.write_all(buf.as_slice())
}

/// Render failing rule examples to `out`.
///
/// # Errors
/// When writing fails.
pub fn render_example_failures(
    failures: &[ExampleFailure],
    out: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    let config = term::Config::default();
    let mut buf = buffer(color);
    for f in failures {
        let file = SimpleFile::new(
            display_safe(f.origin.path.as_bytes()),
            display_safe(f.origin.source.as_bytes()),
        );
        let kind = if f.negative {
            "negative example"
        } else {
            "example"
        };
        let d = Diagnostic::error()
            .with_code(f.rule_id.clone())
            .with_message(format!("{kind} fails: {}", f.message))
            .with_labels(vec![Label::primary((), f.example.span.clone())]);
        term::emit_to_write_style(&mut buf, &config, &file, &d).map_err(std::io::Error::other)?;
    }
    out.write_all(buf.as_slice())
}

/// Render a config-file error to `out`, with a snippet of the file when the place is known.
///
/// # Errors
/// When writing fails.
pub fn render_config_error(
    e: &ConfigError,
    out: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    let file = SimpleFile::new(
        display_safe(e.path.as_bytes()),
        display_safe(e.source.as_bytes()),
    );
    let mut d = Diagnostic::error()
        .with_message(format!("invalid config file: {}", e.message))
        .with_notes(e.notes.clone());
    match &e.span {
        Some(span) => d = d.with_labels(vec![Label::primary((), span.clone())]),
        None => d = d.with_notes(vec![format!("in {}", e.path)]),
    }
    let mut buf = buffer(color);
    term::emit_to_write_style(&mut buf, &term::Config::default(), &file, &d)
        .map_err(std::io::Error::other)?;
    out.write_all(buf.as_slice())
}
