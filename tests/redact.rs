//! `redline redact` and `redline check --fix`, through the real binary: the seed cable under
//! every operator, output targets, the manifest, fail-closed verification, exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{redline, run_with_stdin, seed, snapshots, stderr, stdout};
use std::fs;
use std::path::Path;

/// What the seed cable's closing paragraph must not keep: its phone numbers and names, and
/// the signature.
const SECRETS: &[&str] = &[
    "Jeffrey", "Scott", "Waldo", "WALDO", "3172", "70-22", "232-9941", "ORDWAY", "Ordway",
];

/// The closing paragraph (lines 1209-1215) and the signature (last lines) of the seed.
fn closing_region(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<&str> = lines[1208..1215].to_vec();
    out.push("[...]");
    out.extend(&lines[lines.len() - 3..]);
    out.join("\n")
}

/// `redline redact --out-dir OUT INPUT`.
fn redact_into(out: &Path, input: &Path) -> std::process::Output {
    redline()
        .args(["redact", "--out-dir"])
        .arg(out)
        .arg(input)
        .output()
        .unwrap()
}

/// `redline redact --in-place PATH`.
fn redact_in_place(path: &Path) -> std::process::Output {
    redline()
        .args(["redact", "--in-place"])
        .arg(path)
        .output()
        .unwrap()
}

fn redact_seed(extra: &[&str]) -> std::process::Output {
    redline()
        .arg("redact")
        .args(extra)
        .arg(seed())
        .output()
        .unwrap()
}

#[test]
fn seed_cable_under_each_operator() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    fs::write(&key, b"a test key, not a secret").unwrap();
    let key = key.to_str().unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("mask", &[]),
        ("mask_block", &["--mask-char", "block"]),
        ("mask_keep_length", &["--keep-length"]),
        ("label", &["--operator", "label"]),
        ("pseudonym", &["--operator", "pseudonym", "--key-file", key]),
        ("remove", &["--operator", "remove"]),
    ];
    for (name, args) in cases {
        let out = redact_seed(args);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let text = stdout(&out);
        for s in SECRETS {
            assert!(!text.contains(s), "{name}: `{s}` left in the output");
        }
        let lines = |t: &str| t.split('\n').count();
        let original = fs::read_to_string(seed()).unwrap();
        assert_eq!(lines(&text), lines(&original), "{name}: line count changed");
        snapshots().bind(|| {
            insta::assert_snapshot!(format!("redact__seed_{name}"), closing_region(&text));
        });
    }
}

#[test]
fn keep_length_keeps_every_line_its_length() {
    let out = redact_seed(&["--keep-length"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let original = fs::read_to_string(seed()).unwrap();
    let text = stdout(&out);
    assert_ne!(text, original);
    let widths = |t: &str| -> Vec<usize> { t.split('\n').map(|l| l.chars().count()).collect() };
    assert_eq!(widths(&text), widths(&original));
}

#[test]
fn pseudonyms_are_stable_under_one_key_and_differ_under_another() {
    let dir = tempfile::tempdir().unwrap();
    let (k1, k2) = (dir.path().join("k1"), dir.path().join("k2"));
    fs::write(&k1, b"first key").unwrap();
    fs::write(&k2, b"second key").unwrap();
    let run = |k: &Path| {
        stdout(&redact_seed(&[
            "--operator",
            "pseudonym",
            "--key-file",
            k.to_str().unwrap(),
        ]))
    };
    assert_eq!(run(&k1), run(&k1));
    assert_ne!(run(&k1), run(&k2));
    // Without a key file every run draws its own key.
    let random = |_| stdout(&redact_seed(&["--operator", "pseudonym"]));
    assert_ne!(random(1), random(2));
}

#[test]
fn output_targets_and_the_original_is_never_touched() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(input.join("sub")).unwrap();
    let doc = "Ambassador Quentin Marlowe called +1-202-555-0147.\n";
    fs::write(input.join("a.txt"), doc).unwrap();
    fs::write(input.join("sub/b.txt"), doc).unwrap();
    let out_dir = dir.path().join("out");
    let o = redact_into(&out_dir, &input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let expected = "Ambassador XXXXXXXXXXXX called XXXXXXXXXXXX.\n";
    assert_eq!(fs::read_to_string(out_dir.join("a.txt")).unwrap(), expected);
    assert_eq!(
        fs::read_to_string(out_dir.join("sub/b.txt")).unwrap(),
        expected
    );
    assert_eq!(fs::read_to_string(input.join("a.txt")).unwrap(), doc);

    let file = dir.path().join("one.txt");
    let o = redline()
        .args(["redact", "-o"])
        .arg(&file)
        .arg(input.join("a.txt"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&file).unwrap(), expected);

    // Two inputs cannot share standard output; an output over its own input needs --in-place.
    let o = redline().arg("redact").arg(&input).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--out-dir"), "{}", stderr(&o));
    let o = redact_into(&input, &input);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--in-place"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(input.join("a.txt")).unwrap(), doc);

    let o = redact_in_place(&input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(input.join("sub/b.txt")).unwrap(),
        expected
    );
    let names: Vec<_> = fs::read_dir(&input)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
}

#[test]
fn stdin_redacts_to_stdout() {
    let mut cmd = redline();
    cmd.args(["redact", "--operator", "label", "-"]);
    let o = run_with_stdin(cmd, b"mail qmarlowe@example.gov now\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "mail [EMAIL] now\n");
}

#[test]
fn manifest_says_where_and_how_never_what() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("m.jsonl");
    let key = dir.path().join("key");
    fs::write(&key, b"k").unwrap();
    let m = manifest.to_str().unwrap();
    let o = redact_seed(&["--manifest", m, "--key-file", key.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = fs::read_to_string(&manifest).unwrap();
    for s in SECRETS {
        assert!(!text.contains(s), "`{s}` in the manifest");
    }
    let entries: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(entries.len() >= 6, "{text}");
    for e in &entries {
        for field in [
            "file",
            "rule",
            "category",
            "start",
            "end",
            "line",
            "operator",
            "replacement",
            "hash",
        ] {
            assert!(e.get(field).is_some(), "{field} missing in {e}");
        }
    }
    let phone = entries
        .iter()
        .find(|e| e["rule"] == "contact.phone")
        .unwrap();
    assert_eq!(phone["line"], 1212);
    assert_eq!(phone["replacement"], "XXXXXXXXXXXX\n");
    let o = redact_seed(&["--manifest", m]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        !fs::read_to_string(&manifest).unwrap().contains("\"hash\""),
        "no hash without a key file"
    );
}

#[test]
fn redact_and_check_agree_on_spans() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("m.jsonl");
    let o = redact_seed(&["--manifest", manifest.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let entries: Vec<serde_json::Value> = fs::read_to_string(&manifest)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let check = redline()
        .args(["check", "--format", "json"])
        .arg(seed())
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let redacted = ["person", "phone", "email"];
    for f in doc["findings"].as_array().unwrap() {
        if !redacted.contains(&f["category"].as_str().unwrap()) {
            continue;
        }
        let covered = entries.iter().any(|e| {
            e["start"].as_u64() <= f["start"].as_u64() && f["end"].as_u64() <= e["end"].as_u64()
        });
        assert!(covered, "finding {f} not covered by the manifest");
    }
}

/// A rule that fires on a label and the word after it: each round of redaction exposes the
/// next word, so the copy never comes clean; nothing is written and the exit code is 3.
/// `--no-verify` writes it anyway.
#[test]
fn verification_fails_closed() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    fs::create_dir_all(&rules).unwrap();
    let rule = |id: &str, extra: &str, pattern: &str, example: &str| {
        let text = format!(
            "id: {id}\ncategory: codeword\nseverity: error\nmessage: codeword\n\
             description: a codeword\n{extra}patterns: ['{pattern}']\nexamples: ['{example}']\n"
        );
        fs::write(rules.join(format!("{id}.yaml")), text).unwrap();
    };
    rule(
        "test.codeword",
        "redact: '[REDACTED CODEWORD]'\n",
        "(?-u:\\b)BLUEBIRD(?-u:\\b)",
        "op BLUEBIRD",
    );
    rule(
        "test.label",
        "",
        "\\[CODEWORD\\] [a-z]+",
        "[CODEWORD] begins",
    );
    let input = dir.path().join("doc.txt");
    fs::write(
        &input,
        "Operation BLUEBIRD begins today at noon and ends at dusk in the north.\n",
    )
    .unwrap();
    let out = dir.path().join("out.txt");
    let run = |extra: &[&str]| {
        let mut c = redline();
        c.args(["redact", "--rules"]).arg(&rules);
        c.args(["--categories", "codeword", "-o"]).arg(&out);
        c.args(extra).arg(&input);
        c.output().unwrap()
    };
    // The rule's own `redact:` text replaces the span under mask.
    let o = run(&["--disable", "test.label"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "Operation [REDACTED CODEWORD] begins today at noon and ends at dusk in the north.\n"
    );
    fs::remove_file(&out).unwrap();
    let o = run(&["--operator", "label"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("test.label at output line 1"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("noon"), "the report repeats no text");
    assert!(!out.exists(), "nothing written");
    let o = run(&["--operator", "label", "--no-verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "Operation [CODEWORD] begins today at noon and ends at dusk in the north.\n"
    );
}

#[test]
fn unknown_category_and_missing_key_file_are_errors() {
    let o = redact_seed(&["--categories", "persn"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("persn"), "{}", stderr(&o));
    let o = redact_seed(&["--key-file", "/nonexistent/key"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("key file"), "{}", stderr(&o));
}

#[test]
fn check_fix_applies_safe_fixes_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.txt");
    fs::write(&file, "The Minister?s plan and the Council,s vote.\n").unwrap();
    let o = redline()
        .args(["check", "--fix"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(stderr(&o).contains("applied 2 fix(es)"), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        "The Minister's plan and the Council's vote.\n"
    );
    let o = redline()
        .args(["check", "--fix"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(stderr(&o).contains("applied 0 fix(es)"), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(0), "nothing left to report");
}

#[test]
fn many_inputs_are_reported_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(&input).unwrap();
    for (i, name) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().enumerate() {
        let body: &[u8] = if i % 3 == 1 {
            b"\0binary"
        } else {
            b"tel 2374-5678\n"
        };
        fs::write(input.join(format!("{name}.txt")), body).unwrap();
    }
    let o = redact_into(&dir.path().join("out"), &input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let skipped: Vec<String> = stderr(&o)
        .lines()
        .filter(|l| l.contains("binary file skipped"))
        .map(|l| {
            Path::new(l.split(": ").nth(1).unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(skipped, ["b.txt", "e.txt", "h.txt"]);
    assert!(
        stderr(&o).contains("5 file(s) written, 5 redaction(s)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_second_run_rewrites_only_the_copies_that_change() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::write(input.join("a.txt"), "Ask Ambassador Quentin Marlowe.\n").unwrap();
    fs::write(input.join("b.txt"), "Call +1 202 555 0147.\n").unwrap();
    fs::write(input.join("c.txt"), "Nothing to redact here.\n").unwrap();
    let out = dir.path().join("out");
    let run = || {
        let o = redact_into(&out, &input);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stderr(&o)
    };
    let inodes = || -> Vec<u64> {
        ["a.txt", "b.txt", "c.txt"]
            .iter()
            .map(|n| fs::metadata(out.join(n)).unwrap().ino())
            .collect()
    };
    assert!(run().contains("3 file(s) written, 2 redaction(s)"));
    let before = inodes();
    let copies: Vec<Vec<u8>> = ["a.txt", "b.txt"]
        .iter()
        .map(|n| fs::read(out.join(n)).unwrap())
        .collect();
    assert!(
        run().contains("0 file(s) written, 3 already up to date, 2 redaction(s)"),
        "the same copies again"
    );
    assert_eq!(inodes(), before, "no copy rewritten");
    // One input changes, one copy is damaged: those two are written again.
    fs::write(input.join("a.txt"), "Ask Ambassador Quentin Marlowe now.\n").unwrap();
    fs::write(out.join("b.txt"), "Call +1 202 555 0147.\n").unwrap();
    assert!(run().contains("2 file(s) written, 1 already up to date, 2 redaction(s)"));
    let after = inodes();
    assert_ne!(after[0], before[0]);
    assert_ne!(after[1], before[1]);
    assert_eq!(after[2], before[2]);
    assert_eq!(fs::read(out.join("b.txt")).unwrap(), copies[1]);
    assert_ne!(fs::read(out.join("a.txt")).unwrap(), copies[0]);
    // In place, a file with nothing to redact is not rewritten either.
    let plain = input.join("c.txt");
    let inode = fs::metadata(&plain).unwrap().ino();
    let o = redact_in_place(&plain);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("0 file(s) written, 1 already up to date"));
    assert_eq!(fs::metadata(&plain).unwrap().ino(), inode);
}

#[test]
fn copies_into_a_new_tree_keep_each_input_s_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let files = [("x/a.txt", 0o640), ("x/c.txt", 0o644), ("y/z/b.txt", 0o600)];
    for (name, mode) in files {
        let path = input.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(
            &path,
            "Call Ambassador Quentin Marlowe at +1 202 555 0147.\n",
        )
        .unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    }
    let out = dir.path().join("out").join("deep");
    let o = redact_into(&out, &input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("3 file(s) written"), "{}", stderr(&o));
    for (name, mode) in files {
        let copy = out.join(name);
        let text = fs::read_to_string(&copy).unwrap();
        assert!(
            !text.contains("Marlowe") && !text.contains("0147"),
            "{text}"
        );
        let got = fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(got, mode, "{name}");
    }
}

#[test]
fn operators_per_category_and_rule() {
    let doc = b"Ambassador Quentin Marlowe: tel 2374-5678, qmarlowe@example.gov\n";
    let mut cmd = redline();
    cmd.args(["redact", "--operator-for", "phone=label"]);
    cmd.args(["--operator-for", "contact.email=remove", "-"]);
    let o = run_with_stdin(cmd, doc);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "Ambassador XXXXXXXXXXXX: tel [PHONE], \n");
    let o = redline()
        .args(["redact", "--operator-for", "phone=blur", "-"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown operator `blur`"),
        "{}",
        stderr(&o)
    );
}
