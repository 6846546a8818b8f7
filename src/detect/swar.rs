//! Byte classes tested eight bytes at a time (SWAR), for the scans that walk every byte of a
//! document: a branch per byte costs more there than the arithmetic.

/// The high bit of each byte.
pub(crate) const HI: u64 = 0x8080_8080_8080_8080;

/// `b` in every byte.
pub(crate) const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The high bit of each byte of `x` that is ASCII and in `lo..=hi` (both ASCII). With the
/// high bit forced on, no subtraction borrows into the next byte.
pub(crate) const fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let ge_lo = (x | HI) - splat(lo);
    let gt_hi = (x | HI) - splat(hi + 1);
    ge_lo & !gt_hi & !x & HI
}

/// The eight bytes of `bytes` at `i`, little-endian (`None` when fewer than eight are left).
#[inline(always)]
pub(crate) fn load(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(i..)?.get(..8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// How many bytes at the start of `bytes` pass `test` (a SWAR byte class, one high bit
/// per passing byte), with `one` for the bytes after the last full block. Eight bytes are
/// tested at a time, so a run of them costs no branch per byte.
pub(crate) fn class_prefix(
    bytes: &[u8],
    test: impl Fn(u64) -> u64,
    one: impl Fn(&u8) -> bool,
) -> usize {
    let mut n = 0;
    while let Some(x) = load(bytes, n) {
        let pass = test(x);
        if pass != HI {
            return n + ((!pass & HI).trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + bytes
        .get(n..)
        .map_or(0, |rest| rest.iter().take_while(|b| one(b)).count())
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Every class agrees with its byte-at-a-time reading, wherever the first miss stands.
        #[test]
        fn classes_read_as_one_byte_at_a_time_does(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![0x20u8..0x7f, proptest::num::u8::ANY],
                0..40,
            ),
            lo in 0x20u8..0x7e,
            width in 0u8..10,
        ) {
            let hi = lo.saturating_add(width).min(0x7e);
            let inside = |b: &u8| (lo..=hi).contains(b);
            let naive = bytes.iter().take_while(|b| inside(b)).count();
            proptest::prop_assert_eq!(class_prefix(&bytes, |x| in_range(x, lo, hi), inside), naive);
        }
    }
}
