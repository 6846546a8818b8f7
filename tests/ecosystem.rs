//! The real binary's output formats (human, concise, json, jsonl, sarif, github), SARIF
//! schema validation, and terminal manners (quiet, colours, completions, man page).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::project::{DOC, check, project};
use common::{redline, seed, snapshots, stderr, stdout};

#[test]
fn every_format_renders_the_same_findings() {
    let dir = project();
    for format in ["human", "concise", "json", "jsonl", "sarif", "github"] {
        let out = check(dir.path(), &["--format", format, "doc.txt"]);
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{format}");
        let name = format!("eco__format_{format}");
        snapshots().bind(|| insta::assert_snapshot!(name, stdout(&out)));
    }
}

/// Validate `sarif` against the official schema with Python's `jsonschema`; the errors found.
fn sarif_schema_errors(sarif: &[u8]) -> String {
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif/sarif-2.1.0-rtm.5.json");
    let script = "import json, sys, jsonschema\n\
        schema = json.load(open(sys.argv[1]))\n\
        jsonschema.Draft4Validator.check_schema(schema)\n\
        doc = json.load(sys.stdin)\n\
        errs = list(jsonschema.Draft4Validator(schema).iter_errors(doc))\n\
        print('\\n'.join('%s: %s' % (list(e.absolute_path), e.message) for e in errs))\n";
    let mut cmd = common::python();
    cmd.arg("-c").arg(script).arg(schema);
    let out = common::run_with_stdin(cmd, sarif);
    // No skipping: .ci/run installs jsonschema, so a missing validator is a broken setup.
    assert!(
        out.status.success(),
        "python3 with jsonschema is needed (pip install jsonschema): {}",
        stderr(&out)
    );
    stdout(&out).trim().to_string()
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let dir = project();
    let out = check(dir.path(), &["--format", "sarif", "doc.txt"]);
    assert_eq!(sarif_schema_errors(&out.stdout), "");
    let out = redline()
        .args(["check", "--format", "sarif", "--show-match"])
        .arg(seed())
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["runs"][0]["results"].as_array().unwrap().len() > 10);
    assert!(
        doc["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len()
            > 5
    );
    assert_eq!(sarif_schema_errors(&out.stdout), "");
    // The validator is not a rubber stamp: a log with an unknown level fails.
    let mut bad = doc.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    let errors = sarif_schema_errors(&serde_json::to_vec(&bad).unwrap());
    assert!(errors.contains("'fatal'"), "{errors}");
}

#[test]
fn sarif_fingerprints_survive_moved_text_and_hide_the_match() {
    let dir = project();
    let fingerprints = |dir: &Path| -> Vec<String> {
        let out = check(dir, &["--format", "sarif", "doc.txt"]);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut v: Vec<String> = doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["redline/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        v.sort();
        v
    };
    let before = fingerprints(dir.path());
    fs::write(
        dir.path().join("doc.txt"),
        format!("A new first line.\n\n{DOC}"),
    )
    .unwrap();
    assert_eq!(before, fingerprints(dir.path()));
    let out = check(dir.path(), &["--format", "sarif", "doc.txt"]);
    assert!(!stdout(&out).contains("BLUEBIRD"));
}

#[test]
fn json_contract_is_unchanged() {
    let dir = project();
    let out = check(dir.path(), &["--format", "json", "doc.txt"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["findings", "summary", "version"]);
    let summary: Vec<&String> = doc["summary"].as_object().unwrap().keys().collect();
    assert_eq!(summary, ["errors", "files", "findings"]);
}

#[test]
fn github_annotations_escape_paths_and_messages() {
    let dir = project();
    fs::write(dir.path().join("a,b:c.txt"), "BLUEBIRD\n").unwrap();
    let out = check(dir.path(), &["--format", "github", "a,b:c.txt"]);
    assert_eq!(
        stdout(&out),
        "::error file=a%2Cb%3Ac.txt,line=1,endLine=1,col=1,title=redline test.codeword::project codeword [codeword]\n"
    );
}

#[test]
fn quiet_prints_findings_only_and_nothing_when_clean() {
    let dir = project();
    fs::write(dir.path().join("clean.txt"), "nothing here\n").unwrap();
    fs::write(dir.path().join("blob.bin"), b"\x00BLUEBIRD").unwrap();
    let out = check(dir.path(), &["--quiet", "clean.txt", "blob.bin"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!((stdout(&out).as_str(), stderr(&out).as_str()), ("", ""));
    let out = check(dir.path(), &["-q", "doc.txt"]);
    assert!(stdout(&out).starts_with("error[test.codeword]"));
    assert!(!stdout(&out).contains("redline: 1 file checked"));
}

#[test]
fn colours_only_when_asked_or_on_a_terminal() {
    let dir = project();
    let out = check(dir.path(), &["doc.txt"]);
    assert!(
        !stdout(&out).contains('\x1b'),
        "piped output is never coloured"
    );
    let out = check(dir.path(), &["--color", "always", "doc.txt"]);
    assert!(stdout(&out).contains('\x1b'));
    let out = redline()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args([
            "check",
            "--no-builtin",
            "--rules",
            "rules",
            "--color",
            "never",
            "doc.txt",
        ])
        .output()
        .unwrap();
    assert!(!stdout(&out).contains('\x1b'));
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = redline().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(stdout(&out).contains("write-baseline"), "{shell}");
    }
    let out = redline().arg("man").output().unwrap();
    let page = stdout(&out);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq"),
        "{}",
        &page[..80.min(page.len())]
    );
    assert!(page.contains(".TH redline 1"), "{page}");
    assert!(page.contains("completions"));
}

/// Run redline with stdin, stdout and stderr on a pseudo-terminal (Python's `pty`, which
/// `.ci/run` has anyway), as a person at a terminal does; everything it wrote.
fn on_a_terminal(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let mut cmd = Command::new("python3");
    cmd.current_dir(dir)
        .args([
            "-c",
            "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)",
        ])
        .arg(env!("CARGO_BIN_EXE_redline"))
        .args(args)
        .env_remove("NO_COLOR")
        .env("TERM", "xterm");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.code().is_some(), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn on_a_terminal_colours_unless_no_color_and_shows_progress_for_many_files() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        fs::write(dir.path().join(format!("f{i:02}.txt")), "nothing here\n").unwrap();
    }
    fs::write(dir.path().join("f99.txt"), "mail a@example.gov\n").unwrap();
    let args = ["--no-config", "check", "."];
    let shown = on_a_terminal(dir.path(), &[], &args);
    assert!(shown.contains("/41 files"), "no progress bar: {shown:?}");
    assert!(
        shown.contains("\x1b[1m"),
        "no colour on a terminal: {shown:?}"
    );
    let quiet = on_a_terminal(
        dir.path(),
        &[("NO_COLOR", "1")],
        &["--no-config", "check", "-q", "."],
    );
    assert!(
        !quiet.contains('\x1b'),
        "colour or bar despite NO_COLOR and -q: {quiet:?}"
    );
    assert!(quiet.contains("a@example.gov"), "{quiet:?}");
    // Piped: no bar, no colour.
    let out = redline()
        .current_dir(dir.path())
        .args(args)
        .output()
        .unwrap();
    assert!(!stdout(&out).contains('\x1b') && !stderr(&out).contains("files"));
}
