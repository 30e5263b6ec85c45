//! Exercises with computed answers, hidden until the reader opens them, and
//! the book's answer key.
//!
//! An exercise's answer is a fenced block whose info string is `exercise`:
//!
//! ````markdown
//! ```exercise
//! answer: {{lemma -ln(0.01); dp=2}}
//! tolerance: {{lemma 0.01}}
//! The truth got {{lemma 0.01}} of the mass, so the loss is ...
//! ```
//! ````
//!
//! The first line is `answer:` followed by either one inline lemma form (a
//! numeric answer: the reader gets a self-check form holding the value at
//! full precision) or a sentence (only the hidden answer). An optional
//! `tolerance:` line sets the absolute tolerance of the self-check; without
//! it, the tolerance is half a unit of the last digit shown. The remaining
//! lines are the working, in Markdown; inline lemma and math forms work
//! there. The block becomes one line of HTML (see [`render`]).
//!
//! Exercises are numbered per chapter, from 1, in document order: the block
//! gets the anchor `exercise-N`, unique in its page, and what a chapter
//! renders depends on that chapter alone. A line `{{answer-key}}` anywhere
//! in the book becomes a table of every exercise's answer ([`answer_key`]),
//! after all chapters are processed; there an exercise is named by its
//! chapter's section number and its number in the chapter (`Exercise 3.2`,
//! the second exercise of chapter 3; `Exercise 2` in an unnumbered chapter,
//! which the table's chapter column names).

use std::ops::Range;

use mdbook_markdown::pulldown_cmark;

use crate::chapter::Cx;
use crate::diagnostics::Diag;
use crate::eval::Value;
use crate::format;
use crate::forms::{Body, Closing, Found, InlineSyntax, Kind, apply, take_inside};
use crate::html::Html;
use crate::render::escape_markdown;
use crate::splice::{Edit, continuation_prefix};

/// The placeholder line replaced by the answer key.
pub const ANSWER_KEY: &str = "{{answer-key}}";

/// The `exercise` kind: ```` ```exercise ```` blocks.
pub const KIND: Kind = Kind { name: "exercise", fence: Some("exercise"), inline: None, body: Body::Markdown, process };

/// The answer key's placeholder, `{{answer-key}}` alone on a line: filled
/// by [`fill_book`] once every chapter is processed.
pub const ANSWER_KEY_KIND: Kind = Kind {
    name: "answer key",
    fence: None,
    inline: Some(InlineSyntax { keyword: "answer-key", closing: Closing::Marker, in_code: false }),
    body: Body::Marker,
    process: answer_key_placeholders,
};

/// Renders each exercise, numbered in the chapter from 1, with the values
/// of the forms inside it; collects the answers for the key.
fn process(cx: &mut Cx, src: &str, found: &[&Found], edits: &mut Vec<Edit>) {
    for (k, f) in found.iter().enumerate() {
        let n = k + 1;
        let form = ExerciseForm { range: f.range.clone(), body: f.body.clone() };
        let inner = take_inside(edits, &form.range);
        let parts = match parts(src, &form) {
            Ok(p) => p,
            Err(d) => {
                cx.diags.push(d);
                continue;
            }
        };
        let prefix = continuation_prefix(src, form.range.start);
        let mut answer = String::new();
        let mut numeric = None;
        let mut tolerance = None;
        let mut working = String::new();
        let mut ok = true;
        for p in &parts {
            let text = crate::math::strip_prefix(&apply(src, &p.range, &inner), &prefix);
            match p.kind {
                PartKind::Answer => {
                    answer = text.trim().to_string();
                    let inside: Vec<&(Range<usize>, Value)> =
                        cx.values.iter().filter(|(r, _)| p.range.start <= r.start && r.end <= p.range.end).collect();
                    let only = inside.len() == 1 && inside[0].0 == p.range;
                    if let [(_, Value::Num(v))] = inside.as_slice()
                        && only
                    {
                        numeric = Some(Numeric { value: format::full(*v), tolerance: implied_tolerance(&answer) });
                    }
                }
                PartKind::Tolerance => match text.trim().parse::<f64>() {
                    Ok(t) if t.is_finite() && t >= 0.0 => tolerance = Some(text.trim().to_string()),
                    _ => {
                        ok = false;
                        cx.diags.push(Diag::error(
                            p.range.clone(),
                            format!("`tolerance:` needs a non-negative number, got `{}`", text.trim()),
                            "not a tolerance",
                        ));
                    }
                },
                PartKind::Working => working = text,
            }
        }
        if !ok {
            continue;
        }
        if let (Some(num), Some(t)) = (&mut numeric, tolerance) {
            num.tolerance = t;
        }
        edits.push(Edit {
            range: form.range.clone(),
            text: render(n, &answer, numeric.as_ref(), &working),
            blank_after: true,
        });
        cx.answers.push(Answer { n, text: answer });
    }
}

/// Checks that each `{{answer-key}}` stands alone on its line.
fn answer_key_placeholders(cx: &mut Cx, src: &str, found: &[&Found], _: &mut Vec<Edit>) {
    for f in found {
        let line_start = src[..f.range.start].rfind('\n').map_or(0, |j| j + 1);
        let line_end = src[f.range.start..].find('\n').map_or(src.len(), |j| f.range.start + j);
        if src[line_start..line_end].trim() != ANSWER_KEY {
            cx.diags.push(Diag::error(
                f.range.clone(),
                "`{{answer-key}}` must stand alone on its line to become the answer key",
                "not alone on its line",
            ));
        }
    }
}

/// An `exercise` block found in a chapter.
#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseForm {
    /// From the opening fence to the end of the closing fence.
    pub range: Range<usize>,
    /// The body: every line between the fences, in the chapter.
    pub body: Range<usize>,
}

/// Finds the `exercise` blocks of a chapter ([`crate::scan`] does the
/// work).
#[cfg(test)]
pub fn find(src: &str) -> Vec<ExerciseForm> {
    if !src.contains("exercise") {
        return Vec::new();
    }
    let scan = crate::scan::scan(src);
    scan.found
        .iter()
        .filter(|f| f.kind == crate::forms::by_fence("exercise").unwrap_or(usize::MAX))
        .map(|f| ExerciseForm { range: f.range.clone(), body: f.body.clone() })
        .collect()
}

/// One line of an exercise body, located in the chapter.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// What the line is.
    pub kind: PartKind,
    /// Where its content (after `answer:` or `tolerance:`) stands.
    pub range: Range<usize>,
}

/// The parts of an exercise body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// The `answer:` line.
    Answer,
    /// The `tolerance:` line.
    Tolerance,
    /// The rest: the working.
    Working,
}

/// Splits an exercise body into its parts, or says what is wrong.
pub fn parts(src: &str, form: &ExerciseForm) -> Result<Vec<Part>, Diag> {
    let body = &src[form.body.clone()];
    let mut out = Vec::new();
    let mut pos = form.body.start;
    let mut lines = body.split_inclusive('\n').peekable();
    // Skip blank lines before `answer:`.
    while let Some(l) = lines.peek() {
        if !l.trim().is_empty() {
            break;
        }
        pos += l.len();
        lines.next();
    }
    for kind in [PartKind::Answer, PartKind::Tolerance] {
        let Some(l) = lines.peek() else { break };
        let key = if kind == PartKind::Answer { "answer:" } else { "tolerance:" };
        let t = l.trim_start();
        match t.strip_prefix(key) {
            Some(rest) => {
                let start = pos + (l.len() - t.len()) + key.len();
                let content = rest.trim_end_matches(['\n', '\r']);
                let lead = content.len() - content.trim_start().len();
                out.push(Part { kind, range: start + lead..start + content.len() });
                pos += l.len();
                lines.next();
            }
            None if kind == PartKind::Answer => {
                let end = pos + l.trim_end_matches(['\n', '\r']).len();
                return Err(Diag::error(
                    pos..end.max(pos + 1),
                    "an exercise block starts with an `answer:` line",
                    "here",
                ));
            }
            None => {}
        }
    }
    if out.is_empty() {
        return Err(Diag::error(
            form.range.clone(),
            "this exercise block is empty: it needs an `answer:` line",
            "here",
        ));
    }
    out.push(Part { kind: PartKind::Working, range: pos..form.body.end });
    Ok(out)
}

/// An exercise's answer, for the answer key.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Answer {
    /// The exercise's number in its chapter, from 1 (its anchor is
    /// `exercise-N`).
    pub n: usize,
    /// The answer as shown.
    pub text: String,
}

/// What the self-check compares against.
#[derive(Debug, Clone, PartialEq)]
pub struct Numeric {
    /// The value at full precision.
    pub value: String,
    /// The absolute tolerance.
    pub tolerance: String,
}

/// Renders an exercise: one line of HTML with the self-check form (when
/// the answer is a number) and the hidden answer and working. `working` is
/// Markdown whose formulas are already MathML.
pub fn render(n: usize, answer: &str, numeric: Option<&Numeric>, working: &str) -> String {
    let mut h = Html::new();
    h.open("div").attr("class", "lemma-exercise").attr_prefixed("id", "exercise-", n).attr("data-lemma-exercise", n);
    if let Some(num) = numeric {
        h.open("form")
            .attr("class", "lemma-selfcheck")
            .attr("data-lemma-answer", &num.value)
            .attr("data-lemma-tolerance", &num.tolerance);
        h.open("label");
        h.literal("Your answer ");
        h.void("input").attr("type", "text").attr("inputmode", "decimal").flag("data-lemma-input");
        h.close();
        h.literal(" ");
        h.open("button").attr("type", "submit").text("Check");
        h.literal(" ");
        h.open("output").flag("data-lemma-verdict").attr("aria-live", "polite").text("");
        h.close();
    }
    h.open("details").attr("class", "lemma-answer");
    h.open("summary").text("Show answer");
    h.open("p").attr("class", "lemma-answer-value");
    h.open("strong").text("Answer:");
    h.literal(" ");
    h.trusted_markup(&markdown_inline_html(answer));
    h.close();
    h.trusted_markup(&markdown_html(working));
    h.finish()
}

/// Markdown to HTML on one line (line breaks inside `<pre>` become `&#10;`).
pub fn markdown_html(md: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, mdbook_markdown::new_cmark_parser(md, &Default::default()));
    let mut out = String::with_capacity(html.len());
    let mut in_pre = false;
    let mut rest = html.as_str();
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("<pre") {
            in_pre = true;
        } else if rest.starts_with("</pre") {
            in_pre = false;
        }
        match c {
            '\n' if in_pre => out.push_str("&#10;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out.trim_end().to_string()
}

/// Markdown of one paragraph to inline HTML (without the `<p>`).
fn markdown_inline_html(md: &str) -> String {
    let html = markdown_html(md);
    let inner = html.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>"));
    inner.unwrap_or(&html).to_string()
}

/// The tolerance implied by a shown number: half a unit of its last digit
/// (`0.69` → `0.005`, `4` → `0.5`).
pub fn implied_tolerance(shown: &str) -> String {
    let digits = shown.trim().trim_end_matches('%');
    let decimals = digits.split_once('.').map_or(0, |(_, f)| f.chars().take_while(char::is_ascii_digit).count());
    if decimals == 0 { "0.5".to_string() } else { format!("0.{}5", "0".repeat(decimals)) }
}

/// One chapter's answers, for the key.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterAnswers {
    /// The chapter's name.
    pub chapter: String,
    /// The chapter's section number (`3`, `1.2`), if it has one.
    pub number: Option<String>,
    /// Its path in `src/`, for the link (`softmax.md`).
    pub path: String,
    /// Its exercises' answers.
    pub answers: Vec<Answer>,
}

/// The answer key: a Markdown table, a row per exercise.
pub fn answer_key(chapters: &[ChapterAnswers]) -> String {
    let mut out = String::from("| Chapter | Exercise | Answer |\n|---|---|---|\n");
    for ch in chapters {
        for a in &ch.answers {
            out.push_str(&format!(
                "| {} | [Exercise {}]({}#exercise-{}) | {} |\n",
                escape_markdown(&ch.chapter),
                ch.number.as_ref().map_or_else(|| a.n.to_string(), |s| format!("{s}.{}", a.n)),
                ch.path.replace(' ', "%20"),
                a.n,
                a.text.replace('|', "\\|")
            ));
        }
    }
    if chapters.iter().all(|c| c.answers.is_empty()) {
        out = "This book has no exercises.\n".into();
    }
    out
}

/// Fills the answer key into every chapter of `book` that has the
/// placeholder line.
pub fn fill_book(book: &mut mdbook_preprocessor::book::Book, answers: &[ChapterAnswers]) {
    let key = answer_key(answers);
    book.for_each_mut(|item| {
        if let mdbook_preprocessor::book::BookItem::Chapter(ch) = item
            && let Some(c) = fill_answer_key(&ch.content, &key)
        {
            ch.content = c;
        }
    });
}

/// Replaces every line that is exactly [`ANSWER_KEY`] with the key.
/// Returns `None` when there is no such line.
pub fn fill_answer_key(content: &str, key: &str) -> Option<String> {
    if !content.lines().any(|l| l.trim() == ANSWER_KEY) {
        return None;
    }
    let mut out = String::with_capacity(content.len() + key.len());
    for l in content.split_inclusive('\n') {
        if l.trim() == ANSWER_KEY {
            out.push_str(key);
            if !key.ends_with('\n') && l.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(l);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_parts(src: &str, expect: &str) {
        let forms = find(src);
        let got: Vec<String> = forms
            .iter()
            .map(|f| match parts(src, f) {
                Ok(ps) => ps
                    .iter()
                    .map(|p| format!("{:?} {:?}", p.kind, &src[p.range.clone()]))
                    .collect::<Vec<_>>()
                    .join("; "),
                Err(d) => format!("error {:?} {}", d.range, d.message),
            })
            .collect();
        assert_eq!(got.join("\n"), expect, "in {src:?}");
    }

    #[test]
    fn finds_parts() {
        check_parts("```exercise\nanswer: 0.69\nWork.\n```\n", "Answer \"0.69\"; Working \"Work.\\n\"");
        check_parts(
            "```exercise\n\nanswer:  {{lemma x}}\ntolerance: 0.1\nA\n\nB\n```",
            "Answer \"{{lemma x}}\"; Tolerance \"0.1\"; Working \"A\\n\\nB\\n\"",
        );
        check_parts("```exercise\nanswer: yes\n```\n", "Answer \"yes\"; Working \"\"");
        check_parts("```exercise\nwhat\n```\n", "error 12..16 an exercise block starts with an `answer:` line");
        check_parts("```exercise\n```\n", "error 0..15 this exercise block is empty: it needs an `answer:` line");
        check_parts("```python\nanswer: 1\n```\n", "");
    }

    #[test]
    fn renders() {
        let num = Numeric { value: "0.6931471805599453".into(), tolerance: "0.005".into() };
        expect_test::expect![[r#"<div class="lemma-exercise" id="exercise-2" data-lemma-exercise="2"><form class="lemma-selfcheck" data-lemma-answer="0.6931471805599453" data-lemma-tolerance="0.005"><label>Your answer <input type="text" inputmode="decimal" data-lemma-input></label> <button type="submit">Check</button> <output data-lemma-verdict aria-live="polite"></output></form><details class="lemma-answer"><summary>Show answer</summary><p class="lemma-answer-value"><strong>Answer:</strong> 0.69</p><p>Because <em>ln</em> 2.</p> <pre><code>a&#10;b&#10;</code></pre></details></div>"#]]
        .assert_eq(&render(2, "0.69", Some(&num), "Because *ln* 2.\n\n```\na\nb\n```\n"));
        expect_test::expect![[r#"<div class="lemma-exercise" id="exercise-1" data-lemma-exercise="1"><details class="lemma-answer"><summary>Show answer</summary><p class="lemma-answer-value"><strong>Answer:</strong> It is <em>sure</em> &amp; “right”.</p></details></div>"#]]
        .assert_eq(&render(1, "It is *sure* & \"right\".", None, ""));
    }

    #[test]
    fn tolerances() {
        assert_eq!(implied_tolerance("0.69"), "0.005");
        assert_eq!(implied_tolerance("4"), "0.5");
        assert_eq!(implied_tolerance("97.1%"), "0.05");
    }

    #[test]
    fn key() {
        let chapters = vec![
            ChapterAnswers {
                chapter: "Cross-entropy".into(),
                number: Some("3".into()),
                path: "cross_entropy.md".into(),
                answers: vec![Answer { n: 1, text: "4.61".into() }, Answer { n: 2, text: "a | b".into() }],
            },
            ChapterAnswers {
                chapter: "Preface".into(),
                number: None,
                path: "a b/preface.md".into(),
                answers: vec![Answer { n: 1, text: "yes".into() }],
            },
        ];
        let key = answer_key(&chapters);
        expect_test::expect![[r#"
            | Chapter | Exercise | Answer |
            |---|---|---|
            | Cross-entropy | [Exercise 3.1](cross_entropy.md#exercise-1) | 4.61 |
            | Cross-entropy | [Exercise 3.2](cross_entropy.md#exercise-2) | a \| b |
            | Preface | [Exercise 1](a%20b/preface.md#exercise-1) | yes |
        "#]]
        .assert_eq(&key);
        assert_eq!(fill_answer_key("# Key\n\n{{answer-key}}\n", &key).as_deref(), Some(&*format!("# Key\n\n{key}")));
        assert_eq!(fill_answer_key("no key", &key), None);
    }
}
