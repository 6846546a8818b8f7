//! Time the stages of a scan over a folder of documents held in memory:
//! `cargo run --release --example scan_speed DIR`.

use std::time::Instant;

use redline::{cable::Cable, rules::RuleSet, scan::Scanner, text};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: scan_speed DIR")?;
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        docs.push(std::fs::read(entry?.path())?);
    }
    let total: usize = docs.iter().map(Vec::len).sum();
    let mb = total as f64 / 1e6;
    let rules = RuleSet::builtin().map_err(|e| format!("{} rule errors", e.len()))?;
    let scanner = Scanner::new(&rules).map_err(|e| format!("{} rule errors", e.len()))?;
    let time = |name: &str, f: &dyn Fn(&[u8]) -> usize| {
        let t = Instant::now();
        let n: usize = docs.iter().map(|d| f(d)).sum();
        let s = t.elapsed().as_secs_f64();
        println!("{name:>16}: {:7.1} MB/s ({n})", mb / s);
    };
    println!("{} documents, {mb:.1} MB", docs.len());
    time("cable parse", &|d| Cable::parse(d).paragraphs.len());
    time("normalized", &|d| text::normalized(d).text().len());
    time("parse+view", &|d| {
        text::normalized_with(d, &Cable::parse(d).view_edits())
            .text()
            .len()
    });
    time("full scan", &|d| scanner.scan(d).len());
    Ok(())
}
