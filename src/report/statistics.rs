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
    pub fn add(&mut self, r: &Record<'_>) {
        // Keys are copied only the first time a rule or category is seen.
        match self.rules.get_mut(r.rule) {
            Some(e) => e.2 += 1,
            None => {
                let e = (r.category.to_string(), r.severity, 1);
                self.rules.insert(r.rule.to_string(), e);
            }
        }
        match self.categories.get_mut(r.category) {
            Some(n) => *n += 1,
            None => {
                self.categories.insert(r.category.to_string(), 1);
            }
        }
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
