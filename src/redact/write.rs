//! Safe writing: a file is replaced atomically or not at all.
//!
//! The new bytes go to a temporary file in the target's own folder (a rename is only atomic
//! within one file system), which is flushed and fsynced, given the permissions to keep, and
//! renamed over the target. A failure at any step leaves the target byte-for-byte as it was
//! and removes the temporary file (`tempfile` deletes it on drop, also when the final rename
//! fails). Writing in place to the target would be simpler and leaves a half-written
//! document when the disk fills or the process dies; that is the leak we refuse.
//!
//! Each step goes through [`Steps`] so that tests can inject failures into any of them.

use std::fs::{File, Permissions};
use std::io::Write;
use std::path::Path;

use tempfile::NamedTempFile;

/// The fallible steps of an atomic write. [`RealSteps`] performs them; tests substitute a
/// version that fails at a chosen step.
pub trait Steps {
    /// Write all of `bytes` to the temporary file.
    ///
    /// # Errors
    /// When the write fails.
    fn write(&mut self, file: &mut File, bytes: &[u8]) -> std::io::Result<()> {
        file.write_all(bytes)?;
        file.flush()
    }

    /// Flush the temporary file to stable storage.
    ///
    /// # Errors
    /// When the fsync fails.
    fn sync(&mut self, file: &File) -> std::io::Result<()> {
        file.sync_all()
    }

    /// Give the temporary file the permissions it must end up with.
    ///
    /// # Errors
    /// When the permissions cannot be set.
    fn set_permissions(&mut self, file: &File, perms: Permissions) -> std::io::Result<()> {
        file.set_permissions(perms)
    }

    /// Rename the temporary file over `target`.
    ///
    /// # Errors
    /// When the rename fails; the temporary file is then removed.
    fn rename(&mut self, tmp: NamedTempFile, target: &Path) -> std::io::Result<()> {
        tmp.persist(target).map(|_| ()).map_err(|e| e.error)
    }
}

/// The real file system.
#[derive(Debug, Default)]
pub struct RealSteps;

impl Steps for RealSteps {}

/// Replace `target` with `bytes` atomically. The permissions are `perms` when given, else
/// those of the existing `target`, else owner read and write only (`tempfile`'s default).
///
/// # Errors
/// Any failing step, with the target named; the target is then unchanged.
pub fn write_atomic(
    target: &Path,
    bytes: &[u8],
    perms: Option<Permissions>,
) -> std::io::Result<()> {
    write_atomic_with(&mut RealSteps, target, bytes, perms)
}

/// [`write_atomic`] with the steps of `steps`.
///
/// # Errors
/// Any failing step; the target is then unchanged and no temporary file is left.
pub fn write_atomic_with(
    steps: &mut dyn Steps,
    target: &Path,
    bytes: &[u8],
    perms: Option<Permissions>,
) -> std::io::Result<()> {
    let at = |what: &str, e: std::io::Error| {
        std::io::Error::new(e.kind(), format!("{}: {what}: {e}", target.display()))
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let perms = match perms {
        Some(p) => Some(p),
        None => std::fs::metadata(target).ok().map(|m| m.permissions()),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".redline-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| at("cannot create a temporary file beside it", e))?;
    steps
        .write(tmp.as_file_mut(), bytes)
        .map_err(|e| at("cannot write", e))?;
    steps
        .sync(tmp.as_file())
        .map_err(|e| at("cannot sync", e))?;
    if let Some(p) = perms {
        steps
            .set_permissions(tmp.as_file(), p)
            .map_err(|e| at("cannot set permissions", e))?;
    }
    steps
        .rename(tmp, target)
        .map_err(|e| at("cannot replace", e))?;
    // Make the rename itself durable. Some file systems refuse to sync a folder; the file is
    // already in place by then, so that refusal is not a failure of the write.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
