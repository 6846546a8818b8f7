//! Which keyword hits a pattern's every match holds, as the hits stand in the text.
//!
//! A rule's keywords are found without regard to ASCII case, and each hit opens a window
//! where all of the rule's patterns are searched. But a pattern often needs only some of
//! them, in one case: of `classification.portion`'s keywords `(C` and `SBU)`, a pattern
//! for `12. SBU)` needs `SBU)` in capitals, and one for `6. (c)` needs `(c` in lower case.
//! When every match of a pattern is shown to hold one of a few texts that keywords stand
//! in, the pattern is searched only around hits of those texts, and a search stops once no
//! such hit is left ahead of it.
//!
//! The proof: a stretch of a concatenation in the pattern (through groups) is spelled
//! out as the few texts it can match (literals, small classes, alternations, optional
//! parts); every match holds one of them. When each holds a keyword, the keyword automaton
//! reports a hit inside every match, and the hit's text is that text's bytes there. The
//! walk is short and allocates little, because a one-file run works it out for every
//! pattern.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Most texts a stretch is spelled out to; past it the stretch is no evidence.
const MOST: usize = 64;

/// Most characters of a class spelled out: the letter in either case, `[CSU]`; wider
/// classes are left unspelled, which is cheaper than spelling them to find them useless.
const CLASS_MOST: u32 = 8;

/// The texts of keyword hits one of which every match of `hir` holds (sorted, without
/// repeats), or `None` when that cannot be shown.
pub(crate) fn hit_texts(hir: &Hir, keywords: &[String]) -> Option<Vec<Vec<u8>>> {
    let keywords: Vec<Vec<u8>> = keywords
        .iter()
        .map(|k| k.as_bytes().to_ascii_lowercase())
        .filter(|k| !k.is_empty())
        .collect();
    if keywords.is_empty() {
        return None;
    }
    let mut best: Option<Vec<Vec<u8>>> = None;
    stretches(hir, &mut |texts| {
        if let Some(hits) = hits_in(texts, &keywords)
            && best.as_ref().is_none_or(|b| hits.len() < b.len())
        {
            best = Some(hits);
        }
    });
    best
}

/// Calls `f` with the texts of each stretch that every match of `hir` holds a match of:
/// the longest runs of spelled-out items of each concatenation in it (through groups), or
/// `hir` itself when it is no concatenation. Each item is spelled once.
fn stretches(hir: &Hir, f: &mut impl FnMut(&[Vec<u8>])) {
    match hir.kind() {
        HirKind::Capture(c) => stretches(&c.sub, f),
        HirKind::Concat(items) => {
            let mut run = vec![Vec::new()];
            for item in items {
                match spell(item) {
                    Some(texts) => match cross(&run, &texts) {
                        Some(longer) => run = longer,
                        None => {
                            // Too many together: the item starts a run of its own.
                            f(&run);
                            run = texts;
                        }
                    },
                    None => {
                        f(&run);
                        run = vec![Vec::new()];
                        stretches(item, f);
                    }
                }
            }
            f(&run);
        }
        _ => {
            if let Some(texts) = spell(hir) {
                f(&texts);
            }
        }
    }
}

/// Every text `hir` can match, when there are at most [`MOST`].
fn spell(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![Vec::new()]),
        HirKind::Literal(l) => Some(vec![l.0.to_vec()]),
        HirKind::Class(Class::Unicode(c)) => {
            spell_class(c.ranges().iter().map(|r| (r.start(), r.end())), |ch| {
                ch.to_string().into_bytes()
            })
        }
        HirKind::Class(Class::Bytes(c)) => {
            spell_class(c.ranges().iter().map(|r| (r.start(), r.end())), |b| vec![b])
        }
        HirKind::Capture(c) => spell(&c.sub),
        HirKind::Concat(items) => items
            .iter()
            .try_fold(vec![Vec::new()], |run, item| cross(&run, &spell(item)?)),
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for a in alts {
                out.extend(spell(a)?);
                if out.len() > MOST {
                    return None;
                }
            }
            Some(out)
        }
        HirKind::Repetition(r) => {
            // `x?`, `x{1,2}`: a few copies at most.
            let max = r.max.filter(|&m| m <= 2)?;
            let one = spell(&r.sub)?;
            let mut out = Vec::new();
            let mut copies = vec![Vec::new()];
            for n in 0..=max {
                if n >= r.min {
                    out.extend(copies.iter().cloned());
                }
                if n < max {
                    copies = cross(&copies, &one)?;
                }
            }
            (out.len() <= MOST).then_some(out)
        }
    }
}

/// The texts of a class of `ranges` (characters or bytes), `text` spelling each, when it
/// has at most [`CLASS_MOST`] members.
fn spell_class<T>(
    ranges: impl Iterator<Item = (T, T)> + Clone,
    text: impl Fn(T) -> Vec<u8>,
) -> Option<Vec<Vec<u8>>>
where
    T: Copy + Into<u32>,
    std::ops::RangeInclusive<T>: Iterator<Item = T>,
{
    let size: u32 = ranges
        .clone()
        .map(|(lo, hi)| hi.into() - lo.into() + 1)
        .sum();
    (size <= CLASS_MOST).then(|| ranges.flat_map(|(lo, hi)| lo..=hi).map(text).collect())
}

/// Each of `a` followed by each of `b`, when there are at most [`MOST`].
fn cross(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len().saturating_mul(b.len()) > MOST {
        return None;
    }
    Some(
        a.iter()
            .flat_map(|x| b.iter().map(move |y| [x.as_slice(), y].concat()))
            .collect(),
    )
}

/// The keyword texts in `texts`, when each of them holds one.
fn hits_in(texts: &[Vec<u8>], keywords: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if texts.is_empty() {
        return None;
    }
    let mut hits = Vec::new();
    for text in texts {
        let before = hits.len();
        for k in keywords {
            for w in text.windows(k.len()) {
                if w.eq_ignore_ascii_case(k) {
                    hits.push(w.to_vec());
                }
            }
        }
        if hits.len() == before {
            return None;
        }
    }
    hits.sort();
    hits.dedup();
    Some(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pattern: &str, keywords: &[&str]) -> Option<Vec<String>> {
        let hir = regex_syntax::parse(pattern).ok()?;
        let keywords: Vec<String> = keywords.iter().map(|k| k.to_string()).collect();
        hit_texts(&hir, &keywords).map(|t| {
            t.into_iter()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .collect()
        })
    }

    #[test]
    fn a_part_every_match_holds_names_the_hits_in_their_case() {
        let portion = ["(TS", "(SBU", "(U", "(C", "(S", "SBU)", "NF)"];
        assert_eq!(
            texts(
                r"(?m)^[ \t]*[0-9]{1,3}\.[ \t]*(?P<m>\((?:u|c|s|sbu)\))",
                &portion
            ),
            Some(vec![
                "(c".into(),
                "(s".into(),
                "(sbu".into(),
                "(u".into(),
                "sbu)".into()
            ])
        );
        // Every literal of the group holds `SBU)` or `NF)`.
        assert_eq!(
            texts(r"(?:Title|SUBJECT): *(?P<m>(?:SBU|[CS]//?NF)\))", &portion),
            Some(vec!["NF)".into(), "SBU)".into()])
        );
        // Case-insensitive literals give every case, as the document may hold any.
        assert_eq!(
            texts(r"x(?i:ab)", &["AB"]),
            Some(vec!["AB".into(), "Ab".into(), "aB".into(), "ab".into()])
        );
        // The part with the fewest texts is kept.
        assert_eq!(
            texts(r"(?:DECL|decl): [0-9]+ (?:OADR)", &["decl", "oadr"]),
            Some(vec!["OADR".into()])
        );
    }

    #[test]
    fn nothing_is_claimed_where_a_match_may_hold_no_keyword_text() {
        // One way through holds no keyword.
        assert_eq!(texts(r"(?:(C)|\[C\])", &["(C"]), None);
        // An optional part, a repetition, a class too wide to list.
        assert_eq!(texts(r"a(?:\(C)?b", &["(C"]), None);
        assert_eq!(texts(r"(?:\(C)*", &["(C"]), None);
        assert_eq!(texts(r"\w+", &["(C"]), None);
        // Texts on either side of a part spelled out no further are not joined: `(12C`
        // holds no `(C`.
        assert_eq!(texts(r"\([0-9]+C", &["(C"]), None);
        // No keywords, or none that stands in the pattern.
        assert_eq!(texts(r"\(C", &[]), None);
        assert_eq!(texts(r"\(C", &["NF)"]), None);
    }
}
