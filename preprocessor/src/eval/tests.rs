//! Data-driven tests of the evaluator and the function table: each case is
//! evaluated and shown with its value or its error; the snapshots update
//! with `UPDATE_EXPECT=1`.

use expect_test::{Expect, expect};

use super::*;
use crate::parse::lang::{Stmt, parse_inline};

/// Evaluates one case: `;;`-separated inline forms in order (binding
/// names); shows the last value or the first error.
fn eval_case(src: &str) -> String {
    let mut env = Env::new();
    let mut out = String::new();
    for part in src.split(";; ") {
        let parsed = match parse_inline(part) {
            Ok(p) => p,
            Err(e) => return format!("syntax error: {}", e.message),
        };
        let Stmt::Inline { bind, expr, .. } = parsed.stmt else {
            return "not an inline form".into();
        };
        match env.eval(&expr) {
            Ok(v) => {
                out = v.to_string();
                if let Some((n, _)) = bind {
                    env.set(&n, v);
                }
            }
            Err(d) => {
                let at = part.get(d.range.clone()).unwrap_or("?");
                return format!("error {:?} at `{at}`: {} [{}]", d.range, d.message, d.label);
            }
        }
    }
    out
}

fn check(cases: &[&str], expect: Expect) {
    let got: Vec<String> = cases.iter().map(|c| format!("{c}\n    {}", eval_case(c))).collect();
    expect.assert_eq(&got.join("\n"));
}

#[test]
fn arithmetic() {
    check(
        &[
            "1 + 2 * 3",
            "2 ^ 10",
            "-[1, 2] * 2",
            "[1, 2] + [3, 4]",
            "[1, 2] + [3]",
            "1 / 0",
            "10 ^ 400",
            "\"a\" + 1",
            "[1, \"a\"]",
            "[\"cat\", \"dog\"][1]",
        ],
        expect![[r#"
            1 + 2 * 3
                7
            2 ^ 10
                1024
            -[1, 2] * 2
                [-2, -4]
            [1, 2] + [3, 4]
                [4, 6]
            [1, 2] + [3]
                error 0..12 at `[1, 2] + [3]`: vectors of different lengths (2 and 1) cannot be combined with `+` [here]
            1 / 0
                error 4..5 at `0`: division by zero [here]
            10 ^ 400
                error 0..8 at `10 ^ 400`: this expression is infinite (it overflows f64) [here]
            "a" + 1
                error 0..3 at `"a"`: `+` needs numbers or vectors, this is a string [here]
            [1, "a"]
                error 4..7 at `"a"`: a vector holds numbers, but this is a string [here]
            ["cat", "dog"][1]
                "dog""#]],
    );
}

#[test]
fn names_and_indexing() {
    check(
        &[
            "z = [2.0, 1.0, 0.5];; z[0]",
            "z = [2.0, 1.0, 0.5];; z[3]",
            "z = [2.0, 1.0, 0.5];; z[-1]",
            "z = [2.0, 1.0, 0.5];; z[0.5]",
            "zz = 1;; z",
            "q",
            "softmax",
            "3[0]",
        ],
        expect![[r#"
            z = [2.0, 1.0, 0.5];; z[0]
                2
            z = [2.0, 1.0, 0.5];; z[3]
                error 2..3 at `3`: index 3 is out of range for a vector of length 3 [here]
            z = [2.0, 1.0, 0.5];; z[-1]
                error 2..4 at `-1`: an index must be a whole number >= 0, got -1 [here]
            z = [2.0, 1.0, 0.5];; z[0.5]
                error 2..5 at `0.5`: an index must be a whole number >= 0, got 0.5 [here]
            zz = 1;; z
                error 0..1 at `z`: unknown name `z` (did you mean `zz`?) [here]
            q
                error 0..1 at `q`: unknown name `q` (names must be bound with `NAME = ...` before they are used) [here]
            softmax
                error 0..7 at `softmax`: unknown name `softmax`: `softmax` is a function, call it as `softmax(...)` [here]
            3[0]
                error 0..1 at `3`: only vectors can be indexed, this is a number [here]"#]],
    );
}

#[test]
fn functions() {
    check(
        &[
            "softmax([0, 0])",
            "argmax(softmax([2.0, 1.0, 0.5], T=0.1))",
            "len([1, 2, 3])",
            "max(1, 5, 2)",
            "min([4, 2, 8])",
            "sum([0.5, 0.25])",
            "ln(exp(2))",
            "log2(8)",
            "range(3)",
            "cross_entropy([0, 0], 1)",
            "entropy([0.5, 0.5])",
            "entropy([0.5, 0.6])",
            "softmax([1, 2], T=0)",
            "softmax([1, 2], T=-1)",
            "softmax([])",
            "cross_entropy([1, 2], 2)",
            "cross_entropy([1, 2], 0.5)",
            "ln(0)",
            "sqrt([4, -1])",
            "exp(1000)",
            "logsumexp([1e308, 1e308], T=1e-10)",
            "mean([])",
            "sum([])",
            "max([])",
            "max(1, [2])",
            "range(0.5)",
            "onehot(2, 3)",
            "onehot(3, 3)",
            "dot([1, 2], [3, 4])",
            "dot([1, 2], [3])",
            "dot([1e300, 1], [1e300, 1])",
            "dot([1e300, -1e300], [1, 1])",
            "kl([0.5, 0.5], [0.5, 0.5])",
            "kl([0.5, 0.5], [1, 0])",
            "soft_cross_entropy([0, 0], [0.5, 0.5])",
            "soft_cross_entropy([800, 0, -50], [0, 1, 0])",
            "soft_cross_entropy([0, 0], [0.5, 0.6])",
            "binary_cross_entropy(800, 0)",
            "binary_cross_entropy(0, 2)",
            "top_k([0.5, 0.3, 0.2], 1)",
            "top_k([0.5, 0.3, 0.2], 0)",
            "top_p([0.5, 0.3, 0.2], 0.8)",
            "top_p([0.5, 0.3, 0.2], 0)",
            "maxdiff(softmax([2, 1, 0.5]), softmax([102, 101, 100.5]))",
            "maxdiff([1, 2], 1)",
            "[1, 2, 3, 4][1:3]",
            "[1, 2, 3, 4][:2]",
            "[1, 2, 3, 4][2:]",
            "[1, 2, 3, 4][:]",
            "[1, 2, 3, 4][2:2]",
            "[\"a\", \"b\", \"c\"][1:]",
            "sum(softmax([2, 1, 0.5])[0:2])",
            "[1, 2, 3][3:5]",
            "[1, 2, 3][2:1]",
            "[1, 2, 3][0.5:2]",
            "3[0:1]",
        ],
        expect![[r#"
            softmax([0, 0])
                [0.5, 0.5]
            argmax(softmax([2.0, 1.0, 0.5], T=0.1))
                0
            len([1, 2, 3])
                3
            max(1, 5, 2)
                5
            min([4, 2, 8])
                2
            sum([0.5, 0.25])
                0.75
            ln(exp(2))
                2
            log2(8)
                3
            range(3)
                [0, 1, 2]
            cross_entropy([0, 0], 1)
                0.6931471805599453
            entropy([0.5, 0.5])
                0.6931471805599453
            entropy([0.5, 0.6])
                error 8..18 at `[0.5, 0.6]`: not a probability vector: it sums to 1.1, not 1 [here]
            softmax([1, 2], T=0)
                error 18..19 at `0`: temperature must be finite and > 0, got 0 [here]
            softmax([1, 2], T=-1)
                error 18..20 at `-1`: temperature must be finite and > 0, got -1 [here]
            softmax([])
                error 8..10 at `[]`: the vector is empty [here]
            cross_entropy([1, 2], 2)
                error 22..23 at `2`: class 2 is out of range for 2 classes (0..2) [here]
            cross_entropy([1, 2], 0.5)
                error 22..25 at `0.5`: the class `y` must be a whole number, got 0.5 [here]
            ln(0)
                error 3..4 at `0`: `ln` needs a positive number, got 0 [here]
            sqrt([4, -1])
                error 5..12 at `[4, -1]`: `sqrt` needs a number >= 0, got -1 [here]
            exp(1000)
                error 0..9 at `exp(1000)`: this expression is infinite (it overflows f64) [here]
            logsumexp([1e308, 1e308], T=1e-10)
                error 0..34 at `logsumexp([1e308, 1e308], T=1e-10)`: logsumexp overflows the range of f64 [here]
            mean([])
                error 5..7 at `[]`: `mean` of an empty vector [here]
            sum([])
                0
            max([])
                error 0..7 at `max([])`: `max` of nothing [here]
            max(1, [2])
                error 7..10 at `[2]`: `max` of several arguments needs numbers, got a vector [here]
            range(0.5)
                error 6..9 at `0.5`: `range` needs a whole number from 0 to 1000000, got 0.5 [here]
            onehot(2, 3)
                [0, 0, 1]
            onehot(3, 3)
                error 7..8 at `3`: `onehot` needs an index below 3, got 3 [here]
            dot([1, 2], [3, 4])
                11
            dot([1, 2], [3])
                error 0..16 at `dot([1, 2], [3])`: `dot` of vectors of different lengths (2 and 1) [here]
            dot([1e300, 1], [1e300, 1])
                error 0..27 at `dot([1e300, 1], [1e300, 1])`: this expression is infinite (it overflows f64) [here]
            dot([1e300, -1e300], [1, 1])
                0
            kl([0.5, 0.5], [0.5, 0.5])
                0
            kl([0.5, 0.5], [1, 0])
                error 15..21 at `[1, 0]`: not a probability vector: p gives class 1 probability 0 where q does not: the divergence is infinite [here]
            soft_cross_entropy([0, 0], [0.5, 0.5])
                0.6931471805599453
            soft_cross_entropy([800, 0, -50], [0, 1, 0])
                800
            soft_cross_entropy([0, 0], [0.5, 0.6])
                error 27..37 at `[0.5, 0.6]`: not a probability vector: it sums to 1.1, not 1 [here]
            binary_cross_entropy(800, 0)
                800
            binary_cross_entropy(0, 2)
                error 24..25 at `2`: not a probability vector: the target 2 is not in [0, 1] [here]
            top_k([0.5, 0.3, 0.2], 1)
                [1, 0, 0]
            top_k([0.5, 0.3, 0.2], 0)
                error 23..24 at `0`: `top_k` needs a whole number from 1 to 1000000, got 0 [here]
            top_p([0.5, 0.3, 0.2], 0.8)
                [0.625, 0.37499999999999994, 0]
            top_p([0.5, 0.3, 0.2], 0)
                error 23..24 at `0`: `top_p` needs a total in (0, 1], got 0 [here]
            maxdiff(softmax([2, 1, 0.5]), softmax([102, 101, 100.5]))
                0
            maxdiff([1, 2], 1)
                error 0..18 at `maxdiff([1, 2], 1)`: `maxdiff` of values of different lengths (2 and 1) [here]
            [1, 2, 3, 4][1:3]
                [2, 3]
            [1, 2, 3, 4][:2]
                [1, 2]
            [1, 2, 3, 4][2:]
                [3, 4]
            [1, 2, 3, 4][:]
                [1, 2, 3, 4]
            [1, 2, 3, 4][2:2]
                []
            ["a", "b", "c"][1:]
                ["b", "c"]
            sum(softmax([2, 1, 0.5])[0:2])
                0.8597556168339116
            [1, 2, 3][3:5]
                error 12..13 at `5`: slice bound 5 is past the end of a vector of length 3 [here]
            [1, 2, 3][2:1]
                error 0..14 at `[1, 2, 3][2:1]`: this slice starts at 2, after its end 1 [here]
            [1, 2, 3][0.5:2]
                error 10..13 at `0.5`: an index must be a whole number >= 0, got 0.5 [here]
            3[0:1]
                error 0..1 at `3`: only vectors can be sliced, this is a number [here]"#]],
    );
}

/// Arity, names and types: every message comes from the table's signatures.
#[test]
fn binding() {
    check(
        &[
            "cross_entropy([1, 2])",
            "softmax([1, 2], temp=1)",
            "softmax([1, 2], t=2)",
            "softmax([1, 2], 1, 3)",
            "softmax([1, 2], z=[3])",
            "softmax(1)",
            "softmax([1], T=[1])",
            "exp(\"a\")",
            "max(\"a\")",
            "max([1], v=2)",
            "range()",
            "sofmax([1])",
            "frobnicate(1)",
            "sofmax(w)",
        ],
        expect![[r#"
            cross_entropy([1, 2])
                error 0..21 at `cross_entropy([1, 2])`: `cross_entropy` is missing its argument `y` [missing argument]
            softmax([1, 2], temp=1)
                error 21..22 at `1`: `softmax` has no argument `temp` (it takes z, T) [unknown argument]
            softmax([1, 2], t=2)
                error 18..19 at `2`: `softmax` has no argument `t` (did you mean `T`?) [unknown argument]
            softmax([1, 2], 1, 3)
                error 19..20 at `3`: `softmax` takes at most 2 positional arguments [extra argument]
            softmax([1, 2], z=[3])
                error 18..21 at `[3]`: `softmax` gets `z` twice, by position and by name [given twice]
            softmax(1)
                error 8..9 at `1`: `softmax` needs a vector for `z`, got a number [not a vector]
            softmax([1], T=[1])
                error 15..18 at `[1]`: `softmax` needs a number for `T`, got a vector [not a number]
            exp("a")
                error 4..7 at `"a"`: `exp` needs a number or a vector for `x`, got a string [not a number or a vector]
            max("a")
                error 4..7 at `"a"`: `max` needs a number or a vector for `x`, got a string [not a number or a vector]
            max([1], v=2)
                error 11..12 at `2`: `max` has no argument `v` (it takes only positional arguments) [unknown argument]
            range()
                error 0..7 at `range()`: `range` is missing its argument `n` [missing argument]
            sofmax([1])
                error 0..6 at `sofmax`: unknown function `sofmax` (did you mean `softmax`?) [here]
            frobnicate(1)
                error 0..10 at `frobnicate`: unknown function `frobnicate` (known functions: softmax, log_softmax, logsumexp, cross_entropy, entropy, soft_cross_entropy, kl, binary_cross_entropy, top_k, top_p, onehot, dot, maxdiff, sigmoid, exp, ln, log2, log10, sqrt, abs, sum, mean, max, min, argmax, argmin, len, range, linspace, logspace) [here]
            sofmax(w)
                error 0..6 at `sofmax`: unknown function `sofmax` (did you mean `softmax`?) [here]"#]],
    );
}

#[test]
fn comparisons() {
    check(
        &["1 < 2", "[1, 2] < 3", "argmax([1, 3]) == 1", "\"a\" < \"b\""],
        expect![[r#"
        1 < 2
            true
        [1, 2] < 3
            true
        argmax([1, 3]) == 1
            true
        "a" < "b"
            error 0..9 at `"a" < "b"`: cannot compare a string with a string using `<` [here]"#]],
    );
}

/// Every table entry's example gives the value it states, checked the way
/// the book checks a stated number.
#[test]
fn examples_give_their_stated_values() {
    let mut failures = Vec::new();
    for f in FUNCTIONS {
        let form = format!("{} ≈ {}", f.example, f.gives);
        let outcome = match parse_inline(&form) {
            Ok(p) => match p.stmt {
                Stmt::Inline { expr, stated: Some(stated), .. } => match Env::new().eval(&expr) {
                    Ok(v) => crate::check::check_stated(&v, &stated)
                        .map_err(|ms| ms.into_iter().map(|m| m.message).collect::<Vec<_>>().join("; ")),
                    Err(d) => Err(d.message),
                },
                _ => Err("not `EXPR ≈ STATED`".into()),
            },
            Err(e) => Err(e.message),
        };
        let calls_itself = f.example.starts_with(&format!("{}(", f.name()));
        match outcome {
            Ok(()) if calls_itself => {}
            Ok(()) => failures.push(format!("{}: the example does not call `{}`", f.example, f.name())),
            Err(m) => failures.push(format!("{form}: {m}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn names_are_unique() {
    let mut names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), FUNCTIONS.len());
}
