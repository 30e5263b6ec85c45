//! The numeric core: softmax and its family, with validated inputs.
//!
//! Every function takes logits `z` and a temperature `t` and works on
//! `z / t`. Inputs are validated first: an empty vector, a NaN or infinite
//! logit, a temperature that is not finite and positive, or a class index out
//! of range is a [`NumError`], never a number. A result that is not finite
//! (which only happens when the exact result lies outside the range of `f64`)
//! is [`NumError::Overflow`] too.
//!
//! # How the results stay within an ulp or two
//!
//! All functions share one computation (module `kernel`):
//!
//! 1. `d_i = (z_i - z_max) / t` as a double-double: `z_i - z_max` by an exact
//!    two-sum *before* scaling by `t` (scaling first rounds `z_i / t`, which
//!    near-ties at tiny `t` magnify to 1e14 ulp), then the quotient with its
//!    FMA remainder. Tiny `t` is first scaled by `2^600` so that remainder
//!    cannot underflow; a difference that overflows is computed halved.
//! 2. `exp(d_i)` by a double-double exponential that returns mantissa and
//!    power of two separately (`(h + l) * 2^k`), so a result that is
//!    subnormal is rounded exactly once, at the very end.
//! 3. `S = sum_{i != max} exp(d_i)` in double-double, in units of its largest
//!    term's power of two, so `S` keeps full relative precision even when it
//!    is far below the subnormal range; `Z = 1 + S`.
//! 4. `L = ln(1 + S)` by a series for tiny `S` and otherwise `ln_1p` refined
//!    by one Newton step with a double-double `expm1`.
//!
//! Each public function then combines these with double-double arithmetic
//! and rounds once. The accuracy against the 80-digit corpus in
//! `tests/data/accuracy/` is measured by [`accuracy`]: on all 1,313 cases,
//! `p`, `log p`, cross-entropy and entropy are correctly rounded (0 ulp) and
//! `lse` is within 1.1e-5 ulp of `max(|lse|, max|z_i/T|)`.

pub mod accuracy;
pub mod calibration;
pub mod dd;
mod kernel;
pub mod targets;

use kernel::{Prepared, finite};

use std::fmt;

/// Why the numeric core refused to compute.
#[derive(Debug, Clone, PartialEq)]
pub enum NumError {
    /// The logit (or probability) vector has no components: every function.
    Empty,
    /// A logit (or probability) is NaN or ±infinity: every function. (`-inf`
    /// as a masking convention is out of spec here.)
    NonFinite {
        /// Position of the first offending component.
        index: usize,
        /// Its value.
        value: f64,
    },
    /// The temperature is NaN, infinite, zero or negative: every function
    /// taking a temperature.
    Temperature(f64),
    /// [`cross_entropy`] only: the class index is negative or not below the
    /// number of classes.
    Class {
        /// The class that was asked for.
        y: i64,
        /// The number of classes.
        len: usize,
    },
    /// The exact result exists but lies outside the range of `f64`: some
    /// `log p_i` or the cross-entropy below `-f64::MAX` (e.g. `z = [0,
    /// -1e308]`, `t = 0.5`), or `|logsumexp|` above `f64::MAX`. Never for
    /// [`softmax`] or the entropies. The payload names the function.
    Overflow(&'static str),
    /// [`entropy`] only: a component is negative or the vector does not sum
    /// to 1 within `1e-9`.
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

fn class(y: i64, len: usize) -> Result<usize, NumError> {
    usize::try_from(y).ok().filter(|&k| k < len).ok_or(NumError::Class { y, len })
}

fn max_of(z: &[f64]) -> f64 {
    z.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// `softmax(z / t)`: the probabilities `p_i = exp(z_i/t) / sum_j exp(z_j/t)`.
///
/// Technique: subtract the max *before* dividing by `t`, carry
/// `d_i = (z_i - z_max)/t` as a double-double (FMA remainder), take a
/// double-double `exp` that keeps its power of two apart, divide by
/// `1 + S` in double-double and round once (onto the subnormal grid if need
/// be). Plain `exp(d)` would magnify the rounding of `d` by `|d|` (hundreds
/// of ulps near underflow) and round subnormal results twice. Fast path:
/// while every term is above `2^-900` the exponentials are kept unscaled in
/// the output buffer and divided in place (no result can be subnormal);
/// otherwise the general scaled path runs. About 1.5-3x a plain
/// subtract-the-max softmax (`benches/core.rs`).
///
/// # Errors
/// [`NumError::Empty`], [`NumError::NonFinite`], [`NumError::Temperature`]
/// for invalid input. Never overflows.
pub fn softmax(z: &[f64], t: f64) -> Result<Vec<f64>, NumError> {
    validate(z, t)?;
    Ok(kernel::softmax_fast(z, t))
}

/// `log_softmax(z / t)`: `log p_i = d_i - L` with `L = ln(1 + S)`.
///
/// Technique: `d_i` and `L` are double-doubles and both terms are `<= 0`, so
/// `d_i - L` has no cancellation and is rounded once. For the maximum
/// (`d = 0`) this is `-ln(1 + S)`, computed from `S` itself (series or
/// Newton-refined `ln_1p`), so `log p_max` keeps full relative precision
/// where `x - max - log(sum)` returns exactly 0 (e.g. -4.28e-18 for
/// `[5, 1, 0.5]` at `t = 0.1`).
///
/// # Errors
/// As [`softmax`], plus [`NumError::Overflow`] when some `log p_i` is below
/// `-f64::MAX` (e.g. `z = [0, -1e308]`, `t = 0.5`).
pub fn log_softmax(z: &[f64], t: f64) -> Result<Vec<f64>, NumError> {
    validate(z, t)?;
    let pre = Prepared::new(z, t, true);
    let l = pre.log_norm();
    (0..z.len()).map(|i| finite(pre.log_p(i, l), "log_softmax")).collect()
}

/// `logsumexp(z / t) = z_max / t + ln(1 + S)`.
///
/// Technique: `z_max / t` as a double-double (FMA remainder) plus the
/// double-double `L`, rounded once. Near 0 (logits that are
/// log-probabilities) the two terms cancel; the result is then accurate
/// relative to `max |z_i / t|`, which is the condition of the problem.
///
/// # Errors
/// As [`softmax`], plus [`NumError::Overflow`] when `|lse|` exceeds
/// `f64::MAX`.
pub fn logsumexp(z: &[f64], t: f64) -> Result<f64, NumError> {
    validate(z, t)?;
    let pre = Prepared::new(z, t, true);
    finite(pre.lse(max_of(z), pre.log_norm()), "logsumexp")
}

/// Cross-entropy `-log softmax(z / t)[y]`, in nats.
///
/// Technique: `-(d_y - L) = |d_y| + L` from the same double-doubles as
/// [`log_softmax`], a sum of two non-negative terms rounded once; never
/// `-log(p_y)` (fails where `p_y` underflows) nor `lse - z_y/t` (cancels).
///
/// # Errors
/// As [`softmax`], plus [`NumError::Class`] when `y < 0` or `y >= z.len()`,
/// and [`NumError::Overflow`] when the loss exceeds `f64::MAX`.
pub fn cross_entropy(z: &[f64], y: i64, t: f64) -> Result<f64, NumError> {
    validate(z, t)?;
    let k = class(y, z.len())?;
    finite(kernel::cross_entropy_fast(z, k, t), "cross-entropy")
}

/// Entropy in nats of `softmax(z / t)`.
///
/// Technique: `H = L + (1/Z) sum_i exp(d_i) (-d_i)`: every term is
/// non-negative, so nothing cancels, and no `0 * log 0` arises. The
/// exponentials stay scaled by a common power of two, so an entropy that is
/// itself tiny or subnormal (one dominant logit) keeps full precision.
///
/// # Errors
/// As [`softmax`]. Never overflows (`0 <= H <= ln n`).
pub fn entropy_of_logits(z: &[f64], t: f64) -> Result<f64, NumError> {
    validate(z, t)?;
    let pre = Prepared::new(z, t, true);
    finite(pre.entropy(pre.log_norm()), "entropy")
}

/// Entropy in nats of a probability vector `p` (components `>= 0`, summing
/// to 1 within `1e-9`). Zero components contribute nothing.
///
/// Technique: `sum_i p_i * (-ln p_i)`, every term non-negative, products
/// and sum in double-double, rounded once at the end.
///
/// # Errors
/// [`NumError::Empty`], [`NumError::NonFinite`], and
/// [`NumError::NotAProbability`] for a negative component or a sum off 1.
pub fn entropy(p: &[f64]) -> Result<f64, NumError> {
    targets::probability(p)?;
    let (mut h, mut l) = (0.0, 0.0);
    for &x in p.iter().filter(|&&x| x > 0.0) {
        let (a, b) = dd::two_prod(x, -x.ln());
        let (s, e) = dd::two_sum(h, a);
        h = s;
        l += e + b;
    }
    Ok(h + l)
}

/// All five results for one `(z, t, y)`, computed from one shared pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Outputs {
    /// [`softmax`].
    pub p: Vec<f64>,
    /// [`log_softmax`], or why it failed.
    pub log_p: Result<Vec<f64>, NumError>,
    /// [`logsumexp`], or why it failed.
    pub lse: Result<f64, NumError>,
    /// [`cross_entropy`] for class `y`, or why it failed.
    pub ce: Result<f64, NumError>,
    /// [`entropy_of_logits`].
    pub h: f64,
}

/// Compute [`softmax`], [`log_softmax`], [`logsumexp`], [`cross_entropy`]
/// and [`entropy_of_logits`] at once (same values, one shared pass).
///
/// # Errors
/// The input errors of [`softmax`]; a bad class or an overflow only fails
/// the field concerned.
pub fn all(z: &[f64], t: f64, y: i64) -> Result<Outputs, NumError> {
    validate(z, t)?;
    let pre = Prepared::new(z, t, true);
    let l = pre.log_norm();
    let log_p = (0..z.len()).map(|i| finite(pre.log_p(i, l), "log_softmax")).collect();
    let ce = class(y, z.len()).and_then(|k| finite(-pre.log_p(k, l), "cross-entropy"));
    Ok(Outputs {
        p: pre.probabilities(),
        log_p,
        lse: finite(pre.lse(max_of(z), l), "logsumexp"),
        ce,
        h: pre.entropy(l),
    })
}

/// Distance in ulps between two doubles on the ordered line of doubles
/// (`-0.0` and `+0.0` are one apart; subnormals count one each).
/// Any NaN is `u64::MAX` away from everything.
pub fn ulp_distance(a: f64, b: f64) -> u64 {
    if a.is_nan() || b.is_nan() {
        return u64::MAX;
    }
    fn key(x: f64) -> i128 {
        let bits = x.to_bits();
        let mag = i128::from(bits & !(1u64 << 63));
        if bits >> 63 == 0 { mag } else { -1 - mag }
    }
    let d = (key(a) - key(b)).unsigned_abs();
    u64::try_from(d).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests;
