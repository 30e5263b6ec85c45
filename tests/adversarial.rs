//! The adversarial corpus: chapters written as an author in a hurry, or
//! someone trying to sneak a wrong or unchecked number past lemma, would
//! write them. Data-driven: each case is a file `tests/adversarial/*.md`,
//! processed alone with `unchecked-numbers = "deny"`, with
//! `tests/adversarial/` as its book root: `load("data/x.csv")` in a case
//! reads `tests/adversarial/data/x.csv` (the data cases' files).
//!
//! - `fail-*.md` must fail: at least one error. Its snapshot
//!   (`*.out` beside it) holds the rendered diagnostics.
//! - `pass-*.md` must pass with no diagnostic at all. Its snapshot holds the
//!   chapter as lemma rewrote it.
//!
//! The verdict is asserted from the file name, so a snapshot can never bless
//! a wrong verdict. `UPDATE_EXPECT=1 cargo test --test adversarial` rewrites
//! the snapshots (review the diff).

use std::path::{Path, PathBuf};

use mdbook_lemma::Setting;
use mdbook_lemma::chapter::{self, Options};
use mdbook_lemma::diagnostics::{self, ChapterDiags};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/adversarial")
}

/// What a case produces: its verdict and the text its snapshot holds.
fn run(name: &str, src: &str) -> (bool, usize, String) {
    let opts = Options { unchecked: Setting::Deny };
    let files: std::sync::Arc<dyn mdbook_lemma::eval::data::Source> =
        std::sync::Arc::new(mdbook_lemma::files::BookFiles::new(&corpus()));
    let out = chapter::process_in(src, &opts, Some(files));
    let errors = out.diags.iter().filter(|d| d.is_error()).count();
    let text = if out.diags.is_empty() {
        format!("passes\n---\n{}", out.content)
    } else {
        let chapter = ChapterDiags {
            path: name.to_string(),
            content: src.to_string(),
            file: Some(src.to_string()),
            diags: out.diags.clone(),
        };
        diagnostics::to_string(&[chapter])
    };
    (out.diags.is_empty(), errors, text)
}

#[test]
fn adversarial_corpus() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("tests/adversarial")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    let (mut fails, mut passes) = (0, 0);
    for path in &cases {
        let name = path.file_name().and_then(|n| n.to_str()).expect("utf-8 name").to_string();
        let src = std::fs::read_to_string(path).expect("case");
        let (clean, errors, text) = run(&name, &src);
        if name.starts_with("fail-") {
            fails += 1;
            if errors == 0 {
                failures.push(format!("{name}: must fail, but lemma reported no error"));
            }
        } else if name.starts_with("pass-") {
            passes += 1;
            if !clean {
                failures.push(format!("{name}: must pass, but lemma reported:\n{text}"));
            }
        } else {
            failures.push(format!("{name}: a case is named fail-*.md or pass-*.md"));
        }
        let snap = path.with_extension("out");
        let old = std::fs::read_to_string(&snap).unwrap_or_default();
        if old != text {
            if update {
                std::fs::write(&snap, &text).expect("write snapshot");
            } else {
                failures.push(format!(
                    "{name}: output differs from {} (UPDATE_EXPECT=1 to update)\n--- expected\n{old}\n--- got\n{text}",
                    snap.display()
                ));
            }
        }
    }
    assert!(fails >= 40 && passes >= 15, "the corpus shrank: {fails} failing and {passes} passing cases");
    assert!(failures.is_empty(), "{} of {} cases:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
    eprintln!("adversarial: {fails} cases fail as they must, {passes} pass as they must");
}
