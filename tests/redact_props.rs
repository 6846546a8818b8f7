//! Property tests of redaction: bytes outside redacted spans are unchanged, redacting twice
//! changes nothing the second time, output never keeps what it verified away, and failures
//! injected into any step of writing leave the original intact with no temporary file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::{File, Permissions};
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use redline::redact::write::{Steps, write_atomic_with};
use redline::redact::{
    Applied, Key, MaskStyle, Operator, Policy, Redaction, Replacer, apply, leaks, redact_document,
};
use redline::rules::RuleSet;
use redline::scan::{Finding, Scanner};
use tempfile::NamedTempFile;

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| Scanner::new(&RuleSet::builtin().unwrap()).unwrap())
}

/// The scanner `redact` runs by default: only the rules of the redacted categories.
fn contact_scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| {
        let mut set = RuleSet::builtin().unwrap();
        set.enable_only_categories(&CATEGORIES.map(String::from));
        Scanner::new(&set).unwrap()
    })
}

const CATEGORIES: [&str; 3] = ["person", "phone", "email"];

/// What `scanner` finds in `doc` of [`CATEGORIES`]: each finding with its rule's id in
/// place of the rule's index, which differs between scanners.
fn found_in_categories(scanner: &Scanner, doc: &str) -> Vec<(String, Finding)> {
    scanner
        .scan(doc.as_bytes())
        .into_iter()
        .filter(|f| CATEGORIES.contains(&scanner.rules()[f.rule].category.as_str()))
        .map(|f| (scanner.rules()[f.rule].id.clone(), Finding { rule: 0, ..f }))
        .collect()
}

/// Synthetic cable-like text: prose, titled names, numbers, addresses, hard wraps. Every
/// name and number is invented.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("the delegation met ".to_string()),
        Just("Ambassador Quentin Marlowe ".to_string()),
        Just("Minister Ilse \nVandermeer said ".to_string()),
        Just("MARLOWE ".to_string()),
        Just("Dr. Halvard ".to_string()),
        Just("reached at +1-202-555-01".to_string()),
        Just("tel 2374-5678, ".to_string()),
        Just("qmarlowe@example.gov ".to_string()),
        Just("(SBU) ".to_string()),
        Just("Juno?s ".to_string()),
        Just("\n".to_string()),
        Just(" \n".to_string()),
        "[a-z]{1,8} ",
        "[0-9]{1,4}",
        "[A-Z][a-z]{2,7} ",
    ]
}

fn document() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..40).prop_map(|v| v.concat())
}

fn operator() -> impl Strategy<Value = Operator> {
    prop_oneof![
        Just(Operator::Mask),
        Just(Operator::Label),
        Just(Operator::Pseudonym),
        Just(Operator::Remove),
    ]
}

fn replacer(keep_length: bool, block: bool) -> Replacer {
    Replacer {
        mask: if block {
            MaskStyle::Block
        } else {
            MaskStyle::X
        },
        keep_length,
        key: Some(Key::from_bytes(b"a fixed test key")),
    }
}

/// Sorted, non-overlapping spans within `len`.
fn spans(len: usize) -> impl Strategy<Value = Vec<std::ops::Range<usize>>> {
    proptest::collection::vec((0..=len, 0..=len), 0..8).prop_map(|mut cuts| {
        let mut points: Vec<usize> = cuts.drain(..).flat_map(|(a, b)| [a, b]).collect();
        points.sort_unstable();
        points.dedup();
        points.chunks_exact(2).map(|c| c[0]..c[1]).collect()
    })
}

/// One round of redaction without verification: plan and apply.
fn redact_bytes(
    bytes: &[u8],
    scanner: &Scanner,
    policy: &Policy,
    r: &Replacer,
) -> (Vec<Redaction>, Applied) {
    let doc = redact_document(bytes, scanner, policy, r, false);
    (doc.redactions, doc.applied)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn bytes_outside_redacted_spans_are_unchanged(
        (bytes, spans) in proptest::collection::vec(any::<u8>(), 0..200)
            .prop_flat_map(|b| { let n = b.len(); (Just(b), spans(n)) }),
        op in operator(), keep in any::<bool>(), block in any::<bool>(),
    ) {
        let redactions: Vec<Redaction> = spans.iter().map(|s| Redaction {
            span: s.clone(), rule: 0, category: "person".into(), operator: op,
            identity: s.clone(), propagated: false, text: None,
        }).collect();
        let out = apply(&bytes, &redactions, &replacer(keep, block));
        prop_assert_eq!(out.replaced.len(), redactions.len());
        // Walk the original and the output together: every gap is copied verbatim and every
        // replacement sits exactly where its span was.
        let (mut at_in, mut at_out) = (0, 0);
        for (r, done) in redactions.iter().zip(&out.replaced) {
            let gap = &bytes[at_in..r.span.start];
            prop_assert_eq!(&out.bytes[at_out..at_out + gap.len()], gap);
            prop_assert_eq!(done.output.start, at_out + gap.len());
            prop_assert_eq!(&out.bytes[done.output.clone()], done.text.as_bytes());
            let breaks = |b: &[u8]| b.iter().filter(|c| **c == b'\n').count();
            prop_assert_eq!(breaks(done.text.as_bytes()), breaks(&bytes[r.span.clone()]));
            at_in = r.span.end;
            at_out = done.output.end;
        }
        prop_assert_eq!(&out.bytes[at_out..], &bytes[at_in..]);
    }

    #[test]
    fn planned_redaction_keeps_every_other_byte(
        doc in document(), op in operator(), keep in any::<bool>(),
    ) {
        let policy = Policy::new(&["person", "phone", "email"], op);
        let (planned, out) = redact_bytes(doc.as_bytes(), scanner(), &policy, &replacer(keep, false));
        let mut at_in = 0;
        let mut copied = Vec::new();
        for r in &planned {
            prop_assert!(r.span.start >= at_in, "overlapping plan");
            copied.extend_from_slice(&doc.as_bytes()[at_in..r.span.start]);
            at_in = r.span.end;
        }
        copied.extend_from_slice(&doc.as_bytes()[at_in..]);
        let mut kept = Vec::new();
        let mut at_out = 0;
        for done in &out.replaced {
            kept.extend_from_slice(&out.bytes[at_out..done.output.start]);
            at_out = done.output.end;
        }
        kept.extend_from_slice(&out.bytes[at_out..]);
        prop_assert_eq!(kept, copied);
        // No leak check here: one planned pass can change what a context rule sees (masking an
        // address can leave a capitalised word standing last, where a signature stands), which
        // is why `redact` verifies in rounds; `verified_redaction_leaves_nothing_under_any_operator`
        // checks the result of those rounds.
    }

    #[test]
    fn scanning_only_the_redacted_categories_finds_the_same(doc in document()) {
        let full = found_in_categories(scanner(), &doc);
        prop_assert!(contact_scanner().rules().len() < scanner().rules().len());
        prop_assert_eq!(found_in_categories(contact_scanner(), &doc), full);
    }

    #[test]
    fn verified_redaction_leaves_nothing_under_any_operator(
        doc in document(), op in operator(), keep in any::<bool>(),
    ) {
        let policy = Policy::new(&["person", "phone", "email"], op);
        let out = redact_document(doc.as_bytes(), scanner(), &policy, &replacer(keep, false), true);
        prop_assert!(out.leaks.is_empty(), "{:?} left {:?}", doc, out.leaks);
        prop_assert!(leaks(scanner(), &policy, &out.applied).is_empty());
    }

    #[test]
    fn redacting_twice_changes_nothing_the_second_time(
        doc in document(), op in operator(), keep in any::<bool>(), block in any::<bool>(),
    ) {
        let policy = Policy::new(&["person", "phone", "email"], op);
        let r = replacer(keep, block);
        // As `redact` runs it: verified, redacting what verification finds.
        let once = redact_document(doc.as_bytes(), scanner(), &policy, &r, true);
        prop_assert!(once.leaks.is_empty());
        let twice = redact_document(&once.applied.bytes, scanner(), &policy, &r, true);
        prop_assert!(twice.redactions.is_empty(), "{:?}", twice.redactions);
        prop_assert_eq!(
            String::from_utf8_lossy(&twice.applied.bytes),
            String::from_utf8_lossy(&once.applied.bytes)
        );
    }

    #[test]
    fn failures_injected_into_writing_leave_the_original_intact(
        original in proptest::collection::vec(any::<u8>(), 0..300),
        new in proptest::collection::vec(any::<u8>(), 0..300),
        fail_at in 0usize..5,
        partial in any::<prop::sample::Index>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("cable.txt");
        std::fs::write(&target, &original).unwrap();
        let mut steps = Faulty { fail_at, partial: partial.index(new.len() + 1) };
        let result = write_atomic_with(&mut steps, &target, &new, None);
        let after = std::fs::read(&target).unwrap();
        if fail_at < 4 {
            prop_assert!(result.is_err());
            prop_assert_eq!(after, original);
        } else {
            prop_assert!(result.is_ok());
            prop_assert_eq!(after, new);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap()
            .map(|e| e.unwrap().file_name()).collect();
        prop_assert_eq!(names, vec![std::ffi::OsString::from("cable.txt")]);
    }
}

/// Fails at step `fail_at` (0 write, 1 sync, 2 permissions, 3 rename, 4 never); a failing
/// write first writes `partial` bytes, as a full disk does.
struct Faulty {
    fail_at: usize,
    partial: usize,
}

fn injected() -> std::io::Error {
    std::io::Error::other("injected failure")
}

impl Steps for Faulty {
    fn write(&mut self, file: &mut File, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        if self.fail_at == 0 {
            file.write_all(&bytes[..self.partial.min(bytes.len())])?;
            return Err(injected());
        }
        file.write_all(bytes)
    }
    fn sync(&mut self, file: &File) -> std::io::Result<()> {
        if self.fail_at == 1 {
            return Err(injected());
        }
        file.sync_all()
    }
    fn set_permissions(&mut self, file: &File, perms: Permissions) -> std::io::Result<()> {
        if self.fail_at == 2 {
            return Err(injected());
        }
        file.set_permissions(perms)
    }
    fn rename(&mut self, tmp: NamedTempFile, target: &Path) -> std::io::Result<()> {
        if self.fail_at == 3 {
            drop(tmp);
            return Err(injected());
        }
        tmp.persist(target).map(|_| ()).map_err(|e| e.error)
    }
}

#[test]
fn atomic_write_keeps_the_permissions_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("cable.txt");
    std::fs::write(&target, b"old").unwrap();
    std::fs::set_permissions(&target, Permissions::from_mode(0o640)).unwrap();
    redline::redact::write::write_atomic(&target, b"new", None).unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"new");
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}
