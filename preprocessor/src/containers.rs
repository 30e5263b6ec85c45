//! Forms that contain lemma forms: formulas ([`math`]) and exercises
//! ([`exercise`]).
//!
//! The chapter driver evaluates every inline lemma form as usual, producing
//! one edit each. Here the edits that fall inside a formula or an exercise
//! are applied to that form's source only, the result is rendered, and the
//! whole form becomes one edit. Only [`splice`](crate::splice) then touches
//! the chapter.

use std::ops::Range;

use crate::diagnostics::Diag;
use crate::eval::Value;
use crate::exercise::{self, Answer, Numeric, PartKind};
use crate::format;
use crate::math;
use crate::splice::{Edit, continuation_prefix};

/// Folds the edits inside formulas and exercises into one edit per form.
/// `values` holds the value of each inline lemma form, by its range.
/// Exercises are numbered from 1 in the chapter; their answers are
/// returned.
pub fn nest(
    src: &str,
    formulas: &[math::MathForm],
    exercises: &[exercise::ExerciseForm],
    edits: Vec<Edit>,
    values: &[(Range<usize>, Value)],
    diags: &mut Vec<Diag>,
) -> (Vec<Edit>, Vec<Answer>) {
    let mut edits = edits;
    let mut answers = Vec::new();
    for f in formulas {
        let (inner, rest) = take_inside(edits, &f.range);
        edits = rest;
        let mut latex = apply(src, &f.body, &inner);
        if f.display {
            latex = math::strip_prefix(&latex, &continuation_prefix(src, f.range.start));
        }
        match math::render(latex.trim(), f.display) {
            Ok(html) => edits.push(Edit { range: f.range.clone(), text: html, blank_after: f.display }),
            Err(e) => {
                let mut d = Diag::error(f.body.clone(), e.message, "in this formula");
                d.notes = e.notes;
                if latex.trim() != src[f.body.clone()].trim() {
                    d.notes.push(format!("the LaTeX after lemma values were written in: {}", latex.trim()));
                }
                diags.push(d);
            }
        }
    }
    for (k, form) in exercises.iter().enumerate() {
        let n = k + 1;
        let (inner, rest) = take_inside(edits, &form.range);
        edits = rest;
        let parts = match exercise::parts(src, form) {
            Ok(p) => p,
            Err((range, message)) => {
                diags.push(Diag::error(range, message, "here"));
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
            let text = math::strip_prefix(&apply(src, &p.range, &inner), &prefix);
            match p.kind {
                PartKind::Answer => {
                    answer = text.trim().to_string();
                    let inside: Vec<&(Range<usize>, Value)> =
                        values.iter().filter(|(r, _)| p.range.start <= r.start && r.end <= p.range.end).collect();
                    let only = inside.len() == 1 && inside[0].0 == p.range;
                    if let [(_, Value::Num(v))] = inside.as_slice()
                        && only
                    {
                        numeric = Some(Numeric { value: format::full(*v), ..Numeric::default() });
                    }
                }
                PartKind::Tolerance | PartKind::Digits => match exercise::setting(p.kind, &text) {
                    Ok(s) => settings.push(s),
                    Err(message) => {
                        ok = false;
                        diags.push(Diag::error(p.range.clone(), message, "not a setting"));
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
                    exercise::Setting::Tolerance(t) => num.tolerance = Some(t),
                    exercise::Setting::Digits(d) => num.digits = Some(d),
                }
            }
        }
        edits.push(Edit {
            range: form.range.clone(),
            text: exercise::render(n, &answer, numeric.as_ref(), &working),
            blank_after: true,
        });
        answers.push(Answer { n, text: answer });
    }
    edits.sort_by_key(|e| e.range.start);
    (edits, answers)
}

/// Splits `edits` into those inside `range` and the rest.
fn take_inside(edits: Vec<Edit>, range: &Range<usize>) -> (Vec<Edit>, Vec<Edit>) {
    edits.into_iter().partition(|e| range.start <= e.range.start && e.range.end <= range.end)
}

/// `src[range]` with the edits inside it applied.
fn apply(src: &str, range: &Range<usize>, edits: &[Edit]) -> String {
    let mut inside: Vec<&Edit> =
        edits.iter().filter(|e| range.start <= e.range.start && e.range.end <= range.end).collect();
    inside.sort_by_key(|e| e.range.start);
    let mut out = String::new();
    let mut pos = range.start;
    for e in inside {
        if e.range.start < pos {
            continue;
        }
        out.push_str(&src[pos..e.range.start]);
        out.push_str(&e.text);
        pos = e.range.end;
    }
    out.push_str(&src[pos..range.end]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nests the given inline edits (range, text, value) and shows the
    /// resulting edits, answers and errors.
    fn check(src: &str, inner: &[(Range<usize>, &str, Option<f64>)], expect: &str) {
        let edits: Vec<Edit> =
            inner.iter().map(|(r, t, _)| Edit { range: r.clone(), text: t.to_string(), blank_after: false }).collect();
        let values: Vec<(Range<usize>, Value)> =
            inner.iter().filter_map(|(r, _, v)| v.map(|v| (r.clone(), Value::Num(v)))).collect();
        let mut diags = Vec::new();
        let scan = crate::scan::scan(src);
        diags.extend(scan.errors);
        let (edits, answers) = nest(src, &scan.math, &scan.exercises, edits, &values, &mut diags);
        let mut out: Vec<String> = edits.iter().map(|e| format!("{:?} {}", e.range, e.text)).collect();
        out.extend(answers.iter().map(|a| format!("answer {} {}", a.n, a.text)));
        out.extend(diags.iter().map(|d| format!("error {:?} {}", d.range, d.message)));
        assert_eq!(out.join("\n"), expect, "in {src:?}");
    }

    #[test]
    fn formulas() {
        check(
            "a {{math p = {{lemma p}}}} b",
            &[(13..24, "0.5", Some(0.5))],
            "2..26 <math display=\"inline\"><mi>p</mi><mo>=</mo><mn>0.5</mn></math>",
        );
        check("x {{math x^}} y", &[], "error 9..11 this formula is not valid LaTeX: expected a token");
        check("{{math \\bad}}", &[], "error 7..11 this formula is not valid LaTeX: unknown primitive command found");
        check("\\{{math x}}", &[], ""); // the backslash is the chapter's edit
        check(
            "{{math {x}\n",
            &[],
            "error 0..10 this inline formula is not closed: `{{math` needs a `}}` on the same line, after balanced braces",
        );
    }

    #[test]
    fn exercises() {
        check(
            "```exercise\nanswer: {{lemma x}}\nSo {{math x}}.\n```\n",
            &[(20..31, "0.69", Some(std::f64::consts::LN_2))],
            "0..50 <div class=\"lemma-exercise\" id=\"exercise-1\" data-lemma-exercise=\"1\"><form class=\"lemma-selfcheck\" data-lemma-answer=\"0.6931471805599453\"><label>Your answer to <span class=\"lemma-exercise-name\">Exercise 1</span> <input type=\"text\" inputmode=\"decimal\" data-lemma-input></label> <button type=\"submit\">Check</button> <output data-lemma-verdict aria-live=\"polite\"></output></form><details class=\"lemma-answer\"><summary>Show answer</summary><p class=\"lemma-answer-value\"><strong>Answer:</strong> 0.69</p><p>So <math display=\"inline\"><mi>x</mi></math>.</p></details></div>\nanswer 1 0.69",
        );
        check(
            "```exercise\nanswer: No.\ntolerance: x\n```\n",
            &[],
            "error 35..36 `tolerance:` needs a non-negative number, got `x`",
        );
        check(
            "```exercise\nanswer: No.\n```\n",
            &[],
            "0..27 <div class=\"lemma-exercise\" id=\"exercise-1\" data-lemma-exercise=\"1\"><details class=\"lemma-answer\"><summary>Show answer</summary><p class=\"lemma-answer-value\"><strong>Answer:</strong> No.</p></details></div>\nanswer 1 No.",
        );
    }
}
