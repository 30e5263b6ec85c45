//! The lemma language's tests: one table of statements and inline forms,
//! each printed as a compact S-expression or as its error, in one snapshot
//! (`UPDATE_EXPECT=1 cargo test` rewrites it).

use expect_test::expect;

use super::*;

/// Statements (one line of a lemma block).
const STATEMENTS: &[&str] = &[
    "",
    "   # a comment",
    "z = [2.0, 1.0, 0.5]",
    "p = softmax(z, T=0.5)  # comment",
    "x = -2^2",
    "x = 2^-1",
    "x = 1 - 2 - 3",
    "x = 1 + 2 * 3 / 4",
    "x = p[0] * (1 + 2)",
    "x = 4.2e-18",
    "check p[0] ≈ 0.659",
    "check p ~= [0.659, 0.242, 0.099]",
    "check p[0] ≈ 97.8%",
    "check x ≈ -4.3e-18",
    "check x ≈ 0.63 ± 0.01",
    "check x ≈ 0.63 +- 0.01",
    "check argmax(p) == 0",
    "check a <= b",
    "show z as \"logit\", exp(z), p; dp=3",
    "show for t in [0.5, 1]: t, softmax(z, T=t)[0]",
    "labels = [\"cat\", \"dog\"]",
    "check = 3",
    "x = ",
    "x = 1 2",
    "x = (1",
    "x = 1 $ 2",
    "x = \"abc",
    "check x ≈ abc",
    "show t as \"T\": dp=1, p: auto; dp=3",
    "show t as \"T\": dp=1, p; dp=3",
    "show x; dp=2, sig=3",
    "show x; digits=2",
    "f(a=1, 2)",
    "x = f(a=1, 2)",
    "x = 1.2.3",
    "widget softmax(z, T=0.5, y=1)",
    "widget = 2",
    "widget",
    // Numbers.
    "x = 1e400",
    "x = 1e-400",
    "x = 1e99999999999",
    "x = 0e-400",
    "x = -0",
    "x = 0.5.4",
    "x = .5",
    "x = 5.",
    "x = 1E3 + 1e+3",
    "x = 1e",
    "x = 1e-",
    "x = −1",
    // Stated numbers.
    "check x ≈ 1e400",
    "check x ≈ 1e1000",
    "check x ≈ 1e1001",
    "check x ≈ 1e99999999999",
    "check x ≈ -0",
    "check x ≈ 0.5.4",
    "check x ≈ −0.5",
    "check x ≈ 1e-5%",
    "check x ≈ - 0.5",
    "check x ≈ [0.5, -0.25]",
    "check x ≈ []",
    "check x ≈ [0.5,]",
    "check x ~= 0.5",
    "check x ~ = 0.5",
    "check x ≈≈ 0.5",
    "check x ≈",
    "x ≈ 0.5",
    // Tolerances.
    "check x ≈ 0.63 ± 0",
    "check x ≈ 0.63 ± 0.0",
    "check x ≈ 0.63 ± -0.1",
    "check x ≈ 0.63 ± - 0.1",
    "check x ≈ 0.63 +- -0.1",
    "check x ≈ 0.63 ± -0",
    "check x ≈ 0.63 ± +0.1",
    "check x ≈ 0.63 ± −0.1",
    "check x ≈ 0.63 ± 1%",
    "check x ≈ 0.63 ± 1e-3",
    "check x ≈ 0.63 ± 1e400",
    "check x ≈ 0.63 + - 0.01",
    "check x ≈ [0.1, 0.2] ± 0.01",
    "check x ≈ 0.63 ±",
    "check x ≈ 0.63 ± 0.01 ± 0.02",
    "check x ≈ ± 0.01",
    "check x == 0.63 ± 0.01",
    // Options.
    "show x; dp=30",
    "show x; dp=31",
    "show x; dp=1.5",
    "show x; sig=0",
    "show x; sci=0",
    "show x; pct=0",
    "show x; dp=-1",
    "show x;",
    // Nesting: 99 signs and the number are 100 levels.
    "x = ---------------------------------------------------------------------------------------------------1",
    "x = ----------------------------------------------------------------------------------------------------1",
];

/// Inline forms (what stands between `{{lemma` and `}}`).
const INLINE: &[&str] = &[
    "p[0]",
    "p0 = p[0]",
    "z[0:2]",
    "z[:k][1]",
    "z[1:]",
    "z[:]",
    "z[0:",
    "softmax([1.0, 2.0, 3.0]) ≈ [0.090, 0.245, 0.665]",
    "p[0]; pct=1",
    "a < b",
    "",
    "p ~= 0.5",
    "p ≈ 0.5 ± 0",
    "p ≈ 0.5 ± -0.1",
    "p ≈ 0.5 ± 0.1; dp=2",
    "p0 = p[0] ≈ 0.5",
    "p = ",
];

/// Each case, then what it parses to, indented.
fn table(cases: &[&str], tag: &str, parse: impl Fn(&str) -> Result<Option<Parsed>, Diag>) -> String {
    let mut out = String::new();
    for src in cases {
        let got = match parse(src) {
            Ok(None) => "nothing".to_string(),
            Ok(Some(p)) => show_parsed(&p),
            Err(e) => {
                assert_eq!((e.is_error(), e.label.as_str()), (true, SYNTAX_ERROR), "{src:?}");
                // The only notes are the hints of `parse_statement`.
                let hint = |n: &String| n.starts_with("a statement is one line") || n.starts_with("did you mean");
                assert!(e.notes.iter().all(hint), "{src:?}: {:?}", e.notes);
                format!("error {}..{}: {}", e.range.start, e.range.end, e.message)
            }
        };
        out += &format!("{tag}{src:?}\n    {got}\n");
    }
    out
}

fn show_parsed(p: &Parsed) -> String {
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
        Stmt::Plot { call } => format!("(plot {})", sx(call)),
    };
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
            let tol = s.tolerance.as_ref().map(|t| format!(" ± {}", t.0.text)).unwrap_or_default();
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
        ExprKind::Name(n) => n.to_string(),
        ExprKind::Vector(v) => format!("[{}]", v.iter().map(sx).collect::<Vec<_>>().join(" ")),
        ExprKind::Neg(x) => format!("(- {})", sx(x)),
        ExprKind::Binary(op, a, b) => format!("({} {} {})", op.symbol(), sx(a), sx(b)),
        ExprKind::Index(a, i) => format!("{}[{}]", sx(a), sx(i)),
        ExprKind::Slice(a, f, t) => {
            format!(
                "{}[{}:{}]",
                sx(a),
                f.as_deref().map(sx).unwrap_or_default(),
                t.as_deref().map(sx).unwrap_or_default()
            )
        }
        ExprKind::Call { name, args, kwargs, .. } => {
            let mut parts: Vec<String> = args.iter().map(sx).collect();
            parts.extend(kwargs.iter().map(|(k, v)| format!("{k}={}", sx(v))));
            format!("{name}({})", parts.join(" "))
        }
    }
}

#[test]
fn statements_and_inline_forms() {
    let got = table(STATEMENTS, "", parse_statement) + &table(INLINE, "inline ", |s| parse_inline(s).map(Some));
    expect![[r#"
        ""
            nothing
        "   # a comment"
            nothing
        "z = [2.0, 1.0, 0.5]"
            (let z [2 1 0.5])
        "p = softmax(z, T=0.5)  # comment"
            (let p softmax(z T=0.5))
        "x = -2^2"
            (let x (- (^ 2 2)))
        "x = 2^-1"
            (let x (^ 2 (- 1)))
        "x = 1 - 2 - 3"
            (let x (- (- 1 2) 3))
        "x = 1 + 2 * 3 / 4"
            (let x (+ 1 (/ (* 2 3) 4)))
        "x = p[0] * (1 + 2)"
            (let x (* p[0] (+ 1 2)))
        "x = 4.2e-18"
            (let x 0.0000000000000000042)
        "check p[0] ≈ 0.659"
            (check p[0] ≈ 0.659)
        "check p ~= [0.659, 0.242, 0.099]"
            (check p ≈ [0.659 0.242 0.099])
        "check p[0] ≈ 97.8%"
            (check p[0] ≈ 97.8%)
        "check x ≈ -4.3e-18"
            (check x ≈ -4.3e-18)
        "check x ≈ 0.63 ± 0.01"
            (check x ≈ 0.63 ± 0.01)
        "check x ≈ 0.63 +- 0.01"
            (check x ≈ 0.63 ± 0.01)
        "check argmax(p) == 0"
            (check (== argmax(p) 0))
        "check a <= b"
            (check (<= a b))
        "show z as \"logit\", exp(z), p; dp=3"
            (show z as "logit", exp(z) as "exp(z)", p as "p") Dp(3)
        "show for t in [0.5, 1]: t, softmax(z, T=t)[0]"
            (show for t in [0.5 1] t as "t", softmax(z T=t)[0] as "softmax(z, T=t)[0]")
        "labels = [\"cat\", \"dog\"]"
            (let labels ["cat" "dog"])
        "check = 3"
            (let check 3)
        "x = "
            error 4..4: expected an expression, found end of input
        "x = 1 2"
            error 6..7: expected end of statement, found `2`
        "x = (1"
            error 6..6: expected `)` to close the parenthesis, found end of input
        "x = 1 $ 2"
            error 6..7: unexpected character `$`
        "x = \"abc"
            error 4..8: unterminated string
        "check x ≈ abc"
            error 12..15: expected a stated number such as `0.629`, `97.1%` or `4.2e-18`, found `abc`
        "show t as \"T\": dp=1, p: auto; dp=3"
            error 28..29: expected `=` after the option name, found `;`
        "show t as \"T\": dp=1, p; dp=3"
            (show t as "T" Dp(1), p as "p") Dp(3)
        "show x; dp=2, sig=3"
            error 14..17: more than one number format given
        "show x; digits=2"
            error 8..14: unknown option `digits` (expected dp, sig, pct or sci)
        "f(a=1, 2)"
            error 0..1: expected a statement (`NAME = EXPR`, `check ...` or `show ...`), found `f`
        "x = f(a=1, 2)"
            error 11..12: positional argument after a keyword argument, found `2`
        "x = 1.2.3"
            error 4..9: `1.2.3` is not a number
        "widget softmax(z, T=0.5, y=1)"
            (widget softmax(z T=0.5 y=1))
        "widget = 2"
            (let widget 2)
        "widget"
            error 6..6: expected an expression, found end of input
        "x = 1e400"
            (let x inf)
        "x = 1e-400"
            error 4..10: `1e-400` is too small for a 64-bit float: it would be 0
        "x = 1e99999999999"
            (let x inf)
        "x = 0e-400"
            (let x 0)
        "x = -0"
            (let x (- 0))
        "x = 0.5.4"
            error 4..9: `0.5.4` is not a number
        "x = .5"
            (let x 0.5)
        "x = 5."
            (let x 5)
        "x = 1E3 + 1e+3"
            (let x (+ 1000 1000))
        "x = 1e"
            error 5..6: expected end of statement, found `e`
        "x = 1e-"
            error 5..6: expected end of statement, found `e`
        "x = −1"
            error 4..7: unexpected character `−`
        "check x ≈ 1e400"
            (check x ≈ 1e400)
        "check x ≈ 1e1000"
            (check x ≈ 1e1000)
        "check x ≈ 1e1001"
            error 12..18: `1e1001` is not a stated number (a decimal, a percentage or scientific)
        "check x ≈ 1e99999999999"
            error 12..25: `1e99999999999` is not a stated number (a decimal, a percentage or scientific)
        "check x ≈ -0"
            (check x ≈ -0)
        "check x ≈ 0.5.4"
            error 12..17: `0.5.4` is not a number
        "check x ≈ −0.5"
            error 12..15: unexpected character `−`
        "check x ≈ 1e-5%"
            error 12..17: `1e-5%` is not a stated number (a decimal, a percentage or scientific)
        "check x ≈ - 0.5"
            (check x ≈ -0.5)
        "check x ≈ [0.5, -0.25]"
            (check x ≈ [0.5 -0.25])
        "check x ≈ []"
            error 13..14: expected a stated number such as `0.629`, `97.1%` or `4.2e-18`, found `]`
        "check x ≈ [0.5,]"
            error 17..18: expected a stated number such as `0.629`, `97.1%` or `4.2e-18`, found `]`
        "check x ~= 0.5"
            (check x ≈ 0.5)
        "check x ~ = 0.5"
            error 8..9: unexpected character `~`
        "check x ≈≈ 0.5"
            error 11..14: expected a stated number such as `0.629`, `97.1%` or `4.2e-18`, found `≈`
        "check x ≈"
            error 11..11: expected a stated number such as `0.629`, `97.1%` or `4.2e-18`, found end of input
        "x ≈ 0.5"
            error 0..1: expected a statement (`NAME = EXPR`, `check ...` or `show ...`), found `x`
        "check x ≈ 0.63 ± 0"
            (check x ≈ 0.63 ± 0)
        "check x ≈ 0.63 ± 0.0"
            (check x ≈ 0.63 ± 0.0)
        "check x ≈ 0.63 ± -0.1"
            error 20..24: a tolerance cannot be negative
        "check x ≈ 0.63 ± - 0.1"
            error 20..25: a tolerance cannot be negative
        "check x ≈ 0.63 +- -0.1"
            error 20..24: a tolerance cannot be negative
        "check x ≈ 0.63 ± -0"
            error 20..22: a tolerance cannot be negative
        "check x ≈ 0.63 ± +0.1"
            error 20..21: expected a stated number such as `0.629`, `97.1%` or `4.2e-18`, found `+`
        "check x ≈ 0.63 ± −0.1"
            error 20..23: unexpected character `−`
        "check x ≈ 0.63 ± 1%"
            (check x ≈ 0.63 ± 1%)
        "check x ≈ 0.63 ± 1e-3"
            (check x ≈ 0.63 ± 1e-3)
        "check x ≈ 0.63 ± 1e400"
            (check x ≈ 0.63 ± 1e400)
        "check x ≈ 0.63 + - 0.01"
            (check x ≈ 0.63 ± 0.01)
        "check x ≈ [0.1, 0.2] ± 0.01"
            (check x ≈ [0.1 0.2] ± 0.01)
        "check x ≈ 0.63 ±"
            error 19..19: expected a stated number such as `0.629`, `97.1%` or `4.2e-18`, found end of input
        "check x ≈ 0.63 ± 0.01 ± 0.02"
            error 25..27: expected end of statement, found `±`
        "check x ≈ ± 0.01"
            error 12..14: expected a stated number such as `0.629`, `97.1%` or `4.2e-18`, found `±`
        "check x == 0.63 ± 0.01"
            error 16..18: expected end of statement, found `±`
        "show x; dp=30"
            (show x as "x") Dp(30)
        "show x; dp=31"
            error 11..13: `dp` takes a whole number of digits from 0 to 30, found `31`
        "show x; dp=1.5"
            error 11..14: `dp` takes a whole number of digits from 0 to 30, found `1.5`
        "show x; sig=0"
            error 12..13: `sig` needs at least 1 digit
        "show x; sci=0"
            error 12..13: `sci` needs at least 1 digit
        "show x; pct=0"
            (show x as "x") Pct(0)
        "show x; dp=-1"
            error 11..12: `dp` takes a whole number of digits from 0 to 30, found `-`
        "show x;"
            error 7..7: expected an option such as `dp=3`, found end of input
        "x = ---------------------------------------------------------------------------------------------------1"
            (let x (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- (- 1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
        "x = ----------------------------------------------------------------------------------------------------1"
            error 104..105: this expression is nested more than 100 levels deep
        inline "p[0]"
            (inline p[0])
        inline "p0 = p[0]"
            (inline p0 = p[0])
        inline "z[0:2]"
            (inline z[0:2])
        inline "z[:k][1]"
            (inline z[:k][1])
        inline "z[1:]"
            (inline z[1:])
        inline "z[:]"
            (inline z[:])
        inline "z[0:"
            error 4..4: expected an expression, found end of input
        inline "softmax([1.0, 2.0, 3.0]) ≈ [0.090, 0.245, 0.665]"
            (inline softmax([1 2 3]) ≈ [0.090 0.245 0.665])
        inline "p[0]; pct=1"
            (inline p[0]) Pct(1)
        inline "a < b"
            (inline (< a b))
        inline ""
            error 0..0: expected an expression, found end of input
        inline "p ~= 0.5"
            (inline p ≈ 0.5)
        inline "p ≈ 0.5 ± 0"
            (inline p ≈ 0.5 ± 0)
        inline "p ≈ 0.5 ± -0.1"
            error 13..17: a tolerance cannot be negative
        inline "p ≈ 0.5 ± 0.1; dp=2"
            (inline p ≈ 0.5 ± 0.1) Dp(2)
        inline "p0 = p[0] ≈ 0.5"
            (inline p0 = p[0] ≈ 0.5)
        inline "p = "
            error 4..4: expected an expression, found end of input
    "#]].assert_eq(&got);
}

/// Fragments of inline forms around a stated value or a bound vector,
/// glued at random by the property below: what the shortcuts read, and
/// everything that must send a form through the full parse instead.
const STATED_PIECES: &[&str] = &[
    "p",
    "x = ",
    "softmax(z)",
    "z[0]",
    " ",
    "\t",
    "\n",
    "≈",
    "~=",
    "~",
    "[",
    "]",
    ",",
    "-",
    "- ",
    "0",
    "5",
    "12",
    ".",
    "0.5",
    ".25",
    "5.",
    "1.2.3",
    "%",
    " %",
    "e3",
    "1e-3",
    "±",
    "+-",
    "; dp=2",
    ";",
    "#",
    "# note",
    "\"≈\"",
    "−",
    "×",
    "(",
    ")",
    "a",
    "1,5",
    "z0",
    " = ",
    "=",
    "==",
    "_q",
    "0.000000000000001",
    "1234567890123456",
    "[0]",
    "9",
    "softmax",
    "(",
    "z, ",
    "T=",
    "T = 0.5",
    "k=1",
    ")",
    "f()",
    "g(x)",
    "; dp=3",
    "; sig=0",
    "; pct=31",
    "; dp=03",
    "; sci=2",
    "; DP=2",
    "[z]",
    "=0.5",
    " ≈ [0.1, 0.9]",
];

/// Checks that [`stmt::inline`] (with its shortcuts) and
/// [`stmt::inline_full`] give the same parse or the same error.
fn same_as_full(src: &str) -> Result<(), String> {
    let (short, full) = (stmt::inline(src), stmt::inline_full(src));
    if short == full { Ok(()) } else { Err(format!("{src:?}: shortcut {short:?}\nfull {full:?}")) }
}

#[test]
fn the_shortcuts_parse_as_the_full_parse() {
    let cases = [
        "p ≈ 0.5",
        "p ≈ [0.1, 0.2 ,0.7 ]  ",
        "x = softmax(z) ≈ [0.090, 0.245, 0.665]",
        "p ~= 5%",
        "p ≈ -.5",
        "p ≈ 5.",
        "p ≈ - 0.5",
        "p ≈ 0.5 %",
        "p ≈ 1.2.3",
        "p ≈ .",
        "p ≈ []",
        "p ≈ [1, 2,]",
        "p ≈ [1 2]",
        "p ≈ 1e-3",
        "p ≈ 0.5 ± 0.1",
        "p ≈ 0.5; dp=2",
        "p # a note ≈ 0.5",
        "f(\"≈\") ≈ 0.5",
        "≈ 0.5",
        "p q ≈ 0.5",
        "p ≈ 0.5 # note",
        "−p ≈ 0.5",
        "p ≈\n[0.5,\n0.5]\n",
        "z = [1.4, 1.0, -0.1, .5, 5., 0]",
        " z0=[ 2 ] ",
        "z = [- 1.5]",
        "z = [1e3]",
        "z = [1.2.3]",
        "z = []",
        "z = [1, ]",
        "z == [1]",
        "z = [1][0]",
        "z = [1] # note",
        "z = [1234567890123456]",
        "z = [0.000000000000001]",
        "0z = [1]",
        "softmax(z0, T=0.5); dp=3",
        "x = softmax(z) ≈ [0.1, 0.9]; dp=1",
        "cross_entropy(z0, 1) ≈ 1.94",
        "f()",
        "f( )",
        "f(a,)",
        "f(T=1, 2)",
        "f(T=1, T=2)",
        "f(a, b == c)",
        "f(g(x))",
        "f(x)[0]",
        "f (x)",
        "f(x) ≈ 0.5; dp=2, sig=2",
        "f(x); sig=0",
        "f(x); dp=31",
        "f(x); dp=003",
        "f(x); dp=3x",
        "f(x); pct=1",
        "p",
        "-5",
        "[a, -1, b]",
        "p ≈ 0.5;",
        "f(-.5, k=-2)",
        "f(2x)",
        "z = [--1]",
    ];
    for src in cases {
        if let Err(e) = same_as_full(src) {
            panic!("{e}");
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 2048, failure_persistence: None, ..Default::default() })]

    #[test]
    fn the_shortcuts_never_change_a_parse(pieces in proptest::collection::vec(0..STATED_PIECES.len(), 0..14)) {
        let src: String = pieces.iter().map(|&i| STATED_PIECES[i]).collect();
        if let Err(e) = same_as_full(&src) {
            proptest::prop_assert!(false, "{}", e);
        }
    }
}
