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
}

impl Diag {
    /// Whether this is an error (which fails the build), not a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// An error.
    pub fn error(range: Range<usize>, message: impl Into<String>, label: impl Into<String>) -> Diag {
        Diag { severity: Severity::Error, range, message: message.into(), label: label.into(), notes: Vec::new() }
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
        let ls = before.rfind('\n').map_or(0, |i| i + 1);
        let le = after.find('\n').map_or(content.len(), |i| range.start + i);
        let line = &content[ls..le];
        if range.end > le || line.trim().is_empty() {
            return None;
        }
        let f = (*lines.get(line)?)?; // absent, or ambiguous
        Some(f + (range.start - ls)..f + (range.end - ls))
    }
}

const BOM: &str = "\u{feff}";

/// Writes every diagnostic of every chapter to `w`.
pub fn emit(w: &mut dyn WriteColor, chapters: &[ChapterDiags]) -> std::io::Result<()> {
    let config = term::Config::default();
    let mut files = SimpleFiles::new();
    for ch in chapters {
        let content_id = files.add(ch.path.clone(), ch.content.clone());
        let file_id = ch.file.as_ref().map(|f| files.add(ch.path.clone(), f.clone()));
        let relocator = ch.file.as_deref().map(|f| Relocator::new(&ch.content, f));
        for d in &ch.diags {
            let placed = match (&relocator, file_id) {
                (Some(r), Some(id)) => r.place(&ch.content, &d.range).map(|r| (id, r)),
                _ => None,
            };
            let mut notes = d.notes.clone();
            let (id, range) = match placed {
                Some(p) => p,
                None => {
                    if ch.file.is_some() {
                        notes.push("the line and column are in the chapter after `{{#include}}` expansion".into());
                    }
                    (content_id, d.range.clone())
                }
            };
            let diag = Diagnostic::new(d.severity)
                .with_message(&d.message)
                .with_labels(vec![Label::primary(id, range).with_message(&d.label)])
                .with_notes(notes);
            term::emit(w, &config, &files, &diag).map_err(std::io::Error::other)?;
        }
    }
    Ok(())
}

/// Renders diagnostics as plain text (for tests and snapshots).
pub fn to_string(chapters: &[ChapterDiags]) -> String {
    let mut w = term::termcolor::NoColor::new(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = emit(&mut w, chapters);
    String::from_utf8_lossy(&w.into_inner()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(content: &str, file: &str, range: Range<usize>, expect: Option<Range<usize>>) {
        assert_eq!(Relocator::new(content, file).place(content, &range), expect);
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
