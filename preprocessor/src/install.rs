//! `mdbook-lemma install`: adds lemma to an mdBook.
//!
//! It edits `book.toml` (keeping the author's formatting and comments, with
//! `toml_edit`) so that lemma runs with the safe settings and the pages
//! load its stylesheets and script, and writes those assets, which are
//! embedded in the binary (an installed binary needs no checkout).
//!
//! Running it again changes nothing when all is in place, and updates the
//! assets a newer lemma ships. It never overwrites a file an author
//! changed without saying so: `.mdbook-lemma-assets`, in the book's
//! directory, records a hash of each file as lemma wrote it; a file whose
//! text differs from both that record and the embedded asset is kept, with
//! a message (`--force` replaces it).

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use toml_edit::{Array, DocumentMut, Item, Table, Value};

/// Where an asset goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// Relative to the book's directory (beside `book.toml`).
    Root,
    /// Relative to the book's source directory (`src/` by default):
    /// mdBook copies every file there into the built book.
    Src,
}

/// A file lemma writes into a book.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// Where it goes.
    pub base: Base,
    /// Its path, relative to `base`, with `/`.
    pub path: &'static str,
    /// Its contents.
    pub bytes: &'static [u8],
}

macro_rules! asset {
    ($base:ident, $path:literal) => {
        Asset { base: Base::$base, path: $path, bytes: include_bytes!(concat!("../assets/", asset!(@dir $base), $path)) }
    };
    (@dir Root) => { "" };
    (@dir Src) => { "src/" };
}

/// Every asset, as this binary ships it. `preprocessor/assets/` holds
/// copies of the repository's `theme/` and `src/theme/` files (so that the
/// published crate carries them); `tests/tidy.rs` keeps them identical.
pub const ASSETS: &[Asset] = &[
    asset!(Root, "theme/lemma-widget.js"),
    asset!(Root, "theme/lemma-calibration.js"),
    asset!(Root, "theme/lemma-widget.css"),
    asset!(Root, "theme/lemma.css"),
    asset!(Root, "theme/lemma-plot.css"),
    asset!(Root, "theme/pulldown-latex/styles.css"),
    asset!(Src, "theme/pulldown-latex/LICENSE"),
    asset!(Src, "theme/pulldown-latex/font/latinmodern-math.woff2"),
    asset!(Src, "theme/pulldown-latex/font/lmroman12-bold.woff2"),
    asset!(Src, "theme/pulldown-latex/font/lmroman12-italic.woff2"),
    asset!(Src, "theme/pulldown-latex/font/lmroman12-regular.woff2"),
];

/// The stylesheets `[output.html] additional-css` must list.
pub const CSS: &[&str] =
    &["theme/pulldown-latex/styles.css", "theme/lemma.css", "theme/lemma-widget.css", "theme/lemma-plot.css"];
/// The scripts `[output.html] additional-js` must list.
pub const JS: &[&str] = &["theme/lemma-widget.js", "theme/lemma-calibration.js"];

/// The record of what lemma wrote, in the book's directory.
pub const RECORD: &str = ".mdbook-lemma-assets";

/// What `install` did to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Written: it was not there.
    Created,
    /// Already as this version ships it.
    UpToDate,
    /// Replaced: it was as an older lemma wrote it.
    Updated,
    /// Replaced although the author changed it (`--force`).
    Replaced,
    /// Left alone: it differs from what lemma wrote (the author's change).
    Kept,
    /// `book.toml` edited, with what changed.
    Edited(Vec<String>),
}

/// What `install` did, file by file.
#[derive(Debug, Clone, Default)]
pub struct Installed {
    /// Each file (relative to the book's directory) and what happened.
    pub files: Vec<(String, Action)>,
}

impl Installed {
    /// Whether a file was kept although it differs from this version's.
    pub fn kept_any(&self) -> bool {
        self.files.iter().any(|(_, a)| *a == Action::Kept)
    }

    /// One line per file, for the terminal.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for (path, action) in &self.files {
            let line = match action {
                Action::Created => format!("created  {path}"),
                Action::UpToDate => format!("ok       {path} (up to date)"),
                Action::Updated => format!("updated  {path} (from an older mdbook-lemma)"),
                Action::Replaced => format!("replaced {path} (your changes to it are gone: --force)"),
                Action::Kept => format!(
                    "kept     {path}: it differs from what mdbook-lemma wrote (your changes?); `mdbook-lemma install --force` replaces it"
                ),
                Action::Edited(changes) if changes.is_empty() => format!("ok       {path} (lemma already configured)"),
                Action::Edited(changes) => format!("edited   {path}: {}", changes.join("; ")),
            };
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}

/// A 64-bit FNV-1a hash: stable across versions and platforms (unlike
/// `std`'s hasher), which is all the record needs.
pub fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Installs lemma into the book in `dir`. `force` replaces files the
/// author changed.
pub fn install(dir: &Path, force: bool) -> anyhow::Result<Installed> {
    let toml_path = dir.join("book.toml");
    let text = std::fs::read_to_string(&toml_path).with_context(|| {
        format!("no book.toml in `{}` (create the book first, for example with `mdbook init`)", dir.display())
    })?;
    let (new_toml, changes) = configure(&text).context("could not edit book.toml")?;
    let src = source_dir(&new_toml);
    let mut out = Installed::default();
    let record_path = dir.join(RECORD);
    let old_record = std::fs::read_to_string(&record_path).unwrap_or_default();
    let recorded = |p: &str| -> Option<u64> {
        old_record.lines().find_map(|l| {
            let (h, path) = l.split_once("  ")?;
            (path == p).then(|| u64::from_str_radix(h, 16).ok()).flatten()
        })
    };
    let mut record = String::from(
        "# Written by `mdbook-lemma install`: the hash of each file as lemma wrote it.\n# A file whose hash differs was changed by its author, and is left alone.\n",
    );
    for a in ASSETS {
        let rel = match a.base {
            Base::Root => PathBuf::from(a.path),
            Base::Src => src.join(a.path),
        };
        let shown = rel.to_string_lossy().replace('\\', "/");
        let path = dir.join(&rel);
        let action = match std::fs::read(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Action::Created,
            Err(e) => return Err(e).with_context(|| format!("could not read `{}`", path.display())),
            Ok(have) if have == a.bytes => Action::UpToDate,
            Ok(have) if recorded(&shown) == Some(hash(&have)) => Action::Updated,
            Ok(_) if force => Action::Replaced,
            Ok(_) => {
                // The author's: keep the record of what lemma wrote.
                if let Some(h) = recorded(&shown) {
                    record.push_str(&format!("{h:016x}  {shown}\n"));
                }
                out.files.push((shown, Action::Kept));
                continue;
            }
        };
        if action != Action::UpToDate {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("could not create the directory `{}`", parent.display()))?;
            }
            std::fs::write(&path, a.bytes).with_context(|| format!("could not write `{}`", path.display()))?;
        }
        record.push_str(&format!("{:016x}  {shown}\n", hash(a.bytes)));
        out.files.push((shown, action));
    }
    if new_toml != text {
        std::fs::write(&toml_path, &new_toml).with_context(|| format!("could not write `{}`", toml_path.display()))?;
    }
    out.files.insert(0, ("book.toml".into(), Action::Edited(changes)));
    if record != old_record {
        std::fs::write(&record_path, record).with_context(|| format!("could not write `{}`", record_path.display()))?;
    }
    Ok(out)
}

/// The book's source directory as `book.toml` sets it (`src` by default).
fn source_dir(toml: &str) -> PathBuf {
    let doc: Option<DocumentMut> = toml.parse().ok();
    let src = doc.as_ref().and_then(|d| d.get("book")).and_then(|b| b.get("src")).and_then(|s| s.as_str());
    PathBuf::from(src.unwrap_or("src"))
}

/// `book.toml` with lemma configured, and what was changed (nothing when
/// it already was). Only missing settings are added; the rest of the text
/// is kept as it was.
pub fn configure(text: &str) -> anyhow::Result<(String, Vec<String>)> {
    let mut doc: DocumentMut = text.parse().context("book.toml is not valid TOML")?;
    let mut changes = Vec::new();
    let root = doc.as_table_mut();
    let pre = subtable(root, "preprocessor")?;
    pre.set_implicit(true);
    if !pre.contains_key("lemma") {
        let mut t = Table::new();
        t.decor_mut().set_prefix(
            "\n# mdbook-lemma computes the book's numbers and fails the build when a stated\n# number is wrong. `after = [\"links\"]` evaluates {{#include}}d text too;\n# `renderers = [\"html\"]` because lemma writes HTML; `optional = false` fails\n# the build if mdbook-lemma is missing.\n",
        );
        pre.insert("lemma", Item::Table(t));
        changes.push("added [preprocessor.lemma]".to_string());
    }
    let lemma = subtable(pre, "lemma")?;
    if ensure_in_array(lemma, "after", &["links"])? {
        changes.push("lemma runs after `links`".into());
    }
    if !lemma.contains_key("renderers") {
        lemma.insert("renderers", toml_edit::value(Array::from_iter(["html"])));
        changes.push("renderers = [\"html\"]".into());
    }
    match lemma.get("optional").map(|v| v.as_bool()) {
        None => {
            lemma.insert("optional", toml_edit::value(false));
            changes.push("optional = false".into());
        }
        Some(Some(_)) => {}
        Some(None) => bail!("`optional` in [preprocessor.lemma] must be true or false"),
    }
    let output = subtable(root, "output")?;
    output.set_implicit(true);
    let html = subtable(output, "html")?;
    if ensure_in_array(html, "additional-css", CSS)? {
        changes.push("lemma's stylesheets in additional-css".into());
    }
    if ensure_in_array(html, "additional-js", JS)? {
        changes.push("lemma's scripts in additional-js".into());
    }
    Ok((doc.to_string(), changes))
}

/// The table `key` of `t`, created when absent.
fn subtable<'a>(t: &'a mut Table, key: &str) -> anyhow::Result<&'a mut Table> {
    if !t.contains_key(key) {
        t.insert(key, Item::Table(Table::new()));
    }
    match t.get_mut(key) {
        Some(Item::Table(t)) => Ok(t),
        Some(Item::Value(Value::InlineTable(_))) => {
            bail!("`{key}` in book.toml is an inline table: write it as a [{key}] table, then run install again")
        }
        _ => bail!("`{key}` in book.toml must be a table"),
    }
}

/// Adds each of `want` missing from the array `key` of `t` (created when
/// absent). Whether anything was added.
fn ensure_in_array(t: &mut Table, key: &str, want: &[&str]) -> anyhow::Result<bool> {
    if !t.contains_key(key) {
        t.insert(key, toml_edit::value(Array::new()));
    }
    let Some(arr) = t.get_mut(key).and_then(Item::as_array_mut) else {
        bail!("`{key}` in book.toml must be an array of strings");
    };
    let mut added = false;
    for w in want {
        if !arr.iter().any(|v| v.as_str() == Some(w)) {
            arr.push(*w);
            added = true;
        }
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configures_a_bare_book_once_keeping_comments() {
        let bare = "[book]\n# the title\ntitle = \"A\"  # inline comment\n";
        let (once, changes) = configure(bare).expect("configures");
        assert!(once.starts_with(bare), "{once}");
        assert_eq!(changes.len(), 6, "{changes:?}");
        let (twice, changes) = configure(&once).expect("configures");
        assert_eq!(twice, once);
        assert!(changes.is_empty());
        let doc: DocumentMut = once.parse().expect("valid");
        assert_eq!(doc["preprocessor"]["lemma"]["after"].as_array().map(Array::len), Some(1));
        assert_eq!(doc["output"]["html"]["additional-css"].as_array().map(Array::len), Some(CSS.len()));
    }

    #[test]
    fn completes_an_existing_configuration() {
        let toml = "[preprocessor.lemma]\nafter = [\"index\"]\nunchecked-numbers = \"deny\"\n\n[output.html]\nadditional-css = [\"custom.css\"] # mine\n";
        let (out, _) = configure(toml).expect("configures");
        assert!(out.contains("after = [\"index\", \"links\"]"), "{out}");
        assert!(out.contains("unchecked-numbers = \"deny\""), "{out}");
        assert!(out.contains("\"custom.css\", \"theme/pulldown-latex/styles.css\""), "{out}");
        assert!(out.contains("# mine"), "{out}");
        for bad in ["preprocessor = 1", "[preprocessor.lemma]\nafter = 3", "output = { html = {} }", "[x"] {
            assert!(configure(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hash_is_fnv1a() {
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
