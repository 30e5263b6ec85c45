//! The `exercise` kind: exercises with computed answers, hidden until the
//! reader opens them, and a self-check.
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
//! full precision) or a sentence (only the hidden answer). The self-check
//! judges a typed answer by the rule of `check` ([`self_check`]): it holds
//! when the value, rounded to the digits the reader typed, equals it. Two
//! optional lines follow `answer:`, in either order: `tolerance: T` (an
//! absolute tolerance, in the answer's unit, which replaces the rule) and
//! `digits: N` (the least precision accepted: an answer coarser than `N`
//! decimals is sent back, not judged wrong). The remaining lines are the
//! working, in Markdown; inline lemma and math forms work there. The block
//! becomes one line of HTML (see [`render`]).
//!
//! Exercises are numbered per chapter, from 1, in document order: the block
//! gets the anchor `exercise-N`, unique in its page, and what a chapter
//! renders depends on that chapter alone. The book-level names and the
//! answer key are [`crate::answer_key`]'s.

use std::ops::Range;

use mdbook_markdown::pulldown_cmark;

use crate::answer_key::exercise_name;
use crate::chapter::Cx;
#[cfg(test)]
use crate::check;
use crate::diagnostics::Diag;
use crate::format;
use crate::format::Stated;
use crate::forms::{Body, Found, Kind, apply, take_inside};
use crate::html::Html;
use crate::splice::{Edit, continuation_prefix};

/// The `exercise` kind: ```` ```exercise ```` blocks.
pub const KIND: Kind = Kind { name: "exercise", fence: Some("exercise"), inline: None, body: Body::Markdown, process };

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
        let mut settings = Vec::new();
        let mut working = String::new();
        let mut ok = true;
        for p in &parts {
            let text = crate::math::strip_prefix(&apply(src, &p.range, &inner), &prefix);
            match p.kind {
                PartKind::Answer => {
                    answer = text.trim().to_string();
                    let inside: Vec<&(Range<usize>, Option<f64>)> =
                        cx.values.iter().filter(|(r, _)| p.range.start <= r.start && r.end <= p.range.end).collect();
                    let only = inside.len() == 1 && inside[0].0 == p.range;
                    if let [(_, Some(v))] = inside.as_slice()
                        && only
                    {
                        numeric = Some(Numeric { value: format::full(*v), ..Numeric::default() });
                    }
                }
                PartKind::Tolerance | PartKind::Digits => match setting(p.kind, &text) {
                    Ok(s) => settings.push(s),
                    Err(message) => {
                        ok = false;
                        cx.diags.push(Diag::error(p.range.clone(), message, "not a setting"));
                    }
                },
                PartKind::Working => working = text,
            }
        }
        if !ok {
            continue;
        }
        if let Some(num) = &mut numeric {
            for s in settings {
                match s {
                    Setting::Tolerance(t) => num.tolerance = Some(t),
                    Setting::Digits(d) => num.digits = Some(d),
                }
            }
        }
        edits.push(Edit {
            range: form.range.clone(),
            text: render(n, &answer, numeric.as_ref(), &working),
            blank_after: true,
        });
        cx.answers.push(Answer { n, text: answer });
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
    /// The `digits:` line.
    Digits,
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
    let keys = [("answer:", PartKind::Answer), ("tolerance:", PartKind::Tolerance), ("digits:", PartKind::Digits)];
    while let Some(l) = lines.peek() {
        let t = l.trim_start();
        // `answer:` first, then each setting at most once.
        let found = keys.iter().find(|(key, kind)| {
            t.starts_with(key)
                && (out.is_empty() == (*kind == PartKind::Answer))
                && !out.iter().any(|p: &Part| p.kind == *kind)
        });
        match found {
            Some((key, kind)) => {
                let rest = &t[key.len()..];
                let start = pos + (l.len() - t.len()) + key.len();
                let content = rest.trim_end_matches(['\n', '\r']);
                let lead = content.len() - content.trim_start().len();
                out.push(Part { kind: *kind, range: start + lead..start + content.len() });
                pos += l.len();
                lines.next();
            }
            None if out.is_empty() => {
                let end = pos + l.trim_end_matches(['\n', '\r']).len();
                return Err(Diag::error(
                    pos..end.max(pos + 1),
                    "an exercise block starts with an `answer:` line",
                    "here",
                ));
            }
            None => break,
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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Numeric {
    /// The value at full precision.
    pub value: String,
    /// The absolute tolerance of a `tolerance:` line, as written; without
    /// one, the rule of `check` judges the typed digits.
    pub tolerance: Option<String>,
    /// The least number of decimals accepted (`digits:`), if any.
    pub digits: Option<usize>,
}

/// The most decimals a `digits:` line may ask for.
pub const MAX_DIGITS: usize = 20;

/// Reads the text of a `tolerance:` or `digits:` line, or says what is
/// wrong with it.
pub fn setting(kind: PartKind, text: &str) -> Result<Setting, String> {
    let t = text.trim();
    match kind {
        PartKind::Tolerance => match t.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 && Stated::parse(t).is_some() => Ok(Setting::Tolerance(t.to_string())),
            _ => Err(format!("`tolerance:` needs a non-negative number, got `{t}`")),
        },
        PartKind::Digits => match t.parse::<usize>() {
            Ok(d) if d <= MAX_DIGITS => Ok(Setting::Digits(d)),
            _ => Err(format!("`digits:` needs a whole number of decimals from 0 to {MAX_DIGITS}, got `{t}`")),
        },
        PartKind::Answer | PartKind::Working => Err("not a setting".into()),
    }
}

/// A setting line of an exercise.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    /// `tolerance: T`, as written.
    Tolerance(String),
    /// `digits: N`.
    Digits(usize),
}

/// The self-check's verdict on a typed answer. (The self-check runs in the
/// browser, `theme/lemma-widget.js`; this is its rule in Rust, on
/// [`check::judge`], that the shared table of cases holds both to.)
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Right, by the rule (or within the tolerance).
    Correct,
    /// Wrong: the typed number is above the answer.
    High,
    /// Wrong: the typed number is below the answer.
    Low,
    /// Coarser than the `digits:` the exercise asks for.
    Imprecise,
    /// Not a number.
    Invalid,
}

#[cfg(test)]
impl Verdict {
    /// The name the browser tests and the script use.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Correct => "correct",
            Verdict::High => "high",
            Verdict::Low => "low",
            Verdict::Imprecise => "imprecise",
            Verdict::Invalid => "invalid",
        }
    }
}

/// Judges what a reader typed against the answer `value`, by the rule of
/// `check` ([`check::judge`]): without a tolerance, the typed number holds
/// when the value, rounded to the digits typed, equals it (`97.1%`, `97%`
/// and `0.971` are all read; a whole number states an exact value); with
/// one, when it lies within the tolerance of the value. `−` is read as a
/// minus sign and surrounding spaces are ignored. `theme/lemma-widget.js`
/// implements the same rule; `tests/data/selfcheck.json` holds both to one
/// table of cases.
#[cfg(test)]
pub fn self_check(value: f64, typed: &str, tolerance: Option<&str>, digits: Option<usize>) -> Verdict {
    let text = typed.trim().replace('\u{2212}', "-");
    let Some(s) = Stated::parse(&text).filter(|s| s.value.to_f64().is_finite()) else {
        return Verdict::Invalid;
    };
    let tol = tolerance.and_then(Stated::parse);
    if let Some(d) = digits
        && tol.is_none()
        && s.quantum() > -(d as i32)
    {
        return Verdict::Imprecise;
    }
    let verdict = check::judge(value, &s, tol.as_ref());
    if verdict.holds {
        Verdict::Correct
    } else {
        // Above or below the value itself (a typed number that rounds
        // wrong is on the same side of the value as of its rounding).
        match s.value.cmp_f64(value) {
            std::cmp::Ordering::Greater => Verdict::High,
            _ => Verdict::Low,
        }
    }
}

/// Renders an exercise: one line of HTML with the self-check form (when
/// the answer is a number) and the hidden answer and working. `working` is
/// Markdown whose formulas are already MathML.
pub fn render(n: usize, answer: &str, numeric: Option<&Numeric>, working: &str) -> String {
    let mut h = Html::new();
    h.open("div").attr("class", "lemma-exercise").attr_prefixed("id", "exercise-", n).attr("data-lemma-exercise", n);
    if let Some(num) = numeric {
        let form = h.open("form").attr("class", "lemma-selfcheck").attr("data-lemma-answer", &num.value);
        let form = match &num.tolerance {
            Some(t) => form.attr("data-lemma-tolerance", t),
            None => form,
        };
        drop(match num.digits {
            Some(d) => form.attr("data-lemma-digits", d),
            None => form,
        });
        h.open("label");
        h.literal("Your answer to ");
        h.open("span").attr("class", "lemma-exercise-name").text(&exercise_name(None, n));
        h.literal(" ");
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
        check_parts(
            "```exercise\nanswer: 1\ndigits: 2\ntolerance: 0.1\ndigits: 3\n```",
            "Answer \"1\"; Digits \"2\"; Tolerance \"0.1\"; Working \"digits: 3\\n\"",
        );
        check_parts("```exercise\nanswer: yes\n```\n", "Answer \"yes\"; Working \"\"");
        check_parts("```exercise\nwhat\n```\n", "error 12..16 an exercise block starts with an `answer:` line");
        check_parts("```exercise\n```\n", "error 0..15 this exercise block is empty: it needs an `answer:` line");
        check_parts("```python\nanswer: 1\n```\n", "");
    }

    #[test]
    fn renders() {
        let num = Numeric { value: "0.6931471805599453".into(), tolerance: None, digits: Some(2) };
        expect_test::expect![[r#"<div class="lemma-exercise" id="exercise-2" data-lemma-exercise="2"><form class="lemma-selfcheck" data-lemma-answer="0.6931471805599453" data-lemma-digits="2"><label>Your answer to <span class="lemma-exercise-name">Exercise 2</span> <input type="text" inputmode="decimal" data-lemma-input></label> <button type="submit">Check</button> <output data-lemma-verdict aria-live="polite"></output></form><details class="lemma-answer"><summary>Show answer</summary><p class="lemma-answer-value"><strong>Answer:</strong> 0.69</p><p>Because <em>ln</em> 2.</p> <pre><code>a&#10;b&#10;</code></pre></details></div>"#]]
        .assert_eq(&render(2, "0.69", Some(&num), "Because *ln* 2.\n\n```\na\nb\n```\n"));
        expect_test::expect![[r#"<div class="lemma-exercise" id="exercise-1" data-lemma-exercise="1"><details class="lemma-answer"><summary>Show answer</summary><p class="lemma-answer-value"><strong>Answer:</strong> It is <em>sure</em> &amp; “right”.</p></details></div>"#]]
        .assert_eq(&render(1, "It is *sure* & \"right\".", None, ""));
    }

    /// The shared table of typed answers (`tests/data/selfcheck.json`),
    /// which the browser tests also hold the script to.
    #[test]
    fn self_check_follows_the_shared_table() {
        let table: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/selfcheck.json")).expect("the table is JSON");
        let cases = table["cases"].as_array().expect("cases");
        assert!(cases.len() > 40);
        let mut wrong = Vec::new();
        for c in cases {
            let answer: f64 = c["answer"].as_str().and_then(|a| a.parse().ok()).expect("answer");
            let typed = c["typed"].as_str().expect("typed");
            let digits = c["digits"].as_u64().map(|d| d as usize);
            let got = self_check(answer, typed, c["tolerance"].as_str(), digits).name();
            if got != c["verdict"].as_str().expect("verdict") {
                wrong.push(format!("{c}: {got}"));
            }
        }
        assert_eq!(wrong, Vec::<String>::new());
    }

    #[test]
    fn settings() {
        assert_eq!(setting(PartKind::Digits, " 2 "), Ok(Setting::Digits(2)));
        assert_eq!(setting(PartKind::Tolerance, "0.01"), Ok(Setting::Tolerance("0.01".into())));
        assert!(setting(PartKind::Digits, "two").is_err());
        assert!(setting(PartKind::Digits, "99").is_err());
        assert!(setting(PartKind::Tolerance, "-1").is_err());
        assert!(setting(PartKind::Tolerance, "inf").is_err());
    }
}
