//! Byte-string search ignoring ASCII case, shared by the cable parser and the detectors.

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
