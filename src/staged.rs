//! `check --staged`: the files staged in the git index, read from the index rather than the
//! working tree, so a hook judges exactly what is about to be committed.

use std::path::PathBuf;
use std::process::Command;

/// The repository's top folder and the staged files (added, copied, modified or renamed),
/// as paths relative to that folder, the way git shows them.
///
/// # Errors
/// When git is missing or the working folder is not in a repository; git's message is kept.
pub fn staged_paths() -> Result<(PathBuf, Vec<String>), String> {
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']));
    let names = git(&[
        "diff",
        "--cached",
        "--name-only",
        "-z",
        "--diff-filter=ACMR",
    ])?;
    let paths = names
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    Ok((top, paths))
}

/// The staged content of `path` (relative to the repository's top folder).
///
/// # Errors
/// When git cannot give it.
pub fn read_staged(path: &str) -> std::io::Result<Vec<u8>> {
    // `cat-file blob` gives the bytes as stored: no textconv, no pager, no colour.
    git(&["cat-file", "blob", &format!(":{path}")]).map_err(std::io::Error::other)
}

fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {}", crate::reason::io_reason(&e)))?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "git {}: {}",
            args.first().copied().unwrap_or(""),
            msg.trim()
        ));
    }
    Ok(out.stdout)
}
