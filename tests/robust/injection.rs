//! Strings from a chapter never reach a rendered page unescaped.
//!
//! Every payload is put in every place a string can go, each in its own
//! chapter of one generated book, which is built to HTML in-process. For
//! each page, the tags inside `<main>` (names and attribute names, in order)
//! must be exactly those of the same chapter with a harmless payload: no
//! element or attribute was injected, no table or row was broken. And the
//! reader sees the payload itself, as text or as an attribute value. In an
//! unquoted attribute value (`title={{lemma s}}`, sloppy but possible) a
//! space still splits the value, so there the test is only that no event
//! handler attribute and no element appear.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};

use crate::util::{build, write_book};

/// Payloads, as the string values the reader should see.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><img src=x onerror=alert(1)>",
    "</table>",
    "</div>",
    "</td></tr></tbody></table><script>alert(1)</script>",
    "*_[]()",
    "x|y",
    "{{lemma 1}}",
    "{{#include book.toml}}",
    "&lt;script&gt;",
    "<!--",
    "a\\nb",
    "a--b...c",
    "- item",
    "# heading",
    "$$x$$",
    "x onmouseover=alert(1)",
    "--><script>alert(1)</script>",
];

/// Where a string can go. `S` is bound to the payload in a block before;
/// `LIT` is the payload as a lemma string literal.
const PLACES: &[(&str, &str)] = &[
    ("prose", "Value: {{lemma S}} end.\n"),
    ("prose-bind", "Value: {{lemma t = LIT}} end.\n"),
    ("inline-code", "Code: `{{lemma S}}` end.\n"),
    ("fenced-code", "```text\n{{lemma S}}\n```\n"),
    ("md-table", "| a | b |\n|---|---|\n| {{lemma S}} | x |\n| y | z |\n"),
    ("md-table-code", "| a | b |\n|---|---|\n| `{{lemma S}}` | x |\n"),
    ("html-block", "<div class=\"box\">{{lemma S}}</div>\n"),
    ("html-attribute", "<div title=\"{{lemma S}}\">x</div>\n\na <span title=\"{{lemma S}}\">b</span> c\n"),
    ("html-comment", "<!-- {{lemma S}} -->\n\nafter <!-- {{lemma S}} --> text\n"),
    ("html-unquoted-attribute", "<div title={{lemma S}}>x</div>\n\na <span title={{lemma S}}>b</span> c\n"),
    ("heading", "## {{lemma S}}\n"),
    ("link-text", "[{{lemma S}}](other.md)\n"),
    ("list-item", "- {{lemma S}}\n- b\n"),
    ("table-header", "```lemma\nshow [1, 2] as LIT\n```\n"),
    ("table-header-default", "```lemma\nshow LIT\n```\n"),
    ("table-cell", "```lemma\nshow [S, S] as \"c\"\n```\n"),
    ("table-for", "```lemma\nshow for r in [S]: r as LIT, len([1]) as \"n\"\n```\n"),
    ("table-in-list", "- item\n\n  ```lemma\n  show [S] as LIT\n  ```\n- next\n"),
    ("table-in-quote", "> ```lemma\n> show [S] as LIT\n> ```\n> after\n"),
    ("echo", "```lemma echo\nt = LIT\nshow [t] as LIT\n```\n"),
    ("exercise-answer", "Question?\n\n```exercise\nanswer: {{lemma S}}\nThe working says {{lemma S}}.\n```\n"),
    ("exercise-working-code", "```exercise\nanswer: yes\nIn code: `{{lemma S}}`.\n```\n"),
    ("widget-label", "```lemma\nwidget softmax([1, 2], labels=[S, \"b\"], y=0)\n```\n"),
    (
        "plot-bars-strings",
        "```lemma\nplot bars([1, 2], [2, 1], labels=[S, LIT], series=[S, \"b\"], title=S, desc=LIT, xlabel=S, ylabel=LIT)\n```\n",
    ),
    (
        "plot-lines-strings",
        "```lemma\nplot lines(x, for=x, in=[1, 2, 3], points=[2], notes=[S], labels=[LIT], title=LIT, desc=S, xlabel=LIT, ylabel=S)\n```\n",
    ),
    ("plot-histogram-title", "```lemma\nplot histogram([1, 2, 2], bins=2, title=S, xlabel=LIT)\n```\n"),
    ("plot-reliability-title", "```lemma\nplot reliability([0.9, 0.2], [1, 0], bins=2, title=LIT, desc=S)\n```\n"),
];

/// The payload as a lemma string literal.
fn literal(p: &str) -> String {
    format!("\"{}\"", p.replace('\\', "\\\\").replace('"', "\\\""))
}

fn chapter(place: &str, payload: &str) -> String {
    let lit = literal(payload);
    format!("# Page\n\n```lemma\nS = {lit}\n```\n\n{}", place.replace("LIT", &lit))
}

/// Tags as `name attr attr` (end tags as `/name`), and all text and
/// attribute values seen, of the `<main>` of a page.
fn tokens(page: &str) -> (Vec<String>, Vec<String>) {
    let start = page.find("<main>").expect("<main>");
    let end = page.find("</main>").expect("</main>") + "</main>".len();
    #[derive(Default)]
    struct Sink {
        tags: RefCell<Vec<String>>,
        text: RefCell<Vec<String>>,
    }
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            match token {
                Token::TagToken(tag) => {
                    let mut t = match tag.kind {
                        TagKind::StartTag => tag.name.to_string(),
                        TagKind::EndTag => format!("/{}", tag.name),
                    };
                    for a in &tag.attrs {
                        t.push(' ');
                        t.push_str(&a.name.local);
                        self.text.borrow_mut().push(a.value.to_string());
                    }
                    self.tags.borrow_mut().push(t);
                }
                Token::CharacterTokens(s) => self.text.borrow_mut().push(s.to_string()),
                Token::CommentToken(_) => self.tags.borrow_mut().push("<!---->".into()),
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from(&page[start..end]));
    let tok = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let _ = tok.feed(&queue);
    tok.end();
    let sink = tok.sink;
    (sink.tags.into_inner(), sink.text.into_inner())
}

#[test]
fn payloads_are_escaped_everywhere() {
    let mut files: Vec<(String, String)> = vec![
        ("book.toml".into(), "[book]\ntitle = \"hostile\"\n\n[preprocessor.lemma]\ncommand = \"false\"\nafter = [\"links\"]\nrenderers = [\"html\"]\n".into()),
        ("src/other.md".into(), "# Other\n".into()),
    ];
    let mut summary = String::from("# Summary\n\n- [Other](other.md)\n");
    let harmless = "harmless";
    for (pi, (place, template)) in PLACES.iter().enumerate() {
        for (k, payload) in std::iter::once(&harmless).chain(PAYLOADS).enumerate() {
            let path = format!("p{pi}-{k}.md");
            summary.push_str(&format!("- [{place} {k}]({path})\n"));
            files.push((format!("src/{path}"), chapter(template, payload)));
        }
    }
    files.push(("src/SUMMARY.md".into(), summary));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = write_book(&refs);
    build(dir.path()).expect("the hostile book builds");

    let mut failures = Vec::new();
    for (pi, (place, _)) in PLACES.iter().enumerate() {
        let page =
            |k: usize| std::fs::read_to_string(dir.path().join(format!("book/p{pi}-{k}.html"))).expect("page exists");
        let (want_tags, _) = tokens(&page(0));
        for (k, payload) in PAYLOADS.iter().enumerate() {
            let html = page(k + 1);
            let (tags, text) = tokens(&html);
            let main = &html[html.find("<main>").expect("main")..html.find("</main>").expect("/main")];
            let seen = *payload;
            // Heading ids and the like are derived from the text; compare names only.
            // An unquoted attribute value ends at a space: the rest becomes
            // attribute names, harmless without a value (`=` is an entity),
            // but the tags differ from the harmless page's.
            let unquoted = place.contains("unquoted");
            let handler = tags
                .iter()
                .flat_map(|t| t.split(' ').skip(1))
                .find(|a| a.len() > 2 && a.starts_with("on") && a.bytes().all(|b| b.is_ascii_lowercase()));
            if let Some(h) = handler {
                failures.push(format!("{place} with {payload:?}: an event handler attribute `{h}`:\n{main}"));
            }
            if tags != want_tags && !unquoted {
                failures.push(format!("{place} with {payload:?}: tags differ\n  want {want_tags:?}\n  got  {tags:?}"));
            }
            if main.contains("<script") || main.contains("<img") || main.contains("</table><script") {
                failures.push(format!("{place} with {payload:?}: raw markup in the page:\n{main}"));
            }
            let invisible = place.contains("comment");
            if !unquoted && !invisible && !text.concat().contains(seen) && !text.iter().any(|t| t.contains(seen)) {
                failures.push(format!("{place} with {payload:?}: the reader does not see {seen:?}:\n{main}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
}
