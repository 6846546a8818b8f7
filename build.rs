//! Embeds the built-in rule packs (`rules/**`) into the binary.
//!
//! Every file under `rules/` (YAML rules and the word lists they name) becomes one entry of a
//! static table `(relative path, contents)`, sorted by path so that builds are reproducible.
//! Embedding at build time means the binary needs no data files at run time and start-up parses
//! only what it uses.
//!
//! The gazetteers under `data/` (one lower-case entry a line) become `fst` sets in `OUT_DIR`,
//! embedded with `include_bytes!` by `src/detect/names/gazetteer.rs`: a set is usable straight
//! from its bytes, so a run parses no word list at start-up.

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

/// The gazetteers: (file below `data/`, name of the set in `OUT_DIR`).
const GAZETTEERS: &[(&str, &str)] = &[
    ("names/given.txt", "given.fst"),
    ("names/surnames.txt", "surnames.fst"),
    ("names/common-words-also-names.txt", "common_words.fst"),
    ("words/english.txt", "english.fst"),
    ("places/places.txt", "places.fst"),
];

/// Build one `fst` set per gazetteer into `out_dir`.
fn build_gazetteers(root: &Path, out_dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    for (file, set) in GAZETTEERS {
        let path = root.join("data").join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read gazetteer {}: {e}", path.display()))?;
        // fst needs its keys sorted and unique; sorting here keeps the data files free to be
        // edited by hand-tools without breaking the build.
        let mut words: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty() && !w.starts_with('#'))
            .collect();
        words.sort_unstable();
        words.dedup();
        let out = fs::File::create(out_dir.join(set))?;
        let mut builder = fst::SetBuilder::new(std::io::BufWriter::new(out))?;
        builder.extend_iter(words)?;
        builder.finish()?;
    }
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
    Ok(())
}
