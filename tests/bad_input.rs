//! Hostile and broken input never crashes, hangs or loses data: each case runs the real
//! binary and checks its exit code and message.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{redline, run_with_stdin, stderr, stdout};
use std::fs;
use std::process::Stdio;

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

fn no_panic(out: &std::process::Output) {
    assert!(!stderr(out).contains("panicked"), "{}", stderr(out));
}

#[test]
fn empty_file_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.txt"), b"").unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["check", "empty.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("1 file checked, 0 findings"));
}

#[test]
fn nul_bytes_mean_binary_and_are_skipped() {
    let mut cmd = redline();
    cmd.args(["check", "-"]);
    let out = run_with_stdin(cmd, b"text\x00more jdoe@example.gov");
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("binary file skipped"));
}

#[test]
fn a_routing_line_cut_inside_a_character_is_read() {
    // Found by fuzzing: the routing `FOR` reader capped its item list at 60 bytes of the view,
    // which here falls inside a U+FFFD standing for an invalid byte.
    let mut text = b"FOR\x90\x90K".to_vec();
    text.extend(std::iter::repeat_n(0x90, 19));
    text.extend(b"\xff\x90\x05");
    let mut cmd = redline();
    cmd.args(["check", "--format", "json", "--fail-on", "never", "-"]);
    let out = run_with_stdin(cmd, &text);
    no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn invalid_utf8_inside_a_name_keeps_exact_spans() {
    let text = b"Ambassador Jo\xffhn Smith said that mail goes to jdoe@example.gov today.\n";
    let mut cmd = redline();
    cmd.args(["check", "--format", "json", "-"]);
    let out = run_with_stdin(cmd, text);
    no_panic(&out);
    let doc = json(&out);
    let email = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["category"] == "email")
        .unwrap();
    let (s, e) = (
        email["start"].as_u64().unwrap() as usize,
        email["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], b"jdoe@example.gov");
}

#[test]
fn utf16_is_refused_clearly() {
    let mut bytes = vec![0xFF, 0xFE];
    for c in "mail jdoe@example.gov".encode_utf16() {
        bytes.extend(c.to_le_bytes());
    }
    let mut cmd = redline();
    cmd.args(["check", "-"]);
    let out = run_with_stdin(cmd, &bytes);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("UTF-16 text is not supported"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn crlf_and_mixed_line_endings_find_the_same_things() {
    let lf = "Reach him by phone at +7-3172-70-22-\n96 or jdoe@example.gov.\n";
    let spans = |text: &str| -> Vec<String> {
        let mut cmd = redline();
        cmd.args(["check", "--format", "json", "--show-match", "-"]);
        let out = run_with_stdin(cmd, text.as_bytes());
        json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f["category"],
                    f["match"].as_str().unwrap().replace("\r\n", "\n")
                )
            })
            .collect()
    };
    let want = spans(lf);
    assert_eq!(want.len(), 2, "{want:?}");
    assert_eq!(spans(&lf.replace('\n', "\r\n")), want);
    assert_eq!(spans(&lf.replacen('\n', "\r\n", 1)), want);
}

#[test]
fn a_200_mb_file_without_newline_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let mut data = vec![b'a'; 200 << 20];
    let tail = b" mail jdoe@example.gov";
    let at = data.len() - tail.len();
    data[at..].copy_from_slice(tail);
    fs::write(&path, &data).unwrap();
    drop(data);
    let out = redline()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["findings"][0]["category"], "email");
    assert_eq!(
        doc["findings"][0]["end"].as_u64().unwrap() as usize,
        200 << 20
    );
}

#[test]
fn ten_million_short_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lines.txt");
    let mut data = b"x\n".repeat(10_000_000);
    data.extend_from_slice(b"call (202) 555-0143\n");
    fs::write(&path, &data).unwrap();
    let out = redline()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    no_panic(&out);
    let doc = json(&out);
    let f = &doc["findings"][0];
    assert_eq!(f["category"], "phone");
    assert_eq!(f["line"], 10_000_001);
}

#[test]
fn a_file_used_as_a_folder_and_a_folder_as_a_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("f.txt"), b"x").unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["check", "f.txt/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("redline: f.txt/: cannot read: Not a directory"),
        "{}",
        stderr(&out)
    );
    let out = redline()
        .current_dir(dir.path())
        .args(["check", "--rules", "f.txt/", "-"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    no_panic(&out);
}

#[test]
fn missing_path_exits_two() {
    let out = redline()
        .args(["check", "/definitely/not/here.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("No such file or directory"));
}

/// Root reads everything, so drop to `nobody` with setpriv when running as root.
#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let path = dir.path().join("secret.txt");
    fs::write(&path, b"jdoe@example.gov").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let out = if is_root {
        let bin = env!("CARGO_BIN_EXE_redline");
        let probe = std::process::Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                bin,
                "--version",
            ])
            .output();
        match probe {
            Ok(p) if p.status.success() => {}
            _ => {
                eprintln!(
                    "SKIPPED: running as root and cannot drop privileges with setpriv (binary not reachable by nobody?)"
                );
                return;
            }
        }
        std::process::Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                bin,
                "check",
            ])
            .arg(&path)
            .output()
            .unwrap()
    } else {
        redline().arg("check").arg(&path).output().unwrap()
    };
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Permission denied"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn symlink_loop_in_a_walked_folder_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere", dir.path().join("dangling")).unwrap();
    fs::write(dir.path().join("sub/a.txt"), b"jdoe@example.gov").unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["summary"]["files"], 1);
}

#[test]
fn a_fifo_given_by_name_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(made, "mkfifo failed");
    let out = redline().arg("check").arg(&fifo).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn files_disappearing_during_a_run_are_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..400 {
        fs::write(
            dir.path().join(format!("f{i:04}.txt")),
            b"mail jdoe@example.gov\n".repeat(200),
        )
        .unwrap();
    }
    let child = redline()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for i in (0..400).rev().step_by(2) {
        let _ = fs::remove_file(dir.path().join(format!("f{i:04}.txt")));
    }
    let out = child.wait_with_output().unwrap();
    no_panic(&out);
    assert!(matches!(out.status.code(), Some(1 | 2)), "{:?}", out.status);
    let doc = json(&out);
    assert!(doc["summary"]["files"].as_u64().unwrap() >= 200);
}

#[test]
fn stdin_closed_at_once_is_an_empty_document() {
    let out = redline()
        .args(["check", "-"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("1 file checked, 0 findings"));
}

#[test]
fn stdout_closed_early_exits_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let cable = fs::read(common::seed()).unwrap();
    for i in 0..30 {
        fs::write(dir.path().join(format!("c{i:02}.txt")), &cable).unwrap();
    }
    let mut child = redline()
        .current_dir(dir.path())
        .args(["check", "--color", "never", "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        stderr(&out),
        "",
        "a closed pipe must not produce an error message"
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
}

fn rule_run(name: &str, text: &[u8]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(name), text).unwrap();
    redline()
        .current_dir(dir.path())
        .args(["check", "--rules", name, "-"])
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

const HEAD: &str = "id: x.rule\ncategory: codeword\nseverity: error\nmessage: m\ndescription: d\n";

#[test]
fn malformed_yaml_is_located() {
    let out = rule_run(
        "bad.yaml",
        format!("{HEAD}literals: [a, b\nexamples: [a]\n").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.yaml:"), "{}", stderr(&out));
}

#[test]
fn alias_bombs_are_refused() {
    let mut text =
        format!("{HEAD}examples: [a]\nliterals:\n  - &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("  - &a{i} [{refs}]\n"));
    }
    let out = rule_run("bomb.yaml", text.as_bytes());
    no_panic(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bomb.yaml:"), "{}", stderr(&out));
}

#[test]
fn a_50_mb_rule_file_is_refused_without_parsing() {
    let mut text = format!("{HEAD}examples: [a]\nliterals: [a]\n# ").into_bytes();
    text.resize(50 << 20, b'x');
    let out = rule_run("big.yaml", &text);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("larger than the limit"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn oversized_and_deeply_nested_regexes_are_errors() {
    let out = rule_run(
        "huge.yaml",
        format!("{HEAD}examples: [a]\npatterns: ['(?:\\w{{50}}){{50}}']\n").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("compiles to more than"),
        "{}",
        stderr(&out)
    );
    let deep = format!("{}a{}", "(".repeat(2000), ")".repeat(2000));
    let out = rule_run(
        "deep.yaml",
        format!("{HEAD}examples: [a]\npatterns: ['{deep}']\n").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid pattern"), "{}", stderr(&out));
}

#[test]
fn catastrophic_nesting_stays_linear() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("r.yaml"),
        format!("{HEAD}examples: ['aaab']\npatterns: ['(a*)*(a+)+b']\n"),
    )
    .unwrap();
    let mut cmd = redline();
    cmd.current_dir(dir.path())
        .args(["check", "--no-builtin", "--rules", "r.yaml", "-"]);
    let out = run_with_stdin(cmd, &b"a".repeat(1 << 20));
    no_panic(&out);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_hundred_thousand_literals_load() {
    let dir = tempfile::tempdir().unwrap();
    let words: String = (0..100_000).map(|i| format!("codeword{i:06}\n")).collect();
    fs::write(dir.path().join("words.txt"), words).unwrap();
    fs::write(
        dir.path().join("r.yaml"),
        format!("{HEAD}dictionary: words.txt\nwhole_word: true\nexamples: ['see codeword099999']\nnegative_examples: ['codeword1']\n"),
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
    let out = run_with_stdin(cmd, b"the codeword054321 and codeword000001.");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 2);
}

#[test]
fn duplicate_ids_name_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let rule = format!("{HEAD}literals: [a]\nexamples: [a]\n");
    fs::write(dir.path().join("one.yaml"), &rule).unwrap();
    fs::write(dir.path().join("two.yaml"), &rule).unwrap();
    let out = redline()
        .current_dir(dir.path())
        .args(["check", "--rules", "one.yaml", "--rules", "two.yaml", "-"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("duplicate rule id `x.rule`")
            && err.contains("two.yaml")
            && err.contains("one.yaml"),
        "{err}"
    );
}
