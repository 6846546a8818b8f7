//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod project;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The real binary under test.
pub fn redline() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_redline"));
    cmd.env_remove("NO_COLOR").env("REDLINE_TEST", "1");
    cmd
}

/// Run with `stdin` as standard input.
pub fn run_with_stdin(mut cmd: Command, stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// The seed cable, copied into the repository.
pub fn seed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cables/07ASTANA614.txt")
}

/// Settings that store every snapshot under `snapshots/` at the top of the repository.
pub fn snapshots() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Where the Python tools the tests drive (pre-commit, jsonschema) are importable from, when
/// the machine lacks them: installed once from PyPI into the target folder, so that a plain
/// `cargo test` works on a fresh machine. `None` when the system Python already has them.
pub fn python_path() -> Option<PathBuf> {
    static TOOLS: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    TOOLS.get_or_init(install_python_tools).clone()
}

/// `python3`, able to import pre-commit and jsonschema.
pub fn python() -> Command {
    let mut cmd = Command::new("python3");
    if let Some(p) = python_path() {
        cmd.env("PYTHONPATH", p);
    }
    cmd
}

fn install_python_tools() -> Option<PathBuf> {
    let check = "import importlib.metadata as m, jsonschema\n\
        v = m.version('pre-commit').split('.')\n\
        assert (int(v[0]), int(v[1])) >= (4, 4)\n";
    let have = |path: Option<&std::path::Path>| {
        let mut cmd = Command::new("python3");
        cmd.args(["-c", check])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(p) = path {
            cmd.env("PYTHONPATH", p);
        }
        cmd.status().map(|s| s.success()).unwrap_or(false)
    };
    if have(None) {
        return None;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pytools");
    if !have(Some(&dir)) {
        // Install beside, then rename: test binaries running one after another never see a
        // half-installed folder.
        let tmp = dir.with_extension(format!("tmp{}", std::process::id()));
        let ok = Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(["--target"])
            .arg(&tmp)
            .args(["pre-commit>=4.4", "jsonschema>=4.0"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(
            ok,
            "cannot install pre-commit and jsonschema from PyPI with pip"
        );
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::rename(&tmp, &dir).unwrap();
    }
    Some(dir)
}
