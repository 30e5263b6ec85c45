//! The lemma language's tests.

use super::*;

/// Parses a statement and prints a compact S-expression, or the error.
fn check(src: &str, expect: &str) {
    let got = match parse_statement(src) {
        Ok(None) => "nothing".to_string(),
        Ok(Some(p)) => show_parsed(src, &p),
        Err(e) => format!("error {}..{}: {}", e.range.start, e.range.end, e.message),
    };
    assert_eq!(got, expect, "parsing {src:?}");
}

fn check_inline(src: &str, expect: &str) {
    let got = match parse_inline(src) {
        Ok(p) => show_parsed(src, &p),
        Err(e) => format!("error {}..{}: {}", e.range.start, e.range.end, e.message),
    };
    assert_eq!(got, expect, "parsing inline {src:?}");
}

fn show_parsed(src: &str, p: &Parsed) -> String {
    let stmt = match &p.stmt {
        Stmt::Let { name, expr, .. } => format!("(let {name} {})", sx(expr)),
        Stmt::Check { expr, stated } => format!("(check {}{})", sx(expr), st(stated)),
        Stmt::Show { rows, columns } => {
            let r = rows.as_ref().map(|(v, e)| format!("for {v} in {} ", sx(e))).unwrap_or_default();
            let cols: Vec<String> = columns
                .iter()
                .map(|c| {
                    let f = c.format.map(|f| format!(" {f:?}")).unwrap_or_default();
                    format!("{} as {:?}{f}", sx(&c.expr), c.label)
                })
                .collect();
            format!("(show {r}{})", cols.join(", "))
        }
        Stmt::Inline { bind, expr, stated } => {
            let b = bind.as_ref().map(|(n, _)| format!("{n} = ")).unwrap_or_default();
            format!("(inline {b}{}{})", sx(expr), st(stated))
        }
        Stmt::Widget { call } => format!("(widget {})", sx(call)),
    };
    let _ = src;
    match p.format {
        Some(f) => format!("{stmt} {f:?}"),
        None => stmt,
    }
}

fn st(s: &Option<StatedValue>) -> String {
    match s {
        None => String::new(),
        Some(s) => {
            let items: Vec<&str> = s.items.iter().map(|(x, _)| x.text.as_str()).collect();
            let tol = s.tolerance.as_ref().map(|(t, _)| format!(" ± {}", t.text)).unwrap_or_default();
            if s.is_vector {
                format!(" ≈ [{}]{tol}", items.join(" "))
            } else {
                format!(" ≈ {}{tol}", items.join(" "))
            }
        }
    }
}

fn sx(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Num(v) => format!("{v}"),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Name(n) => n.clone(),
        ExprKind::Vector(v) => format!("[{}]", v.iter().map(sx).collect::<Vec<_>>().join(" ")),
        ExprKind::Neg(x) => format!("(- {})", sx(x)),
        ExprKind::Binary(op, a, b) => format!("({} {} {})", op.symbol(), sx(a), sx(b)),
        ExprKind::Index(a, i) => format!("{}[{}]", sx(a), sx(i)),
        ExprKind::Call { name, args, kwargs, .. } => {
            let mut parts: Vec<String> = args.iter().map(sx).collect();
            parts.extend(kwargs.iter().map(|(k, v)| format!("{k}={}", sx(v))));
            format!("{name}({})", parts.join(" "))
        }
    }
}

#[test]
fn statements() {
    check("", "nothing");
    check("   # a comment", "nothing");
    check("z = [2.0, 1.0, 0.5]", "(let z [2 1 0.5])");
    check("p = softmax(z, T=0.5)  # comment", "(let p softmax(z T=0.5))");
    check("x = -2^2", "(let x (- (^ 2 2)))");
    check("x = 2^-1", "(let x (^ 2 (- 1)))");
    check("x = 1 - 2 - 3", "(let x (- (- 1 2) 3))");
    check("x = 1 + 2 * 3 / 4", "(let x (+ 1 (/ (* 2 3) 4)))");
    check("x = p[0] * (1 + 2)", "(let x (* p[0] (+ 1 2)))");
    check("x = 4.2e-18", "(let x 0.0000000000000000042)");
    check("check p[0] ≈ 0.659", "(check p[0] ≈ 0.659)");
    check("check p ~= [0.659, 0.242, 0.099]", "(check p ≈ [0.659 0.242 0.099])");
    check("check p[0] ≈ 97.8%", "(check p[0] ≈ 97.8%)");
    check("check x ≈ -4.3e-18", "(check x ≈ -4.3e-18)");
    check("check x ≈ 0.63 ± 0.01", "(check x ≈ 0.63 ± 0.01)");
    check("check x ≈ 0.63 +- 0.01", "(check x ≈ 0.63 ± 0.01)");
    check("check argmax(p) == 0", "(check (== argmax(p) 0))");
    check("check a <= b", "(check (<= a b))");
    check("show z as \"logit\", exp(z), p; dp=3", "(show z as \"logit\", exp(z) as \"exp(z)\", p as \"p\") Dp(3)");
    check(
        "show for t in [0.5, 1]: t, softmax(z, T=t)[0]",
        "(show for t in [0.5 1] t as \"t\", softmax(z T=t)[0] as \"softmax(z, T=t)[0]\")",
    );
    check("labels = [\"cat\", \"dog\"]", "(let labels [\"cat\" \"dog\"])");
    check("check = 3", "(let check 3)");
    check("x = ", "error 4..4: expected an expression, found end of input");
    check("x = 1 2", "error 6..7: expected end of statement, found `2`");
    check("x = (1", "error 6..6: expected `)` to close the parenthesis, found end of input");
    check("x = 1 $ 2", "error 6..7: unexpected character `$`");
    check("x = \"abc", "error 4..8: unterminated string");
    check("check x ≈ abc", "error 12..15: expected a stated number such as `0.629`, `97.1%` or `4.2e-18`, found `abc`");
    check("show t as \"T\": dp=1, p: auto; dp=3", "error 28..29: expected `=` after the option name, found `;`");
    check("show t as \"T\": dp=1, p; dp=3", "(show t as \"T\" Dp(1), p as \"p\") Dp(3)");
    check("show x; dp=2, sig=3", "error 14..17: more than one number format given");
    check("show x; digits=2", "error 8..14: unknown option `digits` (expected dp, sig, pct or sci)");
    check("f(a=1, 2)", "error 0..1: expected a statement (`NAME = EXPR`, `check ...` or `show ...`), found `f`");
    check("x = f(a=1, 2)", "error 11..12: positional argument after a keyword argument, found `2`");
    check("x = 1.2.3", "error 4..9: `1.2.3` is not a number");
    check("widget softmax(z, T=0.5, y=1)", "(widget softmax(z T=0.5 y=1))");
    check("widget = 2", "(let widget 2)");
    check("widget", "error 6..6: expected an expression, found end of input");
}

#[test]
fn inline_forms() {
    check_inline("p[0]", "(inline p[0])");
    check_inline("p0 = p[0]", "(inline p0 = p[0])");
    check_inline("softmax([1.0, 2.0, 3.0]) ≈ [0.090, 0.245, 0.665]", "(inline softmax([1 2 3]) ≈ [0.090 0.245 0.665])");
    check_inline("p[0]; pct=1", "(inline p[0]) Pct(1)");
    check_inline("a < b", "(inline (< a b))");
    check_inline("", "error 0..0: expected an expression, found end of input");
}
