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
//! digits) and exact rationals; `numeric::calibration_accuracy` measures
//! these functions against it.

use std::fmt;

use super::dd::{EXP_CUTOFF, SPLIT_MAX, exp_scaled, fast_two_sum, pow2, two_prod, two_prod_fma, two_sum};
use super::kernel::{Divider, Prepared, first_max};

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

/// `sum_i (E_{p_i}[z_i] - z_{i,y_i})` at temperature `t`, as a
/// double-double: `-n t^2` times the derivative of the mean NLL in `t`.
/// Non-increasing in `t`. Each row's expectation is `sum_j w_j (z_j - z_y)
/// / sum_j w_j` with `w_j = exp((z_j - z_max)/t)` in double-double (the
/// kernel's scaled differences and exponential, relative error about
/// `2^-68`) and each difference `z_j - z_y` exact.
fn slope_sum(z: &Logits, y: &[usize], t: f64) -> (f64, f64) {
    let div = Divider::new(t);
    let mut g = (0.0, 0.0);
    for (row, &k) in z.iter().zip(y) {
        let (kmax, m) = first_max(row);
        let zy = row[k];
        let mut num = two_sum(m, -zy);
        let mut den = (1.0, 0.0);
        for (j, &x) in row.iter().enumerate() {
            if j == kmax {
                continue;
            }
            let (dh, dl) = div.diff(x, m);
            if dh < EXP_CUTOFF {
                continue;
            }
            let (h, l, e) = exp_scaled(dh, dl);
            if e < -1000 {
                continue;
            }
            let f = pow2(e);
            let (wh, wl) = (h * f, l * f);
            add_dd(&mut den, (wh, wl));
            let (ah, al) = two_sum(x, -zy);
            let (ph, pl) = if ah.abs() < SPLIT_MAX { two_prod(wh, ah) } else { two_prod_fma(wh, ah) };
            add_dd(&mut num, (ph, pl + (wh * al + wl * ah)));
        }
        let (nh, nl) = fast_two_sum(num.0, num.1);
        let (dh, dl) = fast_two_sum(den.0, den.1);
        let q = nh / dh;
        let (p, e) = two_prod_fma(q, dh);
        let r = (((nh - p) - e) + nl - q * dl) / dh;
        add_dd(&mut g, (q, r));
    }
    fast_two_sum(g.0, g.1)
}

/// A plain double-precision estimate of the minimiser of the mean NLL
/// between the temperatures `lo` and `hi` (which bracket it): Newton's
/// method on `beta = 1/T`, where the NLL's derivative is the slope sum
/// `sum_i (E_p[z_i] - z_{i,y_i})` and its second derivative the sum of the
/// variances `Var_p[z_i]`, safeguarded by bisection in the bracket. Only a
/// starting point: [`fit_temperature`] checks it in double-double.
fn newton_guess(z: &Logits, y: &[usize], lo: f64, hi: f64) -> f64 {
    // In beta the bracket is [1/hi, 1/lo]. The NLL is convex in beta, so
    // the slope sum rises with beta: it is <= 0 at 1/hi and > 0 at 1/lo.
    let (mut b_lo, mut b_hi) = (1.0 / hi, 1.0 / lo);
    let mut beta = 0.5 * (b_lo + b_hi);
    for _ in 0..100 {
        let (d, dd) = slope_and_curvature(z, y, beta);
        if d > 0.0 {
            b_hi = beta;
        } else {
            b_lo = beta;
        }
        let step = if dd > 0.0 { beta - d / dd } else { f64::NAN };
        let next = if step > b_lo && step < b_hi { step } else { 0.5 * (b_lo + b_hi) };
        if (next - beta).abs() <= 1e-15 * beta || b_hi - b_lo <= 1e-15 * b_hi {
            return 1.0 / next;
        }
        beta = next;
    }
    1.0 / beta
}

/// The slope sum and the sum of the variances at `beta = 1/T`, in plain
/// double precision (for [`newton_guess`]).
fn slope_and_curvature(z: &Logits, y: &[usize], beta: f64) -> (f64, f64) {
    let (mut d, mut v) = (0.0, 0.0);
    for (row, &k) in z.iter().zip(y) {
        let (_, m) = first_max(row);
        let (mut den, mut e1, mut e2) = (0.0, 0.0, 0.0);
        for &x in row {
            let w = ((x - m) * beta).exp();
            let a = x - row[k];
            den += w;
            e1 += w * a;
            e2 += w * a * a;
        }
        let mean = e1 / den;
        d += mean;
        v += (e2 / den - mean * mean).max(0.0);
    }
    (d, v)
}

/// The derivative of the mean NLL with respect to the temperature, at
/// `t`: `-(1/(n t^2)) sum_i (E_{p_i}[z_i] - z_{i,y_i})`. Its sign is
/// exact but for the last bits of a double-double sum.
///
/// # Errors
/// [`CalError::Temperature`].
pub fn nll_derivative(z: &Logits, y: &[usize], t: f64) -> Result<f64, CalError> {
    temperature(t)?;
    let (h, l) = slope_sum(z, y, t);
    Ok(-((h + l) / z.rows() as f64) / t / t)
}

/// The temperature `T > 0` that minimises the mean NLL of the labels.
///
/// The mean NLL is convex in `beta = 1/T` (its second derivative is the
/// mean variance of the logits under `p`), so its derivative in `T`
/// changes sign once. Its limits decide whether there is a minimiser:
/// as `T -> infinity` the derivative has the sign of
/// `sum_i (z_{i,y_i} - mean_j z_ij)`, and as `T -> 0` that of
/// `sum_i (z_{i,y_i} - max_j z_ij)`; the first must be positive and the
/// second negative.
///
/// Search: from `T = 1`, double or halve until the derivative changes
/// sign; narrow the bracket to `1e-12` (else `1e-9`, `1e-6`) relative
/// around a plain-double Newton guess when the double-double derivative
/// confirms the sign change there; then bisect the bracket until it is two
/// adjacent doubles `lo < hi` with the derivative (computed in
/// double-double, [`nll_derivative`]) `< 0` at `lo` and `>= 0` at `hi`. The result is the one of the two
/// where the derivative is smaller in magnitude. A derivative exactly 0
/// ends the search at once.
///
/// # Errors
/// [`CalError::NoMinimum`] when every row's label already has its row's
/// largest logit (the NLL falls forever as `T -> 0`), when the labels are
/// on average no more likely than a uniform guess (it falls forever as
/// `T -> infinity`; all logits of every row equal is the flat case), when a
/// logit exceeds [`FIT_MAX_LOGIT`] in magnitude, or when the minimiser
/// lies outside `[1e-300, 1e300]`.
pub fn fit_temperature(z: &Logits, y: &[usize]) -> Result<f64, CalError> {
    if z.z.iter().any(|x| x.abs() > FIT_MAX_LOGIT) {
        return Err(CalError::NoMinimum(format!(
            "a logit exceeds {FIT_MAX_LOGIT:e} in magnitude, beyond the range fit_temperature works in"
        )));
    }
    // The limits, exactly but for the last bits: at T -> 0 the slope sum is
    // sum(z_max - z_y) >= 0; at T -> infinity it is sum(mean(z) - z_y).
    let mut at_zero = (0.0, 0.0);
    let mut at_inf = (0.0, 0.0);
    let mut flat = true;
    for (row, &k) in z.iter().zip(y) {
        let (_, m) = first_max(row);
        add_dd(&mut at_zero, two_sum(m, -row[k]));
        let mut s = (0.0, 0.0);
        for &x in row {
            add_dd(&mut s, two_sum(x, -row[k]));
            flat &= x == m;
        }
        let (sh, sl) = fast_two_sum(s.0, s.1);
        let q = sh / row.len() as f64;
        let (p, e) = two_prod_fma(q, row.len() as f64);
        add_dd(&mut at_inf, (q, (((sh - p) - e) + sl) / row.len() as f64));
    }
    if flat {
        return Err(CalError::NoMinimum(
            "every row's logits are all equal, so the NLL is ln(classes) at every temperature".into(),
        ));
    }
    if at_zero.0 + at_zero.1 <= 0.0 {
        return Err(CalError::NoMinimum(
            "every row's label already has the row's largest logit, so the NLL keeps falling as T -> 0".into(),
        ));
    }
    if at_inf.0 + at_inf.1 >= 0.0 {
        return Err(CalError::NoMinimum(
            "the labels' logits are on average no higher than their rows' means, so the NLL keeps falling as T grows"
                .into(),
        ));
    }
    let g = |t: f64| {
        let (h, l) = slope_sum(z, y, t);
        h + l
    };
    let out_of_range = || {
        CalError::NoMinimum("the minimiser lies outside the temperatures 1e-300 to 1e300 that the search covers".into())
    };
    // g > 0: T below the minimiser (the derivative in T is -g / (n T^2)).
    let mut t = 1.0;
    let mut gt = g(t);
    if gt == 0.0 {
        return Ok(t);
    }
    let (mut lo, mut hi, mut glo, mut ghi);
    if gt > 0.0 {
        loop {
            let next = 2.0 * t;
            let gn = g(next);
            if gn <= 0.0 {
                (lo, hi, glo, ghi) = (t, next, gt, gn);
                break;
            }
            (t, gt) = (next, gn);
            if t > 1e300 {
                return Err(out_of_range());
            }
        }
    } else {
        loop {
            let next = 0.5 * t;
            let gn = g(next);
            if gn > 0.0 {
                (lo, hi, glo, ghi) = (next, t, gn, gt);
                break;
            }
            (t, gt) = (next, gn);
            if t < 1e-300 {
                return Err(out_of_range());
            }
        }
    }
    if ghi == 0.0 {
        return Ok(hi);
    }
    // A cheap first pass: Newton's method in plain double precision
    // ([`newton_guess`]) finds the minimiser to about the precision of a
    // plain sum. The double-double `g` then checks a narrow bracket around
    // that guess and, when the bracket holds the sign change, the bisection
    // below starts from it (a few steps instead of fifty); when it does not,
    // the bracket is widened, and at worst the whole one is bisected.
    let guess = newton_guess(z, y, lo, hi);
    for eps in [1e-12, 1e-9, 1e-6] {
        let (a, b) = (guess * (1.0 - eps), guess * (1.0 + eps));
        if !(a > lo && b < hi) {
            break;
        }
        let (ga, gb) = (g(a), g(b));
        if ga == 0.0 {
            return Ok(a);
        }
        if gb == 0.0 {
            return Ok(b);
        }
        if ga > 0.0 && gb < 0.0 {
            (lo, glo, hi, ghi) = (a, ga, b, gb);
            break;
        }
    }
    loop {
        let mid = lo + 0.5 * (hi - lo);
        if mid <= lo || mid >= hi {
            break;
        }
        let gm = g(mid);
        if gm == 0.0 {
            return Ok(mid);
        }
        if gm > 0.0 {
            (lo, glo) = (mid, gm);
        } else {
            (hi, ghi) = (mid, gm);
        }
    }
    Ok(if glo.abs() <= ghi.abs() { lo } else { hi })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logits(z: &[f64], cols: usize) -> Logits<'_> {
        Logits::new(z, cols).expect("valid logits")
    }

    #[test]
    fn bins_are_decided_exactly_and_boundaries_go_down() {
        // 0.2 * 5 rounds to exactly 1 but 0.2 (the double) is above 1/5.
        assert_eq!(bin_of(0.2, 5), 1);
        assert_eq!(bin_of(0.25, 4), 0, "exactly on 1/4: the lower bin");
        assert_eq!(bin_of(0.5, 2), 0);
        assert_eq!(bin_of(0.5f64.next_up(), 2), 1);
        assert_eq!(bin_of(1.0, 15), 14);
        assert_eq!(bin_of(0.0, 15), 0);
        assert_eq!(bin_of(f64::from_bits(1), 15), 0);
        // 0.6 (the double) is below 3/5, 0.8 is above 4/5.
        assert_eq!(bin_of(0.6, 5), 2);
        assert_eq!(bin_of(0.8, 5), 4);
        // Against exact rational arithmetic on a grid of doubles.
        for bins in [1usize, 2, 3, 7, 10, 15, 100] {
            for i in 0..=2000 {
                let c = i as f64 / 2000.0;
                for c in [c.next_down().max(0.0), c, c.next_up().min(1.0)] {
                    let m = bin_of(c, bins) + 1;
                    assert!(m >= 1 && m <= bins);
                    if c < 2f64.powi(-8) {
                        assert_eq!(m, 1, "{c} of {bins}");
                        continue;
                    }
                    // (m-1)/M < c <= m/M, i.e. (m-1) < c*M <= m, exactly:
                    // c = a / 2^60 with a an integer (c in [2^-8, 1]).
                    let a = (c * 2f64.powi(60)) as u128;
                    let scaled = a * bins as u128; // c*M * 2^60
                    let unit = 1u128 << 60;
                    assert!(scaled <= m as u128 * unit, "{c} in bin {m} of {bins}");
                    assert!(c == 0.0 || scaled > (m as u128 - 1) * unit, "{c} in bin {m} of {bins}");
                }
            }
        }
    }

    #[test]
    fn calibration_of_a_small_matrix() {
        // Row 0 right with p_max 0.731, row 1 wrong with p_max 0.881.
        let z = [1.0, 0.0, 0.0, 2.0];
        let m = logits(&z, 2);
        let y = labels(&m, &[0.0, 0.0]).expect("labels");
        assert_eq!(accuracy(&m, &y), 0.5);
        assert_eq!(correct(&m, &y), vec![1.0, 0.0]);
        let conf = confidence(&m, 1.0).expect("conf");
        let p = |r: &[f64]| crate::numeric::softmax(r, 1.0).expect("p");
        assert_eq!(conf, vec![p(&z[..2])[0], p(&z[2..])[1]]);
        let want = (crate::numeric::cross_entropy(&z[..2], 0, 1.0).expect("ce")
            + crate::numeric::cross_entropy(&z[2..], 0, 1.0).expect("ce"))
            / 2.0;
        assert!(crate::numeric::ulp_distance(nll(&m, &y, 1.0).expect("nll"), want) <= 1);
        // One bin: |0.5 - mean conf|.
        let one = ece(&m, &y, 1.0, 1.0).expect("ece");
        assert!((one - ((conf[0] + conf[1]) / 2.0 - 0.5)).abs() < 1e-16);
        // 15 bins: 0.731 and 0.881 fall in different bins.
        let e15 = ece(&m, &y, 1.0, 15.0).expect("ece");
        assert!((e15 - ((1.0 - conf[0]) + conf[1]) / 2.0).abs() < 1e-16);
        assert_eq!(mce(&m, &y, 1.0, 15.0).expect("mce"), conf[1]);
    }

    #[test]
    fn label_errors_name_the_row() {
        let z = [1.0, 0.0, 0.0, 2.0];
        let m = logits(&z, 2);
        let e = labels(&m, &[0.0, 2.0]).expect_err("out of range");
        assert_eq!(e.to_string(), "label 2 out of range at row 1 (the matrix has 2 columns)");
        let e = labels(&m, &[0.5, 1.0]).expect_err("not whole");
        assert_eq!(e.to_string(), "label 0.5 at row 0 is not a whole number (a label is a class, 0 to 1)");
        let e = labels(&m, &[0.0]).expect_err("count");
        assert_eq!(e.to_string(), "1 label for a matrix of 2 rows: give one label per row");
        assert_eq!(Logits::new(&[1.0, 2.0, 3.0], 2).expect_err("ragged"), CalError::Shape);
        assert_eq!(Logits::new(&[1.0, f64::NAN], 2).expect_err("nan"), CalError::NonFinite { row: 0, col: 1 });
    }

    /// The fitted temperature: the derivative changes sign between its
    /// neighbours, and the NLL there is no larger than nearby.
    #[test]
    fn fitted_temperature_is_the_minimiser() {
        let z = [3.0, 1.0, 0.2, 0.5, 2.5, 0.1, 2.0, 2.1, -1.0, 4.0, -2.0, 0.0, 0.3, 0.2, 0.1];
        let m = logits(&z, 3);
        let y = labels(&m, &[0.0, 1.0, 0.0, 0.0, 2.0]).expect("labels");
        let t = fit_temperature(&m, &y).expect("a minimiser");
        let d = |t: f64| nll_derivative(&m, &y, t).expect("derivative");
        assert!(d(t.next_down()) < 0.0 && d(t.next_up()) >= 0.0, "{t}: {} {}", d(t.next_down()), d(t.next_up()));
        let at = |t: f64| nll(&m, &y, t).expect("nll");
        for f in [1e-9, 1e-6, 1e-3, 0.1] {
            assert!(at(t) <= at(t * (1.0 + f)) && at(t) <= at(t * (1.0 - f)), "{t} {f}");
        }
    }

    #[test]
    fn degenerate_fits_say_why() {
        // Every label is its row's argmax: T -> 0.
        let z = [3.0, 1.0, 0.0, 2.0];
        let m = logits(&z, 2);
        let e = fit_temperature(&m, &labels(&m, &[0.0, 1.0]).expect("labels")).expect_err("T -> 0");
        assert!(e.to_string().contains("T -> 0"), "{e}");
        // Every label is below its row's mean: T -> infinity.
        let e = fit_temperature(&m, &labels(&m, &[1.0, 0.0]).expect("labels")).expect_err("T -> inf");
        assert!(e.to_string().contains("T grows"), "{e}");
        // All equal: flat.
        let z = [1.0, 1.0, 5.0, 5.0];
        let m = logits(&z, 2);
        let e = fit_temperature(&m, &labels(&m, &[0.0, 1.0]).expect("labels")).expect_err("flat");
        assert!(e.to_string().contains("all equal"), "{e}");
        let z = [1e200, 0.0];
        let m = logits(&z, 2);
        let e = fit_temperature(&m, &labels(&m, &[1.0]).expect("labels")).expect_err("huge");
        assert!(e.to_string().contains("exceeds"), "{e}");
    }
}
