//! Propagation within a document: once a name is found with good evidence, its words are
//! names wherever else they stand capitalised in the same document (`Chris Patten` makes a
//! later bare `Patten`, `Patten's` or `PATTEN` a name too).

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use super::analysis::WordHasher;
use super::gazetteer;

/// Arabic article prefixes dropped from keys, so `al-Qadhafi` and `Qadhafi` are one name.
const ARTICLES: &[&str] = &[
    "al-", "el-", "ad-", "an-", "ar-", "as-", "ash-", "at-", "az-",
];

/// The name words found so far in one document, folded for comparison.
#[derive(Debug, Default)]
pub(crate) struct Known {
    keys: HashSet<Box<[u8]>, BuildHasherDefault<WordHasher>>,
}

/// `word` folded (lower case, ASCII, no article prefix), into `buf`.
fn fold<'b>(word: &str, buf: &'b mut [u8; 48]) -> Option<&'b [u8]> {
    let k = gazetteer::key(word, buf)?;
    let cut = ARTICLES
        .iter()
        .find(|a| k.starts_with(a.as_bytes()) && k.len() > a.len() + 1)
        .map_or(0, |a| a.len());
    k.get(cut..)
}

impl Known {
    /// Remember `word` as a name.
    pub fn add(&mut self, word: &str) {
        let mut buf = [0u8; 48];
        if let Some(k) = fold(word, &mut buf)
            && k.len() >= 2
            && !self.keys.contains(k)
        {
            self.keys.insert(k.into());
        }
    }

    /// Whether `word` was found as a name earlier.
    pub fn contains(&self, word: &str) -> bool {
        if self.keys.is_empty() {
            return false;
        }
        let mut buf = [0u8; 48];
        fold(word, &mut buf).is_some_and(|k| self.keys.contains(k))
    }

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_articles_and_accents_fold_together() {
        let mut k = Known::default();
        k.add("al-Varani");
        assert!(k.contains("Varani"));
        assert!(k.contains("VARANI"));
        assert!(k.contains("el-Varani"));
        k.add("Jiménez");
        assert!(k.contains("JIMENEZ"));
        assert!(!k.contains("Varan"));
    }
}
