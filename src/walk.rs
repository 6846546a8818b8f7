//! Turning the paths a user gives into the inputs to read: files as given, folders walked
//! (honouring .gitignore and hidden-file rules, in a stable order), `-` for stdin; and reading
//! one input, text or binary.

use std::io::Read;
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
    // Siblings by name. The walk compares only the entries of one folder, whose paths share
    // everything up to the name: comparing the paths compares the names, and costs no
    // parsing of each path for its name (which was most of a corpus walk's time).
    let walker = ignore::WalkBuilder::new(dir)
        .sort_by_file_path(|a, b| a.as_os_str().cmp(b.as_os_str()))
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

/// What reading one input gave.
pub(crate) enum Read_ {
    Text(Vec<u8>),
    Binary,
}

/// Why an input was not read.
fn refuse(msg: &str) -> std::io::Error {
    std::io::Error::other(msg.to_string())
}

/// Open `path` for reading, with its metadata from the open file: one open and one `fstat`
/// (a `stat` by path first would look the path up twice). On Unix the open does not block,
/// so that opening a FIFO cannot wait for a writer; with `follow_links` false, a symbolic
/// link fails to open rather than opening what it points to.
pub(crate) fn open_file(
    path: &Path,
    follow_links: bool,
) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let no_follow = if follow_links { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | no_follow);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    Ok((file, meta))
}

/// Read a regular file whole (see [`open_file`]). A FIFO or device given by name could block
/// forever or never end, so it is refused before any read.
fn read_file(path: &Path) -> std::io::Result<(Vec<u8>, std::fs::Permissions)> {
    let (mut file, meta) = open_file(path, true)?;
    if meta.is_dir() {
        return Err(refuse("is a folder where a file was expected"));
    }
    if !meta.is_file() {
        return Err(refuse("not a regular file"));
    }
    // One byte more than the size, so that the read which meets the end needs no new buffer.
    let size = usize::try_from(meta.len()).unwrap_or(0).saturating_add(1);
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(size)
        .map_err(std::io::Error::other)?;
    file.read_to_end(&mut bytes)?;
    Ok((bytes, meta.permissions()))
}

/// Bytes sniffed for a NUL to decide that a file is binary (as git and ripgrep do).
const SNIFF: usize = 8192;

/// Read one input whole. A NUL in its first 8 KiB makes it binary; UTF-16, folders, FIFOs
/// and devices are refused with a reason.
pub(crate) fn read_input(input: &Input) -> std::io::Result<Read_> {
    read_input_and_mode(input).map(|(read, _)| read)
}

/// [`read_input`], with the permissions of a file input as its read found them (a copy
/// written of it keeps them without asking the file system again).
pub(crate) fn read_input_and_mode(
    input: &Input,
) -> std::io::Result<(Read_, Option<std::fs::Permissions>)> {
    let (bytes, mode) = match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().lock().read_to_end(&mut buf)?;
            (buf, None)
        }
        Input::File(path) => read_file(path).map(|(b, m)| (b, Some(m)))?,
        Input::Staged(path) => (crate::staged::read_staged(path)?, None),
    };
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        // Offsets are bytes of the original file; decoding UTF-16 would break that promise,
        // so refuse clearly instead of skipping it as binary.
        return Err(refuse(
            "UTF-16 text is not supported; convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)",
        ));
    }
    // `memchr` reads the bytes many at a time; the slice's own `contains` one word at a time.
    if memchr::memchr(0, &bytes[..bytes.len().min(SNIFF)]).is_some() {
        return Ok((Read_::Binary, mode));
    }
    Ok((Read_::Text(bytes), mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files come depth first, each folder's entries by name (bytes): a folder's files before
    /// a sibling whose name its own name begins (`a/` before `a-b.txt` and `a.txt`), capitals
    /// before lower case.
    #[test]
    fn a_folder_is_walked_depth_first_by_name() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        for f in [
            "a.txt",
            "a-b.txt",
            "B.txt",
            "a/b.txt",
            "a/a/z.txt",
            "c/d/e.txt",
            "a0.txt",
        ] {
            let path = root.join(f);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, "x")?;
        }
        let (found, errors) = inputs(&[root.to_path_buf()]);
        assert!(errors.is_empty());
        let names: Vec<String> = found
            .iter()
            .filter_map(|i| match i {
                Input::File(p) => p.strip_prefix(root).ok().map(|p| p.display().to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(
            names,
            [
                "B.txt",
                "a/a/z.txt",
                "a/b.txt",
                "a-b.txt",
                "a.txt",
                "a0.txt",
                "c/d/e.txt"
            ]
        );
        Ok(())
    }
}
