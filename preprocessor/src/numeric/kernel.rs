//! The shared computation behind every public function: scaled
//! double-double differences, scaled exponentials and their sum.

use super::NumError;
use super::dd::{
    EXP_CUTOFF, SPLIT_MAX, exp_scaled, fast_two_sum, ldexp_dd, log1p_dd, mul_pow2, pow2, remainder, round3, split,
    two_prod, two_sum,
};

/// Temperatures below this are scaled up by `2^600` (exactly) before
/// dividing, so that the remainder of `(z_i - z_max) / t` never
/// underflows.
const TINY_T: f64 = 1.1830521861667747e-271; // 2^-900
/// The scale applied to tiny temperatures.
const TINY_SCALE_EXP: i32 = 600;
/// Below `2^-40` the sum `S` of the non-maximal terms goes through the
/// series of `ln(1 + S)` instead of [`log1p_dd`], and keeps its scale.
const SERIES_EXP: i32 = -40;

/// Exponentials `2^k` with `k` below this force the scaled second pass.
const UNSCALED_MIN_EXP: i32 = -900;

/// One exponential `(hi + lo) * 2^k`, or nothing when it is negligible.
#[derive(Clone, Copy)]
pub(crate) struct Scaled {
    hi: f64,
    lo: f64,
    k: i32,
}

/// Everything the public functions share for one `(z, t)`.
pub(crate) struct Prepared {
    /// Index of the (first) largest logit.
    pub kmax: usize,
    /// `(z_i - z_max) / t` as double-doubles; `hi = -inf` when it overflows.
    pub d: Vec<(f64, f64)>,
    /// `exp(d_i)` scaled; `None` for the maximum and for negligible terms.
    pub e: Vec<Option<Scaled>>,
    /// Common scale `2^k_s` of `s`.
    pub k_s: i32,
    /// Sum of the non-maximal exponentials, in units of `2^k_s`.
    pub s: (f64, f64),
    /// Normaliser `1 + S` (unscaled).
    pub zn: (f64, f64),
    /// Division by the temperature.
    div: Divider,
    /// `1 / zn.0` and `split(zn.0)`, for the divisions by `Z`.
    inv_z: f64,
    zs: (f64, f64),
}

/// Division by the (scaled) temperature, set up once per call.
pub(crate) struct Divider {
    /// The temperature, times `2^scale_exp`.
    t: f64,
    /// `1 / t` rounded: quotients are `x * inv` refined by a remainder.
    inv: f64,
    /// `split(t)`, for the remainder without FMA.
    ts: (f64, f64),
    /// `0`, or [`TINY_SCALE_EXP`] for tiny temperatures.
    scale_exp: i32,
    /// `t == 1` exactly: dividing is the identity.
    unit: bool,
}

impl Divider {
    /// Division by `t` (finite and > 0).
    pub fn new(t: f64) -> Divider {
        let (t, scale_exp) = if t < TINY_T { (mul_pow2(t, TINY_SCALE_EXP), TINY_SCALE_EXP) } else { (t, 0) };
        let ts = if t < SPLIT_MAX { split(t) } else { (t, 0.0) };
        Divider { t, inv: 1.0 / t, ts, scale_exp, unit: t == 1.0 }
    }

    /// `(x - m) / t` as a double-double; `(-inf, 0)` when it overflows.
    ///
    /// The difference is exact (two-sum), then divided with a remainder, so
    /// `z / t` is never rounded on its own.
    #[inline(always)]
    pub fn diff(&self, x: f64, m: f64) -> (f64, f64) {
        let (dh, dl) = two_sum(x, -m);
        if !dh.is_finite() {
            // |x - m| exceeds DBL_MAX: halve both (exact for such
            // magnitudes) and divide by t/2.
            let (h, l) = two_sum(0.5 * x, -0.5 * m);
            return self.slow(h, l, 0.5 * self.t);
        }
        if self.unit {
            return (dh, dl);
        }
        let (dh, dl) =
            if self.scale_exp != 0 { (mul_pow2(dh, self.scale_exp), mul_pow2(dl, self.scale_exp)) } else { (dh, dl) };
        let q = dh * self.inv;
        if q.abs() < SPLIT_MAX && self.t < SPLIT_MAX && q != 0.0 {
            let r = remainder(dh, q, self.t, self.ts);
            fast_two_sum(q, (r + dl) * self.inv)
        } else {
            self.slow(dh, dl, self.t)
        }
    }

    /// The general path: true division and an FMA remainder (any range).
    fn slow(&self, dh: f64, dl: f64, t: f64) -> (f64, f64) {
        let q = dh / t;
        if !q.is_finite() {
            return (f64::NEG_INFINITY, 0.0);
        }
        let r = (-q).mul_add(t, dh);
        fast_two_sum(q, (r + dl) / t)
    }
}

/// The index and value of the largest logit, the first on a tie (`z` is
/// validated: finite and not empty).
pub(crate) fn first_max(z: &[f64]) -> (usize, f64) {
    let mut kmax = 0;
    let mut m = f64::NEG_INFINITY;
    for (i, &x) in z.iter().enumerate() {
        if x > m {
            m = x;
            kmax = i;
        }
    }
    (kmax, m)
}

impl Prepared {
    /// Validated inputs only.
    /// `keep_d`: store the differences `d_i` (needed for everything but the
    /// probabilities).
    pub fn new(z: &[f64], t: f64, keep_d: bool) -> Prepared {
        let div = Divider::new(t);
        let (kmax, m) = first_max(z);
        let mut d = Vec::with_capacity(if keep_d { z.len() } else { 0 });
        let mut e = Vec::with_capacity(z.len());
        // One pass: the sum in absolute units, exact scalings while every
        // term is above 2^-900 (so no error term can underflow).
        let mut k_max = i32::MIN;
        let mut k_min = i32::MAX;
        let (mut sh, mut sl) = (0.0, 0.0);
        for (i, &x) in z.iter().enumerate() {
            if i == kmax {
                if keep_d {
                    d.push((0.0, 0.0));
                }
                e.push(None);
                continue;
            }
            let di = div.diff(x, m);
            if keep_d {
                d.push(di);
            }
            if di.0 < EXP_CUTOFF {
                e.push(None);
            } else {
                let (hi, lo, k) = exp_scaled(di.0, di.1);
                k_max = k_max.max(k);
                k_min = k_min.min(k);
                let f = pow2(k);
                let (a, b) = two_sum(sh, hi * f);
                sh = a;
                sl += b + lo * f;
                e.push(Some(Scaled { hi, lo, k }));
            }
        }
        let mut k_s = 0;
        if k_max != i32::MIN && k_min < UNSCALED_MIN_EXP {
            // Some term is tiny: sum again in units of the largest term so
            // that S keeps its relative precision however small it is.
            k_s = k_max;
            (sh, sl) = (0.0, 0.0);
            for x in e.iter().flatten() {
                let rel = x.k - k_s;
                if rel < -1000 {
                    continue;
                }
                let f = pow2(rel);
                let (a, b) = two_sum(sh, x.hi * f);
                sh = a;
                sl += b + x.lo * f;
            }
        }
        let s = fast_two_sum(sh, sl);
        let zn = if s.0 == 0.0 {
            (1.0, 0.0)
        } else {
            let (a, b) = two_sum(1.0, mul_pow2(s.0, k_s));
            fast_two_sum(a, b + mul_pow2(s.1, k_s))
        };
        Prepared { kmax, d, e, k_s, s, zn, div, inv_z: 1.0 / zn.0, zs: split(zn.0) }
    }

    /// `(hi + lo) / zn` as a normalised double-double.
    #[inline]
    fn div_z(&self, hi: f64, lo: f64) -> (f64, f64) {
        let (zh, zl) = self.zn;
        let q = hi * self.inv_z;
        let rem = remainder(hi, q, zh, self.zs) + lo - q * zl;
        fast_two_sum(q, rem * self.inv_z)
    }

    /// `softmax(z / t)`, each component rounded once.
    pub fn probabilities(&self) -> Vec<f64> {
        self.e
            .iter()
            .enumerate()
            .map(|(i, e)| match e {
                Some(x) => {
                    let (q, c) = self.div_z(x.hi, x.lo);
                    ldexp_dd(q, c, x.k)
                }
                None if i == self.kmax => {
                    let (q, c) = self.div_z(1.0, 0.0);
                    q + c
                }
                None => 0.0,
            })
            .collect()
    }

    /// The largest probability, `1 / (1 + S)`, rounded once (the
    /// component of [`Prepared::probabilities`] at `kmax`).
    pub fn max_probability(&self) -> f64 {
        let (q, c) = self.div_z(1.0, 0.0);
        q + c
    }

    /// `log p_i = d_i - L` as an unrounded double-double (about 106 bits;
    /// [`Prepared::log_p`] is this rounded once); `hi = -inf` when it
    /// overflows.
    pub fn log_p_dd(&self, i: usize, l: (f64, f64, i32)) -> (f64, f64) {
        let (dh, dl) = self.d.get(i).copied().unwrap_or((f64::NEG_INFINITY, 0.0));
        let lh = mul_pow2(l.0, l.2);
        let ll = mul_pow2(l.1, l.2);
        if dh == 0.0 && dl == 0.0 {
            return (-lh, -ll);
        }
        if !dh.is_finite() {
            return (f64::NEG_INFINITY, 0.0);
        }
        let (s, e) = two_sum(dh, -lh);
        let (e2, f1) = two_sum(e, dl);
        let (e3, f2) = two_sum(e2, -ll);
        fast_two_sum(s, e3 + (f1 + f2))
    }

    /// `L = ln(1 + S)` as `(hi + lo) * 2^k`.
    pub fn log_norm(&self) -> (f64, f64, i32) {
        log_norm(self.s, self.k_s)
    }

    /// `log p_i = d_i - L`, rounded once; `-inf` when it overflows.
    pub fn log_p(&self, i: usize, l: (f64, f64, i32)) -> f64 {
        let d = self.d.get(i).copied().unwrap_or((f64::NEG_INFINITY, 0.0));
        log_p(d, l, self.e.len())
    }

    /// `logsumexp(z / t) = z_max / t + L`.
    pub fn lse(&self, z_max: f64, l: (f64, f64, i32)) -> f64 {
        let (q, qlo) = self.div.diff(z_max, 0.0);
        if !q.is_finite() {
            return f64::INFINITY.copysign(z_max);
        }
        if q == 0.0 {
            return ldexp_dd(l.0, l.1, l.2);
        }
        let lh = mul_pow2(l.0, l.2);
        let ll = mul_pow2(l.1, l.2);
        let (s, e) = two_sum(q, lh);
        let (e2, f1) = two_sum(e, qlo);
        let (e3, f2) = two_sum(e2, ll);
        round3(s, e3, f1 + f2)
    }

    /// Entropy `H = L + (1/Z) * sum_i E_i * (-d_i)`: every term is
    /// non-negative, so nothing cancels.
    pub fn entropy(&self, l: (f64, f64, i32)) -> f64 {
        let mut wh = 0.0;
        let mut wl = 0.0;
        for (x, &(dh, dl)) in self.e.iter().zip(&self.d) {
            let Some(x) = x else { continue };
            let rel = x.k - self.k_s;
            if rel < -1000 {
                continue;
            }
            let f = pow2(rel);
            let (eh, el) = (x.hi * f, x.lo * f);
            let (ph, pl) = two_prod(eh, -dh);
            let (a, b) = two_sum(wh, ph);
            wh = a;
            wl += b + pl + (eh * -dl + el * -dh);
        }
        let (wh, wl) = fast_two_sum(wh, wl);
        let (qh, ql) = self.div_z(wh, wl);
        if l.2 == self.k_s {
            let (a, b) = two_sum(l.0, qh);
            let (h, lo) = fast_two_sum(a, b + l.1 + ql);
            ldexp_dd(h, lo, self.k_s)
        } else {
            let (qh, ql) = (mul_pow2(qh, self.k_s), mul_pow2(ql, self.k_s));
            let lh = mul_pow2(l.0, l.2);
            let ll = mul_pow2(l.1, l.2);
            let (a, b) = two_sum(lh, qh);
            a + (b + ll + ql)
        }
    }
}

/// `L = ln(1 + S)` as `(hi + lo) * 2^k`, for the sum `S` of the
/// non-maximal exponentials in units of `2^k_s` ([`Prepared::s`]).
#[inline]
fn log_norm((sh, sl): (f64, f64), k_s: i32) -> (f64, f64, i32) {
    if sh == 0.0 {
        return (0.0, 0.0, 0);
    }
    let se = ((sh.to_bits() >> 52) & 0x7ff) as i32 - 1023 + k_s;
    if se < SERIES_EXP {
        // ln(1+x) = x (1 - x/2 + x^2/3 - x^3/4), |x| < 2^-39.
        let x = mul_pow2(sh, k_s);
        let corr = x * (-0.5 + x * (1.0 / 3.0 - x * 0.25));
        let (h, l) = fast_two_sum(sh, sl + sh * corr);
        (h, l, k_s)
    } else {
        let (h, l) = log1p_dd(mul_pow2(sh, k_s), mul_pow2(sl, k_s));
        (h, l, 0)
    }
}

/// `log p = d - L` for the double-double `d = (z_i - z_max) / t` of one of
/// `n` classes, rounded once; `-inf` when it overflows.
#[inline]
fn log_p((dh, dl): (f64, f64), l: (f64, f64, i32), n: usize) -> f64 {
    if dh == 0.0 && dl == 0.0 {
        return ldexp_dd(-l.0, -l.1, l.2);
    }
    if !dh.is_finite() {
        return f64::NEG_INFINITY;
    }
    let lh = mul_pow2(l.0, l.2);
    let ll = mul_pow2(l.1, l.2);
    let (s, e) = two_sum(dh, -lh);
    let (e2, f1) = two_sum(e, dl);
    let (e3, f2) = two_sum(e2, -ll);
    // The exact L is > 0 whenever there are two classes, even when it
    // is below the subnormal range and computed as 0.
    let sticky = match f1 + f2 {
        0.0 if n > 1 => -f64::from_bits(1),
        x => x,
    };
    round3(s, e3, sticky)
}

/// `-log softmax(z / t)[k]` for validated input and a class `k <
/// z.len()`: the value of [`Prepared::log_p`] negated, without its
/// buffers. One pass sums the exponentials exactly as the first pass of
/// [`Prepared::new`] does and keeps `d_k` alone; when some term is below
/// `2^-900` (where [`Prepared::new`] sums again, scaled) it defers to
/// [`Prepared`].
pub(crate) fn cross_entropy_fast(z: &[f64], k: usize, t: f64) -> f64 {
    let div = Divider::new(t);
    let (kmax, m) = first_max(z);
    // `d_kmax` is 0, as `Prepared::new` stores it.
    let mut dk = (0.0, 0.0);
    let (mut sh, mut sl) = (0.0, 0.0);
    for (i, &x) in z.iter().enumerate() {
        if i == kmax {
            continue;
        }
        let di = div.diff(x, m);
        if i == k {
            dk = di;
        }
        if di.0 < EXP_CUTOFF {
            continue;
        }
        let (hi, lo, e) = exp_scaled(di.0, di.1);
        if e < UNSCALED_MIN_EXP {
            let pre = Prepared::new(z, t, true);
            return -pre.log_p(k, pre.log_norm());
        }
        let f = pow2(e);
        let (a, b) = two_sum(sh, hi * f);
        sh = a;
        sl += b + lo * f;
    }
    -log_p(dk, log_norm(fast_two_sum(sh, sl), 0), z.len())
}

/// Turn a non-finite result into [`NumError::Overflow`].
pub(crate) fn finite(v: f64, what: &'static str) -> Result<f64, NumError> {
    if v.is_finite() { Ok(v) } else { Err(NumError::Overflow(what)) }
}

/// The low parts of [`softmax_fast`]'s exponentials live on the stack for
/// vectors up to this length (longer ones in a heap buffer).
const SOFTMAX_STACK: usize = 32;

/// `softmax(z / t)` for validated input, fast path: the exponentials are
/// kept unscaled (exact while every term is above `2^-900`, so no result is
/// subnormal) in the output buffer and one side buffer, then divided in
/// place. Falls back to [`Prepared`] when some term is smaller.
pub(crate) fn softmax_fast(z: &[f64], t: f64) -> Vec<f64> {
    let div = Divider::new(t);
    let (kmax, m) = first_max(z);
    // The high parts go straight into the result (allocated, then
    // filled: a zeroed allocation costs more).
    let mut hi = Vec::with_capacity(z.len());
    hi.resize(z.len(), 0.0);
    let mut lo_small = [0.0f64; SOFTMAX_STACK];
    let mut lo_vec = Vec::new();
    let lo: &mut [f64] = if z.len() <= lo_small.len() {
        lo_small.get_mut(..z.len()).unwrap_or_default()
    } else {
        lo_vec.resize(z.len(), 0.0);
        &mut lo_vec
    };
    let (mut sh, mut sl) = (0.0, 0.0);
    let mut tiny = false;
    for (i, ((&x, h_out), l_out)) in z.iter().zip(hi.iter_mut()).zip(lo.iter_mut()).enumerate() {
        if i == kmax {
            *h_out = 1.0;
            continue;
        }
        let (dh, dl) = div.diff(x, m);
        if dh < EXP_CUTOFF {
            tiny = true;
            break;
        }
        let (h, l, k) = exp_scaled(dh, dl);
        if k < UNSCALED_MIN_EXP {
            tiny = true;
            break;
        }
        let f = pow2(k);
        let (h, l) = (h * f, l * f);
        let (a, b) = two_sum(sh, h);
        sh = a;
        sl += b + l;
        *h_out = h;
        *l_out = l;
    }
    if tiny {
        return Prepared::new(z, t, false).probabilities();
    }
    let (s0, s1) = fast_two_sum(sh, sl);
    let (a, b) = two_sum(1.0, s0);
    let (zh, zl) = fast_two_sum(a, b + s1);
    let inv = 1.0 / zh;
    let zs = split(zh);
    for (h, &l) in hi.iter_mut().zip(lo.iter()) {
        let q = *h * inv;
        let r = remainder(*h, q, zh, zs) + (l - q * zl);
        *h = q + r * inv;
    }
    hi
}
