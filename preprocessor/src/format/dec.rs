//! Exact decimals: the value a stated number or a rounding stands for.

use std::cmp::Ordering;

use super::{POW10_U128, Text, round, text};

/// A decimal number `±digits × 10^exp`, normalized: no leading or trailing
/// zeros in `digits`; zero has empty `digits`, `exp == 0` and no sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dec {
    pub(super) neg: bool,
    /// ASCII digits: inline up to [`Text::INLINE`] of them, as a stated
    /// number's are.
    pub(super) digits: Text,
    pub(super) exp: i32,
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
    pub(super) fn mantissa(neg: bool, mant: &str, exp: i32) -> Option<(Dec, usize)> {
        let b = mant.as_bytes();
        // The point, then the digits on either side of it.
        let point = b.iter().position(|&c| c == b'.');
        let (int, frac) = match point {
            Some(p) => (&b[..p], &b[p + 1..]),
            None => (b, &b[..0]),
        };
        if int.len() + frac.len() == 0 || !int.iter().chain(frac).all(u8::is_ascii_digit) {
            return None;
        }
        let frac_len = frac.len();
        let exp = exp.checked_sub(i32::try_from(frac_len).ok()?)?;
        // The digits without leading and trailing zeros, as offsets in
        // `mant`: from the first nonzero digit to past the last.
        let nonzero = |c: &u8| *c != b'0' && *c != b'.';
        let Some(first) = b.iter().position(nonzero) else {
            return Some((Dec::zero(), frac_len));
        };
        let last = b.iter().rposition(nonzero).map_or(first, |l| l + 1);
        // Zeros after the last nonzero digit, the point not counted.
        let trail = b.len() - last - usize::from(point.is_some_and(|p| p >= last));
        let digits = match point {
            Some(p) if first < p && p < last => Text::joined(mant.get(first..p)?, mant.get(p + 1..last)?),
            _ => Text::from(mant.get(first..last)?),
        };
        let exp = exp.saturating_add(i32::try_from(trail).unwrap_or(0));
        Some((Dec { neg, digits, exp }, frac_len))
    }

    /// Zero.
    pub(super) fn zero() -> Dec {
        Dec { neg: false, digits: Text::default(), exp: 0 }
    }

    pub(super) fn new(neg: bool, digits: String, exp: i32) -> Dec {
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
    pub(super) fn is_scaled(&self, neg: bool, n: u128, q: i32) -> bool {
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
