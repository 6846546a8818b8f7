//! `redline redact`: read each input, plan, apply, verify, and write the redacted copy where
//! the settings say. Per-file problems are reported and the run goes on; only the totals
//! change.

use std::fs::Permissions;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::manifest::{self, Entry};
use super::operator::Replacer;
use super::parallel::for_each_ordered;
use super::pipeline::{Redacted, redact_document};
use super::plan::Policy;
use super::write::{Before, Folders, Pending};
use crate::reason::io_reason;
use crate::scan::Scanner;
use crate::text::Source;
use crate::walk::{self, Input, Read_, read_input_and_mode};

/// Where redacted copies go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Standard output; one input only.
    Stdout,
    /// This file; one input only.
    File(PathBuf),
    /// This folder, mirroring the input tree below each given folder.
    OutDir(PathBuf),
    /// Over each input, atomically.
    InPlace,
}

/// Settings of one `redact` run, built from the command line.
#[derive(Debug, Clone)]
pub struct RedactSettings {
    /// Paths as given.
    pub paths: Vec<PathBuf>,
    /// Where the copies go.
    pub target: Target,
    /// What is redacted and how.
    pub policy: Policy,
    /// Replacement text.
    pub replacer: Replacer,
    /// Re-scan the output and refuse to write it when anything is left.
    pub verify: bool,
    /// Write a JSON-lines manifest here.
    pub manifest: Option<PathBuf>,
    /// Whether the replacer's key came from `--key-file` (only then does the manifest carry
    /// hashes: a random key's hashes could never be compared).
    pub hash_in_manifest: bool,
    /// Show a progress bar on stderr over many files (the caller checks that it is a
    /// terminal).
    pub progress: bool,
    /// Threads that scan and redact; 0 means one per core.
    pub threads: usize,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Redacted copies written.
    pub files: usize,
    /// Redacted copies already in place, byte for byte, and so not written again.
    pub unchanged: usize,
    /// Redactions in the copies written or already in place.
    pub redactions: usize,
    /// Files whose output failed verification (nothing written for them).
    pub unverified: usize,
    /// Inputs that could not be read or written.
    pub errors: usize,
    /// Binary inputs skipped.
    pub skipped: usize,
}

impl Totals {
    fn add(&mut self, other: &Totals) {
        self.files += other.files;
        self.unchanged += other.unchanged;
        self.redactions += other.redactions;
        self.unverified += other.unverified;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }
}

/// What one job did, held until its turn to be reported.
#[derive(Default)]
struct Done {
    messages: Vec<u8>,
    totals: Totals,
    entries: Vec<Entry>,
}

/// Redact `jobs` on several threads, each result handed to `report` in input order.
fn in_parallel(
    run: &Run<'_>,
    jobs: &[Job],
    report: impl FnMut(Done) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for_each_ordered(
        jobs,
        run.settings.threads,
        |job| {
            let mut done = Done::default();
            let copy = prepare(run, job, &mut done.messages, &mut done.totals)?;
            Ok((done, copy))
        },
        |(mut done, copy)| {
            if let Some(copy) = copy {
                let mut no_stdout = std::io::sink();
                let (messages, totals) = (&mut done.messages, &mut done.totals);
                if let Some(e) = deliver_copy(run, copy, &mut no_stdout, messages, totals)? {
                    done.entries = e;
                }
            }
            Ok(done)
        },
        report,
    )
}

/// What every job of a run shares.
struct Run<'a> {
    settings: &'a RedactSettings,
    scanner: &'a Scanner,
    /// Folders written to, synced once each when the copies are all written.
    folders: Folders,
}

/// One input with the folder it was found under, for mirroring.
struct Job {
    input: Input,
    root: Option<PathBuf>,
    in_place: bool,
}

/// Run `redact`.
///
/// # Errors
/// When writing to `out` or `err` fails, or the manifest cannot be written.
pub fn run_redact(
    settings: &RedactSettings,
    scanner: &Scanner,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<Totals> {
    let mut totals = Totals::default();
    let in_place = settings.target == Target::InPlace;
    let jobs = jobs(&settings.paths, in_place, err, &mut totals)?;
    let jobs = without_clashes(&settings.target, jobs, err, &mut totals)?;
    if jobs.len() > 1 && matches!(settings.target, Target::Stdout | Target::File(_)) {
        writeln!(
            err,
            "redline: {} inputs: give --out-dir DIR or --in-place to redact more than one",
            jobs.len()
        )?;
        totals.errors += 1;
        return Ok(totals);
    }
    let run = Run {
        settings,
        scanner,
        folders: Folders::for_files(jobs.len()),
    };
    // The manifest's lines, written as each file's turn comes to a temporary file that
    // replaces the manifest when the run is over.
    let mut manifest = settings.manifest.as_deref().map(Pending::new).transpose()?;
    let mut add = |entries: &[Entry]| -> std::io::Result<()> {
        if let Some(m) = &mut manifest {
            for e in entries {
                serde_json::to_writer(&mut *m, e)?;
                m.write_all(b"\n")?;
            }
        }
        Ok(())
    };
    if jobs.len() == 1 {
        for job in &jobs {
            if let Some(entries) = redact_job(&run, job, out, err, &mut totals)? {
                add(&entries)?;
            }
        }
    } else {
        let bar = crate::progress::bar(settings.progress, jobs.len());
        in_parallel(&run, &jobs, |done| {
            bar.inc(1);
            if !done.messages.is_empty() {
                bar.suspend(|| err.write_all(&done.messages))?;
            }
            totals.add(&done.totals);
            add(&done.entries)
        })?;
        bar.finish_and_clear();
    }
    run.folders.sync();
    if let Some(m) = manifest {
        m.commit()?;
    }
    Ok(totals)
}

fn jobs(
    paths: &[PathBuf],
    in_place: bool,
    err: &mut dyn Write,
    totals: &mut Totals,
) -> std::io::Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for path in paths {
        let (inputs, errors) = walk::inputs(std::slice::from_ref(path));
        for e in errors {
            writeln!(err, "redline: {}: {}", e.path, e.message)?;
            totals.errors += 1;
        }
        let root = path.is_dir().then(|| path.clone());
        jobs.extend(inputs.into_iter().map(|input| Job {
            input,
            root: root.clone(),
            in_place,
        }));
    }
    Ok(jobs)
}

/// Two inputs whose copies would land on the same path (`--out-dir` over `a/x.txt` and
/// `b/x.txt`): the first keeps it, the others are errors rather than silently overwritten.
fn without_clashes(
    target: &Target,
    jobs: Vec<Job>,
    err: &mut dyn Write,
    totals: &mut Totals,
) -> std::io::Result<Vec<Job>> {
    if !matches!(target, Target::OutDir(_)) {
        return Ok(jobs);
    }
    let mut seen = std::collections::HashSet::new();
    let mut kept = Vec::with_capacity(jobs.len());
    for job in jobs {
        if let Ok(Some(dest)) = destination(target, &job)
            && !seen.insert(dest.clone())
        {
            let name = job.input.display();
            writeln!(
                err,
                "redline: {name}: another input's copy already goes to {}",
                dest.display()
            )?;
            totals.errors += 1;
            continue;
        }
        kept.push(job);
    }
    Ok(kept)
}

/// Redact one input; the manifest entries when a copy was written (none unless a manifest
/// is asked for).
fn redact_job(
    run: &Run<'_>,
    job: &Job,
    out: &mut dyn Write,
    err: &mut dyn Write,
    totals: &mut Totals,
) -> std::io::Result<Option<Vec<Entry>>> {
    match prepare(run, job, err, totals)? {
        Some(copy) => deliver_copy(run, copy, out, err, totals),
        None => Ok(None),
    }
}

/// A verified copy, ready to be written.
struct Copy {
    name: String,
    dest: Option<PathBuf>,
    /// What the run saw at `dest` before redacting.
    before: Before,
    /// The permissions of a file input, for its copy.
    mode: Option<Permissions>,
    bytes: Vec<u8>,
    redactions: usize,
    /// Its manifest entries, when a manifest is asked for.
    entries: Vec<Entry>,
}

/// The first half of redacting one input, all but the write: read, redact, verify. `None`
/// when there is nothing to write (reported to `err` and counted in `totals`).
fn prepare(
    run: &Run<'_>,
    job: &Job,
    err: &mut dyn Write,
    totals: &mut Totals,
) -> std::io::Result<Option<Copy>> {
    let (settings, scanner) = (run.settings, run.scanner);
    let name = job.input.display();
    let (dest, before) =
        match destination(&settings.target, job).and_then(|d| not_the_input(d, job)) {
            Ok(d) => d,
            Err(message) => {
                writeln!(err, "redline: {name}: {message}")?;
                totals.errors += 1;
                return Ok(None);
            }
        };
    let Some((bytes, mode)) = read_text(&job.input, err, totals)? else {
        return Ok(None);
    };
    let doc = redact_document(
        &bytes,
        scanner,
        &settings.policy,
        &settings.replacer,
        settings.verify,
    );
    if !doc.leaks.is_empty() {
        report_leaks(scanner, &doc, &name, err)?;
        totals.unverified += 1;
        return Ok(None);
    }
    let Redacted {
        redactions,
        applied,
        ..
    } = doc;
    let entries = match settings.manifest {
        None => Vec::new(),
        Some(_) => {
            let key = settings
                .replacer
                .key
                .as_ref()
                .filter(|_| settings.hash_in_manifest);
            let source = Source::new(&bytes);
            manifest::entries(
                &name,
                &source,
                scanner.rules(),
                &redactions,
                &applied.replaced,
                key,
            )
        }
    };
    Ok(Some(Copy {
        name,
        dest,
        before,
        mode,
        redactions: applied.replaced.len(),
        bytes: applied.bytes,
        entries,
    }))
}

/// The second half: write the copy; its manifest entries when it was written or found
/// already in place.
fn deliver_copy(
    run: &Run<'_>,
    copy: Copy,
    out: &mut dyn Write,
    err: &mut dyn Write,
    totals: &mut Totals,
) -> std::io::Result<Option<Vec<Entry>>> {
    match deliver(&run.folders, &copy, out) {
        Ok(true) => totals.files += 1,
        Ok(false) => totals.unchanged += 1,
        Err(e) => {
            writeln!(err, "redline: {}: {}", copy.name, io_reason(&e))?;
            totals.errors += 1;
            return Ok(None);
        }
    }
    totals.redactions += copy.redactions;
    Ok(Some(copy.entries))
}

/// The text of `input` and, for a file, its permissions; `None` (reported) when it is
/// binary or unreadable.
fn read_text(
    input: &Input,
    err: &mut dyn Write,
    totals: &mut Totals,
) -> std::io::Result<Option<(Vec<u8>, Option<Permissions>)>> {
    let name = input.display();
    match read_input_and_mode(input) {
        Ok((Read_::Text(b), mode)) => Ok(Some((b, mode))),
        Ok((Read_::Binary, _)) => {
            writeln!(err, "redline: {name}: binary file skipped")?;
            totals.skipped += 1;
            Ok(None)
        }
        Err(e) => {
            writeln!(err, "redline: {name}: cannot read: {}", io_reason(&e))?;
            totals.errors += 1;
            Ok(None)
        }
    }
}

/// Report what verification left in the copy, without its text.
fn report_leaks(
    scanner: &Scanner,
    doc: &Redacted,
    name: &str,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    let source = Source::new(&doc.applied.bytes);
    writeln!(
        err,
        "redline: {name}: verification failed: {} finding(s) left in redacted categories; \
         nothing written for this file",
        doc.leaks.len()
    )?;
    for f in &doc.leaks {
        let rule = scanner
            .rules()
            .get(f.rule)
            .map(|r| r.id.as_str())
            .unwrap_or("?");
        let (line, col) = source.line_col(f.span.start);
        writeln!(err, "  {rule} at output line {line}, column {col}")?;
    }
    Ok(())
}

/// Where the copy of `job` goes: `None` means standard output.
fn destination(target: &Target, job: &Job) -> Result<Option<PathBuf>, String> {
    match (target, &job.input) {
        (Target::Stdout, _) => Ok(None),
        (Target::File(p), _) => Ok(Some(p.clone())),
        (_, Input::Stdin) => Err("standard input needs -o FILE or no output option".into()),
        // redact has no --staged: the git index is only ever read by `check`.
        (_, Input::Staged(_)) => Err("staged files cannot be redacted; redact the file".into()),
        (Target::InPlace, Input::File(p)) => std::fs::canonicalize(p)
            .map(Some)
            .map_err(|e| format!("cannot resolve: {}", io_reason(&e))),
        (Target::OutDir(dir), Input::File(p)) => {
            let rel = match &job.root {
                Some(root) => p.strip_prefix(root).ok().map(Path::to_path_buf),
                None => p.file_name().map(PathBuf::from),
            };
            rel.map(|r| Some(dir.join(r)))
                .ok_or_else(|| "cannot place it below the output folder".into())
        }
    }
}

/// Refuse a destination that is the input itself, unless in place: the original is never
/// modified without `--in-place`. With the destination, what stood there.
fn not_the_input(dest: Option<PathBuf>, job: &Job) -> Result<(Option<PathBuf>, Before), String> {
    if job.in_place {
        return Ok((dest, Before::Unknown));
    }
    // A destination that does not exist yet (the usual copy into a fresh --out-dir) is no
    // input: one stat instead of resolving two paths link by link.
    let Some(d) = dest.as_deref() else {
        return Ok((dest, Before::Unknown));
    };
    if std::fs::symlink_metadata(d).is_err() {
        return Ok((dest, Before::Missing));
    }
    if let Input::File(p) = &job.input
        && let (Ok(a), Ok(b)) = (std::fs::canonicalize(d), std::fs::canonicalize(p))
        && a == b
    {
        return Err(format!(
            "the copy would overwrite its input {}; use --in-place to mean that",
            d.display()
        ));
    }
    Ok((dest, Before::Unknown))
}

/// Write the redacted bytes; `false` when `dest` already held them (see
/// [`Folders::write_atomic`]). A copy never replaces its own input unless `--in-place` said
/// so (then `dest` is the input, reached here only through [`Target::InPlace`]).
fn deliver(folders: &Folders, copy: &Copy, out: &mut dyn Write) -> std::io::Result<bool> {
    let Some(dest) = &copy.dest else {
        out.write_all(&copy.bytes)?;
        return out.flush().map(|()| true);
    };
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        folders.make(parent)?;
    }
    folders.write_atomic(dest, &copy.bytes, copy.mode.clone(), copy.before)
}
