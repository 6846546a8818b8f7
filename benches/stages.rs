//! One microbenchmark per pipeline stage, on the seed cable: normalise (text view), scan (all
//! built-in rules), report (resolving findings and printing JSON). Throughput is reported in
//! bytes of cable per second. Whole-corpus figures come from `scripts/bench-corpus.sh`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use redline::report::{JsonPrinter, Printer, Record, Summary};
use redline::rules::RuleSet;
use redline::scan::Scanner;
use redline::text::{Source, normalized};

const CABLE: &[u8] = include_bytes!("../tests/fixtures/cables/07ASTANA614.txt");

fn stages(c: &mut Criterion) {
    let scanner = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
    let mut g = c.benchmark_group("seed-cable");
    g.throughput(Throughput::Bytes(CABLE.len() as u64));
    g.bench_function("normalise", |b| {
        b.iter(|| normalized(std::hint::black_box(CABLE)))
    });
    g.bench_function("scan", |b| {
        b.iter(|| scanner.scan(std::hint::black_box(CABLE)))
    });
    let mut names = RuleSet::builtin().unwrap();
    names.set_enabled("person", true);
    for r in RuleSet::builtin().unwrap().rules() {
        if r.category != "person" {
            names.set_enabled(&r.id, false);
        }
    }
    let names = Scanner::new(&names).unwrap();
    g.bench_function("names", |b| {
        b.iter(|| names.scan(std::hint::black_box(CABLE)))
    });
    let findings = scanner.scan(CABLE);
    g.bench_function("report", |b| {
        b.iter(|| {
            let source = Source::new(CABLE);
            let records: Vec<Record> = findings
                .iter()
                .map(|f| {
                    let rule = &scanner.rules()[f.rule];
                    Record::new("cable.txt", &source, rule, f.clone(), false)
                })
                .collect();
            let mut out = Vec::with_capacity(64 << 10);
            let mut p = JsonPrinter::new(Box::new(&mut out));
            p.file("cable.txt", &source, &records).unwrap();
            p.finish(&Summary::default()).unwrap();
            drop(p);
            out
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
