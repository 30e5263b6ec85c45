//! The whole chapter pipeline (parse, eval, check, render, splice) on
//! adversarial input never panics, and keeps its invariants: on any error
//! the chapter is returned unchanged; every diagnostic points inside the
//! chapter, on character boundaries, and renders; emitted tables are one
//! line each.
//!
//! `cargo test` runs a few hundred cases. For a long run (cargo-fuzz needs a
//! nightly toolchain), set `LEMMA_FUZZ_CASES`, for example:
//! `LEMMA_FUZZ_CASES=200000 cargo test --release -p mdbook-lemma --test robust fuzz`.

use mdbook_lemma::chapter;
use mdbook_lemma::diagnostics::{self, ChapterDiags};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("LEMMA_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(128);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Lemma-ish tokens: syntax, names, functions, numbers at the edges.
const TOKENS: &[&str] = &[
    "softmax",
    "log_softmax",
    "logsumexp",
    "cross_entropy",
    "entropy",
    "exp",
    "ln",
    "log2",
    "log10",
    "sqrt",
    "abs",
    "sum",
    "mean",
    "max",
    "min",
    "argmax",
    "argmin",
    "len",
    "range",
    "sofmax",
    "(",
    ")",
    "[",
    "]",
    ",",
    "=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "^",
    "%",
    "≈",
    "~=",
    "±",
    "+-",
    ";",
    ":",
    "dp=3",
    "sig=2",
    "pct=1",
    "sci=2",
    "dp=30",
    "dp=31",
    "sig=0",
    "T=",
    "T=0",
    "T=1e-300",
    "check",
    "show",
    "for",
    "in",
    "as",
    "x",
    "y",
    "z",
    "p",
    "x =",
    "z = [2.0, 1.0, 0.5]",
    "p = softmax(z)",
    "\"s\"",
    "\"<b>\"",
    "\"a`b\"",
    "\"}}\"",
    "\"",
    "\\",
    "#",
    "0",
    "1",
    "-1",
    "0.5",
    "0.629",
    "97.1%",
    "1e308",
    "1e-308",
    "5e-324",
    "1e400",
    "1e-400",
    "10^400",
    "1.7976931348623157e308",
    "0.1",
    "1e15",
    "9007199254740993",
    "1e-2147483648",
    "1.2.3",
    ".5",
    "5.",
    "0.63 ± 0.01",
    "[0.629, 0.231, 0.140]",
    "range(1000000)",
    "range(10001)",
    "x[0]",
    "x[-1]",
    "x[1e20]",
    "{{lemma",
    "}}",
    "\\{{lemma",
    "```",
    "~~~",
    "\n",
    "\r\n",
    "\r",
    "> ",
    "- ",
    "|",
    "\t",
    "é",
    "✓",
    "\u{feff}",
    "\u{0}",
];

fn soup() -> impl Strategy<Value = String> {
    (prop::collection::vec(proptest::sample::select(TOKENS), 0..30), any::<bool>())
        .prop_map(|(toks, spaced)| toks.join(if spaced { " " } else { "" }))
}

fn nested() -> impl Strategy<Value = String> {
    let open = proptest::sample::select(&["(", "[", "-", "2^", "len([", "softmax(", "x[", "[1, "][..]);
    (prop::collection::vec(open, 0..300), any::<bool>()).prop_map(|(opens, close)| {
        let mut s: String = opens.concat();
        s.push('1');
        if close {
            for o in opens.iter().rev() {
                s.push_str(match *o {
                    "(" | "softmax(" => ")",
                    "[" | "x[" | "[1, " => "]",
                    "len([" => "])",
                    _ => "",
                });
            }
        }
        s
    })
}

/// Text for a form, wrapped as an inline form, a block, or a block in a
/// container, among Markdown.
fn chapter() -> impl Strategy<Value = String> {
    let body = prop_oneof![
        3 => soup(),
        1 => nested(),
        1 => any::<String>(),
        1 => prop::collection::vec(any::<u8>(), 0..60).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ];
    let part = (body, 0usize..8).prop_map(|(b, wrap)| match wrap {
        0 => format!("text {{{{lemma {b}}}}} more\n"),
        1 => format!("```lemma\n{b}\n```\n"),
        2 => format!("```lemma echo\n{}\n```\n", b.replace(';', "\n")),
        3 => format!("> ```lemma\n> {}\n> ```\n", b.replace('\n', "\n> ")),
        4 => format!("- item\n\n  ```lemma\n  {b}\n  ```\n"),
        5 => format!("| a |\n|---|\n| {{{{lemma {b}}}}} |\n"),
        6 => format!("`{{{{lemma {b}}}}}`\n"),
        _ => b,
    });
    prop::collection::vec(part, 1..6).prop_map(|parts| parts.concat())
}

fn check(src: &str) -> Result<(), TestCaseError> {
    let out = chapter::process(src);
    if !out.diags.is_empty() {
        prop_assert_eq!(&out.content, src, "an error must leave the chapter as it was");
    }
    for d in &out.diags {
        prop_assert!(d.range.start <= d.range.end && d.range.end <= src.len(), "range {:?} outside", d.range);
        prop_assert!(src.is_char_boundary(d.range.start) && src.is_char_boundary(d.range.end), "{:?}", d.range);
        prop_assert!(!d.message.is_empty());
    }
    let shown = ChapterDiags { path: "c.md".into(), content: src.into(), file: None, diags: out.diags.clone() };
    let _ = diagnostics::to_string(&[shown]);
    for (i, _) in out.content.match_indices("<div class=\"lemma-table\">") {
        let rest = &out.content[i..];
        let end = rest.find("</table></div>").map(|e| e + "</table></div>".len());
        prop_assert!(end.is_some_and(|e| !rest[..e].contains('\n')), "a table spans lines");
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn pipeline_never_panics(src in chapter()) {
        check(&src)?;
    }
}

/// Inputs the fuzzer found or that sit at an edge, kept as named cases.
#[test]
fn fuzz_regressions() {
    for src in [
        "{{lemma \u{feff}}}",
        "{{lemma \"\\\u{0}\"}}",
        "```lemma\n\r\n```\n",
        "> ```lemma\n> x = \"\r\n> ```\n",
        "{{lemma 0.1 ≈ 1e-2147483648}}",
        "{{lemma 1 ≈ 1e1000}} {{lemma 1 ≈ 1e-1000}} {{lemma 1 ≈ 1e1001}}",
        "{{lemma 5e-324 ≈ 0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000049}}",
        "{{lemma softmax(z, T=1e-300)}}",
        "{{lemma x[1e20]}}",
    ] {
        check(src).expect("holds");
    }
}
