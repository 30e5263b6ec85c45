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
//! The rest is private to the crate: the book-level step (`book`), reading
//! `[preprocessor.lemma]` (`config`), the serve cache (`cache`), checking
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
//! (in parallel, in `book`), collects the [`diagnostics`] of every chapter and fails
//! once, at the end, if there were errors. Then one book-level step fills
//! the answer key (the one place the book's text changes outside `splice`:
//! it replaces the `{{answer-key}}` line), and the chapter titles are
//! scanned.

use std::sync::mpsc;

use mdbook_preprocessor::book::Book;
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
mod book;
mod cache;
pub mod check;
mod config;
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
        match config::check_config(ctx) {
            Ok((unchecked, code)) => {
                let code = match self.code {
                    RunCode::Never => None,
                    RunCode::IfConfigured => code.enabled.then_some(code),
                    RunCode::Always => Some(code),
                };
                book::process_book(ctx, book, unchecked, code.as_ref())
            }
            Err(e) => (Err(e), Report::default()),
        }
    }
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
