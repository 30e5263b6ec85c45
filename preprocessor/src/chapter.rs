//! One chapter through the whole pipeline: scan, then each kind of form in
//! the registry's order (evaluate, check, render), coverage, splice.

use std::collections::HashSet;
use std::sync::Arc;

use codespan_reporting::diagnostic::Severity;

use crate::coverage::{self, Setting};
use crate::diagnostics::Diag;
use crate::eval::data::Source;
use crate::exercise::Answer;
use crate::forms::KINDS;
use crate::splice::{self, Edit};

/// Counts of what a chapter's forms did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    /// Values written into the text by inline forms.
    pub computed: usize,
    /// Stated numbers checked (each component of a stated vector counts).
    pub checked: usize,
    /// Boolean `check` statements that held.
    pub asserted: usize,
    /// Tables rendered.
    pub tables: usize,
    /// Numbers exempted with `{{exempt ...}}`.
    pub exempted: usize,
    /// Numbers in the text that no lemma form computes or checks.
    pub unchecked: usize,
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, o: Stats) {
        self.computed += o.computed;
        self.checked += o.checked;
        self.asserted += o.asserted;
        self.tables += o.tables;
        self.exempted += o.exempted;
        self.unchecked += o.unchecked;
    }
}

/// The result of processing one chapter.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Processed {
    /// The new chapter text (equal to the input when there is nothing to do).
    pub content: String,
    /// Errors and warnings, with ranges into the input.
    pub diags: Vec<Diag>,
    /// What was done.
    pub stats: Stats,
    /// The answers of the chapter's exercises.
    pub(crate) answers: Vec<Answer>,
    /// The data files the chapter's forms loaded (or tried to), with a hash
    /// of each: the result depends on them too.
    #[serde(default)]
    pub loaded: Vec<crate::eval::data::Loaded>,
}

/// Book-level settings for processing a chapter. Nothing here depends on
/// other chapters, so a chapter's result depends on its own text alone.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Options {
    /// What an unchecked number is (`unchecked-numbers`).
    pub unchecked: Setting,
}

/// Processes one chapter's Markdown with the default [`Options`].
pub fn process(src: &str) -> Processed {
    process_with(src, &Options::default())
}

/// Processes one chapter's Markdown, with no data files (`load` is an
/// error).
pub fn process_with(src: &str, opts: &Options) -> Processed {
    process_in(src, opts, None)
}

/// Processes one chapter's Markdown; `load` reads from `data` (the book's
/// files). The result is a function of the text, the options and the
/// content of the files it lists in [`Processed::loaded`].
pub fn process_in(src: &str, opts: &Options, data: Option<Arc<dyn Source>>) -> Processed {
    // One scan of the chapter finds every form and every claim.
    let scan = crate::scan::scan(src);
    let env = match data {
        Some(d) => crate::eval::Env::with_data(d),
        None => crate::eval::Env::new(),
    };
    let mut cx = Cx {
        env,
        poisoned: HashSet::new(),
        diags: scan.errors.clone(),
        stats: Stats::default(),
        values: Vec::new(),
        answers: Vec::new(),
    };
    let mut edits: Vec<Edit> =
        scan.escapes.iter().map(|&o| Edit { range: o..o + 1, text: String::new(), blank_after: false }).collect();
    // Each kind in the registry's order: a container finds the edits of
    // the forms inside it made already.
    for (k, kind) in KINDS.iter().enumerate() {
        let found = scan.of_kind(k);
        if !found.is_empty() {
            (kind.process)(&mut cx, src, &found, &mut edits);
        }
    }
    edits.sort_by_key(|e| e.range.start);
    coverage(src, &scan, opts.unchecked, &mut cx);
    let failed = cx.diags.iter().any(|d| d.severity == Severity::Error);
    let content = if failed { src.to_string() } else { splice::splice(src, &edits) };
    Processed { content, diags: cx.diags, stats: cx.stats, answers: cx.answers, loaded: cx.env.loaded() }
}

/// Accounts for the chapter's numbers ([`coverage`](mod@crate::coverage)):
/// unchecked numbers become diagnostics.
fn coverage(src: &str, scan: &crate::scan::Scan, setting: Setting, cx: &mut Cx) {
    let unchecked = coverage::unchecked(src, scan);
    cx.stats.unchecked += unchecked.len();
    let severity = match setting {
        Setting::Allow => return,
        Setting::Warn => Severity::Warning,
        Setting::Deny => Severity::Error,
    };
    // A line with many unchecked numbers gets a few diagnostics and one
    // that counts the rest: each diagnostic shows its whole line, so one
    // per number would cost the square of a long line's length.
    let mut k = 0;
    while k < unchecked.len() {
        let line_end = src[unchecked[k].start..].find('\n').map_or(src.len(), |j| unchecked[k].start + j);
        let on_line = unchecked[k..].iter().take_while(|r| r.start < line_end).count();
        if on_line > PER_LINE {
            let rest = &unchecked[k + PER_LINE..k + on_line];
            let shown: Vec<String> = rest.iter().take(8).map(|r| format!("`{}`", &src[r.clone()])).collect();
            let more = if rest.len() > shown.len() { ", ..." } else { "" };
            let mut d = Diag::error(
                rest[0].clone(),
                format!("{} more numbers on this line are not computed or checked by lemma", rest.len()),
                "unchecked, and more after it",
            );
            d.severity = severity;
            d.notes.push(format!("they are {}{more}", shown.join(", ")));
            for r in unchecked[k..k + PER_LINE].iter().cloned() {
                cx.diags.push(unchecked_diag(src, r, severity));
            }
            cx.diags.push(d);
        } else {
            for r in unchecked[k..k + on_line].iter().cloned() {
                cx.diags.push(unchecked_diag(src, r, severity));
            }
        }
        k += on_line;
    }
}

/// How many unchecked numbers of one line get a diagnostic each.
const PER_LINE: usize = 3;

fn unchecked_diag(src: &str, r: std::ops::Range<usize>, severity: Severity) -> Diag {
    {
        let text = &src[r.clone()];
        let mut d = Diag::error(r, format!("the number `{text}` is not computed or checked by lemma"), "unchecked");
        d.severity = severity;
        d.notes.push(format!(
            "compute it (`{{{{lemma EXPR}}}}`), check it (`{{{{lemma EXPR ≈ {text}}}}}`), or exempt it (`{{{{exempt {text}}}}}`)"
        ));
        d
    }
}

/// What a chapter's forms share while they are processed: the names bound
/// so far, the diagnostics, the counts, the values of inline forms and the
/// answers of exercises.
pub struct Cx {
    pub(crate) env: crate::eval::Env,
    /// Names whose binding failed: later uses are not reported again.
    pub(crate) poisoned: HashSet<String>,
    pub(crate) diags: Vec<Diag>,
    pub(crate) stats: Stats,
    /// Each inline form's range, and its value when that is a number (an
    /// exercise's answer is one of them).
    pub(crate) values: Vec<(std::ops::Range<usize>, Option<f64>)>,
    /// The answers of the chapter's exercises.
    pub(crate) answers: Vec<Answer>,
}
