//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request (`::error file=a.txt,line=3,col=5::message`).

use std::io::Write;

use super::{Printer, Record, Summary};
use crate::text::Source;

/// Writes one workflow command per finding.
pub struct GithubPrinter<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> GithubPrinter<'w> {
    /// A printer writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        GithubPrinter { out }
    }
}

/// The workflow command for a severity: GitHub knows error, warning and notice.
fn command(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        _ => "notice",
    }
}

/// Escaping of a command's message, as the Actions runner unescapes it.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a property value: the message escapes plus the separators `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Printer for GithubPrinter<'_> {
    fn file(
        &mut self,
        path: &str,
        _source: &Source<'_>,
        records: &[Record<'_>],
    ) -> std::io::Result<()> {
        let file = escape_property(crate::fingerprint::normal_path(path));
        for r in records {
            writeln!(
                self.out,
                "::{} file={file},line={},endLine={},col={},title={}::{}",
                command(r.severity),
                r.line,
                r.end_line,
                r.column,
                escape_property(&format!("redline {}", r.rule)),
                escape_data(&format!("{} [{}]", r.message, r.category)),
            )?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, _summary: &Summary) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_newlines_are_escaped() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_data("a:b,c\r\n"), "a:b,c%0D%0A");
    }
}
