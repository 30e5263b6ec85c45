//! Adopting lemma as a new user does, through the real binary: `install`
//! into a bare mdBook, a wrong number and its located error, `fix`, and a
//! build with the assets in place; the CI outputs (JSON, GitHub
//! annotations), the summarized warning report, diagnostics in source
//! order and in `{{#include}}`d files.

use std::path::Path;
use std::process::Command;

use expect_test::{Expect, expect};

/// A book as `mdbook init` writes it (its `book.toml`, a summary and one
/// chapter), in a new temporary directory.
fn bare_book(chapter: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("lemma-adopt-").tempdir().expect("temp dir");
    write(
        dir.path(),
        "book.toml",
        "[book]\nauthors = [\"A. Author\"]\nlanguage = \"en\"\nsrc = \"src\"\ntitle = \"My Book\"\n",
    );
    write(dir.path(), "src/SUMMARY.md", "# Summary\n\n- [Chapter 1](./chapter_1.md)\n");
    write(dir.path(), "src/chapter_1.md", chapter);
    dir
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).expect("readable")
}

/// Runs the binary in `dir` with `args` and `env`: exit code, stdout and
/// stderr (the directory shown as `$DIR`).
fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mdbook-lemma"));
    cmd.args(args).current_dir(dir).env_remove("GITHUB_ACTIONS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("runs");
    let d = dir.to_string_lossy().to_string();
    let clean = |b: &[u8]| String::from_utf8_lossy(b).replace(&d, "$DIR");
    (out.status.code().unwrap_or(-1), clean(&out.stdout), clean(&out.stderr))
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run_env(dir, args, &[])
}

fn snapshot((code, stdout, stderr): (i32, String, String), expect: Expect) {
    let mut got = format!("exit {code}\n{stderr}");
    if !stdout.is_empty() {
        got.push_str("--- stdout\n");
        // A snapshot cannot hold a line of spaces (a diff's blank context
        // line): show it.
        for line in stdout.lines() {
            got.push_str(if line == " " { "<space>" } else { line });
            got.push('\n');
        }
    }
    expect.assert_eq(&got);
}

const WRONG: &str = "# Chapter 1

```lemma
z = [2.0, 1.0, 0.5]
p = softmax(z)
check p ≈ [0.629, 0.231, 0.141]
```

The top class gets {{lemma p[0] ≈ 63.0%}} of the mass; a tiny one is
{{lemma softmax([0, 40])[0] ≈ 4.20e-18}}, and the loss is {{lemma cross_entropy(z, 1) ≈ 1.4645}}.
";

#[test]
fn a_new_user_installs_checks_fixes_and_builds() {
    let book = bare_book("# Chapter 1\n\nNothing to check yet.\n");
    let dir = book.path();
    snapshot(
        run(dir, &["install"]),
        expect![[r#"
            exit 0
            edited   book.toml: added [preprocessor.lemma]; lemma runs after `links`; renderers = ["html"]; optional = false; lemma's stylesheets in additional-css; lemma's scripts in additional-js
            created  theme/lemma-widget.js
            created  theme/lemma-calibration.js
            created  theme/lemma-widget.css
            created  theme/lemma.css
            created  theme/lemma-plot.css
            created  theme/pulldown-latex/styles.css
            created  src/theme/pulldown-latex/LICENSE
            created  src/theme/pulldown-latex/font/latinmodern-math.woff2
            created  src/theme/pulldown-latex/font/lmroman12-bold.woff2
            created  src/theme/pulldown-latex/font/lmroman12-italic.woff2
            created  src/theme/pulldown-latex/font/lmroman12-regular.woff2
            lemma is installed in `.`: run `mdbook-lemma check` or `mdbook build`
        "#]],
    );
    expect![[r#"
        [book]
        authors = ["A. Author"]
        language = "en"
        src = "src"
        title = "My Book"

        # mdbook-lemma computes the book's numbers and fails the build when a stated
        # number is wrong. `after = ["links"]` evaluates {{#include}}d text too;
        # `renderers = ["html"]` because lemma writes HTML; `optional = false` fails
        # the build if mdbook-lemma is missing.
        [preprocessor.lemma]
        after = ["links"]
        renderers = ["html"]
        optional = false

        [output.html]
        additional-css = ["theme/pulldown-latex/styles.css", "theme/lemma.css", "theme/lemma-widget.css", "theme/lemma-plot.css"]
        additional-js = ["theme/lemma-widget.js", "theme/lemma-calibration.js"]
    "#]]
    .assert_eq(&read(dir, "book.toml"));
    let toml = read(dir, "book.toml");
    // Idempotent: nothing changes the second time.
    let (code, _, stderr) = run(dir, &["install"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("ok       book.toml (lemma already configured)"), "{stderr}");
    assert_eq!(stderr.matches("(up to date)").count(), mdbook_lemma::install::ASSETS.len(), "{stderr}");
    assert_eq!(read(dir, "book.toml"), toml);

    // A chapter with wrong numbers: every one located, in source order.
    write(dir, "src/chapter_1.md", WRONG);
    snapshot(
        run(dir, &["check"]),
        expect![[r#"
            exit 1
            error: stated 0.141 but component 2 computes to 0.140
              ┌─ src/chapter_1.md:6:26
              │
            6 │ check p ≈ [0.629, 0.231, 0.141]
              │                          ^^^^^ should be 0.140
              │
              = computed: 0.14024438316608848
              = allowed: [0.1405, 0.1415] (0.141 states 3 decimals)
              = at the stated precision, write: [0.629, 0.231, 0.140]

            error: stated 63.0% but computes to 62.9%
              ┌─ src/chapter_1.md:9:35
              │
            9 │ The top class gets {{lemma p[0] ≈ 63.0%}} of the mass; a tiny one is
              │                                   ^^^^^ should be 62.9%
              │
              = computed: 0.6285317192117624
              = allowed: [62.95%, 63.05%] (63.0% states 1 decimal of a percent)
              = at the stated precision, write: 62.9%

            error: stated 4.20e-18 but computes to 4.25e-18
               ┌─ src/chapter_1.md:10:31
               │
            10 │ {{lemma softmax([0, 40])[0] ≈ 4.20e-18}}, and the loss is {{lemma cross_entropy(z, 1) ≈ 1.4645}}.
               │                               ^^^^^^^^ should be 4.25e-18
               │
               = computed: 4.248354255291589e-18
               = allowed: [4.195e-18, 4.205e-18] (4.20e-18 states 3 significant digits)
               = at the stated precision, write: 4.25e-18

            error: stated 1.4645 but computes to 1.4644
               ┌─ src/chapter_1.md:10:89
               │
            10 │ {{lemma softmax([0, 40])[0] ≈ 4.20e-18}}, and the loss is {{lemma cross_entropy(z, 1) ≈ 1.4645}}.
               │                                                                                         ^^^^^^ should be 1.4644
               │
               = computed: 1.464368784107945
               = allowed: [1.46445, 1.46455] (1.4645 states 4 decimals)
               = at the stated precision, write: 1.4644

            lemma: 1 chapters, 0 values computed, 6 numbers checked, 0 numbers exempted, 0 left unchecked, 0 checks held, 0 tables, 4 errors
            error: 4 lemma errors (see above)
        "#]],
    );

    // The fix, first as a diff: nothing is written.
    snapshot(
        run(dir, &["fix", "--dry-run"]),
        expect![[r#"
            exit 0
            lemma fix --dry-run: 4 numbers to fix in 1 file, 0 errors left to you
            --- stdout
            --- a/src/chapter_1.md
            +++ b/src/chapter_1.md
            @@ -4,7 +4,7 @@
             z = [2.0, 1.0, 0.5]
             p = softmax(z)
            -check p ≈ [0.629, 0.231, 0.141]
            +check p ≈ [0.629, 0.231, 0.140]
             ```
            <space>
            -The top class gets {{lemma p[0] ≈ 63.0%}} of the mass; a tiny one is
            -{{lemma softmax([0, 40])[0] ≈ 4.20e-18}}, and the loss is {{lemma cross_entropy(z, 1) ≈ 1.4645}}.
            +The top class gets {{lemma p[0] ≈ 62.9%}} of the mass; a tiny one is
            +{{lemma softmax([0, 40])[0] ≈ 4.25e-18}}, and the loss is {{lemma cross_entropy(z, 1) ≈ 1.4644}}.
        "#]],
    );
    assert_eq!(read(dir, "src/chapter_1.md"), WRONG);

    // Then for real: the same precision and format, no other byte touched.
    let (code, _, stderr) = run(dir, &["fix"]);
    assert_eq!(code, 0, "{stderr}");
    let want = WRONG
        .replace("0.141]", "0.140]")
        .replace("63.0%", "62.9%")
        .replace("4.20e-18", "4.25e-18")
        .replace("1.4645", "1.4644");
    assert_eq!(read(dir, "src/chapter_1.md"), want);
    let (code, _, stderr) = run(dir, &["check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr
            .ends_with("6 numbers checked, 0 numbers exempted, 0 left unchecked, 0 checks held, 0 tables, 0 errors\n"),
        "{stderr}"
    );

    // The build, with the assets where book.toml says (mdBook adds a hash
    // to the names of `additional-css` and `additional-js` files).
    let (code, _, stderr) = run(dir, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let page = read(dir, "book/chapter_1.html");
    for (stem, ext) in [
        ("theme/lemma-widget", ".js"),
        ("theme/lemma-widget", ".css"),
        ("theme/lemma", ".css"),
        ("theme/pulldown-latex/styles", ".css"),
    ] {
        let (folder, name) = stem.rsplit_once('/').expect("a folder");
        let built = std::fs::read_dir(dir.join("book").join(folder))
            .expect("built theme folder")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .find(|f| {
                f.strip_prefix(name)
                    .and_then(|r| r.strip_prefix('-'))
                    .is_some_and(|r| r.ends_with(ext) && !r.contains('-'))
            });
        let built = built.unwrap_or_else(|| panic!("{stem}{ext} missing from the build"));
        assert!(page.contains(&format!("{folder}/{built}")), "{built} not linked from the page");
    }
    assert!(dir.join("book/theme/pulldown-latex/font/latinmodern-math.woff2").is_file(), "the math font");
    assert!(page.contains("62.9%"), "the checked value is shown");
}

#[test]
fn install_updates_old_assets_and_keeps_the_authors() {
    let book = bare_book("# Chapter 1\n");
    let dir = book.path();
    assert_eq!(run(dir, &["install"]).0, 0);
    // An asset as an older lemma wrote it: the record says lemma wrote it.
    let old = "/* lemma 0.0.1 */\n";
    write(dir, "theme/lemma.css", old);
    let record = read(dir, ".mdbook-lemma-assets");
    let line = format!("{:016x}  theme/lemma.css", mdbook_lemma::install::hash(old.as_bytes()));
    let record = record
        .lines()
        .map(|l| if l.ends_with("  theme/lemma.css") { line.clone() } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    write(dir, ".mdbook-lemma-assets", &format!("{record}\n"));
    // An asset the author changed.
    write(dir, "theme/lemma-widget.css", "/* mine */\n");
    let (code, _, stderr) = run(dir, &["install"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("updated  theme/lemma.css (from an older mdbook-lemma)"), "{stderr}");
    assert!(
        stderr.contains("kept     theme/lemma-widget.css: it differs from what mdbook-lemma wrote (your changes?); `mdbook-lemma install --force` replaces it"),
        "{stderr}"
    );
    assert_ne!(read(dir, "theme/lemma.css"), old);
    assert_eq!(read(dir, "theme/lemma-widget.css"), "/* mine */\n");
    // Still kept the next time; replaced with --force.
    assert!(run(dir, &["install"]).2.contains("kept     theme/lemma-widget.css"));
    let (code, _, stderr) = run(dir, &["install", "--force"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("replaced theme/lemma-widget.css"), "{stderr}");
    assert_ne!(read(dir, "theme/lemma-widget.css"), "/* mine */\n");
    // No book.toml: a clear error.
    let empty = tempfile::tempdir().expect("temp dir");
    snapshot(
        run(empty.path(), &["install"]),
        expect![[r#"
            exit 1
            error: no book.toml in `.` (create the book first, for example with `mdbook init`): No such file or directory (os error 2)
        "#]],
    );
}

/// A book with lemma installed, from the files given.
fn installed(chapter: &str, toml_extra: &str) -> tempfile::TempDir {
    let book = bare_book(chapter);
    assert_eq!(run(book.path(), &["install"]).0, 0);
    if !toml_extra.is_empty() {
        let toml =
            read(book.path(), "book.toml").replace("optional = false\n", &format!("optional = false\n{toml_extra}\n"));
        write(book.path(), "book.toml", &toml);
    }
    book
}

#[test]
fn json_and_github_annotations() {
    let book = installed(WRONG, "");
    let dir = book.path();
    let (code, stdout, _) = run(dir, &["check", "--message-format", "json"]);
    assert_eq!(code, 1);
    let lines: Vec<serde_json::Value> =
        stdout.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(lines.len(), 4);
    expect![[r#"{"column":35,"computed":"0.6285317192117624","end_column":40,"end_line":9,"file":"src/chapter_1.md","label":"should be 62.9%","line":9,"message":"stated 63.0% but computes to 62.9%","notes":["computed: 0.6285317192117624","allowed: [62.95%, 63.05%] (63.0% states 1 decimal of a percent)","at the stated precision, write: 62.9%"],"severity":"error","stated":"63.0%","suggested":"62.9%"}"#]]
        .assert_eq(&lines[1].to_string());

    let (code, stdout, stderr) = run_env(dir, &["check"], &[("GITHUB_ACTIONS", "true")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error: stated 63.0% but computes to 62.9%"), "the human report too");
    expect![[r#"
        ::error file=src/chapter_1.md,line=6,col=26,endLine=6,endColumn=31,title=lemma%3A should be 0.140::stated 0.141 but component 2 computes to 0.140%0Acomputed: 0.14024438316608848%0Aallowed: [0.1405, 0.1415] (0.141 states 3 decimals)%0Aat the stated precision, write: [0.629, 0.231, 0.140]
        ::error file=src/chapter_1.md,line=9,col=35,endLine=9,endColumn=40,title=lemma%3A should be 62.9%25::stated 63.0%25 but computes to 62.9%25%0Acomputed: 0.6285317192117624%0Aallowed: [62.95%25, 63.05%25] (63.0%25 states 1 decimal of a percent)%0Aat the stated precision, write: 62.9%25
        ::error file=src/chapter_1.md,line=10,col=31,endLine=10,endColumn=39,title=lemma%3A should be 4.25e-18::stated 4.20e-18 but computes to 4.25e-18%0Acomputed: 4.248354255291589e-18%0Aallowed: [4.195e-18, 4.205e-18] (4.20e-18 states 3 significant digits)%0Aat the stated precision, write: 4.25e-18
        ::error file=src/chapter_1.md,line=10,col=89,endLine=10,endColumn=95,title=lemma%3A should be 1.4644::stated 1.4645 but computes to 1.4644%0Acomputed: 1.464368784107945%0Aallowed: [1.46445, 1.46455] (1.4645 states 4 decimals)%0Aat the stated precision, write: 1.4644
    "#]]
    .assert_eq(&stdout);
    // An explicit format wins over the environment.
    let (_, stdout, _) = run_env(dir, &["check", "--message-format", "json"], &[("GITHUB_ACTIONS", "true")]);
    assert!(!stdout.contains("::error"));
}

#[test]
fn many_warnings_are_summarized_and_errors_all_listed() {
    let mut chapter = String::from("# Chapter 1\n\n");
    for i in 0..30 {
        chapter.push_str(&format!("Rate {i}.5 here.\n\n"));
    }
    let book = installed(&chapter, "unchecked-numbers = \"warn\"");
    let dir = book.path();
    let (code, _, stderr) = run(dir, &["check"]);
    assert_eq!(code, 0, "warnings do not fail");
    assert_eq!(stderr.matches("warning: the number").count(), 10, "{stderr}");
    let tail: Vec<&str> = stderr.lines().rev().take(4).collect();
    expect![[r#"
        lemma: 1 chapters, 0 values computed, 0 numbers checked, 0 numbers exempted, 30 left unchecked, 0 checks held, 0 tables, 0 errors
          = note: `mdbook-lemma check --all` lists every one; `unchecked-numbers = "allow"` in [preprocessor.lemma] silences unchecked numbers
               30  src/chapter_1.md
        warning: 20 more warnings not shown (30 in all, in 1 file):"#]]
    .assert_eq(&tail.join("\n"));
    let (_, _, stderr) = run(dir, &["check", "--all"]);
    assert_eq!(stderr.matches("warning: the number").count(), 30);
    // In deny mode every one is an error, and every error is listed.
    let toml = read(dir, "book.toml").replace("\"warn\"", "\"deny\"");
    write(dir, "book.toml", &toml);
    let (code, _, stderr) = run(dir, &["check"]);
    assert_eq!(code, 1);
    assert_eq!(stderr.matches("error: the number").count(), 30);
}

#[test]
fn diagnostics_in_source_order_and_in_included_files() {
    // Phase order would put the wrong number (line 6) before the unchecked
    // number (line 3).
    let chapter = "# Chapter 1\n\nA stray 0.25 here.\n\n```lemma\ncheck 0.5 ≈ 0.4\n```\n\n{{#include parts/shared.md}}\n\n{{#include parts/once.md}}\n";
    let book = installed(chapter, "");
    let dir = book.path();
    write(dir, "src/parts/shared.md", "Shared: {{lemma 1/3 ≈ 0.33}} and {{lemma 2/3 ≈ 0.66}}.\n");
    write(dir, "src/parts/once.md", "Intro.\n\nOnce: {{lemma 1/8 ≈ 0.13}}.\n");
    write(dir, "src/chapter_2.md", "# Chapter 2\n\n{{#include parts/shared.md}}\n");
    write(dir, "src/SUMMARY.md", "# Summary\n\n- [Chapter 1](./chapter_1.md)\n- [Chapter 2](./chapter_2.md)\n");
    let (code, _, stderr) = run(dir, &["check", "--message-format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let (_, stdout, _) = run(dir, &["check", "--message-format", "json"]);
    let places: Vec<String> = stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
            format!("{}:{}:{} {}", v["file"].as_str().unwrap_or(""), v["line"], v["column"], v["suggested"])
        })
        .collect();
    expect![[r#"
        src/chapter_1.md:3:9 null
        src/chapter_1.md:6:13 "0.5"
        src/parts/shared.md:1:48 null
        src/parts/once.md:3:21 "0.12"
        src/parts/shared.md:1:48 null"#]]
    .assert_eq(&places.join("\n"));
    let (code, stdout, stderr) = run(dir, &["fix", "--dry-run"]);
    assert_eq!(code, 1, "errors are left");
    expect![[r#"
        not fixed: src/parts/shared.md:1:48: stated 0.66 but computes to 0.67 (no automatic fix)
        lemma fix --dry-run: 2 numbers to fix in 2 files, 1 error left to you
    "#]]
    .assert_eq(&stderr);
    assert!(stdout.contains("--- a/src/parts/once.md\n+++ b/src/parts/once.md\n"), "{stdout}");
    assert!(stdout.contains("-Once: {{lemma 1/8 ≈ 0.13}}.\n+Once: {{lemma 1/8 ≈ 0.12}}.\n"), "{stdout}");
    let (_, _, stderr) = run(dir, &["check"]);
    assert!(
        stderr.contains("= this file is shown in 2 places (`{{#include}}`): `mdbook-lemma fix` leaves it to you"),
        "{stderr}"
    );
}

#[test]
fn help_and_version() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, stdout, _) = run(dir.path(), &["--help"]);
    assert_eq!(code, 0);
    for word in ["install", "check", "fix", "build", "supports", "--message-format", "--all", "GITHUB_ACTIONS"] {
        assert!(stdout.contains(word), "--help mentions {word}:\n{stdout}");
    }
    for (sub, word) in [
        ("install", "--force"),
        ("fix", "--dry-run"),
        ("check", "pre-commit"),
        ("build", "in-process"),
        ("supports", "RENDERER"),
    ] {
        let (code, stdout, _) = run(dir.path(), &[sub, "--help"]);
        assert_eq!(code, 0);
        assert!(stdout.contains(word), "`{sub} --help` mentions {word}:\n{stdout}");
    }
    let (code, stdout, _) = run(dir.path(), &["--version"]);
    assert_eq!((code, stdout.starts_with(&format!("mdbook-lemma {}", env!("CARGO_PKG_VERSION")))), (0, true));
}

#[test]
fn hints_an_author_can_act_on() {
    let chapter = "# Chapter 1

```lemma
z = [2.0, 1.0, 0.5]
p = softmax(z)
check p[0] = 2
check p[0] ≈ 62.9
check 2.675 ≈ 2.68
check 1/8 ≈ 0.13
check p ≈ [0.629,
```
";
    let book = installed(chapter, "");
    snapshot(
        run(book.path(), &["check"]),
        expect![[r#"
        exit 1
        error: expected end of statement, found `=`
          ┌─ src/chapter_1.md:6:12
          │
        6 │ check p[0] = 2
          │            ^ syntax error
          │
          = did you mean `≈` (a stated number: `check p[0] ≈ 0.629`) or `==` (a comparison that must be true)?

        error: stated 62.9 but computes to 0.6
          ┌─ src/chapter_1.md:7:14
          │
        7 │ check p[0] ≈ 62.9
          │              ^^^^ should be 0.6
          │
          = computed: 0.6285317192117624
          = allowed: [62.85, 62.95] (62.9 states 1 decimal)
          = did you mean `62.9%`? the value is a fraction (0 to 1); a percentage needs its `%`
          = at the stated precision, write: 62.9%

        error: stated 2.68 but computes to 2.67
          ┌─ src/chapter_1.md:8:15
          │
        8 │ check 2.675 ≈ 2.68
          │               ^^^^ should be 2.67
          │
          = computed: 2.675
          = allowed: [2.675, 2.685] (2.68 states 2 decimals)
          = 2.675 looks like a tie at the stated digits, but its exact binary value is 2.67499999999999982236431605997495353221893310546875, below it: it rounds to 2.67
          = at the stated precision, write: 2.67

        error: stated 0.13 but computes to 0.12
          ┌─ src/chapter_1.md:9:13
          │
        9 │ check 1/8 ≈ 0.13
          │             ^^^^ should be 0.12
          │
          = computed: 0.125
          = allowed: [0.125, 0.135] (0.13 states 2 decimals)
          = 0.125 is a tie at the stated digits, and exactly so in binary: ties round to even, to 0.12
          = at the stated precision, write: 0.12

        error: expected a stated number such as `0.629`, `97.1%` or `4.2e-18`, found end of input
           ┌─ src/chapter_1.md:10:18
           │
        10 │ check p ≈ [0.629,
           │                  ^ syntax error
           │
           = a statement is one line: a lemma block reads each line as a statement, so write it on one line (or bind its parts to names on lines of their own)

        lemma: 1 chapters, 0 values computed, 3 numbers checked, 0 numbers exempted, 0 left unchecked, 0 checks held, 0 tables, 5 errors
        error: 5 lemma errors (see above)
    "#]],
    );
    let (_, stdout, _) = run(book.path(), &["fix", "--dry-run"]);
    assert!(stdout.contains("+check p[0] ≈ 62.9%\n+check 2.675 ≈ 2.67\n+check 1/8 ≈ 0.12\n"), "{stdout}");
}

#[test]
fn fix_refuses_where_the_place_is_not_certain() {
    // An anchor include is not traced: the chapter's own wrong number is
    // placed on its line by the line's text, which is not certain enough to
    // rewrite.
    let chapter = "# Chapter 1\n\n{{#include part.md:here}}\n\nMine: {{lemma 1/8 ≈ 0.13}}.\n";
    let book = installed(chapter, "");
    let dir = book.path();
    write(dir, "src/part.md", "<!-- ANCHOR: here -->\nTheirs: {{lemma 1/4 ≈ 0.3}}.\n<!-- ANCHOR_END: here -->\n");
    let (code, stdout, stderr) = run(dir, &["fix"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    expect![[r#"
        not fixed: src/chapter_1.md:5:21: stated 0.13 but computes to 0.12 (not fixed: its place in the files on disk is not certain; fix it by hand)
        not fixed: src/chapter_1.md:3:23: stated 0.3 but computes to 0.2 (not fixed: its place in the files on disk is not certain; fix it by hand)
        lemma fix: 0 numbers fixed in 0 files, 2 errors left to you
    "#]].assert_eq(&stderr);
    assert_eq!(read(dir, "src/chapter_1.md"), chapter, "nothing written");
}
