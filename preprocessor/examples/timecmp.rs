//! Times shell commands side by side, interleaved round by round, and
//! prints each one's median wall-clock time and its ratio to the first
//! (see `BENCHMARKS.md`). Interleaving matters on a shared machine: a burst
//! of load hits every command of a round, not all the runs of one. It also
//! prints the *paired* ratio: each run's time over the first command's time
//! in the same round, median and quartiles, which a slow spell of the
//! machine moves far less than the ratio of medians. Rounds alternate the
//! order of the commands.
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
        // Every other round runs the commands in reverse order, so that no
        // command always follows the same one.
        let order: Vec<usize> =
            if round % 2 == 0 { (0..cmds.len()).collect() } else { (0..cmds.len()).rev().collect() };
        for i in order {
            let cmd = cmds[i].1;
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
    // The ratio to the first command within each round: the two ran
    // seconds apart, so a slow spell of the machine hits both.
    let mut paired: Vec<Vec<f64>> =
        times.iter().map(|t| t.iter().zip(&times[0]).map(|(a, b)| a / b).collect()).collect();
    let medians: Vec<f64> = times.iter_mut().map(|t| median(t)).collect();
    let width = cmds.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    eprintln!(
        "{runs} interleaved runs after {warmup} warm-up rounds: median wall-clock, min, ratio of medians to the \
         first, and the median [quartiles] of the ratio to the first within each round"
    );
    for (i, (name, _)) in cmds.iter().enumerate() {
        let r = &mut paired[i];
        r.sort_by(f64::total_cmp);
        let q = |f: f64| r[((r.len() - 1) as f64 * f).round() as usize];
        eprintln!(
            "  {name:<width$}  {:8.1} ms  (min {:8.1} ms)  {:.3}x  paired {:.3}x [{:.3}, {:.3}]",
            medians[i] * 1e3,
            times[i][0] * 1e3,
            medians[i] / medians[0],
            q(0.5),
            q(0.25),
            q(0.75)
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
