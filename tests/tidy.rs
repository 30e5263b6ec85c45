//! Structural checks on the crate's source, in the spirit of rust-analyzer's
//! tidy tests: the invariants of ARCHITECTURE.md that a grep can hold.

use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("source dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Files allowed to do I/O, relative to `src/` (`lib.rs` prints a run's
/// diagnostics on stderr; `book.rs` reads the chapters' files to place
/// diagnostics and scan titles; `diagnostics.rs` only writes
/// to the writer it is handed; `stdin.rs` reads mdBook's input for the
/// binary; `cache.rs` keeps processed chapters under `mdbook serve`;
/// `install.rs` and `fix.rs` write a book's files for the command;
/// `python.rs` starts the interpreter that runs the samples for
/// `check --run-code`; `files.rs` reads the data files `load` asks for,
/// under the book root, through `eval::data::Source`).
const IO_ALLOWED: &[&str] = &[
    "lib.rs",
    "book.rs",
    "main.rs",
    "stdin.rs",
    "cache.rs",
    "diagnostics.rs",
    "numeric/accuracy.rs",
    "numeric/accuracy/calibration.rs",
    "install.rs",
    "fix.rs",
    "python.rs",
    "files.rs",
];

/// What a pure phase module must not name.
const IO_MARKERS: &[&str] = &["std::fs", "std::io", "std::env", "std::process", "println!", "print!(", "eprint"];

#[test]
fn phase_modules_do_no_io() {
    let root = src();
    let mut offenders = Vec::new();
    for file in rust_files(&root) {
        let rel = file.strip_prefix(&root).expect("under src").to_string_lossy().replace('\\', "/");
        if IO_ALLOWED.contains(&rel.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for m in IO_MARKERS {
                if code.contains(m) {
                    offenders.push(format!("src/{rel}:{}: {m}", n + 1));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "I/O outside the files allowed it:\n{}", offenders.join("\n"));
}

#[test]
fn no_ignored_or_should_panic_tests() {
    let mut dirs = vec![src(), Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests")];
    let mut offenders = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                if !path.ends_with("node_modules") {
                    dirs.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("tidy.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable");
            for attr in ["#[ignore", "#[should_panic"] {
                if text.contains(attr) {
                    offenders.push(format!("{}: {attr}", path.display()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}

/// The function reference in the authoring chapter is generated from the
/// function table: this fails when the two differ, and rewrites the
/// chapter's section with `UPDATE_EXPECT=1`.
#[test]
fn function_reference_is_generated_from_the_table() {
    const START: &str = "<!-- functions:start -->\n";
    const END: &str = "<!-- functions:end -->";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../src/writing-with-lemma.md");
    let text = std::fs::read_to_string(&path).expect("the authoring chapter");
    let (before, rest) = text.split_once(START).expect("a `<!-- functions:start -->` line");
    let (_, after) = rest.split_once(END).expect("a `<!-- functions:end -->` marker after the start");
    let want = format!("{before}{START}\n{}\n{END}{after}", mdbook_lemma::eval::functions::reference_markdown());
    if text == want {
        return;
    }
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, want).expect("rewrite the authoring chapter");
        return;
    }
    panic!(
        "src/writing-with-lemma.md: the function reference differs from the function table; \
         run `UPDATE_EXPECT=1 cargo test --test tidy` to regenerate it"
    );
}

/// The assets `mdbook-lemma install` embeds are copies, under
/// `preprocessor/assets/` (inside the published crate), of the book's own
/// `theme/` and `src/theme/` files, and the crate's licence files are the
/// repository's: each pair must be identical, and every embedded file
/// listed in `install::ASSETS`.
#[test]
fn embedded_assets_are_the_books() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = crate_dir.join("..");
    let mut stale = Vec::new();
    let mut listed = Vec::new();
    for a in mdbook_lemma::install::ASSETS {
        let rel = match a.base {
            mdbook_lemma::install::Base::Root => a.path.to_string(),
            mdbook_lemma::install::Base::Src => format!("src/{}", a.path),
        };
        listed.push(crate_dir.join("assets").join(&rel));
        let book = std::fs::read(repo.join(&rel)).expect("the book's copy");
        if book != a.bytes {
            stale.push(format!("cp {rel} preprocessor/assets/{rel}"));
        }
    }
    for name in ["LICENSE-MIT", "LICENSE-APACHE"] {
        let a = std::fs::read(repo.join(name)).expect("licence");
        if std::fs::read(crate_dir.join(name)).ok() != Some(a) {
            stale.push(format!("cp {name} preprocessor/{name}"));
        }
    }
    assert!(stale.is_empty(), "the embedded assets differ from the book's; run:\n{}", stale.join("\n"));
    // `install` lists exactly the stylesheets and scripts this book uses.
    let toml = std::fs::read_to_string(repo.join("book.toml")).expect("book.toml");
    for (key, want) in [("additional-css", mdbook_lemma::install::CSS), ("additional-js", mdbook_lemma::install::JS)] {
        let line = toml.lines().find(|l| l.starts_with(key)).expect("the key in book.toml");
        let mut have: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        let mut want = want.to_vec();
        have.sort_unstable();
        want.sort_unstable();
        assert_eq!(have, want, "`{key}` in book.toml and install's list differ");
    }
    let mut files = Vec::new();
    let mut dirs = vec![crate_dir.join("assets")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("assets dir") {
            let p = e.expect("entry").path();
            if p.is_dir() { dirs.push(p) } else { files.push(p) }
        }
    }
    let unlisted: Vec<_> = files.iter().filter(|f| !listed.contains(f)).collect();
    assert!(unlisted.is_empty(), "files under preprocessor/assets/ that install does not write: {unlisted:?}");
    assert_eq!(files.len(), listed.len());
}
