//! Double-double arithmetic and a scaled double-double exponential.
//!
//! A double-double is an unevaluated sum `hi + lo` of two `f64` with
//! `|lo| <= ulp(hi) / 2`; it carries about 106 bits. The error-free
//! transformations below are exact in round-to-nearest (`two_sum`;
//! `two_prod` by Dekker's splitting, or `f64::mul_add` where the target has
//! FMA enabled at compile time, since otherwise `mul_add` is a call into a
//! software routine) as long as nothing overflows or underflows.

/// `a + b = s + e` exactly (Knuth's two-sum, any magnitudes).
#[inline]
pub fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    let e = (a - (s - bb)) + (b - bb);
    (s, e)
}

/// `a + b = s + e` exactly, when `|a| >= |b|` (or `a == 0`).
#[inline]
pub fn fast_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let e = b - (s - a);
    (s, e)
}

/// `a * b = p + e` exactly, via an FMA remainder. Any magnitudes (as long
/// as the error term does not underflow). Without hardware FMA enabled at
/// compile time this is a function call; the hot paths use [`two_prod`].
#[inline]
pub fn two_prod_fma(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

/// `num - q * d` exactly when `q` is within an ulp or two of `num / d`
/// (so the remainder is representable), `|q|, |d| < 2^995`; `ds` is
/// `split(d)`. Inline FMA where enabled, Dekker's product otherwise.
#[inline]
pub fn remainder(num: f64, q: f64, d: f64, ds: (f64, f64)) -> f64 {
    if cfg!(target_feature = "fma") {
        (-q).mul_add(d, num)
    } else {
        let (p, e) = two_prod_split(split(q), ds);
        (num - p) - e
    }
}

/// Below this magnitude [`split`] cannot overflow.
pub const SPLIT_MAX: f64 = 1.0e297;

/// Veltkamp's split: `a = h + l` with `h` holding the top 26 bits.
/// Needs `|a| < 2^995`.
#[inline]
pub fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let h = c - (c - a);
    (h, a - h)
}

/// `a * b = p + e` exactly, when `|a|, |b| < 2^995` and the error term does
/// not underflow: an inline FMA where the target has one enabled, Dekker's
/// product otherwise (no call into a software `fma`).
#[inline]
pub fn two_prod(a: f64, b: f64) -> (f64, f64) {
    if cfg!(target_feature = "fma") { two_prod_fma(a, b) } else { two_prod_split(split(a), split(b)) }
}

/// Dekker's product with both factors already split.
#[inline]
pub fn two_prod_split((ah, al): (f64, f64), (bh, bl): (f64, f64)) -> (f64, f64) {
    let p = (ah + al) * (bh + bl);
    let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    (p, e)
}

/// `2^e` for `e` in the normal exponent range (clamped to it).
#[inline]
pub fn pow2(e: i32) -> f64 {
    let e = e.clamp(-1022, 1023);
    // e + 1023 is in 1..=2046, a valid biased exponent.
    f64::from_bits(((e + 1023) as u64) << 52)
}

/// `x * 2^k`, exact whenever the result is normal (two steps so that no
/// intermediate rounds); rounds once when the result is subnormal.
#[inline]
pub fn mul_pow2(x: f64, k: i32) -> f64 {
    if (-1022..=1023).contains(&k) {
        x * pow2(k)
    } else if k > 1023 {
        x * pow2(1023) * pow2(k.saturating_sub(1023))
    } else {
        // k < -1022: move by at most 1022 first so the second step is the
        // only one that can round.
        let k = k.max(-2200);
        if x.abs() >= 1.0 { x * pow2(-1022) * pow2(k + 1022) } else { x * pow2(k + 1022) * pow2(-1022) }
    }
}

/// Binary exponent of a finite nonzero normal `x` (`floor(log2 |x|)`).
#[inline]
fn exponent(x: f64) -> i32 {
    ((x.to_bits() >> 52) & 0x7ff) as i32 - 1023
}

/// Round the double-double `(hi + lo) * 2^k` once to the nearest `f64`,
/// subnormals included (ties to even). `hi` must be zero or normal and
/// `hi + lo` normalised. Returns `±inf` when the result overflows.
#[inline]
pub fn ldexp_dd(hi: f64, lo: f64, k: i32) -> f64 {
    if hi > 0.0 && (-1022..=1023).contains(&k) && (-1021..=1023).contains(&(exponent(hi) + k)) {
        // Common case: a normal result, one exact scaling.
        return (hi + lo) * pow2(k);
    }
    ldexp_dd_general(hi, lo, k)
}

/// [`ldexp_dd`] for every other case (signs, zeros, subnormal results).
#[cold]
fn ldexp_dd_general(hi: f64, lo: f64, k: i32) -> f64 {
    if hi == 0.0 {
        return mul_pow2(lo, k);
    }
    if hi < 0.0 {
        return -ldexp_dd_general(-hi, -lo, k);
    }
    let re = exponent(hi).saturating_add(k);
    if re > 1023 {
        return f64::INFINITY;
    }
    if re >= -1022 {
        // Normal result: round in the scaled domain, scale exactly.
        return mul_pow2(hi + lo, k);
    }
    if re < -1076 {
        return 0.0;
    }
    // Subnormal result: express in units of the smallest subnormal,
    // u = 2^-1074, and round the integer count once.
    let s = k.saturating_add(1074); // a = hi * 2^s has exponent re + 1074 in [-2, 51]
    let a = mul_pow2(hi, s);
    let b = mul_pow2(lo, s);
    let ia = a.floor();
    let t = (a - ia) + b;
    let ft = t.floor();
    let g = t - ft;
    let mut n = ia + ft;
    if g > 0.5 || (g == 0.5 && (n * 0.5).fract() != 0.0) {
        n += 1.0;
    }
    n * f64::from_bits(1)
}

/// `2^(j/64)` for `j = 0..64` as double-doubles (80-digit reference values).
#[rustfmt::skip]
const EXP2_TABLE: [(f64, f64); 64] = [
    (1.0, 0.0),
    (1.0108892860517005, -1.5234778603368577e-17),
    (1.0218971486541166, 5.109225028973444e-17),
    (1.0330248790212284, 7.600838874027088e-18),
    (1.0442737824274138, 8.551889705537965e-17),
    (1.0556451783605572, 1.759325738772092e-18),
    (1.0671404006768237, -7.899853966841582e-17),
    (1.0787607977571199, -6.656660436056593e-17),
    (1.0905077326652577, -3.046782079812471e-17),
    (1.102382583307841, 5.2660368715706944e-17),
    (1.1143867425958924, 1.0410278456845571e-16),
    (1.1265216186082418, 5.165856758795457e-17),
    (1.1387886347566916, 8.912812676025408e-17),
    (1.1511892299529827, 3.250710218863827e-17),
    (1.1637248587775775, 3.8292048369240935e-17),
    (1.1763969916502812, 5.554203254218079e-17),
    (1.189207115002721, 3.982015231465646e-17),
    (1.202156731452703, 6.644981499252301e-17),
    (1.215247359980469, -7.712630692681488e-17),
    (1.22848053610687, -1.89878163130253e-17),
    (1.241857812073484, 4.658027591836937e-17),
    (1.255380757024691, -6.7113898212968784e-18),
    (1.2690509571917332, 2.667932131342186e-18),
    (1.2828700160787783, 1.713594918243561e-17),
    (1.2968395546510096, 2.5382502794888315e-17),
    (1.3109612115247644, -7.181536135519454e-17),
    (1.3252366431597413, -2.8587312100388614e-17),
    (1.339667524053303, 8.927282594831732e-17),
    (1.3542555469368927, 7.70094837980299e-17),
    (1.3690024229745905, 9.593797919118849e-17),
    (1.383909881963832, -6.770511658794786e-17),
    (1.3989796725383112, -9.614213209051323e-17),
    (std::f64::consts::SQRT_2, -9.667293313452913e-17),
    (1.42961333839197, -1.2031642489053655e-17),
    (1.4451808069770467, -3.0237581349939873e-17),
    (1.460917794180647, -5.600377186075216e-17),
    (1.4768261459394993, -3.483994556892796e-17),
    (1.4929077282912648, 1.4192920154284036e-17),
    (1.5091644275934228, -1.016455327754295e-16),
    (1.5255981507445384, -1.1024941712342561e-16),
    (1.5422108254079407, 7.949834809697621e-17),
    (1.559004400237837, 3.7812070533575275e-17),
    (1.5759808451078865, -1.0136916471278304e-17),
    (1.593142151342267, -1.0094406542311964e-16),
    (1.6104903319492543, 2.4707192569797888e-17),
    (1.6280274218573478, -6.712955084707084e-17),
    (1.645755478153965, -1.0125679913674773e-16),
    (1.6636765803267364, 5.8909926967131e-17),
    (1.681792830507429, 8.199010020581497e-17),
    (1.7001063537185235, -8.0237193703977e-18),
    (1.718619298122478, -1.851380418263111e-17),
    (1.7373338352737062, 3.164389299292957e-17),
    (1.7562521603732995, 2.960140695448873e-17),
    (1.7753764925265212, 6.429731796556572e-17),
    (1.7947090750031072, 1.8227458427912087e-17),
    (1.8142521755003989, -9.969531538920349e-17),
    (1.8340080864093424, 3.283107224245627e-17),
    (1.8539791250833855, 9.761887490727594e-17),
    (1.8741676341103, -6.122763413004143e-17),
    (1.8945759815869656, 3.4034035352165297e-17),
    (1.9152065613971474, -1.0619946056195963e-16),
    (1.9360617934922943, 1.0332385960676326e-16),
    (1.9571441241754002, 8.960767791036668e-17),
    (1.978456026387951, 4.0388753109278167e-17),
];
/// `ln(2)/64` in three parts (Cody and Waite): the first two have 34
/// significant bits, so `N * C1` and `N * C2` are exact for `|N| < 2^19`.
const LN2_64_C1: f64 = 0.010830424695996044;
/// Second part of `ln(2)/64`.
const LN2_64_C2: f64 = 2.5310172166025705e-13;
/// Third part of `ln(2)/64`.
const LN2_64_C3: f64 = 6.251695855647999e-24;
/// `64/ln(2)` rounded.
const INV_LN2_64: f64 = 92.33248261689366;
/// `1.5 * 2^52`: adding and subtracting it rounds to an integer (ties to
/// even) without a call to `round`.
const SHIFTER: f64 = 6_755_399_441_055_744.0;

/// The high parts of [`EXP2_TABLE`], split for Dekker's product.
const EXP2_SPLIT: [(f64, f64); 64] = {
    let mut out = [(0.0, 0.0); 64];
    let mut j = 0;
    while j < 64 {
        let a = EXP2_TABLE[j].0;
        let c = 134_217_729.0 * a;
        let h = c - (c - a);
        out[j] = (h, a - h);
        j += 1;
    }
    out
};

/// Below this argument `exp` is treated as 0: `e^-800 * 800 < 2^-1144`, far
/// below half the smallest subnormal even after summing billions of terms.
pub const EXP_CUTOFF: f64 = -800.0;

/// `exp(x_hi + x_lo) = (h + l) * 2^m` with `h + l` in about `[0.99, 2.01]`,
/// relative error about `2^-68`; for `x_hi` in `[EXP_CUTOFF, 8]`.
///
/// Tang's method: `x = N ln2/64 + r` with `|r| <= ln2/128` computed exactly
/// with an FMA, `exp(x) = 2^(N div 64) * 2^((N mod 64)/64) * exp(r)`, the
/// table in double-double and `exp(r) - 1` as `r` plus a degree-7 polynomial
/// tail in plain double (it is below `2^-15.5`). The result is never rounded onto the
/// subnormal grid: the caller scales once.
#[inline]
pub fn exp_scaled(x_hi: f64, x_lo: f64) -> (f64, f64, i32) {
    let nf = (x_hi * INV_LN2_64 + SHIFTER) - SHIFTER;
    let n = nf as i32;
    // x_hi - N*C1 is exact (Sterbenz), N*C1 and N*C2 are exact products.
    let t1 = x_hi - nf * LN2_64_C1;
    let (r, rl) = two_sum(t1, -nf * LN2_64_C2);
    let (r, rl) = fast_two_sum(r, rl + (x_lo - nf * LN2_64_C3));
    let j = n & 63;
    let m = n >> 6;
    let (th, tl) = EXP2_TABLE[j as usize];
    let ts = EXP2_SPLIT[j as usize];
    // exp(r) - 1 = r + rest: rest is below 2^-15.5, so plain double
    // arithmetic keeps it to about 2^-67 absolute.
    let rest =
        r * r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0))))));
    let a = r;
    let b = rl + r * rl + rest;
    // T * (1 + a + b)
    let (ph, pl) = if cfg!(target_feature = "fma") { two_prod_fma(th, a) } else { two_prod_split(ts, split(a)) };
    let (h, e) = fast_two_sum(th, ph);
    let lo = e + pl + th * b + tl * (1.0 + a);
    let (h, l) = fast_two_sum(h, lo);
    (h, l, m)
}

/// `exp(x) - 1` as a double-double for `x >= 0` (relative error about
/// `2^-60` or better).
pub fn expm1_dd(x: f64) -> (f64, f64) {
    if x.abs() < LN2_64_C1 * 0.5 {
        let (s2h, s2l) = two_prod(x, 0.5 * x);
        let tail =
            x * x * x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0 + x * (1.0 / 5040.0)))));
        let (a, b) = fast_two_sum(x, s2h);
        fast_two_sum(a, b + s2l + tail)
    } else {
        let (h, l, m) = exp_scaled(x, 0.0);
        let (h, l) = (mul_pow2(h, m), mul_pow2(l, m));
        let (a, b) = two_sum(h, -1.0);
        fast_two_sum(a, b + l)
    }
}

/// `ln(1 + (s_hi + s_lo))` as a double-double, for `s >= 2^-40`.
///
/// One Newton step on `expm1(L) = s` from the libm `ln_1p`: the step uses
/// `expm1` (not `exp`) so that the correction is relative to `s`, which keeps
/// full relative accuracy when `L` is small.
pub fn log1p_dd(s_hi: f64, s_lo: f64) -> (f64, f64) {
    let l0 = s_hi.ln_1p();
    let (eh, el) = expm1_dd(l0);
    let diff = (s_hi - eh) + (s_lo - el);
    let corr = diff / (1.0 + s_hi);
    fast_two_sum(l0, corr)
}

/// `RN(hi + lo + sticky)` where `sticky` is far below `ulp(hi + lo)`: the
/// plain `hi + lo` except at an exact midpoint, where `sticky` (the sign of
/// the rest) decides instead of ties-to-even. This matters when
/// `(z_i - z_max)/t` is exactly halfway between two doubles and a tiny
/// `ln(1 + S)` tips it.
#[inline]
pub fn round3(hi: f64, lo: f64, sticky: f64) -> f64 {
    let (r, err) = two_sum(hi, lo);
    if err == 0.0 || sticky == 0.0 || (err > 0.0) != (sticky > 0.0) {
        return r;
    }
    let n = if err > 0.0 { r.next_up() } else { r.next_down() };
    if n - r == 2.0 * err { n } else { r }
}
