//! Phase 2: evaluate lemma expressions. Pure: no I/O, no Markdown.
//!
//! Values are numbers, vectors of numbers, matrices, strings, vectors of
//! strings and booleans. Every number an expression produces is finite: a
//! NaN or an infinity anywhere is an error ([`Diag`]) at the expression that
//! produced it. The functions an expression can call are the table of
//! [`functions`]. The one function that reads files, `load`, reads them
//! through the environment's [`data::Data`], whose [`data::Source`] the
//! caller supplies and which records every file read.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::diagnostics::Diag;
use crate::parse::lang::{BinOp, Expr, ExprKind, Span};

pub mod data;
pub mod functions;
pub mod signature;
#[cfg(test)]
mod tests;
mod value;

pub use functions::{FUNCTIONS, Function};
pub use value::{Matrix, Value};

/// The result of evaluating: a value, or an error whose range is a span of
/// the parsed text (the caller places it in the chapter).
pub type EResult<T> = Result<T, Diag>;

fn err<T>(span: &Span, message: impl Into<String>) -> EResult<T> {
    Err(Diag::error(span.clone(), message, "here"))
}

/// The names bound so far in a chapter, and its access to data files.
#[derive(Debug, Default, Clone)]
pub struct Env {
    vars: HashMap<String, Value, BuildHasherDefault<NameHasher>>,
    /// Vector components computed so far (see [`MAX_COMPONENTS`]).
    computed: std::cell::Cell<usize>,
    /// The data files `load` reads, and the record of them.
    data: data::Data,
}

/// The hash of the environment's names: short strings a chapter chose, so
/// a multiply-rotate hash of their bytes (the Fx hash of the Rust
/// compiler) rather than the default SipHash, whose resistance to chosen
/// collisions a chapter's own names do not need (a chapter that collides
/// its names only slows its own build).
#[derive(Debug, Default, Clone, Copy)]
struct NameHasher(u64);

impl NameHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// How many vector components and matrix cells one chapter may compute in
/// all (every vector or matrix an expression or subexpression produces
/// counts). `range(1000000)` makes a million from a few bytes of text; this
/// bound keeps the memory and time of a build in check whatever a chapter
/// says.
pub const MAX_COMPONENTS: usize = 20_000_000;

impl Env {
    /// An empty environment with no data files (`load` is an error).
    pub fn new() -> Env {
        Env::default()
    }

    /// An empty environment whose `load` reads from `source`.
    pub fn with_data(source: std::sync::Arc<dyn data::Source>) -> Env {
        Env { data: data::Data::new(source), ..Env::default() }
    }

    /// The data files loaded so far (or that `load` failed to read).
    pub fn loaded(&self) -> Vec<data::Loaded> {
        self.data.loaded()
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
        self.eval_ref(e).map(Cow::into_owned)
    }

    /// Evaluates an expression; a name's value is borrowed from the
    /// environment, not copied.
    fn eval_ref(&self, e: &Expr) -> EResult<Cow<'_, Value>> {
        let bound = match &e.kind {
            ExprKind::Name(n) => self.vars.get(n.as_str()),
            _ => None,
        };
        let v = match bound {
            Some(v) => Cow::Borrowed(v),
            None => Cow::Owned(self.eval_inner(e)?),
        };
        let size = match &*v {
            Value::Vector(xs) => Some(xs.len()),
            Value::Matrix(m) => Some(m.data().len()),
            _ => None,
        };
        if let Some(size) = size {
            let total = self.computed.get().saturating_add(size);
            self.computed.set(total);
            if total > MAX_COMPONENTS {
                return err(
                    &e.span,
                    format!(
                        "this chapter computes more than {MAX_COMPONENTS} vector components and matrix cells in all: too much for a page"
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
            ExprKind::Name(n) => match self.vars.get(n.as_str()) {
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
                // A vector of number literals (the usual one): its numbers,
                // as the general path below computes them, without a value
                // per item. Anything else (a name, a non-finite literal, a
                // string) takes the general path, which also reports errors.
                let literal = |i: &Expr| match &i.kind {
                    ExprKind::Num(v) if v.is_finite() => Some(*v),
                    ExprKind::Neg(x) => match x.kind {
                        ExprKind::Num(v) if v.is_finite() => Some(-v),
                        _ => None,
                    },
                    _ => None,
                };
                if items.first().and_then(literal).is_some()
                    && let Some(xs) = items.iter().map(literal).collect::<Option<Vec<f64>>>()
                {
                    return Ok(Value::Vector(xs));
                }
                let vals: Vec<Value> = items.iter().map(|i| self.eval(i)).collect::<EResult<_>>()?;
                if vals.iter().all(|v| matches!(v, Value::Str(_))) && !vals.is_empty() {
                    return Ok(Value::Strings(
                        vals.into_iter().filter_map(|v| if let Value::Str(s) = v { Some(s) } else { None }).collect(),
                    ));
                }
                if let Some(Value::Vector(first)) = vals.first() {
                    return matrix_literal(&vals, items, first.len());
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
            ExprKind::Neg(x) => match &*self.eval_ref(x)? {
                Value::Num(v) => Ok(Value::Num(-v)),
                Value::Vector(v) => Ok(Value::Vector(v.iter().map(|x| -x).collect())),
                Value::Matrix(m) => Ok(Value::Matrix(m.map(|x| -x))),
                other => err(&x.span, format!("cannot negate {}", other.type_name())),
            },
            ExprKind::Binary(op, a, b) => {
                let va = self.eval_ref(a)?;
                let vb = self.eval_ref(b)?;
                binary(*op, &va, &vb, a, b, &e.span)
            }
            ExprKind::Index(v, i) => {
                let vv = self.eval_ref(v)?;
                let iv = self.eval_ref(i)?;
                let idx = as_index(&iv, &i.span)?;
                match &*vv {
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
                    Value::Matrix(m) if idx < m.rows() => Ok(Value::Vector(m.row(idx).to_vec())),
                    Value::Matrix(m) => err(
                        &i.span,
                        format!("row {idx} is out of range for a matrix of {} rows (they count from 0)", m.rows()),
                    ),
                    other => {
                        err(&v.span, format!("only vectors and matrices can be indexed, this is {}", other.type_name()))
                    }
                }
            }
            ExprKind::Slice(v, from, to) => {
                let vv = self.eval_ref(v)?;
                let len = match &*vv {
                    Value::Vector(xs) => xs.len(),
                    Value::Strings(xs) => xs.len(),
                    Value::Matrix(m) => m.rows(),
                    other => {
                        return err(
                            &v.span,
                            format!("only vectors and matrices can be sliced, this is {}", other.type_name()),
                        );
                    }
                };
                let bound = |b: &Option<Box<Expr>>, default: usize| -> EResult<usize> {
                    match b {
                        None => Ok(default),
                        Some(b) => {
                            let i = as_index(&*self.eval_ref(b)?, &b.span)?;
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
                Ok(match &*vv {
                    Value::Vector(xs) => Value::Vector(xs[a..b].to_vec()),
                    Value::Strings(xs) => Value::Strings(xs[a..b].to_vec()),
                    Value::Matrix(m) => {
                        let data = m.data()[a * m.cols()..b * m.cols()].to_vec();
                        match Matrix::new(m.cols(), data) {
                            Some(m) => Value::Matrix(m),
                            None => return err(&e.span, "this slice of a matrix has no rows"),
                        }
                    }
                    other => other.clone(),
                })
            }
            ExprKind::Call { name, name_span, args, kwargs } => {
                let f = functions::lookup(name).ok_or_else(|| functions::unknown(name, name_span))?;
                // Every argument in order, the first error ending it, into
                // slots (in place for a few: binding fills the omitted
                // parameters in place too).
                let mut positional = signature::Slots::new();
                for a in args {
                    positional.push(Some((self.eval_ref(a)?, a.span.clone())));
                }
                if kwargs.is_empty() {
                    return f.call(&self.data, &e.span, &mut positional, std::iter::empty());
                }
                let mut values = signature::Slots::new();
                for (_, a) in kwargs {
                    values.push(Some((self.eval_ref(a)?, a.span.clone())));
                }
                let named = kwargs.iter().zip(values.drain()).map(|((k, _), (v, s))| (k.as_str(), v, s));
                f.call(&self.data, &e.span, &mut positional, named)
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

/// `[[...], [...]]`: rows of equal length make a matrix.
fn matrix_literal(vals: &[Value], items: &[Expr], cols: usize) -> EResult<Value> {
    let mut data = Vec::with_capacity(vals.len() * cols);
    for (v, item) in vals.iter().zip(items) {
        match v {
            Value::Vector(r) if r.len() == cols => data.extend_from_slice(r),
            Value::Vector(r) => {
                return err(
                    &item.span,
                    format!(
                        "this row has {} number{} and the first has {cols}: a matrix's rows have one length",
                        r.len(),
                        if r.len() == 1 { "" } else { "s" }
                    ),
                );
            }
            other => {
                return err(
                    &item.span,
                    format!("a matrix is written as rows of numbers, but this is {}", other.type_name()),
                );
            }
        }
    }
    match Matrix::new(cols, data) {
        Some(m) => Ok(Value::Matrix(m)),
        None => err(&items[0].span, "a matrix's rows must hold at least one number"),
    }
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
        Value::Matrix(m) => match m.data().iter().position(|x| !x.is_finite()) {
            Some(i) => err(
                span,
                format!("row {}, column {} of this expression {}", i / m.cols(), i % m.cols(), bad(m.data()[i])),
            ),
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

fn binary(op: BinOp, a: &Value, b: &Value, ea: &Expr, eb: &Expr, span: &Span) -> EResult<Value> {
    if op.is_comparison() {
        return compare(op, a, b, span);
    }
    let f = |x: f64, y: f64| match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => x / y,
        _ => x.powf(y),
    };
    if op == BinOp::Div {
        let zero = match b {
            Value::Num(y) => *y == 0.0,
            Value::Vector(ys) => ys.contains(&0.0),
            Value::Matrix(m) => m.data().contains(&0.0),
            _ => false,
        };
        if zero {
            return err(&eb.span, "division by zero");
        }
    }
    match (a, b) {
        (&Value::Num(x), &Value::Num(y)) => Ok(Value::Num(f(x, y))),
        (Value::Vector(xs), &Value::Num(y)) => Ok(Value::Vector(xs.iter().map(|&x| f(x, y)).collect())),
        (&Value::Num(x), Value::Vector(ys)) => Ok(Value::Vector(ys.iter().map(|&y| f(x, y)).collect())),
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
            Ok(Value::Vector(xs.iter().zip(ys).map(|(&x, &y)| f(x, y)).collect()))
        }
        (Value::Matrix(m), &Value::Num(y)) => Ok(Value::Matrix(m.map(|x| f(x, y)))),
        (&Value::Num(x), Value::Matrix(m)) => Ok(Value::Matrix(m.map(|y| f(x, y)))),
        (Value::Matrix(m), Value::Matrix(n)) => {
            if (m.rows(), m.cols()) != (n.rows(), n.cols()) {
                return err(
                    span,
                    format!(
                        "matrices of different shapes ({} x {} and {} x {}) cannot be combined with `{}`",
                        m.rows(),
                        m.cols(),
                        n.rows(),
                        n.cols(),
                        op.symbol()
                    ),
                );
            }
            let data = m.data().iter().zip(n.data()).map(|(&x, &y)| f(x, y)).collect();
            Ok(Value::Matrix(Matrix { cols: m.cols(), data }))
        }
        (Value::Matrix(_), Value::Vector(_)) | (Value::Vector(_), Value::Matrix(_)) => err(
            span,
            format!(
                "a matrix and a vector cannot be combined with `{}`: take a row (`row(M, i)`) or a column (`column(M, j)`) first",
                op.symbol()
            ),
        ),
        (x, y) => {
            let bad = if matches!(x, Value::Num(_) | Value::Vector(_) | Value::Matrix(_)) { (y, eb) } else { (x, ea) };
            err(
                &bad.1.span,
                format!("`{}` needs numbers, vectors or matrices, this is {}", op.symbol(), bad.0.type_name()),
            )
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
        (Value::Matrix(x), Value::Matrix(y)) if matches!(op, BinOp::Eq | BinOp::Ne) => {
            Ok(Value::Bool((x == y) == (op == BinOp::Eq)))
        }
        _ => err(span, format!("cannot compare {} with {} using `{}`", a.type_name(), b.type_name(), op.symbol())),
    }
}
