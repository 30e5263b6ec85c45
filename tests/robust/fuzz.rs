//! The whole chapter pipeline (parse, eval, check, render, splice) on
//! adversarial input never panics, and keeps its invariants: on any error
//! the chapter is returned unchanged; every diagnostic points inside the
//! chapter, on character boundaries, and renders; emitted tables are one
//! line each.
//!
//! `cargo test` runs a few hundred cases. For a long run (cargo-fuzz needs a
//! nightly toolchain), set `LEMMA_FUZZ_CASES`, for example:
//! `LEMMA_FUZZ_CASES=200000 cargo test --release -p mdbook-lemma --test robust fuzz`.
//! `pipeline_never_panics` feeds token soup, deep nesting and random text;
//! `evaluation_never_panics` feeds well-formed programs with values at the
//! edges of f64, so that eval, the numeric core, checks and rendering run.

use mdbook_lemma::chapter;
use mdbook_lemma::diagnostics::{self, ChapterDiags};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("LEMMA_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(128);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Lemma-ish tokens besides the function names: syntax, names, numbers at
/// the edges.
const TOKENS: &[&str] = &[
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

/// The names of the functions lemma knows.
fn functions() -> Vec<&'static str> {
    mdbook_lemma::eval::FUNCTIONS.iter().map(|f| f.name()).collect()
}

fn soup() -> impl Strategy<Value = String> {
    // Every token equally likely, functions included.
    let weight = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let token = prop_oneof![
        weight(TOKENS.len()) => proptest::sample::select(TOKENS),
        weight(functions().len()) => proptest::sample::select(functions()),
    ];
    (prop::collection::vec(token, 0..30), any::<bool>())
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

/// Well-formed expressions, so that evaluation, checks and rendering are
/// reached (token soup mostly stops at a syntax error).
fn expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        proptest::sample::select(
            &[
                "0",
                "1",
                "-1",
                "0.5",
                "2",
                "3",
                "1e308",
                "1e-308",
                "5e-324",
                "1e15",
                "1e16",
                "0.1",
                "709.8",
                "-745",
                "1.7976931348623157e308",
                "9007199254740993",
                "z",
                "p",
                "x",
                "s",
                "labels",
                "[]",
                "[0]",
                "[1, 2, 3]",
                "[1e308, -1e308]",
                "[0.5, 0.5]",
                "[1, 0]",
                "[-1e300, 1e300]",
                "\"s\"",
                "[\"a\", \"b\"]",
                "range(0)",
                "range(3)",
                "range(10000)",
                "range(1000000)",
                "true",
            ][..]
        )
        .prop_map(str::to_string),
        (-1e6f64..1e6).prop_map(|v| format!("{v}")),
        any::<f64>().prop_filter("finite", |v| v.is_finite()).prop_map(|v| format!("{v:e}")),
    ];
    leaf.prop_recursive(6, 64, 4, |inner| {
        let f = proptest::sample::select(functions());
        let op = proptest::sample::select(&["+", "-", "*", "/", "^", "==", "!=", "<", "<=", ">", ">="][..]);
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(a, o, b)| format!("({a} {o} {b})")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (inner.clone(), inner.clone()).prop_map(|(a, i)| format!("{a}[{i}]")),
            (f.clone(), prop::collection::vec(inner.clone(), 0..3)).prop_map(|(f, a)| format!("{f}({})", a.join(", "))),
            (proptest::sample::select(&["softmax", "log_softmax", "logsumexp"][..]), inner.clone(), inner.clone())
                .prop_map(|(f, a, t)| format!("{f}({a}, T={t})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(z, y, t)| format!("cross_entropy({z}, {y}, T={t})")),
            prop::collection::vec(inner, 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
        ]
    })
}

fn stated() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(
            &[
                "0",
                "0.5",
                "0.500",
                "-0.5",
                "97.1%",
                "100.0%",
                "4.2e-18",
                "1e308",
                "1e-1000",
                "1e1000",
                "0.63 ± 0.01",
                "0.5 +- 0",
                "[0.5, 0.5]",
                "[0.090, 0.245, 0.665]",
                "[]",
                "1.000000000000000000000000001",
            ][..]
        )
        .prop_map(str::to_string),
        (-1e6f64..1e6, 0usize..20).prop_map(|(v, d)| format!("{v:.d$}")),
        (any::<f64>(), 0usize..20).prop_filter("finite", |(v, _)| v.is_finite()).prop_map(|(v, d)| format!("{v:.d$e}")),
    ]
}

fn format_option() -> impl Strategy<Value = String> {
    proptest::sample::select(
        &["", "; dp=0", "; dp=30", "; sig=1", "; sig=30", "; pct=0", "; pct=30", "; sci=1", "; sci=30"][..],
    )
    .prop_map(str::to_string)
}

/// A lemma block of statements and inline forms around it.
fn program() -> impl Strategy<Value = String> {
    let stmt = prop_oneof![
        (proptest::sample::select(&["x", "z", "p", "s", "labels"][..]), expr()).prop_map(|(n, e)| format!("{n} = {e}")),
        (expr(), stated(), format_option()).prop_map(|(e, s, f)| format!("check {e} ≈ {s}{f}")),
        expr().prop_map(|e| format!("check {e}")),
        (expr(), expr(), format_option()).prop_map(|(a, b, f)| format!("show {a} as \"a\", {b}{f}")),
        (expr(), expr(), format_option()).prop_map(|(a, b, f)| format!("show for r in {a}: r, {b}{f}")),
    ];
    let inline = prop_oneof![
        (expr(), format_option()).prop_map(|(e, f)| format!("{{{{lemma {e}{f}}}}}")),
        (expr(), stated()).prop_map(|(e, s)| format!("{{{{lemma {e} ≈ {s}}}}}")),
        expr().prop_map(|e| format!("`{{{{lemma y = {e}}}}}` and {{{{lemma y}}}}")),
    ];
    (prop::collection::vec(stmt, 0..6), prop::collection::vec(inline, 0..4), any::<bool>()).prop_map(
        |(stmts, inlines, echo)| {
            format!(
                "```lemma{}\nz = [2.0, 1.0, 0.5]\np = softmax(z)\nx = 0.5\ns = \"s\"\nlabels = [\"a\", \"b\", \"c\"]\n{}\n```\n\n{}\n",
                if echo { " echo" } else { "" },
                stmts.join("\n"),
                inlines.join("\n\n")
            )
        },
    )
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
    if out.diags.iter().any(|d| d.is_error()) {
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

    #[test]
    fn evaluation_never_panics(src in program()) {
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
