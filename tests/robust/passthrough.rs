//! Property tests: every byte outside lemma forms survives, in order.
//!
//! Chapters are built from Markdown fragments (headings, lists, quotes,
//! fences of both kinds, tables, HTML, CRLF, a byte order mark, Unicode and
//! random text), with or without lemma forms whose output is known in
//! advance. Case counts are small so `cargo test` stays fast; set
//! `PROPTEST_CASES` to run more.

use mdbook_lemma::Lemma;
use mdbook_lemma::chapter;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use proptest::prelude::*;

pub fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(default_cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Markdown fragments without lemma forms; each ends with a newline.
const FRAGMENTS: &[&str] = &[
    "# Heading\n",
    "Setext\n===\n",
    "a paragraph with *emphasis*, `code` and a [link](x.md).\n",
    "\n",
    "- item\n- item\n  - nested\n",
    "1. one\n2. two\n",
    "> quoted\n> > deeper\n",
    "```rust\nlet x = 1;\n```\n",
    "~~~\ntilde fence\n~~~\n",
    "````\n```\nnested fence\n```\n````\n",
    "```\nunclosed fence\n",
    "    indented code\n",
    "| a | b |\n|---|:-:|\n| 1 | 2 |\n",
    "<div class=\"x\">\n<p>html</p>\n</div>\n",
    "<!-- comment {{ }} -->\n",
    "a dilemma, lemmas, {lemma}, lemma}}, {{ other }}\n",
    "{{#include other.md}} and {{#title T}}\n",
    "```lemon\nnot lemma\n```\n",
    "```text lemma\ninfo string not starting with lemma\n```\n",
    "trailing spaces   \n",
    "tab\tseparated\n",
    "héllo wörld ✓ 数学 \u{200b}\n",
    "\\* escaped \\` \\{ \\}\n",
    "[^note]: footnote\n",
    "$$x^2$$ and $y$\n",
    "---\n",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => any::<String>().prop_filter("no lemma", |s| !s.contains("lemma")),
        1 => "[ -~\n]{0,40}".prop_filter("no lemma", |s| !s.contains("lemma")),
    ]
}

/// A chapter without lemma forms: fragments, maybe CRLF, maybe a BOM.
fn plain_chapter() -> impl Strategy<Value = String> {
    (prop::collection::vec(fragment(), 0..12), any::<bool>(), any::<bool>()).prop_map(|(parts, crlf, bom)| {
        let mut s = parts.concat();
        if crlf {
            s = s.replace('\n', "\r\n");
        }
        if bom { format!("\u{feff}{s}") } else { s }
    })
}

fn table(k: u32) -> String {
    format!(
        "<div class=\"lemma-table\"><table><thead><tr><th scope=\"col\">v</th></tr></thead><tbody><tr><td class=\"num\">{k}</td></tr></tbody></table></div>"
    )
}

/// Closed Markdown fragments (a form after one is parsed the same way
/// wherever it stands) and lemma forms, each as (input, expected output).
fn piece() -> impl Strategy<Value = (String, String)> {
    let closed = proptest::sample::select(
        &[
            "# Heading\n\n",
            "a paragraph with *emphasis* and `code`.\n\n",
            "- item\n- item\n\n",
            "> quoted\n\n",
            "```rust\nlet x = 1;\n```\n\n",
            "~~~\ntilde\n~~~\n\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n",
            "<div>\nhtml\n</div>\n\n",
            "héllo wörld ✓\n\n",
            "a dilemma, {lemma}\n\n",
        ][..],
    )
    .prop_map(|s| (s.to_string(), s.to_string()));
    let text = "[a-zA-Z0-9 ,.!?éü✓]{0,20}".prop_map(|s| (format!("{s}\n\n"), format!("{s}\n\n")));
    let inline = (0u32..1000, 0u32..1000, 0usize..7).prop_map(|(a, b, place)| {
        let form = format!("{{{{lemma {a} + {b}}}}}");
        let out = (a + b).to_string();
        let wrap = |t: &str| match place {
            0 => format!("p {t} q\n\n"),
            1 => format!("`{t}`\n\n"),
            2 => format!("- item {t}\n\n"),
            3 => format!("> {t}\n\n"),
            4 => format!("| h |\n|---|\n| {t} |\n\n"),
            5 => format!("# h {t}\n\n"),
            _ => format!("```text\n{t}\n```\n\n"),
        };
        (wrap(&form), wrap(&out))
    });
    let block = (0u32..1000, 0usize..4).prop_map(|(k, place)| match place {
        0 => (format!("```lemma\nshow [{k}] as \"v\"\n```\n\n"), format!("{}\n\n", table(k))),
        1 => (
            format!("> ```lemma\n> show [{k}] as \"v\"\n> ```\n>\n> after\n\n"),
            format!("> {}\n>\n> after\n\n", table(k)),
        ),
        2 => (
            format!("- ```lemma\n  show [{k}] as \"v\"\n  ```\n\n  after\n\n"),
            format!("- {}\n\n  after\n\n", table(k)),
        ),
        _ => (format!("~~~~lemma\nx{k} = {k}\n~~~~\n\n"), "\n\n".to_string()),
    });
    prop_oneof![3 => closed, 2 => text, 2 => inline, 2 => block]
}

/// A chapter with forms, and what lemma should make of it.
fn chapter_with_forms() -> impl Strategy<Value = (String, String)> {
    (prop::collection::vec(piece(), 0..12), any::<bool>()).prop_map(|(pieces, crlf)| {
        let (mut input, mut expected): (String, String) =
            pieces.into_iter().fold((String::new(), String::new()), |(i, e), (a, b)| (i + &a, e + &b));
        if crlf {
            input = input.replace('\n', "\r\n");
            expected = expected.replace('\n', "\r\n");
        }
        (input, expected)
    })
}

/// Runs the preprocessor, as mdBook would, over a book of these chapters
/// (nested, with a draft), and returns the chapters' contents.
fn through_preprocessor(chapters: &[String]) -> Vec<String> {
    let ctx = PreprocessorContext::new(std::env::temp_dir(), Default::default(), "html".into());
    let mut book = Book::new();
    let mut parent: Option<Chapter> = None;
    for (i, c) in chapters.iter().enumerate() {
        let ch = Chapter::new(&format!("c{i}"), c.clone(), format!("c{i}.md"), vec![]);
        match parent.as_mut() {
            Some(p) if i % 2 == 1 => p.sub_items.push(BookItem::Chapter(ch)),
            _ => {
                if let Some(p) = parent.replace(ch) {
                    book.push_item(p);
                }
            }
        }
    }
    if let Some(p) = parent {
        book.push_item(p);
    }
    book.push_item(Chapter::new_draft("draft", vec![]));
    let out = Lemma::new().run(&ctx, book).expect("no errors");
    out.chapters().filter(|c| c.path.is_some()).map(|c| c.content.clone()).collect()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn chapters_without_forms_are_byte_identical(src in plain_chapter()) {
        let out = chapter::process(&src);
        // Warnings (a stray number in generated prose) are fine; errors are not.
        prop_assert!(!out.diags.iter().any(|d| d.is_error()), "{:?}", out.diags);
        prop_assert_eq!(out.content, src);
    }

    #[test]
    fn bytes_outside_forms_are_kept((src, expected) in chapter_with_forms()) {
        let out = chapter::process(&src);
        // Warnings (a stray number in generated prose) are fine; errors are not.
        prop_assert!(!out.diags.iter().any(|d| d.is_error()), "{:?}", out.diags);
        prop_assert_eq!(out.content, expected);
    }
}

proptest! {
    #![proptest_config(config(32))]

    #[test]
    fn books_without_forms_are_byte_identical(chapters in prop::collection::vec(plain_chapter(), 1..6)) {
        prop_assert_eq!(through_preprocessor(&chapters), chapters);
    }

    #[test]
    fn books_with_forms_keep_every_other_byte(pairs in prop::collection::vec(chapter_with_forms(), 1..6)) {
        let (inputs, expected): (Vec<String>, Vec<String>) = pairs.into_iter().unzip();
        prop_assert_eq!(through_preprocessor(&inputs), expected);
    }
}
