//! Running a detector's regex only where it can match: in the runs of text around a byte
//! sequence every match holds (a `Q`, a doubled quote), instead of over the whole document.

use std::ops::Range;

use memchr::memmem;

use crate::rules::pattern::LazyRegex;

/// The matches of `re` in `text`, found only in the runs around each occurrence of `needle`
/// (a run stretches both ways while `in_run` holds for the byte there). `re` is compiled
/// only if `needle` occurs (and so never if it does not compile: no match is found).
///
/// Gives what `re.find_iter(text)` gives, provided that every match holds `needle`, that a
/// match consists only of run bytes, and that `re` has no look-around (`^`, `$`, `\b`): a
/// match then lies inside one run, and a run starts where no match can overlap.
/// `in_run` must be false for some ASCII byte only, so that runs end on character
/// boundaries.
pub(crate) fn find_in_runs(
    re: &LazyRegex,
    text: &str,
    needle: &[u8],
    in_run: impl Fn(u8) -> bool,
) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut done = 0;
    for at in memmem::find_iter(bytes, needle) {
        if at < done {
            continue;
        }
        let mut start = at;
        while start > done && in_run(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = at + needle.len();
        while end < bytes.len() && in_run(bytes[end]) {
            end += 1;
        }
        done = end;
        let (Some(run), Some(re)) = (text.get(start..end), re.get()) else {
            continue;
        };
        out.extend(
            re.find_iter(run)
                .map(|m| start + m.start()..start + m.end()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn runs_find_what_the_whole_text_gives() {
        let re = LazyRegex::new(r"[A-Za-z]*(?:[.,;:!?]Q|Q)[A-Za-z]*");
        let text = "traffQked and IRAQ, then Qen. x.Qy and end.Q Ã©Qa QQ";
        let whole: Vec<_> = re
            .get()
            .unwrap()
            .find_iter(text)
            .map(|m| m.range())
            .collect();
        let runs = find_in_runs(&re, text, b"Q", |b| {
            b.is_ascii_alphabetic() || b".,;:!?".contains(&b)
        });
        assert_eq!(runs, whole);
        assert!(find_in_runs(&re, "no such letter", b"Q", |_| true).is_empty());
    }
}
