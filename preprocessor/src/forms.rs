//! The registry of form kinds.
//!
//! A *form* is a piece of a chapter that lemma replaces: a fenced block
//! (```` ```lemma ````, ```` ```math ````, ```` ```exercise ````) or an inline
//! `{{KEYWORD ...}}`. Each kind is one module that declares, in a [`Kind`],
//! how its forms are written (the fence word, the inline keyword and how its
//! body ends), what its body is (which decides what the scanner treats as
//! a claim inside it and how a value inside is escaped), and the function
//! that evaluates and renders the chapter's forms of that kind. [`KINDS`]
//! lists them: [`crate::scan`] finds forms by reading it, and
//! [`crate::chapter`] runs each kind's `process` in its order. A new kind is
//! one module and one line of [`KINDS`].

use std::ops::Range;

use crate::chapter::Cx;
use crate::parse::markdown::{Block, Context};
use crate::splice::Edit;

/// One kind of form.
#[derive(Debug)]
pub struct Kind {
    /// Its name, for messages.
    pub name: &'static str,
    /// The first word of the info string of its fenced blocks.
    pub fence: Option<&'static str>,
    /// How it is written inline.
    pub inline: Option<InlineSyntax>,
    /// What its body is.
    pub body: Body,
    /// Evaluates and renders the chapter's forms of this kind (in document
    /// order), adding their edits. Kinds run in the order of [`KINDS`], so a
    /// container finds the edits of the forms inside it already made.
    pub process: Process,
}

/// Evaluates and renders the forms of one kind: the context, the chapter
/// text, the forms, the edits so far.
pub type Process = fn(&mut Cx, &str, &[&Found], &mut Vec<Edit>);

/// How a kind is written inline: `{{KEYWORD BODY}}`.
#[derive(Debug, Clone, Copy)]
pub struct InlineSyntax {
    /// The keyword after `{{`.
    pub keyword: &'static str,
    /// How the body is read to its closing `}}`.
    pub closing: Closing,
    /// Whether forms of this kind are found inside code too.
    pub in_code: bool,
}

/// How the body of an inline form ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    /// Lemma syntax: at the first `}}` outside a string literal.
    Lemma,
    /// Text or LaTeX, after whitespace: at the first `}}` where braces
    /// balance (`\{` and `\}` escaped).
    Braces,
    /// No body: `}}` right after the keyword.
    Marker,
}

/// What the body of a form is, which decides what in it is a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// Lemma statements (fenced) or an expression (inline): computed and
    /// checked. Its string literals are written into the page (claims);
    /// shown source (`lemma echo`) has its comments as claims; text glued
    /// to an inline value is an error.
    Lemma,
    /// LaTeX: every number in it is a claim; lemma values inside are
    /// written verbatim.
    Latex,
    /// Markdown: every number is a claim but on a `tolerance:` line (an
    /// input); its code and raw HTML decide how values inside are written.
    Markdown,
    /// Text whose numbers are exempt.
    Exempt,
    /// Nothing: a placeholder.
    Marker,
}

/// A form found in a chapter.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Its kind: an index into [`KINDS`].
    pub kind: usize,
    /// The whole form: from the opening fence (or `{{`) to the closing
    /// fence (or `}}`), its line ending excluded.
    pub range: Range<usize>,
    /// The body: the lines between the fences, or the text after the
    /// keyword (leading whitespace skipped).
    pub body: Range<usize>,
    /// A fenced block rather than an inline form.
    pub fenced: bool,
    /// Where an inline form stands, which decides how its output is
    /// escaped.
    pub context: Context,
    /// For fenced lemma blocks: the info words and lines, mapped to chapter
    /// offsets.
    pub block: Option<Block>,
}

/// Every kind, in the order they are processed.
pub static KINDS: &[Kind] =
    &[crate::lemma::KIND, crate::coverage::EXEMPT, crate::math::KIND, crate::exercise::KIND, crate::answer_key::KIND];

/// The kind whose fenced blocks start with `word`.
pub fn by_fence(word: &str) -> Option<usize> {
    KINDS.iter().position(|k| k.fence == Some(word))
}

/// The kind written inline as `{{word`.
pub fn by_keyword(word: &str) -> Option<usize> {
    KINDS.iter().position(|k| k.inline.is_some_and(|i| i.keyword == word))
}

/// The kind a misspelt fence word (`Lemma`, `lemma-echo`) or keyword
/// (`{{Math`, `{{lemmas`) was meant to be, if any: the same word in
/// another case, or a word that starts with a kind's fence word or
/// keyword followed by more letters or a dash.
pub fn near_miss(word: &str, inline: bool) -> Option<&'static str> {
    let lower = word.to_ascii_lowercase();
    KINDS.iter().find_map(|k| {
        let name = if inline { k.inline.map(|i| i.keyword) } else { k.fence }?;
        let longer = lower
            .strip_prefix(name)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '-' || c == '_'));
        (lower == name || (longer && name.len() >= 4)).then_some(name)
    })
}

/// Splits `edits` into those inside `range` and the rest.
pub fn take_inside(edits: &mut Vec<Edit>, range: &Range<usize>) -> Vec<Edit> {
    let (inside, rest) =
        std::mem::take(edits).into_iter().partition(|e| range.start <= e.range.start && e.range.end <= range.end);
    *edits = rest;
    inside
}

/// `src[range]` with the edits inside it applied.
pub fn apply(src: &str, range: &Range<usize>, edits: &[Edit]) -> String {
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
    use expect_test::{Expect, expect};

    /// A chapter through the pipeline: its output, or its errors.
    fn check(src: &str, expect: Expect) {
        let out = crate::chapter::process(src);
        let mut got = out.content.clone();
        for d in &out.diags {
            got.push_str(&format!("\nerror {:?} {}", d.range, d.message));
        }
        expect.assert_eq(&got);
    }

    #[test]
    fn registry_is_consistent() {
        for (i, k) in super::KINDS.iter().enumerate() {
            assert!(k.fence.is_some() || k.inline.is_some(), "{} is written somehow", k.name);
            if let Some(f) = k.fence {
                assert_eq!(super::by_fence(f), Some(i), "one kind per fence word");
            }
            if let Some(s) = k.inline {
                assert_eq!(super::by_keyword(s.keyword), Some(i), "one kind per keyword");
            }
        }
    }

    #[test]
    fn containers_fold_the_forms_inside() {
        check(
            "a {{math p = {{lemma 0.5}}}} b",
            expect![[r#"a <math display="inline"><mi>p</mi><mo>=</mo><mn>0.500</mn></math> b"#]],
        );
        check(
            "x {{math x^}} y",
            expect![[r#"
            x {{math x^}} y
            error 9..11 this formula is not valid LaTeX: expected a token"#]],
        );
        check("\\{{math x}}", expect!["{{math x}}"]);
        check(
            "```exercise\nanswer: {{lemma ln(2); dp=2}}\nSo {{math x}}.\n```\n",
            expect![[r#"
                <div class="lemma-exercise" id="exercise-1" data-lemma-exercise="1"><form class="lemma-selfcheck" data-lemma-answer="0.6931471805599453"><label>Your answer to <span class="lemma-exercise-name">Exercise 1</span> <input type="text" inputmode="decimal" data-lemma-input></label> <button type="submit">Check</button> <output data-lemma-verdict aria-live="polite"></output></form><details class="lemma-answer"><summary>Show answer</summary><p class="lemma-answer-value"><strong>Answer:</strong> 0.69</p><p>So <math display="inline"><mi>x</mi></math>.</p></details></div>
            "#]],
        );
        check(
            "```exercise\nanswer: No.\ntolerance: x\n```\n",
            expect![[r#"
            ```exercise
            answer: No.
            tolerance: x
            ```

            error 35..36 `tolerance:` needs a non-negative number, got `x`"#]],
        );
    }
}
