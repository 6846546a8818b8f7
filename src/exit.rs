//! The process exit codes of every subcommand.

/// Exit code: nothing at or above `--fail-on`.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings at or above `--fail-on`, or failing rule examples.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage error, unreadable input, broken rule.
pub const EXIT_ERROR: u8 = 2;
/// Exit code of `redact`: a redacted copy still held a finding of a redacted category, so
/// nothing was written for that file.
pub const EXIT_UNVERIFIED: u8 = 3;
