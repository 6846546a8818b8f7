//! Results are identical whatever the thread count: same findings, same order.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{redline, seed};
use std::fs;

#[test]
fn one_and_two_threads_give_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let cable = fs::read_to_string(seed()).unwrap();
    // Files of very different sizes so that workers finish out of order.
    for i in 0..300 {
        let body = match i % 3 {
            0 => cable.clone(),
            1 => format!(
                "note {i}: mail person{i}@example.gov, tel +1-202-555-{:04}\n",
                i % 10000
            ),
            _ => "nothing here\n".repeat(i),
        };
        fs::write(dir.path().join(format!("d{i:03}.txt")), body).unwrap();
    }
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
