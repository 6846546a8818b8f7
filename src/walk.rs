//! Turning the paths a user gives into the inputs to read: files as given, folders walked
//! (honouring .gitignore and hidden-file rules, in a stable order), `-` for stdin.

use std::path::{Path, PathBuf};

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-`).
    Stdin,
    /// A file, as given or as walked.
    File(PathBuf),
    /// A file's staged content in the git index; the path is relative to the repository's
    /// top folder.
    Staged(String),
}

impl Input {
    /// The path as shown in output.
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) => p.display().to_string(),
            Input::Staged(p) => p.clone(),
        }
    }
}

/// A path that could not be walked.
#[derive(Debug)]
pub struct WalkError {
    /// The path.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// Expand `paths` into inputs, in order: each path's files sorted by name.
pub fn inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<WalkError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if path.is_dir() {
            walk_dir(path, &mut out, &mut errors);
        } else {
            // A file given by name is read even if an ignore file would skip it; a missing one
            // is reported when it is read.
            out.push(Input::File(path.clone()));
        }
    }
    (out, errors)
}

fn walk_dir(dir: &Path, out: &mut Vec<Input>, errors: &mut Vec<WalkError>) {
    let walker = ignore::WalkBuilder::new(dir)
        .sort_by_file_name(|a, b| a.cmp(b))
        .require_git(false)
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                out.push(Input::File(e.into_path()));
            }
            Ok(_) => {}
            Err(e) => errors.push(WalkError {
                path: dir.display().to_string(),
                message: e.to_string(),
            }),
        }
    }
}
