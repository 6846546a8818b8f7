//! Safe writing: a file is replaced atomically or not at all.
//!
//! The new bytes go to a temporary file in the target's own folder (a rename is only atomic
//! within one file system), which is flushed and fsynced, given the permissions to keep, and
//! renamed over the target. A failure at any step leaves the target byte-for-byte as it was
//! and removes the temporary file (`tempfile` deletes it on drop, also when the final rename
//! fails). Writing in place to the target would be simpler and leaves a half-written
//! document when the disk fills or the process dies; that is the leak we refuse.
//!
//! The rename is then made durable by syncing the folder: at once for [`write_atomic`], once
//! per folder at the end of a run for the copies of [`Folders`], whose writers also share
//! the flushes of their temporary files (one `syncfs` on Linux for the files of all writers
//! waiting, rather than an fsync each: see `durable`).
//!
//! Each step goes through [`Steps`] so that tests can inject failures into any of them.

use std::collections::{BTreeSet, HashSet};
use std::fs::{File, Permissions};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tempfile::NamedTempFile;

use super::durable::{GATHER, GroupSync};

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
    replace_with(steps, target, bytes, perms)?;
    sync_folder(folder_of(target));
    Ok(())
}

/// Every step of [`write_atomic_with`] but the sync of the folder.
fn replace_with(
    steps: &mut dyn Steps,
    target: &Path,
    bytes: &[u8],
    perms: Option<Permissions>,
) -> std::io::Result<()> {
    let at = |what: &str, e: std::io::Error| in_writing(target, what, e);
    let dir = folder_of(target);
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
    put_in_place(steps, tmp, target, perms)
}

/// Fsync a written temporary file, give it `perms`, rename it over `target`.
fn put_in_place(
    steps: &mut dyn Steps,
    tmp: NamedTempFile,
    target: &Path,
    perms: Option<Permissions>,
) -> std::io::Result<()> {
    let at = |what: &str, e: std::io::Error| in_writing(target, what, e);
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
        .map_err(|e| at("cannot replace", e))
}

/// A file written piece by piece and put in place atomically by [`Pending::commit`], as
/// [`write_atomic`] would put it: so a long output (the manifest of a corpus) need not be
/// held in memory. Dropped without a commit, it leaves the target as it was and no
/// temporary file behind.
pub struct Pending {
    target: PathBuf,
    tmp: BufWriter<NamedTempFile>,
}

impl Pending {
    /// Start the file that will replace `target`, beside it.
    ///
    /// # Errors
    /// When no temporary file can be created in the target's folder.
    pub fn new(target: &Path) -> std::io::Result<Self> {
        let tmp = tempfile::Builder::new()
            .prefix(".redline-")
            .suffix(".tmp")
            .tempfile_in(folder_of(target))
            .map_err(|e| in_writing(target, "cannot create a temporary file beside it", e))?;
        Ok(Pending {
            target: target.to_path_buf(),
            tmp: BufWriter::new(tmp),
        })
    }

    /// Flush, fsync, give it the permissions of the file it replaces (if any), rename it over
    /// the target and sync the folder.
    ///
    /// # Errors
    /// Any failing step, with the target named; the target is then unchanged.
    pub fn commit(self) -> std::io::Result<()> {
        let target = self.target;
        let at = |what: &str, e: std::io::Error| in_writing(&target, what, e);
        let tmp = self
            .tmp
            .into_inner()
            .map_err(|e| at("cannot write", e.into_error()))?;
        let perms = std::fs::metadata(&target).ok().map(|m| m.permissions());
        put_in_place(&mut RealSteps, tmp, &target, perms)?;
        sync_folder(folder_of(&target));
        Ok(())
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
}

/// An error of writing `target`, saying at which step.
fn in_writing(target: &Path, what: &str, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {what}: {e}", target.display()))
}

/// Make the renames into `dir` durable. Some file systems refuse to sync a folder; the file
/// is already in place by then, so that refusal is not a failure of the write.
fn sync_folder(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Whether `target` is a regular file (not a link to one) that holds exactly `bytes`, with
/// the permissions `perms` when given (none given means the target's own are kept). Any
/// failure to tell reads as `false`: the target is then written.
fn holds(target: &Path, bytes: &[u8], perms: Option<&Permissions>) -> bool {
    let Ok((mut file, meta)) = crate::walk::open_file(target, false) else {
        return false;
    };
    if !meta.is_file()
        || meta.len() != bytes.len() as u64
        || perms.is_some_and(|p| !same_permissions(p, &meta.permissions()))
    {
        return false;
    }
    // One byte more than expected, so that a file grown since the `fstat` shows as longer.
    let mut held = Vec::with_capacity(bytes.len() + 1);
    file.read_to_end(&mut held).is_ok() && held == bytes
}

/// Whether two sets of permissions are the same (the file-type bits of a mode read from
/// metadata are left out).
fn same_permissions(a: &Permissions, b: &Permissions) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        a.mode() & 0o7777 == b.mode() & 0o7777
    }
    #[cfg(not(unix))]
    {
        a == b
    }
}

/// The folder a write to `target` renames into.
fn folder_of(target: &Path) -> &Path {
    match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// What a run knows of a target before [`Folders::write_atomic`] writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Before {
    /// Nothing: it may hold the copy already, and is looked at first.
    Unknown,
    /// It was missing when the run looked (a copy into a new folder), so it is written
    /// without opening it first. Should a file have appeared there since, it is replaced, as
    /// any target not holding the copy is.
    Missing,
}

/// Atomic writes of many files whose folders are synced once each, at the end, rather than
/// once per file: every file is still written to a temporary file, made durable and renamed
/// before [`Folders::write_atomic`] returns, so each target is at all times either its old
/// or its new self; only the durability of the renames waits for [`Folders::sync`] (or the
/// drop of the value), which a run calls before it reports. Over a corpus that is one
/// folder fsync instead of thousands.
///
/// The temporary files of writers working side by side are made durable together, with
/// one flush of their file system (group commit) rather than an fsync each.
#[derive(Debug, Default)]
pub struct Folders {
    dirs: Mutex<BTreeSet<PathBuf>>,
    /// Folders this run has made sure exist ([`Folders::make`]).
    made: Mutex<HashSet<PathBuf>>,
    group: GroupSync,
}

/// [`RealSteps`] whose fsync joins the other writers' ([`GroupSync`]).
struct GroupSteps<'g>(&'g GroupSync);

impl Steps for GroupSteps<'_> {
    fn sync(&mut self, file: &File) -> std::io::Result<()> {
        self.0.sync(file)
    }
}

/// Runs of at least this many files gather writers for shared flushes ([`GATHER`]); a
/// smaller run flushes at once.
const GATHER_FROM: usize = 16;

impl Folders {
    /// No folder to sync yet.
    pub fn new() -> Self {
        Folders::default()
    }

    /// For a run that writes `files` copies: when there are many, a writer about to flush
    /// its file system waits up to 2 ms for other writers to share the flush.
    pub fn for_files(files: usize) -> Self {
        let gather = if files >= GATHER_FROM {
            GATHER
        } else {
            Duration::ZERO
        };
        Folders {
            dirs: Mutex::default(),
            made: Mutex::default(),
            group: GroupSync::new(gather, super::parallel::WRITERS.min(files)),
        }
    }

    /// Create `dir` and the folders above it, unless this run already has: the copies of a
    /// corpus share few folders, and each copy asking for its folder again cost two system
    /// calls (a `mkdir` that finds it, a `stat` that it is a folder).
    ///
    /// # Errors
    /// When a folder cannot be created.
    pub fn make(&self, dir: &Path) -> std::io::Result<()> {
        let mut made = self.made.lock().unwrap_or_else(PoisonError::into_inner);
        if !made.contains(dir) {
            std::fs::create_dir_all(dir)?;
            made.insert(dir.to_path_buf());
        }
        Ok(())
    }

    /// [`write_atomic`], but the folder is only noted for [`Folders::sync`]; and a target
    /// that already is a regular file holding exactly `bytes` (with `perms`, when given) is
    /// left as it is, so a run repeated over unchanged inputs rewrites nothing (no new
    /// inode, no fsync, the modification time kept), unless `before` says the target was
    /// missing. Returns whether the target was written.
    ///
    /// # Errors
    /// Any failing step, with the target named; the target is then unchanged.
    pub fn write_atomic(
        &self,
        target: &Path,
        bytes: &[u8],
        perms: Option<Permissions>,
        before: Before,
    ) -> std::io::Result<bool> {
        let written = before == Before::Missing || !holds(target, bytes, perms.as_ref());
        if written {
            replace_with(&mut GroupSteps(&self.group), target, bytes, perms)?;
        }
        // Noted either way: a copy found in place may be from a run that stopped before it
        // synced its folders.
        let dir = folder_of(target);
        let mut dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
        if !dirs.contains(dir) {
            dirs.insert(dir.to_path_buf());
        }
        Ok(written)
    }

    /// Sync every folder written to, once each.
    pub fn sync(&self) {
        let dirs = std::mem::take(&mut *self.dirs.lock().unwrap_or_else(PoisonError::into_inner));
        for dir in dirs {
            sync_folder(&dir);
        }
    }
}

impl Drop for Folders {
    fn drop(&mut self) {
        self.sync();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_pending_file_replaces_its_target_only_when_committed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("m.jsonl");
        std::fs::write(&target, b"old").unwrap();
        std::fs::set_permissions(&target, Permissions::from_mode(0o640)).unwrap();
        let listing = || -> Vec<_> {
            std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect()
        };
        let mut dropped = Pending::new(&target).unwrap();
        dropped.write_all(b"half").unwrap();
        drop(dropped);
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(listing(), ["m.jsonl"], "no temporary file left");
        let mut pending = Pending::new(&target).unwrap();
        pending.write_all(b"line 1\n").unwrap();
        pending.write_all(b"line 2\n").unwrap();
        assert_eq!(
            std::fs::read(&target).unwrap(),
            b"old",
            "not before the commit"
        );
        pending.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"line 1\nline 2\n");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(listing(), ["m.jsonl"]);
        assert!(Pending::new(&dir.path().join("none").join("m.jsonl")).is_err());
    }

    #[test]
    fn a_target_holding_the_copy_is_left_alone_and_anything_else_is_replaced() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("copy.txt");
        let folders = Folders::new();
        let inode = || std::fs::symlink_metadata(&target).unwrap().ino();
        let rw = Permissions::from_mode(0o644);
        assert!(
            folders
                .write_atomic(&target, b"copy", Some(rw.clone()), Before::Unknown)
                .unwrap()
        );
        let first = inode();
        assert!(
            !folders
                .write_atomic(&target, b"copy", Some(rw.clone()), Before::Unknown)
                .unwrap()
        );
        assert!(
            !folders
                .write_atomic(&target, b"copy", None, Before::Unknown)
                .unwrap()
        );
        assert_eq!(inode(), first, "left as it was");
        // Other bytes of the same length, other bytes of another length, other permissions.
        for (bytes, mode) in [
            (&b"COPY"[..], 0o644),
            (b"copy 2", 0o644),
            (b"copy 2", 0o600),
        ] {
            let perms = Permissions::from_mode(mode);
            assert!(
                folders
                    .write_atomic(&target, bytes, Some(perms), Before::Unknown)
                    .unwrap()
            );
            assert_eq!(std::fs::read(&target).unwrap(), bytes);
            let meta = std::fs::metadata(&target).unwrap();
            assert_eq!(meta.permissions().mode() & 0o777, mode);
        }
        // A link to a file holding the copy is replaced by the copy itself.
        let elsewhere = dir.path().join("elsewhere.txt");
        std::fs::write(&elsewhere, b"linked").unwrap();
        std::fs::remove_file(&target).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &target).unwrap();
        assert!(
            folders
                .write_atomic(&target, b"linked", None, Before::Unknown)
                .unwrap()
        );
        assert!(std::fs::symlink_metadata(&target).unwrap().is_file());
        assert_eq!(std::fs::read(&elsewhere).unwrap(), b"linked");
    }

    #[test]
    fn a_new_target_is_written_without_a_look_and_folders_are_made_once() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a").join("b");
        let folders = Folders::new();
        folders.make(&sub).unwrap();
        assert!(sub.is_dir(), "made with the folders above it");
        folders.make(&sub).unwrap();
        assert_eq!(folders.made.lock().unwrap().len(), 1);
        let target = sub.join("copy.txt");
        assert!(
            folders
                .write_atomic(&target, b"copy", None, Before::Missing)
                .unwrap()
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"copy");
        let inode = || std::fs::symlink_metadata(&target).unwrap().ino();
        let first = inode();
        // Looked at, a target holding the copy is left alone; not looked at, it is replaced.
        assert!(
            !folders
                .write_atomic(&target, b"copy", None, Before::Unknown)
                .unwrap()
        );
        assert_eq!(inode(), first);
        assert!(
            folders
                .write_atomic(&target, b"copy", None, Before::Missing)
                .unwrap()
        );
        assert_ne!(inode(), first);
        assert_eq!(std::fs::read(&target).unwrap(), b"copy");
        assert!(
            folders.make(&target.join("x")).is_err(),
            "a file is no folder"
        );
    }

    #[test]
    fn folders_write_each_file_at_once_and_sync_each_folder_once() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        let folders = Folders::new();
        for (i, d) in [dir.path(), &sub, &sub].into_iter().enumerate() {
            let target = d.join(format!("{i}.txt"));
            folders
                .write_atomic(&target, b"copy", None, Before::Unknown)
                .unwrap();
            assert_eq!(std::fs::read(&target).unwrap(), b"copy", "in place at once");
        }
        let noted = folders.dirs.lock().unwrap().clone();
        assert_eq!(
            noted,
            BTreeSet::from([dir.path().to_path_buf(), sub.clone()])
        );
        folders.sync();
        assert!(folders.dirs.lock().unwrap().is_empty());
        // The same bytes again: nothing is written, but the folder is still noted.
        assert!(
            !folders
                .write_atomic(&sub.join("1.txt"), b"copy", None, Before::Unknown)
                .unwrap()
        );
        assert_eq!(*folders.dirs.lock().unwrap(), BTreeSet::from([sub.clone()]));
        let mut names: Vec<_> = std::fs::read_dir(&sub)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["1.txt", "2.txt"], "no temporary file left");
        let missing = dir.path().join("no such folder").join("x.txt");
        folders.sync();
        assert!(
            folders
                .write_atomic(&missing, b"copy", None, Before::Unknown)
                .is_err()
        );
        assert!(
            folders.dirs.lock().unwrap().is_empty(),
            "a failed write notes nothing"
        );
    }
}
