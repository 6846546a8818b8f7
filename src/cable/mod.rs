//! Cable structure: the viewer header, routing block, banner and caveats, `E.O.`/`DECL`,
//! `TAGS`, `SUBJECT`, `REF`, `Classified By`, numbered paragraphs with portion marks, page
//! breaks and the signature, each as original byte ranges.
//!
//! Parsing never fails: a plain document simply has no structure (every field empty, the
//! whole text is body). The parser works line by line on bytes with cheap first-byte tests,
//! so it runs once per document on the scanner's hot path.
//!
//! ```
//! use redline::cable::{Cable, Level};
//! let text = b"CONFIDENTIAL SECTION 01 OF 02 LONDON 001234\n\nSIPDIS\n\nE.O. 12958: DECL: 01/02/2015\n\
//! TAGS: PREL\nSUBJECT: TALKS\n\n1. (C) Text.\n\nSMITH\n";
//! let cable = Cable::parse(text);
//! assert_eq!(cable.banner.as_ref().unwrap().level, Level::Confidential);
//! assert_eq!(cable.paragraphs.len(), 1);
//! assert_eq!(&text[cable.signature[0].clone()], b"SMITH");
//! assert_eq!(cable.region, Some("GB"));
//! ```

mod body;
mod closing;
mod fields;
mod head;
mod lines;
mod marking;
mod pages;
mod paragraph;
mod region;

use std::ops::Range;

pub use body::Banner;
pub use fields::HeadFields;
pub use head::{Header, Routing};
pub use marking::{Level, Marking, parse_marking, parse_portion};
pub use paragraph::Paragraph;

/// Whether a word is a classification or handling marking that stands on a marking line
/// (`SENSITIVE`, `NOFORN`, `CONFIDENTIAL`); `SIPDIS` counts.
pub fn is_marking_word(w: &[u8]) -> bool {
    marking::is_caveat_word(w) || marking::level_word(w).is_some()
}
pub use pages::{PageBreak, SpacedWord};
pub use region::region_of_posting;

use crate::text::{Edit, EditKind};
use lines::{Line, split_lines};

/// The parsed structure of one cable. Every range is an original-file byte range.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Cable {
    /// The viewer's header fields (`Reference ID`, `Classification`, `Origin`, ...).
    pub header: Option<Header>,
    /// The telegraphic routing block.
    pub routing: Option<Routing>,
    /// The classification banner line.
    pub banner: Option<Banner>,
    /// Caveat lines under the banner (`SIPDIS`, `SENSITIVE`).
    pub caveat_lines: Vec<Range<usize>>,
    /// Action and distribution lines before `E.O.` (`DEPARTMENT FOR G/TIP (MHALL)`).
    pub action_lines: Vec<Range<usize>>,
    /// `E.O.`, `DECL`, `TAGS`, `SUBJECT`, `REF`, `Classified By`.
    pub fields: HeadFields,
    /// Numbered or portion-marked paragraphs of the body.
    pub paragraphs: Vec<Paragraph>,
    /// Page breaks, in order.
    pub page_breaks: Vec<PageBreak>,
    /// Letter-spaced banner words.
    pub spaced_words: Vec<SpacedWord>,
    /// `DRAFTED:`, `CLEARED:`, `APPROVED:` lines.
    pub drafting: Vec<Range<usize>>,
    /// The closing signature line(s) (`ORDWAY`).
    pub signature: Vec<Range<usize>>,
    /// Every routing classification group (`CCCCC` of `ZNY CCCCC ZZH`) in the document,
    /// including those of further copies of the cable in one file.
    pub class_groups: Vec<Range<usize>>,
    /// Everything before the body: header, routing, banner, head fields.
    pub head: Range<usize>,
    /// The body: from the first line after the head fields to the signature.
    pub body: Range<usize>,
    /// ISO 3166 country of the posting (`KZ` for Embassy Astana).
    pub region: Option<&'static str>,
}

/// A part of a cable a rule can be confined to with `scope:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Anywhere (the default).
    #[default]
    Any,
    /// Viewer header, routing, banner, caveats and head fields.
    Header,
    /// The routing block.
    Routing,
    /// The body paragraphs; for a plain document, the whole text.
    Body,
    /// The signature line(s).
    Signature,
}

/// Routing classification groups: a `ZNY CCCCC ZZH` line under a `DE` line or over a
/// date-time group line, so the shape alone in running text does not count.
fn class_groups(bytes: &[u8], lines: &[Line]) -> Vec<Range<usize>> {
    let text = |i: usize| lines.get(i).map_or(&b""[..], |l| &bytes[l.trimmed.clone()]);
    (0..lines.len())
        .filter_map(|i| {
            let l = &lines[i];
            let at = head::class_group(text(i))?;
            let framed =
                (i > 0 && text(i - 1).starts_with(b"DE ")) || head::is_dtg_line(text(i + 1));
            framed.then(|| l.trimmed.start + at..l.trimmed.start + at + 5)
        })
        .collect()
}

/// How much of a cable's structure [`Cable::parse_to`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Every part.
    Full,
    /// Only what the normalised view and the posting's country come from: the viewer
    /// header, the routing block, the banner, page breaks and letter-spaced words, so that
    /// [`Cable::view_edits`] and [`Cable::region`] are those of a full parse. The other
    /// parts are left empty: no caveat, action or drafting lines, head fields, paragraphs,
    /// signature or classification groups; `head` is empty and `body` the whole document.
    Views,
}

impl Cable {
    /// Parse the structure of `bytes`; a plain document gives a structure with no parts.
    pub fn parse(bytes: &[u8]) -> Cable {
        Cable::parse_to(bytes, Depth::Full)
    }

    /// Parse as much of the structure of `bytes` as `depth` says.
    pub fn parse_to(bytes: &[u8], depth: Depth) -> Cable {
        let lines = split_lines(bytes);
        let mut c = Cable {
            body: 0..bytes.len(),
            ..Cable::default()
        };
        let body_line = c.parse_head(bytes, &lines, depth);
        let (mut breaks, page_lines, page_city) = pages::line_breaks(bytes, &lines, 0);
        // The city as the page headers and as the banner spell it: a garbled or joined
        // header line must not hide the banner's spelling.
        let banner_city = c.banner_city(bytes);
        for city in [page_city, banner_city].into_iter().flatten() {
            let found = pages::inline_breaks(bytes, &bytes[city], &breaks);
            breaks.extend(found);
        }
        breaks.sort_by_key(|p| p.skip.start);
        c.page_breaks = breaks;
        c.spaced_words = pages::spaced_words(bytes);
        if depth == Depth::Views {
            c.region = c.find_region(bytes);
            return c;
        }
        c.class_groups = class_groups(bytes, &lines);
        let (signature, sig_start) = closing::parse_signature(bytes, &lines, body_line);
        let sig_line = lines.partition_point(|l| l.full.start < sig_start);
        let is_page = |i: usize| page_lines.binary_search(&i).is_ok();
        c.paragraphs = body::parse_paragraphs(bytes, &lines, body_line, sig_line, &is_page);
        c.drafting = lines[body_line.min(lines.len())..]
            .iter()
            .filter(|l| closing::is_drafting_line(bytes, l))
            .map(|l| l.trimmed.clone())
            .collect();
        let body_start = lines.get(body_line).map_or(bytes.len(), |l| l.full.start);
        c.head = 0..body_start;
        c.body = body_start..sig_start.min(bytes.len()).max(body_start);
        c.signature = signature;
        if let Some(b) = &c.banner {
            let end = c
                .paragraphs
                .get(1)
                .map_or(body_start.saturating_add(4000), |p| p.range.start);
            let end = end.min(bytes.len()).max(b.line.start);
            fields::reflowed_fields(bytes, b.line.start..end, &mut c.fields);
        }
        c.region = c.find_region(bytes);
        c
    }

    /// Header, routing, banner, then (at [`Depth::Full`]) caveats and head fields; returns
    /// the first body line (at [`Depth::Views`], the line after the banner).
    fn parse_head(&mut self, bytes: &[u8], lines: &[Line], depth: Depth) -> usize {
        let mut at = 0;
        if let Some((h, next)) = head::parse_header(bytes, lines) {
            self.header = Some(h);
            at = next;
        }
        if let Some((r, next)) = head::parse_routing(bytes, lines, at) {
            self.routing = Some(r);
            at = next;
        }
        let window = if at > 0 { 40 } else { 6 };
        if let Some((b, next)) = body::parse_banner(bytes, lines, at, window) {
            self.banner = Some(b);
            if depth == Depth::Views {
                return next;
            }
            let (caveats, actions, next) = body::caveats_and_actions(bytes, lines, next);
            self.caveat_lines = caveats;
            self.action_lines = actions;
            at = next;
        } else if at == 0 || depth == Depth::Views {
            return at;
        }
        let (fields, next) = fields::parse_head_fields(bytes, lines, at);
        self.fields = fields;
        next
    }

    /// The posting city named on the banner line (`... SECTION 01 OF 16 ASTANA 000614`).
    fn banner_city(&self, bytes: &[u8]) -> Option<Range<usize>> {
        let b = self.banner.as_ref()?;
        let toks: Vec<Range<usize>> = lines::tokens(bytes, b.marking.end..b.line.end).collect();
        let skip = toks
            .iter()
            .position(|t| &bytes[t.clone()] == b"OF")
            .map_or(0, |p| p + 2);
        let city: Vec<&Range<usize>> = toks
            .iter()
            .skip(skip)
            .take_while(|t| bytes[(*t).clone()].iter().all(u8::is_ascii_uppercase))
            .collect();
        Some(city.first()?.start..city.last()?.end)
    }

    fn find_region(&self, bytes: &[u8]) -> Option<&'static str> {
        let text = |r: &Range<usize>| String::from_utf8_lossy(&bytes[r.clone()]).into_owned();
        let origin = self
            .header
            .as_ref()
            .and_then(|h| h.origin.as_ref())
            .map(text);
        let from = self
            .routing
            .as_ref()
            .and_then(|r| r.from.as_ref())
            .map(text);
        let city = self.banner_city(bytes).map(|r| text(&r));
        [origin, from, city]
            .into_iter()
            .flatten()
            .find_map(|p| region_of_posting(&p))
    }

    /// What the normalised view changes for this structure: page breaks (with their repeated
    /// banner) read as blank space, letter-spaced banner words as words. Sorted by start.
    pub fn view_edits(&self) -> Vec<Edit> {
        let skips = self.page_breaks.iter().map(|p| Edit {
            range: p.skip.clone(),
            kind: EditKind::Skip,
        });
        let words = self.spaced_words.iter().map(|w| Edit {
            range: w.range.clone(),
            kind: EditKind::Word(w.word),
        });
        let mut out: Vec<Edit> = skips.chain(words).collect();
        out.sort_by_key(|e| e.range.start);
        out
    }

    /// Whether anything cable-like was found.
    pub fn is_cable(&self) -> bool {
        self.header.is_some() || self.routing.is_some() || self.banner.is_some()
    }

    /// The marking the banner and its caveat lines give (`UNCLAS` + `SENSITIVE` reads as
    /// `UNCLASSIFIED//FOR OFFICIAL USE ONLY`).
    pub fn banner_marking(&self, bytes: &[u8]) -> Option<Marking> {
        let b = self.banner.as_ref()?;
        let mut m = Marking::new(b.level);
        let mut add = |r: Range<usize>| {
            let t = String::from_utf8_lossy(&bytes[r]).into_owned();
            for w in t.split([' ', ',', '/']) {
                m.add_caveat(w);
            }
        };
        add(b.marking.end..b.line.end);
        for r in &self.caveat_lines {
            add(r.clone());
        }
        Some(m)
    }

    /// The marking of the viewer's `Classification` field.
    pub fn header_marking(&self, bytes: &[u8]) -> Option<Marking> {
        let r = self.header.as_ref()?.classification.clone()?;
        parse_marking(std::str::from_utf8(&bytes[r]).ok()?)
    }

    /// The level the routing classification group gives (`CCCCC` -> confidential).
    pub fn routing_level(&self, bytes: &[u8]) -> Option<Level> {
        let g = self.routing.as_ref()?.class_group.clone()?;
        marking::routing_level(*bytes.get(g.start)?)
    }

    /// Whether an original byte range lies in the part `scope` names.
    pub fn in_scope(&self, scope: Scope, span: &Range<usize>) -> bool {
        let at = span.start;
        match scope {
            Scope::Any => true,
            Scope::Header => self.is_cable() && self.head.contains(&at),
            Scope::Routing => self.routing.as_ref().is_some_and(|r| r.range.contains(&at)),
            Scope::Body => self.body.contains(&at) || (self.body.is_empty() && !self.is_cable()),
            Scope::Signature => self.signature.iter().any(|r| r.contains(&at)),
        }
    }
}
