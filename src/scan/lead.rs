//! Whether every match of a pattern starts with one of its rule's keywords: then a keyword
//! hit is where a match starts, and the pattern's search window can start there instead of a
//! whole match length before it.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Most leading texts followed through alternations and classes before giving up.
const MOST: usize = 64;

/// Whether every match of `hir` starts with one of `keywords`, as the keyword automaton
/// finds them (ASCII letters in either case, every other byte as it is).
pub(crate) fn starts_with_keyword(hir: &Hir, keywords: &[String]) -> bool {
    let keywords: Vec<Vec<u8>> = keywords
        .iter()
        .map(|k| k.as_bytes().to_ascii_lowercase())
        .filter(|k| !k.is_empty())
        .collect();
    let Some(want) = keywords.iter().map(Vec::len).max() else {
        return false;
    };
    leads(hir, want).is_some_and(|texts| {
        texts
            .iter()
            .all(|t| keywords.iter().any(|k| t.text.starts_with(k)))
    })
}

/// A text every match (of one way through a pattern) starts with, lower-cased.
#[derive(Debug, Clone)]
struct Lead {
    text: Vec<u8>,
    /// The text is the whole match of this way, so what follows in a concatenation goes on
    /// from it; otherwise nothing is known after it.
    whole: bool,
}

/// The texts the matches of `hir` start with, followed until `want` bytes: one per way
/// through it, together covering every match. `None` when a match may start with something
/// unknown (a class of many characters, an optional part, a non-ASCII case variant).
fn leads(hir: &Hir, want: usize) -> Option<Vec<Lead>> {
    let one = |text: Vec<u8>| Some(vec![Lead { text, whole: true }]);
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => one(Vec::new()),
        HirKind::Literal(lit) => one(lit.0.to_ascii_lowercase()),
        HirKind::Class(class) => one(vec![single_byte(class)?]),
        HirKind::Capture(c) => leads(&c.sub, want),
        HirKind::Repetition(r) if r.min >= 1 => {
            let whole = r.max == Some(1);
            let mut out = leads(&r.sub, want)?;
            for l in &mut out {
                l.whole &= whole;
            }
            Some(out)
        }
        HirKind::Repetition(_) => None,
        HirKind::Alternation(ways) => {
            let mut out = Vec::new();
            for w in ways {
                out.extend(leads(w, want)?);
                if out.len() > MOST {
                    return None;
                }
            }
            Some(out)
        }
        HirKind::Concat(items) => {
            let mut out = vec![Lead {
                text: Vec::new(),
                whole: true,
            }];
            for item in items {
                if out.iter().all(|l| !l.whole || l.text.len() >= want) {
                    break;
                }
                let Some(next) = leads(item, want) else {
                    // What follows is unknown: the texts so far still start every match.
                    for l in &mut out {
                        l.whole = false;
                    }
                    break;
                };
                let mut grown = Vec::new();
                for l in out {
                    if !l.whole || l.text.len() >= want {
                        grown.push(l);
                        continue;
                    }
                    for n in &next {
                        let mut text = l.text.clone();
                        text.extend_from_slice(&n.text);
                        grown.push(Lead {
                            text,
                            whole: n.whole,
                        });
                    }
                }
                if grown.len() > MOST {
                    return None;
                }
                out = grown;
            }
            Some(out)
        }
    }
}

/// The one ASCII byte (lower-cased) that every character of `class` is, as the keyword
/// automaton compares: `[aA]`, `a`, `:`. `None` for anything wider, or a class with a
/// non-ASCII character (`(?i)s` also holds `ſ`, which no keyword search finds).
fn single_byte(class: &Class) -> Option<u8> {
    let mut bytes: Vec<u8> = Vec::new();
    match class {
        Class::Unicode(c) => {
            for r in c.ranges() {
                for ch in r.start()..=r.end() {
                    bytes.push(u8::try_from(u32::from(ch)).ok().filter(u8::is_ascii)?);
                    if bytes.len() > 2 {
                        return None;
                    }
                }
            }
        }
        Class::Bytes(c) => {
            for r in c.ranges() {
                for b in r.start()..=r.end() {
                    bytes.push(Some(b).filter(u8::is_ascii)?);
                    if bytes.len() > 2 {
                        return None;
                    }
                }
            }
        }
    }
    let first = bytes.first()?.to_ascii_lowercase();
    bytes
        .iter()
        .all(|b| b.to_ascii_lowercase() == first)
        .then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leads_with(pattern: &str, keywords: &[&str]) -> bool {
        let keywords: Vec<String> = keywords.iter().map(|k| k.to_string()).collect();
        regex_syntax::parse(pattern).is_ok_and(|hir| starts_with_keyword(&hir, &keywords))
    }

    #[test]
    fn a_pattern_led_by_a_keyword_in_any_ascii_case_is_known() {
        assert!(leads_with(
            r"(?P<m>(?i-u:classified by):.{0,30}?1\.4)",
            &["classified by"]
        ));
        assert!(leads_with(r"(?P<m>DECL: *\d+)", &["DECL:"]));
        assert!(leads_with(r"(?m)^(?:DECL|Decl): \d", &["decl"]));
        assert!(leads_with(r"\bSECRET(?://NOFORN)?", &["SECRET", "NOFORN"]));
        assert!(leads_with(r"(?:ab|AB)+c", &["ab"]));
    }

    #[test]
    fn a_pattern_that_may_start_elsewhere_is_not() {
        // `(?i)s` also matches `ſ`, which the keyword search does not find.
        assert!(!leads_with(r"(?i:classified by):", &["classified by"]));
        assert!(!leads_with(r"x?DECL:", &["DECL:"]));
        assert!(!leads_with(r"(?:DECL|DEC):", &["DECL"]));
        assert!(!leads_with(r"DE", &["DECL"]));
        assert!(!leads_with(r"[A-Z]DECL", &["DECL"]));
        assert!(!leads_with(r"(?:DECL)*:", &["DECL"]));
        assert!(!leads_with(r"TOP SECRET|SECRET", &["SECRET"]));
        assert!(!leads_with(r"SECRET", &[]));
    }
}
