//! Classification levels and markings: banner words, header values, portion marks and the
//! routing classification group, all read into one comparable [`Marking`].

use std::fmt;

/// A classification level, ordered from least to most restricted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Level {
    /// `UNCLASSIFIED`, `UNCLAS`, `(U)`, `(SBU)`.
    Unclassified,
    /// `CONFIDENTIAL`, `(C)`.
    Confidential,
    /// `SECRET`, `(S)`.
    Secret,
    /// `TOP SECRET`, `(TS)`.
    TopSecret,
}

impl Level {
    /// The level's banner word.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Unclassified => "UNCLASSIFIED",
            Level::Confidential => "CONFIDENTIAL",
            Level::Secret => "SECRET",
            Level::TopSecret => "TOP SECRET",
        }
    }

    /// The level a routing classification group letter stands for (`C` of `CCCCC`).
    pub fn of_group(letter: u8) -> Option<Level> {
        routing_level(letter)
    }

    /// Whether the level is above unclassified.
    pub fn is_classified(self) -> bool {
        self > Level::Unclassified
    }
}

/// A level plus its handling caveats, normalised (`NF` reads as `NOFORN`, `SBU`/`FOUO`/
/// `SENSITIVE` on an unclassified cable read as `FOR OFFICIAL USE ONLY`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Marking {
    /// The classification level.
    pub level: Level,
    /// Normalised caveats, in the order first seen, without duplicates.
    pub caveats: Vec<String>,
}

impl Marking {
    /// A marking with no caveats.
    pub fn new(level: Level) -> Self {
        Marking {
            level,
            caveats: Vec::new(),
        }
    }

    /// Add a caveat (normalised) unless already present or only a distribution flag.
    pub fn add_caveat(&mut self, raw: &str) {
        if let Some(c) = normalize_caveat(raw)
            && !self.caveats.iter().any(|x| x == c)
        {
            self.caveats.push(c.to_string());
        }
    }

    /// Whether the marking carries `caveat` (normalised name, e.g. `NOFORN`).
    pub fn has(&self, caveat: &str) -> bool {
        self.caveats.iter().any(|c| c == caveat)
    }
}

impl fmt::Display for Marking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.level.as_str())?;
        for c in &self.caveats {
            write!(f, "//{c}")?;
        }
        Ok(())
    }
}

/// The normalised caveat a word stands for; `None` for words that are not dissemination
/// controls (`SIPDIS` is a distribution flag and says nothing about who may read the cable).
pub(crate) fn normalize_caveat(raw: &str) -> Option<&'static str> {
    let w = raw.trim().trim_matches(|c| c == ',' || c == '.');
    let upper = w.to_ascii_uppercase();
    Some(match upper.as_str() {
        "NF" | "NOFORN" => "NOFORN",
        "OC" | "ORCON" => "ORCON",
        "EXDIS" => "EXDIS",
        "NODIS" => "NODIS",
        "LIMDIS" => "LIMDIS",
        "STADIS" => "STADIS",
        "SBU" | "FOUO" | "SENSITIVE" | "FOR OFFICIAL USE ONLY" => "FOR OFFICIAL USE ONLY",
        _ if upper.starts_with("REL") => "REL TO",
        _ => return None,
    })
}

/// Whether a whole word is a caveat or distribution flag that stands on a marking line.
pub(crate) fn is_caveat_word(w: &[u8]) -> bool {
    const WORDS: &[&[u8]] = &[
        b"SIPDIS",
        b"SENSITIVE",
        b"NOFORN",
        b"EXDIS",
        b"NODIS",
        b"LIMDIS",
        b"STADIS",
        b"ORCON",
        b"PROTECT",
        b"STRICTLY",
        b"CHEROKEE",
        b"NOCONTRACT",
        b"PROPIN",
    ];
    let w = trim_punct(w);
    !w.is_empty() && WORDS.iter().any(|x| x.eq_ignore_ascii_case(w))
}

fn trim_punct(w: &[u8]) -> &[u8] {
    let mut w = w;
    while let [rest @ .., b',' | b'.' | b';'] = w {
        w = rest;
    }
    w
}

/// The level a banner or header word stands for (`UNCLAS`, `CONFIDENTIAL`, `TOP SECRET`).
pub(crate) fn level_word(w: &[u8]) -> Option<Level> {
    let w = trim_punct(w);
    let eq = |s: &[u8]| w.eq_ignore_ascii_case(s);
    if eq(b"UNCLAS") || eq(b"UNCLASSIFIED") || eq(b"UNCLASSIFIED//FOR") {
        Some(Level::Unclassified)
    } else if eq(b"CONFIDENTIAL") {
        Some(Level::Confidential)
    } else if eq(b"SECRET") {
        Some(Level::Secret)
    } else if eq(b"TOP SECRET") {
        Some(Level::TopSecret)
    } else {
        None
    }
}

/// Parse a header value such as `UNCLASSIFIED//FOR OFFICIAL USE ONLY` or
/// `SECRET//NOFORN`.
pub fn parse_marking(text: &str) -> Option<Marking> {
    let mut parts = text.split("//");
    let head = parts.next()?.trim();
    let mut m = Marking::new(level_word(head.as_bytes())?);
    for p in parts {
        m.add_caveat(p);
    }
    Some(m)
}

/// Parse the inside of a portion mark: `SBU`, `U`, `C`, `S//NF`, `C/NF`,
/// `S//REL to USA, ACGU`, `TS`.
pub fn parse_portion(inner: &str) -> Option<Marking> {
    let mut parts = inner.split('/').filter(|p| !p.is_empty());
    let head = parts.next()?.trim();
    let mut m = match head {
        "U" => Marking::new(Level::Unclassified),
        "SBU" | "U//FOUO" => {
            let mut m = Marking::new(Level::Unclassified);
            m.add_caveat("SBU");
            m
        }
        "C" => Marking::new(Level::Confidential),
        "S" => Marking::new(Level::Secret),
        "TS" => Marking::new(Level::TopSecret),
        _ => return None,
    };
    for p in parts {
        m.add_caveat(p.split(',').next().unwrap_or(p));
    }
    Some(m)
}

/// The level of a routing classification group letter (`UUUUU`, `CCCCC`, `SSSSS`, `EEEEE`).
pub(crate) fn routing_level(letter: u8) -> Option<Level> {
    match letter {
        b'U' | b'E' => Some(Level::Unclassified),
        b'C' => Some(Level::Confidential),
        b'S' => Some(Level::Secret),
        b'T' => Some(Level::TopSecret),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_and_portions_parse() {
        let m = parse_marking("UNCLASSIFIED//FOR OFFICIAL USE ONLY").unwrap();
        assert_eq!(m.to_string(), "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
        assert_eq!(
            parse_marking("SECRET//NOFORN").unwrap().to_string(),
            "SECRET//NOFORN"
        );
        assert_eq!(
            parse_portion("C/NF").unwrap().to_string(),
            "CONFIDENTIAL//NOFORN"
        );
        assert_eq!(
            parse_portion("S//REL to USA, ACGU").unwrap().to_string(),
            "SECRET//REL TO"
        );
        assert_eq!(parse_portion("SBU").unwrap().level, Level::Unclassified);
        assert!(parse_portion("27A").is_none());
        assert!(Level::Secret > Level::Confidential);
    }
}
