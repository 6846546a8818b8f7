//! Context cues: the words around a run that tell a name from an ordinary capitalised word.
//! Titles and roles before it (`Ambassador`, `Mr.`, `Minister of Justice,`), reporting verbs
//! after it (`said`, `told`), appositions (`X, Head of ...`), and the words that make a run
//! something else (`... Foundation`, months, cable jargon such as `Post` or `EmbOff`).
//!
//! Every list is sorted and lower-case; lookups ignore ASCII case.

use super::keys::{WordFilter, pack_const, pack_lower};

/// Titles and honorifics written before a name.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "a/s", "adm", "admiral", "adviser", "advisor", "amb", "ambassador", "amir", "archbishop",
    "assistant", "attache", "ayatollah", "bg", "bishop", "brig", "brigadier", "capt", "captain",
    "cardinal", "cda", "cdr", "chairman", "chairperson", "chairwoman", "chancellor", "charge", "chief",
    "cmdr", "codel", "col", "colonel", "commandant", "commander", "commissioner", "congressman", "congresswoman",
    "consul", "coordinator", "counsellor", "counselor", "cpt", "dame", "das", "datt", "dcm",
    "dean", "delegate", "deputy", "dfm", "dir", "director", "doctor", "don", "dona",
    "dr", "econoff", "emir", "envoy", "father", "fm", "gen", "general", "generals",
    "gov", "governor", "head", "hon", "imam", "judge", "judges", "justice", "king",
    "kings", "lady", "leader", "legislator", "lieutenant", "lord", "lt", "ltc", "ltg",
    "madam", "madame", "maj", "major", "marshal", "mayor", "mg", "minister", "ministers",
    "miss", "mk", "mme", "monsignor", "mp", "mr", "mrs", "ms", "mullah",
    "officer", "parliamentarian", "patriarch", "pdas", "pm", "poloff", "pope", "premier", "president",
    "presidents", "prime", "prince", "princess", "prof", "professor", "prosecutor", "queen", "rabbi",
    "radm", "rep", "representative", "rev", "reverend", "secgen", "secretary", "sen", "senator",
    "senators", "senor", "senora", "sergeant", "sgt", "shaykh", "sheik", "sheikh", "sheikha",
    "sir", "speaker", "spokesman", "spokesperson", "spokeswoman", "sr", "sra", "staffdel", "sultan",
    "undersecretary", "vadm",
];

/// Honorifics: a name after one of these is certain.
#[rustfmt::skip]
const HONORIFICS: &[&str] = &[
    "dr", "madam", "madame", "miss", "mme", "mr", "mrs", "ms", "senor",
    "senora", "shaykh", "sheik", "sheikh", "sheikha", "sir", "sr", "sra",
];

/// Lower-case role nouns that introduce a name (`activist Ana Ruiz`).
#[rustfmt::skip]
const ROLES: &[&str] = &[
    "activist", "analyst", "author", "blogger", "brother", "businessman", "businesswoman", "candidate", "cleric",
    "colleague", "contact", "counterpart", "cousin", "daughter", "dissident", "economist", "editor", "father",
    "husband", "interlocutor", "journalist", "lawyer", "mother", "negotiator", "nephew", "nurse", "official",
    "owner", "physician", "professor", "reporter", "researcher", "scholar", "sister", "son", "uncle",
    "widow", "wife", "writer",
];

/// Verbs after a name that say a person acted or spoke.
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "acknowledged", "added", "admitted", "agreed", "announced", "argued", "asked", "asserted", "assured",
    "believes", "cautioned", "chaired", "claimed", "commented", "complained", "conceded", "confided", "confirmed",
    "contended", "continued", "declared", "denied", "described", "emphasised", "emphasized", "explained", "expressed",
    "highlighted", "hosted", "indicated", "insisted", "lamented", "maintained", "mentioned", "met", "noted",
    "observed", "opined", "pledged", "pointed", "predicted", "promised", "recalled", "recounted", "reiterated",
    "remarked", "replied", "reported", "resigned", "responded", "said", "says", "shared", "speculated",
    "stated", "stressed", "suggested", "telephoned", "tells", "thinks", "told", "underlined", "underscored",
    "urged", "visited", "warned", "worried", "wrote",
];

/// Capitalised words that are never a name by themselves: cable jargon, months, days,
/// markings, and words that only look like names at the start of a sentence.
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "action", "administration", "allah", "ambassadors", "amconsul", "amembassy", "april", "arab", "arabs",
    "august", "begin", "cable", "central", "charges", "christian", "christians", "classified", "comment",
    "confidential", "cong", "congress", "december", "decl", "department", "dept", "duma", "east",
    "eastern", "eid", "el", "embassy", "emboff", "emboffs", "end", "europe", "european",
    "fatah", "february", "friday", "god", "government", "grupo", "hamas", "hezbollah", "hizballah",
    "immediate", "info", "islam", "islamic", "january", "jewish", "july", "june", "kadima",
    "knesset", "koran", "kurd", "kurds", "la", "las", "les", "likud", "los",
    "majlis", "march", "may", "mazhilis", "ministry", "monday", "mossad", "muslim", "muslims",
    "niact", "noforn", "north", "northern", "note", "november", "october", "para", "parliament",
    "pol", "port", "post", "posts", "priority", "quran", "ramadan", "ref", "reftel",
    "reftels", "routine", "saturday", "secdef", "secret", "secstate", "section", "sensitive", "septel",
    "september", "sharia", "shia", "shiite", "shura", "sipdis", "south", "southern", "state",
    "subject", "summary", "sunday", "sunni", "tags", "taliban", "text", "thursday", "tuesday",
    "unclas", "unclassified", "useu", "usmission", "usnato", "usun", "washdc", "wednesday", "west",
    "western",
];

/// Closed-class words: capitalised only at the start of a sentence, never names.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "although", "an", "and", "any",
    "as", "at", "because", "before", "both", "but", "by", "during", "each",
    "for", "from", "he", "her", "here", "his", "how", "i", "if",
    "in", "it", "its", "many", "more", "most", "much", "my", "no",
    "not", "of", "on", "one", "only", "or", "other", "our", "she",
    "since", "so", "some", "such", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "though", "to", "under", "until",
    "upon", "we", "what", "when", "where", "whether", "which", "while", "who",
    "why", "will", "with", "within", "without", "yet", "you", "your",
];

/// Words that make the capitalised words before them the name of an organisation, a
/// program, a place or a thing (`Fulbright Program`, `Juno Relief Fund`).
#[rustfmt::skip]
const ORG_WORDS: &[&str] = &[
    "academy", "act", "agency", "airlines", "airport", "airways", "association", "avenue", "award",
    "bank", "base", "bridge", "brigade", "brigades", "center", "centre", "church", "city",
    "clinic", "club", "college", "commission", "committee", "company", "corp", "corporation", "council",
    "court", "dam", "desert", "district", "fellowship", "forum", "foundation", "fund", "group",
    "gulf", "hall", "hospital", "hotel", "inc", "institute", "institution", "island", "islands",
    "lake", "library", "ltd", "mosque", "mountains", "movement", "museum", "network", "oblast",
    "ocean", "park", "party", "peninsula", "prize", "program", "programme", "project", "province",
    "region", "river", "road", "scholarship", "scholarships", "school", "sea", "society", "square",
    "stadium", "strait", "street", "trust", "university", "valley",
];

/// Words before a run that make it a place, a ship or an operation (`Fort X`, `USS X`).
#[rustfmt::skip]
const THING_BEFORE: &[&str] = &[
    "camp", "cape", "fort", "hms", "lake", "mount", "mt", "operation", "saint",
    "uss",
];

/// Bits of [`classes`]: which lists a word is in.
pub(crate) mod class {
    /// A title or honorific.
    pub const TITLE: u16 = 1;
    /// An honorific.
    pub const HONORIFIC: u16 = 2;
    /// A lower-case role noun.
    pub const ROLE: u16 = 4;
    /// A reporting verb.
    pub const VERB: u16 = 8;
    /// Never a name.
    pub const NOT_NAME: u16 = 16;
    /// A closed-class word.
    pub const FUNCTION: u16 = 32;
    /// Ends an organisation's name.
    pub const ORG: u16 = 64;
    /// Makes the next run a thing.
    pub const THING_BEFORE: u16 = 128;
}

/// Every list with its bit.
const LISTS: [(&[&str], u16); 8] = [
    (TITLES, class::TITLE),
    (HONORIFICS, class::HONORIFIC),
    (ROLES, class::ROLE),
    (VERBS, class::VERB),
    (NOT_NAMES, class::NOT_NAME),
    (FUNCTION_WORDS, class::FUNCTION),
    (ORG_WORDS, class::ORG),
    (THING_BEFORE, class::THING_BEFORE),
];

/// Every list merged into one table, so that one probe answers them all, and a filter in
/// front of it. Built at compile time ([`Lists::build`]): a run neither builds it nor
/// writes its pages, which are read from the binary as they are needed.
struct Lists {
    /// Each word packed into a `u128` (lower case, zero-padded: no listed word is longer
    /// than 16 bytes or holds a NUL), in an open-addressing table of [`SLOTS`] slots: a
    /// probe hashes the key with one multiplication and compares two integers, where a
    /// general hash map's probe took more. An empty slot holds the key `0`, which no listed
    /// word packs to.
    keys: [u128; SLOTS],
    /// The bits of the word in the same slot of `keys` (apart, so that the keys take
    /// 32 KiB and a one-file run touches few pages).
    bits: [u16; SLOTS],
    /// Lets through only words of a listed word's length and first and last letters: most
    /// capitalised words of a cable are stopped there and skip the probe.
    filter: WordFilter,
}

/// Slots of [`Lists::keys`]: a power of two, at least three times the listed words, so
/// that probes are short.
const SLOTS: usize = 1 << SLOT_BITS;
const SLOT_BITS: u32 = 11;

/// The first slot to probe for packed word `k`: its two halves mixed by one multiplication,
/// whose top bits pick the slot.
const fn slot_of(k: u128) -> usize {
    let h = ((k as u64) ^ ((k >> 64) as u64).rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> (64 - SLOT_BITS)) as usize
}

/// The lists' table, built by the compiler.
static TABLE: Lists = Lists::build();

impl Lists {
    /// Every word of [`LISTS`] in the table, with the bits of every list that holds it.
    const fn build() -> Lists {
        let mut table = Lists {
            keys: [0; SLOTS],
            bits: [0; SLOTS],
            filter: WordFilter::EMPTY,
        };
        let mut l = 0;
        while l < LISTS.len() {
            let (list, bit) = LISTS[l];
            let mut w = 0;
            while w < list.len() {
                let word = list[w].as_bytes();
                table.filter.insert(word);
                if let Some(k) = pack_const(word)
                    && k != 0
                {
                    // At most one pass over the slots: the table is far from full (see
                    // `SLOTS`, and a test), so a free slot is found long before.
                    let mut i = slot_of(k);
                    let mut tries = 0;
                    while tries < SLOTS {
                        if table.keys[i] == 0 || table.keys[i] == k {
                            table.keys[i] = k;
                            table.bits[i] |= bit;
                            break;
                        }
                        i = (i + 1) % SLOTS;
                        tries += 1;
                    }
                }
                w += 1;
            }
            l += 1;
        }
        table
    }
}

/// The bits of packed word `k` in `lists` (0 for a word in no list).
fn probe(lists: &Lists, k: u128) -> u16 {
    if k == 0 {
        return 0;
    }
    let mut i = slot_of(k);
    while let Some(&key) = lists.keys.get(i) {
        if key == k {
            return lists.bits.get(i).copied().unwrap_or(0);
        }
        if key == 0 {
            return 0;
        }
        i = (i + 1) % SLOTS;
    }
    0
}

/// The longest word in any list; longer words are in none (and 16 bytes fit a `u128`).
const LONGEST: usize = 16;

/// Which lists `word` is in (ASCII case ignored), as [`class`] bits.
pub(crate) fn classes(word: &[u8]) -> u16 {
    if word.len() > LONGEST {
        return 0;
    }
    if !TABLE.filter.may_contain(word) {
        return 0;
    }
    pack_lower(word).map_or(0, |k| probe(&TABLE, k))
}

/// A title or honorific (`Minister`, `Mr`).
pub(crate) fn is_title(word: &str) -> bool {
    classes(word.as_bytes()) & class::TITLE != 0
}

/// Never a name by itself (`Post`, `March`).
pub(crate) fn is_not_name(word: &str) -> bool {
    classes(word.as_bytes()) & class::NOT_NAME != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn lists_are_sorted_lower_case_and_unique() {
        for list in [
            TITLES,
            HONORIFICS,
            ROLES,
            VERBS,
            NOT_NAMES,
            FUNCTION_WORDS,
            ORG_WORDS,
            THING_BEFORE,
        ] {
            for pair in list.windows(2) {
                assert!(pair[0] < pair[1], "{} before {}", pair[0], pair[1]);
            }
            assert!(
                list.iter()
                    .all(|w| w.bytes().all(|b| !b.is_ascii_uppercase()))
            );
        }
    }

    /// Every listed word with the bits of every list that holds it, merged at run time.
    fn merged() -> BTreeMap<&'static [u8], u16> {
        let mut all = BTreeMap::new();
        for (list, bit) in LISTS {
            for w in list {
                *all.entry(w.as_bytes()).or_default() |= bit;
            }
        }
        all
    }

    #[test]
    fn lookups_ignore_case_and_merge_lists() {
        assert!(is_title("AMBASSADOR"));
        assert_eq!(classes(b"mr") & class::TITLE, class::TITLE);
        assert_ne!(classes(b"said") & class::VERB, 0);
        assert!(is_not_name("EmbOff"));
        assert_ne!(classes(b"Foundation") & class::ORG, 0);
        assert!(!is_title("Waldo"));
        assert!(LONGEST >= merged().keys().map(|w| w.len()).max().unwrap_or(0));
        // The filter passes every listed word, in any case.
        for w in merged().keys() {
            let word = String::from_utf8_lossy(w);
            assert_ne!(classes(word.as_bytes()), 0, "{word}");
            assert_ne!(classes(word.to_ascii_uppercase().as_bytes()), 0, "{word}");
        }
        assert_eq!(classes(b""), 0);
    }

    #[test]
    fn the_slots_hold_every_listed_word_with_room_to_spare() {
        let words = merged();
        assert!(words.len() * 3 <= SLOTS, "{} words", words.len());
        for (w, bits) in &words {
            // The compiler's packing is the run's.
            assert_eq!(
                pack_const(w),
                pack_lower(w),
                "{}",
                String::from_utf8_lossy(w)
            );
            let k = pack_lower(w).unwrap_or(0);
            assert_eq!(probe(&TABLE, k), *bits, "{}", String::from_utf8_lossy(w));
        }
        // Every filled slot holds a listed word: nothing else got in.
        let filled = TABLE.keys.iter().filter(|&&k| k != 0).count();
        assert_eq!(filled, words.len());
        // Words in no list, some of them of a listed word's length and ends.
        for w in ["Mtr", "sand", "Quillfeather", "minster", "aid", "xx", ""] {
            assert_eq!(
                probe(&TABLE, pack_lower(w.as_bytes()).unwrap_or(0)),
                0,
                "{w}"
            );
        }
    }

    #[test]
    fn words_pack_at_compile_time_as_at_run_time() {
        for w in [
            "",
            "a",
            "mr",
            "a/s",
            "dcm",
            "envoy",
            "chairperson",
            "abcdefghijklmnop",
        ] {
            assert_eq!(pack_const(w.as_bytes()), pack_lower(w.as_bytes()), "{w}");
        }
        assert_eq!(pack_const(b"abcdefghijklmnopq"), None);
        assert_eq!(pack_lower(b"abcdefghijklmnopq"), None);
    }
}
