//! The built-in functions: one table, [`FUNCTIONS`], of names, typed
//! parameters ([`Signature`], whose binding widgets share), documentation,
//! examples and implementations.
//!
//! A new function is one entry of [`FUNCTIONS`]: its arity and type errors,
//! the "did you mean" hints, the authoring reference
//! ([`reference_markdown`]) and the test of its example all come from it.

use super::data::{self, Data};
use std::borrow::Cow;

use super::signature::{Args, Omitted, Param, Signature, Slots, Type, Who, fail};
use super::{EResult, Matrix, Value, edit_distance};
use crate::diagnostics::Diag;
use crate::numeric::{self, calibration};
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
    pub imp: Imp,
}

/// A function's implementation: pure (almost all), or reading data files
/// through the chapter's [`Data`] (`load`), which records them.
#[derive(Debug, Clone, Copy)]
pub enum Imp {
    /// A function of its arguments alone.
    Pure(fn(&Args) -> EResult<Value>),
    /// A function of its arguments and the book's data files.
    Data(fn(&Args, &Data) -> EResult<Value>),
}

impl Function {
    /// The function's name.
    pub fn name(&self) -> &'static str {
        self.sig.name
    }

    /// Binds the evaluated arguments of a call (the positional ones in
    /// order, each `Some`) and runs it; `data` is where `load` reads.
    pub fn call<'a, 'n>(
        &self,
        data: &Data,
        call: &Span,
        positional: &mut Slots<'a>,
        named: impl IntoIterator<Item = (&'n str, Cow<'a, Value>, Span)>,
    ) -> EResult<Value> {
        let who = Who::Function(self.sig.name);
        let args = self.sig.bind_values(who, call, positional, named)?;
        match self.imp {
            Imp::Pure(f) => f(&args),
            Imp::Data(f) => f(&args, data),
        }
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

const Z: Param = Param::required("z", Type::VectorOrMatrix);
const VM: Param = Param::required("v", Type::VectorOrMatrix);
const M: Param = Param::required("M", Type::Matrix);
const LABELS: Param = Param::required("labels", Type::Vector);
const BINS: Param = Param::number("bins", 15.0);
const T: Param = Param::number("T", 1.0);
const X: Param = Param::required("x", Type::NumberOrVector);
const V: Param = Param::required("v", Type::Vector);

/// Every function lemma knows, in the order the reference lists them.
pub const FUNCTIONS: &[Function] = &[
    Function {
        sig: Signature { name: "softmax", params: &[Z, T], rest: None },
        doc: "probabilities of the logits `z` at temperature `T` (of each row, for a matrix `z`)",
        example: "softmax([2, 1, 0.5])",
        gives: "[0.629, 0.231, 0.140]",
        imp: Imp::Pure(|a| per_row(a, |z| numeric::softmax(z, a.num(1)?).map_err(|e| a.num_error(e)))),
    },
    Function {
        sig: Signature { name: "log_softmax", params: &[Z, T], rest: None },
        doc: "natural logs of `softmax(z, T)` (of each row, for a matrix `z`)",
        example: "log_softmax([2, 1, 0.5])",
        gives: "[-0.464, -1.464, -1.964]",
        imp: Imp::Pure(|a| per_row(a, |z| numeric::log_softmax(z, a.num(1)?).map_err(|e| a.num_error(e)))),
    },
    Function {
        sig: Signature { name: "logsumexp", params: &[Z, T], rest: None },
        doc: "`ln(sum(exp(z / T)))` (a vector of one per row, for a matrix `z`)",
        example: "logsumexp([2, 1, 0.5])",
        gives: "2.464",
        imp: Imp::Pure(|a| per_row_num(a, |z| numeric::logsumexp(z, a.num(1)?).map_err(|e| a.num_error(e)))),
    },
    Function {
        sig: Signature {
            name: "cross_entropy",
            params: &[Z, Param::required("y", Type::NumberOrVector), T],
            rest: None,
        },
        doc: "`-ln softmax(z, T)[y]`, in nats; for a matrix `z` and a vector of labels `y`, the vector of each row's loss",
        example: "cross_entropy([2, 1, 0.5], 0)",
        gives: "0.464",
        imp: Imp::Pure(|a| {
            if let Some(Value::Matrix(m)) = a.get(0) {
                let (_, y) = logits_and_labels(a, m)?;
                let t = a.num(2)?;
                let losses = m
                    .row_iter()
                    .zip(&y)
                    .map(|(row, &k)| numeric::cross_entropy(row, k as i64, t).map_err(|e| a.num_error(e)));
                return losses.collect::<EResult<Vec<f64>>>().map(Value::Vector);
            }
            let Some(Value::Num(y)) = a.get(1) else {
                return fail(a.span(1), "for a vector `z`, the class `y` is one number".into(), "here");
            };
            let y = *y;
            if y.fract() != 0.0 || y.abs() > 1e15 {
                return fail(a.span(1), format!("the class `y` must be a whole number, got {y}"), "here");
            }
            numeric::cross_entropy(a.vector(0)?, y as i64, a.num(2)?).map(Value::Num).map_err(|e| a.num_error(e))
        }),
    },
    Function {
        sig: Signature { name: "entropy", params: &[Param::required("p", Type::Vector)], rest: None },
        doc: "`-sum(p ln p)` of a probability vector `p`, in nats",
        example: "entropy([0.5, 0.25, 0.25])",
        gives: "1.040",
        imp: Imp::Pure(|a| numeric::entropy(a.vector(0)?).map(Value::Num).map_err(|e| a.num_error(e))),
    },
    Function {
        sig: Signature { name: "soft_cross_entropy", params: &[Z, Param::required("q", Type::Vector), T], rest: None },
        doc: "`-sum(q * log_softmax(z, T))`: the cross-entropy of the logits `z` against a target distribution `q`, in nats",
        example: "soft_cross_entropy([2, 1, 0.5], [0.9, 0.05, 0.05])",
        gives: "0.589",
        imp: Imp::Pure(|a| {
            numeric::targets::soft_cross_entropy(a.vector(0)?, a.vector(1)?, a.num(2)?)
                .map(Value::Num)
                .map_err(|e| probability_error(a, e))
        }),
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
        imp: Imp::Pure(|a| {
            numeric::targets::kl(a.vector(0)?, a.vector(1)?).map(Value::Num).map_err(|e| probability_error(a, e))
        }),
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
        imp: Imp::Pure(|a| {
            numeric::targets::binary_cross_entropy(a.num(0)?, a.num(1)?)
                .map(Value::Num)
                .map_err(|e| Diag::error(a.span(1).clone(), e.to_string(), "here"))
        }),
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
        imp: Imp::Pure(|a| {
            let k = whole(a, 1, 1.0)?;
            numeric::targets::top_k(a.vector(0)?, k).map(Value::Vector).map_err(|e| a.num_error(e))
        }),
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
        imp: Imp::Pure(|a| {
            let top = a.num(1)?;
            if !(top > 0.0 && top <= 1.0) {
                return fail(a.span(1), format!("`top_p` needs a total in (0, 1], got {top}"), "here");
            }
            numeric::targets::top_p(a.vector(0)?, top).map(Value::Vector).map_err(|e| a.num_error(e))
        }),
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
        imp: Imp::Pure(|a| {
            let n = whole(a, 1, 1.0)?;
            let k = whole(a, 0, 0.0)?;
            if k >= n {
                return fail(a.span(0), format!("`onehot` needs an index below {n}, got {k}"), "here");
            }
            Ok(Value::Vector((0..n).map(|i| if i == k { 1.0 } else { 0.0 }).collect()))
        }),
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
        imp: Imp::Pure(|a| {
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
        }),
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
        imp: Imp::Pure(|a| {
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
        }),
    },
    Function {
        sig: Signature { name: "sigmoid", params: &[X], rest: None },
        doc: "`1 / (1 + exp(-x))`, element-wise: the probability of the positive class from its logit",
        example: "sigmoid([-2, 0, 2])",
        gives: "[0.119, 0.500, 0.881]",
        imp: Imp::Pure(|a| {
            elementwise(a, |_, x| Ok(if x >= 0.0 { 1.0 / (1.0 + (-x).exp()) } else { x.exp() / (1.0 + x.exp()) }))
        }),
    },
    Function {
        sig: Signature { name: "exp", params: &[X], rest: None },
        doc: "`e^x`, element-wise",
        example: "exp(1)",
        gives: "2.718",
        imp: Imp::Pure(|a| elementwise(a, |_, x| Ok(x.exp()))),
    },
    Function {
        sig: Signature { name: "ln", params: &[X], rest: None },
        doc: "natural log, element-wise, `x > 0`",
        example: "ln(10)",
        gives: "2.303",
        imp: Imp::Pure(|a| elementwise(a, |a, x| positive(a, x).map(f64::ln))),
    },
    Function {
        sig: Signature { name: "log2", params: &[X], rest: None },
        doc: "base-2 log, element-wise, `x > 0`",
        example: "log2([8, 1024])",
        gives: "[3, 10]",
        imp: Imp::Pure(|a| elementwise(a, |a, x| positive(a, x).map(f64::log2))),
    },
    Function {
        sig: Signature { name: "log10", params: &[X], rest: None },
        doc: "base-10 log, element-wise, `x > 0`",
        example: "log10(1000)",
        gives: "3",
        imp: Imp::Pure(|a| elementwise(a, |a, x| positive(a, x).map(f64::log10))),
    },
    Function {
        sig: Signature { name: "sqrt", params: &[X], rest: None },
        doc: "square root, element-wise, `x >= 0`",
        example: "sqrt(2)",
        gives: "1.414",
        imp: Imp::Pure(|a| {
            elementwise(a, |a, x| {
                if x < 0.0 { Err(format!("{} needs a number >= 0, got {x}", a.who())) } else { Ok(x.sqrt()) }
            })
        }),
    },
    Function {
        sig: Signature { name: "abs", params: &[X], rest: None },
        doc: "absolute value, element-wise",
        example: "abs([-2, 3])",
        gives: "[2, 3]",
        imp: Imp::Pure(|a| elementwise(a, |_, x| Ok(x.abs()))),
    },
    Function {
        sig: Signature { name: "sum", params: &[V], rest: None },
        doc: "sum of the components of `v`",
        example: "sum([0.5, 0.25])",
        gives: "0.75",
        // `+ 0.0`: the empty sum is 0, not the -0 that `f64::sum` starts from.
        imp: Imp::Pure(|a| Ok(Value::Num(a.vector(0)?.iter().sum::<f64>() + 0.0))),
    },
    Function {
        sig: Signature { name: "mean", params: &[V], rest: None },
        doc: "mean of the components of `v`",
        example: "mean([1, 2, 3, 4])",
        gives: "2.5",
        imp: Imp::Pure(|a| nonempty(a).map(|v| Value::Num(v.iter().sum::<f64>() / v.len() as f64))),
    },
    Function {
        sig: Signature { name: "max", params: &[], rest: Some(X) },
        doc: "the largest component of one vector, or the largest of several numbers",
        example: "max([3, 7, 5])",
        gives: "7",
        imp: Imp::Pure(|a| extreme(a, f64::max)),
    },
    Function {
        sig: Signature { name: "min", params: &[], rest: Some(X) },
        doc: "the smallest component of one vector, or the smallest of several numbers",
        example: "min(3, 7, 5)",
        gives: "3",
        imp: Imp::Pure(|a| extreme(a, f64::min)),
    },
    Function {
        sig: Signature { name: "argmax", params: &[VM], rest: None },
        doc: "index of the largest component (the first on a tie); for a matrix, the vector of each row's",
        example: "argmax([3, 7, 7])",
        gives: "1",
        imp: Imp::Pure(|a| best_of(a, |x, b| x > b)),
    },
    Function {
        sig: Signature { name: "argmin", params: &[VM], rest: None },
        doc: "index of the smallest component (the first on a tie); for a matrix, the vector of each row's",
        example: "argmin([3, 7, 3])",
        gives: "0",
        imp: Imp::Pure(|a| best_of(a, |x, b| x < b)),
    },
    Function {
        sig: Signature { name: "len", params: &[V], rest: None },
        doc: "number of components",
        example: "len([3, 7, 5])",
        gives: "3",
        imp: Imp::Pure(|a| Ok(Value::Num(a.vector(0)?.len() as f64))),
    },
    Function {
        sig: Signature { name: "range", params: &[Param::required("n", Type::Number)], rest: None },
        doc: "the vector `[0, 1, ..., n-1]`, for a whole `n` up to 1000000",
        example: "range(4)",
        gives: "[0, 1, 2, 3]",
        imp: Imp::Pure(|a| {
            let n = a.num(0)?;
            if n.fract() != 0.0 || !(0.0..=1e6).contains(&n) {
                return fail(a.span(0), format!("`range` needs a whole number from 0 to 1000000, got {n}"), "here");
            }
            Ok(Value::Vector((0..n as usize).map(|i| i as f64).collect()))
        }),
    },
    Function {
        sig: Signature { name: "linspace", params: &[A, B, N], rest: None },
        doc: "`n` evenly spaced numbers from `a` to `b`, both included (`n` whole, 2 to 100000)",
        example: "linspace(0, 1, 5)",
        gives: "[0, 0.25, 0.5, 0.75, 1]",
        imp: Imp::Pure(|a| {
            let (lo, hi, n) = (a.num(0)?, a.num(1)?, samples(a)?);
            let step = (hi - lo) / (n - 1) as f64;
            // The last point is `b` exactly, not `a + (n-1)*step` rounded.
            Ok(Value::Vector((0..n).map(|i| if i + 1 == n { hi } else { lo + i as f64 * step }).collect()))
        }),
    },
    Function {
        sig: Signature { name: "logspace", params: &[A, B, N], rest: None },
        doc: "`n` numbers from `10^a` to `10^b`, evenly spaced on a log scale (`n` whole, 2 to 100000)",
        example: "logspace(-1, 1, 3)",
        gives: "[0.1, 1, 10]",
        imp: Imp::Pure(|a| {
            let (lo, hi, n) = (a.num(0)?, a.num(1)?, samples(a)?);
            let step = (hi - lo) / (n - 1) as f64;
            let v: Vec<f64> = (0..n).map(|i| 10f64.powf(if i + 1 == n { hi } else { lo + i as f64 * step })).collect();
            if let Some(bad) = v.iter().find(|x| !x.is_finite() || **x == 0.0) {
                return fail(a.call(), format!("`logspace` reaches {bad}, outside the range of f64"), "here");
            }
            Ok(Value::Vector(v))
        }),
    },
    Function {
        sig: Signature { name: "rows", params: &[M], rest: None },
        doc: "the number of rows of the matrix `M` (a matrix is written `[[1, 2], [3, 4]]`, row by row, or loaded)",
        example: "rows([[1, 2, 3], [4, 5, 6]])",
        gives: "2",
        imp: Imp::Pure(|a| Ok(Value::Num(a.matrix(0)?.rows() as f64))),
    },
    Function {
        sig: Signature { name: "cols", params: &[M], rest: None },
        doc: "the number of columns of the matrix `M`",
        example: "cols([[1, 2, 3], [4, 5, 6]])",
        gives: "3",
        imp: Imp::Pure(|a| Ok(Value::Num(a.matrix(0)?.cols() as f64))),
    },
    Function {
        sig: Signature { name: "row", params: &[M, Param::required("i", Type::Number)], rest: None },
        doc: "row `i` of the matrix `M`, counting from 0, as a vector (also `M[i]`; `M[a:b]` is the matrix of rows `a` to `b - 1`)",
        example: "row([[1, 2], [3, 4]], 1)",
        gives: "[3, 4]",
        imp: Imp::Pure(|a| {
            let m = a.matrix(0)?;
            let i = index(a, 1, m.rows(), "rows")?;
            Ok(Value::Vector(m.row(i).to_vec()))
        }),
    },
    Function {
        sig: Signature { name: "column", params: &[M, Param::required("j", Type::Number)], rest: None },
        doc: "column `j` of the matrix `M`, counting from 0, as a vector",
        example: "column([[1, 2], [3, 4]], 1)",
        gives: "[2, 4]",
        imp: Imp::Pure(|a| {
            let m = a.matrix(0)?;
            let j = index(a, 1, m.cols(), "columns")?;
            Ok(Value::Vector(m.row_iter().map(|r| r[j]).collect()))
        }),
    },
    Function {
        sig: Signature { name: "confidence", params: &[M, T], rest: None },
        doc: "the largest `softmax` probability of each row of the logits `M` at temperature `T`: the model's confidence in its prediction, a vector",
        example: "confidence([[2, 1, 0.5], [0, 3, 0]])",
        gives: "[0.629, 0.909]",
        imp: Imp::Pure(|a| {
            let z = logits(a, a.matrix(0)?)?;
            calibration::confidence(&z, a.num(1)?).map(Value::Vector).map_err(|e| cal_error(a, e))
        }),
    },
    Function {
        sig: Signature { name: "correct", params: &[M, LABELS], rest: None },
        doc: "1 where a row's prediction, its `argmax` (the first on a tie), is its label, else 0: a vector",
        example: "correct([[2, 1, 0.5], [0, 3, 0]], [0, 2])",
        gives: "[1, 0]",
        imp: Imp::Pure(|a| {
            let (z, y) = logits_and_labels(a, a.matrix(0)?)?;
            Ok(Value::Vector(calibration::correct(&z, &y)))
        }),
    },
    Function {
        sig: Signature { name: "accuracy", params: &[M, LABELS], rest: None },
        doc: "the fraction of rows whose prediction (`argmax`, the first on a tie) is their label",
        example: "accuracy([[2, 1, 0.5], [0, 3, 0]], [0, 2])",
        gives: "0.5",
        imp: Imp::Pure(|a| {
            let (z, y) = logits_and_labels(a, a.matrix(0)?)?;
            Ok(Value::Num(calibration::accuracy(&z, &y)))
        }),
    },
    Function {
        sig: Signature { name: "nll", params: &[M, LABELS, T], rest: None },
        doc: "the mean negative log-likelihood of the labels, the mean over rows of `cross_entropy(row, label, T)`, in nats (summed in double-double, rounded once)",
        example: "nll([[2, 1, 0.5], [0, 3, 0]], [0, 2])",
        gives: "1.780",
        imp: Imp::Pure(|a| {
            let (z, y) = logits_and_labels(a, a.matrix(0)?)?;
            calibration::nll(&z, &y, a.num(2)?).map(Value::Num).map_err(|e| cal_error(a, e))
        }),
    },
    Function {
        sig: Signature { name: "ece", params: &[M, LABELS, T, BINS], rest: None },
        doc: "expected calibration error (Guo et al. 2017): the rows binned by `confidence(M, T)` into `bins` equal bins, bin `m` holding the confidences in `((m-1)/bins, m/bins]` (a confidence on a boundary goes to the lower bin, decided exactly; 0 to the first), and the sum over the bins `B` of `count(B) / n * abs(accuracy(B) - mean confidence(B))`",
        example: "ece([[2, 1, 0.5], [0, 3, 0]], [0, 2])",
        gives: "0.640",
        imp: Imp::Pure(|a| {
            let (z, y) = logits_and_labels(a, a.matrix(0)?)?;
            calibration::ece(&z, &y, a.num(2)?, a.num(3)?).map(Value::Num).map_err(|e| cal_error(a, e))
        }),
    },
    Function {
        sig: Signature { name: "mce", params: &[M, LABELS, T, BINS], rest: None },
        doc: "maximum calibration error: the largest `abs(accuracy(B) - mean confidence(B))` over the non-empty bins `B` of `ece`",
        example: "mce([[2, 1, 0.5], [0, 3, 0]], [0, 2])",
        gives: "0.909",
        imp: Imp::Pure(|a| {
            let (z, y) = logits_and_labels(a, a.matrix(0)?)?;
            calibration::mce(&z, &y, a.num(2)?, a.num(3)?).map(Value::Num).map_err(|e| cal_error(a, e))
        }),
    },
    Function {
        sig: Signature { name: "fit_temperature", params: &[M, LABELS], rest: None },
        doc: "the temperature `T > 0` that minimises `nll(M, labels, T)`: bisection on the sign of the NLL's derivative (in double-double) down to two adjacent doubles, returning the one where the derivative is smaller; an error when no finite `T` minimises it (every label already its row's `argmax`, or labels no likelier than a uniform guess)",
        example: "fit_temperature([[2, 1, 0.5], [0, 3, 1], [1, 2, 0]], [0, 1, 0])",
        gives: "0.859",
        imp: Imp::Pure(|a| {
            let (z, y) = logits_and_labels(a, a.matrix(0)?)?;
            calibration::fit_temperature(&z, &y).map(Value::Num).map_err(|e| cal_error(a, e))
        }),
    },
    Function {
        sig: Signature {
            name: "load",
            params: &[
                Param::required("path", Type::Str),
                Param { name: "select", ty: Type::Str, default: Some(Omitted::Computed("all")), named_only: false },
            ],
            rest: None,
        },
        doc: "the numbers of a data file, its path relative to the book root: a CSV file's columns (a header line, then rows of numbers) as a matrix, one column `select=\"label\"` as a vector, or the columns `\"z0:z9\"` (from `z0` to `z9` in the header) as a matrix; in a JSON file, the value at the dotted key `select` (`\"test.logits\"`): an array of arrays of numbers is a matrix, an array of numbers a vector",
        example: "load(\"data/examples/tiny.csv\", \"label\")",
        gives: "[2, 0, 1, 1]",
        imp: Imp::Data(|a, data| {
            let Some(Value::Str(given)) = a.get(0) else { return Err(a.unbound(0, "string")) };
            let path = data::book_path(given).map_err(|m| Diag::error(a.span(0).clone(), m, "here"))?;
            let bytes = data
                .read(&path)
                .map_err(|m| Diag::error(a.span(0).clone(), format!("cannot load `{path}`: {m}"), "here"))?;
            let select = match a.get(1) {
                Some(Value::Str(s)) => Some(s.as_str()),
                _ => None,
            };
            data::parse(&path, &bytes, select).map_err(|e| {
                let span = if e.at == data::At::Select { a.span(1) } else { a.span(0) };
                Diag::error(span.clone(), e.message, "here")
            })
        }),
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

/// A vector function of a vector `z` (parameter 0), applied to each row
/// of a matrix `z`.
fn per_row(a: &Args, f: impl Fn(&[f64]) -> EResult<Vec<f64>>) -> EResult<Value> {
    match a.get(0) {
        Some(Value::Matrix(m)) => {
            let mut data = Vec::with_capacity(m.data().len());
            for row in m.row_iter() {
                data.extend(f(row)?);
            }
            Matrix::new(m.cols(), data).map(Value::Matrix).ok_or_else(|| a.unbound(0, "matrix"))
        }
        _ => f(a.vector(0)?).map(Value::Vector),
    }
}

/// A number function of a vector `z` (parameter 0); the vector of its
/// values on the rows of a matrix `z`.
fn per_row_num(a: &Args, f: impl Fn(&[f64]) -> EResult<f64>) -> EResult<Value> {
    match a.get(0) {
        Some(Value::Matrix(m)) => m.row_iter().map(f).collect::<EResult<Vec<f64>>>().map(Value::Vector),
        _ => f(a.vector(0)?).map(Value::Num),
    }
}

/// `argmax`/`argmin`: of a vector, or of each row of a matrix.
fn best_of(a: &Args, better: fn(f64, f64) -> bool) -> EResult<Value> {
    match a.get(0) {
        Some(Value::Matrix(m)) => Ok(Value::Vector(
            m.row_iter().map(|r| if let Value::Num(i) = first_best(r, better) { i } else { 0.0 }).collect(),
        )),
        _ => nonempty(a).map(|v| first_best(v, better)),
    }
}

/// Number parameter `i` as an index below `n` (of `what`).
fn index(a: &Args, i: usize, n: usize, what: &str) -> EResult<usize> {
    let x = a.num(i)?;
    if x.fract() != 0.0 || x < 0.0 || x >= n as f64 {
        return fail(
            a.span(i),
            format!("{} needs a whole number from 0 to {} (the matrix has {n} {what}), got {x}", a.who(), n - 1),
            "here",
        );
    }
    Ok(x as usize)
}

/// The matrix `m` as logits for the calibration core.
fn logits<'m>(a: &Args, m: &'m Matrix) -> EResult<calibration::Logits<'m>> {
    calibration::Logits::new(m.data(), m.cols()).map_err(|e| cal_error(a, e))
}

/// The matrix `m` (parameter 0) as logits and parameter 1 as its labels.
fn logits_and_labels<'m>(a: &Args, m: &'m Matrix) -> EResult<(calibration::Logits<'m>, Vec<usize>)> {
    let z = logits(a, m)?;
    let Some(Value::Vector(y)) = a.get(1) else {
        return fail(
            a.span(1),
            format!("{} of a matrix needs a vector of labels, one per row", a.who()),
            "not a vector of labels",
        );
    };
    let y = calibration::labels(&z, y).map_err(|e| cal_error(a, e))?;
    Ok((z, y))
}

/// A [`calibration::CalError`], at the argument it is about (label errors
/// at the call, which names the matrix and its labels).
fn cal_error(a: &Args, e: calibration::CalError) -> Diag {
    use calibration::CalError;
    let span = match &e {
        CalError::Temperature(_) => a.span_of("T"),
        CalError::Bins(_) => a.span_of("bins"),
        CalError::Shape | CalError::NonFinite { .. } => a.span(0),
        CalError::LabelCount { .. } | CalError::Label { .. } | CalError::NoMinimum(_) | CalError::Overflow(_) => {
            a.call()
        }
    };
    Diag::error(span.clone(), format!("{}: {e}", a.who()), "here")
}

/// Vector parameter 0, which must not be empty.
fn nonempty<'a>(a: &'a Args<'_>) -> EResult<&'a [f64]> {
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
