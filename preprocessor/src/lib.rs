//! `mdbook-lemma`: an mdBook preprocessor that computes a book's numbers
//! and fails the build when a number stated in the text is wrong.
//!
//! # Pipeline
//!
//! Each chapter goes through five phases, one module each:
//!
//! 1. [`parse`]: find the `lemma` forms (fenced blocks and inline
//!    `{{lemma ...}}`) with pulldown-cmark as mdBook configures it, and parse
//!    the lemma language inside them. Every span maps back to a byte range
//!    of the chapter.
//! 2. [`eval`]: evaluate expressions with the [`numeric`] core. Pure: no
//!    I/O, no Markdown.
//! 3. [`check`]: compare stated numbers with computed values; the stated
//!    digits set the tolerance ([`format`](mod@format) holds the one rounding rule).
//! 4. [`render`]: turn values and tables into escaped text and HTML.
//! 5. [`splice`]: replace each form's byte range; every other byte is
//!    copied unchanged. Only this module edits chapter text.
//!
//! [`chapter`] drives the phases for one chapter; [`Lemma`] runs them over a
//! book as an mdBook [`Preprocessor`], collects the [`diagnostics`] of every
//! chapter and fails once, at the end, if there were errors.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, bail};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

pub mod cache;
pub mod chapter;
pub mod check;
pub mod containers;
pub mod coverage;
pub mod diagnostics;
pub mod eval;
pub mod exercise;
pub mod format;
pub mod html;
pub mod math;
pub mod numeric;
pub mod parse;
pub mod ranges;
pub mod render;
pub mod splice;
pub mod stdin;
pub mod widget;

use chapter::Stats;
use diagnostics::ChapterDiags;

/// The preprocessor's name, as in `[preprocessor.lemma]`.
pub const NAME: &str = "lemma";

/// Keys mdBook itself reads from a preprocessor's table.
const MDBOOK_KEYS: &[&str] = &["command", "renderers", "before", "after", "optional"];
/// Keys `mdbook-lemma` reads.
const OWN_KEYS: &[&str] = &["unchecked-numbers"];

/// The lemma preprocessor.
#[derive(Debug, Default, Clone)]
pub struct Lemma {
    report: Arc<Mutex<Report>>,
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
        format!(
            "lemma: {} chapters, {} values computed, {} numbers checked, {} numbers exempted, {} left unchecked, {} checks held, {} tables, {} errors",
            self.chapters,
            s.computed,
            s.checked,
            s.exempted,
            s.unchecked,
            s.asserted,
            s.tables,
            self.errors()
        )
    }
}

impl Lemma {
    /// A new preprocessor.
    pub fn new() -> Lemma {
        Lemma::default()
    }

    /// What the last run did.
    pub fn report(&self) -> Report {
        self.report.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Processes every chapter of `book`. Diagnostics are collected in the
    /// report, not printed.
    pub fn process(&self, ctx: &PreprocessorContext, mut book: Book) -> anyhow::Result<Book> {
        let unchecked = check_config(ctx)?;
        let src_dir = ctx.root.join(&ctx.config.book.src);
        let shown_src = ctx.config.book.src.clone();
        // Chapters are independent but for the numbering of exercises, which
        // runs through the book: count them first, then process the
        // chapters on every core, then write the results back in book order
        // (so the output and the report do not depend on the threads).
        let mut jobs: Vec<(String, chapter::Options)> = Vec::new();
        let mut next_exercise = 1;
        book.for_each_mut(|item| {
            let BookItem::Chapter(ch) = item else { return };
            if source_of(ch).is_none() {
                return; // a draft chapter: no file, no content
            }
            let opts = chapter::Options { unchecked, first_exercise: next_exercise };
            next_exercise += exercise::find(&ch.content).len();
            jobs.push((std::mem::take(&mut ch.content), opts));
        });
        let cache = cache::Cache::for_book(ctx);
        let mut results = process_all(&jobs, cache.as_ref())?.into_iter();
        let mut jobs = jobs.into_iter();
        let mut answers: Vec<exercise::ChapterAnswers> = Vec::new();
        let mut report = Report::default();
        book.for_each_mut(|item| {
            let BookItem::Chapter(ch) = item else { return };
            // The same chapters as the first pass, in the same order.
            let Some(source) = source_of(ch) else { return };
            let (Some((content, _)), Some(out)) = (jobs.next(), results.next()) else { return };
            report.chapters += 1;
            report.stats += out.stats;
            answers.push(exercise::ChapterAnswers {
                chapter: ch.name.clone(),
                path: ch.path.as_ref().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default(),
                answers: out.answers,
            });
            if !out.diags.is_empty() {
                report.diags.push(ChapterDiags {
                    path: display_path(&shown_src, &source),
                    content,
                    file: std::fs::read_to_string(src_dir.join(&source)).ok(),
                    diags: out.diags,
                });
            }
            ch.content = out.content;
        });
        exercise::fill_book(&mut book, &answers);
        let errors = report.errors();
        if let Ok(mut r) = self.report.lock() {
            *r = report;
        }
        if errors > 0 {
            bail!("{errors} lemma error{} (see above)", if errors == 1 { "" } else { "s" });
        }
        Ok(book)
    }
}

/// Runs the chapter pipeline over every chapter, on as many threads as
/// there are cores (at most 8), and returns the results in order.
fn process_all(
    jobs: &[(String, chapter::Options)],
    cache: Option<&cache::Cache>,
) -> anyhow::Result<Vec<chapter::Processed>> {
    let (out, keys): (Vec<_>, HashSet<_>) = process_jobs(jobs, cache)?.into_iter().unzip();
    if let Some(cache) = cache {
        cache.retain(&keys.into_iter().flatten().collect());
    }
    Ok(out)
}

/// One chapter: kept from an earlier run when the cache has it, else
/// processed (and kept). Also returns the chapter's cache key.
fn process_one(
    src: &str,
    opts: &chapter::Options,
    cache: Option<&cache::Cache>,
) -> (chapter::Processed, Option<String>) {
    let Some(cache) = cache else { return (chapter::process_with(src, opts), None) };
    let key = cache.key(src, opts);
    let out = cache.get(&key, src, opts).unwrap_or_else(|| {
        let out = chapter::process_with(src, opts);
        cache.put(&key, src, opts, &out);
        out
    });
    (out, Some(key))
}

type Done = (chapter::Processed, Option<String>);

fn process_jobs(jobs: &[(String, chapter::Options)], cache: Option<&cache::Cache>) -> anyhow::Result<Vec<Done>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8).min(jobs.len().max(1));
    if threads == 1 {
        return Ok(jobs.iter().map(|(src, opts)| process_one(src, opts, cache)).collect());
    }
    let mut done: Vec<(usize, Done)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    jobs.iter()
                        .enumerate()
                        .skip(t)
                        .step_by(threads)
                        .map(|(i, (src, opts))| (i, process_one(src, opts, cache)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        // A worker only panics if the pipeline does (a bug the fuzz tests
        // look for); the panic then continues on this thread.
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    done.sort_by_key(|(i, _)| *i);
    if done.len() != jobs.len() || done.iter().enumerate().any(|(k, (i, _))| k != *i) {
        bail!("internal error: {} of {} chapters came back from the worker threads", done.len(), jobs.len());
    }
    Ok(done.into_iter().map(|(_, out)| out).collect())
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
/// `unchecked-numbers` setting.
fn check_config(ctx: &PreprocessorContext) -> anyhow::Result<coverage::Setting> {
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
    match table.as_ref().and_then(|t| t.get(key)) {
        None => Ok(coverage::Setting::default()),
        Some(v) => v.as_str().and_then(coverage::Setting::parse).with_context(|| {
            format!("`{key}` in `[preprocessor.{NAME}]` of book.toml must be \"deny\", \"warn\" or \"allow\", got {v}")
        }),
    }
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
        let result = self.process(ctx, book);
        let report = self.report();
        if !report.diags.is_empty() {
            emit_to_stderr(&report.diags);
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

/// Prints diagnostics on stderr, in colour when stderr is a terminal.
pub fn emit_to_stderr(diags: &[ChapterDiags]) {
    use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
    use std::io::IsTerminal;
    let choice = if std::io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
    let mut w = StandardStream::stderr(choice);
    if diagnostics::emit(&mut w, diags).is_err() {
        eprint!("{}", diagnostics::to_string(diags));
    }
}
