//! Structure checks on a cable: markings that disagree, portions above the banner, missing
//! classification authority or declassification instruction, unmarked paragraphs, passed
//! `DECL` dates; and the routing classification group as a marking.
//!
//! Each check reads the [`Cable`](crate::cable::Cable) parsed once per document and reports
//! original byte ranges, mapped onto the raw view.

use std::ops::Range;

use super::{Detector, Document, Hit};
use crate::cable::Marking;
use crate::rules::schema::MatchOn;

fn hit(doc: &Document<'_>, r: Range<usize>, note: String) -> Hit {
    Hit {
        on: MatchOn::Raw,
        span: doc.raw.from_original(r),
        fix: None,
        confidence: None,
        note: Some(note),
    }
}

/// The cable's own marking: the banner with its caveats, else the header field; caveats of
/// the header field count too (the viewer's field comes from the original's metadata, and a
/// banner often spells only the level).
fn cable_marking(doc: &Document<'_>) -> Option<Marking> {
    let header = doc.cable.header_marking(doc.bytes);
    let mut m = doc
        .cable
        .banner_marking(doc.bytes)
        .or_else(|| header.clone())?;
    for c in header.iter().flat_map(|h| h.caveats.iter()) {
        m.add_caveat(c);
    }
    Some(m)
}

/// Caveats that restrict readers; a portion carrying one the cable lacks is under-marked.
/// (`REL TO` widens release and `FOR OFFICIAL USE ONLY` is implied by any level.)
const RESTRICTING: &[&str] = &["NOFORN", "ORCON", "NODIS", "EXDIS"];

/// The banner, the `Classification:` header field and the routing group give different levels.
#[derive(Debug)]
pub struct MarkingMismatch;

impl Detector for MarkingMismatch {
    fn detect(&self, doc: &Document<'_>, out: &mut Vec<Hit>) {
        let c = doc.cable;
        let banner = c.banner.as_ref().map(|b| b.level);
        let header = c.header_marking(doc.bytes).map(|m| m.level);
        let Some(reference) = banner.or(header) else {
            return;
        };
        if let (Some(h), Some(r)) = (
            header,
            c.header.as_ref().and_then(|h| h.classification.clone()),
        ) && banner.is_some()
            && h != reference
        {
            let note = format!(
                "header says {}, banner says {}",
                h.as_str(),
                reference.as_str()
            );
            out.push(hit(doc, r, note));
        }
        if let (Some(g), Some(r)) = (
            c.routing_level(doc.bytes),
            c.routing.as_ref().and_then(|r| r.class_group.clone()),
        ) && g != reference
        {
            let note = format!(
                "routing group says {}, cable says {}",
                g.as_str(),
                reference.as_str()
            );
            out.push(hit(doc, r, note));
        }
    }
}

/// A portion mark above the cable's level, or with a caveat the banner lacks.
#[derive(Debug)]
pub struct PortionAboveBanner;

impl Detector for PortionAboveBanner {
    fn detect(&self, doc: &Document<'_>, out: &mut Vec<Hit>) {
        let Some(cable) = cable_marking(doc) else {
            return;
        };
        for p in &doc.cable.paragraphs {
            let (Some(m), Some(r)) = (&p.marking, &p.mark) else {
                continue;
            };
            if m.level > cable.level {
                let note = format!(
                    "portion is {}, cable is {}",
                    m.level.as_str(),
                    cable.level.as_str()
                );
                out.push(hit(doc, r.clone(), note));
            } else if let Some(c) = m
                .caveats
                .iter()
                .find(|c| RESTRICTING.contains(&c.as_str()) && !cable.has(c))
            {
                out.push(hit(
                    doc,
                    r.clone(),
                    format!("portion carries {c}, the banner does not"),
                ));
            }
        }
    }
}

/// A classified cable without a `Classified By` line or without a `DECL` instruction.
#[derive(Debug)]
pub struct MissingAuthority;

impl Detector for MissingAuthority {
    fn detect(&self, doc: &Document<'_>, out: &mut Vec<Hit>) {
        let c = doc.cable;
        let Some(b) = &c.banner else { return };
        if !b.level.is_classified() {
            return;
        }
        let mut missing = Vec::new();
        if c.fields.classified_by.is_none() {
            missing.push("a `Classified By` line");
        }
        if c.fields.decl.is_none() {
            missing.push("a `DECL` instruction");
        }
        if !missing.is_empty() {
            let note = format!(
                "{} cable without {}",
                b.level.as_str(),
                missing.join(" or ")
            );
            out.push(hit(doc, b.marking.clone(), note));
        }
    }
}

/// A numbered paragraph without a portion mark in a classified cable.
#[derive(Debug)]
pub struct UnmarkedParagraph;

impl Detector for UnmarkedParagraph {
    fn detect(&self, doc: &Document<'_>, out: &mut Vec<Hit>) {
        let classified = doc
            .cable
            .banner
            .as_ref()
            .is_some_and(|b| b.level.is_classified());
        if !classified {
            return;
        }
        for p in doc.cable.paragraphs.iter().filter(|p| p.mark.is_none()) {
            let Some(n) = p.number else { continue };
            let len = doc.bytes[p.range.clone()]
                .iter()
                .position(|b| *b == b'.')
                .map_or(0, |d| d + 1);
            out.push(hit(
                doc,
                p.range.start..p.range.start + len,
                format!("paragraph {n} has no portion mark"),
            ));
        }
    }
}

/// A `DECL` date that has passed.
#[derive(Debug)]
pub struct DeclPassed;

impl Detector for DeclPassed {
    fn detect(&self, doc: &Document<'_>, out: &mut Vec<Hit>) {
        let Some(r) = doc.cable.fields.decl.clone() else {
            return;
        };
        let Some((y, m, d)) = decl_date(&doc.bytes[r.clone()]) else {
            return;
        };
        let today = today();
        if (y, m, d) < today {
            let note = format!("declassify on {y:04}-{m:02}-{d:02}, which has passed");
            out.push(hit(doc, r, note));
        }
    }
}

/// `DECL: 03/07/2017` or a bare `03/07/2017` (month/day/year), as (year, month, day).
fn decl_date(text: &[u8]) -> Option<(u32, u32, u32)> {
    let s = std::str::from_utf8(text).ok()?;
    let date = s.split_whitespace().find(|w| w.contains('/'))?;
    let mut it = date.split('/').map(|p| p.parse::<u32>().ok());
    let (m, d, y) = (it.next()??, it.next()??, it.next()??);
    let y = if y < 100 { 2000 + y } else { y };
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Today's civil date (UTC), from the system clock.
fn today() -> (u32, u32, u32) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// Howard Hinnant's days-to-civil algorithm: no date crate for one conversion.
fn civil_from_days(z: i64) -> (u32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let c = |v: i64| u32::try_from(v).unwrap_or(0);
    (c(y), c(m), c(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(decl_date(b"DECL: 03/07/2017"), Some((2017, 3, 7)));
        assert_eq!(decl_date(b"DECL: 1.4(B)"), None);
        assert_eq!(decl_date(b"03/24/2019"), Some((2019, 3, 24)));
    }
}
