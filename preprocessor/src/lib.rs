//! `mdbook-lemma`: an mdBook preprocessor that computes a book's numbers
//! and fails the build when a number stated in the text is wrong.
//!
//! # Public API
//!
//! The crate is a command first (`main.rs`); the library is public only as
//! far as that command, the tests, the benches and the examples use it,
//! and promises no stability.
//!
//! - [`Lemma`], the mdBook [`Preprocessor`]. [`Lemma::process`] returns the
//!   preprocessed book with the run's [`Report`] (counts and diagnostics);
//!   [`Preprocessor::run`] prints the diagnostics and returns the book, and
//!   an in-process build gets the reports through [`Lemma::with_reports`]
//!   and [`Reports`]. [`supports`] says which renderers lemma serves.
//! - [`chapter`]: one chapter through the whole pipeline
//!   ([`chapter::process`], [`chapter::process_with`] with
//!   [`chapter::Options`] and [`Setting`], the `unchecked-numbers` setting).
//! - [`diagnostics`]: located errors and warnings (with the fix of a wrong
//!   stated number), and their rendering as text, JSON lines or GitHub
//!   annotations; [`Output`] says how [`Preprocessor::run`] prints them.
//! - [`install`] (`mdbook-lemma install`: `book.toml` and the embedded
//!   assets), [`fix`] (`mdbook-lemma fix`) and [`origin`] (where each byte
//!   of an expanded chapter came from, for diagnostics in `{{#include}}`d
//!   files).
//! - The phases the benches, examples and property tests drive on their
//!   own: [`parse`], [`eval`], [`numeric`] (with its accuracy measure,
//!   [`numeric::accuracy`]), [`format`](mod@format), [`render`],
//!   [`splice`], and [`widget`] (whose golden vectors the browser tests hold
//!   the script to).
//! - [`stdin`]: how the command reads mdBook's input.
//! - [`CACHE_DIR_VAR`]: the environment variable that places the serve
//!   cache.
//!
//! - [`scan`] and [`forms`]: the one scanner and the registry of form
//!   kinds it reads (the benches time the scan on its own).
//!
//! The rest is private to the crate: the serve cache (`cache`), checking
//! stated numbers (`check`), the kinds of form (`lemma`, `math`,
//! `exercise`, with the exemptions in `coverage`), number coverage
//! (`coverage`) and range sets (`ranges`).
//!
//! # Pipeline
//!
//! Each chapter goes through these steps ([`chapter::process_with`]):
//!
//! 1. [`scan`]: one parse of the chapter with pulldown-cmark as mdBook
//!    configures it, one walk over its events and one pass over its `{{`
//!    find every form of every kind in the registry ([`forms::KINDS`]:
//!    lemma blocks and inline forms, formulas, exercises, exemptions, the
//!    answer key), every place a reader sees a number, and lemma-looking
//!    text that is not a form (an error).
//! 2. Each kind, in the registry's order, evaluates and renders its forms
//!    into edits. The lemma kind parses its statements ([`parse`]),
//!    evaluates them ([`eval`], with the [`numeric`] core; pure: no I/O,
//!    no Markdown), checks stated numbers against the values (`check`; the
//!    stated digits set the tolerance, and [`format`](mod@format) holds the
//!    one rounding rule), and renders values and tables ([`render`], HTML
//!    through [`html`]); statement by statement, since names bind in
//!    document order. Formulas and exercises come later and fold the edits
//!    of the forms inside them into their own.
//! 3. `coverage`: the numbers in the scanned places that no form accounts
//!    for.
//! 4. [`splice`]: replace each form's byte range; every other byte is
//!    copied unchanged. Only this module edits chapter text.
//!
//! [`Lemma`] runs the chapters over a book as an mdBook [`Preprocessor`]
//! (in parallel), collects the [`diagnostics`] of every chapter and fails
//! once, at the end, if there were errors. Then one book-level step fills
//! the answer key (the one place the book's text changes outside `splice`:
//! it replaces the `{{answer-key}}` line), and the chapter titles are
//! scanned.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

use anyhow::{Context as _, bail};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

pub mod chapter;
pub mod diagnostics;
pub mod eval;
pub mod format;
pub mod html;
pub mod numeric;
pub mod parse;
pub mod plot;
pub mod python;
pub mod render;
pub mod runcode;
pub mod scan;
pub mod splice;
pub mod stdin;
pub mod widget;

mod answer_key;
mod cache;
pub mod check;
mod coverage;
mod exercise;
pub mod files;
pub mod fix;
pub mod forms;
pub mod install;
mod lemma;
mod math;
pub mod origin;
mod ranges;

pub use cache::DIR_VAR as CACHE_DIR_VAR;
pub use coverage::Setting;

use chapter::Stats;
use diagnostics::ChapterDiags;

/// The preprocessor's name, as in `[preprocessor.lemma]`.
const NAME: &str = "lemma";

/// Keys mdBook itself reads from a preprocessor's table.
const MDBOOK_KEYS: &[&str] = &["command", "renderers", "before", "after", "optional"];
/// Keys `mdbook-lemma` reads.
const OWN_KEYS: &[&str] = &["unchecked-numbers", "run-code", "python", "run-code-timeout"];

/// The time limit of one chapter's Python, in seconds, unless
/// `run-code-timeout` says otherwise.
pub const DEFAULT_TIMEOUT_SECS: u64 = 120;

/// The lemma preprocessor.
///
/// [`Lemma::process`] returns the [`Report`] with the book. Through
/// mdBook's [`Preprocessor::run`] only the book comes back, so a
/// preprocessor made by [`Lemma::with_reports`] also sends each run's report
/// down a channel: `mdbook-driver`'s `MDBook::with_preprocessor` takes the
/// preprocessor by value (boxed, `'static`), and that channel is how an
/// in-process build (`mdbook-lemma build`, `check`, the tests) gets the
/// report back. A channel, not a lock: nothing is shared but the messages.
#[derive(Debug, Clone)]
pub struct Lemma {
    /// Where [`Preprocessor::run`] sends each run's report, if anyone asked.
    reports: Option<mpsc::Sender<Report>>,
    /// How [`Preprocessor::run`] prints the diagnostics on stderr; `None`
    /// prints nothing (the caller prints the report it receives).
    output: Option<Output>,
    /// Whether this run may execute the book's Python samples.
    code: RunCode,
}

/// Whether a run executes the book's Python samples (`check --run-code`).
/// Code runs only when a command asks: mdBook's own runs (`mdbook build`,
/// `serve`, the JSON protocol) and `mdbook-lemma build` never execute
/// anything, whatever `book.toml` says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RunCode {
    /// Never (the default).
    #[default]
    Never,
    /// When `book.toml` has `run-code = true` (`mdbook-lemma check`).
    IfConfigured,
    /// Always (`mdbook-lemma check --run-code`).
    Always,
}

/// What running the book's Python did.
#[derive(Debug, Default, Clone)]
pub struct CodeReport {
    /// Counts over every chapter run.
    pub stats: runcode::RunStats,
    /// Chapters whose Python ran.
    pub chapters: usize,
    /// Chapters with Python not run because lemma found errors in them.
    pub skipped: usize,
    /// The interpreter.
    pub python: String,
}

/// How [`Preprocessor::run`] prints a run's diagnostics on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    /// The format.
    pub format: diagnostics::Format,
    /// List every warning (otherwise a long list is summarized).
    pub all: bool,
}

impl Default for Output {
    /// Every diagnostic, for a person.
    fn default() -> Output {
        Output { format: diagnostics::Format::Human, all: true }
    }
}

/// The receiving end of [`Lemma::with_reports`]: the reports of the runs
/// of that preprocessor (and its clones).
#[derive(Debug)]
pub struct Reports(mpsc::Receiver<Report>);

impl Reports {
    /// The report of the latest run since the last call, if there was one
    /// (none when the build failed before lemma ran).
    pub fn last(&self) -> Option<Report> {
        self.0.try_iter().last()
    }
}

/// What a run did, across the whole book.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Counts over every chapter.
    pub stats: Stats,
    /// Chapters processed.
    pub chapters: usize,
    /// Diagnostics, per chapter that has any.
    pub diags: Vec<ChapterDiags>,
    /// What running the Python samples did, when they ran.
    pub code: Option<CodeReport>,
}

impl Report {
    /// The number of errors.
    pub fn errors(&self) -> usize {
        self.diags
            .iter()
            .flat_map(|c| &c.diags)
            .filter(|d| d.severity == codespan_reporting::diagnostic::Severity::Error)
            .count()
    }

    /// A one-line summary.
    pub fn summary(&self) -> String {
        let s = self.stats;
        let code = self.code.as_ref().map_or(String::new(), |c| {
            format!(
                "; python ({}): {} blocks run in {} chapters, {} marked norun, {} chapters not run (lemma errors), {} results compared ({} numbers)",
                c.python,
                c.stats.blocks,
                c.chapters,
                c.stats.norun,
                c.skipped,
                c.stats.compared,
                c.stats.numbers
            )
        });
        format!(
            "lemma: {} chapters, {} values computed, {} numbers checked, {} numbers exempted, {} left unchecked, {} checks held, {} tables, {} errors{}",
            self.chapters,
            s.computed,
            s.checked,
            s.exempted,
            s.unchecked,
            s.asserted,
            s.tables,
            self.errors(),
            code
        )
    }
}

impl Default for Lemma {
    fn default() -> Lemma {
        Lemma::new()
    }
}

impl Lemma {
    /// A new preprocessor, which prints every diagnostic.
    pub fn new() -> Lemma {
        Lemma { reports: None, output: Some(Output::default()), code: RunCode::Never }
    }

    /// A preprocessor whose every [`Preprocessor::run`] also sends its
    /// [`Report`] to the returned [`Reports`].
    pub fn with_reports() -> (Lemma, Reports) {
        let (tx, rx) = mpsc::channel();
        (Lemma { reports: Some(tx), output: Some(Output::default()), code: RunCode::Never }, Reports(rx))
    }

    /// This preprocessor, printing its diagnostics as `output` says
    /// (`None`: not at all).
    pub fn printing(self, output: Option<Output>) -> Lemma {
        Lemma { output, ..self }
    }

    /// This preprocessor, running the book's Python samples as `code` says.
    pub fn running_code(self, code: RunCode) -> Lemma {
        Lemma { code, ..self }
    }

    /// Processes every chapter of `book`, and says what it did.
    /// Diagnostics are collected in the report, not printed; the book is an
    /// error when the configuration is invalid (the report is then empty)
    /// or a chapter has an error.
    pub fn process(&self, ctx: &PreprocessorContext, book: Book) -> (anyhow::Result<Book>, Report) {
        match check_config(ctx) {
            Ok((unchecked, code)) => {
                let code = match self.code {
                    RunCode::Never => None,
                    RunCode::IfConfigured => code.enabled.then_some(code),
                    RunCode::Always => Some(code),
                };
                process_book(ctx, book, unchecked, code.as_ref())
            }
            Err(e) => (Err(e), Report::default()),
        }
    }
}

/// [`Lemma::process`] once the configuration is read.
fn process_book(
    ctx: &PreprocessorContext,
    mut book: Book,
    unchecked: coverage::Setting,
    code: Option<&CodeConfig>,
) -> (anyhow::Result<Book>, Report) {
    let src_dir = ctx.root.join(&ctx.config.book.src);
    let shown_src = ctx.config.book.src.clone();
    // Chapters are independent (a chapter's result depends on its text and
    // the book's options alone; exercises are numbered per chapter): take
    // them out, process them on every core, then write the results back in
    // book order (so the output and the report do not depend on the
    // threads). Only the answer key, filled last, looks across chapters.
    let opts = chapter::Options { unchecked };
    let mut jobs: Vec<(String, chapter::Options)> = Vec::new();
    book.for_each_mut(|item| {
        let BookItem::Chapter(ch) = item else { return };
        if source_of(ch).is_none() {
            return; // a draft chapter: no file, no content
        }
        jobs.push((std::mem::take(&mut ch.content), opts));
    });
    let cache = cache::Cache::for_book(ctx);
    let files: Arc<dyn eval::data::Source> = Arc::new(files::BookFiles::new(&ctx.root));
    let mut results = process_all(&jobs, cache.as_ref(), &files);
    let mut report = Report::default();
    if let Some(code) = code {
        report.code = Some(run_code(&jobs, &mut results, code));
    }
    let mut results = results.into_iter();
    let mut jobs = jobs.into_iter();
    let mut answers: Vec<answer_key::ChapterAnswers> = Vec::new();
    book.for_each_mut(|item| {
        let BookItem::Chapter(ch) = item else { return };
        // The same chapters as the first pass, in the same order.
        let Some(source) = source_of(ch) else { return };
        let (Some((content, _)), Some(out)) = (jobs.next(), results.next()) else { return };
        report.chapters += 1;
        report.stats += out.stats;
        answers.push(answer_key::ChapterAnswers {
            chapter: ch.name.clone(),
            number: section_number(ch),
            path: ch.path.as_ref().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default(),
            answers: out.answers,
        });
        if !out.diags.is_empty() {
            let file = std::fs::read_to_string(src_dir.join(&source)).ok();
            report.diags.extend(place(&src_dir, &shown_src, &source, content, file, out.diags));
        }
        ch.content = out.content;
    });
    answer_key::fill_book(&mut book, &answers);
    let titles = titles(&src_dir, &shown_src, &book, unchecked);
    for t in &titles {
        report.stats.unchecked += t.diags.len();
    }
    if unchecked != coverage::Setting::Allow {
        report.diags.extend(titles);
    }
    mark_shared_includes(&src_dir, &shown_src, &book, &mut report.diags);
    let errors = report.errors();
    if errors > 0 {
        let e = anyhow::anyhow!("{errors} lemma error{} (see above)", if errors == 1 { "" } else { "s" });
        return (Err(e), report);
    }
    (Ok(book), report)
}

/// The diagnostics of one chapter, placed on the files they are in: the
/// chapter's file, and each `{{#include}}`d file at its own lines (when
/// [`origin::trace`] reproduces mdBook's expansion exactly); what cannot be
/// placed so stays against the chapter as received. Each group is in
/// source order.
fn place(
    src_dir: &Path,
    shown_src: &Path,
    source: &Path,
    content: String,
    file: Option<String>,
    diags: Vec<diagnostics::Diag>,
) -> Vec<ChapterDiags> {
    let read = |p: &Path| std::fs::read_to_string(src_dir.join(p)).ok();
    let trace = match &file {
        Some(f) if *f != content && f.contains("{{") => {
            origin::trace(source, f, &read).filter(|t| t.expanded == content)
        }
        _ => None,
    };
    let Some(trace) = trace else {
        let mut diags = diags;
        diags.sort_by_key(|d| (d.range.start, d.range.end));
        return vec![ChapterDiags { path: display_path(shown_src, source), content, file, diags }];
    };
    let mut groups: Vec<Vec<diagnostics::Diag>> = vec![Vec::new(); trace.files.len()];
    let mut rest = Vec::new();
    for mut d in diags {
        match trace.place(&d.range) {
            Some((i, range)) => {
                if let Some(n) = &mut d.number {
                    n.suggestion = n.suggestion.take().and_then(|mut s| {
                        let (j, r) = trace.place(&s.range)?;
                        s.range = r;
                        (j == i).then_some(s)
                    });
                }
                d.range = range;
                groups[i].push(d);
            }
            None => {
                d.drop_suggestion();
                rest.push(d);
            }
        }
    }
    let mut out = Vec::new();
    for ((path, text), mut diags) in trace.files.iter().zip(groups) {
        if diags.is_empty() {
            continue;
        }
        diags.sort_by_key(|d| (d.range.start, d.range.end));
        // A file included twice in the chapter is reported once.
        diags.dedup_by(|a, b| a.range == b.range && a.message == b.message);
        out.push(ChapterDiags {
            path: display_path(shown_src, path),
            content: text.clone(),
            file: Some(text.clone()),
            diags,
        });
    }
    if !rest.is_empty() {
        rest.sort_by_key(|d| (d.range.start, d.range.end));
        out.push(ChapterDiags { path: display_path(shown_src, source), content, file, diags: rest });
    }
    out
}

/// A diagnostic in a file the book shows in more than one place (a file
/// `{{#include}}`d twice, or a chapter also included elsewhere) loses its
/// suggestion, since a fix there changes every place, and says so.
fn mark_shared_includes(src_dir: &Path, shown_src: &Path, book: &Book, diags: &mut [ChapterDiags]) {
    if !diags.iter().flat_map(|c| &c.diags).any(|d| d.suggestion().is_some()) {
        return;
    }
    let chapters: Vec<PathBuf> =
        book.iter().filter_map(|i| if let BookItem::Chapter(ch) = i { source_of(ch) } else { None }).collect();
    let mut shown_in: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for p in &chapters {
        *shown_in.entry(display_path(shown_src, &origin::normalize(p))).or_insert(0) += 1;
        let Ok(text) = std::fs::read_to_string(src_dir.join(p)) else { continue };
        if text.contains("{{") {
            for target in origin::includes(p, &text) {
                *shown_in.entry(display_path(shown_src, &target)).or_insert(0) += 1;
            }
        }
    }
    for ch in diags.iter_mut() {
        let n = shown_in.get(&ch.path).copied().unwrap_or(0);
        if n < 2 {
            continue;
        }
        for d in ch.diags.iter_mut().filter(|d| d.suggestion().is_some()) {
            d.drop_suggestion();
            d.notes.push(format!(
                "this file is shown in {n} places (`{{{{#include}}}}`): `mdbook-lemma fix` leaves it to you"
            ));
        }
    }
}

/// The numbers in chapter titles, which a reader sees in the sidebar, the
/// page title and the navigation, and where no lemma form can stand: the
/// titles in `SUMMARY.md` and `{{#title ...}}` lines. Each is reported as
/// an unchecked number (identifiers such as `Chapter 3.2` excepted).
fn titles(src_dir: &Path, shown_src: &Path, book: &Book, setting: coverage::Setting) -> Vec<ChapterDiags> {
    let severity = match setting {
        coverage::Setting::Deny | coverage::Setting::Allow => codespan_reporting::diagnostic::Severity::Error,
        coverage::Setting::Warn => codespan_reporting::diagnostic::Severity::Warning,
    };
    let diag = |range: std::ops::Range<usize>, text: &str, place: &str| {
        let mut d = diagnostics::Diag::error(
            range,
            format!("the number `{text}` in this {place} is not computed or checked by lemma"),
            "unchecked",
        );
        d.severity = severity;
        d.notes
            .push("no lemma form can stand in a title: write the number in words, or move it into the chapter".into());
        d
    };
    let mut out = Vec::new();
    let summary_path = src_dir.join("SUMMARY.md");
    if let Ok(summary) = std::fs::read_to_string(&summary_path) {
        let mut diags = Vec::new();
        for item in book.iter() {
            let BookItem::Chapter(ch) = item else { continue };
            let found = coverage::unchecked_in_text(&ch.name);
            if found.is_empty() {
                continue;
            }
            // Where the title stands in SUMMARY.md (as link text, else
            // anywhere); its first line if it cannot be found.
            let at = summary.find(&format!("[{}]", ch.name)).map(|i| i + 1).or_else(|| summary.find(&ch.name));
            for n in found {
                let range = at.map_or(0..0, |a| a + n.start..a + n.end);
                diags.push(diag(range, &ch.name[n], "chapter title"));
            }
        }
        if !diags.is_empty() {
            out.push(ChapterDiags {
                path: display_path(shown_src, Path::new("SUMMARY.md")),
                content: summary.clone(),
                file: Some(summary),
                diags,
            });
        }
    }
    for item in book.iter() {
        let BookItem::Chapter(ch) = item else { continue };
        let Some(source) = source_of(ch) else { continue };
        let Ok(text) = std::fs::read_to_string(src_dir.join(&source)) else { continue };
        if !text.contains("{{#title") {
            continue;
        }
        let mut diags = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            if let Some(i) = line.find("{{#title") {
                let start = at + i + "{{#title".len();
                let end = line[i..].find("}}").map_or(at + line.trim_end().len(), |j| at + i + j);
                for n in coverage::unchecked_in_text(&text[start..end]) {
                    diags.push(diag(start + n.start..start + n.end, &text[start + n.start..start + n.end], "title"));
                }
            }
            at += line.len();
        }
        if !diags.is_empty() {
            out.push(ChapterDiags {
                path: display_path(shown_src, &source),
                content: text.clone(),
                file: Some(text),
                diags,
            });
        }
    }
    out
}

/// How to run the book's Python samples (`[preprocessor.lemma]`).
#[derive(Debug, Clone)]
struct CodeConfig {
    /// `run-code = true`: `mdbook-lemma check` runs them.
    enabled: bool,
    /// The interpreter (`python`).
    python: String,
    /// The time limit per chapter (`run-code-timeout`).
    timeout: std::time::Duration,
    /// The book's root (the directory of book.toml): the samples run there,
    /// so they open the book's data files by the paths `load` takes.
    root: PathBuf,
}

/// Runs the Python samples of each chapter that lemma processed without
/// an error (on the processed text), each chapter in its own interpreter;
/// adds the diagnostics to the chapter's.
fn run_code(jobs: &[(String, chapter::Options)], results: &mut [chapter::Processed], code: &CodeConfig) -> CodeReport {
    use rayon::prelude::*;
    let runs: Vec<(Vec<diagnostics::Diag>, runcode::RunStats, bool, bool)> = jobs
        .par_iter()
        .zip(results.par_iter())
        .map(|((original, _), out)| {
            let plan = runcode::plan(original, &out.content);
            if plan.blocks.iter().all(|b| b.norun) {
                let norun = plan.blocks.len();
                return (Vec::new(), runcode::RunStats { norun, ..Default::default() }, false, false);
            }
            if out.diags.iter().any(diagnostics::Diag::is_error) {
                return (Vec::new(), runcode::RunStats::default(), false, true);
            }
            if let Some(e) = plan.error {
                return (vec![e], runcode::RunStats::default(), false, false);
            }
            let outcome = python::run(&code.python, &code.root, &runcode::input(&plan), code.timeout);
            let (diags, stats) = runcode::judge(original, &plan, &outcome);
            (diags, stats, true, false)
        })
        .collect();
    let mut report = CodeReport { python: code.python.clone(), ..Default::default() };
    for (out, (diags, stats, ran, skipped)) in results.iter_mut().zip(runs) {
        out.diags.extend(diags);
        report.stats += stats;
        report.chapters += usize::from(ran);
        report.skipped += usize::from(skipped);
    }
    report
}

/// Runs the chapter pipeline over every chapter, on every core, and
/// returns the results in order.
fn process_all(
    jobs: &[(String, chapter::Options)],
    cache: Option<&cache::Cache>,
    files: &Arc<dyn eval::data::Source>,
) -> Vec<chapter::Processed> {
    let (out, keys): (Vec<_>, HashSet<_>) = process_jobs(jobs, cache, files).into_iter().unzip();
    if let Some(cache) = cache {
        cache.retain(&keys.into_iter().flatten().collect());
    }
    out
}

/// One chapter: kept from an earlier run when the cache has it, else
/// processed (and kept). Also returns the chapter's cache key.
fn process_one(
    src: &str,
    opts: &chapter::Options,
    cache: Option<&cache::Cache>,
    files: &Arc<dyn eval::data::Source>,
) -> (chapter::Processed, Option<String>) {
    let process = || chapter::process_in(src, opts, Some(files.clone()));
    let Some(cache) = cache else { return (process(), None) };
    let key = cache.key(src, opts);
    let out = cache.get(&key, src, opts, files.as_ref()).unwrap_or_else(|| {
        let out = process();
        cache.put(&key, src, opts, &out);
        out
    });
    (out, Some(key))
}

/// Runs [`process_one`] over every job on rayon's pool (a thread per core
/// by default). The results come back in the order of `jobs`, whichever
/// thread computed them.
fn process_jobs(
    jobs: &[(String, chapter::Options)],
    cache: Option<&cache::Cache>,
    files: &Arc<dyn eval::data::Source>,
) -> Vec<(chapter::Processed, Option<String>)> {
    use rayon::prelude::*;
    jobs.par_iter().map(|(src, opts)| process_one(src, opts, cache, files)).collect()
}

/// A chapter's section number as mdBook shows it, without the final dot
/// (`3`, `1.2`); `None` for an unnumbered chapter.
fn section_number(ch: &mdbook_preprocessor::book::Chapter) -> Option<String> {
    let n = ch.number.as_ref().filter(|n| !n.is_empty())?;
    Some(n.iter().map(u32::to_string).collect::<Vec<_>>().join("."))
}

/// The file a chapter comes from, relative to `src/`; `None` for a draft.
fn source_of(ch: &mdbook_preprocessor::book::Chapter) -> Option<PathBuf> {
    ch.source_path.clone().or_else(|| ch.path.clone())
}

fn display_path(src: &Path, source: &Path) -> String {
    let p: PathBuf = if src.as_os_str().is_empty() { source.to_path_buf() } else { src.join(source) };
    p.to_string_lossy().replace('\\', "/")
}

/// Fails on a key of `[preprocessor.lemma]` that nobody reads (a typo would
/// otherwise be ignored silently) or a value of the wrong type. Returns the
/// `unchecked-numbers` setting and how to run the Python samples.
fn check_config(ctx: &PreprocessorContext) -> anyhow::Result<(coverage::Setting, CodeConfig)> {
    let table: Option<toml::Table> = ctx
        .config
        .get(&format!("preprocessor.{NAME}"))
        .with_context(|| format!("`[preprocessor.{NAME}]` in book.toml must be a table"))?;
    for key in table.iter().flat_map(|t| t.keys()) {
        if !MDBOOK_KEYS.contains(&key.as_str()) && !OWN_KEYS.contains(&key.as_str()) {
            bail!(
                "unknown key `{key}` in `[preprocessor.{NAME}]` of book.toml (known keys: {})",
                MDBOOK_KEYS.iter().chain(OWN_KEYS).copied().collect::<Vec<_>>().join(", ")
            );
        }
    }
    if let Some(table) = &table {
        check_order(ctx, table)?;
    }
    let key = "unchecked-numbers";
    let unchecked = match table.as_ref().and_then(|t| t.get(key)) {
        None => coverage::Setting::default(),
        Some(v) => v.as_str().and_then(coverage::Setting::parse).with_context(|| {
            format!("`{key}` in `[preprocessor.{NAME}]` of book.toml must be \"deny\", \"warn\" or \"allow\", got {v}")
        })?,
    };
    let get = |k: &str| table.as_ref().and_then(|t| t.get(k));
    let enabled = match get("run-code") {
        None => false,
        Some(v) => v.as_bool().with_context(|| {
            format!("`run-code` in `[preprocessor.{NAME}]` of book.toml must be true or false, got {v}")
        })?,
    };
    let python = match get("python") {
        None => python::default_interpreter(),
        Some(v) => v.as_str().filter(|s| !s.trim().is_empty()).map(str::to_string).with_context(|| {
            format!("`python` in `[preprocessor.{NAME}]` of book.toml must be an interpreter's name or path, got {v}")
        })?,
    };
    let timeout = match get("run-code-timeout") {
        None => DEFAULT_TIMEOUT_SECS,
        Some(v) => v.as_integer().and_then(|n| u64::try_from(n).ok()).filter(|&n| (1..=86_400).contains(&n)).with_context(
            || format!("`run-code-timeout` in `[preprocessor.{NAME}]` of book.toml must be a whole number of seconds from 1 to 86400, got {v}"),
        )?,
    };
    Ok((
        unchecked,
        CodeConfig { enabled, python, timeout: std::time::Duration::from_secs(timeout), root: ctx.root.clone() },
    ))
}

/// Fails when book.toml would run lemma before mdBook's `links`
/// preprocessor: the forms in `{{#include}}`d text would be left in the page
/// unevaluated (mdBook orders preprocessors without a dependency by name, and
/// `lemma` sorts before `links`).
fn check_order(ctx: &PreprocessorContext, table: &toml::Table) -> anyhow::Result<()> {
    let names = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let links: Option<toml::Table> = ctx.config.get("preprocessor.links").ok().flatten();
    if !ctx.config.build.use_default_preprocessors && links.is_none() {
        return Ok(()); // no `links` at all
    }
    let after = names(table.get("after"));
    let links_before = names(links.as_ref().and_then(|t| t.get("before")));
    if after.iter().any(|n| n == "links") || links_before.iter().any(|n| n == NAME) {
        return Ok(());
    }
    bail!(
        "`[preprocessor.{NAME}]` in book.toml must run after mdBook's `links` preprocessor, or forms in {{{{#include}}}}d text are left unevaluated: add `after = [\"links\"]`"
    )
}

impl Preprocessor for Lemma {
    fn name(&self) -> &str {
        NAME
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> mdbook_preprocessor::errors::Result<Book> {
        let (result, report) = self.process(ctx, book);
        if let Some(output) = self.output
            && !report.diags.is_empty()
        {
            print_report(&report.diags, output);
        }
        if let Some(tx) = &self.reports {
            // The receiver may be gone; the report is then for nobody.
            let _ = tx.send(report);
        }
        result
    }

    fn supports_renderer(&self, renderer: &str) -> mdbook_preprocessor::errors::Result<bool> {
        Ok(supports(renderer))
    }
}

/// Whether lemma's output suits a renderer: it emits HTML.
pub fn supports(renderer: &str) -> bool {
    renderer == "html"
}

/// Prints diagnostics on stderr at once, in colour when stderr is a
/// terminal and the format is for a person.
fn print_report(diags: &[ChapterDiags], output: Output) {
    use std::io::{IsTerminal, Write};
    let color = output.format == diagnostics::Format::Human && std::io::stderr().is_terminal();
    let bytes = diagnostics::report_bytes(diags, output.format, output.all, color);
    // Nowhere to report a failure to write to stderr.
    let _ = std::io::stderr().lock().write_all(&bytes);
}
