//! The `mdbook-lemma` command: the mdBook preprocessor protocol, `build`,
//! `check` and `fix` for whole books, and `install` to add lemma to a book.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Arg, ArgAction, ArgMatches, Command};
use mdbook_driver::MDBook;
use mdbook_lemma::diagnostics::{self, Format};
use mdbook_lemma::{Lemma, Report, Reports, RunCode, fix, install, supports};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{MDBOOK_VERSION, PreprocessorContext};
use mdbook_renderer::{RenderContext, Renderer};

const ABOUT: &str = "Computes an mdBook's numbers and fails the build when a stated number is wrong";

const LONG_ABOUT: &str = "\
mdbook-lemma is an mdBook preprocessor. It finds the lemma forms in a
book's chapters (```lemma blocks, {{lemma ...}} in prose), computes them,
checks every number the author stated (the stated digits set the tolerance:
0.629 claims three decimals) and fails the build, at the line and column,
when one is wrong.

Start with `mdbook-lemma install` in a book's directory. Without a
subcommand, it is the preprocessor mdBook runs: [context, book] JSON on
stdin, the book on stdout.";

const AFTER_HELP: &str = "\
Output: diagnostics go to stderr for a person (`--message-format human`,
the default), or one JSON object per line on stdout (`json`), or as GitHub
Actions annotations on stdout (`github`; also printed, beside the human
report, whenever GITHUB_ACTIONS=true). Errors are always all listed; when
there are many warnings (unchecked numbers under `unchecked-numbers =
\"warn\"`), the first few are printed with a count per file: `--all`
prints every one.

Examples:
  mdbook-lemma install                 add lemma to the book in this directory
  mdbook-lemma check                   check every number, without rendering
  mdbook-lemma fix --dry-run           show the corrections as a diff
  mdbook-lemma fix                     rewrite each wrong stated number
  mdbook-lemma build                   build the book with lemma in-process";

fn cli() -> Command {
    let dir = || {
        Arg::new("dir")
            .value_name("DIR")
            .default_value(".")
            .value_parser(clap::value_parser!(PathBuf))
            .help("The book's directory (where book.toml is)")
    };
    Command::new("mdbook-lemma")
        // Built once per run: clap wants a `&'static str`.
        .version(&*Box::leak(version().into_boxed_str()))
        .about(ABOUT)
        .long_about(LONG_ABOUT)
        .after_help(AFTER_HELP)
        .arg(
            Arg::new("message-format")
                .long("message-format")
                .value_name("FORMAT")
                .value_parser(["human", "json", "github"])
                .global(true)
                .help("How to print diagnostics: human (stderr), json or github (stdout; stderr under mdBook)"),
        )
        .arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .global(true)
                .help("Print every warning, not the first few and a count per file"),
        )
        .subcommand(
            Command::new("build")
                .about("Build the book in DIR with lemma in-process (into its build directory)")
                .long_about("Builds the book in DIR, as `mdbook build` does, with lemma running in-process: no `command` or PATH setup is needed. Fails, listing every error, when a number is wrong; ends with a one-line count of the numbers computed, checked, exempted and left unchecked.")
                .arg(dir()),
        )
        .subcommand(
            Command::new("check")
                .about("Evaluate and check every chapter of the book in DIR, without rendering")
                .long_about("Runs every preprocessor an HTML build runs (lemma in-process), renders nothing, and reports: every error, the warnings (see --all), and a one-line count. Exit status 1 when a number is wrong: fit for a pre-commit hook or CI.\n\nWith --run-code (or `run-code = true` in [preprocessor.lemma]), it also runs each chapter's ```python blocks, after lemma has written its values into them, top to bottom in one interpreter per chapter (`python = \"...\"`, default /usr/bin/python3 if it exists, else python3; `run-code-timeout = SECONDS` per chapter, default 120), and checks the numbers of each result comment (`z.sum()  # 1.5`) and `>>>` output at the digits shown. A block marked ```python,norun is not run. No other command runs code: `mdbook build` never does.")
                .arg(dir())
                .arg(
                    Arg::new("run-code")
                        .long("run-code")
                        .action(ArgAction::SetTrue)
                        .help("Run the book's Python samples and check the numbers they print"),
                ),
        )
        .subcommand(
            Command::new("fix")
                .about("Rewrite each wrong stated number to the computed value at its own precision and format")
                .long_about("Checks the book in DIR, then rewrites each wrong stated number in its source file to the computed value rounded at the stated precision, in the stated format (a percentage stays a percentage, scientific stays scientific, trailing zeros are kept). No other byte changes. It refuses, saying why, where the number's place is not certain: in a file {{#include}}d in several places, or text mdBook changed in a way lemma cannot trace. Errors other than wrong numbers are listed and left to you.")
                .arg(dir())
                .arg(
                    Arg::new("dry-run")
                        .long("dry-run")
                        .action(ArgAction::SetTrue)
                        .help("Print the corrections as a unified diff on stdout; change nothing"),
                ),
        )
        .subcommand(
            Command::new("install")
                .about("Add lemma to the book in DIR: book.toml settings and the assets its pages need")
                .long_about("Adds [preprocessor.lemma] (after = [\"links\"], renderers = [\"html\"], optional = false) and lemma's stylesheets and script to [output.html] in book.toml, keeping everything else in the file as it was, and writes the assets (theme/lemma-widget.js, theme/lemma-widget.css, theme/lemma.css, theme/pulldown-latex/styles.css, and the math fonts under the source directory's theme/pulldown-latex/font/), which are built into this binary. Running it again changes nothing, or updates the assets from an older version; a file you changed is kept, with a message, unless --force. `.mdbook-lemma-assets` records what lemma wrote.")
                .arg(dir())
                .arg(
                    Arg::new("force")
                        .long("force")
                        .action(ArgAction::SetTrue)
                        .help("Replace asset files even where they differ from what lemma wrote"),
                ),
        )
        .subcommand(
            Command::new("supports")
                .about("Exit 0 if lemma supports RENDERER (asked by mdBook)")
                .arg(Arg::new("renderer").value_name("RENDERER").required(true)),
        )
}

fn version() -> String {
    format!("{} (for mdBook {MDBOOK_VERSION})", env!("CARGO_PKG_VERSION"))
}

fn main() -> ExitCode {
    let matches = match cli().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    // Help and version on stdout, as usual for a command.
                    let _ = e.print();
                    ExitCode::SUCCESS
                }
                _ => {
                    let first = e.to_string();
                    let first = first.lines().next().unwrap_or("").trim_start_matches("error: ");
                    eprintln!("error: {first} (see `mdbook-lemma --help`)");
                    ExitCode::from(2)
                }
            };
        }
    };
    let explicit = matches.get_one::<String>("message-format").map(String::as_str);
    let format = match explicit {
        Some("json") => Format::Json,
        Some("github") => Format::GitHub,
        _ => Format::Human,
    };
    let github = explicit.is_none() && std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let out = Out { format, github, all: matches.get_flag("all") };
    match matches.subcommand() {
        None => protocol(&out),
        Some(("supports", m)) => {
            let renderer = m.get_one::<String>("renderer").map_or("", String::as_str);
            if supports(renderer) {
                ExitCode::SUCCESS
            } else {
                eprintln!("{}", unsupported(renderer));
                ExitCode::FAILURE
            }
        }
        Some(("build", m)) => build(&dir(m), &out),
        Some(("check", m)) => {
            let code = if m.get_flag("run-code") { RunCode::Always } else { RunCode::IfConfigured };
            check(&dir(m), &out, code)
        }
        Some(("fix", m)) => fix(&dir(m), m.get_flag("dry-run")),
        Some(("install", m)) => install(&dir(m), m.get_flag("force")),
        Some((other, _)) => {
            eprintln!("error: unknown subcommand `{other}` (see `mdbook-lemma --help`)");
            ExitCode::from(2)
        }
    }
}

fn dir(m: &ArgMatches) -> PathBuf {
    m.get_one::<PathBuf>("dir").cloned().unwrap_or_else(|| PathBuf::from("."))
}

/// How the command prints diagnostics.
struct Out {
    format: Format,
    /// Also print GitHub annotations (GITHUB_ACTIONS=true).
    github: bool,
    all: bool,
}

impl Out {
    /// Prints a report: the human one on stderr, machine formats on stdout;
    /// each written at once.
    fn print(&self, report: &Report) {
        use std::io::IsTerminal;
        if report.diags.is_empty() {
            return;
        }
        match self.format {
            Format::Human => {
                let color = std::io::stderr().is_terminal();
                let bytes = diagnostics::report_bytes(&report.diags, Format::Human, self.all, color);
                let _ = std::io::stderr().lock().write_all(&bytes);
            }
            f => write_stdout(&diagnostics::report_bytes(&report.diags, f, self.all, false)),
        }
        if self.github {
            write_stdout(&diagnostics::report_bytes(&report.diags, Format::GitHub, self.all, false));
        }
    }
}

/// Writes to stdout at once; a closed stdout is not worth failing for.
fn write_stdout(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
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

/// The mdBook protocol: `[context, book]` on stdin, the book on stdout;
/// diagnostics on stderr in every format.
fn protocol(out: &Out) -> ExitCode {
    let (ctx, book) = match read_input() {
        Ok(x) => x,
        Err(e) => return fail(&e.context("mdbook-lemma expects mdBook's [context, book] JSON on stdin")),
    };
    warn_on_version(&ctx.mdbook_version);
    if !supports(&ctx.renderer) {
        return fail(&anyhow::anyhow!(unsupported(&ctx.renderer)));
    }
    let (result, report) = Lemma::new().printing(None).process(&ctx, book);
    for format in [Some(out.format), out.github.then_some(Format::GitHub)].into_iter().flatten() {
        if !report.diags.is_empty() {
            let color = format == Format::Human && std::io::IsTerminal::is_terminal(&std::io::stderr());
            let bytes = diagnostics::report_bytes(&report.diags, format, out.all, color);
            let _ = std::io::stderr().lock().write_all(&bytes);
        }
    }
    let book = match result {
        Ok(b) => b,
        Err(e) => return fail(&e),
    };
    // Stdout is line-buffered and JSON has no raw newlines: buffer in large
    // blocks rather than writing the book a kilobyte at a time.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if let Err(e) =
        serde_json::to_writer(&mut stdout, &book).map_err(anyhow::Error::from).and_then(|()| Ok(stdout.flush()?))
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

/// Loads the book in `dir` with lemma in-process (printing nothing); the
/// reports of its runs come back through the returned [`Reports`].
fn load(dir: &Path, code: RunCode) -> anyhow::Result<(MDBook, Reports)> {
    let mut book =
        MDBook::load(dir).map_err(|e| e.context(format!("could not load the book in `{}`", dir.display())))?;
    let (lemma, reports) = Lemma::with_reports();
    book.with_preprocessor(lemma.printing(None).running_code(code));
    Ok((book, reports))
}

fn build(dir: &Path, out: &Out) -> ExitCode {
    let (book, reports) = match load(dir, RunCode::Never) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let result = book.build();
    let report = reports.last();
    if let Some(report) = &report {
        out.print(report);
    }
    match result {
        Ok(()) => {
            if let Some(report) = report {
                eprintln!("{}", report.summary());
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// Runs every preprocessor of an HTML build, renders nothing, and returns
/// the result with lemma's report.
fn run_check(dir: &Path, code: RunCode) -> anyhow::Result<(anyhow::Result<()>, Option<Report>)> {
    let (book, reports) = load(dir, code)?;
    let result = book.preprocess_book(&CheckOnly).map(|_| ());
    Ok((result, reports.last()))
}

fn check(dir: &Path, out: &Out, code: RunCode) -> ExitCode {
    let (result, report) = match run_check(dir, code) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    if let Some(report) = &report {
        out.print(report);
    }
    match result {
        Ok(()) => {
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

fn fix(dir: &Path, dry_run: bool) -> ExitCode {
    let (result, report) = match run_check(dir, RunCode::Never) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let Some(report) = report else {
        // Lemma did not run: the book failed before it (its message says why).
        return match result {
            Ok(()) => fail(&anyhow::anyhow!("lemma did not run on the book in `{}`", dir.display())),
            Err(e) => fail(&e),
        };
    };
    if report.chapters == 0 && result.is_err() {
        // A configuration error: nothing was checked.
        return result.err().map_or(ExitCode::FAILURE, |e| fail(&e));
    }
    let plan = fix::plan(&report);
    for r in &plan.refused {
        eprintln!("not fixed: {r}");
    }
    let summary = |what: &str, done: &str| {
        eprintln!(
            "lemma {what}: {} number{} {done} in {} file{}, {} error{} left to you",
            plan.count(),
            plural(plan.count()),
            plan.files.len(),
            plural(plan.files.len()),
            plan.refused.len(),
            plural(plan.refused.len())
        );
    };
    if dry_run {
        write_stdout(plan.diff().as_bytes());
        summary("fix --dry-run", "to fix");
        return if plan.refused.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE };
    }
    if let Err(e) = plan.apply(dir) {
        return fail(&e);
    }
    for f in &plan.files {
        for (line, col, old, new) in &f.edits {
            eprintln!("fixed {}:{line}:{col}: {old} -> {new}", f.path);
        }
    }
    summary("fix", "fixed");
    if plan.refused.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn install(dir: &Path, force: bool) -> ExitCode {
    match install::install(dir, force) {
        Ok(done) => {
            eprint!("{}", done.describe());
            eprintln!("lemma is installed in `{}`: run `mdbook-lemma check` or `mdbook build`", dir.display());
            if done.kept_any() {
                eprintln!("note: files you changed were kept; the book uses them as they are");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
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
