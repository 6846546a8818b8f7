//! Time each built-in rule alone over a folder of documents held in memory, most expensive
//! first: `cargo run --release --example rule_cost DIR`. Finds the rules that dominate a scan.
//!
//! `rule_cost DIR RULE...` times only the rules named, each the best of three runs (for
//! before/after comparisons of one detector on a noisy machine).

use std::time::Instant;

use redline::{rules::RuleSet, scan::Scanner};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: rule_cost DIR [RULE...]")?;
    let only: Vec<String> = std::env::args().skip(2).collect();
    let runs = if only.is_empty() { 1 } else { 3 };
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        docs.push(std::fs::read(entry?.path())?);
    }
    let mb = docs.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    let all = RuleSet::builtin().map_err(|e| format!("{} rule errors", e.len()))?;
    let ids: Vec<String> = all.rules().iter().map(|r| r.id.clone()).collect();
    let time = |set: &RuleSet| -> Result<f64, String> {
        let scanner = Scanner::new(set).map_err(|e| format!("{} rule errors", e.len()))?;
        let mut best = f64::INFINITY;
        for _ in 0..runs {
            let t = Instant::now();
            let n: usize = docs.iter().map(|d| scanner.scan(d).len()).sum();
            std::hint::black_box(n);
            best = best.min(t.elapsed().as_secs_f64());
        }
        Ok(best)
    };
    let mut none = all.clone();
    for id in &ids {
        none.set_enabled(id, false);
    }
    let base = time(&none)?;
    println!(
        "{mb:.1} MB; no rules (view + cable parse): {:.3} s, {:.0} MB/s",
        base,
        mb / base
    );
    let mut costs = Vec::new();
    for id in ids.iter().filter(|id| only.is_empty() || only.contains(id)) {
        let mut one = none.clone();
        one.set_enabled(id, true);
        costs.push((time(&one)? - base, id));
    }
    costs.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (s, id) in costs {
        println!("{s:8.3} s  {id}");
    }
    if only.is_empty() {
        println!("all rules: {:.3} s", time(&all)?);
    }
    Ok(())
}
