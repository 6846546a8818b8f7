//! The `redline` binary: parse the command line, run, map the result to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the scan allocates many small, short-lived buffers on two threads, and glibc's
/// arena locks showed up in profiles.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match redline::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Usage errors exit 2; `--help` and `--version` exit 0.
            return ExitCode::from(if e.use_stderr() {
                redline::app::EXIT_ERROR
            } else {
                0
            });
        }
    };
    let (code, scanner) = redline::app::run_keeping(cli);
    // The process ends here and frees everything at once; freeing the scanner piece by piece
    // first would only delay the exit.
    std::mem::forget(scanner);
    ExitCode::from(code)
}
