//! Bad input to the real binary: a one-line error that names what is wrong,
//! a non-zero exit, and nothing on stdout.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use expect_test::{Expect, expect};

use crate::util::write_book;

const SUMMARY: &str = "# Summary\n\n- [Chapter](chapter.md)\n";
const CHAPTER: &str = "# Chapter\n\n{{lemma 1 + 1}}\n";

/// Runs the binary with `args` (`$DIR` is replaced by `dir`) and `stdin`,
/// and prints its exit code and stderr (with `dir` shown as `$DIR`).
fn run(dir: &Path, args: &[&str], stdin: &str) -> String {
    let d = dir.to_string_lossy().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mdbook-lemma"))
        .args(args.iter().map(|a| a.replace("$DIR", &d)))
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("waits");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&d, "$DIR");
    let mut got = format!("exit {}\n{stderr}", out.status.code().map_or("signal".into(), |c| c.to_string()));
    if !stdout.is_empty() {
        got.push_str(&format!("stdout: {} bytes\n", stdout.len()));
    }
    got
}

/// An error case: fails, with exactly one line on stderr and nothing on
/// stdout.
fn check_error(files: &[(&str, &str)], args: &[&str], stdin: &str, expect: Expect) {
    let dir = write_book(files);
    let got = run(dir.path(), args, stdin);
    assert!(!got.starts_with("exit 0"), "should fail:\n{got}");
    assert_eq!(got.lines().count(), 2, "one line of error expected:\n{got}");
    expect.assert_eq(&got);
}

fn book(toml: &str) -> Vec<(&str, &str)> {
    vec![("book.toml", toml), ("src/SUMMARY.md", SUMMARY), ("src/chapter.md", CHAPTER)]
}

#[test]
fn malformed_json_on_stdin() {
    check_error(
        &[],
        &[],
        "",
        expect![[r#"
        exit 1
        error: mdbook-lemma expects mdBook's [context, book] JSON on stdin: Unable to parse the input: EOF while parsing a value at line 1 column 0
    "#]],
    );
    check_error(
        &[],
        &[],
        "{not json",
        expect![[r#"
            exit 1
            error: mdbook-lemma expects mdBook's [context, book] JSON on stdin: Unable to parse the input: invalid type: map, expected a tuple of size 2 at line 1 column 0
        "#]],
    );
    check_error(
        &[],
        &[],
        "[{}, {}]",
        expect![[r#"
        exit 1
        error: mdbook-lemma expects mdBook's [context, book] JSON on stdin: Unable to parse the input: missing field `root` at line 1 column 3
    "#]],
    );
    check_error(
        &[],
        &[],
        "[1, 2, 3]",
        expect![[r#"
            exit 1
            error: mdbook-lemma expects mdBook's [context, book] JSON on stdin: Unable to parse the input: invalid type: integer `1`, expected struct PreprocessorContext at line 1 column 2
        "#]],
    );
}

#[test]
fn unknown_renderer() {
    check_error(
        &[],
        &["supports", "epub"],
        "",
        expect![[r#"
        exit 1
        mdbook-lemma: the renderer `epub` is not supported (lemma writes HTML; only `html` is)
    "#]],
    );
}

#[test]
fn unexpected_arguments() {
    check_error(
        &[],
        &["frobnicate"],
        "",
        expect![[r#"
            exit 2
            error: unrecognized subcommand 'frobnicate' (see `mdbook-lemma --help`)
        "#]],
    );
}

#[test]
fn missing_book_or_chapter() {
    check_error(
        &[],
        &["build", "$DIR/nowhere"],
        "",
        expect![[r#"
        exit 1
        error: could not load the book in `$DIR/nowhere`: failed to read `$DIR/nowhere/src/SUMMARY.md`: No such file or directory (os error 2)
    "#]],
    );
    let toml = "[book]\ntitle = \"t\"\n[build]\ncreate-missing = false\n";
    check_error(
        &[("book.toml", toml), ("src/SUMMARY.md", SUMMARY)],
        &["check", "$DIR"],
        "",
        expect![[r#"
        exit 1
        error: could not load the book in `$DIR`: failed to read chapter `chapter.md`: No such file or directory (os error 2)
    "#]],
    );
    check_error(
        &[("book.toml", toml), ("src/SUMMARY.md", SUMMARY)],
        &["build", "$DIR"],
        "",
        expect![[r#"
        exit 1
        error: could not load the book in `$DIR`: failed to read chapter `chapter.md`: No such file or directory (os error 2)
    "#]],
    );
}

#[test]
fn unknown_config_key() {
    let toml = "[book]\ntitle = \"t\"\n[preprocessor.lemma]\ncommand = \"false\"\ndigits = 3\n";
    check_error(
        &book(toml),
        &["check", "$DIR"],
        "",
        expect![[r#"
            exit 1
            error: unknown key `digits` in `[preprocessor.lemma]` of book.toml (known keys: command, renderers, before, after, optional, unchecked-numbers, run-code, python, run-code-timeout)
        "#]],
    );
    check_error(
        &book(toml),
        &["build", "$DIR"],
        "",
        expect![[r#"
            exit 1
            error: unknown key `digits` in `[preprocessor.lemma]` of book.toml (known keys: command, renderers, before, after, optional, unchecked-numbers, run-code, python, run-code-timeout)
        "#]],
    );
}

#[test]
fn config_value_of_wrong_type() {
    check_error(
        &book("[book]\ntitle = \"t\"\n[preprocessor]\nlemma = 3\n"),
        &["check", "$DIR"],
        "",
        expect![[r#"
        exit 1
        error: could not load the book in `$DIR`: Failed to read preprocessors: invalid type: integer `3`, expected struct PreprocessorConfig in `lemma`
    "#]],
    );
    check_error(
        &book("[book]\ntitle = \"t\"\n[preprocessor.lemma]\ncommand = \"false\"\nafter = \"links\"\n"),
        &["check", "$DIR"],
        "",
        expect![[r#"
            exit 1
            error: could not load the book in `$DIR`: Failed to read preprocessors: invalid type: string "links", expected a sequence in `lemma.after`
        "#]],
    );
    check_error(
        &book("[book]\ntitle = 3\n"),
        &["check", "$DIR"],
        "",
        expect![[r#"
        exit 1
        error: could not load the book in `$DIR`: Invalid configuration file: TOML parse error at line 2, column 9 | 2 | title = 3 | ^ invalid type: integer `3`, expected a string
    "#]],
    );
    check_error(
        &book("[book\n"),
        &["check", "$DIR"],
        "",
        expect![[r#"
        exit 1
        error: could not load the book in `$DIR`: Invalid configuration file: TOML parse error at line 1, column 6 | 1 | [book | ^ unclosed table, expected `]`
    "#]],
    );
}

/// `[context, book]` as mdBook sends it, for `renderer`.
fn protocol_input(renderer: &str, chapter: &str) -> String {
    use mdbook_preprocessor::PreprocessorContext;
    use mdbook_preprocessor::book::{Book, Chapter};
    let ctx = PreprocessorContext::new(".".into(), Default::default(), renderer.into());
    let mut book = Book::new();
    book.push_item(Chapter::new("Chapter", chapter.into(), "chapter.md", vec![]));
    serde_json::to_string(&(ctx, book)).expect("serializes")
}

#[test]
fn protocol_with_unknown_renderer() {
    check_error(
        &[],
        &[],
        &protocol_input("epub", CHAPTER),
        expect![[r#"
        exit 1
        error: mdbook-lemma: the renderer `epub` is not supported (lemma writes HTML; only `html` is)
    "#]],
    );
}

#[test]
fn protocol_round_trip() {
    let dir = write_book(&[]);
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-lemma"))
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().expect("stdin").write_all(protocol_input("html", CHAPTER).as_bytes())?;
            child.wait_with_output()
        })
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let book: mdbook_preprocessor::book::Book = serde_json::from_slice(&out.stdout).expect("stdout is the book JSON");
    let contents: Vec<&str> = book.chapters().map(|c| c.content.as_str()).collect();
    assert_eq!(contents, ["# Chapter\n\n2\n"]);
}

#[test]
fn protocol_with_a_wrong_number() {
    let dir = write_book(&[]);
    let got = run(dir.path(), &[], &protocol_input("html", "{{lemma 1 + 1 ≈ 3}}\n"));
    expect![[r#"
        exit 1
        error: stated 3 but computes to 2
          ┌─ src/chapter.md:1:17
          │
        1 │ {{lemma 1 + 1 ≈ 3}}
          │                 ^ should be 2
          │
          = computed: 2
          = allowed: 3 exactly, up to floating-point rounding (a whole number states an exact value; state decimals, or a tolerance with ±, to claim less)
          = at the stated precision, write: 2

        error: 1 lemma error (see above)
    "#]]
    .assert_eq(&got);
}

#[test]
fn lemma_must_run_after_links() {
    let toml = "[book]\ntitle = \"t\"\n[preprocessor.lemma]\ncommand = \"false\"\n";
    check_error(
        &book(toml),
        &["check", "$DIR"],
        "",
        expect![[r#"
        exit 1
        error: `[preprocessor.lemma]` in book.toml must run after mdBook's `links` preprocessor, or forms in {{#include}}d text are left unevaluated: add `after = ["links"]`
    "#]],
    );
    let toml = "[book]\ntitle = \"t\"\n[preprocessor.lemma]\ncommand = \"false\"\nafter = [\"index\"]\n";
    check_error(
        &book(toml),
        &["build", "$DIR"],
        "",
        expect![[r#"
        exit 1
        error: `[preprocessor.lemma]` in book.toml must run after mdBook's `links` preprocessor, or forms in {{#include}}d text are left unevaluated: add `after = ["links"]`
    "#]],
    );
    for ok in [
        "[book]\ntitle = \"t\"\n[preprocessor.lemma]\ncommand = \"false\"\nafter = [\"links\"]\n",
        "[book]\ntitle = \"t\"\n[preprocessor.links]\nbefore = [\"lemma\"]\n[preprocessor.lemma]\ncommand = \"false\"\n",
        "[book]\ntitle = \"t\"\n[build]\nuse-default-preprocessors = false\n[preprocessor.lemma]\ncommand = \"false\"\n",
        "[book]\ntitle = \"t\"\n",
    ] {
        let dir = write_book(&book(ok));
        let got = run(dir.path(), &["check", "$DIR"], "");
        assert!(got.starts_with("exit 0"), "{ok}\n{got}");
    }
}
