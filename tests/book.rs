//! Whole-book tests: fixture books under `tests/fixtures/`, built in-process
//! through mdbook-driver with the lemma preprocessor, and through the real
//! binary and the JSON protocol.

use std::path::PathBuf;
use std::process::Command;

use mdbook_driver::MDBook;
use mdbook_lemma::Lemma;

mod common;
use common::{copy_dir, fixture, preprocess};

fn check(name: &str, expect: expect_test::Expect) {
    let got = match preprocess(name) {
        Ok(chapters) => chapters.iter().map(|(p, c)| format!("=== {p}\n{c}")).collect::<Vec<_>>().join("\n"),
        Err(diags) => diags,
    };
    expect.assert_eq(&got);
}

#[test]
fn basic_book_preprocesses() {
    check(
        "basic",
        expect_test::expect![[r#"
            === chapter.md
            # Chapter

            A chapter with \[0.090, 0.245, 0.665\] in it.

            > <div class="lemma-table"><table><thead><tr><th scope="col">z</th><th scope="col">p</th></tr></thead><tbody><tr><td class="num">2.00</td><td class="num">0.63</td></tr><tr><td class="num">1.00</td><td class="num">0.23</td></tr><tr><td class="num">0.50</td><td class="num">0.14</td></tr></tbody></table></div>
            >
            > Right after the quote's table.

            - item with `3` in code
            - escaped: {{lemma not evaluated}}

            === nested/inner.md
            # Nested

            | T | p(top) |
            |---|--------|
            | 1 | 0.629 |

            === included.md
            # Included

            The included value is 4.
        "#]],
    );
}

#[test]
fn wrong_numbers_are_located() {
    check(
        "wrong",
        expect_test::expect![[r#"
            error: stated 0.670 but component 2 computes to 0.665
              ┌─ src/chapter.md:3:73
              │
            3 │ Softmax of 1, 2, 3 is {{lemma softmax([1.0, 2.0, 3.0]) ≈ [0.090, 0.245, 0.670]}}.
              │                                                                         ^^^^^ should be 0.665
              │
              = computed: 0.6652409557748219
              = allowed: [0.6695, 0.6705] (0.670 states 3 decimals)
              = at the stated precision, write: [0.090, 0.245, 0.665]

            error: stated 97.8% but computes to 97.1%
              ┌─ src/chapter.md:7:23
              │
            7 │ check softmax(z)[0] ≈ 97.8%
              │                       ^^^^^ should be 97.1%
              │
              = computed: 0.9714164258223994
              = allowed: [97.75%, 97.85%] (97.8% states 1 decimal of a percent)
              = at the stated precision, write: 97.1%

            error: check failed: `argmax(z) == 1` is false
              ┌─ src/chapter.md:9:7
              │
            9 │ check argmax(z) == 1
              │       ^^^^^^^^^^^^^^ is false
              │
              = `argmax(z)` = 0

            error: temperature must be finite and > 0, got -1
               ┌─ src/chapter.md:10:18
               │
            10 │ q = softmax(z, T=-1)
               │                  ^^ here

        "#]],
    );
}

#[test]
fn chapter_without_forms_is_byte_identical() {
    let chapters = preprocess("plain").expect("builds");
    let on_disk = std::fs::read_to_string(fixture("plain/src/plain.md")).expect("fixture");
    assert!(on_disk.contains("\r\n"));
    assert_eq!(chapters[0].1, on_disk);
}

/// Builds the fixture to HTML in a temporary copy and returns `<main>` of a
/// page.
fn rendered_main(name: &str, page: &str) -> String {
    let tmp = tempdir(name);
    copy_dir(&fixture(name), &tmp);
    let mut book = MDBook::load(&tmp).expect("loads");
    book.with_preprocessor(Lemma::new());
    book.build().expect("builds");
    let html = std::fs::read_to_string(tmp.join("book").join(page)).expect("page exists");
    let start = html.find("<main>").expect("<main>");
    let end = html.find("</main>").expect("</main>");
    html[start..end + 7].to_string()
}

#[test]
fn basic_book_renders() {
    let main = rendered_main("basic", "chapter.html");
    expect_test::expect![[r##"
        <main>
                                <h1 id="chapter"><a class="header" href="#chapter">Chapter</a></h1>
        <p>A chapter with [0.090, 0.245, 0.665] in it.</p>
        <blockquote>
        <div class="lemma-table">
        <table>
        <thead>
        <tr><th scope="col">z</th><th scope="col">p</th></tr>
        </thead>
        <tbody>
        <tr><td class="num">2.00</td><td class="num">0.63</td></tr>
        <tr><td class="num">1.00</td><td class="num">0.23</td></tr>
        <tr><td class="num">0.50</td><td class="num">0.14</td></tr>
        </tbody>
        </table>
        </div>

        <p>Right after the quote’s table.</p>
        </blockquote>
        <ul>
        <li>item with <code>3</code> in code</li>
        <li>escaped: {{lemma not evaluated}}</li>
        </ul>

                            </main>"##]]
    .assert_eq(&main);
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lemma-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The real binary, speaking mdBook's JSON protocol.
fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mdbook-lemma"))
}

#[test]
fn protocol_supports() {
    assert!(binary().args(["supports", "html"]).status().expect("runs").success());
    assert!(!binary().args(["supports", "epub"]).status().expect("runs").success());
}

#[test]
fn cli_check_and_build_fail_on_wrong_numbers() {
    for cmd in ["check", "build"] {
        let tmp = tempdir(&format!("wrong-{cmd}"));
        copy_dir(&fixture("wrong"), &tmp);
        let out = binary().arg(cmd).arg(&tmp).output().expect("runs");
        assert!(!out.status.success(), "{cmd} should fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("src/chapter.md:3:"), "{cmd}: {stderr}");
        assert!(stderr.contains("should be 0.665"), "{cmd}: {stderr}");
        assert!(out.stdout.is_empty(), "{cmd} printed on stdout");
    }
}

#[test]
fn cli_check_passes_and_summarizes() {
    let out = binary().arg("check").arg(fixture("basic")).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    expect_test::expect![[r#"
        lemma: 3 chapters, 2 values computed, 4 numbers checked, 0 numbers exempted, 0 left unchecked, 0 checks held, 1 tables, 0 errors
    "#]]
    .assert_eq(&stderr);
}

/// Runs the binary in protocol mode on a fixture book's `[context, book]`
/// JSON, with the given mdBook version in the context.
fn protocol(name: &str, version: &str) -> std::process::Output {
    let book = MDBook::load(fixture(name)).expect("loads");
    let mut ctx = mdbook_preprocessor::PreprocessorContext::new(fixture(name), book.config.clone(), "html".into());
    ctx.mdbook_version = version.into();
    feed(binary(), serde_json::to_vec(&(&ctx, &book.book)).expect("serializes"), usize::MAX)
}

/// Runs `cmd` with `input` written to its stdin from another thread, as
/// mdBook does: in pieces of `piece` bytes, pausing 2 ms every 500 pieces
/// when there is more than one.
fn feed(mut cmd: Command, input: Vec<u8>, piece: usize) -> std::process::Output {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        for (k, bytes) in input.chunks(piece).enumerate() {
            stdin.write_all(bytes).expect("writes");
            if piece < input.len() && k % 500 == 0 {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        }
    });
    let out = child.wait_with_output().expect("finishes");
    writer.join().expect("the writer finishes");
    out
}

#[test]
fn protocol_round_trip() {
    let out = protocol("basic", mdbook_preprocessor::MDBOOK_VERSION);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let book: mdbook_preprocessor::book::Book = serde_json::from_slice(&out.stdout).expect("stdout is only the book");
    let first = book.chapters().next().expect("a chapter");
    assert!(first.content.contains("A chapter with \\[0.090, 0.245, 0.665\\] in it."), "{}", first.content);
}

/// mdBook writes the book to the preprocessor's stdin a JSON token per
/// `write` call, and `mdbook-lemma` reads that pipe lazily (see
/// `mdbook_lemma::stdin`). A book of several megabytes (more than the
/// largest pipe), written in small pieces with pauses, must arrive whole:
/// the output equals preprocessing the same book in-process.
#[test]
fn protocol_reads_a_large_book_written_in_small_pieces() {
    use mdbook_preprocessor::Preprocessor as _;
    use mdbook_preprocessor::book::BookItem;
    let loaded = MDBook::load(fixture("basic")).expect("loads");
    let ctx = mdbook_preprocessor::PreprocessorContext::new(fixture("basic"), loaded.config.clone(), "html".into());
    let mut book = loaded.book.clone();
    let BookItem::Chapter(first) = book.items[0].clone() else { panic!("the basic book starts with a chapter") };
    let padding = "Padding prose without numbers, to make the book large.\n".repeat(200);
    for k in 0..300 {
        let mut ch = first.clone();
        ch.name = format!("Copy {k}");
        ch.content = format!("{}\n{padding}", first.content);
        book.items.push(BookItem::Chapter(ch));
    }
    let input = serde_json::to_vec(&(&ctx, &book)).expect("serializes");
    assert!(input.len() > 3 << 20, "the book is {} bytes", input.len());
    let expected = serde_json::to_string(&Lemma::new().run(&ctx, book).expect("preprocesses")).expect("serializes");
    let out = feed(binary(), input, 997);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

#[test]
fn protocol_warns_on_other_mdbook_version() {
    let out = protocol("basic", "0.4.40");
    assert!(out.status.success());
    expect_test::expect![[r#"
        warning: mdbook-lemma was built against mdBook 0.5.4, but is called from mdBook 0.4.40
    "#]]
    .assert_eq(&String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<mdbook_preprocessor::book::Book>(&out.stdout).expect("still the book");
}

#[test]
fn protocol_fails_with_located_errors() {
    let out = protocol("wrong", mdbook_preprocessor::MDBOOK_VERSION);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("┌─ src/chapter.md:3:73"), "{stderr}");
    assert!(stderr.ends_with("error: 4 lemma errors (see above)\n"), "{stderr}");
}

/// `tools/mdbook-lemma` (the `command` of `book.toml`) execs the release
/// binary when nothing it is built from is newer, and builds it first
/// otherwise. Run here in a copy of the layout with a stand-in binary and a
/// stand-in `cargo` that records being called.
#[cfg(unix)]
#[test]
fn wrapper_builds_only_when_a_source_is_newer() {
    use std::os::unix::fs::PermissionsExt as _;
    use std::time::{Duration, SystemTime};
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(&path, text).expect("writes");
        path
    };
    let executable = |path: &std::path::Path| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    };
    let wrapper = root.join("tools/mdbook-lemma");
    std::fs::create_dir_all(root.join("tools")).expect("tools");
    let repo_wrapper = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/mdbook-lemma");
    std::fs::copy(repo_wrapper, &wrapper).expect("copies the wrapper");
    executable(&wrapper);
    let sources = [
        write("Cargo.toml", ""),
        write("Cargo.lock", ""),
        write("preprocessor/Cargo.toml", ""),
        write("preprocessor/src/main.rs", ""),
        write("preprocessor/src/parse/lang.rs", ""),
    ];
    let bin = write("target/release/mdbook-lemma", "#!/bin/sh\necho \"binary $*\"\n");
    executable(&bin);
    let log = root.join("cargo.log");
    let fake_cargo = write("fakebin/cargo", &format!("#!/bin/sh\necho \"$*\" >> '{}'\n", log.display()));
    executable(&fake_cargo);
    let set_time = |path: &std::path::Path, t: SystemTime| {
        std::fs::File::open(path).expect("opens").set_modified(t).expect("sets mtime");
    };
    let now = SystemTime::now();
    let past = now - Duration::from_secs(3600);
    for s in &sources {
        set_time(s, past);
    }
    for d in ["preprocessor/src", "preprocessor/src/parse", "preprocessor/src/deep/er"] {
        std::fs::create_dir_all(root.join(d)).expect("dir");
    }
    let run = || {
        let path = format!("{}:{}", root.join("fakebin").display(), std::env::var("PATH").unwrap_or_default());
        let out = Command::new(&wrapper)
            .args(["supports", "html"])
            .env("PATH", path)
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .expect("runs the wrapper");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let calls = std::fs::read_to_string(&log).unwrap_or_default().lines().count();
        (String::from_utf8_lossy(&out.stdout).into_owned(), calls)
    };
    // Directories count too (a file added or removed changes them): date
    // them all in the past, then the binary is the newest: no build.
    for d in ["preprocessor/src", "preprocessor/src/parse", "preprocessor/src/deep/er", "preprocessor/src/deep"] {
        set_time(&root.join(d), past);
    }
    set_time(&bin, now);
    assert_eq!(run(), ("binary supports html\n".to_string(), 0));
    // A source two levels down, newer than the binary: cargo builds.
    set_time(&sources[4], now + Duration::from_secs(60));
    assert_eq!(run(), ("binary supports html\n".to_string(), 1));
    // Once every source is older than the binary again: no build.
    set_time(&sources[4], past);
    assert_eq!(run().1, 1);
    // A file deeper than the shell globs reach is found with `find`.
    let deep = write("preprocessor/src/deep/er/x.rs", "");
    set_time(&root.join("preprocessor/src/deep/er"), past);
    set_time(&deep, now + Duration::from_secs(60));
    assert_eq!(run().1, 2);
    // Examples, benches and tests are not part of the binary.
    let example = write("preprocessor/examples/new.rs", "");
    set_time(&deep, past);
    set_time(&example, now + Duration::from_secs(60));
    assert_eq!(run().1, 2);
}

/// Under `mdbook serve` (whose configuration has
/// `output.html.live-reload-endpoint`), processed chapters are kept between
/// runs, and a kept chapter is used only for exactly the same text: the
/// output is the same as without a cache, before and after an edit.
#[test]
fn serve_keeps_chapters_between_runs_and_never_serves_a_stale_one() {
    use mdbook_preprocessor::Preprocessor as _;
    let cache = tempfile::tempdir().expect("temp dir");
    let loaded = MDBook::load(fixture("basic")).expect("loads");
    let mut config = loaded.config.clone();
    config.set("output.html.live-reload-endpoint", "__livereload").expect("sets");
    let ctx = mdbook_preprocessor::PreprocessorContext::new(fixture("basic"), config, "html".into());
    let run = |book: &mdbook_preprocessor::book::Book| {
        let mut cmd = binary();
        cmd.env(mdbook_lemma::CACHE_DIR_VAR, cache.path());
        let out = feed(cmd, serde_json::to_vec(&(&ctx, book)).expect("serializes"), usize::MAX);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let uncached = |book: &mdbook_preprocessor::book::Book| {
        let plain =
            mdbook_preprocessor::PreprocessorContext::new(fixture("basic"), loaded.config.clone(), "html".into());
        serde_json::to_string(&Lemma::new().run(&plain, book.clone()).expect("preprocesses")).expect("serializes")
    };
    let entries = || std::fs::read_dir(cache.path()).map(|d| d.count()).unwrap_or(0);
    let chapters = loaded.book.chapters().filter(|c| c.source_path.is_some()).count();
    let first = run(&loaded.book);
    assert_eq!(first, uncached(&loaded.book));
    assert_eq!(entries(), chapters, "one entry per chapter");
    assert_eq!(run(&loaded.book), first);
    // The second run did read the entries: one marked by hand shows.
    for entry in std::fs::read_dir(cache.path()).expect("cache dir").flatten() {
        let mut e: serde_json::Value =
            serde_json::from_slice(&std::fs::read(entry.path()).expect("reads")).expect("JSON");
        let content = e["output"]["content"].as_str().expect("content").to_string();
        e["output"]["content"] = serde_json::Value::String(format!("MARKED {content}"));
        std::fs::write(entry.path(), serde_json::to_vec(&e).expect("JSON")).expect("writes");
    }
    assert!(run(&loaded.book).contains("MARKED"));
    std::fs::read_dir(cache.path()).expect("cache dir").flatten().for_each(|e| {
        std::fs::remove_file(e.path()).expect("removes");
    });
    assert_eq!(run(&loaded.book), first);
    // An edit: the edited chapter is computed afresh, never taken from the
    // entry of its old text, and the old entry is dropped.
    let mut edited = loaded.book.clone();
    edited.for_each_mut(|item| {
        if let mdbook_preprocessor::book::BookItem::Chapter(ch) = item {
            ch.content = ch
                .content
                .replace("[1.0, 2.0, 3.0]) ≈ [0.090, 0.245, 0.665]", "[1.0, 2.0, 4.0]) ≈ [0.042, 0.114, 0.844]");
        }
    });
    let after = run(&edited);
    assert_ne!(after, first);
    assert_eq!(after, uncached(&edited));
    assert!(after.contains("0.844"), "{after}");
    assert_eq!(entries(), chapters);
}

/// Exercises are numbered per chapter, so what a chapter renders, and its
/// serve-cache entry, depend on that chapter alone: adding an exercise to
/// one chapter leaves the next chapter's output and entry as they were (the
/// entry is even used: a mark put in it shows), while the answer key, which
/// looks across chapters, follows the edit.
#[test]
fn editing_one_chapters_exercises_leaves_the_others_alone() {
    use mdbook_preprocessor::book::{Book, BookItem, Chapter, SectionNumber};
    let cache = tempfile::tempdir().expect("temp dir");
    let root = tempfile::tempdir().expect("temp dir");
    let mut config = mdbook_preprocessor::config::Config::default();
    config.set("output.html.live-reload-endpoint", "__livereload").expect("sets");
    let ctx = mdbook_preprocessor::PreprocessorContext::new(root.path().to_path_buf(), config, "html".into());
    let exercise = |q: &str| format!("{q}\n\n```exercise\nanswer: {{{{lemma softmax([2, 1, 0])[0]; dp=3}}}}\n```\n\n");
    let book = |first: &str| {
        let mut book = Book::new();
        for (k, (name, content)) in
            [("one", first.to_string()), ("two", exercise("Two?")), ("key", "{{answer-key}}\n".into())]
                .into_iter()
                .enumerate()
        {
            let mut ch = Chapter::new(name, content, format!("{name}.md"), Vec::new());
            ch.number = Some(SectionNumber::new([k as u32 + 1]));
            book.push_item(BookItem::Chapter(ch));
        }
        book
    };
    let run = |book: &Book| -> Vec<String> {
        let mut cmd = binary();
        cmd.env(mdbook_lemma::CACHE_DIR_VAR, cache.path());
        let out = feed(cmd, serde_json::to_vec(&(&ctx, book)).expect("serializes"), usize::MAX);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let book: Book = serde_json::from_slice(&out.stdout).expect("a book");
        book.chapters().map(|c| c.content.clone()).collect()
    };
    let entries = || -> std::collections::BTreeSet<String> {
        let dir = std::fs::read_dir(cache.path()).expect("cache dir");
        dir.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect()
    };
    let before = run(&book(&exercise("One?")));
    let kept = entries();
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert!(before[1].contains("id=\"exercise-1\""), "{}", before[1]);
    assert!(before[2].contains("[Exercise 2.1](two.md#exercise-1)"), "{}", before[2]);
    // Mark every entry (after its text, so the key's placeholder line stays
    // whole): a chapter taken from the cache shows the mark.
    for name in &kept {
        let path = cache.path().join(name);
        let mut e: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).expect("reads")).expect("JSON");
        let content = e["output"]["content"].as_str().expect("content").to_string();
        e["output"]["content"] = serde_json::Value::String(format!("{content}MARKED\n"));
        std::fs::write(&path, serde_json::to_vec(&e).expect("JSON")).expect("writes");
    }
    let after = run(&book(&(exercise("One?") + &exercise("One more?"))));
    assert!(!after[0].contains("MARKED") && after[0].contains("id=\"exercise-2\""), "{}", after[0]);
    assert_eq!(after[1], format!("{}MARKED\n", before[1]), "chapter two was taken from its unchanged entry");
    assert!(after[2].contains("[Exercise 1.2](one.md#exercise-2)"), "{}", after[2]);
    assert!(after[2].contains("[Exercise 2.1](two.md#exercise-1)"), "{}", after[2]);
    let now = entries();
    assert_eq!(now.intersection(&kept).count(), 2, "chapter two's and the key's entries stay: {kept:?} {now:?}");
}

#[test]
fn numbers_in_titles_are_unchecked() {
    check(
        "titles",
        expect_test::expect![[r#"
            error: the number `0.5` in this chapter title is not computed or checked by lemma
              ┌─ src/SUMMARY.md:3:19
              │
            3 │ - [Softmax at T = 0.5](softmax.md)
              │                   ^^^ unchecked
              │
              = no lemma form can stand in a title: write the number in words, or move it into the chapter

            error: the number `0.75` in this title is not computed or checked by lemma
              ┌─ src/softmax.md:1:29
              │
            1 │ {{#title The top class gets 0.75}}
              │                             ^^^^ unchecked
              │
              = no lemma form can stand in a title: write the number in words, or move it into the chapter

        "#]],
    );
}

/// Under `mdbook serve`, a chapter that loads a data file is kept while the
/// file is unchanged (a mark put in its entry shows) and processed again
/// when the file changes, through the real binary and files on disk.
#[test]
fn serve_processes_a_chapter_again_when_its_data_changes() {
    use mdbook_preprocessor::book::{Book, BookItem, Chapter};
    let cache = tempfile::tempdir().expect("temp dir");
    let root = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(root.path().join("data")).expect("data dir");
    let data = root.path().join("data/val.csv");
    std::fs::write(&data, "label,z0,z1\n0,2,1\n0,0,1\n").expect("writes");
    let mut config = mdbook_preprocessor::config::Config::default();
    config.set("output.html.live-reload-endpoint", "__livereload").expect("sets");
    let ctx = mdbook_preprocessor::PreprocessorContext::new(root.path().to_path_buf(), config, "html".into());
    let mut book = Book::new();
    let text =
        "Accuracy {{lemma accuracy(load(\"data/val.csv\", \"z0:z1\"), load(\"data/val.csv\", \"label\")); pct=0}}.\n";
    book.push_item(BookItem::Chapter(Chapter::new("one", text.into(), "one.md", Vec::new())));
    let run = || -> String {
        let mut cmd = binary();
        cmd.env(mdbook_lemma::CACHE_DIR_VAR, cache.path());
        let out = feed(cmd, serde_json::to_vec(&(&ctx, &book)).expect("serializes"), usize::MAX);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let book: Book = serde_json::from_slice(&out.stdout).expect("a book");
        book.chapters().map(|c| c.content.clone()).collect()
    };
    assert_eq!(run(), "Accuracy 50%.\n");
    let mark = || {
        for entry in std::fs::read_dir(cache.path()).expect("cache dir").flatten() {
            let mut e: serde_json::Value =
                serde_json::from_slice(&std::fs::read(entry.path()).expect("reads")).expect("JSON");
            assert_eq!(e["output"]["loaded"][0]["path"], "data/val.csv", "{e}");
            e["output"]["content"] = serde_json::Value::String("MARKED\n".into());
            std::fs::write(entry.path(), serde_json::to_vec(&e).expect("JSON")).expect("writes");
        }
    };
    mark();
    assert_eq!(run(), "MARKED\n", "unchanged data: the entry is used");
    std::fs::write(&data, "label,z0,z1\n0,2,1\n1,0,1\n").expect("writes");
    assert_eq!(run(), "Accuracy 100%.\n", "changed data: processed again");
    std::fs::remove_file(&data).expect("removes");
    let out = {
        let mut cmd = binary();
        cmd.env(mdbook_lemma::CACHE_DIR_VAR, cache.path());
        feed(cmd, serde_json::to_vec(&(&ctx, &book)).expect("serializes"), usize::MAX)
    };
    assert!(!out.status.success(), "a removed file is an error, not a kept result");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"), "{}", String::from_utf8_lossy(&out.stderr));
}
