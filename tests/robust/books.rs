//! Whole fixture books: `{{#include}}`d forms, draft chapters, chapters
//! nested four levels deep, CRLF with a byte order mark; and two builds of a
//! book give byte-identical output.

use expect_test::expect;
use mdbook_driver::MDBook;
use mdbook_lemma::Lemma;

use crate::util::{build, copy_fixture, files_under, fixture, visible};

use crate::common::HtmlOnly;

#[test]
fn messy_book_preprocesses() {
    let (lemma, reports) = Lemma::with_reports();
    let mut book = MDBook::load(fixture("messy")).expect("loads");
    book.with_preprocessor(lemma);
    let (b, _) = book.preprocess_book(&HtmlOnly).expect("preprocesses");
    let mut got = String::new();
    for c in b.chapters() {
        let path = c.source_path.as_ref().map_or("(draft)".into(), |p| p.display().to_string());
        got.push_str(&format!("=== {} {path}\n{}", c.name, visible(&c.content)));
    }
    got.push_str(&reports.last().expect("lemma ran").summary());
    expect![[r#"
        === Intro intro.md
        # Intro

        No forms, but plain included text.
        === Level 1 a/one.md
        # Level 1



        One: 3.
        === Level 2 a/b/two.md
        # Level 2

        - a list

          <div class="lemma-table"><table><thead><tr><th scope="col">p</th></tr></thead><tbody><tr><td class="num">0.5</td></tr><tr><td class="num">0.5</td></tr></tbody></table></div>

        - next
        === Level 3 a/b/c/three.md
        # Level 3

        > > Deep quote 0.5.
        === Level 4 a/b/c/d/four.md
        # Level 4

        | n | 2^n |
        |---|-----|
        | 10 | 1024 |
        === Includes includes.md
        # Includes

        Included value: 21.

        Lines 2 to 4 of a file:

        <div class="lemma-table"><table><thead><tr><th scope="col">included</th></tr></thead><tbody><tr><td class="num">1</td></tr><tr><td class="num">2</td></tr></tbody></table></div>

        An anchor:

        anchored 42

        Escaped: {{#include parts/plain.md}}
        === Line endings crlf.md
        # Line endings\r
        \r
        CRLF and a byte order mark: 2.\r
        \r
        <div class="lemma-table"><table><thead><tr><th scope="col">v</th></tr></thead><tbody><tr><td class="num">1</td></tr></tbody></table></div>\r
        \r
        after\r
        lemma: 7 chapters, 5 values computed, 1 numbers checked, 0 numbers exempted, 0 left unchecked, 0 checks held, 3 tables, 0 errors"#]].assert_eq(&got);
}

#[test]
fn messy_book_renders_every_page() {
    let dir = copy_fixture("messy");
    build(dir.path()).expect("builds");
    let page = |p: &str| std::fs::read_to_string(dir.path().join("book").join(p)).expect("page");
    assert!(page("a/b/c/d/four.html").contains("<td>1024</td>"));
    assert!(page("includes.html").contains("anchored 42"));
    assert!(!page("includes.html").contains("{{lemma"));
}

/// Two builds of the same book, in two directories, give the same bytes in
/// every output file.
#[test]
fn builds_are_byte_identical() {
    for name in ["messy", "basic"] {
        let (a, b) = (copy_fixture(name), copy_fixture(name));
        build(a.path()).expect("first build");
        build(b.path()).expect("second build");
        let (out_a, out_b) = (a.path().join("book"), b.path().join("book"));
        let files = files_under(&out_a);
        assert_eq!(files, files_under(&out_b), "{name}: the same files");
        assert!(files.len() > 10, "{name}: a real build");
        let differ: Vec<_> =
            files.iter().filter(|f| std::fs::read(out_a.join(f)).ok() != std::fs::read(out_b.join(f)).ok()).collect();
        assert!(differ.is_empty(), "{name}: these files differ between two builds: {differ:?}");
    }
}

/// This book, with its figures, built twice in two directories: every
/// page is the same, byte for byte.
#[test]
fn the_books_figures_are_byte_identical() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let copy = || {
        let dir = tempfile::Builder::new().prefix("lemma-robust-book-").tempdir().expect("temp dir");
        std::fs::copy(root.join("book.toml"), dir.path().join("book.toml")).expect("book.toml");
        for sub in ["src", "theme", "data"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("dir");
            crate::common::copy_dir(&root.join(sub), &dir.path().join(sub));
        }
        build(dir.path()).expect("the book builds");
        dir
    };
    let (a, b) = (copy(), copy());
    let page = |d: &tempfile::TempDir| std::fs::read_to_string(d.path().join("book/temperature.html")).expect("page");
    assert!(page(&a).contains("<figure class=\"lemma-plot\">"), "the page has figures");
    let files = files_under(&a.path().join("book"));
    let differ: Vec<_> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
        .filter(|f| {
            std::fs::read(a.path().join("book").join(f)).ok() != std::fs::read(b.path().join("book").join(f)).ok()
        })
        .collect();
    assert!(differ.is_empty(), "these pages differ between two builds: {differ:?}");
}
