//! The built-in scanner never panics, and every finding is a non-empty, in-bounds, sorted
//! original byte range.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use redline::{rules::RuleSet, scan::Scanner};

static SCANNER: LazyLock<Option<Scanner>> =
    LazyLock::new(|| RuleSet::builtin().ok().and_then(|set| Scanner::new(&set).ok()));

fuzz_target!(|bytes: &[u8]| {
    let Some(scanner) = SCANNER.as_ref() else { panic!("built-in rules do not compile") };
    let findings = scanner.scan(bytes);
    let mut last = 0;
    for f in &findings {
        assert!(f.span.start < f.span.end && f.span.end <= bytes.len(), "{:?}", f.span);
        assert!(f.span.start >= last, "findings out of order");
        last = f.span.start;
    }
});
