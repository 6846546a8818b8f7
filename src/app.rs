//! What each subcommand does, from parsed arguments to an exit code. I/O happens here and in
//! `check`; everything below is pure library code.

use std::io::{IsTerminal, Write};

use crate::check::{CheckSettings, Outcome, run_check};
use crate::cli::{
    CheckArgs, Cli, ColorChoice, Command, ConfigArgs, ConfigCommand, RedactArgs, RuleArgs,
    RulesCommand,
};
use crate::config::Config;
use crate::redact::run::{RedactSettings, Target, run_redact};
use crate::redact::{Key, Policy, Replacer};
use crate::report::{self, render_config_error, render_example_failures, render_rule_errors};
use crate::rules::{BuiltinExamples, RuleError, RuleSet};
use crate::scan::{Scanner, test_examples};

pub use crate::exit::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, EXIT_UNVERIFIED};

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    run_keeping(cli).0
}

/// [`run`], handing back the scanner it built (for `check` and `redact`). A process that
/// exits right after can leave it to the exit to free: freeing its automata, patterns and
/// caches one by one took about a millisecond, a tenth of a one-file `check`.
pub fn run_keeping(cli: Cli) -> (u8, Option<Scanner>) {
    let mut keep = None;
    let code = run_into(cli, &mut keep);
    (code, keep)
}

fn run_into(cli: Cli, keep: &mut Option<Scanner>) -> u8 {
    let color = use_color(cli.color);
    // Completions and the man page work even next to a broken config file.
    let no_config = ConfigArgs {
        config: None,
        no_config: true,
    };
    let config_args = match cli.command {
        Command::Completions { .. } | Command::Man => &no_config,
        _ => &cli.config,
    };
    let config = match crate::settings::load_config(config_args) {
        Ok(c) => c,
        Err(e) => {
            let stderr = std::io::stderr();
            let color = color && stderr.is_terminal();
            let _ = render_config_error(&e, &mut stderr.lock(), color);
            return EXIT_ERROR;
        }
    };
    let result = match cli.command {
        Command::Check(args) => check(args, config.as_ref(), color, keep),
        Command::Redact(args) => redact(args, config.as_ref(), color, keep),
        Command::Rules(cmd) => rules(cmd, config.as_ref(), color),
        Command::Config(ConfigCommand::Show) => crate::ecosystem::config_show(config.as_ref()),
        Command::Completions { shell } => crate::ecosystem::completions(shell),
        Command::Man => crate::ecosystem::man(),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "redline: {e}");
            EXIT_ERROR
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn report_rule_errors(errors: &[RuleError], color: bool) -> std::io::Result<u8> {
    let stderr = std::io::stderr();
    let color = color && stderr.is_terminal();
    render_rule_errors(errors, &mut stderr.lock(), color)?;
    Ok(EXIT_ERROR)
}

/// Whether a run over `paths` with `threads` (0: one per core) is one to warm the detectors
/// up for in the background ([`crate::detect::preload_in_background`]): it names a folder,
/// so it is likely long, and a core is to spare. A pre-commit run names files.
fn many_files(paths: &[std::path::PathBuf], threads: usize) -> bool {
    // The folder test first: counting cores reads the cgroup files, a cost a one-file run
    // should not pay twice.
    threads != 1
        && paths.iter().any(|p| p.is_dir())
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

/// The scanner of the enabled rules of `set`, with the config's default phone region, for a
/// run over `paths` with `threads` (0: one per core). A run over many files starts loading
/// what the detectors load on first use on a spare core first, while the scanner compiles.
fn scanner_of(
    set: &RuleSet,
    config: Option<&Config>,
    color: bool,
    (paths, threads): (&[std::path::PathBuf], usize),
) -> std::io::Result<Result<Scanner, u8>> {
    if many_files(paths, threads) {
        let enabled = set.rules().iter().filter(|r| r.enabled);
        crate::detect::preload_in_background(enabled.filter_map(|r| r.detector.as_deref()));
    }
    match Scanner::new(set) {
        Ok(mut s) => {
            let region = config.and_then(|c| c.file.phone_region.as_ref());
            s.set_default_region(region.map(|r| r.value.clone()));
            Ok(Ok(s))
        }
        Err(e) => Ok(Err(report_rule_errors(&e, color)?)),
    }
}

fn check(
    args: CheckArgs,
    config: Option<&Config>,
    color: bool,
    keep: &mut Option<Scanner>,
) -> std::io::Result<u8> {
    let set = match crate::settings::rule_set(&args.rule_args, config, BuiltinExamples::Skip) {
        Ok(s) => s,
        Err(e) => return report_rule_errors(&e, color),
    };
    let scanner = match scanner_of(&set, config, color, (&args.paths, args.threads))? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let settings: CheckSettings = match crate::settings::check_settings(&args, config) {
        Ok(s) => s,
        Err(msg) => {
            writeln!(std::io::stderr(), "redline: {msg}")?;
            return Ok(EXIT_ERROR);
        }
    };
    // Printers flush every so many files and at the end; between flushes, findings are
    // written in large blocks instead of one system call per line.
    let stdout = std::io::BufWriter::with_capacity(1 << 16, unbuffered_stdout());
    let mut printer =
        report::printer_with_rules(args.format, Box::new(stdout), color, scanner.rules());
    let outcome = run_check(
        &settings,
        &scanner,
        printer.as_mut(),
        &mut std::io::stderr(),
    )?;
    drop(printer);
    *keep = Some(scanner);
    Ok(match outcome {
        Outcome::Clean => EXIT_CLEAN,
        Outcome::Findings => EXIT_FINDINGS,
        Outcome::Error => EXIT_ERROR,
    })
}

/// Standard output without the standard library's line buffer, for a printer that buffers
/// its own output. That buffer looks for the last newline in every block it is handed; JSON
/// findings are one line of about 80 MB over the corpus, so it searched every byte for none
/// (about 0.7% of a corpus run's instructions). Where standard output cannot be duplicated
/// (or off Unix), the locked standard output.
fn unbuffered_stdout() -> Box<dyn Write> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(std::io::stdout().lock())
}

fn redact(
    args: RedactArgs,
    config: Option<&Config>,
    color: bool,
    keep: &mut Option<Scanner>,
) -> std::io::Result<u8> {
    let mut set = match crate::settings::rule_set(&args.rule_args, config, BuiltinExamples::Skip) {
        Ok(s) => s,
        Err(e) => return report_rule_errors(&e, color),
    };
    let mut err = std::io::stderr();
    if let Some(c) = args
        .categories
        .iter()
        .find(|c| !set.rules().iter().any(|r| r.enabled && &r.category == *c))
    {
        writeln!(
            err,
            "redline: --categories: no rule in force has category `{c}`; \
             `redline rules list` shows them"
        )?;
        return Ok(EXIT_ERROR);
    }
    // Redaction and its verification read only findings of the redacted categories (rules
    // report independently; overlaps are settled within a category), so the other rules
    // are not run at all.
    set.enable_only_categories(&args.categories);
    let scanner = match scanner_of(&set, config, color, (&args.paths, args.threads))? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let key = match load_key(args.key_file.as_deref()) {
        Ok(k) => k,
        Err(message) => {
            writeln!(err, "redline: {message}")?;
            return Ok(EXIT_ERROR);
        }
    };
    let mut settings = redact_settings(args, key);
    // The config's operators come after the command line's, so `--operator-for` wins.
    if let Some(c) = config {
        for (key, op) in &c.file.redact.operators {
            match <crate::redact::Operator as clap::ValueEnum>::from_str(op, true) {
                Ok(op) => settings.policy.overrides.push((key.clone(), op)),
                Err(_) => {
                    writeln!(
                        err,
                        "redline: {}: redact.operators.{key}: unknown operator `{op}`: mask, label, pseudonym or remove",
                        c.path.display()
                    )?;
                    return Ok(EXIT_ERROR);
                }
            }
        }
    }
    let t = run_redact(&settings, &scanner, &mut std::io::stdout().lock(), &mut err)?;
    *keep = Some(scanner);
    let unchanged = match t.unchanged {
        0 => String::new(),
        n => format!(", {n} already up to date"),
    };
    writeln!(
        err,
        "redline: {} file(s) written{unchanged}, {} redaction(s), {} failed verification, {} error(s)",
        t.files, t.redactions, t.unverified, t.errors
    )?;
    Ok(if t.unverified > 0 {
        EXIT_UNVERIFIED
    } else if t.errors > 0 {
        EXIT_ERROR
    } else {
        EXIT_CLEAN
    })
}

/// The key of `--key-file`, or a random one for this run.
fn load_key(path: Option<&std::path::Path>) -> Result<Key, String> {
    let Some(path) = path else {
        return Key::random().map_err(|e| e.to_string());
    };
    match std::fs::read(path) {
        Ok(k) if !k.is_empty() => Ok(Key::from_bytes(&k)),
        Ok(_) => Err(format!("{}: the key file is empty", path.display())),
        Err(e) => Err(format!(
            "{}: cannot read key file: {}",
            path.display(),
            crate::reason::io_reason(&e)
        )),
    }
}

fn redact_settings(args: RedactArgs, key: Key) -> RedactSettings {
    let target = match (args.output, args.out_dir, args.in_place) {
        (Some(f), _, _) => Target::File(f),
        (_, Some(d), _) => Target::OutDir(d),
        (_, _, true) => Target::InPlace,
        _ => Target::Stdout,
    };
    RedactSettings {
        paths: args.paths,
        target,
        policy: Policy {
            categories: args.categories,
            min_confidence: args.min_confidence.into(),
            operator: args.operator,
            overrides: args.operator_for,
        },
        replacer: Replacer {
            mask: args.mask_char,
            keep_length: args.keep_length,
            key: Some(key),
        },
        verify: !args.no_verify,
        manifest: args.manifest,
        hash_in_manifest: args.key_file.is_some(),
        progress: std::io::stderr().is_terminal(),
        threads: args.threads,
    }
}

fn rules(cmd: RulesCommand, config: Option<&Config>, color: bool) -> std::io::Result<u8> {
    let mut out = std::io::stdout().lock();
    match cmd {
        RulesCommand::List(args) => {
            let set = match crate::settings::rule_set(&args, config, BuiltinExamples::Skip) {
                Ok(s) => s,
                Err(e) => return report_rule_errors(&e, color),
            };
            for r in set.rules() {
                let state = if r.enabled { "" } else { "  (off by default)" };
                writeln!(
                    out,
                    "{:<40} {:<15} {:<8} {}{state}",
                    r.id,
                    r.category,
                    r.severity.as_str(),
                    r.message
                )?;
            }
            Ok(EXIT_CLEAN)
        }
        RulesCommand::Explain { id, rule_args } => {
            let set = match crate::settings::rule_set(&rule_args, config, BuiltinExamples::Load) {
                Ok(s) => s,
                Err(e) => return report_rule_errors(&e, color),
            };
            let Some(r) = set.get(&id) else {
                writeln!(
                    std::io::stderr(),
                    "redline: no rule `{id}`; `redline rules list` shows the rules"
                )?;
                return Ok(EXIT_ERROR);
            };
            write!(out, "{}", explain(r))?;
            Ok(EXIT_CLEAN)
        }
        RulesCommand::Test { paths } => {
            let args = RuleArgs {
                rules: paths.clone(),
                no_builtin: !paths.is_empty(),
                ..Default::default()
            };
            let mut set = if args.no_builtin {
                RuleSet::new()
            } else {
                match RuleSet::builtin() {
                    Ok(s) => s,
                    Err(e) => return report_rule_errors(&e, color),
                }
            };
            for p in &paths {
                if let Err(e) = set.add_path(p) {
                    return report_rule_errors(&e, color);
                }
            }
            // Rules that are off by default are tested too.
            let ids: Vec<String> = set.rules().iter().map(|r| r.id.clone()).collect();
            for id in &ids {
                set.set_enabled(id, true);
            }
            let failures = match test_examples(&set) {
                Ok(f) => f,
                Err(e) => return report_rule_errors(&e, color),
            };
            let examples: usize = set
                .rules()
                .iter()
                .map(|r| r.examples.len() + r.negative_examples.len())
                .sum();
            render_example_failures(
                &failures,
                &mut std::io::stderr().lock(),
                color && std::io::stderr().is_terminal(),
            )?;
            writeln!(
                out,
                "{} passed, {} failed",
                examples - failures.len(),
                failures.len()
            )?;
            Ok(if failures.is_empty() {
                EXIT_CLEAN
            } else {
                EXIT_FINDINGS
            })
        }
    }
}

/// The documentation of a rule, from its rule file.
pub fn explain(r: &crate::rules::Rule) -> String {
    let mut s = format!(
        "{}  [{} / {} / confidence {}]\n\n{}\n\n{}\n",
        r.id,
        r.category,
        r.severity.as_str(),
        r.confidence.as_str(),
        r.message,
        r.description.trim_end()
    );
    if !r.examples.is_empty() {
        s.push_str("\nExamples (fires):\n");
        for e in &r.examples {
            s.push_str(&format!("  {:?}\n", e.text));
        }
    }
    if !r.negative_examples.is_empty() {
        s.push_str("\nNegative examples (does not fire):\n");
        for e in &r.negative_examples {
            s.push_str(&format!("  {:?}\n", e.text));
        }
    }
    s.push_str(&format!("\nDefined in {}\n", r.origin.path));
    s
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use clap::Parser;

    #[test]
    fn only_runs_over_a_folder_with_threads_to_spare_preload() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("one.txt");
        std::fs::write(&file, "text\n").unwrap();
        let folder = dir.path().to_path_buf();
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        assert_eq!(many_files(std::slice::from_ref(&folder), 0), cores > 1);
        assert_eq!(many_files(&[file.clone(), folder.clone()], 2), cores > 1);
        // A pre-commit run names files (or the index); `--threads 1` asked for one thread.
        assert!(!many_files(std::slice::from_ref(&file), 0));
        assert!(!many_files(&[], 0));
        assert!(!many_files(&[folder], 1));
    }

    #[test]
    fn check_hands_back_its_scanner_and_the_same_exit_code() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("clean.txt");
        std::fs::write(&file, "Nothing to see here.\n").unwrap();
        let path = file.to_str().unwrap();
        let cli = || Cli::try_parse_from(["redline", "check", "--no-config", "--quiet", path]);
        let (code, scanner) = run_keeping(cli().unwrap());
        assert_eq!(code, EXIT_CLEAN);
        assert_eq!(run(cli().unwrap()), code);
        let scanner = scanner.unwrap();
        assert!(scanner.rules().iter().any(|r| r.id == "person.name"));
        // A run that ends in an error after building its scanner hands it back too.
        let missing = dir.path().join("missing.txt");
        let missing = missing.to_str().unwrap();
        let args = ["redline", "check", "--no-config", "--quiet", missing];
        let (code, scanner) = run_keeping(Cli::try_parse_from(args).unwrap());
        assert_eq!(code, EXIT_ERROR);
        assert!(scanner.is_some());
    }
}
