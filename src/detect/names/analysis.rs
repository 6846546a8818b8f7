//! A document prepared for judging: its text and words, with what the gazetteers and the cue
//! lists say of each word, looked up on first use and cached for the document.

use std::cell::Cell;
use std::ops::Range;

use super::cues;
use super::gazetteer::{self, Lex};
use super::tokens::{self, Token};

/// A document prepared for judging: its text, words, and what the gazetteers say of them.
pub(crate) struct Analysis<'a> {
    /// The normalised text.
    pub text: &'a str,
    /// Its words.
    pub tokens: Vec<Token>,
    /// Gazetteer facts per word, looked up on first use: most words are settled by the
    /// cheaper checks (titles, jargon, acronyms) and never reach the lists.
    pub lex: Vec<Cell<Option<Lex>>>,
    /// Whether to consult the gazetteers at all.
    pub use_lists: bool,
    /// Cue-list classes per word, computed on first use.
    pub class: Vec<Cell<Option<u16>>>,
    /// View byte ranges where a convention vouches for any name-shaped piece.
    pub windows: Vec<(Range<usize>, &'static str)>,
    /// View byte ranges holding no names in prose (the telegram header, the tags line).
    pub skip: Skip,
}

impl<'a> Analysis<'a> {
    /// What the gazetteers say of token `i` (nothing when they are switched off).
    #[inline]
    pub fn lex(&self, i: usize) -> Lex {
        match self.lex.get(i).map(Cell::get) {
            Some(Some(l)) => l,
            Some(None) => self.look_up(i),
            None => Lex::default(),
        }
    }

    /// [`lex`](Self::lex) for a token not yet looked up: out of line, so that the many
    /// answers already cached cost no more than a load.
    #[inline(never)]
    fn look_up(&self, i: usize) -> Lex {
        let Some(cell) = self.lex.get(i) else {
            return Lex::default();
        };
        let l = if self.use_lists {
            gazetteer::lookup_cached(self.word(i))
        } else {
            Lex::default()
        };
        cell.set(Some(l));
        l
    }

    /// Which cue lists token `i` is in ([`cues::class`] bits).
    pub fn class(&self, i: usize) -> u16 {
        let Some(cell) = self.class.get(i) else {
            return 0;
        };
        if let Some(c) = cell.get() {
            return c;
        }
        let c = cues::classes(self.word_bytes(i));
        cell.set(Some(c));
        c
    }

    /// Whether token `i` is in a cue list of `bits`.
    pub fn is(&self, i: usize, bits: u16) -> bool {
        self.class(i) & bits != 0
    }

    /// Whether token `i` starts a sentence, a heading or a line item.
    pub fn sentence_start(&self, i: usize) -> bool {
        tokens::sentence_start(self.text, &self.tokens, i)
    }

    /// The text of token `i`.
    pub fn word(&self, i: usize) -> &'a str {
        self.tokens.get(i).map_or("", |t| t.text(self.text))
    }

    /// The bytes of token `i`: [`word`](Self::word) without the test that its ends are
    /// character boundaries (they always are), for comparisons.
    pub fn word_bytes(&self, i: usize) -> &'a [u8] {
        self.tokens
            .get(i)
            .and_then(|t| self.text.as_bytes().get(t.start..t.end))
            .unwrap_or_default()
    }

    /// The bytes between token `i - 1` and token `i` (`None` for the first token). Like
    /// [`word_bytes`](Self::word_bytes), bytes: token ends are always character boundaries.
    pub fn gap_before(&self, i: usize) -> Option<&'a [u8]> {
        let prev = self.tokens.get(i.checked_sub(1)?)?;
        let next = self.tokens.get(i)?;
        self.text.as_bytes().get(prev.end..next.start)
    }

    /// Whether an all-capitals token stands among capitals (a heading, a subject line, an
    /// old telegram), where capitals say nothing, rather than being an acronym in prose.
    pub fn caps_context(&self, i: usize) -> bool {
        let Some(t) = self.tokens.get(i) else {
            return false;
        };
        let bytes = self.text.as_bytes();
        let before = &bytes[t.start.saturating_sub(30)..t.start];
        let after = &bytes[t.end..(t.end + 30).min(bytes.len())];
        !before.iter().any(u8::is_ascii_lowercase) || !after.iter().any(u8::is_ascii_lowercase)
    }
}

/// Stretches of a document with no names in prose (see [`super::cable::skip_regions`]).
#[derive(Debug, Default)]
pub(crate) struct Skip {
    ranges: Vec<Range<usize>>,
    /// Where the last of them ends: every run after it is settled by one comparison.
    end: usize,
}

impl Skip {
    pub(crate) fn new(ranges: Vec<Range<usize>>) -> Self {
        let end = ranges.iter().map(|r| r.end).max().unwrap_or(0);
        Skip { ranges, end }
    }

    /// Whether view offset `at` stands in one of the stretches.
    pub(crate) fn holds(&self, at: usize) -> bool {
        at < self.end && self.ranges.iter().any(|r| r.contains(&at))
    }
}
