//! Whole-book tests of the `widget` statement: the fixture books
//! `tests/fixtures/widgets` (built to HTML with the widget's script and
//! style) and `tests/fixtures/widget-errors` (located errors).

use std::path::Path;

use mdbook_driver::MDBook;
use mdbook_lemma::Lemma;

mod common;
use common::{copy_dir, fixture, preprocess};

/// A compact view of what a chapter became: its widgets' hooks, one line
/// per widget, and the text around them.
fn summarize(content: &str) -> String {
    content
        .lines()
        .map(|l| {
            if l.starts_with("<div class=\"lemma-widget\"") {
                let attr = |name: &str| {
                    let key = format!("{name}=\"");
                    l.find(&key).map(|i| &l[i + key.len()..]).and_then(|r| r.split('"').next()).unwrap_or("?")
                };
                let readouts = |hook: &str| {
                    l.match_indices(&format!("{hook}=\""))
                        .filter_map(|(i, _)| l[i..].split_once('>').and_then(|(_, r)| r.split('<').next()))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                format!(
                    "WIDGET z0={} t={} y={} labels={} p=[{}] loss={} status={:?} ends={}",
                    attr("data-lemma-z0"),
                    attr("data-lemma-t"),
                    attr("data-lemma-y"),
                    attr("data-lemma-labels"),
                    readouts("data-lemma-p"),
                    l.split("data-lemma-loss>").nth(1).and_then(|r| r.split('<').next()).unwrap_or("?"),
                    l.split("data-lemma-status aria-live=\"polite\">")
                        .nth(1)
                        .and_then(|r| r.split('<').next())
                        .unwrap_or("?"),
                    l.ends_with("</table></div></div>"),
                )
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn widgets_render_their_initial_state() {
    let chapters = preprocess("widgets").expect("builds");
    let got: Vec<String> = chapters.iter().take(2).map(|(p, c)| format!("=== {p}\n{}", summarize(c))).collect();
    expect_test::expect![[r#"
        === widget.md
        # Temperature

        Set the logits, then drag the temperature from 1.0 down to 0.1 and up to 5.0.

        WIDGET z0=[2,1,0.5] t=1 y=0 labels=[&quot;cat&quot;,&quot;dog&quot;,&quot;fox&quot;] p=[0.629 0.231 0.140] loss=0.464 status="T &#61; 1.00; top: cat, p &#61; 0.629; loss for cat &#61; 0.464 nats" ends=true

        The winner never changes: temperature divides every logit by the same
        positive number, so their order stays.
        === edge.md
        # Edge cases

        Large logits, awkward labels, a true class that gets almost nothing:

        WIDGET z0=[1000,999,0] t=1 y=2 labels=[&quot;&lt;b&gt;cat&lt;/b&gt; &amp; co&quot;,&quot;\&quot;dog\&quot;&quot;,&quot;fox&#39;s&quot;] p=[0.731 0.269 0.000] loss=1000.313 status="T &#61; 1.00; top: &lt;b&gt;cat&lt;/b&gt; &amp; co, p &#61; 0.731; loss for fox&#39;s &#61; 1000.313 nats" ends=true

        Tied logits at a low temperature:

        WIDGET z0=[1,1,1] t=0.05 y=1 labels=[&quot;class 0&quot;,&quot;class 1&quot;,&quot;class 2&quot;] p=[0.333 0.333 0.333] loss=1.099 status="T &#61; 0.0500; top: class 0, class 1, class 2 (tied), p &#61; 0.333; loss for class 1 &#61; 1.099 nats" ends=true"#]]
    .assert_eq(&got.join("\n"));
}

#[test]
fn widget_errors_are_located() {
    let diags = preprocess("widget-errors").expect_err("fails");
    expect_test::expect![[r#"
        error: the temperature must be finite and > 0, got 0
          ┌─ src/chapter.md:5:21
          │
        5 │ widget softmax(z, T=0, labels=["cat", "dog", "fox"])
          │                     ^ bad temperature

        error: 2 labels given for 3 classes: give one label per logit
          ┌─ src/chapter.md:6:26
          │
        6 │ widget softmax(z, labels=["cat", "dog"])
          │                          ^^^^^^^^^^^^^^ wrong number of labels

        error: the true class must be a class index from 0 to 2, got 3
          ┌─ src/chapter.md:7:21
          │
        7 │ widget softmax(z, y=3)
          │                     ^ out of range

        error: the logits need at least 2 classes, this vector has 1
          ┌─ src/chapter.md:8:16
          │
        8 │ widget softmax([1.0])
          │                ^^^^^ too few classes

        error: the softmax widget has no argument `colour` (it takes z, T, labels, y, name)
          ┌─ src/chapter.md:9:26
          │
        9 │ widget softmax(z, colour="red")
          │                          ^^^^^ unknown argument

        error: unknown widget `sigmoid` (the widgets are `softmax(z, T=1, labels=["class 0", ...], y=0, name="softmax of ...")` and `calibration(logits, labels, T=1, fitted=none, bins=15, name="Calibration")`)
           ┌─ src/chapter.md:10:8
           │
        10 │ widget sigmoid(z)
           │        ^^^^^^^ unknown widget

    "#]]
    .assert_eq(&diags);
}

#[test]
fn widget_page_renders_with_script_and_style() {
    let tmp = std::env::temp_dir().join(format!("lemma-test-widgets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    copy_dir(&fixture("widgets"), &tmp);
    let theme = tmp.join("theme");
    std::fs::create_dir_all(&theme).expect("theme dir");
    let repo_theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../theme");
    for f in ["lemma-widget.js", "lemma-widget.css"] {
        std::fs::copy(repo_theme.join(f), theme.join(f)).expect("copy theme file");
    }
    let mut book = MDBook::load(&tmp).expect("loads");
    book.with_preprocessor(Lemma::new());
    book.build().expect("builds");
    let html = std::fs::read_to_string(tmp.join("book/widget.html")).expect("page");
    // mdBook names resources by content hash: theme/lemma-widget-HASH.js.
    assert!(html.contains("<script src=\"theme/lemma-widget-"), "script tag");
    assert!(html.contains("href=\"theme/lemma-widget-"), "style link");
    // The widget reaches the page whole (mdBook re-serializes it over
    // several lines): no paragraph wrapped around its parts, every control
    // and readout there.
    let start = html.find("<div class=\"lemma-widget\"").expect("widget on the page");
    let end = start + html[start..].find("</table>").expect("widget end");
    let widget = &html[start..end];
    assert!(!widget.contains("<p><"), "{widget}");
    assert_eq!(widget.matches("data-lemma-logit=").count(), 3);
    assert_eq!(widget.matches("data-lemma-p=").count(), 3);
    assert_eq!(widget.matches("aria-live=").count(), 1);
    assert!(widget.contains("data-lemma-temperature"));
    assert!(widget.contains("data-lemma-loss=\"\">0.464</span>"), "{widget}");
    let _ = std::fs::remove_dir_all(&tmp);
}
