//! `--statistics`: how many findings each rule and each category produced, most first.

use std::collections::BTreeMap;
use std::io::Write;

use super::Record;

/// Counts of findings per rule and per category.
#[derive(Debug, Clone, Default)]
pub struct Statistics {
    rules: BTreeMap<String, (String, &'static str, usize)>,
    categories: BTreeMap<String, usize>,
}

impl Statistics {
    /// Count one reported finding.
    pub fn add(&mut self, r: &Record) {
        let e = self
            .rules
            .entry(r.rule.clone())
            .or_insert_with(|| (r.category.clone(), r.severity, 0));
        e.2 += 1;
        *self.categories.entry(r.category.clone()).or_default() += 1;
    }

    /// Write the table: rules, then categories, each by count then name.
    ///
    /// # Errors
    /// When writing fails.
    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut rules: Vec<_> = self.rules.iter().collect();
        rules.sort_by(|a, b| b.1.2.cmp(&a.1.2).then(a.0.cmp(b.0)));
        writeln!(
            out,
            "{:>6}  {:<40} {:<15} severity",
            "count", "rule", "category"
        )?;
        for (id, (category, severity, n)) in rules {
            writeln!(out, "{n:>6}  {id:<40} {category:<15} {severity}")?;
        }
        let mut cats: Vec<_> = self.categories.iter().collect();
        cats.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        writeln!(out, "{:>6}  category", "count")?;
        for (category, n) in cats {
            writeln!(out, "{n:>6}  {category}")?;
        }
        Ok(())
    }
}
