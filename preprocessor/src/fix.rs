//! `mdbook-lemma fix`: rewrites each wrong stated number, in its source
//! file, to the computed value rounded at the stated precision and in the
//! stated format (the [`Suggestion`](crate::diagnostics::Suggestion) of its
//! diagnostic). Nothing else changes: every other byte of the file is kept.
//!
//! It refuses, with a message, wherever the place is not certain: a
//! diagnostic that could not be placed on a file on disk, a file shown in
//! several places (`{{#include}}`d twice), two suggestions for one place
//! that disagree, a file that changed since it was checked.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use crate::Report;
use crate::diagnostics::{self, ChapterDiags};

/// The edits to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFix {
    /// The path shown (relative to the book's directory).
    pub path: String,
    /// The file as it was checked.
    pub before: String,
    /// The file with every edit applied.
    pub after: String,
    /// Each edit: 1-based line and column, the old text and the new.
    pub edits: Vec<(usize, usize, String, String)>,
}

/// What `fix` would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The files to rewrite, in the order of the report.
    pub files: Vec<FileFix>,
    /// Why each other error is left alone, as `path:line:col: reason`.
    pub refused: Vec<String>,
}

impl Plan {
    /// The number of numbers rewritten.
    pub fn count(&self) -> usize {
        self.files.iter().map(|f| f.edits.len()).sum()
    }

    /// A unified diff of every file.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for f in &self.files {
            let diff = similar::TextDiff::from_lines(&f.before, &f.after);
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(2)
                    .header(&format!("a/{}", f.path), &format!("b/{}", f.path))
                    .to_string(),
            );
        }
        out
    }

    /// Writes every file under `dir`, checking first that none changed
    /// since it was checked.
    pub fn apply(&self, dir: &Path) -> anyhow::Result<()> {
        for f in &self.files {
            let path = dir.join(&f.path);
            let now = std::fs::read_to_string(&path)
                .map_err(|e| anyhow::anyhow!("could not read `{}`: {e}", path.display()))?;
            if now != f.before {
                anyhow::bail!("`{}` changed while it was being checked; run `mdbook-lemma fix` again", f.path);
            }
        }
        for f in &self.files {
            let path = dir.join(&f.path);
            std::fs::write(&path, &f.after)
                .map_err(|e| anyhow::anyhow!("could not write `{}`: {e}", path.display()))?;
        }
        Ok(())
    }
}

/// The fixes for the errors of `report`.
pub fn plan(report: &Report) -> Plan {
    let mut plan = Plan::default();
    // Per file: its text, and its edits by range.
    let mut files: Files = BTreeMap::new();
    let mut conflicts: Vec<(String, Range<usize>)> = Vec::new();
    for (order, ch) in report.diags.iter().enumerate() {
        plan_chapter(ch, order, &mut files, &mut conflicts, &mut plan.refused);
    }
    // A file shown in two chapters reports its errors twice: say it once.
    let mut seen = std::collections::HashSet::new();
    plan.refused.retain(|r| seen.insert(r.clone()));
    let mut ordered: Vec<_> = files.into_iter().collect();
    ordered.sort_by_key(|(_, (_, _, order))| *order);
    for (path, (before, edits, _)) in ordered {
        let edits: Vec<_> = edits
            .into_iter()
            .filter(|((s, e), _)| !conflicts.iter().any(|(p, r)| *p == path && r.start == *s && r.end == *e))
            .collect();
        if edits.is_empty() {
            continue;
        }
        let mut after = String::with_capacity(before.len());
        let mut at = 0;
        let mut shown = Vec::new();
        for ((s, e), (text, line, col)) in &edits {
            if *s < at {
                plan.refused.push(format!("{path}:{line}:{col}: overlaps another fix; left alone"));
                continue;
            }
            after.push_str(&before[at..*s]);
            after.push_str(text);
            at = *e;
            shown.push((*line, *col, before[*s..*e].to_string(), text.clone()));
        }
        after.push_str(&before[at..]);
        plan.files.push(FileFix { path, before, after, edits: shown });
    }
    plan
}

/// A file's edits: by byte range, the new text and the 1-based line and
/// column.
type Edits = BTreeMap<(usize, usize), (String, usize, usize)>;
/// Per file shown: its text, its edits, and where it first came in the
/// report.
type Files = BTreeMap<String, (String, Edits, usize)>;

fn plan_chapter(
    ch: &ChapterDiags,
    order: usize,
    files: &mut Files,
    conflicts: &mut Vec<(String, Range<usize>)>,
    refused: &mut Vec<String>,
) {
    for l in diagnostics::locate(ch) {
        if !l.diag.is_error() {
            continue;
        }
        let at = format!("{}:{}:{}", l.path, l.start.0, l.start.1);
        if l.diag.suggestion().is_some() && !l.exact {
            refused.push(format!(
                "{at}: {} (not fixed: its place in the files on disk is not certain; fix it by hand)",
                l.diag.message
            ));
            continue;
        }
        let Some((range, text)) = &l.suggestion else {
            refused.push(format!("{at}: {} (no automatic fix)", l.diag.message));
            continue;
        };
        let entry = files.entry(l.path.to_string()).or_insert_with(|| (l.text.to_string(), BTreeMap::new(), order));
        if entry.0 != l.text {
            refused.push(format!("{at}: {} (not fixed: the file is shown in several versions)", l.diag.message));
            continue;
        }
        let key = (range.start, range.end);
        match entry.1.get(&key) {
            Some((t, _, _)) if t != text => {
                refused.push(format!("{at}: {} (not fixed: two different fixes for one place)", l.diag.message));
                conflicts.push((l.path.to_string(), range.clone()));
            }
            Some(_) => {}
            None => {
                entry.1.insert(key, (text.to_string(), l.start.0, l.start.1));
            }
        }
    }
}
