//! What the implementations of the function table share: reading and
//! checking arguments, applying a function element-wise or row by row, and
//! placing the numeric core's errors at the argument they are about.

use crate::diagnostics::Diag;
use crate::eval::signature::{Args, fail};
use crate::eval::{EResult, Matrix, Value};
use crate::numeric::{self, calibration};

/// The sample count of `linspace`/`logspace` (parameter 2).
pub(super) fn samples(a: &Args) -> EResult<usize> {
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
pub(super) fn elementwise(a: &Args, f: impl Fn(&Args, f64) -> Result<f64, String>) -> EResult<Value> {
    let at = |m| Diag::error(a.span(0).clone(), m, "here");
    match a.get(0) {
        Some(Value::Num(x)) => f(a, *x).map(Value::Num).map_err(at),
        Some(Value::Vector(xs)) => xs.iter().map(|&x| f(a, x)).collect::<Result<_, _>>().map(Value::Vector).map_err(at),
        _ => Err(a.unbound(0, "number or vector")),
    }
}

/// Number parameter `i` as a whole number from `lo` to 1000000.
pub(super) fn whole(a: &Args, i: usize, lo: f64) -> EResult<usize> {
    let x = a.num(i)?;
    if x.fract() != 0.0 || !(lo..=1e6).contains(&x) {
        return fail(a.span(i), format!("{} needs a whole number from {lo} to 1000000, got {x}", a.who()), "here");
    }
    Ok(x as usize)
}

/// A [`numeric::NumError`] about a pair of vectors: at the first argument
/// when it is about the logits or the temperature, else at the second.
pub(super) fn probability_error(a: &Args, e: numeric::NumError) -> Diag {
    match e {
        numeric::NumError::NotAProbability(_) => Diag::error(a.span(1).clone(), e.to_string(), "here"),
        other => a.num_error(other),
    }
}

pub(super) fn positive(a: &Args, x: f64) -> Result<f64, String> {
    if x <= 0.0 { Err(format!("{} needs a positive number, got {x}", a.who())) } else { Ok(x) }
}

/// A vector function of a vector `z` (parameter 0), applied to each row
/// of a matrix `z`.
pub(super) fn per_row(a: &Args, f: impl Fn(&[f64]) -> EResult<Vec<f64>>) -> EResult<Value> {
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
pub(super) fn per_row_num(a: &Args, f: impl Fn(&[f64]) -> EResult<f64>) -> EResult<Value> {
    match a.get(0) {
        Some(Value::Matrix(m)) => m.row_iter().map(f).collect::<EResult<Vec<f64>>>().map(Value::Vector),
        _ => f(a.vector(0)?).map(Value::Num),
    }
}

/// `argmax`/`argmin`: of a vector, or of each row of a matrix.
pub(super) fn best_of(a: &Args, better: fn(f64, f64) -> bool) -> EResult<Value> {
    match a.get(0) {
        Some(Value::Matrix(m)) => Ok(Value::Vector(
            m.row_iter().map(|r| if let Value::Num(i) = first_best(r, better) { i } else { 0.0 }).collect(),
        )),
        _ => nonempty(a).map(|v| first_best(v, better)),
    }
}

/// Number parameter `i` as an index below `n` (of `what`).
pub(super) fn index(a: &Args, i: usize, n: usize, what: &str) -> EResult<usize> {
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
pub(super) fn logits<'m>(a: &Args, m: &'m Matrix) -> EResult<calibration::Logits<'m>> {
    calibration::Logits::new(m.data(), m.cols()).map_err(|e| cal_error(a, e))
}

/// The matrix `m` (parameter 0) as logits and parameter 1 as its labels.
pub(super) fn logits_and_labels<'m>(a: &Args, m: &'m Matrix) -> EResult<(calibration::Logits<'m>, Vec<usize>)> {
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
pub(super) fn cal_error(a: &Args, e: calibration::CalError) -> Diag {
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
pub(super) fn nonempty<'a>(a: &'a Args<'_>) -> EResult<&'a [f64]> {
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
pub(super) fn extreme(a: &Args, pick: fn(f64, f64) -> f64) -> EResult<Value> {
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
