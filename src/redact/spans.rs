//! Span arithmetic for redaction: whole-token widening, other mentions of a name, and the
//! merging of overlapping spans. All ranges are original-file byte ranges.

use std::borrow::Cow;
use std::ops::Range;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The character starting at `at` and its length in bytes; `None` for a byte that is not
/// valid UTF-8 (then of length 1).
fn char_after(bytes: &[u8], at: usize) -> Option<(Option<char>, usize)> {
    let first = *bytes.get(at)?;
    let len = match first {
        // Most text is ASCII: a byte below 0x80 is its own character.
        0x00..=0x7f => return Some((Some(char::from(first)), 1)),
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return Some((None, 1)),
    };
    let decoded = bytes
        .get(at..at + len)
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|s| s.chars().next());
    Some(match decoded {
        Some(c) => (Some(c), len),
        None => (None, 1),
    })
}

/// The character ending at `at` and its length in bytes; `None` for an invalid byte.
fn char_before(bytes: &[u8], at: usize) -> Option<(Option<char>, usize)> {
    let last = at.checked_sub(1)?;
    let mut i = last;
    while i + 3 > last && i > 0 && (0x80..=0xbf).contains(&bytes[i]) {
        i -= 1;
    }
    match char_after(bytes, i) {
        Some((Some(c), len)) if i + len == at => Some((Some(c), len)),
        _ => Some((None, 1)),
    }
}

/// Widen `span` to whole tokens: a redaction never leaves part of a word behind
/// (`Pat` of `Patten` becomes `Patten`; `Patten` of `Patten's` or `Patten’s` stays, the `'s`
/// is a token of its own). A byte that is not UTF-8 counts as part of a word: widening over
/// it only redacts more.
///
/// ```
/// use redline::redact::spans::whole_tokens;
/// assert_eq!(whole_tokens(b"Mr. Patten's car", 5..7), 4..10);
/// ```
pub fn whole_tokens(bytes: &[u8], span: Range<usize>) -> Range<usize> {
    let word = |c: Option<(Option<char>, usize)>| match c {
        Some((ch, n)) if ch.is_none_or(is_word_char) => Some(n),
        _ => None,
    };
    let mut start = span.start.min(bytes.len());
    let mut end = span.end.clamp(start, bytes.len());
    // Most spans stand between ASCII bytes that are no word characters (or the ends of the
    // document): there is nothing to widen.
    let stop = |b: Option<&u8>| b.is_none_or(|&b| b.is_ascii() && !is_word_char(char::from(b)));
    if stop(start.checked_sub(1).and_then(|i| bytes.get(i))) && stop(bytes.get(end)) {
        return start..end;
    }
    if start < end && word(char_after(bytes, start)).is_some() {
        while let Some(n) = word(char_before(bytes, start)) {
            start -= n;
        }
    }
    if start < end && word(char_before(bytes, end)).is_some() {
        while let Some(n) = word(char_after(bytes, end)) {
            end += n;
        }
    }
    start..end
}

/// Whether `bytes[span]` stands alone: no word character glued to either end. A byte that
/// is not UTF-8 does not glue: a mention next to one is still redacted.
fn stands_alone(bytes: &[u8], span: &Range<usize>) -> bool {
    let glued =
        |c: Option<(Option<char>, usize)>| matches!(c, Some((Some(ch), _)) if is_word_char(ch));
    !glued(char_before(bytes, span.start)) && !glued(char_after(bytes, span.end))
}

/// Every place in `bytes` where the text of `span` is mentioned again, as whole tokens.
///
/// A mention may be hard-wrapped differently. For `names` (person findings), the mention may
/// also be in capitals or title case, and the surname alone (the last token of three or more
/// letters) counts as a mention: `Jane Roe` is mentioned again by `ROE`.
///
/// The search is that of the regular expression `form|form|...`, each form its tokens
/// joined by `\s+` for names (else `\s*`), leftmost-first and without overlaps, keeping the
/// matches that stand alone; it is done with literal searches instead because a regular
/// expression compiled per finding cost more than the scan of the document itself.
pub fn mentions(bytes: &[u8], span: &Range<usize>, names: bool) -> Vec<Range<usize>> {
    mentions_in(&mut Haystack::new(bytes), span, names)
}

/// Bytes that searching for a document's keys one by one may read in all before they are
/// searched for at once instead ([`Haystack::index`]). A cable with a hundred names is far
/// below it; one line of 4 MB with thousands of names was read once per name, quadratic in
/// the document's length.
pub(crate) const INDEX_ABOVE: usize = 1 << 26;

/// A document prepared for [`mentions_in`]: its bytes and a copy with ASCII letters in
/// lower case, where one search finds a word in all its cases (`Roe`, `ROE`) at once. A
/// caller looking for the mentions of several findings prepares the document once, and a
/// key is searched for once however many findings look for it (`Jane Roe`, `Roe` and `ROE`
/// all look for `roe`).
#[derive(Debug)]
pub(crate) struct Haystack<'a> {
    bytes: &'a [u8],
    folded: Vec<u8>,
    /// Every start of each key searched for so far in `folded`, overlapping ones too, in
    /// order; sorted by key. A cable looks for a few dozen keys: a binary search finds one
    /// without hashing it (a `HashMap` cost as much as the searches it saved, a `BTreeMap`
    /// 4% of planning more than this list). Inserting moves the entries after the key: at
    /// most `keys²/2` moves in all, of the order of the `keys × length` bytes the searches
    /// read anyway (a key is a word, so a document has fewer keys than bytes), which
    /// [`INDEX_ABOVE`] bounds.
    starts: Vec<(Vec<u8>, Vec<usize>)>,
}

impl<'a> Haystack<'a> {
    /// `bytes` prepared for searching.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Haystack {
            bytes,
            folded: bytes.to_ascii_lowercase(),
            starts: Vec::new(),
        }
    }

    /// Search for all of `keys` ([`mention_keys`]) in one pass, when searching for them one
    /// by one would read more than [`INDEX_ABOVE`] bytes. Keys left out are searched for one
    /// by one, as before.
    pub(crate) fn index(&mut self, keys: Vec<Vec<u8>>) {
        if keys.len().saturating_mul(self.folded.len()) > INDEX_ABOVE {
            self.index_now(keys);
        }
    }

    fn index_now(&mut self, mut keys: Vec<Vec<u8>>) {
        keys.retain(|k| !k.is_empty() && self.position(k).is_err());
        keys.sort_unstable();
        keys.dedup();
        let Ok(automaton) = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&keys)
        else {
            return;
        };
        let mut starts: Vec<Vec<usize>> = vec![Vec::new(); keys.len()];
        // Overlapping matches come in the order of their ends, so each key's (all of one
        // length) in the order of their starts.
        for m in automaton.find_overlapping_iter(&self.folded) {
            if let Some(list) = starts.get_mut(m.pattern().as_usize()) {
                list.push(m.start());
            }
        }
        self.starts.extend(keys.into_iter().zip(starts));
        self.starts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }

    /// Where `key` is or would go in `starts`.
    fn position(&self, key: &[u8]) -> Result<usize, usize> {
        self.starts.binary_search_by(|(k, _)| k.as_slice().cmp(key))
    }

    /// Every start of `key` in the folded copy, overlapping ones too, in order: searched for
    /// the first time it is asked for, remembered after.
    fn starts(&mut self, key: &[u8]) -> &[usize] {
        let at = match self.position(key) {
            Ok(at) => at,
            Err(at) => {
                let finder = memchr::memmem::Finder::new(key);
                let mut found = Vec::new();
                let mut from = 0;
                while let Some(i) = self.folded.get(from..).and_then(|b| finder.find(b)) {
                    found.push(from + i);
                    from += i + 1;
                }
                self.starts.insert(at, (key.to_vec(), found));
                at
            }
        };
        self.starts
            .get(at)
            .map_or(&[], |(_, found)| found.as_slice())
    }
}

/// The keys [`mentions_in`] searches the folded document for to find the mentions of
/// `text`: each form's first token, ASCII letters in lower case.
pub(crate) fn mention_keys(text: &[u8], names: bool) -> Vec<Vec<u8>> {
    forms(&String::from_utf8_lossy(text), names)
        .iter()
        .filter_map(|f| f.first().map(|t| key(t).into_owned()))
        .collect()
}

/// [`mentions`] in a prepared document.
pub(crate) fn mentions_in(
    hay: &mut Haystack<'_>,
    span: &Range<usize>,
    names: bool,
) -> Vec<Range<usize>> {
    let bytes = hay.bytes;
    let Some(text) = bytes.get(span.clone()) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(text);
    let forms = forms(&text, names);
    // Each form's first token with ASCII letters in lower case: where a form matches, its
    // first token's key stands in the folded copy, so one search per key finds the places
    // of every form starting with it (in any case); `form_at` then matches exactly.
    let keys: Vec<Option<Cow<'_, [u8]>>> =
        forms.iter().map(|f| f.first().map(|t| key(t))).collect();
    // Every place where some form matches, with the form's rank: the order of the
    // alternatives, which decides between matches that start at the same byte.
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    for (rank, key) in keys.iter().enumerate() {
        let Some(key) = key else {
            continue;
        };
        if keys[..rank].iter().any(|k| k.as_ref() == Some(key)) {
            // Searched for with an earlier form sharing this key.
            continue;
        }
        // The forms starting with this key, by rank.
        let sharing: Vec<(usize, &Form<'_>)> = forms
            .iter()
            .enumerate()
            .skip(rank)
            .filter(|(r, _)| keys.get(*r).is_some_and(|k| k.as_ref() == Some(key)))
            .collect();
        // Overlapping occurrences too (`find_iter` skips them): one may start inside
        // another.
        for &start in hay.starts(key) {
            for &(rank, form) in &sharing {
                if let Some(end) = form_at(bytes, start, form, names) {
                    found.push((start, rank, end));
                }
            }
        }
    }
    found.sort_unstable();
    let mut out = Vec::new();
    let mut at = 0;
    for (start, _, end) in found {
        if start < at {
            continue;
        }
        at = end;
        let r = start..end;
        if r != *span && stands_alone(bytes, &r) {
            out.push(r);
        }
    }
    out
}

/// A token of a form, borrowed from the finding's text wherever the case mapping leaves
/// it as it is (most of a cable's names are already in one of the cases).
type Form<'t> = Vec<Cow<'t, str>>;

/// The token lists a mention of `text` may take, in order of preference, without repeats:
/// as found, then for names the surname alone, then each in capitals and in title case.
fn forms(text: &str, names: bool) -> Vec<Form<'_>> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut forms: Vec<Form<'_>> = Vec::with_capacity(if names { 6 } else { 1 });
    forms.push(tokens.iter().map(|&t| Cow::Borrowed(t)).collect());
    if names {
        let surname = tokens.len().saturating_sub(1);
        let surname = tokens
            .get(surname..)
            .filter(|t| t.first().is_some_and(|t| is_surname(t)));
        if let Some(last) = surname {
            forms.push(last.iter().map(|&t| Cow::Borrowed(t)).collect());
        }
        for base in std::iter::once(&tokens[..]).chain(surname) {
            forms.push(base.iter().map(|t| upper(t)).collect());
            forms.push(base.iter().map(|t| title_case(t)).collect());
        }
    }
    let mut unique: Vec<Form<'_>> = Vec::with_capacity(forms.len());
    for f in forms {
        // A repeated form can never win: the first one matches the same bytes.
        if !f.is_empty() && !unique.contains(&f) {
            unique.push(f);
        }
    }
    unique
}

/// The key a form's first token is searched for by: its ASCII letters in lower case.
fn key(token: &str) -> Cow<'_, [u8]> {
    if token.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(token.as_bytes().to_ascii_lowercase())
    } else {
        Cow::Borrowed(token.as_bytes())
    }
}

/// `token` in capitals, as `str::to_uppercase` writes it.
fn upper(token: &str) -> Cow<'_, str> {
    if token.is_ascii() {
        return if token.bytes().any(|b| b.is_ascii_lowercase()) {
            Cow::Owned(token.to_ascii_uppercase())
        } else {
            Cow::Borrowed(token)
        };
    }
    let u = token.to_uppercase();
    if u == token {
        Cow::Borrowed(token)
    } else {
        Cow::Owned(u)
    }
}

/// The end of `form` matched at `start`: its tokens in order, the first at `start`, each
/// next one after a run of white space (`\s+` for names, `\s*` otherwise). A token never
/// starts with white space, so taking the whole run is the only way to match.
fn form_at(bytes: &[u8], start: usize, form: &[Cow<'_, str>], names: bool) -> Option<usize> {
    let mut at = start;
    for (i, token) in form.iter().enumerate() {
        if i > 0 {
            let blank = white_space_run(bytes, at);
            if names && blank == 0 {
                return None;
            }
            at += blank;
        }
        let rest = bytes.get(at..)?;
        if !rest.starts_with(token.as_bytes()) {
            return None;
        }
        at += token.len();
    }
    Some(at)
}

/// The length in bytes of the run of white space (`char::is_whitespace`, the Unicode
/// `White_Space` property, as `\s` of a regular expression) starting at `at`.
fn white_space_run(bytes: &[u8], at: usize) -> usize {
    let mut end = at;
    while let Some((Some(c), n)) = char_after(bytes, end) {
        if !c.is_whitespace() {
            break;
        }
        end += n;
    }
    end - at
}

/// Words that end a person finding without being a surname: titles and roles (`Foreign
/// Minister`), months and days. Redacting every `Minister` of a cable because one finding
/// ended in it would black out the text and hide nothing.
const NOT_SURNAMES: &[&str] = &[
    "ambassador",
    "adviser",
    "advisor",
    "chairman",
    "chief",
    "commander",
    "consul",
    "counselor",
    "deputy",
    "director",
    "embassy",
    "general",
    "government",
    "governor",
    "king",
    "minister",
    "ministry",
    "officer",
    "president",
    "prime",
    "queen",
    "secretary",
    "senator",
    "speaker",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A token that can stand for its person alone: a capitalised word of three letters or
/// more, not an initial, an abbreviation, a title or a date word.
fn is_surname(t: &str) -> bool {
    t.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && !t.ends_with('.')
        && t.chars().next().is_some_and(char::is_uppercase)
        && !if t.is_ascii() {
            NOT_SURNAMES.iter().any(|w| w.eq_ignore_ascii_case(t))
        } else {
            NOT_SURNAMES.contains(&t.to_lowercase().as_str())
        }
}

/// `token` in title case: its first character in capitals, the rest in lower case.
fn title_case(token: &str) -> Cow<'_, str> {
    // An ASCII word maps case byte by byte, as the Unicode mappings do for ASCII.
    if token.is_ascii() {
        let b = token.as_bytes();
        let first_ok = !b.first().is_some_and(u8::is_ascii_lowercase);
        if first_ok && !b.iter().skip(1).any(u8::is_ascii_uppercase) {
            return Cow::Borrowed(token);
        }
        let mut s = token.to_ascii_lowercase();
        if let Some(first) = s.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        return Cow::Owned(s);
    }
    let mut cs = token.chars();
    let t: String = match cs.next() {
        Some(first) => first
            .to_uppercase()
            .chain(cs.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    };
    if t == token {
        Cow::Borrowed(token)
    } else {
        Cow::Owned(t)
    }
}

/// Merge items whose ranges (`span` reaches each item's) overlap or touch. `items` must be
/// sorted by start; each merged group is its first item with the union of the ranges, and
/// no item is moved more than once.
pub fn merge<T>(items: Vec<T>, span: impl Fn(&mut T) -> &mut Range<usize>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for mut item in items {
        let r = span(&mut item).clone();
        match out.last_mut().map(&span) {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(item),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn texts<'a>(bytes: &'a [u8], rs: &[Range<usize>]) -> Vec<&'a str> {
        rs.iter()
            .map(|r| std::str::from_utf8(&bytes[r.clone()]).unwrap())
            .collect()
    }

    /// Title case as the character-by-character mapping writes it: the reference.
    fn title_by_chars(t: &str) -> String {
        let mut cs = t.chars();
        cs.next().map_or_else(String::new, |first| {
            first
                .to_uppercase()
                .chain(cs.flat_map(char::to_lowercase))
                .collect()
        })
    }

    #[test]
    fn case_forms_are_the_unicode_mappings() {
        let words = [
            "",
            "a",
            "roe",
            "ROE",
            "Roe",
            "rOE",
            "McDonald",
            "mcDONALD",
            "o'brien",
            "al-QADHAFI",
            "x7",
            "7x",
            "Émile",
            "ÉMILE",
            "straße",
            "ǆemal",
            "İstanbul",
        ];
        for w in words {
            assert_eq!(title_case(w), title_by_chars(w), "{w}");
            assert_eq!(upper(w), w.to_uppercase(), "{w}");
            assert_eq!(key(w).as_ref(), w.as_bytes().to_ascii_lowercase(), "{w}");
        }
    }

    #[test]
    fn forms_are_the_text_and_its_surname_as_found_in_capitals_and_in_title_case() {
        // The forms as first built, every token owned: the reference.
        let reference = |text: &str, names: bool| -> Vec<Vec<String>> {
            let tokens: Vec<&str> = text.split_whitespace().collect();
            let mut forms: Vec<Vec<String>> = vec![tokens.iter().map(|t| t.to_string()).collect()];
            if names {
                if let Some(last) = tokens.last().filter(|t| is_surname(t)) {
                    forms.push(vec![last.to_string()]);
                }
                let cased: Vec<Vec<String>> = forms
                    .iter()
                    .flat_map(|f| {
                        [
                            f.iter().map(|t| t.to_uppercase()).collect(),
                            f.iter().map(|t| title_by_chars(t)).collect(),
                        ]
                    })
                    .collect();
                forms.extend(cased);
            }
            let mut unique: Vec<Vec<String>> = Vec::new();
            for f in forms {
                if !f.is_empty() && !unique.contains(&f) {
                    unique.push(f);
                }
            }
            unique
        };
        for text in [
            "Jane Q. Roe",
            "JANE ROE",
            "jane roe",
            "Roe",
            "Foreign Minister",
            "Zo\u{eb} \u{c9}MILE Stra\u{df}e",
            "Q.",
            "al-QADHAFI",
            "+1-202-555-01\n23",
            "",
        ] {
            for names in [true, false] {
                let got: Vec<Vec<String>> = forms(text, names)
                    .iter()
                    .map(|f| f.iter().map(|t| t.to_string()).collect())
                    .collect();
                assert_eq!(got, reference(text, names), "{text:?} {names}");
            }
        }
    }

    #[test]
    fn widening_never_leaves_part_of_a_word() {
        let t = "Ms. Zoë Quillfeather-Smith said".as_bytes();
        assert_eq!(&t[whole_tokens(t, 5..7)], "Zoë".as_bytes());
        assert_eq!(&t[whole_tokens(t, 9..12)], b"Quillfeather");
        assert_eq!(whole_tokens(t, 3..4), 3..4, "a blank is not widened");
        assert_eq!(
            whole_tokens(t, 40..50),
            t.len()..t.len(),
            "out of range is clamped"
        );
    }

    #[test]
    fn mentions_find_the_name_again_in_any_case_and_wrap() {
        let t = b"Officer Jane Q. \nRoe met us. Jane Q. Roe left; ROE signs. Roeland no. Jane Q.";
        let found = mentions(t, &(8..20), true);
        assert_eq!(texts(t, &found), ["Jane Q. Roe", "ROE"]);
    }

    #[test]
    fn curly_apostrophes_and_dashes_end_a_token() {
        let t = "Britain’s Roe—said, then Roe’s car".as_bytes();
        assert_eq!(&t[whole_tokens(t, 0..4)], b"Britain");
        let roe = 12..15;
        assert_eq!(&t[roe.clone()], b"Roe");
        assert_eq!(whole_tokens(t, roe.clone()), roe);
        let found = mentions(t, &roe, true);
        assert_eq!(texts(t, &found), ["Roe"], "the mention before ’s counts");
        let bad = b"ab\xffcd Roe";
        assert_eq!(whole_tokens(bad, 0..1), 0..5, "an invalid byte widens");
    }

    #[test]
    fn a_title_ending_a_finding_is_not_a_surname() {
        let t = b"Foreign Minister said; the Minister left; MINISTER.";
        assert!(mentions(t, &(0..16), true).is_empty());
    }

    #[test]
    fn mentions_of_a_number_ignore_wraps_inside_it() {
        let t = b"at +1-202-555-01\n23 or +1-202-555-0123 or +1-202-555-01234";
        let found = mentions(t, &(3..19), false);
        assert_eq!(texts(t, &found), ["+1-202-555-0123"]);
    }

    /// The regular expression `mentions` stands for, as it was once built per finding.
    fn mentions_by_regex(bytes: &[u8], span: &Range<usize>, names: bool) -> Vec<Range<usize>> {
        let text = String::from_utf8_lossy(&bytes[span.clone()]).into_owned();
        let joiner = if names { r"\s+" } else { r"\s*" };
        // The same forms (a repeated alternative never changed what the regex matched); what
        // this compares is the search: one regex of alternatives against literal searches.
        let alternatives: Vec<String> = forms(&text, names)
            .iter()
            .filter(|f| !f.is_empty())
            .map(|f| {
                f.iter()
                    .map(|t| regex::escape(t))
                    .collect::<Vec<_>>()
                    .join(joiner)
            })
            .collect();
        if alternatives.is_empty() {
            return Vec::new();
        }
        let re = regex::bytes::Regex::new(&format!("(?:{})", alternatives.join("|"))).unwrap();
        re.find_iter(bytes)
            .map(|m| m.range())
            .filter(|r| r != span && stands_alone(bytes, r))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn mentions_are_those_of_the_regular_expression(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "Roe", "ROE", "roe", "Jane", "JANE", "Q.", "Roeland", "Ro", "e", " ", "  ",
                "\n", "\r\n", "\t", "\u{a0}", "\u{2028}", "\u{85}", "-", ".", "\u{e9}", "\u{c9}",
                "Zo\u{eb}", "ZO\u{cb}", "1-2", "12", "\u{fffd}",
            ]), 0..24),
            invalid in proptest::option::of(0usize..24),
            a in 0usize..64,
            b in 0usize..64,
            names: bool,
        ) {
            let mut bytes: Vec<u8> = parts.concat().into_bytes();
            if let Some(i) = invalid.filter(|i| *i < bytes.len()) {
                bytes[i] = 0xff;
            }
            let (a, b) = (a.min(bytes.len()), b.min(bytes.len()));
            let span = a.min(b)..a.max(b);
            let found = mentions(&bytes, &span, names);
            proptest::prop_assert_eq!(&found, &mentions_by_regex(&bytes, &span, names));
            // The keys searched for at once, as in a long document, find the same.
            let mut hay = Haystack::new(&bytes);
            let keys = mention_keys(&bytes[span.clone()], names);
            hay.index_now(keys.clone());
            proptest::prop_assert!(keys.iter().all(|k| k.is_empty() || hay.position(k).is_ok()));
            proptest::prop_assert_eq!(&mentions_in(&mut hay, &span, names), &found);
            // Asked again, the keys' starts are remembered: the same mentions.
            proptest::prop_assert_eq!(&mentions_in(&mut hay, &span, names), &found);
            // Searched for one by one and remembered, in a fresh document.
            let mut fresh = Haystack::new(&bytes);
            proptest::prop_assert_eq!(&mentions_in(&mut fresh, &span, names), &found);
            proptest::prop_assert_eq!(&mentions_in(&mut fresh, &span, names), &found);
        }
    }

    #[test]
    fn merge_joins_overlapping_and_touching_spans() {
        let m = merge(
            vec![(0..3, 'a'), (2..5, 'b'), (5..6, 'c'), (8..9, 'd')],
            |(r, _)| r,
        );
        assert_eq!(m, vec![(0..6, 'a'), (8..9, 'd')]);
    }
}
