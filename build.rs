//! Embeds the built-in rule packs (`rules/**`) into the binary.
//!
//! Every file under `rules/` (YAML rules and the word lists they name) becomes one entry of a
//! static table `(relative path, contents)`, sorted by path so that builds are reproducible.
//! Embedding at build time means the binary needs no data files at run time and start-up parses
//! only what it uses.

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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
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
