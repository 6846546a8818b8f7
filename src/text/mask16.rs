//! Byte classes of sixteen bytes at once, as a bit mask (bit `k` for byte `k`), for the
//! short searches that run over every line or every word of a document: a line's break
//! bytes, a phone number's first digit, a word's letters.
//!
//! On x86-64 a block is classed with SSE2, which every x86-64 processor has, through
//! `safe_arch`'s safe wrappers (this crate forbids `unsafe`): a compare per byte value (two
//! per range) and one `pmovmskb`, about a dozen instructions for sixteen bytes. A line of a
//! cable is shorter than the fixed cost of a `memchr` call on it, and a word is shorter than
//! one SWAR step's setup. Elsewhere the same masks are built byte by byte; a test holds both
//! ways to the same answers.

/// A block's width in bytes.
pub(crate) const WIDTH: usize = 16;

/// The sixteen bytes of `bytes` at `i` (`None` when fewer are left).
#[inline(always)]
fn block(bytes: &[u8], i: usize) -> Option<&[u8; WIDTH]> {
    bytes.get(i..)?.get(..WIDTH)?.try_into().ok()
}

/// Bit `k` set when byte `i + k` of `bytes` is one of `set`, for the sixteen bytes at `i`
/// (`None` when fewer than sixteen are left). Each byte of `set` costs one compare.
#[inline(always)]
pub(crate) fn any_of<const N: usize>(bytes: &[u8], i: usize, set: [u8; N]) -> Option<u32> {
    block(bytes, i).map(|b| imp::any_of(b, set))
}

/// Bit `k` set when byte `i + k` of `bytes` is an ASCII digit or one of `set`, for the
/// sixteen bytes at `i` (`None` when fewer than sixteen are left).
#[inline(always)]
pub(crate) fn digit_or<const N: usize>(bytes: &[u8], i: usize, set: [u8; N]) -> Option<u32> {
    block(bytes, i).map(|b| imp::digit_or(b, set))
}

/// Bit `k` set when byte `i + k` of `bytes` is in `lo..=hi` (`lo` above NUL, `hi` below DEL),
/// for the sixteen bytes at `i` (`None` when fewer than sixteen are left).
#[inline(always)]
pub(crate) fn in_range(bytes: &[u8], i: usize, lo: u8, hi: u8) -> Option<u32> {
    block(bytes, i).map(|b| imp::in_range(b, lo, hi))
}

/// The index of the first byte of `bytes` that the class `mask` reads
/// (sixteen bytes at a time, as [`any_of`] and its kin do), with `one` testing the bytes
/// after the last full block.
#[inline(always)]
pub(crate) fn first(
    bytes: &[u8],
    mask: impl Fn(&[u8], usize) -> Option<u32>,
    one: impl Fn(&u8) -> bool,
) -> Option<usize> {
    let mut at = 0;
    while let Some(m) = mask(bytes, at) {
        if m != 0 {
            return Some(at + m.trailing_zeros() as usize);
        }
        at += WIDTH;
    }
    let rest = bytes.get(at..)?;
    rest.iter().position(one).map(|k| at + k)
}

/// The index of the first `byte` in `hay`, as `memchr::memchr` gives it: for the short
/// searches (a line's end) where `memchr`'s fixed cost is most of its time.
pub(crate) fn find(hay: &[u8], byte: u8) -> Option<usize> {
    first(hay, |b, i| any_of(b, i, [byte]), |&b| b == byte)
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod imp {
    use safe_arch::{cmp_eq_mask_i8_m128i, cmp_gt_mask_i8_m128i, cmp_lt_mask_i8_m128i};
    use safe_arch::{load_unaligned_m128i, move_mask_i8_m128i};
    use safe_arch::{m128i, set_splat_i8_m128i, zeroed_m128i};

    #[inline(always)]
    pub(super) fn any_of<const N: usize>(block: &[u8; 16], set: [u8; N]) -> u32 {
        let v = load_unaligned_m128i(block);
        let hits = set.iter().fold(zeroed_m128i(), |acc: m128i, &b| {
            acc | cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(i8::from_ne_bytes([b])))
        });
        // The mask has sixteen bits: the sign bits of the sixteen bytes.
        u32::from_ne_bytes(move_mask_i8_m128i(hits).to_ne_bytes())
    }

    /// The bytes of `v` in `lo..=hi` (`lo` above NUL, `hi` below DEL), as all-ones bytes. The
    /// compares are signed: a byte of 0x80 or more is negative, below `lo`.
    #[inline(always)]
    fn range(v: m128i, lo: u8, hi: u8) -> m128i {
        let signed = |b: u8| set_splat_i8_m128i(i8::from_ne_bytes([b]));
        cmp_gt_mask_i8_m128i(v, signed(lo - 1)) & cmp_lt_mask_i8_m128i(v, signed(hi + 1))
    }

    #[inline(always)]
    pub(super) fn in_range(block: &[u8; 16], lo: u8, hi: u8) -> u32 {
        let v = load_unaligned_m128i(block);
        u32::from_ne_bytes(move_mask_i8_m128i(range(v, lo, hi)).to_ne_bytes())
    }

    #[inline(always)]
    pub(super) fn digit_or<const N: usize>(block: &[u8; 16], set: [u8; N]) -> u32 {
        let v = load_unaligned_m128i(block);
        let digits = range(v, b'0', b'9');
        let hits = set.iter().fold(digits, |acc: m128i, &b| {
            acc | cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(i8::from_ne_bytes([b])))
        });
        u32::from_ne_bytes(move_mask_i8_m128i(hits).to_ne_bytes())
    }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
mod imp {
    pub(super) use super::portable::{any_of, digit_or, in_range};
}

/// The byte-by-byte reading of the masks: the only one off x86-64, and the reference the
/// SSE2 reading is tested against.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
mod portable {
    pub(super) fn any_of<const N: usize>(block: &[u8; 16], set: [u8; N]) -> u32 {
        block
            .iter()
            .enumerate()
            .filter(|(_, b)| set.contains(b))
            .fold(0, |m, (k, _)| m | 1 << k)
    }

    pub(super) fn in_range(block: &[u8; 16], lo: u8, hi: u8) -> u32 {
        block
            .iter()
            .enumerate()
            .filter(|(_, b)| (lo..=hi).contains(b))
            .fold(0, |m, (k, _)| m | 1 << k)
    }

    pub(super) fn digit_or<const N: usize>(block: &[u8; 16], set: [u8; N]) -> u32 {
        block
            .iter()
            .enumerate()
            .filter(|(_, b)| b.is_ascii_digit() || set.contains(b))
            .fold(0, |m, (k, _)| m | 1 << k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The masks read each byte as the byte-by-byte reading does, wherever the block
        /// starts and whatever bytes it holds (the set's bytes, their neighbours and any).
        #[test]
        fn masks_read_each_byte_as_one_byte_at_a_time_does(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    1 => proptest::sample::select(vec![
                        b' ', b'\n', b'\t', b'\r', b'\\', 0xC2, 0xA0, b'/', b'0', b'9', b':',
                        b'+', b'(', b'a', b'z', b'{', b'`', b'A', b'Z', b'[', b'@', 0x7f, 0x80,
                    ]),
                    3 => proptest::num::u8::ANY,
                ],
                0..80,
            ),
            at in 0usize..80,
        ) {
            let set = [b'\n', b'\\', 0xC2, b'\t', b'\r'];
            let got = any_of(&bytes, at, set);
            let want = bytes
                .get(at..at + WIDTH)
                .map(|b| (0..WIDTH).filter(|&k| set.contains(&b[k])).fold(0u32, |m, k| m | 1 << k));
            proptest::prop_assert_eq!(got, want);
            let from = at.min(bytes.len());
            for hay in [&bytes[from..], &bytes[..from]] {
                proptest::prop_assert_eq!(find(hay, b'\n'), memchr::memchr(b'\n', hay));
            }
            if let Some(b) = block(&bytes, at) {
                proptest::prop_assert_eq!(Some(portable::any_of(b, set)), want);
                proptest::prop_assert_eq!(
                    Some(portable::any_of(b, [b' '])),
                    any_of(&bytes, at, [b' '])
                );
                let digits = (0..WIDTH)
                    .filter(|&k| b[k].is_ascii_digit() || b[k] == b'+' || b[k] == b'(')
                    .fold(0u32, |m, k| m | 1 << k);
                proptest::prop_assert_eq!(digit_or(&bytes, at, [b'+', b'(']), Some(digits));
                proptest::prop_assert_eq!(portable::digit_or(b, [b'+', b'(']), digits);
                for (lo, hi) in [(b'a', b'z'), (b'A', b'Z'), (b'0', b'9'), (1, 0x7e)] {
                    let inside = (0..WIDTH)
                        .filter(|&k| (lo..=hi).contains(&b[k]))
                        .fold(0u32, |m, k| m | 1 << k);
                    proptest::prop_assert_eq!(in_range(&bytes, at, lo, hi), Some(inside));
                    proptest::prop_assert_eq!(portable::in_range(b, lo, hi), inside);
                }
            }
        }
    }
}
