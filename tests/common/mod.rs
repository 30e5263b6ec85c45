//! Helpers shared by the whole-book test binaries (`book`, `widgets`,
//! `robust`): fixture paths, a stand-in HTML renderer, preprocessing a
//! fixture book in-process, and copying books.

// Each test binary uses its own subset of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;
use mdbook_lemma::Lemma;

/// A fixture book's directory, `tests/fixtures/NAME`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(name)
}

/// Stands in for the HTML renderer: preprocessing runs exactly as for an
/// HTML build, and nothing is rendered.
pub struct HtmlOnly;

impl mdbook_renderer::Renderer for HtmlOnly {
    fn name(&self) -> &str {
        "html"
    }
    fn render(&self, _: &mdbook_renderer::RenderContext) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Preprocesses a fixture book in-process and returns each chapter's source
/// path and Markdown after lemma, or the rendered diagnostics.
pub fn preprocess(name: &str) -> Result<Vec<(String, String)>, String> {
    let (lemma, reports) = Lemma::with_reports();
    let mut book = MDBook::load(fixture(name)).map_err(|e| format!("{e:#}"))?;
    book.with_preprocessor(lemma);
    match book.preprocess_book(&HtmlOnly) {
        Ok((b, _)) => Ok(b
            .chapters()
            .map(|c| (c.source_path.as_ref().map(|p| p.display().to_string()).unwrap_or_default(), c.content.clone()))
            .collect()),
        Err(e) => match reports.last() {
            Some(report) => Err(mdbook_lemma::diagnostics::to_string(&report.diags)),
            None => Err(format!("{e:#}")),
        },
    }
}

/// Copies the directory tree `from` into `to` (which exists).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
