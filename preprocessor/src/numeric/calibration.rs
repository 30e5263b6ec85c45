//! Calibration of a classifier from its logits (Guo et al., "On
//! Calibration of Modern Neural Networks", ICML 2017): accuracy, the mean
//! negative log-likelihood, the expected and maximum calibration errors
//! over equal-width confidence bins, and the temperature that minimises the
//! NLL.
//!
//! A matrix of logits is a row-major slice with `cols` columns
//! ([`Logits`]), a row per example; labels are class indices, one per row
//! ([`labels`]).
//!
//! # Accuracy
//!
//! - [`confidence`] is the largest softmax probability of each row,
//!   correctly rounded (the kernel's `1 / (1 + S)`).
//! - [`nll`] sums each row's cross-entropy as an unrounded double-double
//!   (the kernel's `|d_y| + ln(1 + S)` before its final rounding), divides
//!   by `n` in double-double and rounds once.
//! - [`ece`] and [`mce`] bin the rounded confidences exactly ([`bin_of`]),
//!   sum `correct - confidence` per bin in double-double (each difference
//!   is exact), and round once.
//! - [`fit_temperature`] brackets and bisects on the sign of the NLL's
//!   derivative, computed in double-double, until the bracket is two
//!   adjacent doubles.
//!
//! `tests/data/calibration/` holds an oracle computed with mpmath (60
//! digits) and exact rationals; `numeric::accuracy::calibration` measures
//! these functions against it.

mod fit;
#[cfg(test)]
mod tests;

pub use fit::{fit_temperature, nll_derivative};

use std::fmt;

use super::dd::{fast_two_sum, two_prod_fma, two_sum};
use super::kernel::{Prepared, first_max};

/// Why a calibration function refused to compute.
#[derive(Debug, Clone, PartialEq)]
pub enum CalError {
    /// No rows, no columns, or a length that is not `rows * cols`.
    Shape,
    /// A logit is NaN or infinite.
    NonFinite {
        /// Its row.
        row: usize,
        /// Its column.
        col: usize,
    },
    /// Not one label per row.
    LabelCount {
        /// How many labels.
        labels: usize,
        /// How many rows.
        rows: usize,
    },
    /// A label that is not a whole number in `[0, cols)`.
    Label {
        /// Its row.
        row: usize,
        /// The label.
        label: f64,
        /// The number of classes.
        cols: usize,
    },
    /// A temperature that is not finite and positive.
    Temperature(f64),
    /// A bin count that is not a whole number from 1 to [`MAX_BINS`].
    Bins(f64),
    /// The NLL has no minimum at a finite, positive temperature (or the
    /// search for it left the range of doubles): why.
    NoMinimum(String),
    /// A result outside the range of `f64` (a cross-entropy beyond
    /// `f64::MAX`).
    Overflow(&'static str),
}

impl fmt::Display for CalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalError::Shape => write!(f, "the logits must be a matrix of at least one row and one column"),
            CalError::NonFinite { row, col } => write!(f, "the logit at row {row}, column {col} is not finite"),
            CalError::LabelCount { labels, rows } => {
                let s = |n: &usize| if *n == 1 { "" } else { "s" };
                write!(f, "{labels} label{} for a matrix of {rows} row{}: give one label per row", s(labels), s(rows))
            }
            CalError::Label { row, label, cols } if label.fract() != 0.0 => {
                write!(f, "label {label} at row {row} is not a whole number (a label is a class, 0 to {})", cols - 1)
            }
            CalError::Label { row, label, cols } => {
                write!(f, "label {label} out of range at row {row} (the matrix has {cols} columns)")
            }
            CalError::Temperature(t) => write!(f, "temperature must be finite and > 0, got {t}"),
            CalError::Bins(b) => write!(f, "`bins` must be a whole number from 1 to {MAX_BINS}, got {b}"),
            CalError::NoMinimum(why) => write!(f, "no temperature minimises the NLL: {why}"),
            CalError::Overflow(what) => write!(f, "{what} overflows the range of f64"),
        }
    }
}

impl std::error::Error for CalError {}

/// The most confidence bins [`ece`] and [`mce`] take.
pub const MAX_BINS: usize = 100_000;

/// Logits beyond this magnitude are refused by [`fit_temperature`]: its
/// derivative multiplies differences of logits by probabilities, and this
/// keeps every product and sum far from overflow.
pub const FIT_MAX_LOGIT: f64 = 1e100;

/// A validated matrix of logits: finite, at least one row and column.
#[derive(Debug, Clone, Copy)]
pub struct Logits<'a> {
    z: &'a [f64],
    cols: usize,
}

impl<'a> Logits<'a> {
    /// `z` (row-major) with `cols` columns.
    ///
    /// # Errors
    /// [`CalError::Shape`], [`CalError::NonFinite`].
    pub fn new(z: &'a [f64], cols: usize) -> Result<Logits<'a>, CalError> {
        if cols == 0 || z.is_empty() || !z.len().is_multiple_of(cols) {
            return Err(CalError::Shape);
        }
        if let Some(i) = z.iter().position(|x| !x.is_finite()) {
            return Err(CalError::NonFinite { row: i / cols, col: i % cols });
        }
        Ok(Logits { z, cols })
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.z.len() / self.cols
    }

    /// The number of columns (classes).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &'a [f64] {
        &self.z[i * self.cols..(i + 1) * self.cols]
    }

    fn iter(&self) -> impl Iterator<Item = &'a [f64]> {
        self.z.chunks_exact(self.cols)
    }
}

/// The labels `y` as class indices, one per row of `z`.
///
/// # Errors
/// [`CalError::LabelCount`]; [`CalError::Label`] for the first label that
/// is not a whole number in `[0, cols)`.
pub fn labels(z: &Logits, y: &[f64]) -> Result<Vec<usize>, CalError> {
    if y.len() != z.rows() {
        return Err(CalError::LabelCount { labels: y.len(), rows: z.rows() });
    }
    y.iter()
        .enumerate()
        .map(|(row, &label)| {
            if label.fract() == 0.0 && label >= 0.0 && label < z.cols() as f64 {
                Ok(label as usize)
            } else {
                Err(CalError::Label { row, label, cols: z.cols() })
            }
        })
        .collect()
}

fn temperature(t: f64) -> Result<(), CalError> {
    if t.is_finite() && t > 0.0 { Ok(()) } else { Err(CalError::Temperature(t)) }
}

/// The largest softmax probability of each row at temperature `t`, each
/// correctly rounded.
///
/// # Errors
/// [`CalError::Temperature`].
pub fn confidence(z: &Logits, t: f64) -> Result<Vec<f64>, CalError> {
    temperature(t)?;
    Ok(z.iter().map(|row| Prepared::new(row, t, false).max_probability()).collect())
}

/// The predicted class of each row: the index of its largest logit, the
/// first on a tie (as `argmax`). The temperature does not change it.
pub fn predictions(z: &Logits) -> Vec<usize> {
    z.iter().map(|row| first_max(row).0).collect()
}

/// 1 where a row's prediction ([`predictions`]) is its label, else 0.
pub fn correct(z: &Logits, y: &[usize]) -> Vec<f64> {
    predictions(z).iter().zip(y).map(|(p, y)| if p == y { 1.0 } else { 0.0 }).collect()
}

/// The fraction of rows whose prediction is their label (one division,
/// correctly rounded).
pub fn accuracy(z: &Logits, y: &[usize]) -> f64 {
    let right = predictions(z).iter().zip(y).filter(|(p, y)| p == y).count();
    right as f64 / z.rows() as f64
}

/// `(hi + lo) / n`, rounded once (`n` a count below `2^53`).
fn mean_dd((hi, lo): (f64, f64), n: usize) -> f64 {
    let nf = n as f64;
    let q = hi / nf;
    let (p, e) = two_prod_fma(q, nf);
    let r = ((hi - p) - e) + lo;
    q + r / nf
}

/// Adds `(h, l)` to the double-double accumulator `acc`.
#[inline]
fn add_dd(acc: &mut (f64, f64), (h, l): (f64, f64)) {
    let (s, e) = two_sum(acc.0, h);
    acc.0 = s;
    acc.1 += e + l;
}

/// The mean negative log-likelihood of the labels at temperature `t`: the
/// mean over rows of `cross_entropy(row, label, t)`, in nats.
///
/// # Errors
/// [`CalError::Temperature`]; [`CalError::Overflow`] when a row's loss
/// exceeds `f64::MAX`.
pub fn nll(z: &Logits, y: &[usize], t: f64) -> Result<f64, CalError> {
    temperature(t)?;
    let mut acc = (0.0, 0.0);
    for (row, &k) in z.iter().zip(y) {
        let pre = Prepared::new(row, t, true);
        let (h, l) = pre.log_p_dd(k, pre.log_norm());
        if !h.is_finite() {
            return Err(CalError::Overflow("a row's cross-entropy"));
        }
        add_dd(&mut acc, (-h, -l));
    }
    let (h, l) = fast_two_sum(acc.0, acc.1);
    let m = mean_dd((h, l), z.rows());
    if m.is_finite() { Ok(m) } else { Err(CalError::Overflow("the mean cross-entropy")) }
}

/// The confidence bin (0-based) of `conf` among `bins` equal-width bins
/// of `[0, 1]`: bin `m` (1-based) holds the confidences in
/// `((m-1)/M, m/M]`, as in Guo et al., so a confidence exactly on a
/// boundary `m/M` goes to the lower bin; 0 goes to the first bin.
///
/// Decided exactly, never by a rounded `conf * M`: the product is the
/// exact `p + e` of an FMA, and the bin is the least integer `m >= p + e`.
/// `conf` must be in `[0, 1]` and `bins >= 1`.
pub fn bin_of(conf: f64, bins: usize) -> usize {
    let (p, e) = two_prod_fma(conf, bins as f64);
    let c = p.ceil();
    // p < 2^53 and |e| <= ulp(p)/2: p + e is on the same side of every
    // integer as p, unless p is itself an integer.
    let m = if c == p && e > 0.0 { p + 1.0 } else { c };
    (m as usize).clamp(1, bins) - 1
}

/// One confidence bin's totals.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bin {
    /// Predictions in the bin.
    pub count: usize,
    /// Right predictions in the bin.
    pub right: usize,
    /// The sum of the bin's confidences (double-double).
    pub confidence: (f64, f64),
    /// The sum of `correct - confidence` over the bin (double-double; each
    /// difference is exact).
    pub gap: (f64, f64),
}

impl Bin {
    /// The bin's accuracy, `right / count` (`None` when empty).
    pub fn accuracy(&self) -> Option<f64> {
        (self.count > 0).then(|| self.right as f64 / self.count as f64)
    }

    /// The bin's mean confidence, rounded once (`None` when empty).
    pub fn mean_confidence(&self) -> Option<f64> {
        (self.count > 0).then(|| mean_dd(self.confidence, self.count))
    }

    /// `|accuracy - mean confidence|`, rounded once (`None` when empty).
    pub fn gap(&self) -> Option<f64> {
        (self.count > 0).then(|| mean_dd(abs_dd(self.gap), self.count))
    }
}

fn abs_dd((h, l): (f64, f64)) -> (f64, f64) {
    if h < 0.0 || (h == 0.0 && l < 0.0) { (-h, -l) } else { (h, l) }
}

/// The predictions binned by confidence ([`bin_of`]): `conf` in `[0, 1]`
/// and `correct` 0 or 1, of the same length; `bins >= 1`. The one binning
/// behind [`ece`], [`mce`] and the reliability diagram.
pub fn bin_stats(conf: &[f64], correct: &[f64], bins: usize) -> Vec<Bin> {
    let mut out = vec![Bin::default(); bins.max(1)];
    for (&c, &y) in conf.iter().zip(correct) {
        let b = &mut out[bin_of(c, bins.max(1))];
        b.count += 1;
        b.right += usize::from(y == 1.0);
        add_dd(&mut b.confidence, (c, 0.0));
        add_dd(&mut b.gap, two_sum(y, -c));
    }
    out
}

/// The expected calibration error of binned predictions:
/// `sum_m |B_m|/n * |acc(B_m) - conf(B_m)| = (1/n) sum_m |sum_{i in B_m}
/// (correct_i - conf_i)|`, rounded once.
pub fn ece_of(bins: &[Bin]) -> f64 {
    let n: usize = bins.iter().map(|b| b.count).sum();
    if n == 0 {
        return 0.0;
    }
    let mut acc = (0.0, 0.0);
    for b in bins {
        add_dd(&mut acc, abs_dd(b.gap));
    }
    mean_dd(fast_two_sum(acc.0, acc.1), n)
}

/// The maximum calibration error of binned predictions: the largest
/// `|acc(B_m) - conf(B_m)|` over the non-empty bins.
pub fn mce_of(bins: &[Bin]) -> f64 {
    bins.iter().filter_map(Bin::gap).fold(0.0, f64::max)
}

fn bin_count(bins: f64) -> Result<usize, CalError> {
    if bins.fract() == 0.0 && (1.0..=MAX_BINS as f64).contains(&bins) {
        Ok(bins as usize)
    } else {
        Err(CalError::Bins(bins))
    }
}

/// The bins of `z`'s predictions at temperature `t`.
///
/// # Errors
/// [`CalError::Temperature`], [`CalError::Bins`].
pub fn binned(z: &Logits, y: &[usize], t: f64, bins: f64) -> Result<Vec<Bin>, CalError> {
    let bins = bin_count(bins)?;
    let conf = confidence(z, t)?;
    Ok(bin_stats(&conf, &correct(z, y), bins))
}

/// The expected calibration error at temperature `t` with `bins`
/// equal-width bins ([`ece_of`] of [`binned`]).
///
/// # Errors
/// As [`binned`].
pub fn ece(z: &Logits, y: &[usize], t: f64, bins: f64) -> Result<f64, CalError> {
    binned(z, y, t, bins).map(|b| ece_of(&b))
}

/// The maximum calibration error at temperature `t` with `bins`
/// equal-width bins ([`mce_of`] of [`binned`]).
///
/// # Errors
/// As [`binned`].
pub fn mce(z: &Logits, y: &[usize], t: f64, bins: f64) -> Result<f64, CalError> {
    binned(z, y, t, bins).map(|b| mce_of(&b))
}
