//! The real binary fitting into its surroundings: every output format, the config file
//! (discovery, strictness, allow lists, excludes, severity overrides), baselines, `--staged`,
//! quietness, statistics, completions and the man page.
//!
//! Most tests use two rules of their own (`--no-builtin`), so their snapshots pin the output
//! formats, not the built-in rules, which change as detection improves.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{redline, seed, snapshots, stderr, stdout};

const CODEWORD: &str = "id: test.codeword\ncategory: codeword\nseverity: error\nmessage: project codeword\ndescription: Names of projects that are not public yet.\nliterals: [BLUEBIRD, REDWING]\nwhole_word: true\nexamples: ['operation BLUEBIRD']\nnegative_examples: ['bluebirds sing']\n";
const TICKET: &str = "id: test.ticket\ncategory: ticket\nseverity: warning\nmessage: internal ticket number\ndescription: Internal ticket numbers.\npatterns: ['TKT-\\d{4}']\nexamples: ['see TKT-1234']\nnegative_examples: ['TKT-12']\n";
const DOC: &str =
    "Operation BLUEBIRD starts; see TKT-0042.\nREDWING follows, see TKT-0043 and\nTKT-0044.\n";

/// A folder with the two test rules in `rules/` and `doc.txt`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("rules")).unwrap();
    fs::write(dir.path().join("rules/codeword.yaml"), CODEWORD).unwrap();
    fs::write(dir.path().join("rules/ticket.yaml"), TICKET).unwrap();
    fs::write(dir.path().join("doc.txt"), DOC).unwrap();
    dir
}

/// `redline check --no-builtin --rules rules ARGS` in `dir`.
fn check(dir: &Path, args: &[&str]) -> Output {
    redline()
        .current_dir(dir)
        .args(["check", "--no-builtin", "--rules", "rules"])
        .args(args)
        .output()
        .unwrap()
}

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
    let mut cmd = Command::new("python3");
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
fn config_is_discovered_from_the_working_folder_upward() {
    let dir = project();
    fs::write(
        dir.path().join("redline.yaml"),
        "rules: [rules]\nbuiltin: false\nseverity: {ticket: info}\nfail-on: error\n",
    )
    .unwrap();
    let sub = dir.path().join("sub/deeper");
    fs::create_dir_all(&sub).unwrap();
    fs::write(sub.join("doc.txt"), "see TKT-0042\n").unwrap();
    // From the sub folder: the parent's config turns the ticket rule into info, which does
    // not fail the run at `fail-on: error`.
    let out = redline()
        .current_dir(&sub)
        .args(["check", "--format", "concise", "--statistics", "doc.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "doc.txt:1:5: test.ticket internal ticket number\n"
    );
    snapshots().bind(|| insta::assert_snapshot!("eco__config_statistics", stderr(&out)));
    // --fail-on on the command line wins over the config.
    let out = redline()
        .current_dir(&sub)
        .args(["check", "--fail-on", "info", "doc.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // --no-config: the built-in rules, not the config's.
    let out = redline()
        .current_dir(&sub)
        .args(["--no-config", "check", "--format", "concise", "doc.txt"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "");
    // A nearer .redline.yaml wins.
    fs::write(sub.join(".redline.yaml"), "builtin: false\n").unwrap();
    let out = redline()
        .current_dir(&sub)
        .args(["config", "show"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).starts_with("# config file: .redline.yaml\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn config_show_spells_out_every_key() {
    let dir = project();
    fs::write(
        dir.path().join("redline.yaml"),
        "rules: [rules]\ndisable: [ticket]\nexclude: ['drafts/']\nallow:\n  - value: REDWING\n    reason: published in 2019\nredact:\n  operators: {person: mask, phone: hash}\nphone-region: US\n",
    )
    .unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["config", "show"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out).replace(&dir.path().display().to_string(), "[DIR]");
    snapshots().bind(|| insta::assert_snapshot!("eco__config_show", text));
}

#[test]
fn config_with_unknown_key_is_an_error_with_a_snippet() {
    let dir = project();
    fs::write(
        dir.path().join("redline.yaml"),
        "fail-on: error\nexlude: ['drafts/']\n",
    )
    .unwrap();
    let out = check(dir.path(), &["doc.txt"]);
    assert_eq!(out.status.code(), Some(2));
    snapshots().bind(|| insta::assert_snapshot!("eco__config_unknown_key", stderr(&out)));
    // --config names another file; --no-config ignores both.
    fs::write(dir.path().join("other.yaml"), "fail-on: never\n").unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args([
            "--config",
            "other.yaml",
            "check",
            "--no-builtin",
            "--rules",
            "rules",
            "doc.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = redline()
        .current_dir(dir.path())
        .args([
            "--no-config",
            "check",
            "--no-builtin",
            "--rules",
            "rules",
            "doc.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn allow_lists_take_values_regexes_and_rules() {
    let dir = project();
    fs::write(
        dir.path().join("redline.yaml"),
        "allow:\n  - value: REDWING\n  - regex: 'TKT-004[23]'\n    rules: [test.ticket]\n  - regex: 'BLUE.*'\n    rules: [ticket]\n",
    )
    .unwrap();
    let out = check(dir.path(), &["--format", "concise", "doc.txt"]);
    // REDWING: allowed everywhere; TKT-0042/43: allowed for the ticket rule; BLUEBIRD's
    // regex is for another category, so it stays; TKT-0044 matches no entry.
    assert_eq!(
        stdout(&out),
        "doc.txt:1:11: test.codeword project codeword\ndoc.txt:3:1: test.ticket internal ticket number\n"
    );
    let out = check(dir.path(), &["doc.txt"]);
    snapshots().bind(|| insta::assert_snapshot!("eco__allow_summary", stdout(&out)));
}

#[test]
fn excludes_skip_walked_files_and_named_files_with_force_exclude() {
    let dir = project();
    fs::write(
        dir.path().join("redline.yaml"),
        "exclude: ['drafts/', 'rules/']\n",
    )
    .unwrap();
    fs::create_dir(dir.path().join("drafts")).unwrap();
    fs::write(dir.path().join("drafts/d.txt"), "BLUEBIRD\n").unwrap();
    let out = check(dir.path(), &["--format", "json", "."]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(paths.iter().all(|p| *p == "./doc.txt"), "{paths:?}");
    let out = check(dir.path(), &["--format", "concise", "drafts/d.txt"]);
    assert_eq!(
        stdout(&out),
        "drafts/d.txt:1:1: test.codeword project codeword\n"
    );
    let out = check(dir.path(), &["--force-exclude", "drafts/d.txt"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("0 files checked, 0 findings"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("1 file excluded"), "{}", stdout(&out));
}

#[test]
fn baseline_reports_only_new_findings() {
    let dir = project();
    let out = check(
        dir.path(),
        &["--write-baseline", "baseline.json", "doc.txt"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "redline: wrote 5 findings to the baseline baseline.json\n"
    );
    let text = fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    for plain in ["BLUEBIRD", "REDWING", "TKT", "doc.txt", "line"] {
        assert!(!text.contains(plain), "{plain} in {text}");
    }
    // Moving text does not churn; a new value, or the same value once more, is new.
    fs::write(
        dir.path().join("doc.txt"),
        format!("Preface.\n\n{DOC}New: TKT-0045, and BLUEBIRD again.\n"),
    )
    .unwrap();
    let out = check(dir.path(), &["--baseline", "baseline.json", "doc.txt"]);
    assert_eq!(out.status.code(), Some(1));
    snapshots().bind(|| insta::assert_snapshot!("eco__baseline_new_only", stdout(&out)));
    let out = check(dir.path(), &["--baseline", "nope.json", "doc.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nope.json: cannot read the baseline"),
        "{}",
        stderr(&out)
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@t.invalid"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

#[test]
fn staged_checks_the_index_not_the_working_tree() {
    let dir = project();
    git(dir.path(), &["init", "-q"]);
    fs::create_dir(dir.path().join("docs")).unwrap();
    fs::write(dir.path().join("docs/memo.txt"), "clean text\n").unwrap();
    git(dir.path(), &["add", "docs/memo.txt", "doc.txt"]);
    git(dir.path(), &["commit", "-q", "-m", "init"]);
    fs::write(dir.path().join("docs/memo.txt"), "Project REDWING\n").unwrap();
    git(dir.path(), &["add", "docs/memo.txt"]);
    // The working tree is clean again; the index still holds the codeword.
    fs::write(dir.path().join("docs/memo.txt"), "clean text\n").unwrap();
    fs::write(dir.path().join("unstaged.txt"), "BLUEBIRD\n").unwrap();
    let out = redline()
        .current_dir(dir.path().join("docs"))
        .args([
            "check",
            "--staged",
            "--no-builtin",
            "--rules",
            "../rules",
            "--format",
            "concise",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "docs/memo.txt:1:9: test.codeword project codeword\n"
    );
    // Outside a repository, --staged is an error that says why.
    let plain = tempfile::tempdir().unwrap();
    let out = redline()
        .current_dir(plain.path())
        .args(["check", "--staged"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("redline: --staged: git rev-parse:"),
        "{}",
        stderr(&out)
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

#[test]
fn rules_list_honours_the_config_and_man_ignores_a_broken_one() {
    let dir = project();
    fs::write(
        dir.path().join("redline.yaml"),
        "rules: [rules]\nbuiltin: false\ndisable: [ticket]\nseverity: {test.codeword: info}\n",
    )
    .unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["rules", "list"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("test.codeword") && l.contains(" info ")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("test.ticket") && l.ends_with("(off by default)")),
        "{text}"
    );
    fs::write(dir.path().join("redline.yaml"), "nonsense: [\n").unwrap();
    let out = redline()
        .current_dir(dir.path())
        .arg("man")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = redline()
        .current_dir(dir.path())
        .args(["rules", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid config file"),
        "{}",
        stderr(&out)
    );
}
