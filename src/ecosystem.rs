//! Small commands that fit redline into its surroundings: `config show`, shell completions
//! and the man page, the last two generated from the clap definitions so they cannot drift.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::config::Config;
use crate::exit::{EXIT_CLEAN, EXIT_ERROR};

/// `redline config show`: the config in force, every default spelled out.
///
/// # Errors
/// When writing fails.
pub fn config_show(config: Option<&Config>) -> std::io::Result<u8> {
    match crate::config::show(config) {
        Ok(text) => {
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(EXIT_CLEAN)
        }
        Err(e) => {
            writeln!(std::io::stderr(), "redline: cannot print the config: {e}")?;
            Ok(EXIT_ERROR)
        }
    }
}

/// `redline completions SHELL`.
///
/// # Errors
/// When writing fails.
pub fn completions(shell: clap_complete::Shell) -> std::io::Result<u8> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "redline", &mut std::io::stdout().lock());
    Ok(EXIT_CLEAN)
}

/// `redline man`: the man page in roff.
///
/// # Errors
/// When writing fails.
pub fn man() -> std::io::Result<u8> {
    let page = clap_mangen::Man::new(Cli::command());
    page.render(&mut std::io::stdout().lock())?;
    Ok(EXIT_CLEAN)
}
