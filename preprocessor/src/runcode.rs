//! Running a chapter's Python samples (`mdbook-lemma check --run-code`):
//! the pure part.
//!
//! A chapter is a notebook: its ```` ```python ```` blocks (also `py`,
//! `python3`, `pycon`) run top to bottom in one interpreter, on the
//! processed chapter text (so `{{lemma ...}}` inside code is already a
//! number). A block marked ```` ```python,norun ```` is shown, not run.
//!
//! [`plan`] finds the blocks (in the processed text, each line mapped to
//! its line in the chapter as written), [`DRIVER`] is the Python program
//! that runs them (one top-level statement at a time, with `ast`),
//! `python.rs` starts the interpreter (the I/O), and [`judge`] compares
//! what came back with what the samples say:
//!
//! - an expression statement with a result comment (`z.sum()   # 1.5`) on
//!   its last line, or, when it has none, a comment on the line right after
//!   it: the first numbers of the comment, one per number the code
//!   produced, must equal the values rounded to the digits shown (the rule
//!   of `check`); numbers after them are prose. No number in the comment:
//!   nothing to check.
//! - a `>>> ` statement followed by output lines: the numbers of the output
//!   must be as many as the code produced, each equal at the digits shown.
//!
//! What the code produced: for a value that is a number, an array, a
//! tensor or a list of numbers, its numbers at full precision (a float32
//! tensor's exact values, which torch and NumPy round when they print);
//! otherwise, or when the statement printed, the numbers in the printed
//! text (`print` output, else `repr`). An exception stops the chapter and is
//! reported at its line with the last line of the traceback.

mod printed;
#[cfg(test)]
mod tests;

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use crate::check;
use crate::diagnostics::Diag;
use crate::format;
use crate::scan::code::comment_start;
use printed::{Token, numbers, produced};

/// The Python program that runs a chapter: it reads [`input`] on
/// stdin and writes one JSON object per line on stdout (`start` before each
/// statement, `result` after it, `error` for an exception, `done`).
/// Anything the samples write to stdout goes to stderr instead (their
/// `print` output is captured per statement).
pub const DRIVER: &str = include_str!("runcode/driver.py");

/// The info-string words of a block that runs.
const PYTHON: &[&str] = &["python", "py", "python3", "pycon"];

/// The mark that keeps a Python block from running.
pub const NORUN: &str = "norun";

/// One Python block of a chapter.
#[derive(Debug, Clone)]
pub struct PyBlock {
    /// The block's lines in the processed text.
    pub lines: Vec<String>,
    /// Each line's range in the chapter as written (the line, without its
    /// newline).
    pub spans: Vec<Range<usize>>,
    /// The fence line's range in the chapter as written.
    pub fence: Range<usize>,
    /// A REPL session (some line starts with `>>>`).
    pub repl: bool,
    /// Marked `norun`.
    pub norun: bool,
}

/// The blocks of a chapter to run.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Every Python block, in order (norun ones too).
    pub blocks: Vec<PyBlock>,
    /// A located problem that keeps the chapter from running.
    pub error: Option<Diag>,
}

/// A Python block as the scanner sees it: its fence, info string and
/// lines.
struct Found {
    range: Range<usize>,
    info: String,
    lines: Vec<Range<usize>>,
}

/// The fenced code blocks of a chapter with a Python info word.
fn python_blocks(src: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut open: Option<Found> = None;
    for (event, r) in mdbook_markdown::new_cmark_parser(src, &Default::default()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let word = crate::scan::info_word(&info).to_ascii_lowercase();
                if PYTHON.contains(&word.as_str()) {
                    open = Some(Found { range: r, info: info.to_string(), lines: Vec::new() });
                }
            }
            Event::Text(_) => {
                if let Some(f) = &mut open {
                    let mut at = r.start;
                    for line in src[r.clone()].split_inclusive('\n') {
                        let text = line.trim_end_matches(['\n', '\r']);
                        f.lines.push(at..at + text.len());
                        at += line.len();
                    }
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(f) = open.take() {
                    out.push(f);
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether an info string (`python,norun`, `python norun`) marks a block
/// not to run.
pub fn is_norun(info: &str) -> bool {
    let word = crate::scan::info_word(info);
    let rest = info.trim_start().trim_start_matches(['{', '.']);
    rest.get(word.len()..)
        .unwrap_or("")
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | '{' | '.'))
        .any(|w| w == NORUN)
}

/// The Python blocks of a chapter: their text in `processed`, their
/// places in `original` (the same chapter before lemma wrote its values:
/// the blocks come in the same order with the same lines, since a value
/// is written on its form's line).
pub fn plan(original: &str, processed: &str) -> Plan {
    let before = python_blocks(original);
    let after = python_blocks(processed);
    let mut plan = Plan::default();
    if before.len() != after.len() || before.iter().zip(&after).any(|(b, a)| b.lines.len() != a.lines.len()) {
        let at = before.first().map_or(0..0, |b| fence_line(original, &b.range));
        plan.error = Some(Diag::error(
            at,
            "lemma changed the shape of this chapter's Python blocks, so their lines cannot be traced: the code was not run",
            "not run",
        ));
        return plan;
    }
    for (b, a) in before.into_iter().zip(after) {
        let lines: Vec<String> = a.lines.iter().map(|r| processed[r.clone()].to_string()).collect();
        let repl = lines.iter().any(|l| l.trim_start().starts_with(">>>"));
        plan.blocks.push(PyBlock {
            lines,
            spans: b.lines,
            fence: fence_line(original, &b.range),
            repl,
            norun: is_norun(&b.info),
        });
    }
    plan
}

fn fence_line(src: &str, range: &Range<usize>) -> Range<usize> {
    let end = src[range.start..].find('\n').map_or(src.len(), |i| range.start + i);
    range.start..end.max(range.start)
}

/// A REPL prompt at the start of a line (`>>> `, `... `): its length.
fn prompt(line: &str) -> Option<usize> {
    let t = line.trim_start();
    let lead = line.len() - t.len();
    for p in [">>>", "..."] {
        if let Some(rest) = t.strip_prefix(p)
            && (rest.is_empty() || rest.starts_with(' '))
        {
            return Some(lead + p.len() + usize::from(rest.starts_with(' ')));
        }
    }
    None
}

impl PyBlock {
    /// The code to run, one line per line of the block (so that Python's
    /// line numbers are the block's): in a session, prompts are removed and
    /// output lines left blank.
    pub fn code(&self) -> String {
        let mut out = String::new();
        for l in &self.lines {
            if self.repl {
                if let Some(p) = prompt(l) {
                    out.push_str(&l[p..]);
                }
            } else {
                out.push_str(l);
            }
            out.push('\n');
        }
        out
    }

    /// What the block says statement `[line, end]` (1-based, inclusive)
    /// gives: the text of its result comment or output, and where that text
    /// stands in the chapter as written.
    fn expected(&self, end: usize) -> Option<(String, Range<usize>)> {
        let idx = end.checked_sub(1)?;
        if self.repl {
            let mut text = String::new();
            let mut span: Option<Range<usize>> = None;
            for (l, s) in self.lines.iter().zip(&self.spans).skip(idx + 1) {
                if prompt(l).is_some() || l.trim().is_empty() {
                    break;
                }
                text.push_str(l);
                text.push('\n');
                span = Some(span.map_or(s.clone(), |sp| sp.start..s.end));
            }
            return span.map(|s| (text, s));
        }
        let comment = |i: usize, full_line: bool| -> Option<(String, Range<usize>)> {
            let l = self.lines.get(i)?;
            let c = comment_start(l, "#", false)?;
            if full_line != l[..c].trim().is_empty() {
                return None;
            }
            Some((l[c + 1..].to_string(), self.spans.get(i)?.clone()))
        };
        comment(idx, false).or_else(|| comment(idx + 1, true))
    }
}

/// One line of the driver's output.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Record {
    /// A statement is about to run.
    Start {
        /// The block's index in [`Plan::blocks`].
        block: usize,
        /// Its first line in the block (1-based).
        line: usize,
    },
    /// A statement ran.
    Result {
        /// The block's index.
        block: usize,
        /// Its last line in the block (1-based).
        end: usize,
        /// Whether it is an expression statement.
        expr: bool,
        /// What it printed.
        printed: String,
        /// The `repr` of its value (an expression that is not `None`).
        repr: Option<String>,
        /// The numbers of its value at full precision, when it is a number
        /// or a container of numbers (`repr` of each float: `nan`, `inf`).
        values: Option<Vec<String>>,
    },
    /// A statement raised.
    Error {
        /// The block's index.
        block: usize,
        /// The line in the block where it was raised (1-based).
        line: usize,
        /// The last line of the traceback.
        message: String,
        /// Where it was raised, when in another statement of the chapter
        /// (a function defined earlier): block and line.
        #[serde(default)]
        origin: Option<(usize, usize)>,
    },
    /// Every block ran.
    Done,
}

/// How the interpreter ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// It exited with this status (`None`: killed by a signal).
    Exited(Option<i32>),
    /// It ran out of time and was stopped, after this many seconds.
    TimedOut(u64),
    /// It could not be started.
    NotStarted(String),
}

/// What one run of the interpreter gave.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Its stdout (the driver's records).
    pub stdout: String,
    /// Its stderr.
    pub stderr: String,
    /// How it ended.
    pub ending: Ending,
}

/// Counts of a chapter's run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunStats {
    /// Blocks run.
    pub blocks: usize,
    /// Blocks marked `norun`.
    pub norun: usize,
    /// Results whose numbers were compared (comments and outputs).
    pub compared: usize,
    /// Numbers compared.
    pub numbers: usize,
}

impl std::ops::AddAssign for RunStats {
    fn add_assign(&mut self, o: RunStats) {
        self.blocks += o.blocks;
        self.norun += o.norun;
        self.compared += o.compared;
        self.numbers += o.numbers;
    }
}

/// The text the driver gets on stdin: the code of each block to run, with
/// its index (blocks marked `norun` are left out).
pub fn input(plan: &Plan) -> String {
    let blocks: Vec<serde_json::Value> = plan
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| !b.norun)
        .map(|(i, b)| serde_json::json!({ "index": i, "code": b.code() }))
        .collect();
    serde_json::json!({ "blocks": blocks }).to_string()
}

/// `s` cut to a length fit for one line of a message.
fn short(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 100 { format!("{}...", one.chars().take(100).collect::<String>()) } else { one }
}

/// Compares what the interpreter gave with what the blocks say; returns
/// the diagnostics and the counts.
pub fn judge(original: &str, plan: &Plan, outcome: &Outcome) -> (Vec<Diag>, RunStats) {
    let mut stats = RunStats {
        blocks: plan.blocks.iter().filter(|b| !b.norun).count(),
        norun: plan.blocks.iter().filter(|b| b.norun).count(),
        ..RunStats::default()
    };
    let mut diags = Vec::new();
    let first = plan.blocks.iter().find(|b| !b.norun).map(|b| b.fence.clone());
    let Some(first) = first else { return (diags, stats) };
    if let Ending::NotStarted(why) = &outcome.ending {
        diags.push(Diag::error(first, format!("could not run this chapter's Python: {why}"), "not run"));
        return (diags, stats);
    }
    let at = |block: usize, line: usize| -> Range<usize> {
        plan.blocks
            .get(block)
            .and_then(|b| b.spans.get(line.saturating_sub(1)).or(b.spans.first()).cloned())
            .unwrap_or_else(|| first.clone())
    };
    let mut last_start: Option<(usize, usize)> = None;
    let mut done = false;
    let mut failed = false;
    for line in outcome.stdout.lines() {
        let Ok(rec) = serde_json::from_str::<Record>(line) else { continue };
        match rec {
            Record::Start { block, line } => last_start = Some((block, line)),
            Record::Done => done = true,
            Record::Error { block, line, message, origin } => {
                failed = true;
                let mut d = Diag::error(
                    at(block, line),
                    format!("this Python raised an exception: {}", short(&message)),
                    "raised here",
                );
                if let Some((ob, ol)) = origin.filter(|&o| o != (block, line)) {
                    let r = at(ob, ol);
                    let n = original[..r.start.min(original.len())].matches('\n').count() + 1;
                    let text = original.get(r).unwrap_or("").trim();
                    d.notes.push(format!("raised in line {n} of this chapter: `{}`", short(text)));
                }
                d.notes.push("the chapter's code stops here: the statements after it were not run".into());
                diags.push(d);
            }
            Record::Result { block, end, expr, printed, repr, values } => {
                let Some(b) = plan.blocks.get(block) else { continue };
                if !expr && !b.repl {
                    continue;
                }
                let Some((text, span)) = b.expected(end) else { continue };
                // The comment's place in the chapter as written.
                let span = comment_span(original, b, &span);
                let stated: Vec<Token> = numbers(&text).into_iter().map(|(_, t)| t).collect();
                if stated.is_empty() {
                    continue;
                }
                let (got, shown) = produced(&printed, repr.as_deref(), values.as_deref());
                stats.compared += 1;
                let what = if b.repl { "output" } else { "comment" };
                let fits = if b.repl { stated.len() == got.len() } else { stated.len() >= got.len() };
                if !fits || got.is_empty() {
                    let mut d = Diag::error(
                        span.clone(),
                        format!(
                            "this {what} states {} number{}, but the code printed {} ({} number{})",
                            stated.len(),
                            if stated.len() == 1 { "" } else { "s" },
                            if shown.is_empty() { "nothing".to_string() } else { format!("`{}`", short(&shown)) },
                            got.len(),
                            if got.len() == 1 { "" } else { "s" }
                        ),
                        "does not match what the code printed",
                    );
                    d.notes.push(
                        "a result comment's first numbers are the result, one per number the code produced".into(),
                    );
                    diags.push(d);
                    continue;
                }
                for (k, (s, &v)) in stated.iter().zip(&got).enumerate() {
                    stats.numbers += 1;
                    let comp = if got.len() > 1 { format!(" (component {k})") } else { String::new() };
                    match s {
                        Token::NonFinite(x) => {
                            let same = (x.is_nan() && v.is_nan()) || *x == v;
                            if !same {
                                diags.push(mismatch(
                                    &span,
                                    what,
                                    &format!("{x}"),
                                    &format!("is {}{comp}", format::full(v)),
                                    &shown,
                                    Vec::new(),
                                ));
                            }
                        }
                        Token::Num(s) => {
                            if !v.is_finite() {
                                diags.push(mismatch(
                                    &span,
                                    what,
                                    &s.text,
                                    &format!("is {v}{comp}"),
                                    &shown,
                                    Vec::new(),
                                ));
                                continue;
                            }
                            let verdict = check::judge(v, s, None);
                            if !verdict.holds {
                                diags.push(mismatch(
                                    &span,
                                    what,
                                    &s.text,
                                    &format!("gives {}{comp}", verdict.correct),
                                    &shown,
                                    vec![
                                        format!("computed by Python: {}", format::full(v)),
                                        format!("allowed: {}", verdict.allowed),
                                    ],
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    if failed {
        return (diags, stats);
    }
    match &outcome.ending {
        Ending::TimedOut(secs) => {
            let place = last_start.map_or(first.clone(), |(b, l)| at(b, l));
            let mut d = Diag::error(
                place,
                format!("this chapter's Python did not finish within {secs} s: it was stopped here"),
                "still running",
            );
            d.notes.push("the time limit is `run-code-timeout` in `[preprocessor.lemma]` (seconds)".into());
            diags.push(d);
        }
        Ending::Exited(status) if !done => {
            let place = last_start.map_or(first.clone(), |(b, l)| at(b, l));
            let last = outcome.stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
            let how = status.map_or("was killed".to_string(), |c| format!("exited with status {c}"));
            diags.push(Diag::error(
                place,
                format!("the Python interpreter {how} while running this: {}", short(last)),
                "running here",
            ));
        }
        Ending::Exited(_) | Ending::NotStarted(_) => {}
    }
    (diags, stats)
}

/// Where a statement's result comment stands in the chapter as written:
/// from its `#` (found again in the original line) to the end of the line;
/// a session's output lines as they are.
fn comment_span(original: &str, b: &PyBlock, span: &Range<usize>) -> Range<usize> {
    if b.repl {
        return span.clone();
    }
    let text = original.get(span.clone()).unwrap_or("");
    match comment_start(text, "#", false) {
        Some(c) => span.start + c..span.end,
        None => span.clone(),
    }
}

fn mismatch(span: &Range<usize>, what: &str, stated: &str, got: &str, shown: &str, notes: Vec<String>) -> Diag {
    let mut d = Diag::error(
        span.clone(),
        format!("this {what} states {stated}, but the code {got}"),
        format!("the code printed `{}`", short(shown)),
    );
    d.notes = notes;
    d
}
