//! The layout of the embedded gazetteer table, shared by `build.rs` (which writes it) and
//! [`super::gazetteer`] (which reads it). It depends on nothing else in the crate, so that the
//! build script can include it as it is.
//!
//! One byte array, **slots**: an open-addressing hash table of little-endian `u32`, a power
//! of two of them. `0` is an empty slot; otherwise the high 26 bits are the key's
//! fingerprint (never zero) and the low 6 its flags. A key is looked for from slot
//! `hash & (slots - 1)` onwards, one slot at a time, until its fingerprint or an empty slot
//! is found. The keys themselves are not stored: one read of one slot answers a probe. The
//! fingerprint is the hash's top 26 bits, which the slot index (its low bits) does not use;
//! the build refuses two keys with one fingerprint where one's probe passes the other.
//!
//! Four bytes a slot keep the table (about 292,000 keys, 2 MiB) within this machine's
//! second-level cache, where eight bytes a slot made a lookup a miss to the third level. The
//! price: a word the lists do not hold reads as one of their keys about once in 20 million
//! lookups (a lookup makes about three probes; each meets its fingerprint once in 2^26).

/// The hash of a key: FNV-1a, with its high bits folded in, as both sides compute it.
pub(crate) fn hash(key: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^ (h >> 29)
}

/// The fingerprint of a key of hash `h`: its high 26 bits, never zero.
fn fingerprint(h: u64) -> u32 {
    ((h >> 38) as u32).max(1)
}

/// The table of `entries` (key, flags), as the bytes of its slots. The same entries in the
/// same order give the same bytes.
///
/// # Errors
/// Two keys with one fingerprint (the table could not tell them apart).
// The library reads the table that `build.rs` built with this; only its tests build one.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn build(entries: &[(&[u8], u8)]) -> Result<Vec<u8>, String> {
    // At most five keys in eight slots: probes stay short.
    let n = (entries.len() * 8 / 5).max(1).next_power_of_two();
    let mut slots = vec![0u32; n];
    for &(key, flags) in entries {
        if flags >= 64 {
            return Err(format!(
                "gazetteer flags {flags} of {key:?} do not fit six bits"
            ));
        }
        let h = hash(key);
        let fp = fingerprint(h);
        let mut i = (h as usize) & (n - 1);
        while let Some(&s) = slots.get(i)
            && s != 0
        {
            if s >> 6 == fp {
                return Err(format!("two gazetteer keys share a fingerprint: {key:?}"));
            }
            i = (i + 1) & (n - 1);
        }
        if let Some(s) = slots.get_mut(i) {
            *s = fp << 6 | u32::from(flags);
        }
    }
    Ok(slots.iter().flat_map(|s| s.to_le_bytes()).collect())
}

/// The flags of `key` in the table `slots`; `0` when it holds no such key (or the table is
/// damaged).
pub(crate) fn find(slots: &[u8], key: &[u8]) -> u8 {
    let n = slots.len() / 4;
    if n == 0 || !n.is_power_of_two() {
        return 0;
    }
    let h = hash(key);
    let fp = fingerprint(h);
    let mut i = (h as usize) & (n - 1);
    for _ in 0..n {
        let Some(slot) = slots.get(i * 4..i * 4 + 4) else {
            return 0;
        };
        let mut b = [0u8; 4];
        b.copy_from_slice(slot);
        let s = u32::from_le_bytes(b);
        if s == 0 {
            return 0;
        }
        if s >> 6 == fp {
            return (s & 63) as u8;
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
        let Ok(slots) = build(&entries) else {
            panic!("table not built");
        };
        assert!((slots.len() / 8).is_power_of_two());
        for &(k, f) in &entries {
            assert_eq!(find(&slots, k), f, "{k:?}");
        }
        for absent in ["w5000", "w", "", "W1", "w1 "] {
            assert_eq!(find(&slots, absent.as_bytes()), 0, "{absent}");
        }
    }

    #[test]
    fn fingerprints_tell_keys_from_the_many_words_not_in_the_table() {
        let keys: Vec<String> = (0..50_000).map(|i| format!("k{i}")).collect();
        let entries: Vec<(&[u8], u8)> = keys.iter().map(|k| (k.as_bytes(), 1)).collect();
        let Ok(slots) = build(&entries) else {
            panic!("table not built");
        };
        // Words the table does not hold, many probed where its keys stand.
        let found = (0..300_000)
            .filter(|i| find(&slots, format!("x{i}").as_bytes()) != 0)
            .count();
        assert_eq!(found, 0);
    }

    #[test]
    fn a_damaged_or_empty_table_finds_nothing() {
        let Ok(slots) = build(&[(b"maria".as_slice(), 1)]) else {
            panic!("table not built");
        };
        assert_eq!(find(&slots, b"maria"), 1);
        assert_eq!(find(&slots[..2], b"maria"), 0);
        assert_eq!(find(&[], b"maria"), 0);
        assert_eq!(find(&[0xFF; 24], b"maria"), 0);
        assert!(build(&[(b"maria".as_slice(), 1), (b"maria".as_slice(), 2)]).is_err());
        assert!(build(&[(b"maria".as_slice(), 64)]).is_err());
        assert!(build(&[(b"maria".as_slice(), 63)]).is_ok());
    }
}
