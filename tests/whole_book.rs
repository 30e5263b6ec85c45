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
        // Every SVG of the page (lemma's figures and mdBook's icons) is XML.
        for (i, _) in html.match_indices("<svg") {
            let end = html[i..].find("</svg>").map_or(html.len(), |j| i + j + "</svg>".len());
            if let Err(e) = roxmltree::Document::parse(&html[i..end]) {
                failures.push(format!("{page}: an SVG is not XML: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for page in ["scores.html", "softmax.html", "cross-entropy.html", "temperature.html", "trap.html", "print.html"] {
        let html = std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        let figures = figures(&html);
        assert!(!figures.is_empty(), "{page} has a figure");
        for f in figures {
            figure_is_well_formed(page, f);
        }
    }

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

/// The figures (`<figure class="lemma-plot">...</figure>`) of a page.
fn figures(html: &str) -> Vec<&str> {
    let open = "<figure class=\"lemma-plot\">";
    html.match_indices(open)
        .map(|(i, _)| {
            let end = html[i..].find("</figure>").map_or(html.len(), |j| i + j + "</figure>".len());
            &html[i..end]
        })
        .collect()
}

/// A figure parses as XML (the SVG and the whole figure, as mdBook wrote
/// it: lemma writes it on one line, and mdBook's renderer breaks lines
/// inside its table), and has what a reader who cannot see it needs: `role="img"`, a title and a
/// description, a `viewBox`, and the data as a table.
fn figure_is_well_formed(page: &str, figure: &str) {
    let doc = roxmltree::Document::parse(figure).unwrap_or_else(|e| panic!("{page}: a figure is not XML: {e}"));
    let svg = doc.descendants().find(|n| n.has_tag_name("svg")).unwrap_or_else(|| panic!("{page}: no svg"));
    assert_eq!(svg.attribute("role"), Some("img"), "{page}");
    // mdBook's renderer writes attribute names in lower case; a browser's
    // HTML parser restores `viewBox` on SVG elements (the browser tests
    // check that the figure scales by it).
    assert!(svg.attribute("viewBox").or(svg.attribute("viewbox")).is_some(), "{page}: a viewBox");
    for child in ["title", "desc"] {
        let text = svg.children().find(|n| n.has_tag_name(child)).and_then(|n| n.text()).unwrap_or_default();
        assert!(!text.trim().is_empty(), "{page}: the svg has a {child}");
    }
    let details = doc.descendants().find(|n| n.has_tag_name("details")).unwrap_or_else(|| panic!("{page}: no data"));
    assert!(details.attribute("open").is_none(), "{page}: the data table starts collapsed");
    assert!(details.descendants().filter(|n| n.has_tag_name("td")).count() > 0, "{page}: the data table has cells");
    assert!(!figure.contains("<script"), "{page}: no script in a figure");
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
