//! Short words as keys: packed into integers, hashed cheaply, and filtered before a probe.
//! The cue lists, the gazetteer memo and the names found earlier are all keyed this way.

use std::hash::Hasher;

use crate::detect::swar::in_range;

/// `word` lower-cased (ASCII) and packed into a `u128`, if it has at most 16 bytes: a short
/// word as one integer key (zero-padded; words hold no NUL).
pub(crate) fn pack_lower(word: &[u8]) -> Option<u128> {
    let packed = pack(word)?;
    // Eight bytes at a time: the high bit of each capital, moved down to 0x20.
    let lower = |x: u64| x | (in_range(x, b'A', b'Z') >> 2);
    Some(u128::from(lower(packed as u64)) | u128::from(lower((packed >> 64) as u64)) << 64)
}

/// `word` packed as [`pack`] packs it (byte `i` at bits `8 * i`, zero-padded), byte by byte
/// and at compile time: for tables of fixed words, built before the program runs. `None` for
/// a word of more than 16 bytes. A word without capitals packs to its [`pack_lower`] key.
pub(crate) const fn pack_const(word: &[u8]) -> Option<u128> {
    if word.len() > 16 {
        return None;
    }
    let mut packed = 0u128;
    let mut i = 0;
    while i < word.len() {
        packed |= (word[i] as u128) << (8 * i);
        i += 1;
    }
    Some(packed)
}

/// `word` packed into a `u128` as it is written, if it has at most 16 bytes (zero-padded).
/// Read in at most two loads of the word's own bytes, which may overlap, instead of byte by
/// byte or through a copy into a buffer.
pub(crate) fn pack(word: &[u8]) -> Option<u128> {
    let n = word.len();
    let at = |i: usize| word.get(i).copied().map_or(0, u64::from);
    let le64 = |i: usize| {
        word.get(i..i + 8)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
    };
    let le32 = |i: usize| {
        word.get(i..i + 4)
            .and_then(|b| b.try_into().ok())
            .map(|b| u64::from(u32::from_le_bytes(b)))
    };
    Some(match n {
        0 => 0,
        1..=3 => u128::from(at(0) | at(n / 2) << (8 * (n / 2)) | at(n - 1) << (8 * (n - 1))),
        // The second load's bytes overlap the first's with the same values.
        4..=8 => u128::from(le32(0)? | le32(n - 4)? << (8 * (n - 4))),
        9..=16 => u128::from(le64(0)?) | u128::from(le64(n - 8)? >> (8 * (16 - n))) << 64,
        _ => return None,
    })
}

/// A filter in front of a set of words: one bit per (length, first letter, last letter),
/// letters by their low five bits so that ASCII case does not matter, and lengths above
/// [`FILTER_LONGEST`] sharing the bits of that length. A word whose bit is clear is in no set
/// the filter was built from, which settles most words without a hash probe.
#[derive(Debug, Clone)]
pub(crate) struct WordFilter([u64; FILTER_WORDS]);

/// Lengths up to this one have bits of their own.
const FILTER_LONGEST: usize = 16;

const FILTER_WORDS: usize = (FILTER_LONGEST + 1) * 32 * 32 / 64;

impl Default for WordFilter {
    fn default() -> Self {
        WordFilter::EMPTY
    }
}

impl WordFilter {
    /// A filter that lets no word through.
    pub(crate) const EMPTY: WordFilter = WordFilter([0; FILTER_WORDS]);

    /// The bit of `word`'s length and first and last letters. A `const fn`, so that a table
    /// of fixed words is filtered from a filter built at compile time.
    const fn bit(word: &[u8]) -> usize {
        let (first, last) = match word {
            [] => (0, 0),
            [only] => (*only, *only),
            [first, .., last] => (*first, *last),
        };
        let len = if word.len() < FILTER_LONGEST {
            word.len()
        } else {
            FILTER_LONGEST
        };
        (len * 32 + (first & 31) as usize) * 32 + (last & 31) as usize
    }

    /// Let `word` through from now on.
    pub(crate) const fn insert(&mut self, word: &[u8]) {
        let bit = Self::bit(word);
        if bit / 64 < FILTER_WORDS {
            self.0[bit / 64] |= 1 << (bit % 64);
        }
    }

    /// Whether `word` may be in the set (`false`: it is not).
    pub(crate) fn may_contain(&self, word: &[u8]) -> bool {
        let bit = Self::bit(word);
        self.0
            .get(bit / 64)
            .is_some_and(|w| w & (1 << (bit % 64)) != 0)
    }
}

/// A small multiplicative hash for short words: the tables are keyed by words of the
/// documents themselves, so collision attacks are not a concern and SipHash's cost buys
/// nothing. Eight bytes are mixed at a time (most words take one or two steps), and the
/// high half is folded into the low bits, which pick the bucket.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

impl WordHasher {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(w));
        }
    }

    fn write_u128(&mut self, n: u128) {
        self.mix(n as u64);
        self.mix((n >> 64) as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.mix(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Packing reads every byte of a short word into its place, and lower-cases the
        /// capitals and nothing else.
        #[test]
        fn words_pack_as_their_bytes_read(word in proptest::collection::vec(1u8..=255, 0..20)) {
            let mut buf = [0u8; 16];
            let want = (word.len() <= 16).then(|| {
                buf[..word.len()].copy_from_slice(&word);
                u128::from_le_bytes(buf)
            });
            proptest::prop_assert_eq!(pack(&word), want);
            let lower: Vec<u8> = word.iter().map(u8::to_ascii_lowercase).collect();
            let want = (word.len() <= 16).then(|| {
                buf[..word.len()].copy_from_slice(&lower);
                u128::from_le_bytes(buf)
            });
            proptest::prop_assert_eq!(pack_lower(&word), want);
        }
    }

    #[test]
    fn the_word_filter_stops_words_it_was_not_given_and_ignores_case() {
        let mut f = WordFilter::default();
        f.insert(b"varani");
        f.insert(b"abcdefghijklmnopqrstu");
        assert!(f.may_contain(b"VARANI") && f.may_contain(b"Varani"));
        assert!(!f.may_contain(b"Varan") && !f.may_contain(b"Barani"));
        // Long words share the bits of their ends: the filter never stops a member.
        assert!(f.may_contain(b"ABCDEFGHIJKLMNOPQRSTU") && f.may_contain(b"axxxxxxxxxxxxxxxxxu"));
        assert!(!f.may_contain(b""));
    }
}
