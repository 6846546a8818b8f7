//! The cable structure parser on the seed cable (snapshot) and on synthetic cables in both
//! viewer layouts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write;
use std::ops::Range;

use redline::cable::{Cable, Level, Scope};

/// The structure rendered as text: each part's original bytes, so a reviewer can read it.
fn render(bytes: &[u8], c: &Cable) -> String {
    let t = |r: &Range<usize>| String::from_utf8_lossy(&bytes[r.clone()]).replace('\n', "⏎");
    let opt = |r: &Option<Range<usize>>| r.as_ref().map_or("-".to_string(), t);
    let mut s = String::new();
    if let Some(h) = &c.header {
        writeln!(
            s,
            "header: id={} created={} released={} class={} origin={} title={}",
            opt(&h.reference_id),
            opt(&h.created),
            opt(&h.released),
            opt(&h.classification),
            opt(&h.origin),
            opt(&h.title)
        )
        .unwrap();
    }
    if let Some(r) = &c.routing {
        writeln!(
            s,
            "routing: lines {}..{} precedence={} from={} group={}",
            line_of(bytes, r.range.start),
            line_of(bytes, r.range.end),
            opt(&r.precedence),
            opt(&r.from),
            opt(&r.class_group)
        )
        .unwrap();
        for x in &r.to {
            writeln!(s, "  to: {}", t(x)).unwrap();
        }
        for x in &r.info {
            writeln!(s, "  info: {}", t(x)).unwrap();
        }
    }
    if let Some(b) = &c.banner {
        writeln!(
            s,
            "banner: {} marking={} level={:?} section={:?}",
            t(&b.line),
            t(&b.marking),
            b.level,
            b.section
        )
        .unwrap();
    }
    writeln!(
        s,
        "banner marking: {:?}",
        c.banner_marking(bytes).map(|m| m.to_string())
    )
    .unwrap();
    writeln!(
        s,
        "header marking: {:?}",
        c.header_marking(bytes).map(|m| m.to_string())
    )
    .unwrap();
    for x in &c.caveat_lines {
        writeln!(s, "caveat: {}", t(x)).unwrap();
    }
    for x in &c.action_lines {
        writeln!(s, "action: {}", t(x)).unwrap();
    }
    let f = &c.fields;
    writeln!(
        s,
        "eo: {}\ndecl: {}\ntags: {}\nsubject: {}\nref: {}\nclassified by: {}",
        opt(&f.eo),
        opt(&f.decl),
        opt(&f.tags),
        opt(&f.subject),
        opt(&f.refs),
        opt(&f.classified_by)
    )
    .unwrap();
    writeln!(
        s,
        "body: lines {}..{}",
        line_of(bytes, c.body.start),
        line_of(bytes, c.body.end)
    )
    .unwrap();
    for p in &c.paragraphs {
        writeln!(
            s,
            "para {:?} line {} mark={} marking={:?}",
            p.number,
            line_of(bytes, p.range.start),
            opt(&p.mark),
            p.marking.as_ref().map(|m| m.to_string())
        )
        .unwrap();
    }
    for p in &c.page_breaks {
        writeln!(
            s,
            "page break line {}: {} inline={} banner={}",
            line_of(bytes, p.header.start),
            t(&p.header),
            p.inline,
            opt(&p.banner)
        )
        .unwrap();
    }
    for x in &c.drafting {
        writeln!(s, "drafting: {}", t(x)).unwrap();
    }
    for x in &c.signature {
        writeln!(s, "signature: {}", t(x)).unwrap();
    }
    writeln!(s, "region: {:?}", c.region).unwrap();
    s
}

fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[test]
fn seed_cable_structure() {
    let bytes = std::fs::read(common::seed()).unwrap();
    let c = Cable::parse(&bytes);
    let b = c.banner_marking(&bytes).unwrap();
    assert_eq!(b.to_string(), "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
    assert_eq!(c.header_marking(&bytes).unwrap(), b);
    assert_eq!(c.banner.as_ref().unwrap().section, Some((1, 16)));
    assert_eq!(&bytes[c.signature[0].clone()], b"ORDWAY");
    assert_eq!(c.region, Some("KZ"));
    assert_eq!(
        c.page_breaks.len(),
        15,
        "sections 2-16 minus the missing 9th, plus page 1"
    );
    let marks: Vec<&[u8]> = c
        .paragraphs
        .iter()
        .filter_map(|p| p.mark.clone())
        .map(|r| &bytes[r])
        .collect();
    assert!(marks.len() > 60 && marks.iter().all(|m| *m == b"(SBU)"));
    common::snapshots()
        .bind(|| insta::assert_snapshot!("cable__seed_structure", render(&bytes, &c)));
}

const KEY_VALUE: &str = "Reference ID: 09ATLANTIS12\nCreated: 2009-01-02 03:04\n\
Released: 2011-01-01 00:00\nClassification: SECRET//NOFORN\nOrigin: Embassy San Jose\n\
Title: A TITLE\n\nS E C R E T SECTION 01 OF 02 SAN JOSE 000012\n\nNOFORN\nSIPDIS\n\n\
DEPARTMENT FOR WHA/CEN (QUILLFEATHER)\n\nE.O. 12958: DECL: 01/02/2019\nTAGS: PREL, CS\n\
SUBJECT: A SUBJECT\nSPANNING TWO LINES\n\nREF: A. 08 SAN JOSE 1\n\n\
Classified By: Ambassador Orrin Quillfeather for reasons 1.4 (b)\nand (d).\n\n\
1. (S//NF) First paragraph\ncontinues here.\n\nSAN JOSE 00000012  002 OF 002\n\nSECRET\n\n\
2. (C) Second.\n\n3. Unmarked.\n\n4. (C) A list:\n1. first item;\n2. second item.\n\nDRAFTED: POL:QUILLFEATHER\n\nQUILLFEATHER\n";

#[test]
fn key_value_layout_and_every_head_field() {
    let bytes = KEY_VALUE.as_bytes();
    let c = Cable::parse(bytes);
    let s = |r: &Option<Range<usize>>| {
        std::str::from_utf8(&bytes[r.clone().unwrap()])
            .unwrap()
            .to_string()
    };
    let h = c.header.as_ref().unwrap();
    assert_eq!(s(&h.classification), "SECRET//NOFORN");
    assert_eq!(s(&h.origin), "Embassy San Jose");
    assert_eq!(s(&h.title), "A TITLE");
    assert_eq!(c.region, Some("CR"));
    assert_eq!(c.banner.as_ref().unwrap().level, Level::Secret);
    assert_eq!(
        c.banner_marking(bytes).unwrap().to_string(),
        "SECRET//NOFORN"
    );
    assert_eq!(c.action_lines.len(), 1);
    assert_eq!(s(&c.fields.decl), "DECL: 01/02/2019");
    assert_eq!(s(&c.fields.subject), "A SUBJECT\nSPANNING TWO LINES");
    assert_eq!(
        s(&c.fields.classified_by),
        "Classified By: Ambassador Orrin Quillfeather for reasons 1.4 (b)\nand (d)",
        "to the end of its reasons, without the full stop"
    );
    let nums: Vec<Option<u32>> = c.paragraphs.iter().map(|p| p.number).collect();
    assert_eq!(
        nums,
        vec![Some(1), Some(2), Some(3), Some(4)],
        "list items are no paragraphs"
    );
    assert!(c.paragraphs[2].mark.is_none());
    assert_eq!(c.page_breaks.len(), 1);
    assert!(
        c.page_breaks[0].banner.is_some(),
        "repeated banner belongs to the page break"
    );
    assert_eq!(c.drafting.len(), 1);
    assert_eq!(c.signature.len(), 1);
    let sig = c.signature[0].clone();
    assert!(c.in_scope(Scope::Signature, &sig) && !c.in_scope(Scope::Body, &sig));
    let at = KEY_VALUE.find("First").unwrap();
    assert!(c.in_scope(Scope::Body, &(at..at + 5)) && !c.in_scope(Scope::Header, &(at..at + 5)));
}

#[test]
fn plain_documents_have_no_structure() {
    let bytes = b"Dear all,\nthe meeting is at noon.\nRegards\n";
    let c = Cable::parse(bytes);
    assert!(!c.is_cable());
    assert!(c.paragraphs.is_empty() && c.signature.is_empty() || !c.signature.is_empty());
    assert!(c.in_scope(Scope::Body, &(0..4)));
    assert!(!c.in_scope(Scope::Routing, &(0..4)));
    assert!(Cable::parse(b"").body.is_empty());
    assert!(!Cable::parse(b"\xff\xfe\x00garbage").is_cable());
}

#[test]
fn head_keys_without_dots_or_colons() {
    let text = b"C O N F I D E N T I A L SECTION 01 OF 05 ATLANTIS 000123\n\nSIPDIS\n\n\
STATE FOR EUR/WE\n\nEO 12958 DECL: 07/31/2018\nTAGS PGOV, PREL\nSUBJECT: (C/NF) A TEST\n\n\
Classified By: Ambassador Orrin Quillfeather, reasons\n1.4 b, d.\n1. (C/NF) Text.\n";
    let c = Cable::parse(text);
    assert_eq!(&text[c.fields.decl.clone().unwrap()], b"DECL: 07/31/2018");
    assert_eq!(&text[c.fields.tags.clone().unwrap()], b"PGOV, PREL");
    assert_eq!(c.action_lines.len(), 1);
    assert!(c.fields.classified_by.is_some());
    assert_eq!(c.paragraphs.len(), 1);
}

/// A rule's `scope` keeps its hits only inside that part of a cable.
#[test]
fn rule_scope_keeps_hits_in_their_part() {
    use redline::rules::{RuleSet, parse_rule};
    use redline::scan::Scanner;
    let rule = |id: &str, scope: &str| {
        // One category each: the scanner would merge equal findings of one category.
        let cat = id.replace('.', "");
        let yaml = format!(
            "id: {id}\ncategory: {cat}\nseverity: info\nmessage: m\ndescription: d\n\
             literals: [QUILLFEATHER]\nscope: {scope}\nexamples: ['QUILLFEATHER']\n\
             negative_examples: ['x']\n"
        );
        parse_rule(&format!("{id}.yaml"), &yaml, false, &|_| Err("none".into())).unwrap()
    };
    let mut set = RuleSet::new();
    set.extend(vec![
        rule("t.sig", "signature"),
        rule("t.body", "body"),
        rule("t.any", "any"),
    ])
    .unwrap();
    let scanner = Scanner::new(&set).unwrap();
    let text =
        "UNCLAS ATLANTIS 000123\n\nSUBJECT: TEST\n\n1. (U) QUILLFEATHER spoke.\n\nQUILLFEATHER\n";
    let found: Vec<(String, usize)> = scanner
        .scan(text.as_bytes())
        .iter()
        .map(|f| (scanner.rules()[f.rule].id.clone(), f.span.start))
        .collect();
    let body = text.find("QUILLFEATHER").unwrap();
    let sig = text.rfind("QUILLFEATHER").unwrap();
    let mut want = vec![
        ("t.any".to_string(), body),
        ("t.body".to_string(), body),
        ("t.any".to_string(), sig),
        ("t.sig".to_string(), sig),
    ];
    want.sort_by_key(|(id, at)| (*at, id.clone()));
    let mut found = found;
    found.sort_by_key(|(id, at)| (*at, id.clone()));
    assert_eq!(found, want);
}

#[test]
fn fields_reflowed_into_other_lines_are_found() {
    let text = b"S E C R E T SECTION 01 OF 02 ATLANTIS 000123\n\
SIPDIS DEPT FOR NEA/XYZ E.O. 12958: DECL: 8/27/2029\nTAGS: PREL\nSUBJECT: X\n\
REF: A. ATLANTIS 1  Classified By: Orrin Quillfeather, reasons 1.4 (b), (d) 1. (S) Text.\n\n\
2. (S) More.\n";
    let c = Cable::parse(text);
    assert_eq!(&text[c.fields.decl.clone().unwrap()], b"DECL: 8/27/2029");
    assert_eq!(
        &text[c.fields.classified_by.clone().unwrap()],
        &b"Classified By: Orrin Quillfeather, reasons 1.4 (b), (d)"[..]
    );
}

#[test]
fn a_bare_date_on_the_eo_line_is_the_declassification_date() {
    let text =
        b"CONFIDENTIAL ATLANTIS 000123\n\nE.O. 12958 03/24/2019\nTAGS PREL\n\n1. (C) Text.\n";
    let c = Cable::parse(text);
    assert_eq!(&text[c.fields.decl.clone().unwrap()], b"03/24/2019");
}

/// Page headers are skipped by the view: no phone or person finding of the built-in rules
/// starts inside one on the seed cable.
#[test]
fn no_finding_inside_a_page_header_of_the_seed() {
    let bytes = std::fs::read(common::seed()).unwrap();
    let c = Cable::parse(&bytes);
    let set = redline::rules::RuleSet::builtin().unwrap();
    let scanner = redline::scan::Scanner::new(&set).unwrap();
    for f in scanner.scan(&bytes) {
        let cat = &scanner.rules()[f.rule].category;
        if cat == "phone" || cat == "person" {
            assert!(
                !c.page_breaks
                    .iter()
                    .any(|p| p.header.contains(&f.span.start)),
                "{cat} finding in a page header at {:?}",
                f.span
            );
        }
    }
}
