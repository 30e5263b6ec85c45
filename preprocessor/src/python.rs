//! Starting the Python interpreter for `check --run-code` (the I/O of
//! [`crate::runcode`]): the driver as `-c`, the chapter's blocks on stdin,
//! its records read from stdout, stopped at the time limit.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::runcode::{DRIVER, Ending, Outcome};

/// The interpreter used when `book.toml` names none: Debian's
/// `/usr/bin/python3` (where `apt-get install python3-numpy python3-torch`
/// puts the packages) if it exists, else `python3` on `PATH`.
pub fn default_interpreter() -> String {
    if std::path::Path::new("/usr/bin/python3").exists() { "/usr/bin/python3".into() } else { "python3".into() }
}

/// Runs the driver with `input` on stdin under `python`, in the directory
/// `dir`, for at most `limit`.
pub fn run(python: &str, dir: &Path, input: &str, limit: Duration) -> Outcome {
    let child = Command::new(python)
        .current_dir(dir)
        .arg("-c")
        .arg(DRIVER)
        .env("PYTHONUNBUFFERED", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                stdout: String::new(),
                stderr: String::new(),
                ending: Ending::NotStarted(format!("`{python}` could not be started: {e}")),
            };
        }
    };
    // Stdin is written, and stdout and stderr read, on their own threads,
    // so that no pipe fills while this one waits.
    let feed = child.stdin.take().map(|mut stdin| {
        let input = input.to_string();
        std::thread::spawn(move || {
            let _ = stdin.write_all(input.as_bytes());
        })
    });
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = read(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err = read(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let start = Instant::now();
    let ending = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ending::Exited(status.code()),
            Ok(None) if start.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                break Ending::TimedOut(limit.as_secs());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => break Ending::NotStarted(format!("waiting for `{python}` failed: {e}")),
        }
    };
    if let Some(f) = feed {
        let _ = f.join();
    }
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    Outcome { stdout, stderr, ending }
}
