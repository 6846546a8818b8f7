//! Redaction is fail-closed for any input: a copy reported clean really is clean when scanned
//! again, and redaction never panics.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use redline::redact::{Key, MaskStyle, Operator, Policy, Replacer, leaks, redact_document};
use redline::{rules::RuleSet, scan::Scanner};

static SCANNER: LazyLock<Option<Scanner>> =
    LazyLock::new(|| RuleSet::builtin().ok().and_then(|set| Scanner::new(&set).ok()));

fuzz_target!(|bytes: &[u8]| {
    let Some(scanner) = SCANNER.as_ref() else { panic!("built-in rules do not compile") };
    let policy = Policy::new(&["person", "phone", "email"], Operator::Mask);
    let replacer = Replacer { mask: MaskStyle::X, keep_length: bytes.len() % 2 == 0, key: Some(Key::from_bytes(b"fuzz")) };
    let done = redact_document(bytes, scanner, &policy, &replacer, true);
    if done.leaks.is_empty() {
        let again = leaks(scanner, &policy, &done.applied);
        assert!(again.is_empty(), "a copy reported clean still holds {again:?}");
    }
});
