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
                error 0..3 at `"a"`: `+` needs numbers, vectors or matrices, this is a string [here]
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
                error 0..1 at `3`: only vectors and matrices can be indexed, this is a number [here]"#]],
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
                error 0..1 at `3`: only vectors and matrices can be sliced, this is a number [here]"#]],
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
                error 8..9 at `1`: `softmax` needs a vector or a matrix for `z`, got a number [not a vector or a matrix]
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
                error 0..10 at `frobnicate`: unknown function `frobnicate` (known functions: softmax, log_softmax, logsumexp, cross_entropy, entropy, soft_cross_entropy, kl, binary_cross_entropy, top_k, top_p, onehot, dot, maxdiff, sigmoid, exp, ln, log2, log10, sqrt, abs, sum, mean, max, min, argmax, argmin, len, range, linspace, logspace, rows, cols, row, column, confidence, correct, accuracy, nll, ece, mce, fit_temperature, load) [here]
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
/// the book checks a stated number (with the repository as the book root,
/// as when the book is built: `load`'s example reads its example file).
#[test]
fn examples_give_their_stated_values() {
    let mut failures = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files: std::sync::Arc<dyn data::Source> = std::sync::Arc::new(crate::files::BookFiles::new(&root));
    for f in FUNCTIONS {
        let form = format!("{} ≈ {}", f.example, f.gives);
        let outcome = match parse_inline(&form) {
            Ok(p) => match p.stmt {
                Stmt::Inline { expr, stated: Some(stated), .. } => match Env::with_data(files.clone()).eval(&expr) {
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

/// Data files in memory, for `load`.
#[derive(Debug)]
struct Mem(Vec<(&'static str, &'static [u8])>);

impl data::Source for Mem {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        self.0.iter().find(|(p, _)| *p == path).map(|(_, b)| b.to_vec()).ok_or_else(|| "no such file".into())
    }
}

const FILES: &[(&str, &[u8])] = &[
    ("d/ok.csv", b"label,z0,z1,z2\n2,0.5,1.0,2.0\n0,3.0,1.0,-1.0\r\n1, 0.2 ,0.1,1.5\n\n"),
    ("d/ragged.csv", b"label,z0,z1\n1,2,3\n0,1\n"),
    ("d/nan.csv", b"label,z0\n1,2\n0,nan\n"),
    ("d/word.csv", b"label,z0\n1,2\n0,two\n"),
    ("d/empty-cell.csv", b"label,z0\n1,\n"),
    ("d/noheader.csv", b"1,2,3\n4,5,6\n"),
    ("d/dup.csv", b"a,b,a\n1,2,3\n"),
    ("d/blank-name.csv", b"a,,c\n1,2,3\n"),
    ("d/quoted.csv", b"label,name\n1,\"cat, black\"\n"),
    ("d/header-only.csv", b"label,z0\n"),
    ("d/empty.csv", b""),
    ("d/gap.csv", b"a\n1\n\n2\n"),
    ("d/latin1.csv", b"a\n1\n\xe9\n"),
    ("d/x.json", br#"{"test": {"logits": [[1, 2], [3, 4.5]], "labels": [0, 1], "T": 1.5, "name": "x", "ragged": [[1], [2, 3]], "mixed": [1, "a"], "rowmix": [[1, 2], 3], "none": []}}"#),
    ("d/big.json", b"[1, 1e400]"),
    ("d/bad.json", b"{\"a\": [1, 2,]}"),
    ("d/notes.txt", b"1,2\n"),
];

fn load_case(src: &str) -> String {
    let env = Env::with_data(std::sync::Arc::new(Mem(FILES.to_vec())));
    let parsed = match parse_inline(src) {
        Ok(p) => p,
        Err(e) => return format!("syntax error: {}", e.message),
    };
    let Stmt::Inline { expr, .. } = parsed.stmt else { return "not an inline form".into() };
    match env.eval(&expr) {
        Ok(v) => v.to_string(),
        Err(d) => {
            let at = src.get(d.range.clone()).unwrap_or("?");
            format!("error at `{at}`: {}", d.message)
        }
    }
}

#[test]
fn load_reads_csv_and_json() {
    let cases = [
        r#"load("d/ok.csv")"#,
        r#"load("d/ok.csv", "label")"#,
        r#"load("d/ok.csv", "z0:z2")"#,
        r#"load("d/ok.csv", "z1:z1")"#,
        r#"load("./d/../d/ok.csv", "z2")"#,
        r#"load("d/x.json", "test.logits")"#,
        r#"load("d/x.json", "test.labels")"#,
        r#"load("d/x.json", "test.T")"#,
        r#"load("d/x.json", "test.logits.1")"#,
        r#"accuracy(load("d/ok.csv", "z0:z2"), load("d/ok.csv", "label"))"#,
    ];
    let got: Vec<String> = cases.iter().map(|c| format!("{c}\n    {}", load_case(c))).collect();
    expect![[r#"
        load("d/ok.csv")
            [[2, 0.5, 1, 2], [0, 3, 1, -1], [1, 0.2, 0.1, 1.5]]
        load("d/ok.csv", "label")
            [2, 0, 1]
        load("d/ok.csv", "z0:z2")
            [[0.5, 1, 2], [3, 1, -1], [0.2, 0.1, 1.5]]
        load("d/ok.csv", "z1:z1")
            [[1], [1], [0.1]]
        load("./d/../d/ok.csv", "z2")
            [2, -1, 1.5]
        load("d/x.json", "test.logits")
            [[1, 2], [3, 4.5]]
        load("d/x.json", "test.labels")
            [0, 1]
        load("d/x.json", "test.T")
            1.5
        load("d/x.json", "test.logits.1")
            [3, 4.5]
        accuracy(load("d/ok.csv", "z0:z2"), load("d/ok.csv", "label"))
            0.6666666666666666"#]]
    .assert_eq(&got.join("\n"));
}

/// Every class of load error: a located message that says what is wrong
/// and where in the file.
#[test]
fn load_errors() {
    let cases = [
        r#"load("d/missing.csv")"#,
        r#"load("/etc/passwd")"#,
        r#"load("C:/data.csv")"#,
        r#"load("../secret.csv")"#,
        r#"load("d/../../secret.csv")"#,
        r#"load("d\\ok.csv")"#,
        r#"load("")"#,
        r#"load("d/notes.txt")"#,
        r#"load("d/noheader.csv")"#,
        r#"load("d/dup.csv")"#,
        r#"load("d/blank-name.csv")"#,
        r#"load("d/ok.csv", "lable")"#,
        r#"load("d/ok.csv", "logits")"#,
        r#"load("d/ok.csv", "z2:z0")"#,
        r#"load("d/ragged.csv")"#,
        r#"load("d/nan.csv")"#,
        r#"load("d/word.csv", "z0")"#,
        r#"load("d/word.csv", "label")"#,
        r#"load("d/empty-cell.csv")"#,
        r#"load("d/quoted.csv", "label")"#,
        r#"load("d/header-only.csv")"#,
        r#"load("d/empty.csv")"#,
        r#"load("d/gap.csv")"#,
        r#"load("d/latin1.csv")"#,
        r#"load("d/x.json", "test.logit")"#,
        r#"load("d/x.json", "train.logits")"#,
        r#"load("d/x.json", "test.T.x")"#,
        r#"load("d/x.json", "test.logits.7")"#,
        r#"load("d/x.json", "test")"#,
        r#"load("d/x.json", "test.name")"#,
        r#"load("d/x.json", "test.ragged")"#,
        r#"load("d/x.json", "test.mixed")"#,
        r#"load("d/x.json", "test.rowmix")"#,
        r#"load("d/x.json", "test.none")"#,
        r#"load("d/big.json")"#,
        r#"load("d/bad.json")"#,
        r#"load(3)"#,
    ];
    let got: Vec<String> = cases.iter().map(|c| format!("{c}\n    {}", load_case(c))).collect();
    expect![[r#"
        load("d/missing.csv")
            error at `"d/missing.csv"`: cannot load `d/missing.csv`: no such file
        load("/etc/passwd")
            error at `"/etc/passwd"`: `/etc/passwd` is absolute: give a path relative to the book root (the directory with book.toml)
        load("C:/data.csv")
            error at `"C:/data.csv"`: `C:/data.csv` is absolute: give a path relative to the book root (the directory with book.toml)
        load("../secret.csv")
            error at `"../secret.csv"`: `../secret.csv` leaves the book root: data must be inside the book
        load("d/../../secret.csv")
            error at `"d/../../secret.csv"`: `d/../../secret.csv` leaves the book root: data must be inside the book
        load("d\\ok.csv")
            error at `"d\\ok.csv"`: `d\ok.csv` has a backslash: separate directories with `/`
        load("")
            error at `""`: the path is empty
        load("d/notes.txt")
            error at `"d/notes.txt"`: `load` reads `.csv` and `.json` files, and `d/notes.txt` is neither
        load("d/noheader.csv")
            error at `"d/noheader.csv"`: d/noheader.csv:1:1: the first line must name the columns, but it holds the number `1`: add a header line
        load("d/dup.csv")
            error at `"d/dup.csv"`: d/dup.csv:1:5: the header names `a` twice (columns 1 and 3)
        load("d/blank-name.csv")
            error at `"d/blank-name.csv"`: d/blank-name.csv:1:3: column 2 of the header has no name
        load("d/ok.csv", "lable")
            error at `"lable"`: d/ok.csv has no column `lable` (did you mean `label`?)
        load("d/ok.csv", "logits")
            error at `"logits"`: d/ok.csv has no column `logits` (its columns are `label`, `z0`, `z1`, `z2`)
        load("d/ok.csv", "z2:z0")
            error at `"z2:z0"`: in d/ok.csv, column `z2` comes after `z0`: write the range from left to right
        load("d/ragged.csv")
            error at `"d/ragged.csv"`: d/ragged.csv:3: this row has 2 cells, but the header has 3 columns
        load("d/nan.csv")
            error at `"d/nan.csv"`: d/nan.csv:3:3: `nan` in column `z0` is not a finite number
        load("d/word.csv", "z0")
            error at `"d/word.csv"`: d/word.csv:3:3: `two` in column `z0` is not a finite number
        load("d/word.csv", "label")
            [1, 0]
        load("d/empty-cell.csv")
            error at `"d/empty-cell.csv"`: d/empty-cell.csv:2:3: an empty cell in column `z0` is not a finite number
        load("d/quoted.csv", "label")
            error at `"d/quoted.csv"`: d/quoted.csv:2:3: quoted fields are not supported: lemma reads plain comma-separated numbers
        load("d/header-only.csv")
            error at `"d/header-only.csv"`: d/header-only.csv has a header but no rows of data
        load("d/empty.csv")
            error at `"d/empty.csv"`: d/empty.csv is empty: expected a header line of column names, then rows of numbers
        load("d/gap.csv")
            error at `"d/gap.csv"`: d/gap.csv:3: an empty line among the rows
        load("d/latin1.csv")
            error at `"d/latin1.csv"`: d/latin1.csv:3: the file is not UTF-8 text
        load("d/x.json", "test.logit")
            error at `"test.logit"`: d/x.json has no key `logit` in `test` (did you mean `logits`?)
        load("d/x.json", "train.logits")
            error at `"train.logits"`: d/x.json has no key `train` in the top level (its keys are `test`)
        load("d/x.json", "test.T.x")
            error at `"test.T.x"`: d/x.json: `test.T` is a number, so it has no key `x`
        load("d/x.json", "test.logits.7")
            error at `"test.logits.7"`: d/x.json: `test.logits` is an array of 2, and `7` is not an index into it
        load("d/x.json", "test")
            error at `"d/x.json"`: d/x.json: `test` must be a number, an array of numbers or an array of equal-length arrays of numbers, but it is an object
        load("d/x.json", "test.name")
            error at `"d/x.json"`: d/x.json: `test.name` must be a number, an array of numbers or an array of equal-length arrays of numbers, but it is a string
        load("d/x.json", "test.ragged")
            error at `"d/x.json"`: d/x.json: `test.ragged` must be a number, an array of numbers or an array of equal-length arrays of numbers, but row 1 has 2 numbers and row 0 has 1
        load("d/x.json", "test.mixed")
            error at `"d/x.json"`: d/x.json: `test.mixed` must be a number, an array of numbers or an array of equal-length arrays of numbers, but element 1 is a string
        load("d/x.json", "test.rowmix")
            error at `"d/x.json"`: d/x.json: `test.rowmix` must be a number, an array of numbers or an array of equal-length arrays of numbers, but element 1 is a number where element 0 is an array
        load("d/x.json", "test.none")
            error at `"d/x.json"`: d/x.json: `test.none` must be a number, an array of numbers or an array of equal-length arrays of numbers, but it is empty
        load("d/big.json")
            error at `"d/big.json"`: d/big.json:1:9: not valid JSON: number out of range
        load("d/bad.json")
            error at `"d/bad.json"`: d/bad.json:1:13: not valid JSON: trailing comma
        load(3)
            error at `3`: `load` needs a string for `path`, got a number"#]].assert_eq(&got.join("\n"));
}

#[test]
fn load_without_a_book() {
    check(
        &[r#"load("d/ok.csv")"#],
        expect![[r#"
            load("d/ok.csv")
                error 5..15 at `"d/ok.csv"`: cannot load `d/ok.csv`: this chapter is processed without a book root, so no file can be loaded [here]"#]],
    );
}

#[test]
fn matrices() {
    check(
        &[
            "[[1, 2], [3, 4]]",
            "[[1, 2], [3]]",
            "[[1, 2], 3]",
            "[[], []]",
            "m = [[1, 2], [3, 4]];; m[1]",
            "m = [[1, 2], [3, 4]];; m[2]",
            "m = [[1, 2], [3, 4]];; m[1:]",
            "m = [[1, 2], [3, 4]];; m[1:1]",
            "m = [[1, 2], [3, 4]];; 2 * m - 1",
            "m = [[1, 2], [3, 4]];; m / [[1, 2], [3, 4]]",
            "m = [[1, 2], [3, 4]];; m + [[1, 2]]",
            "m = [[1, 2], [3, 4]];; m + [1, 2]",
            "m = [[1, 2], [3, 4]];; m / 0",
            "m = [[1, 2], [3, 4]];; -m == [[-1, -2], [-3, -4]]",
            "m = [[1, 2], [3, 4]];; m < m",
            "[[1e308], [1]] * 10",
            "rows([[1, 2, 3], [4, 5, 6]])",
            "cols([[1, 2, 3], [4, 5, 6]])",
            "row([[1, 2], [3, 4]], 2)",
            "column([[1, 2], [3, 4]], 0.5)",
            "row([1, 2], 0)",
            "len([[1, 2]])",
            "softmax([[0, 0], [1, 0]])",
            "log_softmax([[0, 0], [1, 0]], T=2)",
            "logsumexp([[0, 0], [1, 0]])",
            "argmax([[0, 1, 1], [2, 0, 2]])",
            "argmin([[0, 1, 1], [2, 0, 2]])",
            "cross_entropy([[0, 0], [1, 0]], [1, 0])",
            "cross_entropy([[0, 0], [1, 0]], 1)",
            "cross_entropy([0, 0], [1, 0])",
            "cross_entropy([[0, 0], [1, 0]], [1, 2])",
            "softmax([[0, 0], [1, 0]], T=0)",
            "a = [[1e308, 1e308]];; a * 10",
        ],
        expect![[r#"
            [[1, 2], [3, 4]]
                [[1, 2], [3, 4]]
            [[1, 2], [3]]
                error 9..12 at `[3]`: this row has 1 number and the first has 2: a matrix's rows have one length [here]
            [[1, 2], 3]
                error 9..10 at `3`: a matrix is written as rows of numbers, but this is a number [here]
            [[], []]
                error 1..3 at `[]`: a matrix's rows must hold at least one number [here]
            m = [[1, 2], [3, 4]];; m[1]
                [3, 4]
            m = [[1, 2], [3, 4]];; m[2]
                error 2..3 at `2`: row 2 is out of range for a matrix of 2 rows (they count from 0) [here]
            m = [[1, 2], [3, 4]];; m[1:]
                [[3, 4]]
            m = [[1, 2], [3, 4]];; m[1:1]
                error 0..6 at `m[1:1]`: this slice of a matrix has no rows [here]
            m = [[1, 2], [3, 4]];; 2 * m - 1
                [[1, 3], [5, 7]]
            m = [[1, 2], [3, 4]];; m / [[1, 2], [3, 4]]
                [[1, 1], [1, 1]]
            m = [[1, 2], [3, 4]];; m + [[1, 2]]
                error 0..12 at `m + [[1, 2]]`: matrices of different shapes (2 x 2 and 1 x 2) cannot be combined with `+` [here]
            m = [[1, 2], [3, 4]];; m + [1, 2]
                error 0..10 at `m + [1, 2]`: a matrix and a vector cannot be combined with `+`: take a row (`row(M, i)`) or a column (`column(M, j)`) first [here]
            m = [[1, 2], [3, 4]];; m / 0
                error 4..5 at `0`: division by zero [here]
            m = [[1, 2], [3, 4]];; -m == [[-1, -2], [-3, -4]]
                true
            m = [[1, 2], [3, 4]];; m < m
                error 0..5 at `m < m`: cannot compare a matrix with a matrix using `<` [here]
            [[1e308], [1]] * 10
                error 0..19 at `[[1e308], [1]] * 10`: row 0, column 0 of this expression is infinite (it overflows f64) [here]
            rows([[1, 2, 3], [4, 5, 6]])
                2
            cols([[1, 2, 3], [4, 5, 6]])
                3
            row([[1, 2], [3, 4]], 2)
                error 22..23 at `2`: `row` needs a whole number from 0 to 1 (the matrix has 2 rows), got 2 [here]
            column([[1, 2], [3, 4]], 0.5)
                error 25..28 at `0.5`: `column` needs a whole number from 0 to 1 (the matrix has 2 columns), got 0.5 [here]
            row([1, 2], 0)
                error 4..10 at `[1, 2]`: `row` needs a matrix for `M`, got a vector [not a matrix]
            len([[1, 2]])
                error 4..12 at `[[1, 2]]`: `len` needs a vector for `v`, got a matrix [not a vector]
            softmax([[0, 0], [1, 0]])
                [[0.5, 0.5], [0.7310585786300049, 0.2689414213699951]]
            log_softmax([[0, 0], [1, 0]], T=2)
                [[-0.6931471805599453, -0.6931471805599453], [-0.4740769841801067, -0.9740769841801067]]
            logsumexp([[0, 0], [1, 0]])
                [0.6931471805599453, 1.3132616875182228]
            argmax([[0, 1, 1], [2, 0, 2]])
                [1, 0]
            argmin([[0, 1, 1], [2, 0, 2]])
                [0, 1]
            cross_entropy([[0, 0], [1, 0]], [1, 0])
                [0.6931471805599453, 0.3132616875182228]
            cross_entropy([[0, 0], [1, 0]], 1)
                error 32..33 at `1`: `cross_entropy` of a matrix needs a vector of labels, one per row [not a vector of labels]
            cross_entropy([0, 0], [1, 0])
                error 22..28 at `[1, 0]`: for a vector `z`, the class `y` is one number [here]
            cross_entropy([[0, 0], [1, 0]], [1, 2])
                error 0..39 at `cross_entropy([[0, 0], [1, 0]], [1, 2])`: `cross_entropy`: label 2 out of range at row 1 (the matrix has 2 columns) [here]
            softmax([[0, 0], [1, 0]], T=0)
                error 28..29 at `0`: temperature must be finite and > 0, got 0 [here]
            a = [[1e308, 1e308]];; a * 10
                error 0..6 at `a * 10`: row 0, column 0 of this expression is infinite (it overflows f64) [here]"#]],
    );
}

#[test]
fn calibration_functions() {
    check(
        &[
            "m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; confidence(m)",
            "m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; confidence(m, T=2)",
            "m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; correct(m, [0, 2, 0])",
            "m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; correct(m, [0, 2, 1])",
            "m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; accuracy(m, [0, 2, 0])",
            "m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; nll(m, [0, 2, 0])",
            "m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; maxdiff(nll(m, [0, 2, 0]), mean(cross_entropy(m, [0, 2, 0]))) < 1e-15",
            "m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; maxdiff(ece(m, [0, 2, 0]), mean(abs(correct(m, [0, 2, 0]) - confidence(m)))) < 1e-15",
            "m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; ece(m, [0, 2, 0])",
            "m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; ece(m, [0, 2, 0], bins=1)",
            "m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; mce(m, [0, 2, 0], T=0.5, bins=10)",
            "m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; fit_temperature(m, [0, 2, 0])",
            "m = [[2, 1, 0.5], [0, 3, 1], [1, 2, 0]];; fit_temperature(m, [0, 1, 0])",
            "m = [[2, 1, 0.5], [0, 3, 1], [1, 2, 0]];; fit_temperature(m, [0, 1, 1])",
            "m = [[1, 1], [2, 2]];; fit_temperature(m, [0, 1])",
            "m = [[2, 1, 0.5], [0, 3, 0]];; accuracy(m, [0, 3])",
            "m = [[2, 1, 0.5], [0, 3, 0]];; accuracy(m, [0, 1.5])",
            "m = [[2, 1, 0.5], [0, 3, 0]];; accuracy(m, [0, -1])",
            "m = [[2, 1, 0.5], [0, 3, 0]];; nll(m, [0])",
            "m = [[2, 1, 0.5], [0, 3, 0]];; nll(m, [0, 1], T=-1)",
            "m = [[2, 1, 0.5], [0, 3, 0]];; ece(m, [0, 1], bins=0)",
            "m = [[2, 1, 0.5], [0, 3, 0]];; ece(m, [0, 1], bins=2.5)",
            "accuracy([2, 1], [0])",
            "m = [[2, 1, 0.5], [0, 3, 0]];; accuracy(m, 0)",
            "nll([[0, -1e308], [0, 0]], [1, 0], T=0.5)",
        ],
        expect![[r#"
            m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; confidence(m)
                [0.6285317192117624, 0.9094429985127419, 0.3333333333333333]
            m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; confidence(m, T=2)
                [0.48102426325336967, 0.6914384540362276, 0.3333333333333333]
            m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; correct(m, [0, 2, 0])
                [1, 0, 1]
            m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; correct(m, [0, 2, 1])
                [1, 0, 0]
            m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; accuracy(m, [0, 2, 0])
                0.6666666666666666
            m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; nll(m, [0, 2, 0])
                1.552634676399005
            m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; maxdiff(nll(m, [0, 2, 0]), mean(cross_entropy(m, [0, 2, 0]))) < 1e-15
                true
            m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; maxdiff(ece(m, [0, 2, 0]), mean(abs(correct(m, [0, 2, 0]) - confidence(m)))) < 1e-15
                true
            m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; ece(m, [0, 2, 0])
                0.6491926486558821
            m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; ece(m, [0, 2, 0], bins=1)
                0.042897316314054114
            m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; mce(m, [0, 2, 0], T=0.5, bins=10)
                0.9950669512572845
            m = [[2, 1, 0.5], [0, 3, 0], [1, 1, 1]];; fit_temperature(m, [0, 2, 0])
                error 0..29 at `fit_temperature(m, [0, 2, 0])`: `fit_temperature`: no temperature minimises the NLL: the labels' logits are on average no higher than their rows' means, so the NLL keeps falling as T grows [here]
            m = [[2, 1, 0.5], [0, 3, 1], [1, 2, 0]];; fit_temperature(m, [0, 1, 0])
                0.8593037116818647
            m = [[2, 1, 0.5], [0, 3, 1], [1, 2, 0]];; fit_temperature(m, [0, 1, 1])
                error 0..29 at `fit_temperature(m, [0, 1, 1])`: `fit_temperature`: no temperature minimises the NLL: every row's label already has the row's largest logit, so the NLL keeps falling as T -> 0 [here]
            m = [[1, 1], [2, 2]];; fit_temperature(m, [0, 1])
                error 0..26 at `fit_temperature(m, [0, 1])`: `fit_temperature`: no temperature minimises the NLL: every row's logits are all equal, so the NLL is ln(classes) at every temperature [here]
            m = [[2, 1, 0.5], [0, 3, 0]];; accuracy(m, [0, 3])
                error 0..19 at `accuracy(m, [0, 3])`: `accuracy`: label 3 out of range at row 1 (the matrix has 3 columns) [here]
            m = [[2, 1, 0.5], [0, 3, 0]];; accuracy(m, [0, 1.5])
                error 0..21 at `accuracy(m, [0, 1.5])`: `accuracy`: label 1.5 at row 1 is not a whole number (a label is a class, 0 to 2) [here]
            m = [[2, 1, 0.5], [0, 3, 0]];; accuracy(m, [0, -1])
                error 0..20 at `accuracy(m, [0, -1])`: `accuracy`: label -1 out of range at row 1 (the matrix has 3 columns) [here]
            m = [[2, 1, 0.5], [0, 3, 0]];; nll(m, [0])
                error 0..11 at `nll(m, [0])`: `nll`: 1 label for a matrix of 2 rows: give one label per row [here]
            m = [[2, 1, 0.5], [0, 3, 0]];; nll(m, [0, 1], T=-1)
                error 17..19 at `-1`: `nll`: temperature must be finite and > 0, got -1 [here]
            m = [[2, 1, 0.5], [0, 3, 0]];; ece(m, [0, 1], bins=0)
                error 20..21 at `0`: `ece`: `bins` must be a whole number from 1 to 100000, got 0 [here]
            m = [[2, 1, 0.5], [0, 3, 0]];; ece(m, [0, 1], bins=2.5)
                error 20..23 at `2.5`: `ece`: `bins` must be a whole number from 1 to 100000, got 2.5 [here]
            accuracy([2, 1], [0])
                error 9..15 at `[2, 1]`: `accuracy` needs a matrix for `M`, got a vector [not a matrix]
            m = [[2, 1, 0.5], [0, 3, 0]];; accuracy(m, 0)
                error 12..13 at `0`: `accuracy` needs a vector for `labels`, got a number [not a vector]
            nll([[0, -1e308], [0, 0]], [1, 0], T=0.5)
                error 0..41 at `nll([[0, -1e308], [0, 0]], [1, 0], T=0.5)`: `nll`: a row's cross-entropy overflows the range of f64 [here]"#]],
    );
}
