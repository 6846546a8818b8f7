//! The normalised view and its offset map: for any bytes, every view character maps back to
//! an in-bounds, ordered original range, and copied characters map to their own bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redline::text::{normalized, raw};

fn check(bytes: &[u8], view: &redline::text::View) {
    let mut last_start = 0;
    for (i, c) in view.text().char_indices() {
        let orig = view.to_original(i..i + c.len_utf8());
        assert!(orig.start <= orig.end && orig.end <= bytes.len(), "{orig:?} out of bounds");
        assert!(orig.start >= last_start, "map not monotonic at view offset {i}");
        last_start = orig.start;
        if !c.is_whitespace() && c != '\u{FFFD}' {
            let mut buf = [0u8; 4];
            assert_eq!(&bytes[orig.clone()], c.encode_utf8(&mut buf).as_bytes(), "view char {c:?} at {i}");
        }
    }
    let whole = view.to_original(0..view.text().len());
    assert!(whole.end <= bytes.len());
}

fuzz_target!(|bytes: &[u8]| {
    check(bytes, &normalized(bytes));
    check(bytes, &raw(bytes));
});
