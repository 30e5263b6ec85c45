//! Writes synthetic books for benchmarking (see `BENCHMARKS.md`).
//!
//! ```sh
//! cargo run --release -p mdbook-lemma --example genbook -- OUT --chapters 111 --paragraphs 24
//! ```
//!
//! writes two books with the same chapters:
//!
//! - `OUT/lemma/`: prose with a lemma form in every paragraph (inline values,
//!   inline bindings, inline checks, values in inline code, and fenced blocks
//!   with bindings, checks and `show` tables), and a `book.toml` that runs
//!   the preprocessor through `--command` (default `mdbook-lemma`);
//! - `OUT/expanded/`: every chapter already run through
//!   [`mdbook_lemma::chapter::process`], and no preprocessor, so building it
//!   costs what mdBook alone costs for the same output.
//!
//! Every stated number is computed by the crate's own evaluator and rounding
//! rule, so both books build without errors; the generator checks this
//! (it fails if `chapter::process` reports any diagnostic).
//!
//! `--expand BOOK` writes instead `OUT/`: the book in `BOOK` with every
//! chapter run through `chapter::process`, its `theme/` copied, and its
//! `book.toml` without `[preprocessor.lemma]` (the lemma book's own
//! "already expanded" twin).
//!
//! `--dense N` writes instead one chapter, `OUT/dense.md`, of N short
//! paragraphs with one inline form each and no blocks: about 100 bytes per
//! form (10,000 forms make about 1 MB), for the scaling measurements.
//!
//! `--issue-dense` writes instead `OUT/lemma/` and `OUT/expanded/` with the
//! dense book of the speed issue: `--chapters` (default 120) chapters of
//! `--paragraphs` (default 20) paragraphs, each with four inline forms (a
//! binding of logits, their softmax checked against a stated vector, the
//! cross-entropy loss checked against a stated number, and the softmax at
//! `T=0.5` as a value), and every seventh paragraph a lemma block with a
//! binding, two checks and a three-column `show` (9,600 inline forms and
//! 240 blocks by default). Its `expanded/` twin keeps the preprocessor with
//! `unchecked-numbers = "allow"`, so that `mdbook-lemma build` of both
//! compares like with like (lemma scans the twin and finds no forms).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mdbook_lemma::chapter;
use mdbook_lemma::eval::{Env, Value};
use mdbook_lemma::format::Format;
use mdbook_lemma::parse::lang::{self, Stmt};
use mdbook_lemma::render;

const USAGE: &str = "usage: genbook OUT [--chapters N] [--paragraphs M] [--command CMD] | genbook OUT --issue-dense [--chapters N] [--paragraphs M] | genbook OUT --dense N | genbook OUT --expand BOOK";

/// Sentences of prose, picked pseudo-randomly so that paragraphs differ.
const PROSE: &[&str] = &[
    "A classifier ends in a handful of scores, one per class, and nothing forces them to be positive or to add up to one.",
    "Softmax raises e to each score and divides by the sum, so that the results look like a probability distribution.",
    "Because only differences between logits matter, adding the same constant to every logit leaves the output unchanged.",
    "Cross-entropy then measures how surprised the model is by the true class, in nats when we use the natural logarithm.",
    "A lower temperature sharpens the distribution towards the largest logit; a higher one flattens it towards uniform.",
    "The gradient of the loss with respect to the logits is the predicted distribution minus the one-hot target.",
    "In practice the exponentials are computed after subtracting the largest logit, which keeps them from overflowing.",
    "The entropy of the prediction tells how spread out it is, and it is largest when every class is equally likely.",
    "Reading the numbers closely, one sees that the top class takes most of the mass even when the logits are close.",
    "We write the logits as a vector and keep the classes in the same order throughout the chapter.",
    "None of this depends on the size of the network that produced the scores, only on the scores themselves.",
    "It is worth checking such claims by hand once, and then letting the build check them every time the text changes.",
];

const CLASSES: &[&str] = &["cat", "dog", "fox", "owl", "elk", "yak"];

/// A small deterministic generator (no dependency needed for this).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A logit with one decimal, in [-1.0, 3.0].
    fn logit(&mut self) -> f64 {
        (self.below(41) as f64 - 10.0) / 10.0
    }
}

/// Evaluates `expr` in `env` exactly as the preprocessor will.
fn eval(env: &Env, expr: &str) -> Value {
    let parsed = lang::parse_inline(expr).unwrap_or_else(|e| panic!("genbook wrote bad lemma `{expr}`: {}", e.message));
    let Stmt::Inline { expr: e, .. } = parsed.stmt else { unreachable!("parse_inline returns Stmt::Inline") };
    env.eval(&e).unwrap_or_else(|err| panic!("genbook wrote `{expr}`, which fails: {}", err.message))
}

/// The stated text that the check of `expr` at `dp` decimals accepts.
fn stated(env: &Env, expr: &str, dp: u8) -> String {
    render::value_text(&eval(env, expr), Format::Dp(dp))
}

fn vector_literal(rng: &mut Rng, n: usize) -> String {
    let xs: Vec<String> = (0..n).map(|_| format!("{:.1}", rng.logit())).collect();
    format!("[{}]", xs.join(", "))
}

fn prose(rng: &mut Rng, out: &mut String, sentences: usize) {
    for k in 0..sentences {
        if k > 0 {
            out.push(if k % 3 == 0 { '\n' } else { ' ' });
        }
        out.push_str(PROSE[rng.below(PROSE.len())]);
    }
}

/// One chapter of `paragraphs` paragraphs, each with a lemma form.
fn chapter_text(index: usize, paragraphs: usize) -> String {
    let mut rng = Rng(index as u64 * 7919 + 17);
    let mut env = Env::new();
    let mut out = format!("# Chapter {index}: scores and probabilities\n\n");
    // The chapter's first logits, bound in the first paragraph.
    let mut z = "z0".to_string();
    let mut n_classes = 3;
    for k in 0..paragraphs {
        let sentences = 2 + rng.below(3);
        prose(&mut rng, &mut out, sentences);
        out.push(' ');
        match k % 7 {
            0 => {
                n_classes = 3 + rng.below(CLASSES.len() - 2);
                z = format!("z{k}");
                let lit = vector_literal(&mut rng, n_classes);
                env.set(&z, eval(&env, &lit));
                let _ = write!(out, "Take the logits {{{{lemma {z} = {lit}}}}} for the classes at hand.");
            }
            1 => {
                let e = format!("softmax({z})");
                let _ = write!(out, "They become {{{{lemma {e} ≈ {}}}}} after softmax.", stated(&env, &e, 3));
            }
            2 => {
                let _ = write!(out, "The top class gets {{{{lemma softmax({z})[argmax({z})]; pct=1}}}} of the mass.");
            }
            3 => {
                let e = format!("cross_entropy({z}, 1)");
                let _ = write!(
                    out,
                    "If the true class is the second, the loss is {{{{lemma {e} ≈ {}}}}} nats.",
                    stated(&env, &e, 2)
                );
            }
            4 => {
                let p = format!("p{k}");
                let t = format!("t{k}");
                env.set(&p, eval(&env, &format!("softmax({z})")));
                env.set(&t, eval(&env, &format!("softmax({z}, T=2)")));
                let labels: Vec<String> = CLASSES[..n_classes].iter().map(|c| format!("\"{c}\"")).collect();
                let _ = write!(
                    out,
                    "In a table:\n\n```lemma\n{p} = softmax({z})\n{t} = softmax({z}, T=2)\ncheck {p} ≈ {}\ncheck sum({p}) ≈ 1.000\ncheck entropy({t}) > entropy({p})\nshow [{}] as \"class\", {z} as \"logit\", {p} as \"p\", {t} as \"p at T=2\"; dp=3\n```",
                    stated(&env, &p, 3),
                    labels.join(", "),
                );
            }
            5 => {
                let _ = write!(
                    out,
                    "In code, `max(z)` is `{{{{lemma max({z})}}}}` and the entropy is {{{{lemma entropy(softmax({z})); dp=3}}}} nats."
                );
            }
            _ => {
                let e = format!("logsumexp({z})");
                let _ = write!(
                    out,
                    "The log-partition is {{{{lemma {e} ≈ {}}}}}, at least the largest logit.",
                    stated(&env, &e, 2)
                );
            }
        }
        out.push_str("\n\n");
    }
    out
}

/// One chapter of the issue's dense book: `paragraphs` paragraphs of four
/// inline forms each (binding, checked softmax, checked loss, softmax at
/// `T=0.5`), and after every seventh a block with two checks and a
/// three-column table.
fn issue_chapter_text(index: usize, paragraphs: usize) -> String {
    let mut rng = Rng(index as u64 * 7919 + 17);
    let mut env = Env::new();
    let mut out = format!("# Chapter {index}: scores and probabilities\n\n");
    for k in 0..paragraphs {
        let n_classes = 3 + rng.below(CLASSES.len() - 2);
        let z = format!("z{k}");
        let lit = vector_literal(&mut rng, n_classes);
        env.set(&z, eval(&env, &lit));
        let sentences = 1 + rng.below(2);
        prose(&mut rng, &mut out, sentences);
        let p = format!("softmax({z})");
        let loss = format!("cross_entropy({z}, 1)");
        let _ = write!(
            out,
            " Take the logits {{{{lemma {z} = {lit}}}}}. They become {{{{lemma {p} ≈ {}}}}} after softmax; \
             if the true class is the second, the loss is {{{{lemma {loss} ≈ {}}}}} nats, \
             and at half the temperature the softmax is {{{{lemma softmax({z}, T=0.5); dp=3}}}}.",
            stated(&env, &p, 3),
            stated(&env, &loss, 2),
        );
        if k % 7 == 6 {
            let pk = format!("p{k}");
            env.set(&pk, eval(&env, &p));
            let labels: Vec<String> = CLASSES[..n_classes].iter().map(|c| format!("\"{c}\"")).collect();
            let _ = write!(
                out,
                "\n\n```lemma\n{pk} = {p}\ncheck {pk} ≈ {}\ncheck sum({pk}) ≈ 1.000\nshow [{}] as \"class\", {z} as \"logit\", {pk} as \"p\"; dp=3\n```",
                stated(&env, &pk, 3),
                labels.join(", "),
            );
        }
        out.push_str("\n\n");
    }
    out
}

/// One dense chapter: `n` one-line paragraphs with an inline form each.
fn dense_text(n: usize) -> String {
    let mut rng = Rng(42);
    let mut env = Env::new();
    let lit = vector_literal(&mut rng, 4);
    env.set("z", eval(&env, &lit));
    let mut out = format!("# Dense\n\nThe logits are {{{{lemma z = {lit}}}}}.\n\n");
    for k in 1..n {
        match k % 4 {
            0 => {
                let _ = write!(
                    out,
                    "Paragraph {k} says that the top probability is {{{{lemma softmax(z)[0]; dp=3}}}}, and no more than that."
                );
            }
            1 => {
                let _ = write!(
                    out,
                    "Paragraph {k} states that the loss is {{{{lemma cross_entropy(z, 1) ≈ {}}}}} nats for this class.",
                    stated(&env, "cross_entropy(z, 1)", 2)
                );
            }
            2 => {
                let _ = write!(
                    out,
                    "Paragraph {k} has, in inline code, `{{{{lemma max(z)}}}}` and then a few more plain words."
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "Paragraph {k} binds a new name {{{{lemma w{k} = sum(z) + {k}}}}} for no good reason at all."
                );
            }
        }
        out.push_str("\n\n");
    }
    out
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

/// `book.toml`, with `[preprocessor.lemma]` (and `extra` lines in it) when
/// there is a `command`.
fn book_toml(command: Option<&str>, extra: &str) -> String {
    let mut s = String::from(
        "[book]\ntitle = \"Synthetic lemma book\"\nlanguage = \"en\"\nsrc = \"src\"\n\n[build]\nbuild-dir = \"book\"\ncreate-missing = false\n",
    );
    if let Some(cmd) = command {
        let _ = write!(
            s,
            "\n[preprocessor.lemma]\ncommand = {}\nafter = [\"links\"]\nrenderers = [\"html\"]\noptional = false\n{extra}",
            toml_string(cmd)
        );
    }
    s
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// How the two books of `books` are written.
struct Shape {
    chapter: fn(usize, usize) -> String,
    /// `[preprocessor.lemma]` in the expanded twin too (with
    /// `unchecked-numbers = "allow"`), for in-process comparisons.
    twin_runs_lemma: bool,
}

fn books(out: &Path, chapters: usize, paragraphs: usize, command: &str, shape: &Shape) -> Result<(), String> {
    let mut summary = String::from("# Summary\n\n");
    let mut bytes = 0;
    let mut stats = chapter::Stats::default();
    let (mut inline_forms, mut blocks) = (0, 0);
    for i in 1..=chapters {
        let name = format!("chapter-{i:04}.md");
        let _ = writeln!(summary, "- [Chapter {i}](./{name})");
        let text = (shape.chapter)(i, paragraphs);
        let processed = chapter::process(&text);
        if !processed.diags.is_empty() {
            return Err(format!("chapter {i} does not pass: {:?}", processed.diags));
        }
        bytes += text.len();
        inline_forms += text.matches("{{lemma ").count();
        blocks += text.matches("```lemma\n").count();
        stats += processed.stats;
        write(&out.join("lemma/src").join(&name), &text).map_err(|e| e.to_string())?;
        write(&out.join("expanded/src").join(&name), &processed.content).map_err(|e| e.to_string())?;
    }
    let twin = if shape.twin_runs_lemma { Some(command) } else { None };
    for (book, cmd, extra) in [("lemma", Some(command), ""), ("expanded", twin, "unchecked-numbers = \"allow\"\n")] {
        write(&out.join(book).join("src/SUMMARY.md"), &summary).map_err(|e| e.to_string())?;
        write(&out.join(book).join("book.toml"), &book_toml(cmd, extra)).map_err(|e| e.to_string())?;
    }
    eprintln!(
        "genbook: {chapters} chapters, {bytes} bytes of Markdown, {} inline forms, {} blocks, {} values computed, {} numbers checked, {} checks held, {} tables, in {}",
        inline_forms,
        blocks,
        stats.computed,
        stats.checked,
        stats.asserted,
        stats.tables,
        out.display()
    );
    Ok(())
}

/// Copies `from` into `to`, running every Markdown file through
/// `chapter::process` when `process` is set.
fn copy_tree(from: &Path, to: &Path, process: bool) -> Result<(), String> {
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target, process)?;
        } else if process && path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let out = chapter::process(&text);
            if !out.diags.is_empty() {
                return Err(format!("{} does not pass: {:?}", path.display(), out.diags));
            }
            write(&target, &out.content).map_err(|e| e.to_string())?;
        } else {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            std::fs::write(&target, bytes).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Writes the expanded twin of the book in `book` into `out`.
fn expand(book: &Path, out: &Path) -> Result<(), String> {
    let toml_text = std::fs::read_to_string(book.join("book.toml")).map_err(|e| format!("book.toml: {e}"))?;
    let mut config: toml::Table = toml_text.parse().map_err(|e| format!("book.toml: {e}"))?;
    if let Some(toml::Value::Table(pre)) = config.get_mut("preprocessor") {
        pre.remove("lemma");
    }
    let src = config.get("book").and_then(|b| b.get("src")).and_then(|s| s.as_str()).unwrap_or("src").to_string();
    write(&out.join("book.toml"), &config.to_string()).map_err(|e| e.to_string())?;
    copy_tree(&book.join(&src), &out.join(&src), true)?;
    if book.join("theme").is_dir() {
        copy_tree(&book.join("theme"), &out.join("theme"), false)?;
    }
    eprintln!("genbook: {} expanded into {}", book.display(), out.display());
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out: Option<PathBuf> = None;
    let (mut chapters, mut paragraphs, mut dense, mut expand_from) = (None, None, None, None);
    let mut issue_dense = false;
    let mut command = "mdbook-lemma".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut num = |what: &str| -> Option<usize> {
            let v = it.next().and_then(|v| v.parse().ok());
            if v.is_none() {
                eprintln!("genbook: {what} needs a number\n{USAGE}");
            }
            v
        };
        match a.as_str() {
            "--chapters" => match num("--chapters") {
                Some(n) => chapters = Some(n),
                None => return ExitCode::from(2),
            },
            "--paragraphs" => match num("--paragraphs") {
                Some(n) => paragraphs = Some(n),
                None => return ExitCode::from(2),
            },
            "--dense" => match num("--dense") {
                Some(n) => dense = Some(n),
                None => return ExitCode::from(2),
            },
            "--issue-dense" => issue_dense = true,
            "--expand" => match it.next() {
                Some(b) => expand_from = Some(PathBuf::from(b)),
                None => {
                    eprintln!("genbook: --expand needs a book directory\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--command" => match it.next() {
                Some(c) => command = c.clone(),
                None => {
                    eprintln!("genbook: --command needs a value\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            _ if out.is_none() && !a.starts_with('-') => out = Some(PathBuf::from(a)),
            _ => {
                eprintln!("genbook: unexpected `{a}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match (dense, expand_from) {
        (_, Some(book)) => expand(&book, &out),
        (Some(n), None) => {
            let text = dense_text(n);
            let processed = chapter::process(&text);
            if processed.diags.is_empty() {
                eprintln!("genbook: dense chapter of {n} forms, {} bytes, in {}", text.len(), out.display());
                write(&out.join("dense.md"), &text).map_err(|e| e.to_string())
            } else {
                Err(format!("the dense chapter does not pass: {:?}", processed.diags))
            }
        }
        (None, None) if issue_dense => {
            let shape = Shape { chapter: issue_chapter_text, twin_runs_lemma: true };
            books(&out, chapters.unwrap_or(120), paragraphs.unwrap_or(20), &command, &shape)
        }
        (None, None) => {
            let shape = Shape { chapter: chapter_text, twin_runs_lemma: false };
            books(&out, chapters.unwrap_or(111), paragraphs.unwrap_or(24), &command, &shape)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("genbook: {e}");
            ExitCode::FAILURE
        }
    }
}
