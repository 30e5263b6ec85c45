//! Phase 2: evaluate lemma expressions. Pure: no I/O, no Markdown.
//!
//! Values are numbers, vectors of numbers, strings, vectors of strings and
//! booleans. Every number an expression produces is finite: a NaN or an
//! infinity anywhere is an [`EvalError`] at the expression that produced it.

use std::collections::HashMap;
use std::fmt;

use crate::numeric::{self, NumError};
use crate::parse::lang::{BinOp, Expr, ExprKind, Span};

/// A computed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A finite number.
    Num(f64),
    /// A vector of finite numbers.
    Vector(Vec<f64>),
    /// A string.
    Str(String),
    /// A vector of strings (class labels, say).
    Strings(Vec<String>),
    /// A truth value, from a comparison.
    Bool(bool),
}

impl Value {
    /// A short name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Num(_) => "a number",
            Value::Vector(_) => "a vector",
            Value::Str(_) => "a string",
            Value::Strings(_) => "a vector of strings",
            Value::Bool(_) => "a boolean",
        }
    }

    /// The number of rows this value fills in a table: a vector's length, 1
    /// otherwise.
    pub fn rows(&self) -> usize {
        match self {
            Value::Vector(v) => v.len(),
            Value::Strings(v) => v.len(),
            _ => 1,
        }
    }
}

impl fmt::Display for Value {
    /// Full precision, for messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Num(v) => write!(f, "{}", crate::format::full(*v)),
            Value::Vector(v) => {
                let parts: Vec<String> = v.iter().map(|x| crate::format::full(*x)).collect();
                write!(f, "[{}]", parts.join(", "))
            }
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Strings(v) => write!(f, "{v:?}"),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// Why an expression could not be evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalError {
    /// The expression (or part of it) at fault, in the parsed text.
    pub span: Span,
    /// What went wrong.
    pub message: String,
}

type EResult<T> = Result<T, EvalError>;

fn err<T>(span: &Span, message: impl Into<String>) -> EResult<T> {
    Err(EvalError { span: span.clone(), message: message.into() })
}

/// The names bound so far in a chapter.
#[derive(Debug, Default, Clone)]
pub struct Env {
    vars: HashMap<String, Value>,
    /// Vector components computed so far (see [`MAX_COMPONENTS`]).
    computed: std::cell::Cell<usize>,
}

/// How many vector components one chapter may compute in all (every vector
/// an expression or subexpression produces counts). `range(1000000)` makes a
/// million from a few bytes of text; this bound keeps the memory and time of
/// a build in check whatever a chapter says.
pub const MAX_COMPONENTS: usize = 20_000_000;

/// The functions that can be called, with their signatures, for the
/// authoring reference and for "unknown function" messages.
pub const FUNCTIONS: &[(&str, &str)] = &[
    ("softmax", "softmax(z, T=1): probabilities of logits z at temperature T"),
    ("log_softmax", "log_softmax(z, T=1): natural logs of softmax(z, T)"),
    ("logsumexp", "logsumexp(z, T=1): ln(sum(exp(z/T)))"),
    ("cross_entropy", "cross_entropy(z, y, T=1): -ln softmax(z, T)[y], in nats"),
    ("entropy", "entropy(p): -sum(p ln p) of a probability vector, in nats"),
    ("exp", "exp(x): e^x, element-wise"),
    ("ln", "ln(x): natural log, element-wise, x > 0"),
    ("log2", "log2(x): base-2 log, element-wise, x > 0"),
    ("log10", "log10(x): base-10 log, element-wise, x > 0"),
    ("sqrt", "sqrt(x): square root, element-wise, x >= 0"),
    ("abs", "abs(x): absolute value, element-wise"),
    ("sum", "sum(v): sum of the components"),
    ("mean", "mean(v): mean of the components"),
    ("max", "max(v) or max(a, b, ...): the largest"),
    ("min", "min(v) or min(a, b, ...): the smallest"),
    ("argmax", "argmax(v): index of the largest component (the first on a tie)"),
    ("argmin", "argmin(v): index of the smallest component (the first on a tie)"),
    ("len", "len(v): number of components"),
    ("range", "range(n): the vector [0, 1, ..., n-1]"),
];

impl Env {
    /// An empty environment.
    pub fn new() -> Env {
        Env::default()
    }

    /// Binds `name`.
    pub fn set(&mut self, name: &str, value: Value) {
        self.vars.insert(name.to_string(), value);
    }

    /// Unbinds `name`.
    pub fn remove(&mut self, name: &str) {
        self.vars.remove(name);
    }

    /// Looks `name` up.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.vars.get(name)
    }

    /// Evaluates an expression.
    pub fn eval(&self, e: &Expr) -> EResult<Value> {
        let v = self.eval_inner(e)?;
        if let Value::Vector(xs) = &v {
            let total = self.computed.get().saturating_add(xs.len());
            self.computed.set(total);
            if total > MAX_COMPONENTS {
                return err(
                    &e.span,
                    format!(
                        "this chapter computes more than {MAX_COMPONENTS} vector components in all: too much for a page"
                    ),
                );
            }
        }
        finite(&v, &e.span)?;
        Ok(v)
    }

    fn eval_inner(&self, e: &Expr) -> EResult<Value> {
        match &e.kind {
            ExprKind::Num(v) => Ok(Value::Num(*v)),
            ExprKind::Str(s) => Ok(Value::Str(s.clone())),
            ExprKind::Name(n) => match self.vars.get(n) {
                Some(v) => Ok(v.clone()),
                None => {
                    let hint = if FUNCTIONS.iter().any(|(f, _)| f == n) {
                        format!(": `{n}` is a function, call it as `{n}(...)`")
                    } else if let Some(s) = self.similar(n) {
                        format!(" (did you mean `{s}`?)")
                    } else {
                        " (names must be bound with `NAME = ...` before they are used)".into()
                    };
                    err(&e.span, format!("unknown name `{n}`{hint}"))
                }
            },
            ExprKind::Vector(items) => {
                let vals: Vec<Value> = items.iter().map(|i| self.eval(i)).collect::<EResult<_>>()?;
                if vals.iter().all(|v| matches!(v, Value::Str(_))) && !vals.is_empty() {
                    return Ok(Value::Strings(
                        vals.into_iter().filter_map(|v| if let Value::Str(s) = v { Some(s) } else { None }).collect(),
                    ));
                }
                let mut out = Vec::with_capacity(vals.len());
                for (v, item) in vals.iter().zip(items) {
                    match v {
                        Value::Num(x) => out.push(*x),
                        other => {
                            return err(
                                &item.span,
                                format!("a vector holds numbers, but this is {}", other.type_name()),
                            );
                        }
                    }
                }
                Ok(Value::Vector(out))
            }
            ExprKind::Neg(x) => match self.eval(x)? {
                Value::Num(v) => Ok(Value::Num(-v)),
                Value::Vector(v) => Ok(Value::Vector(v.iter().map(|x| -x).collect())),
                other => err(&x.span, format!("cannot negate {}", other.type_name())),
            },
            ExprKind::Binary(op, a, b) => {
                let va = self.eval(a)?;
                let vb = self.eval(b)?;
                binary(*op, va, vb, a, b, &e.span)
            }
            ExprKind::Index(v, i) => {
                let vv = self.eval(v)?;
                let iv = self.eval(i)?;
                let idx = as_index(&iv, &i.span)?;
                match vv {
                    Value::Vector(xs) => match xs.get(idx) {
                        Some(x) => Ok(Value::Num(*x)),
                        None => {
                            err(&i.span, format!("index {idx} is out of range for a vector of length {}", xs.len()))
                        }
                    },
                    Value::Strings(xs) => match xs.get(idx) {
                        Some(x) => Ok(Value::Str(x.clone())),
                        None => {
                            err(&i.span, format!("index {idx} is out of range for a vector of length {}", xs.len()))
                        }
                    },
                    other => err(&v.span, format!("only vectors can be indexed, this is {}", other.type_name())),
                }
            }
            ExprKind::Call { name, name_span, args, kwargs } => {
                let vals: Vec<(Value, &Span)> =
                    args.iter().map(|a| Ok((self.eval(a)?, &a.span))).collect::<EResult<_>>()?;
                let kw: Vec<(&str, Value, &Span)> =
                    kwargs.iter().map(|(k, a)| Ok((k.as_str(), self.eval(a)?, &a.span))).collect::<EResult<_>>()?;
                call(name, name_span, &e.span, vals, kw)
            }
        }
    }

    fn similar(&self, n: &str) -> Option<String> {
        let mut best: Option<(usize, &String)> = None;
        for k in self.vars.keys() {
            let d = edit_distance(n, k);
            if d <= 2 && best.is_none_or(|(bd, bk)| d < bd || (d == bd && k < bk)) {
                best = Some((d, k));
            }
        }
        best.map(|(_, k)| k.clone())
    }
}

/// The names an expression refers to (not the functions it calls).
pub fn names(e: &Expr) -> Vec<&str> {
    let mut out = Vec::new();
    collect_names(e, &mut out);
    out
}

fn collect_names<'e>(e: &'e Expr, out: &mut Vec<&'e str>) {
    match &e.kind {
        ExprKind::Name(n) => out.push(n),
        ExprKind::Num(_) | ExprKind::Str(_) => {}
        ExprKind::Vector(items) => items.iter().for_each(|i| collect_names(i, out)),
        ExprKind::Neg(x) => collect_names(x, out),
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
            collect_names(a, out);
            collect_names(b, out);
        }
        ExprKind::Call { args, kwargs, .. } => {
            args.iter().for_each(|a| collect_names(a, out));
            kwargs.iter().for_each(|(_, a)| collect_names(a, out));
        }
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn finite(v: &Value, span: &Span) -> EResult<()> {
    let bad = |x: f64| {
        if x.is_nan() {
            "is not a number (NaN)"
        } else if x > 0.0 {
            "is infinite (it overflows f64)"
        } else {
            "is negative infinity (it overflows f64)"
        }
    };
    match v {
        Value::Num(x) if !x.is_finite() => err(span, format!("this expression {}", bad(*x))),
        Value::Vector(xs) => match xs.iter().position(|x| !x.is_finite()) {
            Some(i) => err(span, format!("component {i} of this expression {}", bad(xs[i]))),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

fn as_index(v: &Value, span: &Span) -> EResult<usize> {
    match v {
        Value::Num(x) if x.fract() == 0.0 && *x >= 0.0 && *x < 1e15 => Ok(*x as usize),
        Value::Num(x) => err(span, format!("an index must be a whole number >= 0, got {x}")),
        other => err(span, format!("an index must be a number, got {}", other.type_name())),
    }
}

fn binary(op: BinOp, a: Value, b: Value, ea: &Expr, eb: &Expr, span: &Span) -> EResult<Value> {
    if op.is_comparison() {
        return compare(op, &a, &b, span);
    }
    let f = |x: f64, y: f64| match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => x / y,
        _ => x.powf(y),
    };
    if op == BinOp::Div {
        let zero = match &b {
            Value::Num(y) => *y == 0.0,
            Value::Vector(ys) => ys.contains(&0.0),
            _ => false,
        };
        if zero {
            return err(&eb.span, "division by zero");
        }
    }
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => Ok(Value::Num(f(x, y))),
        (Value::Vector(xs), Value::Num(y)) => Ok(Value::Vector(xs.iter().map(|&x| f(x, y)).collect())),
        (Value::Num(x), Value::Vector(ys)) => Ok(Value::Vector(ys.iter().map(|&y| f(x, y)).collect())),
        (Value::Vector(xs), Value::Vector(ys)) => {
            if xs.len() != ys.len() {
                return err(
                    span,
                    format!(
                        "vectors of different lengths ({} and {}) cannot be combined with `{}`",
                        xs.len(),
                        ys.len(),
                        op.symbol()
                    ),
                );
            }
            Ok(Value::Vector(xs.iter().zip(&ys).map(|(&x, &y)| f(x, y)).collect()))
        }
        (x, y) => {
            let bad = if matches!(x, Value::Num(_) | Value::Vector(_)) { (&y, eb) } else { (&x, ea) };
            err(&bad.1.span, format!("`{}` needs numbers or vectors, this is {}", op.symbol(), bad.0.type_name()))
        }
    }
}

fn compare(op: BinOp, a: &Value, b: &Value, span: &Span) -> EResult<Value> {
    let c = |x: f64, y: f64| match op {
        BinOp::Eq => x == y,
        BinOp::Ne => x != y,
        BinOp::Lt => x < y,
        BinOp::Le => x <= y,
        BinOp::Gt => x > y,
        _ => x >= y,
    };
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => Ok(Value::Bool(c(*x, *y))),
        (Value::Vector(xs), Value::Vector(ys)) if xs.len() == ys.len() => match op {
            BinOp::Eq => Ok(Value::Bool(xs == ys)),
            BinOp::Ne => Ok(Value::Bool(xs != ys)),
            _ => Ok(Value::Bool(xs.iter().zip(ys).all(|(x, y)| c(*x, *y)))),
        },
        (Value::Vector(xs), Value::Num(y)) => Ok(Value::Bool(xs.iter().all(|x| c(*x, *y)))),
        (Value::Num(x), Value::Vector(ys)) => Ok(Value::Bool(ys.iter().all(|y| c(*x, *y)))),
        (Value::Str(x), Value::Str(y)) if matches!(op, BinOp::Eq | BinOp::Ne) => {
            Ok(Value::Bool((x == y) == (op == BinOp::Eq)))
        }
        (Value::Bool(x), Value::Bool(y)) if matches!(op, BinOp::Eq | BinOp::Ne) => {
            Ok(Value::Bool((x == y) == (op == BinOp::Eq)))
        }
        _ => err(span, format!("cannot compare {} with {} using `{}`", a.type_name(), b.type_name(), op.symbol())),
    }
}

struct Args<'a> {
    fname: &'a str,
    call: &'a Span,
    pos: Vec<(Value, &'a Span)>,
    kw: Vec<(&'a str, Value, &'a Span)>,
}

impl<'a> Args<'a> {
    /// Takes parameter `name` at position `i` (or by keyword).
    fn take(&mut self, i: usize, name: &str) -> Option<(Value, Span)> {
        if let Some(k) = self.kw.iter().position(|(n, _, _)| *n == name) {
            let (_, v, s) = self.kw.remove(k);
            return Some((v, s.clone()));
        }
        self.pos.get_mut(i).map(|(v, s)| (std::mem::replace(v, Value::Bool(false)), (*s).clone()))
    }

    fn vector(&mut self, i: usize, name: &str) -> EResult<(Vec<f64>, Span)> {
        match self.take(i, name) {
            Some((Value::Vector(v), s)) => Ok((v, s)),
            Some((other, s)) => {
                err(&s, format!("`{}` needs a vector for `{name}`, got {}", self.fname, other.type_name()))
            }
            None => err(self.call, format!("`{}` is missing its argument `{name}`", self.fname)),
        }
    }

    fn number(&mut self, i: usize, name: &str, default: Option<f64>) -> EResult<(f64, Span)> {
        match self.take(i, name) {
            Some((Value::Num(v), s)) => Ok((v, s)),
            Some((other, s)) => {
                err(&s, format!("`{}` needs a number for `{name}`, got {}", self.fname, other.type_name()))
            }
            None => match default {
                Some(d) => Ok((d, self.call.clone())),
                None => err(self.call, format!("`{}` is missing its argument `{name}`", self.fname)),
            },
        }
    }

    /// Fails on arguments beyond `n` positional ones and on unknown keywords.
    fn done(&self, n: usize, names: &[&str]) -> EResult<()> {
        if self.pos.len() > n {
            let s = self.pos[n].1;
            return err(
                s,
                format!("`{}` takes at most {n} positional argument{}", self.fname, if n == 1 { "" } else { "s" }),
            );
        }
        if let Some((k, _, s)) = self.kw.first() {
            return err(s, format!("`{}` has no argument `{k}` (it takes {})", self.fname, names.join(", ")));
        }
        Ok(())
    }
}

fn num_err(e: NumError, z: &Span, t: &Span, y: Option<&Span>, call: &Span) -> EvalError {
    let span = match &e {
        NumError::Empty | NumError::NonFinite { .. } | NumError::NotAProbability(_) => z,
        NumError::Temperature(_) => t,
        NumError::Class { .. } => y.unwrap_or(call),
        NumError::Overflow(_) => call,
    };
    EvalError { span: span.clone(), message: e.to_string() }
}

fn call(
    name: &str,
    name_span: &Span,
    span: &Span,
    pos: Vec<(Value, &Span)>,
    kw: Vec<(&str, Value, &Span)>,
) -> EResult<Value> {
    let mut a = Args { fname: name, call: span, pos, kw };
    match name {
        "softmax" | "log_softmax" | "logsumexp" => {
            let (z, zs) = a.vector(0, "z")?;
            let (t, ts) = a.number(1, "T", Some(1.0))?;
            a.done(2, &["z", "T"])?;
            let r = match name {
                "softmax" => numeric::softmax(&z, t).map(Value::Vector),
                "log_softmax" => numeric::log_softmax(&z, t).map(Value::Vector),
                _ => numeric::logsumexp(&z, t).map(Value::Num),
            };
            r.map_err(|e| num_err(e, &zs, &ts, None, span))
        }
        "cross_entropy" => {
            let (z, zs) = a.vector(0, "z")?;
            let (y, ys) = a.number(1, "y", None)?;
            let (t, ts) = a.number(2, "T", Some(1.0))?;
            a.done(3, &["z", "y", "T"])?;
            if y.fract() != 0.0 || y.abs() > 1e15 {
                return err(&ys, format!("the class `y` must be a whole number, got {y}"));
            }
            numeric::cross_entropy(&z, y as i64, t).map(Value::Num).map_err(|e| num_err(e, &zs, &ts, Some(&ys), span))
        }
        "entropy" => {
            let (p, ps) = a.vector(0, "p")?;
            a.done(1, &["p"])?;
            numeric::entropy(&p).map(Value::Num).map_err(|e| num_err(e, &ps, &ps, None, span))
        }
        "exp" | "ln" | "log2" | "log10" | "sqrt" | "abs" => {
            let (x, xs) = match a.take(0, "x") {
                Some(v) => v,
                None => return err(span, format!("`{name}` is missing its argument `x`")),
            };
            a.done(1, &["x"])?;
            let f = |v: f64| -> Result<f64, String> {
                match name {
                    "exp" => Ok(v.exp()),
                    "ln" | "log2" | "log10" if v <= 0.0 => Err(format!("`{name}` needs a positive number, got {v}")),
                    "ln" => Ok(v.ln()),
                    "log2" => Ok(v.log2()),
                    "log10" => Ok(v.log10()),
                    "sqrt" if v < 0.0 => Err(format!("`sqrt` needs a number >= 0, got {v}")),
                    "sqrt" => Ok(v.sqrt()),
                    _ => Ok(v.abs()),
                }
            };
            match x {
                Value::Num(v) => f(v).map(Value::Num).or_else(|m| err(&xs, m)),
                Value::Vector(vs) => {
                    vs.iter().map(|&v| f(v)).collect::<Result<Vec<_>, _>>().map(Value::Vector).or_else(|m| err(&xs, m))
                }
                other => err(&xs, format!("`{name}` needs a number or a vector, got {}", other.type_name())),
            }
        }
        "sum" | "mean" | "argmax" | "argmin" | "len" => {
            let (v, vs) = a.vector(0, "v")?;
            a.done(1, &["v"])?;
            if v.is_empty() && name != "len" && name != "sum" {
                return err(&vs, format!("`{name}` of an empty vector"));
            }
            let first_best = |better: fn(f64, f64) -> bool| {
                let mut best = 0;
                for (i, &x) in v.iter().enumerate() {
                    if better(x, v[best]) {
                        best = i;
                    }
                }
                best as f64
            };
            Ok(Value::Num(match name {
                "sum" => v.iter().sum(),
                "mean" => v.iter().sum::<f64>() / v.len() as f64,
                "argmax" => first_best(|x, b| x > b),
                "argmin" => first_best(|x, b| x < b),
                _ => v.len() as f64,
            }))
        }
        "max" | "min" => {
            let nums: Vec<f64> = if a.pos.len() == 1 && a.kw.is_empty() {
                match &a.pos[0].0 {
                    Value::Vector(v) => v.clone(),
                    Value::Num(x) => vec![*x],
                    other => return err(a.pos[0].1, format!("`{name}` needs numbers, got {}", other.type_name())),
                }
            } else {
                a.done(usize::MAX, &[])?;
                let mut out = Vec::new();
                for (v, s) in &a.pos {
                    match v {
                        Value::Num(x) => out.push(*x),
                        other => {
                            return err(
                                s,
                                format!("`{name}` of several arguments needs numbers, got {}", other.type_name()),
                            );
                        }
                    }
                }
                out
            };
            if nums.is_empty() {
                return err(span, format!("`{name}` of nothing"));
            }
            let pick = if name == "max" { f64::max } else { f64::min };
            Ok(Value::Num(nums.iter().copied().fold(nums[0], pick)))
        }
        "range" => {
            let (n, ns) = a.number(0, "n", None)?;
            a.done(1, &["n"])?;
            if n.fract() != 0.0 || !(0.0..=1e6).contains(&n) {
                return err(&ns, format!("`range` needs a whole number from 0 to 1000000, got {n}"));
            }
            Ok(Value::Vector((0..n as usize).map(|i| i as f64).collect()))
        }
        _ => {
            let names: Vec<&str> = FUNCTIONS.iter().map(|(f, _)| *f).collect();
            let close = names.iter().find(|f| edit_distance(name, f) <= 2);
            let hint = match close {
                Some(c) => format!(" (did you mean `{c}`?)"),
                None => format!(" (known functions: {})", names.join(", ")),
            };
            err(name_span, format!("unknown function `{name}`{hint}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::lang::Stmt;
    use crate::parse::lang::parse_inline;

    /// Evaluates each `;;`-separated inline form in order (binding names),
    /// and prints the last value or the first error.
    fn check(src: &str, expect: &str) {
        let mut env = Env::new();
        let mut out = String::new();
        for part in src.split(";; ") {
            let parsed = match parse_inline(part) {
                Ok(p) => p,
                Err(e) => {
                    out = format!("syntax error: {}", e.message);
                    break;
                }
            };
            let Stmt::Inline { bind, expr, .. } = parsed.stmt else { unreachable!("inline") };
            match env.eval(&expr) {
                Ok(v) => {
                    out = v.to_string();
                    if let Some((n, _)) = bind {
                        env.set(&n, v);
                    }
                }
                Err(e) => {
                    out = format!("error {:?} at `{}`: {}", e.span, &part[e.span.clone()], e.message);
                    break;
                }
            }
        }
        assert_eq!(out, expect, "evaluating {src:?}");
    }

    #[test]
    fn arithmetic() {
        check("1 + 2 * 3", "7");
        check("2 ^ 10", "1024");
        check("-[1, 2] * 2", "[-2, -4]");
        check("[1, 2] + [3, 4]", "[4, 6]");
        check(
            "[1, 2] + [3]",
            "error 0..12 at `[1, 2] + [3]`: vectors of different lengths (2 and 1) cannot be combined with `+`",
        );
        check("1 / 0", "error 4..5 at `0`: division by zero");
        check("10 ^ 400", "error 0..8 at `10 ^ 400`: this expression is infinite (it overflows f64)");
        check("\"a\" + 1", "error 0..3 at `\"a\"`: `+` needs numbers or vectors, this is a string");
        check("[1, \"a\"]", "error 4..7 at `\"a\"`: a vector holds numbers, but this is a string");
        check("[\"cat\", \"dog\"][1]", "\"dog\"");
    }

    #[test]
    fn names_and_indexing() {
        check("z = [2.0, 1.0, 0.5];; z[0]", "2");
        check("z = [2.0, 1.0, 0.5];; z[3]", "error 2..3 at `3`: index 3 is out of range for a vector of length 3");
        check("z = [2.0, 1.0, 0.5];; z[-1]", "error 2..4 at `-1`: an index must be a whole number >= 0, got -1");
        check("z = [2.0, 1.0, 0.5];; z[0.5]", "error 2..5 at `0.5`: an index must be a whole number >= 0, got 0.5");
        check("zz = 1;; z", "error 0..1 at `z`: unknown name `z` (did you mean `zz`?)");
        check("q", "error 0..1 at `q`: unknown name `q` (names must be bound with `NAME = ...` before they are used)");
        check(
            "softmax",
            "error 0..7 at `softmax`: unknown name `softmax`: `softmax` is a function, call it as `softmax(...)`",
        );
        check("3[0]", "error 0..1 at `3`: only vectors can be indexed, this is a number");
    }

    #[test]
    fn functions() {
        check("softmax([0, 0])", "[0.5, 0.5]");
        check("argmax(softmax([2.0, 1.0, 0.5], T=0.1))", "0");
        check("len([1, 2, 3])", "3");
        check("max(1, 5, 2)", "5");
        check("min([4, 2, 8])", "2");
        check("sum([0.5, 0.25])", "0.75");
        check("ln(exp(2))", "2");
        check("log2(8)", "3");
        check("range(3)", "[0, 1, 2]");
        check("cross_entropy([0, 0], 1)", &(2f64.ln()).to_string());
        check("entropy([0.5, 0.5])", &(2f64.ln()).to_string());
        check("entropy([0.5, 0.6])", "error 8..18 at `[0.5, 0.6]`: not a probability vector: it sums to 1.1, not 1");
        check("softmax([1, 2], T=0)", "error 18..19 at `0`: temperature must be finite and > 0, got 0");
        check("softmax([1, 2], T=-1)", "error 18..20 at `-1`: temperature must be finite and > 0, got -1");
        check("softmax([])", "error 8..10 at `[]`: the vector is empty");
        check("cross_entropy([1, 2], 2)", "error 22..23 at `2`: class 2 is out of range for 2 classes (0..2)");
        check("cross_entropy([1, 2], 0.5)", "error 22..25 at `0.5`: the class `y` must be a whole number, got 0.5");
        check(
            "cross_entropy([1, 2])",
            "error 0..21 at `cross_entropy([1, 2])`: `cross_entropy` is missing its argument `y`",
        );
        check("softmax([1, 2], temp=1)", "error 21..22 at `1`: `softmax` has no argument `temp` (it takes z, T)");
        check("softmax(1)", "error 8..9 at `1`: `softmax` needs a vector for `z`, got a number");
        check("sofmax([1])", "error 0..6 at `sofmax`: unknown function `sofmax` (did you mean `softmax`?)");
        check("ln(0)", "error 3..4 at `0`: `ln` needs a positive number, got 0");
        check("exp(1000)", "error 0..9 at `exp(1000)`: this expression is infinite (it overflows f64)");
        check(
            "logsumexp([1e308, 1e308], T=1e-10)",
            "error 0..34 at `logsumexp([1e308, 1e308], T=1e-10)`: logsumexp overflows the range of f64",
        );
    }

    #[test]
    fn comparisons() {
        check("1 < 2", "true");
        check("[1, 2] < 3", "true");
        check("argmax([1, 3]) == 1", "true");
        check("\"a\" < \"b\"", "error 0..9 at `\"a\" < \"b\"`: cannot compare a string with a string using `<`");
    }
}
