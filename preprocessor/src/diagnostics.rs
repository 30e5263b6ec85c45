//! Diagnostics: located errors, printed through `codespan-reporting`.
//!
//! Positions are byte ranges into a chapter's content as the preprocessor
//! received it. When that content is the chapter's file on disk (the usual
//! case) the reported `path:line:col` is exact. When mdBook changed it first
//! (`{{#include}}` expanded, a byte order mark stripped), a diagnostic is
//! moved onto the file's line with the same text when there is exactly one
//! such line; otherwise it is reported against the content as received,
//! with a note saying so.

use std::collections::HashMap;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor};

/// One problem in a chapter.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Diag {
    /// Error or warning.
    pub severity: Severity,
    /// Where, in the chapter content.
    pub range: Range<usize>,
    /// One line saying what is wrong.
    pub message: String,
    /// The label under the caret.
    pub label: String,
    /// Further lines.
    pub notes: Vec<String>,
    /// For a stated number that does not hold: the computed value and the
    /// correction, if there is one (boxed: a `Diag` travels in the
    /// parser's results, and every byte counts on a deep expression).
    #[serde(default)]
    pub number: Option<Box<Wrong>>,
}

/// A stated number that does not hold.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Wrong {
    /// The computed value at full precision (shown in the JSON output).
    pub computed: String,
    /// A machine-applicable correction (`mdbook-lemma fix`), when there is
    /// exactly one right text: the number rewritten at its own precision
    /// and in its own format.
    pub suggestion: Option<Suggestion>,
}

/// A replacement for a range of the chapter content.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suggestion {
    /// The bytes to replace, in the chapter content (like [`Diag::range`]).
    pub range: Range<usize>,
    /// What to write there.
    pub replacement: String,
}

impl Diag {
    /// Whether this is an error (which fails the build), not a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// An error.
    pub fn error(range: Range<usize>, message: impl Into<String>, label: impl Into<String>) -> Diag {
        Diag {
            severity: Severity::Error,
            range,
            message: message.into(),
            label: label.into(),
            notes: Vec::new(),
            number: None,
        }
    }

    /// This diagnostic, about a stated number that computes to `computed`
    /// (if given), with `replacement` as the fix for its whole range.
    pub fn with_number(mut self, computed: Option<String>, replacement: Option<String>) -> Diag {
        if let Some(computed) = computed {
            let suggestion = replacement.map(|replacement| Suggestion { range: self.range.clone(), replacement });
            self.number = Some(Box::new(Wrong { computed, suggestion }));
        }
        self
    }

    /// The fix, if there is one.
    pub fn suggestion(&self) -> Option<&Suggestion> {
        self.number.as_ref().and_then(|n| n.suggestion.as_ref())
    }

    /// Removes the fix (the number stays reported).
    pub fn drop_suggestion(&mut self) {
        if let Some(n) = &mut self.number {
            n.suggestion = None;
        }
    }
}

/// The diagnostics of one chapter, with what is needed to show them.
#[derive(Debug, Clone)]
pub struct ChapterDiags {
    /// The path shown, for example `src/softmax.md`.
    pub path: String,
    /// The chapter content the ranges point into.
    pub content: String,
    /// The file on disk, if it could be read.
    pub file: Option<String>,
    /// The problems.
    pub diags: Vec<Diag>,
}

/// How a chapter's content maps onto its file on disk. Built once per
/// chapter, so placing each of many diagnostics costs O(line), not O(file).
enum Relocator<'a> {
    /// The content is the file.
    Same,
    /// The file is the content after a byte order mark.
    Bom,
    /// Neither: place by line text. Each line of the file, with its start
    /// offset, or `None` when the same text is on several lines.
    Lines(HashMap<&'a str, Option<usize>>),
}

impl<'a> Relocator<'a> {
    fn new(content: &str, file: &'a str) -> Relocator<'a> {
        if content == file {
            return Relocator::Same;
        }
        if file.strip_prefix(BOM) == Some(content) {
            return Relocator::Bom;
        }
        let mut lines: HashMap<&str, Option<usize>> = HashMap::new();
        let mut start = 0;
        for l in file.split_inclusive('\n') {
            lines.entry(l.trim_end_matches('\n')).and_modify(|v| *v = None).or_insert(Some(start));
            start += l.len();
        }
        Relocator::Lines(lines)
    }

    /// Moves `range` (in `content`) onto the file, if it can be placed
    /// exactly.
    fn place(&self, content: &str, range: &Range<usize>) -> Option<Range<usize>> {
        let lines = match self {
            Relocator::Same => return Some(range.clone()),
            Relocator::Bom => return Some(range.start + BOM.len()..range.end + BOM.len()),
            Relocator::Lines(lines) => lines,
        };
        let (Some(before), Some(after)) = (content.get(..range.start), content.get(range.start..)) else {
            return None;
        };
        let ls = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
        let le = memchr::memchr(b'\n', after.as_bytes()).map_or(content.len(), |i| range.start + i);
        let line = &content[ls..le];
        if range.end > le || line.trim().is_empty() {
            return None;
        }
        let f = (*lines.get(line)?)?; // absent, or ambiguous
        Some(f + (range.start - ls)..f + (range.end - ls))
    }
}

const BOM: &str = "\u{feff}";

/// One diagnostic placed in a file: what every output format prints.
#[derive(Debug, Clone)]
pub struct Located<'a> {
    /// The path shown, for example `src/softmax.md`.
    pub path: &'a str,
    /// The text `range` points into: the file on disk when the diagnostic
    /// could be placed on it, else the chapter content as received.
    pub text: &'a str,
    /// Whether `text` is the file on disk (`range` is then a byte range of
    /// that file).
    pub on_disk: bool,
    /// Whether the place on disk is certain: the chapter is the file (up to
    /// a byte order mark), not placed by matching a line's text.
    pub exact: bool,
    /// The bytes the diagnostic points at, in `text`.
    pub range: Range<usize>,
    /// 1-based line and column (in characters) of the start.
    pub start: (usize, usize),
    /// 1-based line and column (in characters) of the end.
    pub end: (usize, usize),
    /// The replacement, placed like `range` (only when the place is
    /// `exact`).
    pub suggestion: Option<(Range<usize>, &'a str)>,
    /// Notes, with a line saying where the position is when it is not on
    /// the file.
    pub notes: Vec<String>,
    /// The diagnostic.
    pub diag: &'a Diag,
}

/// Places every diagnostic of a chapter, in source order.
pub fn locate(ch: &ChapterDiags) -> Vec<Located<'_>> {
    let relocator = ch.file.as_deref().map(|f| Relocator::new(&ch.content, f));
    let mut out: Vec<Located<'_>> = ch
        .diags
        .iter()
        .map(|d| {
            let placed = match (&relocator, ch.file.as_deref()) {
                (Some(r), Some(f)) => r.place(&ch.content, &d.range).map(|range| (f, range)),
                _ => None,
            };
            let mut notes = d.notes.clone();
            let (text, range, on_disk) = match placed {
                Some((f, range)) => (f, range, true),
                None => {
                    if ch.file.is_some() {
                        notes.push("the line and column are in the chapter after `{{#include}}` expansion".into());
                    }
                    (ch.content.as_str(), d.range.clone(), false)
                }
            };
            let exact = on_disk && matches!(relocator, Some(Relocator::Same | Relocator::Bom));
            let suggestion = d.suggestion().filter(|_| exact).and_then(|s| {
                let r = relocator.as_ref().and_then(|r| r.place(&ch.content, &s.range))?;
                Some((r, s.replacement.as_str()))
            });
            let start = line_col(text, range.start);
            let end = line_col(text, range.end);
            Located { path: &ch.path, text, on_disk, exact, range, start, end, suggestion, notes, diag: d }
        })
        .collect();
    out.sort_by_key(|l| (!l.on_disk, l.range.start, l.range.end));
    out
}

/// The 1-based line and column (in characters) of byte `at` of `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = (0..=at.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let before = &text[..at];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// How to print a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// Located diagnostics with the source line, for a person.
    #[default]
    Human,
    /// One JSON object per line per diagnostic.
    Json,
    /// GitHub Actions workflow commands (`::error file=...::...`), which
    /// mark the line in a pull request.
    GitHub,
}

/// How many warnings are printed in full before a report is summarized.
pub const WARNINGS_SHOWN: usize = 10;
/// How many files a summarized report counts by name (the most warnings
/// first).
const FILES_SHOWN: usize = 20;

/// Writes a report of `chapters` in `format`. Errors are always all
/// listed. Warnings are all listed too when `all` is set or there are at
/// most [`WARNINGS_SHOWN`]; otherwise the first few are, followed by the
/// count per file and how to see the rest. Everything is built in memory
/// and written at once: a large book has tens of thousands of warnings.
pub fn write_report(
    w: &mut dyn WriteColor,
    chapters: &[ChapterDiags],
    format: Format,
    all: bool,
) -> std::io::Result<()> {
    let warnings: usize = chapters.iter().flat_map(|c| &c.diags).filter(|d| !d.is_error()).count();
    let limit = if all || warnings <= WARNINGS_SHOWN { usize::MAX } else { WARNINGS_SHOWN };
    let mut shown = 0;
    let mut files = SimpleFiles::new();
    let config = term::Config::default();
    for ch in chapters {
        for l in locate(ch) {
            if !l.diag.is_error() {
                if shown >= limit {
                    continue;
                }
                shown += 1;
            }
            match format {
                Format::Human => {
                    let id = files.add(l.path.to_string(), l.text.to_string());
                    let diag = Diagnostic::new(l.diag.severity)
                        .with_message(&l.diag.message)
                        .with_labels(vec![Label::primary(id, l.range.clone()).with_message(&l.diag.label)])
                        .with_notes(l.notes.clone());
                    term::emit(w, &config, &files, &diag).map_err(std::io::Error::other)?;
                }
                Format::Json => writeln!(w, "{}", json(&l))?,
                Format::GitHub => writeln!(w, "{}", github(&l))?,
            }
        }
    }
    if shown < warnings {
        let mut per_file: Vec<(&str, usize)> = Vec::new();
        for ch in chapters {
            let n = ch.diags.iter().filter(|d| !d.is_error()).count();
            match per_file.iter_mut().find(|(p, _)| *p == ch.path) {
                Some((_, k)) => *k += n,
                None if n > 0 => per_file.push((&ch.path, n)),
                None => {}
            }
        }
        let mut text = format!(
            "warning: {} more warnings not shown ({warnings} in all, in {} file{}):\n",
            warnings - shown,
            per_file.len(),
            if per_file.len() == 1 { "" } else { "s" }
        );
        per_file.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        for (path, n) in per_file.iter().take(FILES_SHOWN) {
            text.push_str(&format!("  {n:>7}  {path}\n"));
        }
        if per_file.len() > FILES_SHOWN {
            let rest: usize = per_file[FILES_SHOWN..].iter().map(|(_, n)| n).sum();
            text.push_str(&format!("  {rest:>7}  in {} more files\n", per_file.len() - FILES_SHOWN));
        }
        text.push_str(
            "  = note: `mdbook-lemma check --all` lists every one; `unchecked-numbers = \"allow\"` in [preprocessor.lemma] silences unchecked numbers\n",
        );
        match format {
            Format::Human => w.write_all(text.as_bytes())?,
            Format::Json => {
                let v = serde_json::json!({
                    "severity": "summary",
                    "warnings": warnings,
                    "shown": shown,
                    "per_file": per_file.iter().map(|(p, n)| serde_json::json!({"file": p, "warnings": n})).collect::<Vec<_>>(),
                });
                writeln!(w, "{v}")?;
            }
            Format::GitHub => writeln!(w, "::warning title=lemma::{}", escape_data(text.trim_end()))?,
        }
    }
    Ok(())
}

/// A diagnostic as one line of JSON.
fn json(l: &Located<'_>) -> String {
    let severity = if l.diag.is_error() { "error" } else { "warning" };
    let v = serde_json::json!({
        "severity": severity,
        "file": l.path,
        "line": l.start.0,
        "column": l.start.1,
        "end_line": l.end.0,
        "end_column": l.end.1,
        "message": l.diag.message,
        "label": l.diag.label,
        "notes": l.notes,
        "stated": l.diag.number.as_ref().map(|_| l.text.get(l.range.clone()).unwrap_or("")),
        "computed": l.diag.number.as_ref().map(|n| n.computed.as_str()),
        "suggested": l.suggestion.as_ref().map(|(_, r)| *r),
    });
    v.to_string()
}

/// A diagnostic as a GitHub Actions workflow command.
fn github(l: &Located<'_>) -> String {
    let kind = if l.diag.is_error() { "error" } else { "warning" };
    let mut body = l.diag.message.clone();
    for n in &l.notes {
        body.push('\n');
        body.push_str(n);
    }
    format!(
        "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(l.path),
        l.start.0,
        l.start.1,
        l.end.0,
        l.end.1,
        escape_property(&format!("lemma: {}", l.diag.label)),
        escape_data(&body)
    )
}

/// Escapes the message of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property of a workflow command.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes every diagnostic of every chapter to `w`, in full.
pub fn emit(w: &mut dyn WriteColor, chapters: &[ChapterDiags]) -> std::io::Result<()> {
    write_report(w, chapters, Format::Human, true)
}

/// Renders diagnostics as plain text (for tests and snapshots).
pub fn to_string(chapters: &[ChapterDiags]) -> String {
    String::from_utf8_lossy(&report_bytes(chapters, Format::Human, true, false)).into_owned()
}

/// A whole report in memory, in colour when `color` is set.
pub fn report_bytes(chapters: &[ChapterDiags], format: Format, all: bool, color: bool) -> Vec<u8> {
    let mut w = if color { term::termcolor::Buffer::ansi() } else { term::termcolor::Buffer::no_color() };
    // Writing into memory cannot fail.
    let _ = write_report(&mut w, chapters, format, all);
    w.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(content: &str, file: &str, range: Range<usize>, expect: Option<Range<usize>>) {
        assert_eq!(Relocator::new(content, file).place(content, &range), expect);
    }

    #[test]
    fn many_warnings_are_counted_per_file() {
        let warn = |at: usize| {
            let mut d = Diag::error(at..at + 1, "w", "unchecked");
            d.severity = Severity::Warning;
            d
        };
        let chapters: Vec<ChapterDiags> = (0..25)
            .map(|i| ChapterDiags {
                path: format!("src/c{i:02}.md"),
                content: "1.5 2.5\n".into(),
                file: None,
                diags: (0..=i % 3).map(|k| warn(k * 4 % 8)).collect(),
            })
            .collect();
        let text = String::from_utf8_lossy(&report_bytes(&chapters, Format::Human, false, false)).into_owned();
        assert_eq!(text.matches("warning: w").count(), WARNINGS_SHOWN);
        let summary = &text[text.rfind("warning: ").unwrap_or(0)..];
        assert!(summary.starts_with("warning: 39 more warnings not shown (49 in all, in 25 files):"), "{summary}");
        assert_eq!(summary.lines().filter(|l| l.contains("  src/c")).count(), FILES_SHOWN);
        assert!(summary.contains("in 5 more files"), "{summary}");
        let all = String::from_utf8_lossy(&report_bytes(&chapters, Format::Human, true, false)).into_owned();
        assert_eq!(all.matches("warning: w").count(), 49);
    }

    #[test]
    fn github_commands_are_escaped() {
        let mut d = Diag::error(4..7, "100% wrong\nreally", "a, b: c");
        d.notes.push("note".into());
        let ch =
            ChapterDiags { path: "src/a,b.md".into(), content: "x\nyy ≈ 1\n".into(), file: None, diags: vec![d] };
        let text = String::from_utf8_lossy(&report_bytes(&[ch], Format::GitHub, true, false)).into_owned();
        assert_eq!(
            text,
            "::error file=src/a%2Cb.md,line=2,col=3,endLine=2,endColumn=4,title=lemma%3A a%2C b%3A c::100%25 wrong%0Areally%0Anote\n"
        );
    }

    #[test]
    fn relocation() {
        check("a\nb", "a\nb", 2..3, Some(2..3));
        check("a\nb", "\u{feff}a\nb", 2..3, Some(5..6));
        check("x\nincluded\ncheck p ≈ 1", "x\n{{#include a.md}}\ncheck p ≈ 1", 11..16, Some(20..25));
        check("x\nincluded\ncheck p ≈ 1", "x\n{{#include a.md}}\n", 11..16, None);
        check("x ≈ 1", "y\nx ≈ 1", 3..4, None);
        check("dup\ndup", "dup\ndup\nzz", 4..5, None);
        check("a\r\nx ≈ 1\r\n", "b\r\nx ≈ 1\r\n", 3..8, Some(3..8));
        check("a\nx ≈ 1", "b\nc\nx ≈ 1\nd", 2..7, Some(4..9));
        check("a\n  \nx", "b\n  \nx", 2..3, None);
    }
}
