//! The real binary in a project: config file discovery and strictness, allow lists,
//! excludes, severity overrides, baselines and `--staged`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::project::{DOC, check, project};
use common::{redline, snapshots, stderr, stdout};

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
