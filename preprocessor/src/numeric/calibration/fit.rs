//! The temperature that minimises the mean NLL ([`fit_temperature`]) and
//! the NLL's derivative in the temperature ([`nll_derivative`]).

use super::{CalError, FIT_MAX_LOGIT, Logits, add_dd, temperature};
use crate::numeric::dd::{EXP_CUTOFF, SPLIT_MAX, exp_scaled, fast_two_sum, pow2, two_prod, two_prod_fma, two_sum};
use crate::numeric::kernel::{Divider, first_max};

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
