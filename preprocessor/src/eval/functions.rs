//! The built-in functions: one table, [`FUNCTIONS`], of names, typed
//! parameters, documentation, examples and implementations; and the binding
//! of call arguments to parameters ([`Signature`]), which widgets share.
//!
//! A new function is one entry of [`FUNCTIONS`]: its arity and type errors,
//! the "did you mean" hints, the authoring reference
//! ([`reference_markdown`]) and the test of its example all come from it.

use std::fmt;

use super::{EResult, Value, edit_distance};
use crate::diagnostics::Diag;
use crate::numeric::{self, NumError};
use crate::parse::lang::Span;

/// What a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// A number.
    Number,
    /// A vector of numbers.
    Vector,
    /// A number or a vector of numbers (element-wise functions).
    NumberOrVector,
    /// A vector of strings.
    Strings,
}

impl Type {
    /// Whether `v` is of this type.
    pub fn accepts(self, v: &Value) -> bool {
        matches!(
            (self, v),
            (Type::Number | Type::NumberOrVector, Value::Num(_))
                | (Type::Vector | Type::NumberOrVector, Value::Vector(_))
                | (Type::Strings, Value::Strings(_))
        )
    }

    /// The type as messages name it ("a vector").
    pub fn noun(self) -> &'static str {
        match self {
            Type::Number => "a number",
            Type::Vector => "a vector",
            Type::NumberOrVector => "a number or a vector",
            Type::Strings => "a vector of strings",
        }
    }
}

/// What an omitted argument is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Omitted {
    /// This number.
    Num(f64),
    /// Whatever the callee makes of its absence, as the signature shows it
    /// (`labels=["class 0", ...]`).
    Computed(&'static str),
}

/// One parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    /// Its name, for keywords and messages.
    pub name: &'static str,
    /// What it accepts.
    pub ty: Type,
    /// `None` when it must be given.
    pub default: Option<Omitted>,
    /// Given only by name (`T=...`), never by position.
    pub named_only: bool,
}

impl Param {
    /// A parameter that must be given.
    pub const fn required(name: &'static str, ty: Type) -> Param {
        Param { name, ty, default: None, named_only: false }
    }

    /// A number parameter with a default.
    pub const fn number(name: &'static str, default: f64) -> Param {
        Param { name, ty: Type::Number, default: Some(Omitted::Num(default)), named_only: false }
    }

    /// The same parameter, given only by name.
    pub const fn named(self) -> Param {
        Param { named_only: true, ..self }
    }
}

/// The parameters of a function or widget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signature {
    /// The name it is called by.
    pub name: &'static str,
    /// The parameters, in positional order.
    pub params: &'static [Param],
    /// Any number of further positional arguments (`max(a, b, ...)`).
    pub rest: Option<Param>,
}

impl fmt::Display for Signature {
    /// As written in a call, defaults shown: `softmax(z, T=1)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.name)?;
        for (i, p) in self.params.iter().enumerate() {
            let sep = if i > 0 { ", " } else { "" };
            match p.default {
                None => write!(f, "{sep}{}", p.name)?,
                Some(Omitted::Num(d)) => write!(f, "{sep}{}={}", p.name, crate::format::full(d))?,
                Some(Omitted::Computed(shown)) => write!(f, "{sep}{}={shown}", p.name)?,
            }
        }
        if let Some(r) = &self.rest {
            write!(f, "{}{}, ...", if self.params.is_empty() { "" } else { ", " }, r.name)?;
        }
        write!(f, ")")
    }
}

/// Arguments matched to parameters, before their types are checked: each
/// parameter's argument if it was given (with its span), and the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched<T> {
    /// One slot per parameter.
    pub params: Vec<Option<(T, Span)>>,
    /// Further positional arguments (only with [`Signature::rest`]).
    pub rest: Vec<(T, Span)>,
}

impl<T> Matched<T> {
    /// Maps every argument, or returns `None` if `f` does for any (after
    /// calling it on all, so that every failure is reported).
    pub fn try_map<U>(self, mut f: impl FnMut(T) -> Option<U>) -> Option<Matched<U>> {
        let params: Vec<Option<(Option<U>, Span)>> =
            self.params.into_iter().map(|p| p.map(|(t, s)| (f(t), s))).collect();
        let rest: Vec<(Option<U>, Span)> = self.rest.into_iter().map(|(t, s)| (f(t), s)).collect();
        Some(Matched {
            params: params
                .into_iter()
                .map(|p| match p {
                    None => Some(None),
                    Some((u, s)) => u.map(|u| Some((u, s))),
                })
                .collect::<Option<_>>()?,
            rest: rest.into_iter().map(|(u, s)| u.map(|u| (u, s))).collect::<Option<_>>()?,
        })
    }
}

fn fail<T>(span: &Span, message: String, label: &str) -> EResult<T> {
    Err(Diag::error(span.clone(), message, label))
}

impl Signature {
    /// Matches positional and named arguments (anything with a span: values,
    /// expressions) to the parameters. `who` names the callee in messages
    /// (`` `softmax` ``, "the softmax widget"); `call` is the whole call.
    pub fn arrange<T>(
        &self,
        who: &str,
        call: &Span,
        positional: Vec<(T, Span)>,
        named: Vec<(&str, T, Span)>,
    ) -> EResult<Matched<T>> {
        let by_position = self.params.iter().take_while(|p| !p.named_only).count();
        let mut params: Vec<Option<(T, Span)>> = self.params.iter().map(|_| None).collect();
        let mut rest = Vec::new();
        for (i, (t, s)) in positional.into_iter().enumerate() {
            if i < by_position {
                params[i] = Some((t, s));
            } else if self.rest.is_some() {
                rest.push((t, s));
            } else {
                let plural = if by_position == 1 { "" } else { "s" };
                let by_name: Vec<String> =
                    self.params[by_position..].iter().map(|p| format!("{}=...", p.name)).collect();
                let hint = if self.params[by_position..].iter().all(|p| p.named_only) && !by_name.is_empty() {
                    format!("; give the others by name ({})", by_name.join(", "))
                } else {
                    String::new()
                };
                return fail(
                    &s,
                    format!("{who} takes at most {by_position} positional argument{plural}{hint}"),
                    "extra argument",
                );
            }
        }
        for (k, t, s) in named {
            let Some(i) = self.params.iter().position(|p| p.name == k) else {
                let takes = if self.params.is_empty() {
                    "it takes only positional arguments".to_string()
                } else {
                    format!("it takes {}", self.params.iter().map(|p| p.name).collect::<Vec<_>>().join(", "))
                };
                return fail(&s, format!("{who} has no argument `{k}` ({takes})"), "unknown argument");
            };
            if params[i].is_some() {
                return fail(&s, format!("{who} gets `{k}` twice, by position and by name"), "given twice");
            }
            params[i] = Some((t, s));
        }
        for (p, slot) in self.params.iter().zip(&params) {
            if slot.is_none() && p.default.is_none() {
                return fail(call, format!("{who} is missing its argument `{}`", p.name), "missing argument");
            }
        }
        Ok(Matched { params, rest })
    }

    /// Checks the types of matched values and fills in number defaults.
    pub fn bind(&self, who: &str, call: &Span, matched: Matched<Value>) -> EResult<Args> {
        let check = |p: &Param, v: &Value, s: &Span| {
            if p.ty.accepts(v) {
                return Ok(());
            }
            let message = format!("{who} needs {} for `{}`, got {}", p.ty.noun(), p.name, v.type_name());
            fail(s, message, &format!("not {}", p.ty.noun()))
        };
        let mut values = Vec::with_capacity(self.params.len());
        for (p, slot) in self.params.iter().zip(matched.params) {
            values.push(match (slot, p.default) {
                (Some((v, s)), _) => {
                    check(p, &v, &s)?;
                    Some((v, s))
                }
                (None, Some(Omitted::Num(d))) => Some((Value::Num(d), call.clone())),
                (None, _) => None,
            });
        }
        if let Some(r) = &self.rest {
            for (v, s) in &matched.rest {
                check(r, v, s)?;
            }
        }
        let names = self.params.iter().map(|p| p.name).collect();
        Ok(Args { who: who.to_string(), call: call.clone(), names, values, rest: matched.rest })
    }
}

/// Arguments bound to a signature's parameters, of the parameters' types.
#[derive(Debug, Clone, PartialEq)]
pub struct Args {
    who: String,
    call: Span,
    names: Vec<&'static str>,
    values: Vec<Option<(Value, Span)>>,
    rest: Vec<(Value, Span)>,
}

impl Args {
    /// The callee, as messages name it.
    pub fn who(&self) -> &str {
        &self.who
    }

    /// The whole call.
    pub fn call(&self) -> &Span {
        &self.call
    }

    /// Parameter `i`'s value, if it was given or has a number default.
    pub fn get(&self, i: usize) -> Option<&Value> {
        self.values.get(i).and_then(|v| v.as_ref()).map(|(v, _)| v)
    }

    /// Where parameter `i`'s argument is (the call when it was omitted).
    pub fn span(&self, i: usize) -> &Span {
        self.values.get(i).and_then(|v| v.as_ref()).map_or(&self.call, |(_, s)| s)
    }

    /// Where the argument named `name` is (the call when it was omitted).
    pub fn span_of(&self, name: &str) -> &Span {
        self.names.iter().position(|n| *n == name).map_or(&self.call, |i| self.span(i))
    }

    /// The further positional arguments.
    pub fn rest(&self) -> &[(Value, Span)] {
        &self.rest
    }

    fn unbound(&self, i: usize, noun: &str) -> Diag {
        // Binding checked the types: this is a table entry reading a
        // parameter of another type than it declared.
        Diag::error(self.call.clone(), format!("internal error: {} has no {noun} as argument {i}", self.who), "here")
    }

    /// Number parameter `i`.
    pub fn num(&self, i: usize) -> EResult<f64> {
        match self.get(i) {
            Some(Value::Num(x)) => Ok(*x),
            _ => Err(self.unbound(i, "number")),
        }
    }

    /// Vector parameter `i`.
    pub fn vector(&self, i: usize) -> EResult<&[f64]> {
        match self.get(i) {
            Some(Value::Vector(v)) => Ok(v),
            _ => Err(self.unbound(i, "vector")),
        }
    }

    /// A [`NumError`] of the numeric core, at the argument it is about.
    pub fn num_error(&self, e: NumError) -> Diag {
        let span = match &e {
            NumError::Empty | NumError::NonFinite { .. } | NumError::NotAProbability(_) => self.span(0),
            NumError::Temperature(_) => self.span_of("T"),
            NumError::Class { .. } => self.span_of("y"),
            NumError::Overflow(_) => &self.call,
        };
        Diag::error(span.clone(), e.to_string(), "here")
    }
}

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
/// example is a lemma form, so the book checks the value it states.
pub fn reference_markdown() -> String {
    let mut out = String::from("| Function | Gives | Example |\n|---|---|---|\n");
    for f in FUNCTIONS {
        // The call is shown through a lemma string, so its numbers count
        // as lemma's (they are the inputs of the checked form beside it).
        let shown = f.example.replace('\\', "\\\\").replace('"', "\\\"");
        out.push_str(&format!(
            "| `{}` | {} | `{{{{lemma \"{shown}\"}}}}` → {{{{lemma {} ≈ {}}}}} |\n",
            f.sig, f.doc, f.example, f.gives
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
];

/// Applies `f` to a number, or to each component of a vector (parameter 0).
fn elementwise(a: &Args, f: impl Fn(&Args, f64) -> Result<f64, String>) -> EResult<Value> {
    let at = |m| Diag::error(a.span(0).clone(), m, "here");
    match a.get(0) {
        Some(Value::Num(x)) => f(a, *x).map(Value::Num).map_err(at),
        Some(Value::Vector(xs)) => xs.iter().map(|&x| f(a, x)).collect::<Result<_, _>>().map(Value::Vector).map_err(at),
        _ => Err(a.unbound(0, "number or vector")),
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
