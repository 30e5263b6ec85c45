//! No number slips past: take a chapter of this book, which passes under
//! `unchecked-numbers = "deny"`, put a random decimal at a random place, and
//! `check` must fail, unless the place is one where a number is not a claim
//! by a rule of the coverage table. Which places those are is decided here
//! by a deliberately simple reading of the text (fenced code in a language,
//! lemma blocks, inside `{{...}}`, HTML comments and tags, link
//! destinations, the `tolerance:` line of an exercise, right after a
//! release name or a reference word), not by lemma's own
//! scanner: a place the oracle cannot excuse must fail.
//!
//! `PROPTEST_CASES=N` runs it longer.

use std::path::Path;

use mdbook_lemma::Setting;
use mdbook_lemma::chapter::{self, Options};
use proptest::prelude::*;

fn chapters() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../src");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("src/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("SUMMARY.md"))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).expect("chapter")))
        .collect();
    out.sort();
    out
}

/// Code languages whose code (not comments) is input.
const CODE: &[&str] = &["python", "py", "rust", "js", "sh", "bash", "toml", "lemma"];

/// Whether the oracle excuses a number put at `at`.
fn excused(src: &str, at: usize) -> bool {
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[at..].find('\n').map_or(src.len(), |i| at + i);
    let line = &src[line_start..line_end];
    let col = at - line_start;
    // Fenced blocks: which one (if any) holds the line.
    let mut fence: Option<(String, usize, String)> = None; // (marker char run, indent, info word)
    let mut pos = 0;
    for l in src[..line_start].split_inclusive('\n') {
        let t = l.trim_start_matches(['>', ' ']);
        let run = t.chars().take_while(|c| *c == '`' || *c == '~').count();
        if run >= 3 {
            let marker: String = t.chars().take(run).collect();
            match &fence {
                Some((m, _, _)) if marker.starts_with(m.as_str()) && t[run..].trim().is_empty() => fence = None,
                Some(_) => {}
                None => {
                    let info = t[run..].split([' ', ',', '\n']).next().unwrap_or("").trim().to_string();
                    fence = Some((marker, pos, info));
                }
            }
        }
        pos += l.len();
    }
    let t = line.trim_start_matches(['>', ' ']);
    if t.starts_with("```") || t.starts_with("~~~") || t.starts_with("````") {
        return true; // a fence line: the info string is not shown
    }
    if let Some((_, _, info)) = &fence
        && CODE.contains(&info.as_str())
    {
        return true;
    }
    // The `tolerance:` line of an exercise, or of one shown in a sample.
    if t.starts_with("tolerance:") && fence.is_some() {
        return true;
    }
    // After the last `|` of a table row: a cell beyond the header's, which
    // is not shown.
    if t.starts_with('|') && line[col..].trim().is_empty() && line[..col].trim_end().ends_with('|') {
        return true;
    }
    // Inside `{{ ... }}`, an HTML comment or tag, or a link destination, on
    // this line (or a comment spanning lines).
    let before = &line[..col];
    let opened = |open: &str, close: &str| before.rfind(open).is_some_and(|o| !before[o..].contains(close));
    if opened("{{", "}}") || opened("<", ">") || opened("](", ")") {
        return true;
    }
    // Right after a release name or a capitalised reference word: an
    // identifier (`NumPy 2.0`, `Section 3.2`).
    let word = before.trim_end().rsplit([' ', '(', '\n', '`']).next().unwrap_or("").trim_end_matches('.');
    let releases = ["numpy", "pytorch", "python", "version", "torch", "mdbook", "rust", "release", "doi:", "arxiv:"];
    let references =
        ["Section", "Chapter", "Figure", "Fig", "Table", "Eq", "Equation", "Appendix", "Example", "Exercise"];
    if releases.contains(&word.to_lowercase().as_str()) || references.contains(&word) {
        return true;
    }
    let comment_open = src[..at].rfind("<!--");
    comment_open.is_some_and(|o| !src[o..at].contains("-->"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_number_put_anywhere_a_reader_sees_fails(which in 0usize..64, place in 0.0f64..1.0, digits in 1u32..10_000) {
        let chapters = chapters();
        let (name, src) = &chapters[which % chapters.len()];
        let opts = Options { unchecked: Setting::Deny };
        // The book's data files are read from the repository, its root.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let files: std::sync::Arc<dyn mdbook_lemma::eval::data::Source> =
            std::sync::Arc::new(mdbook_lemma::files::BookFiles::new(&root));
        let process = |s: &str| chapter::process_in(s, &opts, Some(files.clone()));
        prop_assert!(process(src).diags.is_empty(), "{name} must pass as it is");
        let mut at = ((src.len() as f64) * place) as usize;
        while !src.is_char_boundary(at) {
            at -= 1;
        }
        let number = format!(" 0.{digits} ");
        let changed = format!("{}{number}{}", &src[..at], &src[at..]);
        let out = process(&changed);
        let failed = out.diags.iter().any(|d| d.is_error());
        prop_assert!(
            failed || excused(src, at),
            "{name}: `{}` put at byte {at} (line {}) passed check",
            number.trim(),
            src[..at].matches('\n').count() + 1
        );
    }
}

/// 512 cases, or `PROPTEST_CASES`.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(512)
}
