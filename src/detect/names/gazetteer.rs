//! The embedded gazetteers: given names, surnames, English words, places. Each is an `fst`
//! set built by `build.rs` from `data/` and used straight from the binary's bytes, so nothing
//! is parsed at start-up and a run that never looks a name up never touches them.

use std::sync::OnceLock;

use fst::Set;

static GIVEN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/given.fst"));
static SURNAMES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/surnames.fst"));
static COMMON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/common_words.fst"));
static ENGLISH: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/english.fst"));
static PLACES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/places.fst"));

/// The longest word looked up; longer tokens are in no list.
const MAX_KEY: usize = 48;

/// What the gazetteers say about one word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Lex {
    /// In the given-name list.
    pub given: bool,
    /// In the surname list.
    pub surname: bool,
    /// An ordinary English word (counter-evidence).
    pub english: bool,
    /// A name that is also a common English word (`Rose`, `Ford`): weak either way.
    pub common: bool,
    /// A place or nationality (counter-evidence).
    pub place: bool,
}

impl Lex {
    /// In a name list and not an ordinary word or a place: good evidence by itself.
    pub fn strong(self) -> bool {
        (self.given || self.surname) && !self.english && !self.place
    }

    /// In no list at all: a word the lists do not know (many foreign surnames are).
    pub fn unknown(self) -> bool {
        !self.given && !self.surname && !self.english && !self.place
    }

    /// In a name list, whatever else it is.
    pub fn name(self) -> bool {
        self.given || self.surname
    }
}

struct Sets {
    given: Option<Set<&'static [u8]>>,
    surnames: Option<Set<&'static [u8]>>,
    common: Option<Set<&'static [u8]>>,
    english: Option<Set<&'static [u8]>>,
    places: Option<Set<&'static [u8]>>,
}

fn sets() -> &'static Sets {
    static SETS: OnceLock<Sets> = OnceLock::new();
    // A set that fails to open (only a broken build could do that) reads as empty: the
    // detector then finds fewer names, it does not stop the run.
    SETS.get_or_init(|| Sets {
        given: Set::new(GIVEN).ok(),
        surnames: Set::new(SURNAMES).ok(),
        common: Set::new(COMMON).ok(),
        english: Set::new(ENGLISH).ok(),
        places: Set::new(PLACES).ok(),
    })
}

fn has(set: &Option<Set<&'static [u8]>>, key: &[u8]) -> bool {
    set.as_ref().is_some_and(|s| s.contains(key))
}

/// Lower-case `word` into `buf` for lookup, folding common Latin accents to ASCII as the
/// lists were built; `None` when the word cannot be in any list.
pub(crate) fn key<'b>(word: &str, buf: &'b mut [u8; MAX_KEY]) -> Option<&'b [u8]> {
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
    let s = sets();
    let given = has(&s.given, k);
    let surname = has(&s.surnames, k);
    let mut lex = Lex {
        given,
        surname,
        english: has(&s.english, k),
        common: (given || surname) && has(&s.common, k),
        place: has(&s.places, k),
    };
    // Plurals are not in the lists: `Icelanders`, `Canadians`, `Ministries`.
    if lex.unknown()
        && let Some(stem) = k.strip_suffix(b"s")
        && stem.len() >= 3
    {
        lex.english = has(&s.english, stem);
        lex.place = has(&s.places, stem);
    }
    // Unknown plural nouns of people: `Icelanders`, `Liberians`, `Islamists`.
    if lex.unknown()
        && k.len() > 6
        && [&b"ers"[..], b"ans", b"ists"]
            .iter()
            .any(|e| k.ends_with(e))
    {
        lex.english = true;
    }
    lex
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
    buf.get(..n).is_some_and(|k| has(&sets().places, k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_answer_for_invented_and_ordinary_words() {
        assert!(lookup("Maria").given);
        assert!(lookup("Nurlan").given);
        assert!(lookup("table").english);
        assert!(!lookup("Table").name());
        assert!(lookup("Paris").place);
        assert!(lookup("Qzxwvy").unknown());
    }

    #[test]
    fn accents_fold_and_overlong_words_are_in_no_list() {
        assert_eq!(lookup("María"), lookup("Maria"));
        assert!(lookup(&"a".repeat(100)).unknown());
    }

    #[test]
    fn place_phrases_join_with_spaces() {
        assert!(is_place_phrase(&["New", "York"]));
        assert!(!is_place_phrase(&["New", "Table"]));
    }
}
