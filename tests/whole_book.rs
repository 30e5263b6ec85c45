//! The book itself, built whole: every chapter must come out fully rendered
//! (no lemma form, formula or exercise left as source, no `<merror>`, no
//! NaN), the answer key must be filled, and the search index must hold
//! computed numbers.

use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;
use mdbook_lemma::Lemma;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Builds the book into a fresh directory under the target dir and returns
/// it.
fn build() -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("whole-book");
    let _ = std::fs::remove_dir_all(&out);
    let (lemma, reports) = Lemma::with_reports();
    let mut book = MDBook::load(root()).expect("the book loads");
    book.config.build.build_dir = out.clone();
    book.with_preprocessor(lemma);
    let built = book.build();
    let report = reports.last().expect("lemma ran");
    assert!(built.is_ok(), "{:?}\n{}", built.err(), mdbook_lemma::diagnostics::to_string(&report.diags));
    assert_eq!(report.errors(), 0);
    assert_eq!(report.stats.unchecked, 0, "the book has unchecked numbers");
    out
}

/// What is wrong with one rendered page, or nothing.
fn problems(html: &str) -> Vec<&'static str> {
    let bad: &[(&str, &'static str)] = &[
        ("{{lemma", "an unrendered inline lemma form"),
        ("```lemma", "an unrendered lemma block"),
        ("language-lemma", "an unrendered lemma block"),
        ("{{math", "an unrendered formula"),
        ("language-math", "an unrendered math block"),
        ("<merror", "a formula that failed"),
        ("language-exercise", "an unrendered exercise"),
        ("{{exempt", "an unrendered exemption"),
        ("{{answer-key}}", "an unfilled answer key"),
        ("NaN", "NaN"),
    ];
    bad.iter().filter(|(needle, _)| html.contains(needle)).map(|(_, what)| *what).collect()
}

#[test]
fn whole_book_renders_completely() {
    let out = build();
    let summary = std::fs::read_to_string(root().join("src/SUMMARY.md")).expect("SUMMARY.md");
    let mut pages: Vec<String> = summary
        .lines()
        .filter_map(|l| l.split_once("](").and_then(|(_, r)| r.split_once(')')).map(|(p, _)| p.replace(".md", ".html")))
        .collect();
    pages.push("print.html".into());
    let mut failures = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        // The appendix shows the syntax on purpose, inside code.
        let html = if page == "writing-with-lemma.html" || page == "print.html" { strip_code(&html) } else { html };
        for p in problems(&html) {
            failures.push(format!("{page}: {p}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let key = std::fs::read_to_string(out.join("answer-key.html")).expect("answer key");
    assert!(key.contains("#exercise-1\""), "the answer key links to the exercises");
    let index = std::fs::read_dir(&out)
        .expect("build dir")
        .filter_map(Result::ok)
        .find(|e| {
            e.file_name().to_string_lossy().starts_with("searchindex")
                && e.file_name().to_string_lossy().ends_with(".js")
        })
        .map(|e| std::fs::read_to_string(e.path()).expect("search index"))
        .expect("a search index");
    assert!(index.contains("0.629"), "the search index holds a computed number");
}

/// Removes `<code>...</code>` spans, where the appendix shows forms as text.
fn strip_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<code") {
        out.push_str(&rest[..i]);
        match rest[i..].find("</code>") {
            Some(j) => rest = &rest[i + j + "</code>".len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn problems_are_found() {
    assert_eq!(problems("<p>fine 0.629</p>"), Vec::<&str>::new());
    assert_eq!(
        problems("<p>{{lemma p}} and <merror> NaN</p>"),
        vec!["an unrendered inline lemma form", "a formula that failed", "NaN"]
    );
    assert_eq!(strip_code("a <code>{{lemma x}}</code> b"), "a  b");
}
