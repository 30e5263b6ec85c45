//! The book-level step of a run: the chapters taken out of the book and
//! processed on every core (each kept in, or taken from, the serve cache),
//! the Python samples run when the command asked, the results written back
//! in book order, the answer key filled, the chapter titles scanned, and
//! each chapter's diagnostics placed on the files they are in. The only
//! part of the pipeline that reads the book's files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, BookItem};

use crate::config::CodeConfig;
use crate::diagnostics::{self, ChapterDiags};
use crate::{CodeReport, Report, answer_key, cache, chapter, coverage, eval, files, origin, python, runcode};

/// [`Lemma::process`] once the configuration is read.
pub(crate) fn process_book(
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
