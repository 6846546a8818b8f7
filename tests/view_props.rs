//! Property tests of the normalised view: the offset map is exact and round-trips, and
//! hard wraps and page breaks inserted into a text change neither what matches nor which
//! characters a match maps back to.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use regex::Regex;

use redline::cable::{Cable, Depth};
use redline::text::{normalized, normalized_with};

/// What a document looks like to the scanner: structure first, then the view.
fn view_of(bytes: &[u8]) -> redline::text::View {
    normalized_with(bytes, &Cable::parse(bytes).view_edits())
}

const WORDS: &[&str] = &[
    "the",
    "ministry",
    "said",
    "on",
    "Tuesday",
    "reached",
    "at",
    "+1-202-555-0147",
    "+7-7172-55-01-23",
    "Quentin",
    "Example",
    "Orrin",
    "Quillfeather",
    "jdoe@example.gov",
    "(202)",
    "555-0199",
    "talks",
    "will",
    "continue",
];

/// Ways a hard wrap can look in a cable export.
const WRAPS: &[&str] = &[" \n", "\n", "  \n  ", " \r\n", "\\\n", "\u{a0}\n", "\t\n "];

/// Page breaks inside running text, with and without the repeated banner.
const PAGE_BREAKS: &[&str] = &[
    " \n \nATLANTIS 00000123  002 OF 003 \n \n \n",
    "\n\nATLANTIS 00000123  002.2 OF 003\n\nCONFIDENTIAL\n\n",
    "\nPAGE 02        ATLANT 00123  011200Z\n",
    "\n \nNEW ATLANTIS 00000123  003 OF 003\n \n",
    // A page header a viewer reflowed into the line: found through the banner's city.
    " ATLANTIS 00000123  002 OF 003 ",
];

/// The banner every generated text starts with, naming the city of its page headers.
const BANNER: &str = "UNCLAS SECTION 01 OF 03 ATLANTIS 000123\n\n";

fn items() -> Regex {
    Regex::new(r"\+1-202-555-01\d\d|\+7-7172-55-01-23|\(202\) 555-0199|Quentin Example|Orrin Quillfeather|jdoe@example\.gov").unwrap()
}

fn collapse(s: &str) -> String {
    let mut s = s.to_string();
    for pb in PAGE_BREAKS {
        for line in pb.lines() {
            let line = line.trim();
            if !line.is_empty() {
                s = s.replace(line, " ");
            }
        }
    }
    s.replace(['\\', '\u{a0}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

prop_compose! {
    /// A clean text (words joined by single spaces) and the same text with every chosen gap
    /// replaced by a wrap or a page break.
    fn clean_and_broken()(
        words in prop::collection::vec(prop::sample::select(WORDS), 2..60),
        breaks in prop::collection::vec((any::<prop::sample::Index>(), 0..WRAPS.len() + PAGE_BREAKS.len()), 0..12),
    ) -> (String, String) {
        let clean = format!("{BANNER}{}", words.join(" "));
        let mut gaps: Vec<Option<&str>> = vec![None; words.len() - 1];
        for (at, kind) in breaks {
            let g = at.index(gaps.len());
            gaps[g] = Some(if kind < WRAPS.len() { WRAPS[kind] } else { PAGE_BREAKS[kind - WRAPS.len()] });
        }
        let mut broken = format!("{BANNER}{}", words[0]);
        for (w, gap) in words[1..].iter().zip(gaps) {
            broken.push_str(gap.unwrap_or(" "));
            broken.push_str(w);
        }
        (clean, broken)
    }
}

proptest! {
    #[test]
    fn every_clean_match_is_found_in_the_broken_text((clean, broken) in clean_and_broken()) {
        let re = items();
        let view = view_of(broken.as_bytes());
        prop_assert_eq!(view.text(), clean.as_str(), "the view reads the broken text as the clean one");
        let found: Vec<_> = re.find_iter(view.text()).map(|m| m.range()).collect();
        let wanted: Vec<_> = re.find_iter(&clean).map(|m| m.range()).collect();
        prop_assert_eq!(found.len(), wanted.len());
        for (f, w) in found.iter().zip(&wanted) {
            let span = view.to_original(f.clone());
            let original = &broken[span];
            let item = &clean[w.clone()];
            prop_assert_eq!(collapse(original), item, "span maps to the same characters");
            let first = item.chars().next().unwrap();
            let last = item.chars().next_back().unwrap();
            prop_assert!(original.starts_with(first) && original.ends_with(last), "span is exact at both ends");
        }
    }

    #[test]
    fn offset_map_round_trips(bytes in prop::collection::vec(prop::sample::select(
        b"ab Z9.\n\r\t\\\xC2\xA0\xFF\xEF\xBB\xBF".to_vec()), 0..200)) {
        let view = normalized(&bytes);
        let text = view.text();
        let bounds: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
        let mut last_start = 0;
        for pair in bounds.windows(2) {
            let r = pair[0]..pair[1];
            let o = view.to_original(r.clone());
            prop_assert!(o.start <= o.end && o.end <= bytes.len());
            prop_assert!(o.start >= last_start, "the map is monotonic");
            last_start = o.start;
            let ch = &text[r.clone()];
            if !matches!(ch, " " | "\n" | "\u{FFFD}") {
                prop_assert_eq!(&bytes[o.clone()], ch.as_bytes(), "copied text maps byte for byte");
            }
            let back = view.from_original(o.clone());
            prop_assert!(back.start <= r.start && back.end >= r.end, "from_original covers the range");
            prop_assert_eq!(view.to_original(back), o, "and maps back to the same bytes");
        }
    }
}

#[test]
fn seed_phone_across_a_wrap_is_one_finding() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cables/07ASTANA614.txt"
    ))
    .unwrap();
    let view = view_of(&bytes);
    let at = view.text().find("+7-3172-70-22- 96").unwrap();
    let span = view.to_original(at..at + "+7-3172-70-22- 96".len());
    assert_eq!(&bytes[span], b"+7-3172-70-22- \n96");
}

#[test]
fn seed_sentence_interrupted_by_a_page_header_reads_whole() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cables/07ASTANA614.txt"
    ))
    .unwrap();
    let view = view_of(&bytes);
    // Section 16 starts in the middle of "... campaign in North / Kazakhstan on the ...".
    let sentence = "information campaign in North Kazakhstan on the counter trafficking";
    let at = view
        .text()
        .find(sentence)
        .expect("the page header is skipped");
    let span = view.to_original(at..at + sentence.len());
    let original = String::from_utf8_lossy(&bytes[span]);
    assert!(
        original.contains("016.2 OF 016"),
        "the span covers the skipped header"
    );
    assert!(
        !view.text().contains("00000614  0"),
        "no page header is left in the view"
    );
}

#[test]
fn reflowed_page_header_and_spaced_banner() {
    let text = "C O N F I D E N T I A L SECTION 01 OF 02 ATLANTIS 000123\n\n\
1. (C) The minister told Orrin ATLANTIS 00000123  002 OF 002 Quillfeather that talks go on.\n";
    let view = view_of(text.as_bytes());
    assert!(view.text().starts_with("CONFIDENTIAL SECTION"));
    let at = view
        .text()
        .find("Orrin Quillfeather")
        .expect("the reflowed header is skipped");
    let span = view.to_original(at..at + "Orrin Quillfeather".len());
    assert!(
        text[span.clone()].starts_with("Orrin ATLANTIS")
            && text[span.clone()].ends_with("Quillfeather")
    );
    let banner = view.to_original(0.."CONFIDENTIAL".len());
    assert_eq!(&text[banner], "C O N F I D E N T I A L");
}

/// Pieces of cable text and damage, for fuzzing the structure parser.
const FRAGMENTS: &[&str] = &[
    "UNCLAS",
    "C O N F I D E N T I A L",
    "S E C R E T",
    "SECRET",
    " SECTION 01 OF 16 ",
    "ATLANTIS 00000614  002.2 OF 016",
    "PAGE 02 ATLANT 00123 011200Z",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\r\n",
    "\t",
    "\\",
    "\u{a0}",
    "(C)",
    "(S//NF)",
    "(SBU)",
    "1.",
    "12. ",
    "A) ",
    "¶",
    "\u{FEFF}",
    "Reference ID: 09X1\n",
    "Classification: SECRET//NOFORN\n",
    "Origin: Embassy Atlantis\n",
    "Reference ID Created Released Classification Origin\n",
    "09X1 2009-01-01 00:00 ",
    "VZCZCXYZ0001\n",
    "O 011200Z JAN 09\n",
    "FM AMEMBASSY ATLANTIS\n",
    "TO RUEHC/SECSTATE\n",
    "ZNY CCCCC ZZH\n",
    "SIPDIS\n",
    "E.O. 12958: DECL: 01/01/2020\n",
    "EO 12958 DECL: ",
    "TAGS PREL\n",
    "SUBJECT: X\n",
    "REF: A\n",
    "Classified By: Q, reasons 1.4 (b)\n",
    "DRAFTED: POL:QX\n",
    "QUILLFEATHER\n",
    "word",
    "Orrin",
    "+1-202-555-0147",
];

proptest! {
    #[test]
    fn the_parser_never_fails_and_keeps_ranges_in_bounds(
        parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80),
        junk in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    ) {
        let mut bytes = parts.concat().into_bytes();
        for (at, b) in junk {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
        }
        let c = Cable::parse(&bytes);
        let len = bytes.len();
        let ok = |r: &std::ops::Range<usize>| r.start <= r.end && r.end <= len;
        prop_assert!(ok(&c.head) && ok(&c.body));
        for p in &c.paragraphs {
            prop_assert!(ok(&p.range) && p.mark.as_ref().is_none_or(ok));
        }
        for p in &c.page_breaks {
            prop_assert!(ok(&p.header) && ok(&p.skip));
        }
        for r in c.signature.iter().chain(&c.caveat_lines).chain(&c.action_lines).chain(&c.drafting) {
            prop_assert!(ok(r));
        }
        let f = &c.fields;
        for r in [&f.eo, &f.decl, &f.tags, &f.subject, &f.refs, &f.classified_by].into_iter().flatten() {
            prop_assert!(ok(r));
        }
        let view = view_of(&bytes);
        let whole = view.to_original(0..view.text().len());
        prop_assert!(ok(&whole));
    }
}

proptest! {
    /// A parse for the views alone ([`Depth::Views`]) gives the views and the region of a
    /// full parse, from the parts it reads, and leaves every other part empty.
    #[test]
    fn a_parse_for_the_views_gives_the_full_parse_s_views_and_region(
        parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80),
    ) {
        let bytes = parts.concat().into_bytes();
        let full = Cable::parse(&bytes);
        let views = Cable::parse_to(&bytes, Depth::Views);
        prop_assert_eq!(views.view_edits(), full.view_edits());
        prop_assert_eq!(views.region, full.region);
        prop_assert_eq!(&views.header, &full.header);
        prop_assert_eq!(&views.routing, &full.routing);
        prop_assert_eq!(&views.banner, &full.banner);
        let expected = Cable {
            header: full.header.clone(),
            routing: full.routing.clone(),
            banner: full.banner.clone(),
            page_breaks: full.page_breaks.clone(),
            spaced_words: full.spaced_words.clone(),
            region: full.region,
            body: 0..bytes.len(),
            ..Cable::default()
        };
        prop_assert_eq!(views, expected);
    }
}

#[test]
fn the_seed_cable_parsed_for_its_views_reads_as_parsed_whole() {
    let bytes = include_bytes!("fixtures/cables/07ASTANA614.txt");
    let full = Cable::parse(bytes);
    let views = Cable::parse_to(bytes, Depth::Views);
    // The seed has page breaks and a posting: the comparison is not of two empty lists.
    assert!(full.page_breaks.len() > 5, "{:?}", full.page_breaks.len());
    assert_eq!(full.region, Some("KZ"));
    assert_eq!(views.view_edits(), full.view_edits());
    assert_eq!(views.region, full.region);
    assert!(!full.paragraphs.is_empty() && views.paragraphs.is_empty());
}
