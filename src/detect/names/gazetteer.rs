//! The embedded gazetteers: given names, surnames, English words, places. They are one hash
//! table built by `build.rs` from `data/` ([`table`] describes it) and used straight from the
//! binary's bytes, so nothing is parsed at start-up and a run that never looks a name up
//! never touches them.

use std::cell::RefCell;

use super::table;

/// Every list in one table, word -> flags (see `build.rs` and [`table`]): its slots.
static SLOTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.slots"));
const GIVEN: u64 = 1;
const SURNAME: u64 = 2;
const ENGLISH: u64 = 4;
const PLACE: u64 = 8;
const PLACE_HEAD: u64 = 16;
const PLACE_SECOND: u64 = 32;

/// The longest word looked up; longer tokens are in no list.
const MAX_KEY: usize = 48;

/// What the gazetteers say about one word: the list flags above, in one byte (a word's
/// facts are asked for, copied and cached per word; one byte moves in one register).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Lex(u8);

/// Every flag a [`Lex`] keeps.
const LEX_FLAGS: u64 = GIVEN | SURNAME | ENGLISH | PLACE | PLACE_HEAD | PLACE_SECOND;

impl Lex {
    fn has(self, flag: u64) -> bool {
        u64::from(self.0) & flag != 0
    }

    /// In the given-name list.
    pub fn given(self) -> bool {
        self.has(GIVEN)
    }

    /// An ordinary English word (counter-evidence).
    pub fn english(self) -> bool {
        self.has(ENGLISH)
    }

    /// A place or nationality (counter-evidence).
    pub fn place(self) -> bool {
        self.has(PLACE)
    }

    /// The first word of a place name of several words (`Costa` of `Costa Rica`).
    pub fn place_head(self) -> bool {
        self.has(PLACE_HEAD)
    }

    /// The second word of a place name of several words (`Rica` of `Costa Rica`).
    pub fn place_second(self) -> bool {
        self.has(PLACE_SECOND)
    }

    /// In a name list and not an ordinary word or a place: good evidence by itself.
    pub fn strong(self) -> bool {
        self.name() && !self.has(ENGLISH | PLACE)
    }

    /// In no list at all: a word the lists do not know (many foreign surnames are).
    pub fn unknown(self) -> bool {
        !self.has(GIVEN | SURNAME | ENGLISH | PLACE)
    }

    /// In a name list, whatever else it is.
    pub fn name(self) -> bool {
        self.has(GIVEN | SURNAME)
    }

    fn from_flags(f: u64) -> Lex {
        // Every flag of `LEX_FLAGS` is below 256.
        Lex(u8::try_from(f & LEX_FLAGS).unwrap_or_default())
    }

    /// These facts with `flags` (of `LEX_FLAGS`) set.
    fn with(self, flags: u64) -> Lex {
        Lex::from_flags(u64::from(self.0) | flags)
    }
}

fn flags(key: &[u8]) -> u64 {
    u64::from(table::find(SLOTS, key))
}

/// Lower-case `word` into `buf` for lookup, folding common Latin accents to ASCII as the
/// lists were built; `None` when the word cannot be in any list.
pub(crate) fn key<'b>(word: &str, buf: &'b mut [u8; MAX_KEY]) -> Option<&'b [u8]> {
    // Most words are short ASCII: lower-cased in their packed key, eight bytes at a time.
    if word.is_ascii()
        && let Some(packed) = super::keys::pack_lower(word.as_bytes())
        && let Some(head) = buf.get_mut(..16)
    {
        head.copy_from_slice(&packed.to_le_bytes());
        return buf.get(..word.len());
    }
    let mut n = 0;
    for c in word.chars() {
        let b = if c.is_ascii() {
            c.to_ascii_lowercase() as u8
        } else {
            fold(c)?
        };
        *buf.get_mut(n)? = b;
        n += 1;
    }
    buf.get(..n)
}

/// ASCII letter for a Latin letter with a diacritic (lower-cased), `'` for a curly apostrophe.
fn fold(c: char) -> Option<u8> {
    let lower = c.to_lowercase().next()?;
    Some(match lower {
        'à'..='å' | 'ā' | 'ă' | 'ą' => b'a',
        'ç' | 'ć' | 'č' => b'c',
        'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => b'e',
        'ì'..='ï' | 'ī' | 'ı' => b'i',
        'ñ' | 'ń' | 'ň' => b'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => b'o',
        'ù'..='ü' | 'ū' | 'ů' | 'ű' => b'u',
        'ý' | 'ÿ' => b'y',
        'š' | 'ś' | 'ş' => b's',
        'ž' | 'ź' | 'ż' => b'z',
        'ğ' => b'g',
        'ł' => b'l',
        'ř' => b'r',
        'ť' | 'ţ' => b't',
        'ď' => b'd',
        '\u{2019}' => b'\'',
        _ => return None,
    })
}

/// Look `word` up in every list.
pub(crate) fn lookup(word: &str) -> Lex {
    let mut buf = [0u8; MAX_KEY];
    let Some(k) = key(word, &mut buf) else {
        return Lex::default();
    };
    let mut lex = Lex::from_flags(flags(k));
    // Plurals are not in the lists: `Icelanders`, `Canadians`, `Ministries`.
    if lex.unknown()
        && let Some(stem) = k.strip_suffix(b"s")
        && stem.len() >= 3
    {
        // Only what the stem says of the word as a noun: an English word, a place.
        lex = lex.with(flags(stem) & (ENGLISH | PLACE));
    }
    // Unknown plural nouns of people: `Icelanders`, `Liberians`, `Islamists`.
    if lex.unknown()
        && k.len() > 6
        && [&b"ers"[..], b"ans", b"ists"]
            .iter()
            .any(|e| k.ends_with(e))
    {
        lex = lex.with(ENGLISH);
    }
    lex
}

/// Slots of the front cache (a power of two, `FRONT_BITS` bits of index).
const FRONT_BITS: u32 = 11;

/// A key no word packs to: UTF-8 text never holds the byte 0xFF.
const NO_KEY: u128 = u128::MAX;

thread_local! {
    /// Lookups remembered by one thread: a small direct-mapped cache of recent words (mostly
    /// the current document's), which stays in the processor's near caches where the large
    /// table does not. Keys are the word's bytes packed into a `u128` (words of up to 16
    /// bytes, which hold no NUL), so a probe touches no other memory.
    static FRONT: RefCell<Vec<(u128, Lex)>> = const { RefCell::new(Vec::new()) };
}

/// `word` packed into a memo key, if it fits.
fn memo_key(word: &str) -> Option<u128> {
    super::keys::pack(word.as_bytes())
}

/// [`lookup`], remembered per thread.
pub(crate) fn lookup_cached(word: &str) -> Lex {
    let Some(key) = memo_key(word) else {
        return lookup(word);
    };
    let mixed = ((key as u64) ^ ((key >> 64) as u64)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let slot = (mixed >> (64 - FRONT_BITS)) as usize;
    FRONT.with(|front| {
        let mut front = front.borrow_mut();
        if front.is_empty() {
            *front = vec![(NO_KEY, Lex::default()); 1 << FRONT_BITS];
        }
        if let Some(&(k, l)) = front.get(slot)
            && k == key
        {
            return l;
        }
        let l = lookup(word);
        if let Some(f) = front.get_mut(slot) {
            *f = (key, l);
        }
        l
    })
}

/// Whether `words` (lower-cased, joined by single spaces) is a place, e.g. `san pedro sula`.
pub(crate) fn is_place_phrase(words: &[&str]) -> bool {
    let mut buf = [0u8; MAX_KEY * 2];
    let mut n = 0;
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            let Some(slot) = buf.get_mut(n) else {
                return false;
            };
            *slot = b' ';
            n += 1;
        }
        let mut one = [0u8; MAX_KEY];
        let Some(k) = key(w, &mut one) else {
            return false;
        };
        let Some(dst) = buf.get_mut(n..n + k.len()) else {
            return false;
        };
        dst.copy_from_slice(k);
        n += k.len();
    }
    buf.get(..n).is_some_and(|k| flags(k) & PLACE != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A word's key is the word lower-cased, folded where it has accents, and none
        /// past the longest key: the packed ASCII path and the character loop agree.
        #[test]
        fn keys_are_the_words_lower_cased(
            word in "[A-Za-z0-9' -]{0,20}|[A-Za-z\u{e9}\u{c9}\u{2019}]{0,20}|[a-z]{40,60}",
        ) {
            let mut buf = [0u8; MAX_KEY];
            let want: Option<Vec<u8>> = word
                .chars()
                .map(|c| if c.is_ascii() { Some(c.to_ascii_lowercase() as u8) } else { fold(c) })
                .collect::<Option<Vec<u8>>>()
                .filter(|k| k.len() <= MAX_KEY);
            proptest::prop_assert_eq!(key(&word, &mut buf).map(<[u8]>::to_vec), want);
        }
    }

    #[test]
    fn lists_answer_for_invented_and_ordinary_words() {
        assert!(lookup("Maria").given());
        assert!(lookup("Nurlan").given());
        assert!(lookup("table").english());
        assert!(!lookup("Table").name());
        assert!(lookup("Paris").place());
        assert!(lookup("Qzxwvy").unknown());
        assert!(lookup("Costa").place_head() && !lookup("Costa").place_second());
        assert!(lookup("Rica").place_second() && lookup("Pedro").place_second());
        assert!(!lookup("Sula").place_second());
    }

    #[test]
    fn a_plural_reads_as_its_stem_and_a_plural_noun_of_people_as_a_word() {
        // `abacists` and `canadians` are in no list; `abacist` and `canadian` are.
        let plural = lookup("Abacists");
        assert!(plural.english() && !plural.place() && !plural.name());
        let people = lookup("Canadians");
        assert!(people.place() && !people.english() && !people.name());
        // In no list, and no stem either: `-ers`, `-ans`, `-ists` make it a word.
        let unknown = lookup("Qzxwvyers");
        assert!(unknown.english() && !unknown.place() && !unknown.name());
        assert!(lookup("Qzxwvy").unknown());
    }

    #[test]
    fn accents_fold_and_overlong_words_are_in_no_list() {
        assert_eq!(lookup("María"), lookup("Maria"));
        assert!(lookup(&"a".repeat(100)).unknown());
    }

    #[test]
    fn remembered_lookups_answer_as_fresh_ones() {
        let words = [
            "Maria",
            "MARIA",
            "table",
            "Paris",
            "Qzxwvy",
            "María",
            "",
            "Canadians",
            "Abcdefghijklmnop",
            "Abcdefghijklmnopq",
        ];
        for _ in 0..2 {
            for w in words {
                assert_eq!(lookup_cached(w), lookup(w), "{w}");
            }
        }
    }

    #[test]
    fn every_listed_word_is_in_its_list() {
        for (file, bit) in [
            ("names/given.txt", GIVEN),
            ("names/surnames.txt", SURNAME),
            ("words/english.txt", ENGLISH),
            ("places/places.txt", PLACE),
        ] {
            let path = format!("{}/data/{file}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let words: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|w| !w.is_empty() && !w.starts_with('#'))
                .collect();
            assert!(words.len() > 1000, "{path}");
            for w in words {
                assert!(flags(w.as_bytes()) & bit != 0, "{w} not in {file}");
            }
        }
    }

    #[test]
    fn place_phrases_join_with_spaces() {
        assert!(is_place_phrase(&["New", "York"]));
        assert!(!is_place_phrase(&["New", "Table"]));
    }
}
