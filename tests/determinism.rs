//! Results are identical whatever the thread count: same findings, same order.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{redline, seed};
use std::fs;
use std::path::Path;

/// `count` files in `dir` of very different sizes, so that workers finish out of order: the
/// seed cable, a line led by `lead` with an address and a number, or a run of lines with
/// nothing to find.
fn write_files(dir: &Path, count: usize, lead: &str) {
    let cable = fs::read_to_string(seed()).unwrap();
    for i in 0..count {
        let body = match i % 3 {
            0 => cable.clone(),
            1 => format!(
                "{lead} {i}: mail person{i}@example.gov, tel +1-202-555-{:04}\n",
                i % 10000
            ),
            _ => "nothing here\n".repeat(i),
        };
        fs::write(dir.join(format!("d{i:03}.txt")), body).unwrap();
    }
}

#[test]
fn one_and_two_threads_give_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), 300, "note");
    let run = |threads: &str| {
        let out = redline()
            .current_dir(dir.path())
            .args(["check", "--format", "json", "--threads", threads, "."])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        out.stdout
    };
    let one = run("1");
    let two = run("2");
    assert!(one.len() > 10_000);
    assert!(one == two, "output differs between 1 and 2 threads");
}

#[test]
fn redact_writes_the_same_copies_and_report_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    write_files(&input, 120, "Minister Petra Lindqvist asked");
    let run = |threads: &str| {
        let out = redline()
            .current_dir(dir.path())
            .args(["redact", "--threads", threads, "--out-dir"])
            .arg(format!("out{threads}"))
            .arg("in")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let copies: Vec<(String, Vec<u8>)> = (0..120)
            .map(|i| {
                let name = format!("d{i:03}.txt");
                let copy = fs::read(dir.path().join(format!("out{threads}/{name}"))).unwrap();
                (name, copy)
            })
            .collect();
        let report = String::from_utf8_lossy(&out.stderr).replace(&format!("out{threads}"), "out");
        (copies, out.stdout, report)
    };
    let one = run("1");
    let two = run("2");
    assert!(one.2.contains("120 file(s) written"), "{}", one.2);
    // The copies differ from their inputs: names, numbers and addresses were redacted.
    assert!(
        one.0
            .iter()
            .filter(|(_, c)| c.windows(12).any(|w| w == b"XXXXXXXXXXXX"))
            .count()
            >= 80
    );
    assert!(one == two, "redact differs between 1 and 2 threads");
}
