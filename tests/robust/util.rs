//! Helpers shared by the robustness tests.

use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;
use mdbook_lemma::Lemma;

use crate::common::copy_dir;
pub use crate::common::fixture;

/// `\r` and a byte order mark made visible, for snapshots.
pub fn visible(s: &str) -> String {
    s.replace('\r', "\\r").replace('\u{feff}', "<BOM>")
}

/// Writes a book into a new temporary directory: `files` are paths (under
/// the book root) and their contents.
pub fn write_book(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("lemma-robust-").tempdir().expect("temp dir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

/// Copies a fixture book into a new temporary directory.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix(&format!("lemma-robust-{name}-")).tempdir().expect("temp dir");
    copy_dir(&fixture(name), dir.path());
    dir
}

/// Builds the book in `root` to HTML in-process, with lemma, into
/// `root/book`. Returns the error chain on failure.
pub fn build(root: &Path) -> Result<(), String> {
    let mut book = MDBook::load(root).map_err(|e| format!("{e:#}"))?;
    book.with_preprocessor(Lemma::new());
    book.build().map_err(|e| format!("{e:#}"))
}

/// Every file under `dir`, as paths relative to it, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let entry = entry.expect("entry");
            let p = entry.path();
            if entry.file_type().expect("type").is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("under dir").to_path_buf());
            }
        }
    }
    out.sort();
    out
}
