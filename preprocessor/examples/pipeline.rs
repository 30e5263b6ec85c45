//! Runs [`mdbook_lemma::chapter::process`] over Markdown files, as the
//! preprocessor does for each chapter, and reports what it found: the
//! harness for profiling the pipeline on its own (see `BENCHMARKS.md`).
//!
//! ```sh
//! cargo run --release -p mdbook-lemma --example pipeline -- [--repeat N] FILE...
//! valgrind --tool=callgrind --dump-instr=no target/release/examples/pipeline FILE
//! ```

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut repeat = 1;
    if args.first().is_some_and(|a| a == "--repeat") {
        match args.get(1).and_then(|n| n.parse().ok()) {
            Some(n) => repeat = n,
            None => {
                eprintln!("pipeline: --repeat needs a number");
                return ExitCode::from(2);
            }
        }
        args.drain(..2);
    }
    let mut texts = Vec::new();
    for path in &args {
        match std::fs::read_to_string(path) {
            Ok(t) => texts.push(t),
            Err(e) => {
                eprintln!("pipeline: cannot read {path}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let start = Instant::now();
    let (mut bytes, mut diags, mut stats) = (0, 0, mdbook_lemma::chapter::Stats::default());
    for _ in 0..repeat {
        for t in &texts {
            let out = mdbook_lemma::chapter::process(t);
            bytes += out.content.len();
            diags += out.diags.len();
            stats += out.stats;
        }
    }
    eprintln!(
        "pipeline: {} file(s) x {repeat}: {bytes} bytes out, {diags} diagnostics, {stats:?}, {:.3} ms per pass",
        texts.len(),
        start.elapsed().as_secs_f64() * 1e3 / repeat as f64
    );
    if diags > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
