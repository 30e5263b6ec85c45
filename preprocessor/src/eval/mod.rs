//! Phase 2: evaluate lemma expressions. Pure: no I/O, no Markdown.
//!
//! Values are numbers, vectors of numbers, strings, vectors of strings and
//! booleans. Every number an expression produces is finite: a NaN or an
//! infinity anywhere is an error ([`Diag`]) at the expression that produced
//! it. The functions an expression can call are the table of [`functions`].

use std::collections::HashMap;
use std::fmt;

use crate::diagnostics::Diag;
use crate::parse::lang::{BinOp, Expr, ExprKind, Span};

pub mod functions;
pub mod signature;
#[cfg(test)]
mod tests;

pub use functions::{FUNCTIONS, Function};

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

/// The result of evaluating: a value, or an error whose range is a span of
/// the parsed text (the caller places it in the chapter).
pub type EResult<T> = Result<T, Diag>;

fn err<T>(span: &Span, message: impl Into<String>) -> EResult<T> {
    Err(Diag::error(span.clone(), message, "here"))
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
                    let hint = if functions::lookup(n).is_some() {
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
            ExprKind::Slice(v, from, to) => {
                let vv = self.eval(v)?;
                let len = match &vv {
                    Value::Vector(xs) => xs.len(),
                    Value::Strings(xs) => xs.len(),
                    other => return err(&v.span, format!("only vectors can be sliced, this is {}", other.type_name())),
                };
                let bound = |b: &Option<Box<Expr>>, default: usize| -> EResult<usize> {
                    match b {
                        None => Ok(default),
                        Some(b) => {
                            let i = as_index(&self.eval(b)?, &b.span)?;
                            if i > len {
                                return err(
                                    &b.span,
                                    format!("slice bound {i} is past the end of a vector of length {len}"),
                                );
                            }
                            Ok(i)
                        }
                    }
                };
                let (a, b) = (bound(from, 0)?, bound(to, len)?);
                if a > b {
                    return err(&e.span, format!("this slice starts at {a}, after its end {b}"));
                }
                Ok(match vv {
                    Value::Vector(xs) => Value::Vector(xs[a..b].to_vec()),
                    Value::Strings(xs) => Value::Strings(xs[a..b].to_vec()),
                    other => other,
                })
            }
            ExprKind::Call { name, name_span, args, kwargs } => {
                let f = functions::lookup(name).ok_or_else(|| functions::unknown(name, name_span))?;
                let positional: Vec<(Value, Span)> =
                    args.iter().map(|a| Ok((self.eval(a)?, a.span.clone()))).collect::<EResult<_>>()?;
                let named: Vec<(&str, Value, Span)> = kwargs
                    .iter()
                    .map(|(k, a)| Ok((k.as_str(), self.eval(a)?, a.span.clone())))
                    .collect::<EResult<_>>()?;
                f.call(&e.span, positional, named)
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
        ExprKind::Slice(v, from, to) => {
            collect_names(v, out);
            from.iter().chain(to).for_each(|b| collect_names(b, out));
        }
        ExprKind::Call { args, kwargs, .. } => {
            args.iter().for_each(|a| collect_names(a, out));
            kwargs.iter().for_each(|(_, a)| collect_names(a, out));
        }
    }
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
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
