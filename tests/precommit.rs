//! redline as a pre-commit hook, for real: pre-commit (from PyPI; `.ci/run` installs it)
//! runs the hook in a scratch git repository, and a commit holding a phone number is refused
//! with the diagnostic while a clean one goes through.
//!
//! `local_hook_*` runs the hook exactly as `.pre-commit-hooks.yaml` defines it (entry, args,
//! file types), with the `redline` of the entry pointing at the binary under test, so it
//! takes seconds. `rust_hook_*` (ignored by default; `.ci/run` runs it) lets pre-commit build
//! this checkout itself with `language: rust`, `cargo install` included, as users get it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{stderr, stdout};

const PHONE_DOC: &str = "Reach the duty officer on +1-202-555-0142 tonight.\n";

fn pre_commit(dir: &Path) -> Command {
    let mut cmd = common::python();
    cmd.args(["-m", "pre_commit"])
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home(dir))
        .env_remove("NO_COLOR");
    cmd
}

/// git in `dir`; the hooks it runs use `dir/.pre-commit-home` (see [`repo`]), not the
/// user's cache.
fn git(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new("git");
    // The hook git runs is a Python script importing pre-commit.
    if let Some(p) = common::python_path() {
        cmd.env("PYTHONPATH", p);
    }
    cmd.current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@t.invalid"])
        .args(args)
        .env("PRE_COMMIT_COLOR", "never")
        .env("PRE_COMMIT_HOME", home(dir))
        .output()
        .unwrap()
}

/// pre-commit's cache for the scratch repository `dir`: inside it, git-ignored.
fn home(dir: &Path) -> std::path::PathBuf {
    dir.join(".pre-commit-home")
}

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    o
}

/// The shipped hook definition, as JSON.
fn shipped_hook() -> serde_json::Value {
    let text = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .unwrap();
    let hooks: Vec<serde_json::Value> = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(hooks.len(), 1, "one hook only: no redaction hook");
    let hook = hooks[0].clone();
    assert_eq!(hook["id"], "redline");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["types"], serde_json::json!(["text"]));
    hook
}

/// A scratch repository whose `.pre-commit-config.yaml` is `config` (JSON is YAML), committed,
/// with the hook installed; also a redline.yaml excluding `drafts/`.
fn repo(config: &serde_json::Value) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(git(dir.path(), &["init", "-q"]));
    fs::write(dir.path().join(".gitignore"), "/.pre-commit-home/\n").unwrap();
    fs::write(
        dir.path().join(".pre-commit-config.yaml"),
        config.to_string(),
    )
    .unwrap();
    fs::write(dir.path().join("redline.yaml"), "exclude: ['drafts/']\n").unwrap();
    ok(git(dir.path(), &["add", "."]));
    ok(git(
        dir.path(),
        &["commit", "-q", "--no-verify", "-m", "config"],
    ));
    ok(pre_commit(dir.path()).arg("install").output().unwrap());
    dir
}

fn commit(dir: &Path, file: &str, text: &str) -> Output {
    let path = dir.join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    ok(git(dir, &["add", file]));
    git(dir, &["commit", "-m", &format!("add {file}")])
}

/// The three commits every hook setup must get right.
fn assert_hook_guards_commits(dir: &Path) {
    let refused = commit(dir, "notes/call.txt", PHONE_DOC);
    let text = format!("{}{}", stdout(&refused), stderr(&refused));
    assert!(
        !refused.status.success(),
        "a phone number was committed:\n{text}"
    );
    assert!(text.contains("redline"), "{text}");
    assert!(text.contains("notes/call.txt:1:"), "no diagnostic:\n{text}");
    assert!(text.contains("+1-202-555-0142"), "no snippet:\n{text}");
    ok(git(dir, &["reset", "-q"]));
    fs::remove_file(dir.join("notes/call.txt")).unwrap();

    let clean = commit(dir, "notes/plan.txt", "The meeting moves to Tuesday.\n");
    assert!(
        clean.status.success(),
        "{}\n{}",
        stdout(&clean),
        stderr(&clean)
    );

    // Excluded in redline.yaml: passed by name by pre-commit, still left alone.
    let excluded = commit(dir, "drafts/call.txt", PHONE_DOC);
    assert!(
        excluded.status.success(),
        "{}\n{}",
        stdout(&excluded),
        stderr(&excluded)
    );
}

#[test]
fn local_hook_refuses_a_phone_number_and_passes_clean_text() {
    let mut hook = shipped_hook();
    let entry = hook["entry"].as_str().unwrap();
    let entry = entry.replacen("redline", env!("CARGO_BIN_EXE_redline"), 1);
    hook["entry"] = entry.into();
    // The binary under test is already built: run it as is instead of `cargo install`.
    hook["language"] = "unsupported".into();
    let config = serde_json::json!({"repos": [{"repo": "local", "hooks": [hook]}]});
    let dir = repo(&config);
    assert_hook_guards_commits(dir.path());
}

#[test]
#[ignore = "builds redline with cargo install (minutes); .ci/run runs it"]
fn rust_hook_from_this_checkout_refuses_a_phone_number() {
    let hook = shipped_hook();
    let root = env!("CARGO_MANIFEST_DIR");
    // pre-commit clones the repository at a commit: the one checked out here.
    let head = ok(git(Path::new(root), &["rev-parse", "HEAD"]));
    let rev = stdout(&head).trim().to_string();
    let config =
        serde_json::json!({"repos": [{"repo": root, "rev": rev, "hooks": [{"id": hook["id"]}]}]});
    let dir = repo(&config);
    let started = std::time::Instant::now();
    ok(pre_commit(dir.path())
        .arg("install-hooks")
        .output()
        .unwrap());
    eprintln!("pre-commit built the rust hook in {:?}", started.elapsed());
    let started = std::time::Instant::now();
    assert_hook_guards_commits(dir.path());
    // The commits reuse the hook built above; a rebuild per commit would take minutes.
    let took = started.elapsed();
    assert!(took.as_secs() < 120, "three commits took {took:?}");
}
