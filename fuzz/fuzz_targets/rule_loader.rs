//! The rule loader never panics on any rule file text, and its errors point inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let no_dict = |name: &str| -> Result<String, String> { Err(format!("no {name}")) };
    if let Err(errors) = redline::rules::parse_rule("fuzz.yaml", text, false, &no_dict) {
        for e in errors {
            if let Some(span) = e.span {
                assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
            }
        }
    }
});
