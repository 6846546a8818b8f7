//! The `garble-quotes` detector: quotation marks damaged in conversion.
//!
//! - Doubled quotes left by CSV escaping (`""word`, `word,""`): each damaged token, repaired by
//!   halving the quotes.
//! - `&...8`: a curly opening quote turned into `&` and a closing one into `8` (`&fair deal8`,
//!   `&Filed ... Review.8`). A pair within two words is one finding; longer quotations
//!   give one finding per end. A lone `8` after a word counts only in a document that also has
//!   an `&` opener, so model numbers stay quiet elsewhere.
//! - `¬` standing for an opening quote.
//!
//! Repairs use curly quotes (`“`, `”`), which is what the damaged characters stood for.

use std::ops::Range;

use crate::detect::runs::find_in_runs;
use crate::detect::{Detector, Document, Hit};
use crate::rules::pattern::LazyRegex;
use crate::rules::schema::{Confidence, MatchOn};

/// Finds quote damage; see the module documentation.
#[derive(Debug)]
pub struct QuoteDetector;

/// A token with a doubled quote.
static DOUBLED: LazyRegex =
    LazyRegex::new(r#"[^\s"]*""[^\s"]*[A-Za-z][^\s"]*(?:""[^\s"]*)?|[^\s"]*[A-Za-z][^\s"]*"""#);
/// An `&` for an opening quote, and the word it opens (group 1).
static OPENER: LazyRegex = LazyRegex::new(r"(?:^|[\s(])(&[A-Za-z][^\s&]*)");
/// A word ending in an `8` for a closing quote (group 1).
static CLOSER: LazyRegex = LazyRegex::new(r"(?:^|\s)([A-Za-z&][^\s]*[a-z][.,;:!?]?8)(?:$|[\s)])");

/// The spans of group 1 of `re`'s matches in `text`; none if `re` does not compile.
fn group_1(re: &LazyRegex, text: &str) -> Vec<Range<usize>> {
    re.get().map_or_else(Vec::new, |re| {
        re.captures_iter(text)
            .filter_map(|c| c.get_group(1))
            .map(|s| s.range())
            .collect()
    })
}

impl Detector for QuoteDetector {
    fn needs_raw(&self) -> bool {
        false
    }

    fn reads_structure(&self) -> bool {
        false
    }

    fn detect(&self, doc: &Document<'_>, out: &mut Vec<Hit>) {
        let text = doc.view.text();
        // Every doubled-quote token holds `""` and no blank.
        for r in find_in_runs(&DOUBLED, text, b"\"\"", |b| !b.is_ascii_whitespace()) {
            let fix = text[r.clone()].replace("\"\"", "\"");
            out.push(hit(r, fix, "doubled quotes"));
        }
        self.ampersand_pairs(text, out);
        // `¬` is two bytes; `memmem` finds them many bytes at a time where the standard
        // library's search reads about one byte per instruction.
        for i in memchr::memmem::find_iter(text.as_bytes(), "¬") {
            let r = i..i + '¬'.len_utf8();
            out.push(hit(r, "\u{201c}".to_string(), "`¬` for an opening quote"));
        }
    }
}

impl QuoteDetector {
    fn ampersand_pairs(&self, text: &str, out: &mut Vec<Hit>) {
        if memchr::memchr(b'&', text.as_bytes()).is_none() {
            // Every opener holds an `&`; closers count only beside an opener.
            return;
        }
        let openers = group_1(&OPENER, text);
        if openers.is_empty() {
            return;
        }
        let closers = group_1(&CLOSER, text);
        let mut used = vec![false; closers.len()];
        for o in &openers {
            // Only the first closer after the opener can pair with it: a later one's span
            // holds that one's, so it is no shorter and holds any `&` that one does. The
            // closers do not overlap, so their ends rise: a binary search finds it (a search
            // from the first closer for every opener was quadratic in a long document).
            let first = closers.partition_point(|c| c.end < o.end);
            let pair = Some(first)
                .filter(|&j| j < closers.len())
                .filter(|&j| short_quote(&text[o.start..closers[j].end]));
            match pair {
                Some(j) => {
                    used[j] = true;
                    let r = o.start..closers[j].end;
                    out.push(hit(r.clone(), repair(&text[r]), "`&...8` quotation marks"));
                }
                None => out.push(hit(
                    o.clone(),
                    repair(&text[o.clone()]),
                    "`&` for an opening quote",
                )),
            }
        }
        for (c, _) in closers.iter().zip(&used).filter(|(_, u)| !**u) {
            out.push(hit(
                c.clone(),
                repair(&text[c.clone()]),
                "`8` for a closing quote",
            ));
        }
    }
}

/// An opener and a closer at most two words apart, with no other opener between.
fn short_quote(span: &str) -> bool {
    span.split_whitespace().nth(2).is_none() && !span[1..].contains('&')
}

fn repair(s: &str) -> String {
    let mut out = s
        .strip_prefix('&')
        .map_or_else(|| s.to_string(), |t| format!("\u{201c}{t}"));
    if out.ends_with('8') {
        out.pop();
        out.push('\u{201d}');
    }
    out
}

fn hit(span: Range<usize>, fix: String, note: &str) -> Hit {
    Hit {
        on: MatchOn::View,
        span,
        fix: Some(fix),
        confidence: Some(Confidence::High),
        note: Some(note.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ampersand_quotes_become_curly() {
        assert_eq!(repair("&fair deal8"), "\u{201c}fair deal\u{201d}");
        assert_eq!(repair("&Filed"), "\u{201c}Filed");
        assert_eq!(repair("Review.8"), "Review.\u{201d}");
    }

    /// The spans `ampersand_pairs` reports in `text`, with their notes.
    fn pairs(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        QuoteDetector.ampersand_pairs(text, &mut out);
        out.iter()
            .map(|h| {
                (
                    text[h.span.clone()].to_string(),
                    h.note.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn an_opener_pairs_with_the_first_closer_after_it_or_none() {
        let pair = "`&...8` quotation marks".to_string();
        let open = "`&` for an opening quote".to_string();
        let close = "`8` for a closing quote".to_string();
        assert_eq!(
            pairs("said &fair deal8 and then later8 x"),
            [
                ("&fair deal8".into(), pair.clone()),
                ("later8".into(), close.clone())
            ]
        );
        // The first closer is three words on: the opener stands alone, and so do both
        // closers, however short the later one's own quote would be.
        assert_eq!(
            pairs("said &a fair deal8 and now8 x"),
            [
                ("&a".into(), open),
                ("deal8".into(), close.clone()),
                ("now8".into(), close)
            ]
        );
    }

    /// `ampersand_pairs` as first written, each opener's closer found by a search from the
    /// first closer: the reference the binary search is held to.
    fn pairs_by_linear_search(text: &str) -> Vec<(String, String)> {
        let (openers, closers) = (group_1(&OPENER, text), group_1(&CLOSER, text));
        if openers.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut used = vec![false; closers.len()];
        for o in &openers {
            let pair = closers
                .iter()
                .position(|c| c.end >= o.end)
                .filter(|&j| short_quote(&text[o.start..closers[j].end]));
            match pair {
                Some(j) => {
                    used[j] = true;
                    out.push((o.start..closers[j].end, "`&...8` quotation marks"));
                }
                None => out.push((o.clone(), "`&` for an opening quote")),
            }
        }
        for (c, _) in closers.iter().zip(&used).filter(|(_, u)| !**u) {
            out.push((c.clone(), "`8` for a closing quote"));
        }
        out.into_iter()
            .map(|(r, note)| (text[r].to_string(), note.to_string()))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn the_first_closer_is_found_as_a_search_from_the_first_one_finds_it(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "&fair", "deal8", "&a", "now8", "&x8", "word", "(&in", "out8)", "Review.8",
                    "&", "8", "and",
                ]),
                0..30,
            ),
        ) {
            let text = words.join(" ");
            proptest::prop_assert_eq!(pairs(&text), pairs_by_linear_search(&text));
        }
    }

    #[test]
    fn pairs_are_short_and_within_a_sentence() {
        assert!(short_quote("&fair deal8"));
        assert!(short_quote("&Mel8"));
        assert!(!short_quote("&Filed for Review.8"));
    }
}
