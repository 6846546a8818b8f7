//! Propagation within a document: once a name is found with good evidence, its words are
//! names wherever else they stand capitalised in the same document (`Chris Patten` makes a
//! later bare `Patten`, `Patten's` or `PATTEN` a name too).

use std::cell::Cell;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use super::analysis::Analysis;
use super::gazetteer;
use super::keys::{WordFilter, WordHasher, pack_lower};
use super::tokens::folds_as_written;

/// Arabic article prefixes dropped from keys, so `al-Qadhafi` and `Qadhafi` are one name.
const ARTICLES: &[&str] = &[
    "al-", "el-", "ad-", "an-", "ar-", "as-", "ash-", "at-", "az-",
];

/// The name words found so far in one document, folded for comparison.
#[derive(Debug, Default)]
pub(crate) struct Known {
    keys: HashSet<Box<[u8]>, BuildHasherDefault<WordHasher>>,
    /// Answers of [`Known::contains_token`] per token index, once the set is complete.
    memo: Vec<Cell<Option<bool>>>,
    /// The keys of up to 16 bytes packed into a `u128` (zero-padded; keys hold no NUL).
    short: HashSet<u128, BuildHasherDefault<WordHasher>>,
    /// Lets through only words of a key's length and first and last letters, which settles
    /// most capitalised words of a document without a hash probe. A word with no non-ASCII
    /// byte and no hyphen folds to its lower case, so it is filtered as written.
    filter: WordFilter,
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
        self.memo.clear();
        let mut buf = [0u8; 48];
        if let Some(k) = fold(word, &mut buf)
            && k.len() >= 2
            && !self.keys.contains(k)
        {
            if let Some(p) = pack_lower(k) {
                self.short.insert(p);
            }
            self.filter.insert(k);
            self.keys.insert(k.into());
        }
    }

    /// Whether `word` was found as a name earlier.
    pub fn contains(&self, word: &str) -> bool {
        if self.keys.is_empty() {
            return false;
        }
        // An ASCII word without a hyphen (so without an article) folds to itself in lower
        // case: a short one is answered by one probe of the packed keys, without folding.
        let b = word.as_bytes();
        if folds_as_written(b)
            && let Some(k) = self.settled_as_written(b)
        {
            return k;
        }
        let mut buf = [0u8; 48];
        fold(word, &mut buf).is_some_and(|k| self.keys.contains(k))
    }

    /// Whether `word`, ASCII without a hyphen (so it folds to its own lower case), was
    /// found earlier, when that is settled without folding it: by the filter, or by one
    /// probe of the packed keys for a short word.
    fn settled_as_written(&self, word: &[u8]) -> Option<bool> {
        if !self.filter.may_contain(word) {
            return Some(false);
        }
        pack_lower(word).map(|p| self.short.contains(&p))
    }

    /// [`contains`](Self::contains) for token `i` of `a`: a simple word (see
    /// [`Token::simple`](super::tokens::Token::simple)) is read as written, without testing
    /// its bytes or its ends again.
    fn contains_word(&self, a: &Analysis<'_>, i: usize) -> bool {
        if a.tokens.get(i).is_some_and(|t| t.simple)
            && let Some(k) = self.settled_as_written(a.word_bytes(i))
        {
            return k;
        }
        self.contains(a.word(i))
    }

    /// Whether token `i` of `a` was found as a name earlier, remembered per token once
    /// [`Known::freeze`] has been called (a run is judged again, and its words are asked
    /// about several times).
    pub fn contains_token(&self, a: &Analysis<'_>, i: usize) -> bool {
        if self.keys.is_empty() {
            return false;
        }
        let Some(cell) = self.memo.get(i) else {
            return self.contains_word(a, i);
        };
        if let Some(k) = cell.get() {
            return k;
        }
        let k = self.contains_word(a, i);
        cell.set(Some(k));
        k
    }

    /// Prepare to answer for `tokens` tokens: no word is added from now on.
    pub fn freeze(&mut self, tokens: usize) {
        self.memo = vec![Cell::new(None); tokens];
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

    #[test]
    fn a_documents_words_are_read_as_written_or_folded_as_each_needs() {
        let text = "Varani met al-Varani, VARANI and Jiménez; JIMENEZ left, Varan stayed";
        let (mut tokens, mut runs) = (Vec::new(), Vec::new());
        super::super::tokens::tokenize(text, &mut tokens, &mut runs);
        let a = Analysis {
            text,
            lex: vec![Cell::new(None); tokens.len()],
            class: vec![Cell::new(None); tokens.len()],
            use_lists: false,
            tokens,
            windows: Vec::new(),
            skip: Default::default(),
        };
        let mut k = Known::default();
        k.add("Varani");
        k.add("Jiménez");
        let found = |k: &Known| -> Vec<&str> {
            (0..a.tokens.len())
                .filter(|&i| k.contains_token(&a, i))
                .map(|i| a.word(i))
                .collect()
        };
        let want = ["Varani", "al-Varani", "VARANI", "Jiménez", "JIMENEZ"];
        assert_eq!(found(&k), want);
        // Remembered per token once the set is complete: the same answers.
        k.freeze(a.tokens.len());
        assert_eq!(found(&k), want);
        assert_eq!(found(&k), want);
    }
}
