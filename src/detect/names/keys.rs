//! Short words as keys: packed into integers, hashed cheaply, and filtered before a probe.
//! The cue lists, the gazetteer memo and the names found earlier are all keyed this way.

use std::hash::Hasher;

/// `word` lower-cased (ASCII) and packed into a `u128`, if it has at most 16 bytes: a short
/// word as one integer key (zero-padded; words hold no NUL).
pub(crate) fn pack_lower(word: &[u8]) -> Option<u128> {
    if word.len() > 16 {
        return None;
    }
    let mut buf = [0u8; 16];
    for (d, s) in buf.iter_mut().zip(word) {
        *d = s.to_ascii_lowercase();
    }
    Some(u128::from_le_bytes(buf))
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
        WordFilter([0; FILTER_WORDS])
    }
}

impl WordFilter {
    fn bit(word: &[u8]) -> usize {
        let first = usize::from(word.first().copied().unwrap_or(0) & 31);
        let last = usize::from(word.last().copied().unwrap_or(0) & 31);
        (word.len().min(FILTER_LONGEST) * 32 + first) * 32 + last
    }

    /// Let `word` through from now on.
    pub(crate) fn insert(&mut self, word: &[u8]) {
        let bit = Self::bit(word);
        if let Some(w) = self.0.get_mut(bit / 64) {
            *w |= 1 << (bit % 64);
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
