//! The numeric core: softmax and its family, with validated inputs.
//!
//! Every function takes logits `z` and a temperature `t` and works on
//! `z / t`. Inputs are validated first: an empty vector, a NaN or infinite
//! logit, a temperature that is not finite and positive, or a class index out
//! of range is a [`NumError`], never a number. A result that is not finite
//! (which only happens when the exact result lies outside the range of `f64`)
//! is an error too.

use std::fmt;

/// Why the numeric core refused to compute.
#[derive(Debug, Clone, PartialEq)]
pub enum NumError {
    /// The logit vector has no components.
    Empty,
    /// A logit (or probability) is NaN or infinite.
    NonFinite {
        /// Position of the offending component.
        index: usize,
        /// Its value.
        value: f64,
    },
    /// The temperature is NaN, infinite, zero or negative.
    Temperature(f64),
    /// The class index is negative or not below the number of classes.
    Class {
        /// The class that was asked for.
        y: i64,
        /// The number of classes.
        len: usize,
    },
    /// The exact result is finite in theory but outside the range of `f64`.
    Overflow(&'static str),
    /// A vector given as probabilities has a negative component or does not
    /// sum to 1.
    NotAProbability(String),
}

impl fmt::Display for NumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumError::Empty => write!(f, "the vector is empty"),
            NumError::NonFinite { index, value } => {
                write!(f, "component {index} is {value}, not a finite number")
            }
            NumError::Temperature(t) => {
                write!(f, "temperature must be finite and > 0, got {t}")
            }
            NumError::Class { y, len } => {
                write!(f, "class {y} is out of range for {len} classes (0..{len})")
            }
            NumError::Overflow(what) => write!(f, "{what} overflows the range of f64"),
            NumError::NotAProbability(why) => write!(f, "not a probability vector: {why}"),
        }
    }
}

impl std::error::Error for NumError {}

fn validate(z: &[f64], t: f64) -> Result<(), NumError> {
    if z.is_empty() {
        return Err(NumError::Empty);
    }
    if let Some((index, &value)) = z.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(NumError::NonFinite { index, value });
    }
    if !(t.is_finite() && t > 0.0) {
        return Err(NumError::Temperature(t));
    }
    Ok(())
}

fn finite(v: f64, what: &'static str) -> Result<f64, NumError> {
    if v.is_finite() { Ok(v) } else { Err(NumError::Overflow(what)) }
}

/// Scaled differences `(z_i - max) / t`, all `<= 0`.
fn diffs(z: &[f64], t: f64) -> Vec<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    z.iter().map(|&x| (x - m) / t).collect()
}

/// `softmax(z / t)`.
pub fn softmax(z: &[f64], t: f64) -> Result<Vec<f64>, NumError> {
    validate(z, t)?;
    let e: Vec<f64> = diffs(z, t).iter().map(|d| d.exp()).collect();
    let s: f64 = e.iter().sum();
    Ok(e.iter().map(|x| x / s).collect())
}

/// `log_softmax(z / t)`.
pub fn log_softmax(z: &[f64], t: f64) -> Result<Vec<f64>, NumError> {
    validate(z, t)?;
    let d = diffs(z, t);
    let s: f64 = d.iter().map(|x| x.exp()).sum();
    let l = s.ln();
    Ok(d.iter().map(|x| x - l).collect())
}

/// `log(sum(exp(z / t)))`.
pub fn logsumexp(z: &[f64], t: f64) -> Result<f64, NumError> {
    validate(z, t)?;
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let s: f64 = diffs(z, t).iter().map(|x| x.exp()).sum();
    finite(m / t + s.ln(), "logsumexp")
}

/// Cross-entropy `-log softmax(z / t)[y]`, in nats.
pub fn cross_entropy(z: &[f64], y: i64, t: f64) -> Result<f64, NumError> {
    validate(z, t)?;
    let k = usize::try_from(y).ok().filter(|&k| k < z.len()).ok_or(NumError::Class { y, len: z.len() })?;
    let lp = log_softmax(z, t)?;
    finite(-lp[k], "cross-entropy")
}

/// Entropy in nats of `softmax(z / t)`.
pub fn entropy_of_logits(z: &[f64], t: f64) -> Result<f64, NumError> {
    let p = softmax(z, t)?;
    let lp = log_softmax(z, t)?;
    Ok(p.iter().zip(&lp).map(|(p, l)| -p * l).sum())
}

/// Entropy in nats of a probability vector `p` (components `>= 0`, summing
/// to 1 within `1e-9`). Zero components contribute nothing.
pub fn entropy(p: &[f64]) -> Result<f64, NumError> {
    if p.is_empty() {
        return Err(NumError::Empty);
    }
    if let Some((index, &value)) = p.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(NumError::NonFinite { index, value });
    }
    if let Some((i, v)) = p.iter().enumerate().find(|(_, v)| **v < 0.0) {
        return Err(NumError::NotAProbability(format!("component {i} is negative ({v})")));
    }
    let s: f64 = p.iter().sum();
    if (s - 1.0).abs() > 1e-9 {
        return Err(NumError::NotAProbability(format!("it sums to {s}, not 1")));
    }
    Ok(p.iter().filter(|&&x| x > 0.0).map(|&x| -x * x.ln()).sum())
}
