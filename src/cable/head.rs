//! The top of a cable: the viewer's header fields (in the key-value layout and in the
//! web-page table layout) and the telegraphic routing block.

use std::ops::Range;

use super::lines::{Line, after_prefix, has_lower, starts_ci, tokens, trim};

/// The header fields a cable viewer puts above the cable, as original byte ranges of their
/// values.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Header {
    /// The lines the header occupies.
    pub range: Range<usize>,
    /// `07ASTANA614`.
    pub reference_id: Option<Range<usize>>,
    /// Creation date and time.
    pub created: Option<Range<usize>>,
    /// Release date and time.
    pub released: Option<Range<usize>>,
    /// `UNCLASSIFIED//FOR OFFICIAL USE ONLY`, `SECRET//NOFORN`, ...
    pub classification: Option<Range<usize>>,
    /// `Embassy Astana`.
    pub origin: Option<Range<usize>>,
    /// The cable's title: the `Title:` field, or in the table layout the web page's
    /// `Viewing cable ID, TITLE` line (outside `range`).
    pub title: Option<Range<usize>>,
}

/// The telegraphic routing block (`VZCZC...` down to the last `INFO` addressee).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Routing {
    /// The whole block.
    pub range: Range<usize>,
    /// The precedence and date-time group line (`O 071206Z MAR 07`).
    pub precedence: Option<Range<usize>>,
    /// The sender after `FM` (`AMEMBASSY ASTANA`).
    pub from: Option<Range<usize>>,
    /// Addressee lines from `TO` on, up to `INFO`.
    pub to: Vec<Range<usize>>,
    /// Addressee lines from `INFO` on.
    pub info: Vec<Range<usize>>,
    /// The five-letter classification group of `ZNY CCCCC ZZH` (`CCCCC`).
    pub class_group: Option<Range<usize>>,
}

const KEYS: &[(&[u8], usize)] = &[
    (b"Reference ID:", 0),
    (b"Created:", 1),
    (b"Released:", 2),
    (b"Classification:", 3),
    (b"Origin:", 4),
    (b"Title:", 5),
];

/// Find the viewer header among the first lines; returns it and the index of the line after.
pub(crate) fn parse_header(bytes: &[u8], lines: &[Line]) -> Option<(Header, usize)> {
    let limit = lines.len().min(400);
    for (i, line) in lines[..limit].iter().enumerate() {
        let t = &bytes[line.trimmed.clone()];
        if starts_ci(t, b"Reference ID:") {
            return Some(key_value(bytes, lines, i));
        }
        if t == b"Reference ID Created Released Classification Origin" {
            let values = lines.get(i + 1)?;
            let mut h = table_values(bytes, values.trimmed.clone(), line.full.start);
            h.title = page_title(bytes, &lines[i.saturating_sub(40)..i]);
            return Some((h, i + 2));
        }
    }
    None
}

fn key_value(bytes: &[u8], lines: &[Line], first: usize) -> (Header, usize) {
    let mut fields: [Option<Range<usize>>; 6] = Default::default();
    let mut i = first;
    while let Some(line) = lines.get(i) {
        let hit = KEYS
            .iter()
            .find_map(|(k, n)| after_prefix(bytes, &line.trimmed, k).map(|v| (*n, v)));
        let Some((n, v)) = hit else { break };
        fields[n] = (!v.is_empty()).then_some(v);
        i += 1;
    }
    let end = lines.get(i.saturating_sub(1)).map_or(0, |l| l.full.end);
    let [
        reference_id,
        created,
        released,
        classification,
        origin,
        title,
    ] = fields;
    let h = Header {
        range: lines[first].full.start..end,
        reference_id,
        created,
        released,
        classification,
        origin,
        title,
    };
    (h, i)
}

/// `07ASTANA614 2007-03-07 12:06 2011-08-26 00:00 UNCLASSIFIED//FOR OFFICIAL USE ONLY
/// Embassy Astana`: id, two date-times, then the upper-case marking, then the origin, which
/// is the first word with a lower-case letter on.
fn table_values(bytes: &[u8], r: Range<usize>, start: usize) -> Header {
    let toks: Vec<Range<usize>> = tokens(bytes, r.clone()).collect();
    let join =
        |a: usize, b: usize| -> Option<Range<usize>> { Some(toks.get(a)?.start..toks.get(b)?.end) };
    let origin_at = toks
        .iter()
        .skip(5)
        .position(|t| has_lower(&bytes[t.clone()]))
        .map(|p| p + 5);
    let classification = match origin_at {
        Some(o) if o > 5 => join(5, o - 1),
        None if toks.len() > 5 => join(5, toks.len() - 1),
        _ => None,
    };
    Header {
        range: start..r.end,
        reference_id: toks.first().cloned(),
        created: join(1, 2),
        released: join(3, 4),
        classification,
        origin: origin_at.and_then(|o| join(o, toks.len() - 1)),
        title: None,
    }
}

/// The web page's `Viewing cable 07ASTANA614, TITLE` line above the table: the title.
fn page_title(bytes: &[u8], before: &[Line]) -> Option<Range<usize>> {
    before.iter().rev().find_map(|l| {
        let v = after_prefix(bytes, &l.trimmed, b"Viewing cable ")?;
        let comma = bytes[v.clone()].iter().position(|b| *b == b',')?;
        Some(trim(bytes, v.start + comma + 1..v.end))
    })
}

/// Whether a line is a precedence + date-time group line (`O 071206Z MAR 07`,
/// `R 291434Z AUG 07`, `P 251649Z AUG 06`).
pub(crate) fn is_dtg_line(t: &[u8]) -> bool {
    // One or two precedence words (`O`, `OO`, `O R`), then the date-time group.
    let mut it = t.split(|b| *b == b' ').filter(|w| !w.is_empty());
    let is_prec =
        |w: &[u8]| !w.is_empty() && w.len() <= 2 && w.iter().all(|b| b"ZOPRIM".contains(b));
    let prec = it.next().unwrap_or_default();
    let mut dtg = it.next().unwrap_or_default();
    if is_prec(dtg) {
        dtg = it.next().unwrap_or_default();
    }
    is_prec(prec) && dtg.len() == 7 && dtg[..6].iter().all(u8::is_ascii_digit) && dtg[6] == b'Z'
}

/// The routing block starting at or after line `from`, if one starts within a few lines.
pub(crate) fn parse_routing(bytes: &[u8], lines: &[Line], from: usize) -> Option<(Routing, usize)> {
    let limit = lines.len().min(from + 40);
    let next_starts = |i: usize, p: &[u8]| {
        lines
            .get(i + 1)
            .is_some_and(|n| bytes[n.trimmed.clone()].starts_with(p))
    };
    // `VZCZC...`, a date-time group over `FM`, or (old telegrams) `FM` over `TO`.
    let start = (from..limit).find(|&i| {
        let t = &bytes[lines[i].trimmed.clone()];
        t.starts_with(b"VZCZC")
            || (is_dtg_line(t) && next_starts(i, b"FM "))
            || (t.starts_with(b"FM ") && next_starts(i, b"TO "))
    })?;
    let mut r = Routing::default();
    let mut in_info = false;
    let mut end = start;
    for (i, line) in lines.iter().enumerate().skip(start) {
        let t = &bytes[line.trimmed.clone()];
        // Exports put blank lines inside the block before `FM`; after the addressees, a
        // blank line ends it.
        if line.is_blank() && r.from.is_none() && i < start + 12 {
            continue;
        }
        if line.is_blank() || super::body::banner_level(bytes, line).is_some() {
            break;
        }
        end = i;
        routing_line(bytes, line, t, &mut r, &mut in_info);
    }
    r.range = lines[start].full.start..lines[end].full.end;
    Some((r, end + 1))
}

fn routing_line(bytes: &[u8], line: &Line, t: &[u8], r: &mut Routing, in_info: &mut bool) {
    let tr = line.trimmed.clone();
    if let Some(v) = after_prefix(bytes, &tr, b"FM ") {
        r.from = Some(v);
    } else if let Some(v) = after_prefix(bytes, &tr, b"TO ") {
        r.to.push(v);
    } else if let Some(v) = after_prefix(bytes, &tr, b"INFO ") {
        *in_info = true;
        r.info.push(v);
    } else if is_dtg_line(t) {
        r.precedence = Some(tr);
    } else if let Some(g) = class_group(t) {
        r.class_group = Some(tr.start + g..tr.start + g + 5);
    } else if r.from.is_some() && t.contains(&b'/') {
        let v = trim(bytes, tr);
        if *in_info {
            r.info.push(v)
        } else {
            r.to.push(v)
        }
    }
}

/// Offset of the five identical letters in `ZNY CCCCC ZZH` / `ZNR UUUUU ZZH`.
pub(crate) fn class_group(t: &[u8]) -> Option<usize> {
    if t.len() < 13 || !(t.starts_with(b"ZNY ") || t.starts_with(b"ZNR ")) || &t[9..13] != b" ZZH" {
        return None;
    }
    let g = &t[4..9];
    (g.iter().all(|c| *c == g[0]) && super::marking::routing_level(g[0]).is_some()).then_some(4)
}
