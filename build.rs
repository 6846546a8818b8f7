//! Embeds the built-in rule packs (`rules/**`) into the binary.
//!
//! Every file under `rules/` (YAML rules and the word lists they name) becomes one entry of a
//! static table `(relative path, contents)`, sorted by path so that builds are reproducible.
//! Embedding at build time means the binary needs no data files at run time and start-up parses
//! only what it uses.
//!
//! Each YAML rule file is also read here, once, into JSON without its `examples` and
//! `negative_examples` (table `BUILTIN_RULES_JSON`): a scan's run deserializes that, about ten
//! times quicker than the YAML, which was a sixth of a one-file run. A file that does not
//! read here gets no JSON, and a run reads its YAML (and reports what is wrong with it).
//!
//! The gazetteers under `data/` (one lower-case entry a line) become one hash table in
//! `OUT_DIR` (`src/detect/names/table.rs` describes it), embedded with `include_bytes!` by
//! `src/detect/names/gazetteer.rs`: it is usable straight from its bytes, so a run parses no
//! word list at start-up.

#[path = "src/detect/names/table.rs"]
#[allow(dead_code)]
mod table;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The gazetteers: (file below `data/`, bit it sets in the word's flags). The bits are
/// read by `src/detect/names/gazetteer.rs`.
const GAZETTEERS: &[(&str, u64)] = &[
    ("names/given.txt", 1),
    ("names/surnames.txt", 2),
    ("words/english.txt", 4),
    ("places/places.txt", 8),
];

/// Flag of a word that starts a place name of several words.
const PLACE_HEAD: u64 = 16;

/// Flag of the second word of a place name of several words (`rica` of `costa rica`).
const PLACE_SECOND: u64 = 32;

/// Build one table, word -> flags (which lists hold it), into `out_dir/gazetteer.slots`: one
/// lookup answers every list.
fn build_gazetteers(root: &Path, out_dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut flags: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for (file, bit) in GAZETTEERS {
        let path = root.join("data").join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read gazetteer {}: {e}", path.display()))?;
        for w in text.lines().map(str::trim) {
            if !w.is_empty() && !w.starts_with('#') {
                *flags.entry(w.to_string()).or_default() |= bit;
                // The first word of a place of several words (`costa` of `costa rica`), so
                // the detector tries place phrases only where one can start
                // and go on.
                if let Some((head, rest)) = w.split_once(' ') {
                    *flags.entry(head.to_string()).or_default() |= PLACE_HEAD;
                    let second = rest.split(' ').next().unwrap_or(rest);
                    *flags.entry(second.to_string()).or_default() |= PLACE_SECOND;
                }
            }
        }
    }
    let entries = flags
        .iter()
        .map(|(k, &f)| Ok((k.as_bytes(), u8::try_from(f)?)))
        .collect::<Result<Vec<_>, std::num::TryFromIntError>>()?;
    // A BTreeMap iterates in byte order: the same table from the same lists.
    let slots = table::build(&entries)?;
    fs::write(out_dir.join("gazetteer.slots"), slots)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    build_gazetteers(&root, &PathBuf::from(std::env::var("OUT_DIR")?))?;
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    if rules.is_dir() {
        collect(&rules, &mut files)?;
    }
    files.sort();
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("builtin_rules.rs");
    let mut f = fs::File::create(out)?;
    writeln!(
        f,
        "/// Built-in rule files: (path below `rules/`, contents)."
    )?;
    writeln!(f, "pub(crate) static BUILTIN_FILES: &[(&str, &str)] = &[")?;
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path
            .strip_prefix(&rules)?
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            f,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        )?;
    }
    writeln!(f, "];")?;
    writeln!(
        f,
        "/// Built-in YAML rule files as JSON without their examples: (path below `rules/`, JSON)."
    )?;
    writeln!(
        f,
        "pub(crate) static BUILTIN_RULES_JSON: &[(&str, Option<&str>)] = &["
    )?;
    for path in &files {
        let rel = path
            .strip_prefix(&rules)?
            .to_string_lossy()
            .replace('\\', "/");
        if !(rel.ends_with(".yaml") || rel.ends_with(".yml")) {
            continue;
        }
        writeln!(f, "    ({rel:?}, {:?}),", rule_json(path))?;
    }
    writeln!(f, "];")?;
    Ok(())
}

/// The rule file at `path` as JSON, without its examples; `None` if it does not read as YAML
/// or is not a mapping.
fn rule_json(path: &Path) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    let mut value: serde_json::Value = serde_saphyr::from_str(&text).ok()?;
    let map = value.as_object_mut()?;
    map.remove("examples");
    map.remove("negative_examples");
    serde_json::to_string(&value).ok()
}
