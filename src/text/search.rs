//! Byte-string searches shared by the cable parser and the detectors: ignoring ASCII case, and
//! for a blank line.

/// Position of the first `needle` in `hay`, ignoring ASCII case (`None` for an empty needle).
///
/// Candidates are where the needle's first byte stands in either case, found with `memchr2`.
pub(crate) fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut from = 0;
    while let Some(p) = memchr::memchr2(lower, upper, &hay[from..]) {
        let at = from + p;
        if hay
            .get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Position of the first blank line (`\n\n`) in `hay`, as `str::find("\n\n")` gives it,
/// without building a substring searcher: the line breaks are found with `memchr`.
pub(crate) fn find_blank_line(hay: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'\n', hay).find(|&i| hay.get(i + 1) == Some(&b'\n'))
}

/// Position of the last blank line (`\n\n`) in `hay`, as `str::rfind("\n\n")` gives it.
pub(crate) fn rfind_blank_line(hay: &[u8]) -> Option<usize> {
    memchr::memrchr_iter(b'\n', hay)
        .find(|&i| i > 0 && hay.get(i - 1) == Some(&b'\n'))
        .map(|i| i - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Both searches agree with the standard library's over texts of line breaks,
        /// letters and a non-ASCII character.
        #[test]
        fn blank_lines_are_found_where_str_finds_them(
            chars in proptest::collection::vec(
                proptest::sample::select(vec!['\n', '\n', 'a', ' ', '\u{e9}']),
                0..24,
            ),
        ) {
            let text: String = chars.into_iter().collect();
            proptest::prop_assert_eq!(find_blank_line(text.as_bytes()), text.find("\n\n"));
            proptest::prop_assert_eq!(rfind_blank_line(text.as_bytes()), text.rfind("\n\n"));
        }
    }
}
