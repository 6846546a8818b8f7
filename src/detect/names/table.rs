//! The layout of the embedded gazetteer table, shared by `build.rs` (which writes it) and
//! [`super::gazetteer`] (which reads it). It depends on nothing else in the crate, so that the
//! build script can include it as it is.
//!
//! Two byte arrays:
//! - **words**: one entry per key, `[length][flags][key bytes]`;
//! - **slots**: an open-addressing hash table of little-endian `u32`, a power of two of
//!   them. `0` is an empty slot; otherwise the low [`OFFSET_BITS`] bits are one more than
//!   the entry's offset in `words`, and the bits above are a tag from the key's hash, so
//!   that a probe past another key rarely reads its entry. A key is looked for from slot
//!   `hash & (slots - 1)` onwards, one slot at a time, until it or an empty slot is found.

/// Bits of a slot that hold the entry's offset (plus one).
pub(crate) const OFFSET_BITS: u32 = 23;

/// The hash of a key: FNV-1a, with its high bits folded in, as both sides compute it.
pub(crate) fn hash(key: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^ (h >> 29)
}

/// The tag bits of a key's slot, from its hash.
pub(crate) fn tag(h: u64) -> u32 {
    ((h >> (64 - (32 - OFFSET_BITS))) as u32) << OFFSET_BITS
}

/// The table of `entries` (key, flags): (slots, words). Entries are laid out in the order
/// given, so the same entries give the same bytes.
///
/// # Errors
/// A key longer than 255 bytes, or entries too many for a slot's offset bits.
// The library reads the table that `build.rs` built with this; only its tests build one.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn build(entries: &[(&[u8], u8)]) -> Result<(Vec<u8>, Vec<u8>), String> {
    // At most five keys in eight slots: probes stay short, and the slots take 4 to 8 bytes
    // a key.
    let n = (entries.len() * 8 / 5).max(1).next_power_of_two();
    let mut slots = vec![0u32; n];
    let mut words = Vec::new();
    for &(key, flags) in entries {
        let len = u8::try_from(key.len())
            .map_err(|_| format!("gazetteer key longer than 255 bytes: {key:?}"))?;
        let entry = u32::try_from(words.len() + 1)
            .ok()
            .filter(|e| *e < 1 << OFFSET_BITS)
            .ok_or("gazetteer too large for its table's offsets")?;
        words.push(len);
        words.push(flags);
        words.extend_from_slice(key);
        let h = hash(key);
        let mut i = (h as usize) & (n - 1);
        while slots.get(i).is_some_and(|s| *s != 0) {
            i = (i + 1) & (n - 1);
        }
        if let Some(s) = slots.get_mut(i) {
            *s = tag(h) | entry;
        }
    }
    Ok((slots.iter().flat_map(|s| s.to_le_bytes()).collect(), words))
}

/// The flags of `key` in the table `slots` / `words`; `0` when it holds no such key (or the
/// table is damaged).
pub(crate) fn find(slots: &[u8], words: &[u8], key: &[u8]) -> u8 {
    let n = slots.len() / 4;
    if n == 0 || !n.is_power_of_two() {
        return 0;
    }
    let h = hash(key);
    let want = tag(h);
    let mut i = (h as usize) & (n - 1);
    for _ in 0..n {
        let Some(slot) = slots.get(i * 4..i * 4 + 4) else {
            return 0;
        };
        let s = u32::from_le_bytes([slot[0], slot[1], slot[2], slot[3]]);
        if s == 0 {
            return 0;
        }
        if s & !((1 << OFFSET_BITS) - 1) == want {
            let Some(at) = ((s & ((1 << OFFSET_BITS) - 1)) as usize).checked_sub(1) else {
                return 0;
            };
            let entry = words.get(at..at + 2).and_then(|head| {
                let len = usize::from(head[0]);
                Some((head[1], words.get(at + 2..at + 2 + len)?))
            });
            if let Some((flags, word)) = entry
                && word == key
            {
                return flags;
            }
        }
        i = (i + 1) & (n - 1);
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_found_with_its_flags_and_no_other() {
        let keys: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
        let entries: Vec<(&[u8], u8)> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_bytes(), (i % 63 + 1) as u8))
            .collect();
        let Ok((slots, words)) = build(&entries) else {
            panic!("table not built");
        };
        assert!((slots.len() / 4).is_power_of_two());
        for &(k, f) in &entries {
            assert_eq!(find(&slots, &words, k), f, "{k:?}");
        }
        for absent in ["w5000", "w", "", "W1", "w1 "] {
            assert_eq!(find(&slots, &words, absent.as_bytes()), 0, "{absent}");
        }
    }

    #[test]
    fn a_damaged_or_empty_table_finds_nothing() {
        let Ok((slots, words)) = build(&[(b"maria".as_slice(), 1)]) else {
            panic!("table not built");
        };
        assert_eq!(find(&slots, &words, b"maria"), 1);
        assert_eq!(find(&slots, &words[..3], b"maria"), 0);
        assert_eq!(find(&slots[..2], &words, b"maria"), 0);
        assert_eq!(find(&[], &[], b"maria"), 0);
        assert_eq!(find(&[0xFF; 16], &words, b"maria"), 0);
        assert!(build(&[(&[b'a'; 256], 1)]).is_err());
    }
}
