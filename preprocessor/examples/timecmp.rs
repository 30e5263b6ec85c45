//! Times shell commands side by side, interleaved round by round, and
//! prints each one's median wall-clock time and its ratio to the first
//! (see `BENCHMARKS.md`). Interleaving matters on a shared machine: a burst
//! of load hits every command of a round, not all the runs of one.
//!
//! ```sh
//! cargo run --release -p mdbook-lemma --example timecmp -- [--runs N] [--warmup W] \
//!     [--prepare 'SHELL'] NAME 'SHELL' NAME 'SHELL' ...
//! ```
//!
//! `--prepare` runs (untimed) before every timed command, for example to
//! touch a chapter the way an author's save does. A command that fails
//! stops the comparison.

use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

fn sh(cmd: &str) -> Result<(), String> {
    let status = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run sh: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("`{cmd}` failed with {status}")) }
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 }
}

fn run() -> Result<(), String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let (mut runs, mut warmup, mut prepare) = (15, 2, None);
    while args.first().is_some_and(|a| a.starts_with("--")) {
        let flag = args.remove(0);
        if args.is_empty() {
            return Err(format!("{flag} needs a value"));
        }
        let value = args.remove(0);
        match flag.as_str() {
            "--runs" => runs = value.parse().map_err(|_| "--runs needs a number".to_string())?,
            "--warmup" => warmup = value.parse().map_err(|_| "--warmup needs a number".to_string())?,
            "--prepare" => prepare = Some(value),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if args.is_empty() || !args.len().is_multiple_of(2) || runs == 0 {
        return Err("usage: timecmp [--runs N] [--warmup W] [--prepare SHELL] NAME SHELL [NAME SHELL ...]".into());
    }
    let cmds: Vec<(&str, &str)> = args.chunks(2).map(|c| (c[0].as_str(), c[1].as_str())).collect();
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); cmds.len()];
    for round in 0..warmup + runs {
        for (i, (_, cmd)) in cmds.iter().enumerate() {
            if let Some(p) = &prepare {
                sh(p)?;
            }
            let start = Instant::now();
            sh(cmd)?;
            let t = start.elapsed().as_secs_f64();
            if round >= warmup {
                times[i].push(t);
            }
        }
    }
    let medians: Vec<f64> = times.iter_mut().map(|t| median(t)).collect();
    let width = cmds.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    eprintln!(
        "{runs} interleaved runs after {warmup} warm-up rounds; median wall-clock, min, ratio of medians to the first"
    );
    for (i, (name, _)) in cmds.iter().enumerate() {
        eprintln!(
            "  {name:<width$}  {:8.1} ms  (min {:8.1} ms)  {:.3}x",
            medians[i] * 1e3,
            times[i][0] * 1e3,
            medians[i] / medians[0]
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("timecmp: {e}");
            ExitCode::FAILURE
        }
    }
}
