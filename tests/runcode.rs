//! `mdbook-lemma check --run-code`: the fixture books `runcode-fail` (a
//! wrong result comment, a wrong REPL output, an exception, a timeout, each
//! a located error) and `runcode-pass` (NumPy and torch samples, a session,
//! a `norun` block), and code that runs only when asked.

use std::process::Command;

mod common;
use common::{copy_dir, fixture};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mdbook-lemma"))
}

/// Runs the binary; returns success and stderr, with the interpreter's
/// path in the summary written as `PYTHON`.
fn run(args: &[&str], dir: &std::path::Path) -> (bool, String) {
    let out = binary().args(args).arg(dir).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stderr =
        stderr.replace("python (/usr/bin/python3)", "python (PYTHON)").replace("python (python3)", "python (PYTHON)");
    (out.status.success(), stderr)
}

/// A fresh copy of the fixture book `name` in the temporary directory,
/// under a name of its own (`tag`).
fn scratch_copy(name: &str, tag: &str) -> std::path::PathBuf {
    let tmp = std::env::temp_dir().join(format!("lemma-test-runcode-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).expect("temp dir");
    copy_dir(&fixture(name), &tmp);
    tmp
}

#[test]
fn failures_are_located() {
    let (ok, stderr) = run(&["check", "--run-code"], &fixture("runcode-fail"));
    assert!(!ok, "{stderr}");
    expect_test::expect![[r#"
        error: this comment states 0.334, but the code gives 0.333
          ┌─ src/comment.md:5:16
          │
        5 │ x              # 0.334
          │                ^^^^^^^ the code printed `0.3333333333333333`
          │
          = computed by Python: 0.3333333333333333
          = allowed: [0.3335, 0.3345] (0.334 states 3 decimals)

        error: this output states 0.126, but the code gives 0.125 (component 1)
          ┌─ src/repl.md:7:1
          │
        7 │ [0.25, 0.126]
          │ ^^^^^^^^^^^^^ the code printed `[0.25, 0.125]`
          │
          = computed by Python: 0.125
          = allowed: [0.1255, 0.1265] (0.126 states 3 decimals)

        error: this Python raised an exception: ValueError: math domain error
           ┌─ src/exception.md:13:1
           │
        13 │ f(0)           # 0
           │ ^^^^^^^^^^^^^^^^^^ raised here
           │
           = raised in line 7 of this chapter: `return math.log(x)`
           = the chapter's code stops here: the statements after it were not run

        error: this chapter's Python did not finish within 3 s: it was stopped here
          ┌─ src/timeout.md:5:1
          │
        5 │ while True:
          │ ^^^^^^^^^^^ still running
          │
          = the time limit is `run-code-timeout` in `[preprocessor.lemma]` (seconds)

        lemma: 4 chapters, 0 values computed, 0 numbers checked, 0 numbers exempted, 6 left unchecked, 0 checks held, 0 tables, 4 errors; python (PYTHON): 5 blocks run in 4 chapters, 0 marked norun, 0 chapters not run (lemma errors), 4 results compared (6 numbers)
        error: 4 lemma errors (see above)
    "#]]
    .assert_eq(&stderr);
}

#[test]
fn numpy_and_torch_samples_pass() {
    let (ok, stderr) = run(&["check", "--run-code"], &fixture("runcode-pass"));
    assert!(ok, "{stderr}");
    expect_test::expect![[r#"
        lemma: 1 chapters, 5 values computed, 0 numbers checked, 0 numbers exempted, 8 left unchecked, 0 checks held, 0 tables, 0 errors; python (PYTHON): 2 blocks run in 1 chapters, 1 marked norun, 0 chapters not run (lemma errors), 8 results compared (16 numbers)
    "#]]
    .assert_eq(&stderr);
}

/// Code runs only when asked: `run-code = true` in book.toml makes
/// `check` run it, but never `build`; without the setting, `check` runs
/// nothing unless `--run-code`.
#[test]
fn code_runs_only_when_asked() {
    let tmp = scratch_copy("runcode-fail", "asked");
    let (ok, stderr) = run(&["check"], &tmp);
    assert!(ok && !stderr.contains("python"), "{stderr}");
    let toml = std::fs::read_to_string(tmp.join("book.toml")).expect("book.toml");
    std::fs::write(
        tmp.join("book.toml"),
        toml.replace("run-code-timeout = 3", "run-code-timeout = 3\nrun-code = true"),
    )
    .expect("write");
    let (ok, stderr) = run(&["check"], &tmp);
    assert!(!ok && stderr.contains("math domain error"), "{stderr}");
    let (ok, stderr) = run(&["build"], &tmp);
    assert!(ok && !stderr.contains("python"), "{stderr}");
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn bad_settings_are_errors() {
    for (setting, expected) in [
        ("run-code = \"yes\"", "`run-code` in `[preprocessor.lemma]` of book.toml must be true or false"),
        ("run-code-timeout = 0", "must be a whole number of seconds from 1 to 86400"),
        ("python = 3", "`python` in `[preprocessor.lemma]` of book.toml must be an interpreter's name or path"),
    ] {
        let tmp = scratch_copy("runcode-pass", "config");
        let toml = std::fs::read_to_string(tmp.join("book.toml")).expect("book.toml");
        std::fs::write(tmp.join("book.toml"), format!("{toml}{setting}\n")).expect("write");
        let (ok, stderr) = run(&["check"], &tmp);
        assert!(!ok && stderr.contains(expected), "{setting}: {stderr}");
        let _ = std::fs::remove_dir_all(&tmp);
    }
}

#[test]
fn a_missing_interpreter_is_a_located_error() {
    let tmp = scratch_copy("runcode-pass", "missing");
    let toml = std::fs::read_to_string(tmp.join("book.toml")).expect("book.toml");
    std::fs::write(tmp.join("book.toml"), format!("{toml}python = \"no-such-python-lemma\"\n")).expect("write");
    let (ok, stderr) = run(&["check", "--run-code"], &tmp);
    assert!(
        !ok && stderr.contains("src/samples.md:8:1") && stderr.contains("`no-such-python-lemma` could not be started"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

/// The samples run in the book's root (not in the directory `check` was
/// started from), so they open the book's data files by the paths `load`
/// takes.
#[test]
fn samples_run_in_the_book_root() {
    let tmp = scratch_copy("runcode-pass", "root");
    std::fs::create_dir_all(tmp.join("data")).expect("data dir");
    std::fs::write(tmp.join("data/tiny.csv"), "label,z0\n0,1.5\n1,2.5\n").expect("write");
    std::fs::write(
        tmp.join("src/data.md"),
        "# Data\n\n```python\nrows = open(\"data/tiny.csv\").read().splitlines()\nlen(rows)   # 3\n```\n",
    )
    .expect("write");
    let summary = std::fs::read_to_string(tmp.join("src/SUMMARY.md")).expect("SUMMARY.md");
    std::fs::write(tmp.join("src/SUMMARY.md"), format!("{summary}- [Data](data.md)\n")).expect("write");
    assert_ne!(std::env::current_dir().expect("cwd"), tmp, "the test runs elsewhere than the book");
    let (ok, stderr) = run(&["check", "--run-code"], &tmp);
    assert!(ok && stderr.contains("0 errors") && stderr.contains("3 blocks run in 2 chapters"), "{stderr}");
    let _ = std::fs::remove_dir_all(&tmp);
}

/// Every Python sample of this book runs and matches its comments.
#[test]
fn the_book_samples_run_and_match() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (ok, stderr) = run(&["check", "--run-code"], &root);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("0 errors; python (PYTHON): ") && stderr.contains("0 chapters not run"), "{stderr}");
}
