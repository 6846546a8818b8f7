//! The marked fields between a cable's banner and its first paragraph: `E.O.`/`DECL`,
//! `TAGS`, `SUBJECT`, `REF`, `Classified By`, including those a viewer reflowed into other
//! lines.

use std::ops::Range;

use super::lines::{Line, starts_ci};
use super::paragraph::paragraph_at;

/// The marked fields between the banner and the first paragraph.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct HeadFields {
    /// Whole `E.O.` line.
    pub eo: Option<Range<usize>>,
    /// `DECL: ...` to the end of its instruction.
    pub decl: Option<Range<usize>>,
    /// `TAGS:` value, continuation lines included.
    pub tags: Option<Range<usize>>,
    /// `SUBJECT:` value.
    pub subject: Option<Range<usize>>,
    /// `REF:` value.
    pub refs: Option<Range<usize>>,
    /// `Classified By:` to the end of its reasons.
    pub classified_by: Option<Range<usize>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Eo,
    Tags,
    Subject,
    Ref,
    ClassifiedBy,
}

pub(crate) fn head_key(bytes: &[u8], line: &Line) -> Option<Key> {
    let t = &bytes[line.trimmed.clone()];
    let keys: &[(&[u8], Key)] = &[
        (b"E.O.", Key::Eo),
        (b"E. O.", Key::Eo),
        (b"E.O ", Key::Eo),
        (b"EO ", Key::Eo),
        (b"TAGS", Key::Tags),
        (b"SUBJECT:", Key::Subject),
        (b"SUBJ:", Key::Subject),
        (b"REF", Key::Ref),
        (b"CLASSIFIED BY", Key::ClassifiedBy),
    ];
    keys.iter()
        .find(|(k, _)| starts_ci(t, k))
        .map(|(_, key)| *key)
        .filter(|k| {
            // `REF` must be followed by a colon (`REF:`, `REFS:`), `TAGS` by a colon or a
            // blank, and a bare `EO` by the order's number, to be keys rather than words.
            match k {
                Key::Ref => t.iter().take(6).any(|b| *b == b':'),
                Key::Tags => matches!(t.get(4), Some(b':' | b' ')),
                Key::Eo if t.starts_with(b"EO ") || t.starts_with(b"E.O ") => t
                    .iter()
                    .skip(2)
                    .find(|b| **b != b' ' && **b != b'.')
                    .is_some_and(u8::is_ascii_digit),
                _ => true,
            }
        })
}

/// The head fields from line `from` on; returns them and the index of the first body line.
pub(crate) fn parse_head_fields(bytes: &[u8], lines: &[Line], from: usize) -> (HeadFields, usize) {
    let mut f = HeadFields::default();
    let mut i = from;
    let limit = lines.len().min(from + 80);
    while i < limit {
        let line = &lines[i];
        if line.is_blank() {
            i += 1;
            continue;
        }
        let Some(key) = head_key(bytes, line) else {
            break;
        };
        let mut j = i + 1;
        while j < lines.len()
            && !lines[j].is_blank()
            && head_key(bytes, &lines[j]).is_none()
            && paragraph_at(bytes, &lines[j]).is_none()
        {
            j += 1;
        }
        let value = value_after_colon(bytes, line.trimmed.start..lines[j - 1].trimmed.end);
        match key {
            Key::Eo => {
                f.eo = Some(line.trimmed.start..lines[j - 1].trimmed.end);
                let eo = line.trimmed.start..lines[j - 1].trimmed.end;
                f.decl = find_decl(bytes, eo.clone()).or_else(|| bare_date(bytes, eo));
            }
            Key::Tags => f.tags = Some(value),
            Key::Subject => f.subject = Some(value),
            Key::Ref => f.refs = Some(value),
            Key::ClassifiedBy => {
                let block = line.trimmed.start..lines[j - 1].trimmed.end;
                f.classified_by = Some(authority_end(bytes, block));
            }
        }
        i = j;
    }
    (f, i)
}

fn value_after_colon(bytes: &[u8], r: Range<usize>) -> Range<usize> {
    // The key's colon is near the start (`SUBJECT:`); without one (`TAGS PGOV`), the value
    // starts after the key word.
    let hay = &bytes[r.clone()];
    let colon = hay.iter().take(12).position(|b| *b == b':');
    let cut = colon.or_else(|| hay.iter().position(|b| *b == b' '));
    match cut {
        Some(c) => super::lines::trim(bytes, r.start + c + 1..r.end),
        None => r,
    }
}

fn find_decl(bytes: &[u8], r: Range<usize>) -> Option<Range<usize>> {
    // The instruction ends with its line: `DECL: 02/11/2020` does not take in a `TAG ...`
    // line a viewer left under it.
    let start = find_ci(bytes, r.clone(), b"DECL:")?;
    let end = bytes[start..r.end]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(r.end, |p| start + p);
    Some(super::lines::trim(bytes, start..end))
}

/// `E.O. 12958 03/24/2019`: a date standing after the order's number is its declassification
/// date even without `DECL:`.
fn bare_date(bytes: &[u8], r: Range<usize>) -> Option<Range<usize>> {
    super::lines::tokens(bytes, r).find(|t| {
        let t = &bytes[t.clone()];
        t.iter().filter(|b| **b == b'/').count() == 2
            && t.iter().all(|b| b.is_ascii_digit() || *b == b'/')
    })
}

/// `Classified By: ... reasons 1.4 (b) and (d)` ends after its reasons: with a reflowed line
/// (`... REASON: 1.4 (b), (d) 1. (C) Summary ...`) the paragraph after it is not part of it.
/// Without a `1.4` list the block is kept whole.
pub(crate) fn authority_end(bytes: &[u8], r: Range<usize>) -> Range<usize> {
    let Some(at) = find_ci(bytes, r.clone(), b"1.4").or_else(|| find_ci(bytes, r.clone(), b"1.5"))
    else {
        return r;
    };
    let mut end = at + 3;
    while end < r.end {
        let rest = &bytes[end..r.end];
        let step =
            if starts_ci(rest, b"and") && rest.get(3).is_none_or(|b| !b.is_ascii_alphabetic()) {
                3
            } else if matches!(
                rest[0],
                b' ' | b'\t' | b'\r' | b'\n' | b'\\' | b'(' | b')' | b',' | b'&' | b'/'
            ) || (rest[0].is_ascii_alphabetic()
                && b"abcdefghABCDEFGH".contains(&rest[0])
                && rest.get(1).is_none_or(|b| !b.is_ascii_alphabetic()))
            {
                1
            } else {
                break;
            };
        end += step;
    }
    let mut out = super::lines::trim(bytes, r.start..end);
    while out.end > out.start && matches!(bytes[out.end - 1], b',' | b'&' | b'/' | b'(') {
        out.end -= 1;
        out = super::lines::trim(bytes, out);
    }
    out
}

/// Position of `needle` in `bytes[r]`, ignoring ASCII case.
fn find_ci(bytes: &[u8], r: Range<usize>, needle: &[u8]) -> Option<usize> {
    crate::text::find_ci(bytes.get(r.clone())?, needle).map(|at| r.start + at)
}

/// `DECL:` and `Classified By:` (or `DERIVED FROM:`) that a viewer reflowed into another line
/// (`REF: ... Classified By: ...`, `SIPDIS DEPT FOR X E.O. 12958: DECL: ...`): looked for in
/// `r`, the text from the banner to the second paragraph, when the line-based parse missed
/// them. Each runs to the end of its line.
pub(crate) fn reflowed_fields(bytes: &[u8], r: Range<usize>, f: &mut HeadFields) {
    let to_eol = |at: usize| {
        let end = bytes[at..r.end]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(r.end, |p| at + p);
        super::lines::trim(bytes, at..end)
    };
    if f.decl.is_none() {
        f.decl = find_ci(bytes, r.clone(), b"DECL:").map(to_eol);
    }
    if f.classified_by.is_none() {
        f.classified_by = find_ci(bytes, r.clone(), b"CLASSIFIED BY")
            .or_else(|| find_ci(bytes, r.clone(), b"DERIVED FROM:"))
            .map(to_eol)
            .map(|a| authority_end(bytes, a));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_ci_finds_the_first_match_in_any_case_within_the_range() {
        let text = b"decl: x. DECL: 2030/01/01 Decl: y";
        assert_eq!(find_ci(text, 0..text.len(), b"DECL:"), Some(0));
        assert_eq!(find_ci(text, 1..text.len(), b"DECL:"), Some(9));
        assert_eq!(find_ci(text, 10..text.len(), b"decl:"), Some(26));
        assert_eq!(find_ci(text, 0..4, b"DECL:"), None);
        assert_eq!(find_ci(text, 0..text.len(), b"1.4"), None);
        assert_eq!(find_ci(b"reasons 1.4 (b)", 0..15, b"1.4"), Some(8));
    }
}
