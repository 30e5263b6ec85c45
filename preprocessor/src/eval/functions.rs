//! The built-in functions: one table, [`FUNCTIONS`], of names, typed
//! parameters ([`Signature`], whose binding widgets share), documentation,
//! examples and implementations.
//!
//! A new function is one entry of [`FUNCTIONS`]: its arity and type errors,
//! the "did you mean" hints, the authoring reference
//! ([`reference_markdown`]) and the test of its example all come from it.

use super::signature::{Args, Param, Signature, Type, fail};
use super::{EResult, Value, edit_distance};
use crate::diagnostics::Diag;
use crate::numeric;
use crate::parse::lang::Span;

/// A built-in function: one entry of [`FUNCTIONS`].
#[derive(Debug, Clone, Copy)]
pub struct Function {
    /// Name and parameters.
    pub sig: Signature,
    /// What it gives, in one line of Markdown.
    pub doc: &'static str,
    /// A call, in lemma syntax...
    pub example: &'static str,
    /// ...and its value, as a stated value: the test and the book check the
    /// example against it at the digits written.
    pub gives: &'static str,
    /// The implementation, on arguments bound to `sig`.
    pub imp: fn(&Args) -> EResult<Value>,
}

impl Function {
    /// The function's name.
    pub fn name(&self) -> &'static str {
        self.sig.name
    }

    /// Binds the evaluated arguments of a call and runs it.
    pub fn call(&self, call: &Span, positional: Vec<(Value, Span)>, named: Vec<(&str, Value, Span)>) -> EResult<Value> {
        let who = format!("`{}`", self.sig.name);
        let matched = self.sig.arrange(&who, call, positional, named)?;
        (self.imp)(&self.sig.bind(&who, call, matched)?)
    }
}

/// The function called `name`.
pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.sig.name == name)
}

/// The error for a call of an unknown function, with the closest name.
pub fn unknown(name: &str, span: &Span) -> Diag {
    let close = FUNCTIONS
        .iter()
        .map(|f| (edit_distance(name, f.sig.name), f.sig.name))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d);
    let hint = match close {
        Some((_, c)) => format!(" (did you mean `{c}`?)"),
        None => format!(" (known functions: {})", FUNCTIONS.iter().map(|f| f.sig.name).collect::<Vec<_>>().join(", ")),
    };
    Diag::error(span.clone(), format!("unknown function `{name}`{hint}"), "here")
}

/// The function reference, a Markdown table generated from [`FUNCTIONS`]:
/// the book's authoring chapter holds it between `<!-- functions:start -->`
/// and `<!-- functions:end -->` (`tests/tidy.rs` keeps it in step). Each
/// example's value is a lemma form, so the book checks the value it states.
pub fn reference_markdown() -> String {
    let mut out = String::from("| Function | Gives | Example |\n|---|---|---|\n");
    for f in FUNCTIONS {
        // The call's numbers are the inputs of the checked form beside it:
        // exempt (a number in a lemma string would be a claim).
        out.push_str(&format!(
            "| `{}` | {} | `{{{{exempt {}}}}}` → {{{{lemma {} ≈ {}}}}} |\n",
            f.sig, f.doc, f.example, f.example, f.gives
        ));
    }
    out
}

const Z: Param = Param::required("z", Type::Vector);
const T: Param = Param::number("T", 1.0);
const X: Param = Param::required("x", Type::NumberOrVector);
const V: Param = Param::required("v", Type::Vector);

/// Every function lemma knows, in the order the reference lists them.
pub const FUNCTIONS: &[Function] = &[
    Function {
        sig: Signature { name: "softmax", params: &[Z, T], rest: None },
        doc: "probabilities of the logits `z` at temperature `T`",
        example: "softmax([2, 1, 0.5])",
        gives: "[0.629, 0.231, 0.140]",
        imp: |a| numeric::softmax(a.vector(0)?, a.num(1)?).map(Value::Vector).map_err(|e| a.num_error(e)),
    },
    Function {
        sig: Signature { name: "log_softmax", params: &[Z, T], rest: None },
        doc: "natural logs of `softmax(z, T)`",
        example: "log_softmax([2, 1, 0.5])",
        gives: "[-0.464, -1.464, -1.964]",
        imp: |a| numeric::log_softmax(a.vector(0)?, a.num(1)?).map(Value::Vector).map_err(|e| a.num_error(e)),
    },
    Function {
        sig: Signature { name: "logsumexp", params: &[Z, T], rest: None },
        doc: "`ln(sum(exp(z / T)))`",
        example: "logsumexp([2, 1, 0.5])",
        gives: "2.464",
        imp: |a| numeric::logsumexp(a.vector(0)?, a.num(1)?).map(Value::Num).map_err(|e| a.num_error(e)),
    },
    Function {
        sig: Signature { name: "cross_entropy", params: &[Z, Param::required("y", Type::Number), T], rest: None },
        doc: "`-ln softmax(z, T)[y]`, in nats",
        example: "cross_entropy([2, 1, 0.5], 0)",
        gives: "0.464",
        imp: |a| {
            let y = a.num(1)?;
            if y.fract() != 0.0 || y.abs() > 1e15 {
                return fail(a.span(1), format!("the class `y` must be a whole number, got {y}"), "here");
            }
            numeric::cross_entropy(a.vector(0)?, y as i64, a.num(2)?).map(Value::Num).map_err(|e| a.num_error(e))
        },
    },
    Function {
        sig: Signature { name: "entropy", params: &[Param::required("p", Type::Vector)], rest: None },
        doc: "`-sum(p ln p)` of a probability vector `p`, in nats",
        example: "entropy([0.5, 0.25, 0.25])",
        gives: "1.040",
        imp: |a| numeric::entropy(a.vector(0)?).map(Value::Num).map_err(|e| a.num_error(e)),
    },
    Function {
        sig: Signature { name: "soft_cross_entropy", params: &[Z, Param::required("q", Type::Vector), T], rest: None },
        doc: "`-sum(q * log_softmax(z, T))`: the cross-entropy of the logits `z` against a target distribution `q`, in nats",
        example: "soft_cross_entropy([2, 1, 0.5], [0.9, 0.05, 0.05])",
        gives: "0.589",
        imp: |a| {
            numeric::targets::soft_cross_entropy(a.vector(0)?, a.vector(1)?, a.num(2)?)
                .map(Value::Num)
                .map_err(|e| probability_error(a, e))
        },
    },
    Function {
        sig: Signature {
            name: "kl",
            params: &[Param::required("q", Type::Vector), Param::required("p", Type::Vector)],
            rest: None,
        },
        doc: "`sum(q ln(q / p))`, the Kullback-Leibler divergence of `p` from `q`, in nats (`>= 0`)",
        example: "kl([1, 0], [0.5, 0.5])",
        gives: "0.693",
        imp: |a| numeric::targets::kl(a.vector(0)?, a.vector(1)?).map(Value::Num).map_err(|e| probability_error(a, e)),
    },
    Function {
        sig: Signature {
            name: "binary_cross_entropy",
            params: &[Param::required("x", Type::Number), Param::required("y", Type::Number)],
            rest: None,
        },
        doc: "`-(y ln sigmoid(x) + (1 - y) ln(1 - sigmoid(x)))` for a logit `x` and a target `y` in [0, 1], computed from the logit",
        example: "binary_cross_entropy(2, 1)",
        gives: "0.127",
        imp: |a| {
            numeric::targets::binary_cross_entropy(a.num(0)?, a.num(1)?)
                .map(Value::Num)
                .map_err(|e| Diag::error(a.span(1).clone(), e.to_string(), "here"))
        },
    },
    Function {
        sig: Signature {
            name: "top_k",
            params: &[Param::required("p", Type::Vector), Param::required("k", Type::Number)],
            rest: None,
        },
        doc: "the probability vector `p` kept on its `k` most probable classes, renormalised (the rest 0)",
        example: "top_k([0.1, 0.5, 0.25, 0.15], 2)",
        gives: "[0, 0.667, 0.333, 0]",
        imp: |a| {
            let k = whole(a, 1, 1.0)?;
            numeric::targets::top_k(a.vector(0)?, k).map(Value::Vector).map_err(|e| a.num_error(e))
        },
    },
    Function {
        sig: Signature {
            name: "top_p",
            params: &[Param::required("p", Type::Vector), Param::required("top", Type::Number)],
            rest: None,
        },
        doc: "`p` kept on its fewest most probable classes whose total reaches `top`, renormalised (the rest 0)",
        example: "top_p([0.1, 0.5, 0.25, 0.15], 0.8)",
        gives: "[0, 0.556, 0.278, 0.167]",
        imp: |a| {
            let top = a.num(1)?;
            if !(top > 0.0 && top <= 1.0) {
                return fail(a.span(1), format!("`top_p` needs a total in (0, 1], got {top}"), "here");
            }
            numeric::targets::top_p(a.vector(0)?, top).map(Value::Vector).map_err(|e| a.num_error(e))
        },
    },
    Function {
        sig: Signature {
            name: "onehot",
            params: &[Param::required("k", Type::Number), Param::required("n", Type::Number)],
            rest: None,
        },
        doc: "the vector of length `n` with 1 at index `k` and 0 elsewhere",
        example: "onehot(1, 3)",
        gives: "[0, 1, 0]",
        imp: |a| {
            let n = whole(a, 1, 1.0)?;
            let k = whole(a, 0, 0.0)?;
            if k >= n {
                return fail(a.span(0), format!("`onehot` needs an index below {n}, got {k}"), "here");
            }
            Ok(Value::Vector((0..n).map(|i| if i == k { 1.0 } else { 0.0 }).collect()))
        },
    },
    Function {
        sig: Signature {
            name: "dot",
            params: &[Param::required("a", Type::Vector), Param::required("b", Type::Vector)],
            rest: None,
        },
        doc: "`sum(a * b)`, the dot product of two vectors of the same length",
        example: "dot([1, 2, 3], [0.5, 0.25, 0])",
        gives: "1",
        imp: |a| {
            let (x, y) = (a.vector(0)?, a.vector(1)?);
            if x.len() != y.len() {
                return fail(
                    a.call(),
                    format!("`dot` of vectors of different lengths ({} and {})", x.len(), y.len()),
                    "here",
                );
            }
            // Exact products, double-double sum: one rounding in all.
            let (mut h, mut l) = (0.0, 0.0);
            for (&u, &v) in x.iter().zip(y) {
                let (p, e) = numeric::dd::two_prod_fma(u, v);
                let (s, f) = numeric::dd::two_sum(h, p);
                h = s;
                l += e + f;
            }
            // A product or sum past f64::MAX leaves NaN in the error terms:
            // report the plain sum (infinite) instead, which the evaluator
            // refuses as an overflow.
            let exact = h + l + 0.0;
            Ok(Value::Num(if exact.is_nan() { x.iter().zip(y).map(|(u, v)| u * v).sum() } else { exact }))
        },
    },
    Function {
        sig: Signature {
            name: "maxdiff",
            params: &[Param::required("a", Type::NumberOrVector), Param::required("b", Type::NumberOrVector)],
            rest: None,
        },
        doc: "the largest `abs(a - b)` over the components: how far apart two computed values are, as in `check maxdiff(a, b) < tol`",
        example: "maxdiff([0.5, 0.25], [0.5, 0.2])",
        gives: "0.05",
        imp: |a| {
            let as_vec = |v: &Value| match v {
                Value::Num(x) => vec![*x],
                Value::Vector(xs) => xs.clone(),
                _ => Vec::new(),
            };
            let (x, y) = (as_vec(a.get(0).unwrap_or(&Value::Num(0.0))), as_vec(a.get(1).unwrap_or(&Value::Num(0.0))));
            if x.len() != y.len() {
                return fail(
                    a.call(),
                    format!("`maxdiff` of values of different lengths ({} and {})", x.len(), y.len()),
                    "here",
                );
            }
            Ok(Value::Num(x.iter().zip(&y).map(|(u, v)| (u - v).abs()).fold(0.0, f64::max)))
        },
    },
    Function {
        sig: Signature { name: "sigmoid", params: &[X], rest: None },
        doc: "`1 / (1 + exp(-x))`, element-wise: the probability of the positive class from its logit",
        example: "sigmoid([-2, 0, 2])",
        gives: "[0.119, 0.500, 0.881]",
        imp: |a| elementwise(a, |_, x| Ok(if x >= 0.0 { 1.0 / (1.0 + (-x).exp()) } else { x.exp() / (1.0 + x.exp()) })),
    },
    Function {
        sig: Signature { name: "exp", params: &[X], rest: None },
        doc: "`e^x`, element-wise",
        example: "exp(1)",
        gives: "2.718",
        imp: |a| elementwise(a, |_, x| Ok(x.exp())),
    },
    Function {
        sig: Signature { name: "ln", params: &[X], rest: None },
        doc: "natural log, element-wise, `x > 0`",
        example: "ln(10)",
        gives: "2.303",
        imp: |a| elementwise(a, |a, x| positive(a, x).map(f64::ln)),
    },
    Function {
        sig: Signature { name: "log2", params: &[X], rest: None },
        doc: "base-2 log, element-wise, `x > 0`",
        example: "log2([8, 1024])",
        gives: "[3, 10]",
        imp: |a| elementwise(a, |a, x| positive(a, x).map(f64::log2)),
    },
    Function {
        sig: Signature { name: "log10", params: &[X], rest: None },
        doc: "base-10 log, element-wise, `x > 0`",
        example: "log10(1000)",
        gives: "3",
        imp: |a| elementwise(a, |a, x| positive(a, x).map(f64::log10)),
    },
    Function {
        sig: Signature { name: "sqrt", params: &[X], rest: None },
        doc: "square root, element-wise, `x >= 0`",
        example: "sqrt(2)",
        gives: "1.414",
        imp: |a| {
            elementwise(a, |a, x| {
                if x < 0.0 { Err(format!("{} needs a number >= 0, got {x}", a.who())) } else { Ok(x.sqrt()) }
            })
        },
    },
    Function {
        sig: Signature { name: "abs", params: &[X], rest: None },
        doc: "absolute value, element-wise",
        example: "abs([-2, 3])",
        gives: "[2, 3]",
        imp: |a| elementwise(a, |_, x| Ok(x.abs())),
    },
    Function {
        sig: Signature { name: "sum", params: &[V], rest: None },
        doc: "sum of the components of `v`",
        example: "sum([0.5, 0.25])",
        gives: "0.75",
        // `+ 0.0`: the empty sum is 0, not the -0 that `f64::sum` starts from.
        imp: |a| Ok(Value::Num(a.vector(0)?.iter().sum::<f64>() + 0.0)),
    },
    Function {
        sig: Signature { name: "mean", params: &[V], rest: None },
        doc: "mean of the components of `v`",
        example: "mean([1, 2, 3, 4])",
        gives: "2.5",
        imp: |a| nonempty(a).map(|v| Value::Num(v.iter().sum::<f64>() / v.len() as f64)),
    },
    Function {
        sig: Signature { name: "max", params: &[], rest: Some(X) },
        doc: "the largest component of one vector, or the largest of several numbers",
        example: "max([3, 7, 5])",
        gives: "7",
        imp: |a| extreme(a, f64::max),
    },
    Function {
        sig: Signature { name: "min", params: &[], rest: Some(X) },
        doc: "the smallest component of one vector, or the smallest of several numbers",
        example: "min(3, 7, 5)",
        gives: "3",
        imp: |a| extreme(a, f64::min),
    },
    Function {
        sig: Signature { name: "argmax", params: &[V], rest: None },
        doc: "index of the largest component (the first on a tie)",
        example: "argmax([3, 7, 7])",
        gives: "1",
        imp: |a| nonempty(a).map(|v| first_best(v, |x, b| x > b)),
    },
    Function {
        sig: Signature { name: "argmin", params: &[V], rest: None },
        doc: "index of the smallest component (the first on a tie)",
        example: "argmin([3, 7, 3])",
        gives: "0",
        imp: |a| nonempty(a).map(|v| first_best(v, |x, b| x < b)),
    },
    Function {
        sig: Signature { name: "len", params: &[V], rest: None },
        doc: "number of components",
        example: "len([3, 7, 5])",
        gives: "3",
        imp: |a| Ok(Value::Num(a.vector(0)?.len() as f64)),
    },
    Function {
        sig: Signature { name: "range", params: &[Param::required("n", Type::Number)], rest: None },
        doc: "the vector `[0, 1, ..., n-1]`, for a whole `n` up to 1000000",
        example: "range(4)",
        gives: "[0, 1, 2, 3]",
        imp: |a| {
            let n = a.num(0)?;
            if n.fract() != 0.0 || !(0.0..=1e6).contains(&n) {
                return fail(a.span(0), format!("`range` needs a whole number from 0 to 1000000, got {n}"), "here");
            }
            Ok(Value::Vector((0..n as usize).map(|i| i as f64).collect()))
        },
    },
    Function {
        sig: Signature { name: "linspace", params: &[A, B, N], rest: None },
        doc: "`n` evenly spaced numbers from `a` to `b`, both included (`n` whole, 2 to 100000)",
        example: "linspace(0, 1, 5)",
        gives: "[0, 0.25, 0.5, 0.75, 1]",
        imp: |a| {
            let (lo, hi, n) = (a.num(0)?, a.num(1)?, samples(a)?);
            let step = (hi - lo) / (n - 1) as f64;
            // The last point is `b` exactly, not `a + (n-1)*step` rounded.
            Ok(Value::Vector((0..n).map(|i| if i + 1 == n { hi } else { lo + i as f64 * step }).collect()))
        },
    },
    Function {
        sig: Signature { name: "logspace", params: &[A, B, N], rest: None },
        doc: "`n` numbers from `10^a` to `10^b`, evenly spaced on a log scale (`n` whole, 2 to 100000)",
        example: "logspace(-1, 1, 3)",
        gives: "[0.1, 1, 10]",
        imp: |a| {
            let (lo, hi, n) = (a.num(0)?, a.num(1)?, samples(a)?);
            let step = (hi - lo) / (n - 1) as f64;
            let v: Vec<f64> = (0..n).map(|i| 10f64.powf(if i + 1 == n { hi } else { lo + i as f64 * step })).collect();
            if let Some(bad) = v.iter().find(|x| !x.is_finite() || **x == 0.0) {
                return fail(a.call(), format!("`logspace` reaches {bad}, outside the range of f64"), "here");
            }
            Ok(Value::Vector(v))
        },
    },
];

const A: Param = Param::required("a", Type::Number);
const B: Param = Param::required("b", Type::Number);
const N: Param = Param::required("n", Type::Number);

/// The sample count of `linspace`/`logspace` (parameter 2).
fn samples(a: &Args) -> EResult<usize> {
    let n = a.num(2)?;
    if n.fract() != 0.0 || !(2.0..=100_000.0).contains(&n) {
        return fail(
            a.span(2),
            format!("{} needs a whole number of points from 2 to 100000, got {n}", a.who()),
            "here",
        );
    }
    Ok(n as usize)
}

/// Applies `f` to a number, or to each component of a vector (parameter 0).
fn elementwise(a: &Args, f: impl Fn(&Args, f64) -> Result<f64, String>) -> EResult<Value> {
    let at = |m| Diag::error(a.span(0).clone(), m, "here");
    match a.get(0) {
        Some(Value::Num(x)) => f(a, *x).map(Value::Num).map_err(at),
        Some(Value::Vector(xs)) => xs.iter().map(|&x| f(a, x)).collect::<Result<_, _>>().map(Value::Vector).map_err(at),
        _ => Err(a.unbound(0, "number or vector")),
    }
}

/// Number parameter `i` as a whole number from `lo` to 1000000.
fn whole(a: &Args, i: usize, lo: f64) -> EResult<usize> {
    let x = a.num(i)?;
    if x.fract() != 0.0 || !(lo..=1e6).contains(&x) {
        return fail(a.span(i), format!("{} needs a whole number from {lo} to 1000000, got {x}", a.who()), "here");
    }
    Ok(x as usize)
}

/// A [`numeric::NumError`] about a pair of vectors: at the first argument
/// when it is about the logits or the temperature, else at the second.
fn probability_error(a: &Args, e: numeric::NumError) -> Diag {
    match e {
        numeric::NumError::NotAProbability(_) => Diag::error(a.span(1).clone(), e.to_string(), "here"),
        other => a.num_error(other),
    }
}

fn positive(a: &Args, x: f64) -> Result<f64, String> {
    if x <= 0.0 { Err(format!("{} needs a positive number, got {x}", a.who())) } else { Ok(x) }
}

/// Vector parameter 0, which must not be empty.
fn nonempty(a: &Args) -> EResult<&[f64]> {
    let v = a.vector(0)?;
    if v.is_empty() {
        return fail(a.span(0), format!("{} of an empty vector", a.who()), "here");
    }
    Ok(v)
}

/// The index of the first component that no later one is `better` than.
fn first_best(v: &[f64], better: fn(f64, f64) -> bool) -> Value {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if better(x, v[best]) {
            best = i;
        }
    }
    Value::Num(best as f64)
}

/// `max`/`min`: of one vector's components, or of several numbers.
fn extreme(a: &Args, pick: fn(f64, f64) -> f64) -> EResult<Value> {
    let nums: Vec<f64> = match a.rest() {
        [(Value::Vector(v), _)] => v.clone(),
        [(Value::Num(x), _)] => vec![*x],
        several => {
            let mut out = Vec::with_capacity(several.len());
            for (v, s) in several {
                match v {
                    Value::Num(x) => out.push(*x),
                    other => {
                        let m = format!("{} of several arguments needs numbers, got {}", a.who(), other.type_name());
                        return fail(s, m, "here");
                    }
                }
            }
            out
        }
    };
    match nums.first() {
        Some(&first) => Ok(Value::Num(nums.iter().copied().fold(first, pick))),
        None => fail(a.call(), format!("{} of nothing", a.who()), "here"),
    }
}
