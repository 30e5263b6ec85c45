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

mod text;
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

/// A decimal number `±digits × 10^exp`, normalized: no leading or trailing
/// zeros in `digits`; zero has empty `digits`, `exp == 0` and no sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dec {
    neg: bool,
    /// ASCII digits: inline up to [`Text::INLINE`] of them, as a stated
    /// number's are.
    digits: Text,
    exp: i32,
}

impl Dec {
    /// Parses a plain decimal or scientific literal such as `-0.6295`,
    /// `4.2e-18` or `12`. Returns `None` if it is not one.
    pub fn parse(text: &str) -> Option<Dec> {
        let (neg, rest) = match text.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (mant, exp) = match rest.bytes().position(|b| b == b'e' || b == b'E') {
            Some(i) => (&rest[..i], rest[i + 1..].parse::<i32>().ok()?),
            None => (rest, 0),
        };
        let (value, _) = Dec::mantissa(neg, mant, exp)?;
        Some(value)
    }

    /// The value of the digits `mant` (ASCII digits and at most one `.`,
    /// at least one digit) times `10^exp`, negated when `neg`, and how many
    /// digits follow the point. `None` when `mant` is not of that shape.
    fn mantissa(neg: bool, mant: &str, exp: i32) -> Option<(Dec, usize)> {
        let b = mant.as_bytes();
        // One pass: where the digits without leading and trailing zeros
        // start and end, where the point is, how many digits there are and
        // how many (zeros included) follow the point.
        let (mut count, mut frac_len, mut point, mut first, mut last) = (0usize, 0usize, None, None, 0usize);
        for (i, &c) in b.iter().enumerate() {
            match c {
                b'0'..=b'9' => {
                    count += 1;
                    frac_len += usize::from(point.is_some());
                    if c != b'0' {
                        first.get_or_insert(i);
                        last = i + 1;
                    }
                }
                b'.' if point.is_none() => point = Some(i),
                _ => return None,
            }
        }
        if count == 0 {
            return None;
        }
        let exp = exp.checked_sub(i32::try_from(frac_len).ok()?)?;
        let Some(first) = first else {
            return Some((Dec::zero(), frac_len));
        };
        // Zeros after the last nonzero digit, the point not counted.
        let tail = &b[last..];
        let trail = tail.len() - usize::from(tail.contains(&b'.'));
        let digits = match point {
            Some(p) if first < p && p < last => Text::joined(mant.get(first..p)?, mant.get(p + 1..last)?),
            _ => Text::from(mant.get(first..last)?),
        };
        let exp = exp.saturating_add(i32::try_from(trail).unwrap_or(0));
        Some((Dec { neg, digits, exp }, frac_len))
    }

    /// Zero.
    fn zero() -> Dec {
        Dec { neg: false, digits: Text::default(), exp: 0 }
    }

    fn new(neg: bool, digits: String, exp: i32) -> Dec {
        let b = digits.as_bytes();
        let lead = b.iter().take_while(|&&c| c == b'0').count();
        if lead == b.len() {
            return Dec::zero();
        }
        let trail = b.iter().rev().take_while(|&&c| c == b'0').count();
        let stripped = i32::try_from(trail).unwrap_or(0);
        let digits = Text::from(digits.get(lead..b.len() - trail).unwrap_or(""));
        Dec { neg, digits, exp: exp.saturating_add(stripped) }
    }

    /// Whether this equals `±n × 10^q` (`-` when `neg`, zero when `n` is
    /// 0), the value [`round`] would build from a scaled integer.
    fn is_scaled(&self, neg: bool, n: u128, q: i32) -> bool {
        if n == 0 || self.is_zero() {
            return n == 0 && self.is_zero();
        }
        // Normalized, a decimal with a digit below `10^q` is no multiple of it.
        if self.neg != neg || self.exp < q {
            return false;
        }
        let Ok(k) = usize::try_from(i64::from(self.exp) - i64::from(q)) else { return false };
        let Some(&p) = POW10_U128.get(k) else { return false };
        let d = self.digits.as_bytes();
        let m = if d.len() <= 19 {
            // At most 19 digits: below 10^19, so no overflow in a u64.
            u128::from(d.iter().fold(0u64, |m, &c| m * 10 + u64::from(c - b'0')))
        } else {
            let mut m: u128 = 0;
            for &c in d {
                let Some(next) = m.checked_mul(10).and_then(|m| m.checked_add(u128::from(c - b'0'))) else {
                    return false;
                };
                m = next;
            }
            m
        };
        m.checked_mul(p) == Some(n)
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Multiplies by `10^k`.
    pub fn shift(&self, k: i32) -> Dec {
        if self.is_zero() {
            return self.clone();
        }
        Dec { exp: self.exp.saturating_add(k), ..self.clone() }
    }

    /// Renders in fixed notation with exactly `decimals` decimals. The value
    /// must already be a multiple of `10^-decimals` (it is, when it came from
    /// [`round`] at that position); extra digits would be cut, not rounded.
    pub fn to_fixed(&self, decimals: usize) -> String {
        let mut out = String::with_capacity(self.digits.len() + decimals + 4);
        if self.neg {
            out.push('-');
        }
        let d = i64::try_from(decimals).unwrap_or(i64::MAX);
        // The digits, placed on a grid from the integer part down to `decimals`.
        let len = self.digits.len() as i64;
        let top = (len + i64::from(self.exp)).max(1); // number of integer digits
        for pos in (-d..top).rev() {
            // pos is the power of ten of this output digit.
            let idx = len - 1 - (pos - i64::from(self.exp));
            let c = if idx >= 0 && idx < len { self.digits.as_bytes()[idx as usize] as char } else { '0' };
            out.push(c);
            if pos == 0 && d > 0 {
                out.push('.');
            }
        }
        out
    }

    /// The power of ten of the leading digit (`0.0452` → `-2`); 0 for zero.
    pub fn magnitude(&self) -> i32 {
        if self.is_zero() { 0 } else { self.exp + self.digits.len() as i32 - 1 }
    }

    /// Adds `other`, exactly, when both fit in 36 digits once aligned.
    pub fn checked_add(&self, other: &Dec) -> Option<Dec> {
        let exp = self.exp.min(other.exp);
        let a = self.to_i128_at(exp)?;
        let b = other.to_i128_at(exp)?;
        let s = a.checked_add(b)?;
        Some(Dec::new(s < 0, s.unsigned_abs().to_string(), exp))
    }

    /// Negation.
    pub fn neg(&self) -> Dec {
        if self.is_zero() {
            return self.clone();
        }
        Dec { neg: !self.neg, ..self.clone() }
    }

    fn to_i128_at(&self, exp: i32) -> Option<i128> {
        if self.is_zero() {
            return Some(0);
        }
        let shift = u32::try_from(self.exp - exp).ok()?;
        let m: i128 = self.digits.parse().ok()?;
        let m = m.checked_mul(10i128.checked_pow(shift)?)?;
        Some(if self.neg { -m } else { m })
    }

    /// The nearest `f64`.
    pub fn to_f64(&self) -> f64 {
        if self.is_zero() {
            return 0.0;
        }
        let s = text(format_args!("{}{}e{}", if self.neg { "-" } else { "" }, self.digits, self.exp));
        s.parse().unwrap_or(f64::NAN)
    }

    /// Compares with an `f64` exactly (`v` must be finite).
    pub fn cmp_f64(&self, v: f64) -> Ordering {
        // Rounding `v` exactly to this number's last digit position and
        // comparing is exact when they differ; when the rounded values are
        // equal, compare the remainder sign.
        let r = round(v, self.exp);
        match cmp_dec(self, &r) {
            Ordering::Equal => {
                let rv = r.to_f64();
                // r is the rounding of v at our position; r == self.
                // The sign of (self - v) is the sign of (r - v).
                if rv == v {
                    // r may still differ from v below f64 precision; use the
                    // finer rounding to decide.
                    let fine = round(v, self.exp.saturating_sub(40));
                    cmp_dec(self, &fine)
                } else if rv > v {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            o => o,
        }
    }
}

/// Orders two decimals by value.
pub fn cmp_dec(a: &Dec, b: &Dec) -> Ordering {
    let sa = if a.is_zero() {
        0
    } else if a.neg {
        -1
    } else {
        1
    };
    let sb = if b.is_zero() {
        0
    } else if b.neg {
        -1
    } else {
        1
    };
    if sa != sb || sa == 0 {
        return sa.cmp(&sb);
    }
    let mag = |d: &Dec| d.magnitude();
    let o = mag(a).cmp(&mag(b)).then_with(|| {
        // Same magnitude: compare digit strings left-aligned (the shorter
        // padded with zeros).
        let (x, y) = (a.digits.as_bytes(), b.digits.as_bytes());
        let digit = |d: &[u8], i: usize| d.get(i).copied().unwrap_or(b'0');
        (0..x.len().max(y.len())).map(|i| digit(x, i).cmp(&digit(y, i))).find(|o| o.is_ne()).unwrap_or(Ordering::Equal)
    });
    if sa < 0 { o.reverse() } else { o }
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
const POW10_U128: [u128; 39] = {
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
    // Written from the right into one buffer: the digits, with the point
    // `decimals` digits in and at least one digit before it, then the sign.
    // (At most 39 digits for a `u128`, and `decimals` is below that.)
    let mut buf = [0u8; 44];
    let mut at = buf.len();
    let mut written = 0;
    let mut n = n;
    while n != 0 || written <= decimals {
        let d = match u64::try_from(n) {
            // Most numbers: `u64` division, not `u128`'s.
            Ok(m) => {
                n = u128::from(m / 10);
                m % 10
            }
            Err(_) => {
                let d = n % 10;
                n /= 10;
                d as u64
            }
        };
        if written == decimals && decimals > 0 {
            at -= 1;
            buf[at] = b'.';
        }
        at -= 1;
        buf[at] = b'0' + d as u8;
        written += 1;
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
fn text(args: std::fmt::Arguments<'_>) -> String {
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

/// How a stated number was written, which sets what it claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    /// `0.629`: fixed notation with this many decimals.
    Fixed(usize),
    /// `97.1%`: a percentage with this many decimals.
    Percent(usize),
    /// `4.2e-18`: scientific, with this many mantissa decimals and this
    /// exponent.
    Scientific(usize, i32),
}

/// A number stated by the author, parsed from its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Stated {
    /// The text exactly as typed.
    pub text: Text,
    /// The value as a fraction (a percentage is divided by 100).
    pub value: Dec,
    /// How it was written.
    pub style: Style,
}

impl Stated {
    /// Parses `0.629`, `-1.5`, `97.1%`, `4.2e-18` or `42`.
    pub fn parse(text: &str) -> Option<Stated> {
        if let Some(s) = Stated::parse_plain(text) {
            return Some(s);
        }
        let t = text.trim();
        if let Some(num) = t.strip_suffix('%') {
            let num = num.trim_end();
            if num.contains(['e', 'E']) {
                return None;
            }
            let d = Dec::parse(num)?;
            let decimals = num.split_once('.').map_or(0, |(_, f)| f.len());
            return Some(Stated { text: t.into(), value: d.shift(-2), style: Style::Percent(decimals) });
        }
        let d = Dec::parse(t)?;
        if let Some(i) = t.find(['e', 'E']) {
            let exp: i32 = t[i + 1..].parse().ok()?;
            // Far beyond f64 (1e-324..1e308), and the arithmetic on the
            // stated digits' position stays far from i32's limits.
            if !(-1000..=1000).contains(&exp) {
                return None;
            }
            let mant = &t[..i];
            let decimals = mant.split_once('.').map_or(0, |(_, f)| f.len());
            return Some(Stated { text: t.into(), value: d, style: Style::Scientific(decimals, exp) });
        }
        let decimals = t.split_once('.').map_or(0, |(_, f)| f.len());
        Some(Stated { text: t.into(), value: d, style: Style::Fixed(decimals) })
    }

    /// The common case of [`Stated::parse`], decided in one pass over the
    /// bytes: `-?D*(.D*)?%?` with at least one digit `D` and at most 64
    /// bytes. `None` when `text` is not of that shape (then the general
    /// parse decides).
    fn parse_plain(text: &str) -> Option<Stated> {
        let b = text.as_bytes();
        if b.len() > 64 {
            return None;
        }
        let neg = b.first() == Some(&b'-');
        let pct = b.last() == Some(&b'%');
        let mant = text.get(usize::from(neg)..b.len() - usize::from(pct))?;
        // `None` here: a byte other than a digit or a point, a second
        // point, or no digit; the general parse decides those.
        let (value, decimals) = Dec::mantissa(neg, mant, 0)?;
        let text = Text::from(text);
        Some(if pct {
            // As `shift(-2)`, without its copy.
            let exp = if value.is_zero() { value.exp } else { value.exp.saturating_sub(2) };
            Stated { text, value: Dec { exp, ..value }, style: Style::Percent(decimals) }
        } else {
            Stated { text, value, style: Style::Fixed(decimals) }
        })
    }

    /// The power of ten of the last stated digit, in fraction units.
    pub fn quantum(&self) -> i32 {
        match self.style {
            Style::Fixed(d) => -(d as i32),
            Style::Percent(d) => -(d as i32) - 2,
            Style::Scientific(d, e) => e - d as i32,
        }
    }

    /// Renders a decimal (a multiple of the quantum) in this number's style.
    pub fn render(&self, d: &Dec) -> String {
        match self.style {
            Style::Fixed(n) => d.to_fixed(n),
            Style::Percent(n) => format!("{}%", d.shift(2).to_fixed(n)),
            Style::Scientific(n, e) => format!("{}e{e}", d.shift(-e).to_fixed(n)),
        }
    }

    /// Renders a decimal finer than the quantum (an interval end) in this
    /// number's style, with one more digit.
    pub fn render_fine(&self, d: &Dec) -> String {
        match self.style {
            Style::Fixed(n) => d.to_fixed(n + 1),
            Style::Percent(n) => format!("{}%", d.shift(2).to_fixed(n + 1)),
            Style::Scientific(n, e) => format!("{}e{e}", d.shift(-e).to_fixed(n + 1)),
        }
    }
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
