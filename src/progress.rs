//! The progress bar of a run over many files, on stderr.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs with fewer inputs than this finish before a progress bar would help.
const MIN_INPUTS: usize = 16;

/// A bar counting `len` files, drawn on stderr when `show` (the caller has checked that
/// stderr is a terminal) and the run has at least [`MIN_INPUTS`] files; a hidden one, which
/// draws nothing, otherwise. Text written to stderr while it shows goes through
/// [`ProgressBar::suspend`].
pub(crate) fn bar(show: bool, len: usize) -> ProgressBar {
    if !show || len < MIN_INPUTS {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} files {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_runs_of_many_files_asked_to_show_one_get_a_bar() {
        assert!(bar(false, 1000).is_hidden());
        assert!(bar(true, MIN_INPUTS - 1).is_hidden());
        assert_eq!(bar(true, MIN_INPUTS).length(), Some(MIN_INPUTS as u64));
    }
}
