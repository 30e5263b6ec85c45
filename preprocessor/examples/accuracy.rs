//! Measure the numeric core against an accuracy corpus.
//!
//! ```text
//! cargo run --release -p mdbook-lemma --example accuracy -- [CORPUS.jsonl] [--out OUT.jsonl]
//! cargo run --release -p mdbook-lemma --example accuracy -- --calibration [ORACLE.jsonl]
//! ```
//!
//! `CORPUS.jsonl` defaults to the repository's
//! `tests/data/accuracy/corpus.jsonl`. For cases with truths, prints per function (p, log_p, lse, ce, H) the
//! failures, max, p99 and median ulp and the worst case kinds. For cases
//! with an `expect` field (invalid inputs), reports which were rejected.
//! With `--out`, writes one JSON line per case `{"id","p","log_p","lse","ce","H"}`
//! (`null` where the core returned an error).
//!
//! With `--calibration`, measures `numeric::calibration` (`nll`, `ece`,
//! `mce`, `fit_temperature`) against its oracle instead,
//! `tests/data/calibration/oracle.jsonl` by default (see
//! `tools/calibration_oracle.py`).

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
    let mut calibration = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--calibration" => calibration = true,
            "--out" => out = Some(args.next().ok_or("--out needs a file")?.into()),
            "-h" | "--help" => {
                say!("usage: accuracy [CORPUS.jsonl] [--out OUT.jsonl] | accuracy --calibration [ORACLE.jsonl]");
                return Ok(true);
            }
            _ if corpus.is_none() => corpus = Some(a.into()),
            _ => return Err(format!("unexpected argument {a:?}")),
        }
    }
    if calibration {
        use mdbook_lemma::numeric::accuracy::calibration::{Report, default_oracle, read_oracle};
        let cases = read_oracle(&corpus.unwrap_or_else(default_oracle))?;
        let report = Report::measure(&cases);
        let _ = std::io::stdout().lock().write_all(report.summary().as_bytes());
        let misses = report.misses(&[1.0, 1.0, 1.0, 2.0]);
        say!("targets (ulp nll, ece, mce, fit_T) [1, 1, 1, 2]: {} misses", misses.len());
        for m in misses.iter().take(20) {
            say!("  {m}");
        }
        return Ok(misses.is_empty());
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
