//! The `mdbook-lemma` command: the mdBook preprocessor protocol, plus
//! `build` and `check` for whole books.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use mdbook_driver::MDBook;
use mdbook_lemma::{Lemma, Reports, supports};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{MDBOOK_VERSION, Preprocessor, PreprocessorContext};
use mdbook_renderer::{RenderContext, Renderer};

const USAGE: &str = "\
mdbook-lemma: computes a book's numbers and fails when a stated number is wrong

Usage:
  mdbook-lemma build [DIR]          build the book in DIR (default .) into its build dir
  mdbook-lemma check [DIR]          evaluate and check every chapter, without rendering
  mdbook-lemma supports RENDERER    exit 0 if lemma supports RENDERER (mdBook protocol)
  mdbook-lemma                      preprocess [context, book] JSON from stdin (mdBook protocol)
  mdbook-lemma --help | --version
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => protocol(),
        ["supports", renderer] => {
            if supports(renderer) {
                ExitCode::SUCCESS
            } else {
                eprintln!("{}", unsupported(renderer));
                ExitCode::FAILURE
            }
        }
        ["build"] => build(PathBuf::from(".")),
        ["build", dir] => build(PathBuf::from(dir)),
        ["check"] => check(PathBuf::from(".")),
        ["check", dir] => check(PathBuf::from(dir)),
        ["--help" | "-h" | "help"] => {
            eprint!("{USAGE}");
            ExitCode::SUCCESS
        }
        ["--version" | "-V"] => {
            eprintln!("mdbook-lemma {} (for mdBook {MDBOOK_VERSION})", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("error: unexpected arguments `{}` (see `mdbook-lemma --help`)", args.join(" "));
            ExitCode::from(2)
        }
    }
}

/// Prints `e` with its causes as one line on stderr and fails.
fn fail(e: &anyhow::Error) -> ExitCode {
    eprintln!("error: {}", one_line(&format!("{e:#}")));
    ExitCode::FAILURE
}

/// Joins the lines of a message (mdBook's errors can span several).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn unsupported(renderer: &str) -> String {
    format!("mdbook-lemma: the renderer `{renderer}` is not supported (lemma writes HTML; only `html` is)")
}

/// The mdBook protocol: `[context, book]` on stdin, the book on stdout.
fn protocol() -> ExitCode {
    let (ctx, book) = match read_input() {
        Ok(x) => x,
        Err(e) => return fail(&e.context("mdbook-lemma expects mdBook's [context, book] JSON on stdin")),
    };
    warn_on_version(&ctx.mdbook_version);
    if !supports(&ctx.renderer) {
        return fail(&anyhow::anyhow!(unsupported(&ctx.renderer)));
    }
    let lemma = Lemma::new();
    let book = match lemma.run(&ctx, book) {
        Ok(b) => b,
        Err(e) => return fail(&e),
    };
    // Stdout is line-buffered and JSON has no raw newlines: buffer in large
    // blocks rather than writing the book a kilobyte at a time.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if let Err(e) = serde_json::to_writer(&mut out, &book).map_err(anyhow::Error::from).and_then(|()| Ok(out.flush()?))
    {
        return fail(&e.context("could not write the book to stdout"));
    }
    ExitCode::SUCCESS
}

/// Reads `[context, book]` from stdin. Like
/// `mdbook_preprocessor::parse_input`, but parses from one buffer: serde_json
/// reading through `io::Read` goes a byte at a time and costs about a fifth
/// of the preprocessor's whole run on a large book.
fn read_input() -> anyhow::Result<(PreprocessorContext, Book)> {
    let mut buf = Vec::new();
    mdbook_lemma::stdin::read_all(&mut buf)?;
    serde_json::from_slice(&buf).context("Unable to parse the input")
}

fn warn_on_version(calling: &str) {
    let Ok(req) = semver::VersionReq::parse(&format!("^{MDBOOK_VERSION}")) else { return };
    match semver::Version::parse(calling) {
        Ok(v) if req.matches(&v) => {}
        _ => eprintln!(
            "warning: mdbook-lemma was built against mdBook {MDBOOK_VERSION}, but is called from mdBook {calling}"
        ),
    }
}

/// Loads the book in `dir` with lemma in-process; the reports of its runs
/// come back through the returned [`Reports`].
fn load(dir: &PathBuf) -> anyhow::Result<(MDBook, Reports)> {
    let mut book =
        MDBook::load(dir).map_err(|e| e.context(format!("could not load the book in `{}`", dir.display())))?;
    let (lemma, reports) = Lemma::with_reports();
    book.with_preprocessor(lemma);
    Ok((book, reports))
}

fn build(dir: PathBuf) -> ExitCode {
    let (book, reports) = match load(&dir) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    match book.build() {
        Ok(()) => {
            if let Some(report) = reports.last() {
                eprintln!("{}", report.summary());
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn check(dir: PathBuf) -> ExitCode {
    let (book, reports) = match load(&dir) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let result = book.preprocess_book(&CheckOnly);
    let report = reports.last();
    match result {
        Ok(_) => {
            if let Some(report) = report {
                eprintln!("{}", report.summary());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let Some(report) = report.filter(|r| r.chapters > 0) {
                eprintln!("{}", report.summary());
            }
            fail(&e)
        }
    }
}

/// Stands in for the HTML renderer so that `check` runs exactly the
/// preprocessors an HTML build runs, then renders nothing.
struct CheckOnly;

impl Renderer for CheckOnly {
    fn name(&self) -> &str {
        "html"
    }

    fn render(&self, _ctx: &RenderContext) -> anyhow::Result<()> {
        Ok(())
    }
}
