//! Time each step of a verified `redact` over a folder of documents held in memory, on one
//! thread, each step the best of three runs: `cargo run --release --example redact_cost DIR`.
//! Shows where a verified run's CPU time goes (the first scan, planning, the masked copy, and
//! the two readings that verify it) apart from reading and writing files.
//!
//! The steps are those of `redact_document`'s first round with the default policy (person,
//! phone and e-mail, masked); the documents a second round would take are counted, not
//! timed.

use std::time::Instant;

use redline::redact::{
    Applied, Operator, Policy, Redaction, Replacer, apply, labelled, leaks, plan,
};
use redline::{rules::RuleSet, scan::Finding, scan::Scanner};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: redact_cost DIR")?;
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        docs.push(std::fs::read(entry?.path())?);
    }
    let mb = docs.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    let categories = ["person", "phone", "email"];
    let mut set = RuleSet::builtin().map_err(|e| format!("{} rule errors", e.len()))?;
    set.enable_only_categories(&categories.map(String::from));
    let scanner = Scanner::new(&set).map_err(|e| format!("{} rule errors", e.len()))?;
    let policy = Policy::new(&categories, Operator::Mask);
    let replacer = Replacer::default();

    // Each step's output feeds the next; each is timed on its own.
    let findings: Vec<Vec<Finding>> = docs.iter().map(|d| scanner.scan(d)).collect();
    let plans: Vec<Vec<Redaction>> = docs
        .iter()
        .zip(&findings)
        .map(|(d, f)| plan(d, f, scanner.rules(), &policy))
        .collect();
    let masked: Vec<Applied> = docs
        .iter()
        .zip(&plans)
        .map(|(d, p)| apply(d, p, &replacer))
        .collect();
    let under_labels: Vec<Applied> = docs
        .iter()
        .zip(&plans)
        .map(|(d, p)| labelled(d, p))
        .collect();

    println!(
        "{mb:.1} MB in {} documents; one thread, best of 3",
        docs.len()
    );
    let steps: [(&str, &dyn Fn() -> usize); 5] = [
        ("scan", &|| docs.iter().map(|d| scanner.scan(d).len()).sum()),
        ("plan", &|| {
            let each = docs.iter().zip(&findings);
            each.map(|(d, f)| plan(d, f, scanner.rules(), &policy).len())
                .sum()
        }),
        ("apply (mask)", &|| {
            let each = docs.iter().zip(&plans);
            each.map(|(d, p)| apply(d, p, &replacer).bytes.len()).sum()
        }),
        ("verify the masked copy", &|| {
            masked
                .iter()
                .map(|a| leaks(&scanner, &policy, a).len())
                .sum()
        }),
        ("verify under labels (with applying them)", &|| {
            let each = docs.iter().zip(&plans);
            each.map(|(d, p)| leaks(&scanner, &policy, &labelled(d, p)).len())
                .sum()
        }),
    ];
    let mut total = 0.0;
    for (name, step) in steps {
        let mut best = f64::INFINITY;
        for _ in 0..3 {
            let t = Instant::now();
            std::hint::black_box(step());
            best = best.min(t.elapsed().as_secs_f64());
        }
        total += best;
        println!("{best:8.3} s  {:7.1} MB/s  {name}", mb / best);
    }
    println!("{total:8.3} s  {:7.1} MB/s  in all", mb / total);
    // What the round leaves: a document with a finding left in either reading is redacted
    // again in a second round, which these figures leave out.
    let again = masked
        .iter()
        .zip(&under_labels)
        .filter(|(m, l)| {
            !leaks(&scanner, &policy, m).is_empty() || !leaks(&scanner, &policy, l).is_empty()
        })
        .count();
    println!("documents a second round would redact again: {again}");
    Ok(())
}
