//! The real binary: exit codes, inputs (files, folders, stdin, binary, missing), output
//! formats and broken rule files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{redline, run_with_stdin, seed, snapshots, stderr, stdout};
use std::fs;

#[test]
fn seed_cable_human_output() {
    let dir = seed().parent().unwrap().to_path_buf();
    let out = redline()
        .current_dir(&dir)
        .args(["check", "07ASTANA614.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    snapshots().bind(|| insta::assert_snapshot!("cli__seed_cable_human", stdout(&out)));
}

/// A cable published one paragraph per line: each finding shows a window of its line, not
/// the whole paragraph, at the document's own line and column.
#[test]
fn long_lines_are_cut_around_each_finding() {
    let dir = tempfile::tempdir().unwrap();
    let filler = "the delegation reviewed the budget and the schedule for the coming year, ";
    let para = format!(
        "1. (SBU) {}Minister Tamsin Verastegui said the talks would resume. {}\n",
        filler.repeat(6),
        filler.repeat(6)
    );
    fs::write(
        dir.path().join("long.txt"),
        format!("SUBJECT: TALKS\n\n{para}"),
    )
    .unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["check", "--no-config", "long.txt"])
        .output()
        .unwrap();
    let text = stdout(&out);
    let column = para.find("Tamsin").unwrap() + 1;
    assert!(text.contains(&format!("long.txt:3:{column}\n")), "{text}");
    assert!(
        text.lines().all(|l| l.chars().count() < 140),
        "a line of the report is longer than a window: {text}"
    );
    snapshots().bind(|| insta::assert_snapshot!("cli__long_lines", text));
}

#[test]
fn seed_cable_reports_what_the_brief_promises() {
    let out = redline()
        .args(["check", "--format", "json", "--show-match"])
        .arg(seed())
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let matched = |cat: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["category"] == cat)
            .map(|f| f["match"].as_str().unwrap().to_string())
            .collect()
    };
    let phones = matched("phone");
    assert!(
        phones.contains(&"+7-3172-70-22- \n96".to_string()),
        "{phones:?}"
    );
    assert!(
        phones.contains(&"+7-3172-70-22-87".to_string()),
        "{phones:?}"
    );
    assert!(
        phones.contains(&"+7-777-232-9941".to_string()),
        "{phones:?}"
    );
    let garbles = matched("garble");
    for g in ["traffQked", "Qen", "Juno?s"] {
        assert!(garbles.contains(&g.to_string()), "{g} not in {garbles:?}");
    }
    let people = matched("person");
    assert!(
        people.contains(&"Jeffrey Scott \nWaldo".to_string()),
        "{people:?}"
    );
    assert!(people.contains(&"ORDWAY".to_string()), "{people:?}");
    let marks = matched("classification");
    assert!(
        marks.contains(&"UNCLASSIFIED//FOR OFFICIAL USE ONLY".to_string())
            || marks.iter().any(|m| m.starts_with("UNCLAS")),
        "{marks:?}"
    );
    assert!(marks.contains(&"(SBU)".to_string()), "{marks:?}");
}

#[test]
fn json_contract_offsets_are_original_bytes() {
    let bytes = fs::read(seed()).unwrap();
    let out = redline()
        .args(["check", "--format", "json"])
        .arg(seed())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    let findings = doc["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for key in [
            "path", "rule", "category", "severity", "message", "start", "end", "line", "column",
            "end_line", "fix",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
        assert!(
            f.get("match").is_none(),
            "matched text leaked without --show-match: {f}"
        );
        let (start, end) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert!(start < end && end <= bytes.len());
        let line = f["line"].as_u64().unwrap() as usize;
        assert_eq!(
            bytes[..start].iter().filter(|b| **b == b'\n').count() + 1,
            line
        );
        let end_line = f["end_line"].as_u64().unwrap() as usize;
        assert_eq!(
            bytes[..end - 1].iter().filter(|b| **b == b'\n').count() + 1,
            end_line
        );
    }
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(
        doc["summary"]["findings"].as_u64().unwrap() as usize,
        findings.len()
    );
    assert_eq!(doc["summary"]["errors"], 0);
}

#[test]
fn clean_text_exits_zero() {
    let mut cmd = redline();
    cmd.args(["check", "-"]);
    let out = run_with_stdin(cmd, b"Nothing to see here.\n");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out),
        "redline: 1 file checked, 0 findings (0 errors, 0 warnings, 0 info)\n"
    );
}

#[test]
fn stdin_is_read_with_dash() {
    let mut cmd = redline();
    cmd.args(["check", "--format", "json", "-"]);
    let out = run_with_stdin(cmd, b"Reach me at jdoe@example.gov today.\n");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"][0]["path"], "<stdin>");
    assert_eq!(doc["findings"][0]["category"], "email");
    assert_eq!(doc["findings"][0]["start"], 12);
    assert_eq!(doc["findings"][0]["end"], 28);
}

#[test]
fn fail_on_error_ignores_warnings() {
    let mut cmd = redline();
    cmd.args(["check", "--fail-on", "error", "-"]);
    let out = run_with_stdin(cmd, b"the Government?s plan\n");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("garble.apostrophe"));
}

#[test]
fn folder_is_walked_in_order_honouring_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(".gitignore"), "ignored.txt\n").unwrap();
    fs::write(dir.path().join("b.txt"), "mail jdoe@example.gov\n").unwrap();
    fs::write(dir.path().join("a.txt"), "call +1-202-647-4000 now\n").unwrap();
    fs::write(dir.path().join("ignored.txt"), "mail secret@example.gov\n").unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["./a.txt", "./b.txt"]);
    assert_eq!(doc["summary"]["files"], 2);
}

#[test]
fn binary_file_is_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("blob.bin"), b"\x00\x01jdoe@example.gov\x00").unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["check", "blob.bin"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "redline: blob.bin: binary file skipped\n");
    assert!(stdout(&out).contains("1 binary file skipped"));
}

#[test]
fn missing_file_is_an_error_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ok.txt"), "fine\n").unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["check", "nope.txt", "ok.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "redline: nope.txt: cannot read: No such file or directory\n"
    );
    assert!(stdout(&out).contains("1 file checked"));
}

#[test]
fn usage_error_exits_two() {
    let out = redline()
        .args(["check", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid value 'xml'"));
}

#[test]
fn broken_rule_file_is_rendered_and_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bad.yaml"),
        "id: my.rule\ncategory: phone\nseverity: error\nmessage: m\ndescription: d\npatterns:\n  - '(unclosed'\nexamples: ['x']\n",
    )
    .unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["check", "--rules", "bad.yaml", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    snapshots().bind(|| insta::assert_snapshot!("cli__broken_rule_file", stderr(&out)));
}

#[test]
fn unknown_key_in_rule_file_is_located() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("typo.yaml"),
        "id: my.rule\ncategory: phone\nseverity: error\nmesage: m\ndescription: d\npatterns: ['\\d+']\nexamples: ['1']\n",
    )
    .unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["check", "--rules", "typo.yaml", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    snapshots().bind(|| insta::assert_snapshot!("cli__unknown_key_rule_file", stderr(&out)));
}

#[test]
fn user_rule_with_failing_example_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("r.yaml"),
        "id: my.codeword\ncategory: codeword\nseverity: error\nmessage: codeword\ndescription: d\nliterals: [BLUEBIRD]\nexamples: ['operation REDBIRD']\nnegative_examples: ['bluebirds sing']\n",
    )
    .unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["check", "--rules", "r.yaml", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("rule `my.codeword`: example: the rule does not fire"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn user_rules_add_a_category_and_can_be_disabled() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("r.yaml"),
        "id: my.codeword\ncategory: codeword\nseverity: error\nmessage: codeword\ndescription: d\nliterals: [BLUEBIRD]\nwhole_word: true\nexamples: ['operation BLUEBIRD']\nnegative_examples: ['BLUEBIRDS sing']\n",
    )
    .unwrap();
    let mut cmd = redline();
    cmd.current_dir(dir.path()).args([
        "check",
        "--no-builtin",
        "--rules",
        "r.yaml",
        "--format",
        "json",
        "-",
    ]);
    let out = run_with_stdin(cmd, b"Operation BLUEBIRD starts.");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"][0]["category"], "codeword");
    let mut cmd = redline();
    cmd.current_dir(dir.path()).args([
        "check",
        "--no-builtin",
        "--rules",
        "r.yaml",
        "--disable",
        "codeword",
        "-",
    ]);
    let out = run_with_stdin(cmd, b"Operation BLUEBIRD starts.");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn rules_test_passes_on_builtin_packs() {
    let out = redline().args(["rules", "test"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).ends_with(" 0 failed\n"));
}

#[test]
fn rules_explain_prints_the_rule_file_docs() {
    let out = redline()
        .args(["rules", "explain", "contact.email"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("contact.email  [email / error"), "{text}");
    assert!(text.contains("Defined in rules/email/"));
}

#[test]
fn terminal_escapes_in_documents_are_neutralised() {
    let mut cmd = redline();
    cmd.args(["check", "--color", "never", "-"]);
    let out = run_with_stdin(cmd, "\x1b[2J\u{202e} mail jdoe@example.gov\n".as_bytes());
    let text = stdout(&out);
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(!text.contains('\u{202e}'), "{text:?}");
    assert!(text.contains("jdoe@example.gov"));
}
