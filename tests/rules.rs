//! Every example and negative example of every built-in rule is proven, and each rule's
//! rendered diagnostics on its examples are snapshotted.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use redline::report::{HumanPrinter, Printer, Record};
use redline::rules::RuleSet;
use redline::scan::{Scanner, test_examples};
use redline::text::Source;

fn all_rules_on() -> RuleSet {
    let mut set = RuleSet::builtin().expect("built-in rules load");
    let ids: Vec<String> = set.rules().iter().map(|r| r.id.clone()).collect();
    for id in ids {
        set.set_enabled(&id, true);
    }
    set
}

#[test]
fn every_builtin_example_holds() {
    let set = all_rules_on();
    let failures = test_examples(&set).expect("scanner compiles");
    let report: Vec<String> = failures
        .iter()
        .map(|f| format!("{} {:?}: {}", f.rule_id, f.example.text, f.message))
        .collect();
    assert!(
        report.is_empty(),
        "failing examples:\n{}",
        report.join("\n")
    );
}

#[test]
fn every_builtin_rule_has_examples_and_negative_examples() {
    let set = all_rules_on();
    assert!(set.rules().len() >= 5);
    for r in set.rules() {
        assert!(!r.examples.is_empty(), "{} has no examples", r.id);
        assert!(
            !r.negative_examples.is_empty(),
            "{} has no negative examples",
            r.id
        );
        assert!(
            r.origin.path.starts_with(&format!("rules/{}/", r.category))
                || r.origin.path.starts_with("rules/structure/"),
            "{} lives in {}, not under rules/<category>/",
            r.id,
            r.origin.path
        );
    }
}

#[test]
fn every_category_has_a_builtin_rule() {
    let set = all_rules_on();
    for cat in ["person", "phone", "email", "classification", "garble"] {
        assert!(
            set.rules().iter().any(|r| r.category == cat),
            "no {cat} rule"
        );
    }
}

/// One snapshot per rule: its examples rendered as a user would see them.
#[test]
fn rule_example_diagnostics() {
    let set = all_rules_on();
    let scanner = Scanner::new(&set).expect("scanner compiles");
    for (i, rule) in scanner.rules().iter().enumerate() {
        let mut out = Vec::new();
        {
            let mut printer = HumanPrinter::new(Box::new(&mut out), false);
            for (n, ex) in rule.examples.iter().enumerate() {
                let name = format!("example-{}", n + 1);
                let source = Source::new(ex.text.as_bytes());
                let records: Vec<Record> = scanner
                    .scan(ex.text.as_bytes())
                    .into_iter()
                    .filter(|f| f.rule == i)
                    .map(|f| Record::new(&name, &source, rule, f, false))
                    .collect();
                printer.file(&name, &source, &records).unwrap();
            }
        }
        common::snapshots().bind(|| {
            insta::assert_snapshot!(
                format!("rule__{}", rule.id),
                String::from_utf8(out).unwrap()
            );
        });
    }
}
