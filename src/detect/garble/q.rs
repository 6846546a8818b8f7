//! The `garble-q` detector: a stray capital `Q` standing for lost characters inside a word
//! (`traffQked`), for an apostrophe (`doesnQt`, `OsloQs`), or for a quotation mark (`QWater`,
//! `result.Q`).
//!
//! A repair is suggested only when exactly one candidate reads as English: the `Q` replaced
//! by an apostrophe or by one, then two, then three letters, each candidate looked up in the
//! embedded word list ([`crate::detect::words`]); the first length with any word decides, and
//! two words of that length (`iQ` -> `if`, `in`, `it` ...) mean no fix. All-capital tokens
//! (`IRAQ`, `QDR`) and real words and names beginning with Q (`Qatar`) are left alone.

use std::ops::Range;

use crate::detect::runs::find_in_runs;
use crate::detect::words::{is_word, with_prefix};
use crate::detect::{Detector, Document, Hit};
use crate::rules::pattern::LazyRegex;
use crate::rules::schema::{Confidence, MatchOn};

/// Short words whose first letter a `Q` replaced (`Qen` for `When`): flagged, never fixed.
const SHORT_TAILS: &[&str] = &["en", "hen", "ere", "ey", "ith", "hich"];

/// Finds `Q` damage; see the module documentation.
#[derive(Debug)]
pub struct QDetector;

/// A word with a Q, optionally a closing punctuation mark glued before a final Q.
static TOKEN: LazyRegex = LazyRegex::new(r"[A-Za-z]*(?:[.,;:!?]Q|Q)[A-Za-z]*");

impl Detector for QDetector {
    fn needs_raw(&self) -> bool {
        false
    }

    fn reads_structure(&self) -> bool {
        false
    }

    fn detect(&self, doc: &Document<'_>, out: &mut Vec<Hit>) {
        let text = doc.view.text();
        // Every token holds a `Q` and is made of letters and the punctuation before a `Q`.
        let tokens = find_in_runs(&TOKEN, text, b"Q", |b| {
            b.is_ascii_alphabetic() || b".,;:!?".contains(&b)
        });
        for r in tokens {
            let token = &text[r.clone()];
            if !standalone(text, r.clone()) || (token == "Q" && !between_words(text, r.clone())) {
                continue;
            }
            if let Some((fix, note)) = judge(token) {
                out.push(Hit {
                    on: MatchOn::View,
                    span: r,
                    fix,
                    confidence: Some(if note.is_empty() {
                        Confidence::Medium
                    } else {
                        Confidence::High
                    }),
                    note: (!note.is_empty()).then(|| note.to_string()),
                });
            }
        }
    }
}

fn standalone(text: &str, r: Range<usize>) -> bool {
    let before = text[..r.start].chars().next_back();
    let after = text[r.end..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
}

/// A lone `Q` is damage only inside a sentence (`Government Q Civil society`), not as the
/// `Q:` or `Q.` of a transcript.
fn between_words(text: &str, r: Range<usize>) -> bool {
    let mut back = text[..r.start].chars().rev();
    let mut ahead = text[r.end..].chars();
    // Both neighbours are words of two or more characters: `P Q R` is an alphabet.
    back.next() == Some(' ')
        && back.next().is_some_and(char::is_alphanumeric)
        && back.next().is_some_and(char::is_alphanumeric)
        && ahead.next() == Some(' ')
        && ahead.next().is_some_and(char::is_alphanumeric)
        && ahead.next().is_some_and(char::is_alphanumeric)
}

/// `Some((fix, note))` when `token` is damage; the note says which repair was found.
fn judge(token: &str) -> Option<(Option<String>, &'static str)> {
    if token == "Q" {
        return Some((None, ""));
    }
    // `result.Q`; an initial (`A.Q Khan`) is a name, not a quotation's end.
    if let Some(head) = token.strip_suffix('Q')
        && head.ends_with(['.', ',', ';', ':', '!', '?'])
    {
        if head.len() < 3 {
            return None;
        }
        return Some((Some(format!("{head}\u{201d}")), "closing quotation mark"));
    }
    // Capitals first: they settle most tokens (`IRAQ`) without a search of the word list.
    if !token.contains(|c: char| c.is_ascii_lowercase()) && !quoted_word(token) || is_word(token) {
        return None;
    }
    if token.matches('Q').count() > 1 {
        return Some((None, ""));
    }
    let (head, tail) = token.split_once('Q')?;
    // `FAQs`: a short acronym's plural.
    if head.len() < 3 && !head.contains(|c: char| c.is_ascii_lowercase()) && !head.is_empty() {
        return None;
    }
    if head.is_empty() {
        return opening_quote(tail);
    }
    if tail.is_empty() {
        // `AriasQ`: an apostrophe or a closing quote, no way to tell.
        return head
            .contains(|c: char| c.is_ascii_lowercase())
            .then_some((None, ""));
    }
    Some(inner(head, tail))
}

/// `QENERGY`: an all-capital token whose tail is a word.
fn quoted_word(token: &str) -> bool {
    token
        .strip_prefix('Q')
        .is_some_and(|t| t.len() >= 3 && is_word(t))
}

fn opening_quote(tail: &str) -> Option<(Option<String>, &'static str)> {
    // Four letters at least: `Qala`, `Qana` are names, not a quote before `ala`.
    if tail.len() >= 4 && is_word(tail) {
        return Some((Some(format!("\u{201c}{tail}")), "opening quotation mark"));
    }
    SHORT_TAILS.contains(&tail).then_some((None, ""))
}

fn inner(head: &str, tail: &str) -> (Option<String>, &'static str) {
    let apostrophe = format!("{head}'{tail}");
    if is_word(&apostrophe) {
        return (Some(apostrophe), "apostrophe");
    }
    let upper = !head.contains(|c: char| c.is_ascii_lowercase());
    // `yearQs` reads as `year's` and as `yearns`: a word before `Qs` makes it a tie.
    let possessive = tail == "s" && is_word(head);
    for found in letter_repairs(head, tail, upper) {
        if possessive && !found.is_empty() {
            return (None, "");
        }
        match found.len() {
            0 => continue,
            1 => return (found.into_iter().next(), "letters from the word list"),
            _ => return (None, ""),
        }
    }
    if tail == "s" {
        return (Some(format!("{head}'s")), "possessive apostrophe");
    }
    (None, "")
}

/// Most letters put where the `Q` stands.
const MAX_LETTERS: usize = 3;

/// For each `n` from one to [`MAX_LETTERS`], every word made by putting `n` letters where
/// the `Q` stands (at most two are collected: two already mean no repair), in the order of
/// the letters. The list's words that start with `head` are read once for all three
/// lengths, and those with `n` letters `a`-`z` after `head` and then `tail` are kept: what
/// trying every letter string would find.
fn letter_repairs(head: &str, tail: &str, upper: bool) -> [Vec<String>; MAX_LETTERS] {
    let tail_lower = tail.to_ascii_lowercase();
    let h = head.len();
    let mut found: [Vec<String>; MAX_LETTERS] = Default::default();
    for w in with_prefix(head) {
        let b = w.as_bytes();
        // The letters put in: the word less `head` and `tail`.
        let Some(n) = b.len().checked_sub(h + tail.len()) else {
            continue;
        };
        let Some(slot) = n.checked_sub(1).and_then(|k| found.get_mut(k)) else {
            continue;
        };
        let letters = &b[h..h + n];
        if slot.len() > 1
            || !letters.iter().all(u8::is_ascii_lowercase)
            || &b[h + n..] != tail_lower.as_bytes()
        {
            continue;
        }
        let mut candidate = String::with_capacity(b.len());
        candidate.push_str(head);
        candidate.extend(
            letters
                .iter()
                .map(|&c| char::from(if upper { c.to_ascii_uppercase() } else { c })),
        );
        candidate.push_str(tail);
        slot.push(candidate);
        if found.iter().all(|f| f.len() > 1) {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every letter string tried in turn, pruned by prefix: the reference for
    /// [`letter_repairs`].
    fn letter_repairs_tried(head: &str, tail: &str, n: usize, upper: bool) -> Vec<String> {
        fn fill(stem: &mut String, tail: &str, left: usize, upper: bool, found: &mut Vec<String>) {
            if found.len() > 1 {
                return;
            }
            if left == 0 {
                let candidate = format!("{stem}{tail}");
                if is_word(&candidate) {
                    found.push(candidate);
                }
                return;
            }
            for letter in b'a'..=b'z' {
                let c = char::from(letter);
                stem.push(if upper { c.to_ascii_uppercase() } else { c });
                if with_prefix(stem).next().is_some() {
                    fill(stem, tail, left - 1, upper, found);
                }
                stem.pop();
            }
        }
        let mut found = Vec::new();
        fill(&mut head.to_string(), tail, n, upper, &mut found);
        found
    }

    #[test]
    fn letter_repairs_find_what_trying_every_letter_finds() {
        let cases = [
            ("traff", "ked"),
            ("i", ""),
            ("relationshi", "s"),
            ("TRAFF", "KED"),
            ("Gover", "ment"),
            ("cou", "d"),
            ("s", "e"),
            ("a", "t"),
            ("be", "ween"),
            ("zzz", "q"),
            ("wa", "er"),
        ];
        for (head, tail) in cases {
            for upper in [false, true] {
                let found = letter_repairs(head, tail, upper);
                for n in 1..=MAX_LETTERS {
                    assert_eq!(
                        found[n - 1],
                        letter_repairs_tried(head, tail, n, upper),
                        "{head}Q{tail}, {n} letters, upper {upper}"
                    );
                }
            }
        }
    }

    #[test]
    fn repairs_only_when_one_candidate_reads_as_english() {
        assert_eq!(judge("traffQked").unwrap().0.as_deref(), Some("trafficked"));
        assert_eq!(judge("doesnQt").unwrap().0.as_deref(), Some("doesn't"));
        assert_eq!(judge("OsloQs").unwrap().0.as_deref(), Some("Oslo's"));
        assert_eq!(judge("QWater").unwrap().0.as_deref(), Some("\u{201c}Water"));
        assert_eq!(
            judge("result.Q").unwrap().0.as_deref(),
            Some("result.\u{201d}")
        );
        assert_eq!(judge("iQ").unwrap().0, None);
        assert_eq!(judge("yearQs").unwrap().0, None);
        assert_eq!(
            judge("relationshiQs").unwrap().0.as_deref(),
            Some("relationships")
        );
        assert_eq!(judge("A.Q"), None);
    }

    #[test]
    fn capitals_and_names_with_q_are_not_damage() {
        for t in ["IRAQ", "QATAR", "Qatar", "Qadhafi", "AQIM", "FAQs", "Qala"] {
            assert_eq!(judge(t), None, "{t}");
        }
    }
}
