//! Decimal rounding and the one rule by which numbers are printed.
//!
//! # The rule
//!
//! A number is rounded from its *exact* binary value (not from a shortest
//! decimal string) to the requested decimal position, and an exact tie goes
//! to the even digit ("round half to even"). This is what Rust's `{:.N}`
//! formatting does, so every printed number, every `check` and every
//! suggested correction agrees digit for digit. A value that rounds to zero
//! is printed without a minus sign: `-0.0001` at three decimals is `0.000`.
//!
//! The format of a form is one of [`Format`]: the default [`Format::Auto`]
//! prints integers exactly and everything else with three significant
//! digits, in fixed notation for magnitudes in `[1e-4, 1e6)` and in
//! scientific notation outside it, so a tiny value never prints as `0.000`.

use std::cmp::Ordering;
use std::fmt::Write as _;

mod dec;
mod stated;
mod text;
pub use dec::{Dec, cmp_dec};
pub use stated::{Stated, Style};
pub use text::Text;

/// How a number is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Integers exactly; other numbers with 3 significant digits (see the
    /// module documentation).
    #[default]
    Auto,
    /// Fixed notation with this many decimals (`dp=3`: `0.659`).
    Dp(u8),
    /// This many significant digits, fixed notation (`sig=3`: `0.0993`).
    Sig(u8),
    /// A percentage with this many decimals (`pct=1`: `97.8%`).
    Pct(u8),
    /// Scientific notation with this many significant digits (`sci=3`:
    /// `4.28e-18`).
    Sci(u8),
}

/// Rounds the exact value of `v` (finite) to a multiple of `10^q`, ties to
/// even.
pub fn round(v: f64, q: i32) -> Dec {
    if v == 0.0 {
        return Dec::new(false, String::new(), 0);
    }
    if q <= 0 {
        if let Some(n) = scaled_rounded(v, q.unsigned_abs()) {
            let mut buf = [0; 40];
            let digits = std::str::from_utf8(write_digits(&mut buf, n, 0)).unwrap_or("");
            return Dec::new(v.is_sign_negative(), digits.to_string(), q);
        }
        // Every finite f64 is a multiple of 2^-1074, so it has at most 1074
        // decimals: rounding finer than that is exact (and `format!` would
        // panic on a precision above u16::MAX).
        let decimals = usize::try_from(-i64::from(q)).unwrap_or(0).min(1100);
        return Dec::parse(&text(format_args!("{v:.decimals$}"))).unwrap_or_else(|| Dec::new(false, String::new(), 0));
    }
    // q > 0: round to significant digits via scientific formatting.
    let e = Dec::parse(&text(format_args!("{v:e}"))).map(|d| d.magnitude()).unwrap_or(0);
    if e < q {
        // |v| < 10^q: rounds to 0 or to ±10^q; 10^q/2 compared exactly.
        let half = Dec::new(false, "5".into(), q - 1);
        let o = half.cmp_f64(v.abs());
        let up = o == Ordering::Less; // exact tie 0.5 × 10^q goes to even 0
        return if up { Dec::new(v < 0.0, "1".into(), q) } else { Dec::new(false, String::new(), 0) };
    }
    let sig = usize::try_from(e - q).unwrap_or(0);
    Dec::parse(&text(format_args!("{v:.sig$e}"))).unwrap_or_else(|| Dec::new(false, String::new(), 0))
}

/// Whether `round(v, q) == *d`, decided without building the rounded
/// decimal when `v` can be scaled exactly (the common case of a check).
pub fn rounds_to(v: f64, q: i32, d: &Dec) -> bool {
    if v != 0.0
        && q <= 0
        && let Some(n) = scaled_rounded(v, q.unsigned_abs())
    {
        return d.is_scaled(v.is_sign_negative(), n, q);
    }
    round(v, q) == *d
}

/// The most decimals [`scaled`] works with: `5^27 × 2^53` fits in a `u128`
/// with room to spare.
const MAX_SCALED: u32 = 27;

/// `10^k` for every `k` whose power fits in a `u128` (up to 38).
pub(super) const POW10_U128: [u128; 39] = {
    let mut t = [1u128; 39];
    let mut k = 1;
    while k < t.len() {
        t[k] = t[k - 1] * 10;
        k += 1;
    }
    t
};

/// `5^k` for `k` up to [`MAX_SCALED`].
const POW5: [u128; MAX_SCALED as usize + 1] = {
    let mut t = [1u128; MAX_SCALED as usize + 1];
    let mut k = 1;
    while k < t.len() {
        t[k] = t[k - 1] * 5;
        k += 1;
    }
    t
};

/// `|v| × 10^decimals` for a finite `v`, exactly: its integer part, and how
/// the fraction compares with one half. `None` when `decimals` is above
/// [`MAX_SCALED`] or the integer part would not fit in a `u128`.
///
/// `v` is `m × 2^e` with an integer `m` below `2^53`, so `v × 10^d` is
/// `m × 5^d × 2^(e + d)`: a product that fits, then a shift. This is the
/// exact value `format!("{v:.d$}")` rounds, without `core::fmt`'s general
/// machinery.
fn scaled(v: f64, decimals: u32) -> Option<(u128, Ordering)> {
    if decimals > MAX_SCALED || !v.is_finite() {
        return None;
    }
    let bits = v.abs().to_bits();
    let biased = (bits >> 52) as i32;
    let frac = bits & ((1 << 52) - 1);
    let (m, e) = if biased == 0 { (frac, -1074) } else { (frac | 1 << 52, biased - 1075) };
    let m5 = u128::from(m) * POW5[decimals as usize];
    let k = e + decimals as i32;
    if k >= 0 {
        let k = k as u32;
        return (k < 128 && m5.leading_zeros() >= k).then(|| (m5 << k, Ordering::Less));
    }
    let s = k.unsigned_abs();
    if s >= 128 {
        // m5 < 2^116, less than half of 2^s.
        return Some((0, Ordering::Less));
    }
    let rem = m5 & ((1 << s) - 1);
    Some((m5 >> s, rem.cmp(&(1 << (s - 1)))))
}

/// `|v| × 10^decimals` rounded to an integer, ties to even (see [`scaled`]).
fn scaled_rounded(v: f64, decimals: u32) -> Option<u128> {
    let (n, frac) = scaled(v, decimals)?;
    Some(match frac {
        Ordering::Greater => n + 1,
        Ordering::Equal => n + (n & 1),
        Ordering::Less => n,
    })
}

/// Writes `n` in decimal at the end of `buf`, with at least `min_digits`
/// digits (zeros in front), and returns them.
fn write_digits(buf: &mut [u8; 40], mut n: u128, min_digits: usize) -> &[u8] {
    let mut at = buf.len();
    while n > u128::from(u64::MAX) {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let mut n = n as u64;
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    while buf.len() - at < min_digits && at > 0 {
        at -= 1;
        buf[at] = b'0';
    }
    &buf[at..]
}

/// `format!("{v:.decimals$}")`, computed directly when [`scaled`] can.
#[cfg(test)]
fn fixed_text(v: f64, decimals: usize) -> String {
    let mut out = String::new();
    write_fixed(&mut out, v, decimals, true);
    out
}

/// Appends `|v| × 10^-decimals` rounded to `n` (a [`scaled_rounded`]
/// result), in fixed notation with `decimals` decimals and a minus sign when
/// `neg`.
fn push_scaled(out: &mut String, neg: bool, n: u128, decimals: usize) {
    let (Ok(mut m), true) = (u64::try_from(n), decimals <= 40) else {
        // Beyond a `u64` (20 digits and more), or more decimals than any
        // caller asks for: digit by digit.
        let mut buf = [0; 40];
        let digits = write_digits(&mut buf, n, decimals + 1);
        let int_len = digits.len() - decimals;
        if neg {
            out.push('-');
        }
        for (k, &d) in digits.iter().enumerate() {
            if k == int_len {
                out.push('.');
            }
            out.push(char::from(d));
        }
        return;
    };
    // Written from the right into one buffer: the `decimals` digits, the
    // point, the integer digits (one at least), the sign.
    // At most 40 decimals, a point, 20 integer digits and a sign.
    let mut buf = [0u8; 64];
    let mut at = buf.len();
    if decimals > 0 {
        for _ in 0..decimals {
            at -= 1;
            buf[at] = b'0' + (m % 10) as u8;
            m /= 10;
        }
        at -= 1;
        buf[at] = b'.';
    }
    loop {
        at -= 1;
        buf[at] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if neg {
        at -= 1;
        buf[at] = b'-';
    }
    out.extend(buf[at..].iter().map(|&b| char::from(b)));
}

/// Appends `format!("{v:.decimals$}")`, computed directly when [`scaled`]
/// can; unless `signed_zero`, a value that rounds to zero has no minus sign
/// (as [`Dec`] has none).
fn write_fixed(out: &mut String, v: f64, decimals: usize, signed_zero: bool) {
    let Some(n) = u32::try_from(decimals).ok().and_then(|d| scaled_rounded(v, d)) else {
        let s = text(format_args!("{v:.decimals$}"));
        match s.strip_prefix('-') {
            Some(rest) if !signed_zero && rest.bytes().all(|b| b == b'0' || b == b'.') => out.push_str(rest),
            _ => out.push_str(&s),
        }
        return;
    };
    push_scaled(out, v.is_sign_negative() && (signed_zero || n != 0), n, decimals);
}

/// `format!` into a string sized for a number up front: `format!` starts
/// from an empty string when the format has no literal text, and printing a
/// float then grows it several times.
pub(super) fn text(args: std::fmt::Arguments<'_>) -> String {
    let mut s = String::with_capacity(40);
    let _ = s.write_fmt(args);
    s
}

/// Prints `v` (finite) in the given format.
pub fn format_num(v: f64, format: Format) -> String {
    let mut out = String::with_capacity(24);
    write_num(&mut out, v, format);
    out
}

/// Appends `v` (finite) in the given format to `out`: [`format_num`]
/// without a string of its own.
pub fn write_num(out: &mut String, v: f64, format: Format) {
    match format {
        Format::Auto => {
            if v.fract() == 0.0 && v.abs() < 1e15 {
                write_fixed(out, v, 0, false)
            } else {
                let a = v.abs();
                if (1e-4..1e6).contains(&a) { write_sig_fixed(out, v, 3) } else { write_sci(out, v, 3) }
            }
        }
        Format::Dp(d) => write_fixed(out, v, usize::from(d), false),
        Format::Sig(n) => write_sig_fixed(out, v, n.max(1)),
        Format::Pct(d) => {
            let d = usize::from(d);
            let r = round(v, -(d as i32) - 2).shift(2);
            out.push_str(&r.to_fixed(d));
            out.push('%');
        }
        Format::Sci(n) => write_sci(out, v, n.max(1)),
    }
}

/// [`format_num`] at `decimals` decimals.
#[cfg(test)]
fn fixed(v: f64, decimals: usize) -> String {
    let mut out = String::new();
    write_fixed(&mut out, v, decimals, false);
    out
}

/// [`format_num`] at `n` significant digits.
#[cfg(test)]
fn sig_fixed(v: f64, n: u8) -> String {
    let mut out = String::new();
    write_sig_fixed(&mut out, v, n);
    out
}

fn write_sig_fixed(out: &mut String, v: f64, n: u8) {
    if v == 0.0 {
        return write_fixed(out, 0.0, usize::from(n - 1), false);
    }
    if let Some((e, rounded)) = sig_rounded(v, n) {
        let decimals = (i32::from(n) - 1 - e).max(0) as usize;
        // The digits at the decimals the exponent was found at, when the
        // rounding did not carry into a new digit: print them as they are.
        match rounded {
            Some(r) => push_scaled(out, v.is_sign_negative() && r != 0, r, decimals),
            None => write_fixed(out, v, decimals, false),
        }
        return;
    }
    // The magnitude after rounding to n significant digits: the exponent of
    // `d.ddde-1` (v is not zero, so the leading digit is not either).
    let s = text(format_args!("{:.*e}", usize::from(n - 1), v));
    let e = s.rsplit_once('e').and_then(|(_, e)| e.parse::<i32>().ok()).unwrap_or(0);
    let decimals = (i32::from(n) - 1 - e).max(0) as usize;
    write_fixed(out, v, decimals, false)
}

/// The exponent `format!("{:.*e}", n - 1, v)` prints for a finite, nonzero
/// `v` (see [`sig_rounded`]).
#[cfg(test)]
fn sig_exponent(v: f64, n: u8) -> Option<i32> {
    sig_rounded(v, n).map(|(e, _)| e)
}

/// The exponent `format!("{:.*e}", n - 1, v)` prints for a finite, nonzero
/// `v`, computed with [`scaled`] when the decimals that takes stay within
/// its range (`None` otherwise). The exponent `e0` of the largest power of
/// ten not above `|v|` is found exactly (`10^(n-1) <= floor(|v| ×
/// 10^(n-1-e0)) < 10^n`, from a guess by `log10`); rounding to `n` digits
/// then reaches `10^n` exactly when the printed exponent is `e0 + 1`.
///
/// With the exponent, `|v| × 10^(n-1-e)` rounded (ties to even), which is
/// `scaled_rounded(v, n - 1 - e)`, when the exponent is `e0` (`None` when
/// the rounding reached `10^n`).
fn sig_rounded(v: f64, n: u8) -> Option<(i32, Option<u128>)> {
    let n = i32::from(n);
    let lo = 10u128.checked_pow(u32::try_from(n - 1).ok()?)?;
    let hi = lo.checked_mul(10)?;
    let mut e = v.abs().log10().floor() as i32;
    for _ in 0..4 {
        let d = u32::try_from(n - 1 - e).ok()?;
        let (floor, frac) = scaled(v, d)?;
        if floor < lo {
            e -= 1;
        } else if floor >= hi {
            e += 1;
        } else {
            let up = frac == Ordering::Greater || (frac == Ordering::Equal && floor & 1 == 1);
            let rounded = floor + u128::from(up);
            return Some(if rounded == hi { (e + 1, None) } else { (e, Some(rounded)) });
        }
    }
    None
}

fn write_sci(out: &mut String, v: f64, n: u8) {
    // Rust prints `4.28e-18`; a rounded zero is printed without its sign.
    let v = if v == 0.0 { 0.0 } else { v };
    let _ = write!(out, "{:.*e}", usize::from(n - 1), v);
}

/// Shortest round-trip form of `v`: every digit needed to read back the
/// same `f64`, in scientific notation below `1e-5` and from `1e16` up.
pub fn full(v: f64) -> String {
    let mut s = String::new();
    let a = v.abs();
    if a != 0.0 && !(1e-5..1e16).contains(&a) {
        let _ = write!(s, "{v:e}");
    } else {
        let _ = write!(s, "{v}");
    }
    s
}

#[cfg(test)]
mod tests;
