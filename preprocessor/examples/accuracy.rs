//! Measure the numeric core against an accuracy corpus.
//!
//! ```text
//! cargo run --release -p mdbook-lemma --example accuracy -- [CORPUS.jsonl] [--out OUT.jsonl]
//! ```
//!
//! `CORPUS.jsonl` defaults to the repository's
//! `tests/data/accuracy/corpus.jsonl`. For cases with truths, prints per function (p, log_p, lse, ce, H) the
//! failures, max, p99 and median ulp and the worst case kinds. For cases
//! with an `expect` field (invalid inputs), reports which were rejected.
//! With `--out`, writes one JSON line per case `{"id","p","log_p","lse","ce","H"}`
//! (`null` where the core returned an error).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use mdbook_lemma::numeric::accuracy::{Computed, Report, TARGETS, check_invalid, default_corpus_dir, read_cases};

/// Print, ignoring a closed pipe (e.g. `| head`) instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, $($arg)*);
    }};
}

fn run() -> Result<bool, String> {
    let mut args = std::env::args().skip(1);
    let mut corpus: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = Some(args.next().ok_or("--out needs a file")?.into()),
            "-h" | "--help" => {
                say!("usage: accuracy [CORPUS.jsonl] [--out OUT.jsonl]");
                return Ok(true);
            }
            _ if corpus.is_none() => corpus = Some(a.into()),
            _ => return Err(format!("unexpected argument {a:?}")),
        }
    }
    let corpus = corpus.unwrap_or_else(|| default_corpus_dir().join("corpus.jsonl"));
    let cases = read_cases(&corpus)?;
    let mut good = true;

    if cases.iter().any(|c| c.truth.is_some()) {
        let report = Report::measure(&cases);
        let _ = std::io::stdout().lock().write_all(report.summary().as_bytes());
        let misses = report.misses(&TARGETS);
        say!("targets (ulp p, log_p, lse, ce, H) {TARGETS:?}: {} misses", misses.len());
        for m in misses.iter().take(20) {
            say!("  {m}");
        }
        good &= misses.is_empty();
    }

    let invalid = check_invalid(&cases);
    if !invalid.is_empty() {
        let ok = invalid.iter().filter(|r| r.ok).count();
        say!("invalid inputs: {ok} of {} rejected as required", invalid.len());
        for r in &invalid {
            let mark = if r.ok { "rejected" } else { "NOT REJECTED" };
            say!("  {:<8} {:<9} {mark:<12} {}", r.id, r.class, r.detail);
        }
        good &= ok == invalid.len();
    }

    if let Some(path) = out {
        let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut w = std::io::BufWriter::new(file);
        for c in &cases {
            writeln!(w, "{}", Computed::of(c).json_line(&c.id)).map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
        say!("wrote {} lines to {}", cases.len(), path.display());
    }
    Ok(good)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("accuracy: {e}");
            ExitCode::from(2)
        }
    }
}
