//! Evidence scoring: each run of name-shaped words is split where a word cannot belong to a
//! name (titles, jargon, ordinary English words, places, acronyms), and each piece is judged
//! on what the gazetteers say of its words and on the cues around it.

use std::ops::Range;

use super::Settings;
pub(crate) use super::analysis::Analysis;
use super::cues::class;
use super::gazetteer;
use super::propagate::Known;
use super::tokens::{Shape, is_particle};
use crate::rules::schema::Confidence;

/// Why a piece is a name, beyond the lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    /// No context cue.
    None,
    /// A title before it (token index).
    Title(usize),
    /// An honorific before it (token index).
    Honorific(usize),
    /// A role noun before it (token index).
    Role(usize),
    /// A reporting verb after it (token index).
    Verb(usize),
    /// An apposition after it naming a title (token index).
    Apposition(usize),
    /// A possessive `'s` on it (token index).
    Possessive(usize),
    /// The same name found earlier in the document.
    Earlier,
    /// A cable convention (routing line, drafting line, signature...).
    Convention(&'static str),
}

/// What the gazetteers say of a piece as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lists {
    /// A given name followed by listed or unknown surnames.
    GivenSurname,
    /// Two or more listed name words.
    Names,
    /// One listed name word.
    Name,
    /// Words no list knows.
    Unlisted,
}

/// One name found, as a range of token indices.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Token range of the name.
    pub tokens: Range<usize>,
    /// How sure.
    pub confidence: Confidence,
    /// Context cue.
    pub cue: Cue,
    /// List evidence.
    pub lists: Lists,
}

/// What a word of a run is, for splitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// May be inside a name.
    Keep,
    /// Ends the piece; a title also cues the next piece.
    Split,
    /// A title: ends the piece and cues the next.
    Title,
}

/// What word `i` of a run is, for splitting. Sets `open` when more known names could make
/// a split word [`Part::Keep`] (no known name turns a kept word into a split).
fn part(a: &Analysis<'_>, i: usize, known: &Known, run_caps: bool, open: &mut bool) -> Part {
    let t = &a.tokens[i];
    let w = a.word_bytes(i);
    match t.shape {
        Shape::Initial => return Part::Keep,
        Shape::Lower => {
            return if is_particle(w) {
                Part::Keep
            } else {
                Part::Split
            };
        }
        Shape::Other => return Part::Split,
        Shape::Cap | Shape::Upper => {}
    }
    if a.is(i, class::TITLE) {
        return Part::Title;
    }
    // A word in capitals has no lower case, so no jargon shape.
    if a.is(i, class::NOT_NAME | class::FUNCTION) || (t.shape == Shape::Cap && is_jargon_shape(w)) {
        return Part::Split;
    }
    // In prose, capitals are an acronym (`NEA`, `DATT`) unless a name found earlier, long
    // enough not to be one, is written in capitals (`SARSENBAYEVA,s`).
    let prose_caps = t.shape == Shape::Upper && !run_caps && !a.caps_context(i);
    if prose_caps && w.len() < 5 {
        return Part::Split;
    }
    if known.contains_token(a, i) {
        return Part::Keep;
    }
    if prose_caps {
        *open = true;
        return Part::Split;
    }
    let lex = a.lex(i);
    if (lex.english() || lex.place()) && (!lex.name() || a.sentence_start(i)) {
        *open = true;
        return Part::Split;
    }
    Part::Keep
}

/// Capitals inside a word that no name prefix explains: `EmbOff`, `PolCouns`, `NGOs`, `RoK`.
fn is_jargon_shape(word: &[u8]) -> bool {
    const PREFIXES: &[&str] = &[
        "Mc", "Mac", "De", "Di", "Da", "La", "Le", "Van", "Fitz", "Du",
    ];
    // Most words have no capital after their first letter: settled in one pass.
    if !word
        .get(1..)
        .is_some_and(|rest| rest.iter().any(u8::is_ascii_uppercase))
    {
        return false;
    }
    let inner_cap = word
        .windows(2)
        .any(|p| p[1].is_ascii_uppercase() && !matches!(p[0], b'\'' | b'-'));
    inner_cap
        && word.iter().any(u8::is_ascii_lowercase)
        && !PREFIXES.iter().any(|p| word.starts_with(p.as_bytes()))
}

/// Judge one run; push every name in it. Returns whether the verdict is open: whether
/// knowing more names than `known` could change it (a word split off for being ordinary, or
/// a piece with no cue, which a known word would give [`Cue::Earlier`]). A run judged
/// closed is judged the same with any larger `known`.
///
/// `QUICK` settles a lone short word in capitals in prose before looking for its cue; the
/// verdict is the same without (a test holds them to it).
pub(crate) fn judge_run<const QUICK: bool>(
    a: &Analysis<'_>,
    run: Range<usize>,
    known: &Known,
    settings: &Settings,
    out: &mut Vec<Found>,
) -> bool {
    if a.skip.holds(a.tokens[run.start].start) {
        return false;
    }
    if run.start > 0 && a.tokens[run.start].joined && a.is(run.start - 1, class::THING_BEFORE) {
        return false;
    }
    // A lone word is a name only with a cue (see `score`): the many lone capitalised words
    // without one are settled here, before any gazetteer lookup.
    if run.len() == 1 {
        let i = run.start;
        if !matches!(a.tokens[i].shape, Shape::Cap | Shape::Upper) {
            return false;
        }
        // A short word in capitals in prose is an acronym whatever stands around it (see
        // `part`): cheaper to tell than a cue.
        if QUICK
            && a.tokens[i].shape == Shape::Upper
            && a.word_bytes(i).len() < 5
            && !a.caps_context(i)
        {
            return false;
        }
        if piece_cue(a, run.clone(), &[i], Cue::None, known, settings) == Cue::None {
            return true;
        }
    }
    let mut open = false;
    // Everything before an organisation word is the organisation's name.
    let start = (run.start..run.end)
        .rev()
        .find(|&i| i > run.start && a.is(i, class::ORG))
        .map_or(run.start, |i| i + 1);
    let places = place_phrases(a, start..run.end);
    // Two capitalised words in a row are a heading or a subject line, not an acronym.
    let run_caps = (start..run.end)
        .filter(|&i| a.tokens[i].shape == Shape::Upper)
        .count()
        >= 2;
    let mut piece = start;
    let mut cue = Cue::None;
    for i in start..=run.end {
        let in_place = i
            .checked_sub(start)
            .is_some_and(|k| k < 64 && places & (1 << k) != 0);
        // `ORDWAY ORDWAY`: a word repeated is two mentions.
        let repeated =
            i > start && i < run.end && a.word_bytes(i).eq_ignore_ascii_case(a.word_bytes(i - 1));
        if repeated && piece < i {
            open |= judge_piece(a, piece..i, cue, known, settings, out);
            piece = i;
            cue = Cue::None;
        }
        let part = if i == run.end || in_place {
            Part::Split
        } else {
            part(a, i, known, run_caps, &mut open)
        };
        if part == Part::Keep {
            continue;
        }
        if piece < i {
            open |= judge_piece(a, piece..i, cue, known, settings, out);
        }
        cue = if part == Part::Title && settings.context {
            if a.is(i, class::HONORIFIC) {
                Cue::Honorific(i)
            } else {
                Cue::Title(i)
            }
        } else {
            Cue::None
        };
        piece = i + 1;
    }
    open
}

/// Bit `k` set when token `run.start + k` is part of a two- or three-word place name
/// (`Costa Rica`, `Tel Aviv`, `San Pedro Sula`).
fn place_phrases(a: &Analysis<'_>, run: Range<usize>) -> u64 {
    let mut bits = 0u64;
    let n = run.len().min(64);
    if n < 2 || !a.use_lists {
        return bits;
    }
    for k in 0..n - 1 {
        // A place phrase starts at a place head and goes on with a place's second word:
        // two cached lookups rule most positions out without building a phrase.
        if !a.lex(run.start + k).place_head() || !a.lex(run.start + k + 1).place_second() {
            continue;
        }
        for len in [3usize, 2] {
            if k + len > n {
                continue;
            }
            let i = run.start + k;
            let words = [a.word(i), a.word(i + 1), a.word(i + 2)];
            if gazetteer::is_place_phrase(&words[..len]) {
                bits |= ((1u64 << len) - 1) << k;
            }
        }
    }
    bits
}

/// Trim particles and trailing initials off a piece.
fn trim(a: &Analysis<'_>, mut r: Range<usize>) -> Range<usize> {
    while r.start < r.end && a.tokens[r.start].shape == Shape::Lower {
        r.start += 1;
    }
    while r.end > r.start && matches!(a.tokens[r.end - 1].shape, Shape::Lower | Shape::Initial) {
        r.end -= 1;
    }
    r
}

/// Judge one piece of a run; push the name it is, if any. Returns whether the verdict is
/// open (see [`judge_run`]).
fn judge_piece(
    a: &Analysis<'_>,
    piece: Range<usize>,
    cue: Cue,
    known: &Known,
    settings: &Settings,
    out: &mut Vec<Found>,
) -> bool {
    let piece = trim(a, piece);
    if piece.is_empty() {
        return false;
    }
    // The name words, at most five: longer runs of capitals are tag lists and headings,
    // not one person's name.
    let mut buf = [0usize; 5];
    let mut n = 0;
    for i in piece.clone() {
        if matches!(a.tokens[i].shape, Shape::Cap | Shape::Upper) {
            let Some(slot) = buf.get_mut(n) else {
                return false;
            };
            *slot = i;
            n += 1;
        }
    }
    let words = &buf[..n];
    if words.is_empty() {
        return false;
    }
    let cue = piece_cue(a, piece.clone(), words, cue, known, settings);
    if words.len() > 1 && is_place(a, words) {
        return false;
    }
    if let Some((confidence, lists)) = score(a, words, cue) {
        out.push(Found {
            tokens: piece,
            confidence,
            cue,
            lists,
        });
    }
    // With no cue, a known word would give it one (see `piece_cue`).
    cue == Cue::None
}

/// The cue of a piece with name words `words`: `cue` (a title earlier in the run), else a
/// convention window it stands in, else a context cue, else an earlier mention.
fn piece_cue(
    a: &Analysis<'_>,
    piece: Range<usize>,
    words: &[usize],
    cue: Cue,
    known: &Known,
    settings: &Settings,
) -> Cue {
    let at = a.tokens[piece.start].start;
    let window = a.windows.iter().find(|(r, _)| r.contains(&at));
    let cue = match (cue, window) {
        (Cue::None, Some((_, what))) if settings.conventions => Cue::Convention(what),
        (Cue::None, _) if settings.context => context_cue(a, piece),
        (c, _) => c,
    };
    let earlier = settings.propagation && words.iter().any(|&i| known.contains_token(a, i));
    if earlier && cue == Cue::None {
        Cue::Earlier
    } else {
        cue
    }
}

fn is_place(a: &Analysis<'_>, words: &[usize]) -> bool {
    // Only a place head followed by a place's second word can start a place phrase (see
    // `build.rs`): two cached lookups rule most pieces out without walking the automaton.
    if a.use_lists
        && !(words.first().is_some_and(|&i| a.lex(i).place_head())
            && words.get(1).is_some_and(|&i| a.lex(i).place_second()))
    {
        return false;
    }
    let mut texts = [""; 5];
    for (t, &i) in texts.iter_mut().zip(words) {
        *t = a.word(i);
    }
    gazetteer::is_place_phrase(&texts[..words.len().min(5)])
}

/// The list evidence and confidence of a piece's name words, or `None` for no name.
///
/// A lone word with no cue is never a name: [`judge_run`] relies on this to settle lone
/// words before looking them up.
fn score(a: &Analysis<'_>, words: &[usize], cue: Cue) -> Option<(Confidence, Lists)> {
    let lex = |i: usize| a.lex(i);
    let caps = |i: usize| a.tokens[i].shape == Shape::Upper;
    let strong = words.iter().filter(|&&i| lex(i).strong()).count();
    let listed = words.iter().filter(|&&i| lex(i).name()).count();
    // A word no list knows is evidence in prose, where it is capitalised on purpose; among
    // capitals it may be any acronym.
    let unknown = words
        .iter()
        .filter(|&&i| lex(i).unknown() && !caps(i))
        .count();
    let first_given = lex(words[0]).given();
    let has_cue = cue != Cue::None;
    let strong_cue = matches!(cue, Cue::Honorific(_) | Cue::Earlier | Cue::Convention(_));
    use Confidence::{High, Medium};
    if words.len() >= 2 {
        let lists = if first_given && strong + unknown >= 1 {
            Lists::GivenSurname
        } else if listed >= 2 {
            Lists::Names
        } else if listed == 1 {
            Lists::Name
        } else {
            Lists::Unlisted
        };
        return match lists {
            Lists::GivenSurname if strong >= 1 => Some((High, lists)),
            Lists::GivenSurname => Some((Medium, lists)),
            Lists::Names if strong >= 2 || has_cue => Some((High, lists)),
            Lists::Names | Lists::Name if strong >= 1 && unknown >= 1 => Some((Medium, lists)),
            _ if has_cue => Some((Medium, lists)),
            _ => None,
        };
    }
    let i = words[0];
    let l = lex(i);
    let lists = if l.name() {
        Lists::Name
    } else {
        Lists::Unlisted
    };
    if strong_cue && !(l.place() && cue == Cue::Earlier) {
        return Some((High, lists));
    }
    if l.place() && !matches!(cue, Cue::Honorific(_) | Cue::Verb(_) | Cue::Title(_)) {
        return None;
    }
    let titled = matches!(cue, Cue::Title(_) | Cue::Honorific(_));
    let unknown_ok = l.unknown() && (!caps(i) || (titled && a.word(i).len() >= 4));
    let possessive = matches!(cue, Cue::Possessive(_));
    if has_cue && ((l.name() && (!possessive || l.strong())) || unknown_ok) {
        return Some((if l.strong() { High } else { Medium }, lists));
    }
    // A lone listed word with no cue is as often a company, a party or a town
    // (`Boeing`, `Fatah`, `Sahel`) as a person: it needs a cue or an earlier mention.
    None
}

/// A cue outside the piece: a title or role before it, a verb or an apposition after it.
fn context_cue(a: &Analysis<'_>, piece: Range<usize>) -> Cue {
    if let Some(c) = cue_before(a, piece.start) {
        return c;
    }
    let next = piece.end;
    let Some(t) = a.tokens.get(next) else {
        return Cue::None;
    };
    let gap = a.gap_before(next).unwrap_or_default();
    if gap == b" " && t.shape == Shape::Lower && a.is(next, class::VERB) {
        return Cue::Verb(next);
    }
    // `Asad's offer`: a possessive on a single word nobody lists as ordinary or a place.
    let last = &a.tokens[next - 1];
    let possessive = a
        .text
        .as_bytes()
        .get(last.end..)
        .is_some_and(|r| r.starts_with(b"'s ") || r.starts_with("\u{2019}s ".as_bytes()));
    if possessive && piece.len() == 1 && last.shape == Shape::Cap && !a.sentence_start(next - 1) {
        return Cue::Possessive(next - 1);
    }
    if gap == b", " {
        for j in next..(next + 3).min(a.tokens.len()) {
            if a.is(j, class::TITLE | class::ROLE) {
                return Cue::Apposition(j);
            }
        }
    }
    Cue::None
}

fn cue_before(a: &Analysis<'_>, first: usize) -> Option<Cue> {
    let p = first.checked_sub(1)?;
    let gap = a.gap_before(first)?;
    // `A/S Welch`, `U/S Burns`: the tokenizer sees `A`, `S` (so the word before is `S`).
    if a.word_bytes(p) == b"S" {
        let lead = a.text.as_bytes().get(..a.tokens[first].start)?;
        if [&b"A/S "[..], b"U/S ", b"A/S: "]
            .iter()
            .any(|t| lead.ends_with(t))
        {
            return Some(Cue::Title(p));
        }
    }
    if matches!(gap, b" " | b". " | b"") {
        let c = a.class(p);
        if c & class::HONORIFIC != 0 {
            return Some(Cue::Honorific(p));
        }
        if c & class::TITLE != 0 {
            return Some(Cue::Title(p));
        }
        if c & class::ROLE != 0 && a.tokens[p].shape == Shape::Lower {
            return Some(Cue::Role(p));
        }
    }
    if gap == b", " {
        // `Minister of Foreign Affairs, Ana Ruiz`: the title furthest back names the role.
        let mut title = None;
        for j in (p.saturating_sub(5)..=p).rev() {
            let w = a.word(j);
            if a.is(j, class::TITLE) {
                title = Some(Cue::Title(j));
            }
            let filler = matches!(w, "of" | "for" | "the" | "and" | "on");
            if a.tokens[j].shape != Shape::Cap && !filler {
                break;
            }
        }
        return title;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_inside_a_word_are_jargon_unless_a_name_prefix_or_a_joiner_explains_them() {
        for w in [
            "EmbOff", "PolCouns", "NGOs", "RoK", "PolOff", "iPhone", "iOS",
        ] {
            assert!(is_jargon_shape(w.as_bytes()), "{w}");
        }
        for w in [
            "Waldo",
            "WALDO",
            "McDonald",
            "MacArthur",
            "DeLay",
            "VanDyke",
            "FitzGerald",
            "O'Brien",
            "al-Qadhafi",
            "Smith-Jones",
            "X",
            "",
        ] {
            assert!(!is_jargon_shape(w.as_bytes()), "{w}");
        }
    }
}
