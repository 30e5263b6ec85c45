//! The scanner parses a chapter with the brackets of inline lemma forms
//! masked (`scan::scan`); on every Markdown file of this repository (the
//! book, the fixtures, the adversarial corpus) it finds what the scan of
//! the chapter as written finds, its claims covering the same bytes.

use mdbook_lemma::scan::{Scan, scan, scan_as_written};

/// The scan with its claims as the sorted, merged set of bytes they cover.
fn normalized(s: &Scan) -> String {
    let mut claims = s.claims.clone();
    claims.sort_by_key(|r| r.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for r in claims {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    format!("{:?}", Scan { claims: merged, ..s.clone() })
}

#[test]
fn masking_changes_nothing_on_the_repository_books() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut dirs = vec![root.join("src"), root.join("tests")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("a directory").flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                files.push(p);
            }
        }
    }
    let mut split_differently = 0;
    for f in &files {
        let src = std::fs::read_to_string(f).expect("readable");
        let (masked, written) = (scan(&src), scan_as_written(&src));
        assert_eq!(normalized(&masked), normalized(&written), "the scans of {} differ", f.display());
        split_differently += usize::from(masked.claims != written.claims);
    }
    // Not vacuous: in many files the masked parse split the text
    // differently, and still found the same.
    assert!(files.len() > 50 && split_differently > 20, "{} files, {split_differently} split differently", files.len());
}
