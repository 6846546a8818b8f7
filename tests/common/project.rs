//! A scratch project for CLI tests: two rules of its own (a codeword literal and a ticket
//! pattern) and a document. Tests that use it run with `--no-builtin`, so their snapshots pin
//! redline's behaviour, not the built-in rules, which change as detection improves.

use std::fs;
use std::path::Path;
use std::process::Output;

use super::redline;

pub const CODEWORD: &str = "id: test.codeword\ncategory: codeword\nseverity: error\nmessage: project codeword\ndescription: Names of projects that are not public yet.\nliterals: [BLUEBIRD, REDWING]\nwhole_word: true\nexamples: ['operation BLUEBIRD']\nnegative_examples: ['bluebirds sing']\n";
pub const TICKET: &str = "id: test.ticket\ncategory: ticket\nseverity: warning\nmessage: internal ticket number\ndescription: Internal ticket numbers.\npatterns: ['TKT-\\d{4}']\nexamples: ['see TKT-1234']\nnegative_examples: ['TKT-12']\n";
pub const DOC: &str =
    "Operation BLUEBIRD starts; see TKT-0042.\nREDWING follows, see TKT-0043 and\nTKT-0044.\n";

/// A folder with the two test rules in `rules/` and `doc.txt`.
pub fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("rules")).unwrap();
    fs::write(dir.path().join("rules/codeword.yaml"), CODEWORD).unwrap();
    fs::write(dir.path().join("rules/ticket.yaml"), TICKET).unwrap();
    fs::write(dir.path().join("doc.txt"), DOC).unwrap();
    dir
}

/// `redline check --no-builtin --rules rules ARGS` in `dir`.
pub fn check(dir: &Path, args: &[&str]) -> Output {
    redline()
        .current_dir(dir)
        .args(["check", "--no-builtin", "--rules", "rules"])
        .args(args)
        .output()
        .unwrap()
}
