//! The lexer: the parsed text as tokens with their spans.

use super::{Span, syntax_error};
use crate::diagnostics::Diag;

/// A token. Names borrow the parsed text; a string literal is its span
/// (its value is [`string_value`] of that text), so that a token owns
/// nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tok<'a> {
    Num(f64),
    Str,
    Ident(&'a str),
    Sym(Sym),
}

/// A symbol (one of [`SYMS`]), as a one-byte code: a one-byte symbol's
/// byte, and for a longer one its place in [`SYMS`] (below any printable
/// byte). Comparing two is comparing two bytes; [`sym!`] gives the code of
/// a symbol written out, at compile time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Sym(u8);

impl Sym {
    /// The code of symbol `s`, or a code no token has if `s` is not one.
    pub(super) const fn of(s: &str) -> Sym {
        let b = s.as_bytes();
        if b.len() == 1 {
            return Sym(b[0]);
        }
        let mut k = 0;
        while k < SYMS.len() {
            let t = SYMS[k].as_bytes();
            if t.len() == b.len() {
                let mut i = 0;
                while i < t.len() && t[i] == b[i] {
                    i += 1;
                }
                if i == t.len() {
                    return Sym(k as u8 + 1);
                }
            }
            k += 1;
        }
        Sym(0)
    }

    /// Whether this is the code [`Sym::of`] gives a string that is no
    /// symbol.
    pub(super) const fn is_none(self) -> bool {
        self.0 == 0
    }

    /// The symbol as written.
    pub(super) fn text(self) -> &'static str {
        SYMS.iter().copied().find(|s| Sym::of(s) == self).unwrap_or("?")
    }
}

/// The [`Sym`] of a symbol written out, computed at compile time (where a
/// string that is no symbol fails the build).
macro_rules! sym {
    ($s:literal) => {
        const {
            let s = $crate::parse::lang::lexer::Sym::of($s);
            assert!(!s.is_none(), "not a symbol of the lexer");
            s
        }
    };
}
pub(super) use sym;

/// The value of a string literal the lexer read (quotes included): its
/// text with the escapes `\"` and `\\` resolved.
pub(super) fn string_value(literal: &str) -> String {
    let inner = literal.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(literal);
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for ch in inner.chars() {
        if ch == '\\' && !escaped {
            escaped = true;
        } else {
            out.push(ch);
            escaped = false;
        }
    }
    out
}

/// [`CLASS`] bit: an ASCII digit.
const DIGIT: u8 = 1;
/// [`CLASS`] bit: a byte of a number's digits, an ASCII digit or `.`.
const NUM: u8 = 2;
/// [`CLASS`] bit: a byte of a name, an ASCII letter, digit or `_`.
const NAME: u8 = 4;
/// [`CLASS`] bit: ASCII whitespace.
const SPACE: u8 = 8;

/// The classes of each byte, one table lookup per byte of the text.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let mut k = 0;
        if c.is_ascii_digit() {
            k |= DIGIT | NUM | NAME;
        }
        if c == b'.' {
            k |= NUM;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            k |= NAME;
        }
        if c.is_ascii_whitespace() {
            k |= SPACE;
        }
        t[i] = k;
        i += 1;
    }
    t
};

/// Whether byte `c` has class `k`.
fn is(c: u8, k: u8) -> bool {
    CLASS[usize::from(c)] & k != 0
}

/// The symbols, longest first where one is a prefix of another.
const SYMS: [&str; 24] = [
    "≈", "~=", "±", "+-", "==", "!=", "<=", ">=", "(", ")", "[", "]", ",", "=", "+", "-", "*", "/", "^", "<", ">", ";",
    ":", "%",
];

/// The symbols that are one byte whatever follows them, by that byte: what
/// [`symbol`] returns for them, looked up at once.
static SINGLE: [bool; 256] = {
    let mut t = [false; 256];
    let syms = b"()[],*/^;:%-+";
    let mut k = 0;
    while k < syms.len() {
        t[syms[k] as usize] = true;
        k += 1;
    }
    t
};

/// The symbol at the start of `rest`, if any.
fn symbol(rest: &str) -> Option<&'static str> {
    let b = rest.as_bytes();
    let two = |s: &'static str| if b.get(1) == Some(&s.as_bytes()[1]) { Some(s) } else { None };
    Some(match *b.first()? {
        b'(' => "(",
        b')' => ")",
        b'[' => "[",
        b']' => "]",
        b',' => ",",
        b'*' => "*",
        b'/' => "/",
        b'^' => "^",
        b';' => ";",
        b':' => ":",
        b'%' => "%",
        b'-' => "-",
        // `+-` is only a tolerance sign; elsewhere it is `+ -`, and the
        // parser reads it as `+` then `-` either way.
        b'+' => "+",
        b'=' => two("==").unwrap_or("="),
        b'<' => two("<=").unwrap_or("<"),
        b'>' => two(">=").unwrap_or(">"),
        b'!' => two("!=")?,
        b'~' => two("~=")?,
        _ => return SYMS[..3].iter().copied().find(|s| rest.starts_with(s)),
    })
}

/// `10^k` for `k` up to 22: every one is exactly a `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// The value of a decimal written with at most 15 digits `m` and one point
/// `frac` digits from its end: `m < 10^15` and `10^frac` are both exact, so
/// `m / 10^frac` is the correctly rounded value, as `str::parse` gives it.
pub(super) fn decimal_value(m: u64, frac: usize) -> f64 {
    m as f64 / POW10[frac]
}

thread_local! {
    /// The token buffer of the last statement parsed on this thread, empty,
    /// for the next one: parsing one inline form after another, the tokens
    /// need no allocation of their own.
    static SPARE: std::cell::Cell<Vec<(Tok<'static>, Span)>> = const { std::cell::Cell::new(Vec::new()) };
}

/// An empty token buffer, the spare one if there is one.
pub(super) fn buffer<'a>() -> Vec<(Tok<'a>, Span)> {
    SPARE.take()
}

/// Keeps `toks`' allocation, emptied, for the next [`buffer`].
pub(super) fn recycle(mut toks: Vec<(Tok<'_>, Span)>) {
    toks.clear();
    // An empty vector to a vector of the same layout (the closure never
    // runs): `collect` reuses the allocation in place, and the borrow of
    // the parsed text ends.
    let spare: Vec<(Tok<'static>, Span)> = toks.into_iter().map(|_| (Tok::Str, 0..0)).collect();
    SPARE.set(spare);
}

/// Appends the tokens of `src`, up to a `#` comment, to `out`.
pub(super) fn lex_into<'a>(src: &'a str, out: &mut Vec<(Tok<'a>, Span)>) -> Result<(), Diag> {
    // A token and the space after it take two bytes or more, mostly.
    out.reserve(src.len() / 2 + 1);
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        if is(c, SPACE) {
            i += 1;
            continue;
        }
        if SINGLE[usize::from(c)] {
            i += 1;
            out.push((Tok::Sym(Sym(c)), start..i));
            continue;
        }
        if c == b'#' {
            break;
        }
        if is(c, DIGIT) || (c == b'.' && b.get(i + 1).is_some_and(|&d| is(d, DIGIT))) {
            // The digits as an integer (exact up to 15 of them), how many
            // there are, how many follow the first point, and the points.
            let (mut m, mut digits, mut frac, mut points) = (0u64, 0usize, 0usize, 0usize);
            while i < b.len() && is(b[i], NUM) {
                if b[i] == b'.' {
                    points += 1;
                } else {
                    m = m.wrapping_mul(10).wrapping_add(u64::from(b[i] - b'0'));
                    digits += 1;
                    frac += usize::from(points > 0);
                }
                i += 1;
            }
            let mut exponent = false;
            if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
                let mut j = i + 1;
                if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
                    j += 1;
                }
                if j < b.len() && is(b[j], DIGIT) {
                    exponent = true;
                    i = j;
                    while i < b.len() && is(b[i], DIGIT) {
                        i += 1;
                    }
                }
            }
            let v = if !exponent && points <= 1 && (1..=15).contains(&digits) {
                // At most 15 digits and one point, no exponent (`0.629`,
                // `12`, `2.5`): the digits as an integer `m < 10^15` and
                // `10^k` for the `k` decimals are both exact, so `m / 10^k`
                // is the correctly rounded value, as `str::parse` gives it.
                decimal_value(m, frac)
            } else {
                let text = &src[start..i];
                let v: f64 = text.parse().map_err(|_| syntax_error(start..i, format!("`{text}` is not a number")))?;
                let mantissa = text.split(['e', 'E']).next().unwrap_or("");
                if v == 0.0 && mantissa.bytes().any(|d| (b'1'..=b'9').contains(&d)) {
                    return Err(syntax_error(
                        start..i,
                        format!("`{text}` is too small for a 64-bit float: it would be 0"),
                    ));
                }
                v
            };
            out.push((Tok::Num(v), start..i));
            continue;
        }
        if is(c, NAME) {
            while i < b.len() && is(b[i], NAME) {
                i += 1;
            }
            out.push((Tok::Ident(&src[start..i]), start..i));
            continue;
        }
        if c == b'"' {
            i += 1;
            // Checked here, resolved by `string_value` when parsed.
            loop {
                let Some(ch) = src[i..].chars().next() else {
                    return Err(syntax_error(start..i, "unterminated string"));
                };
                i += ch.len_utf8();
                match ch {
                    '"' => break,
                    '\\' => {
                        let Some(e) = src[i..].chars().next() else {
                            return Err(syntax_error(start..i, "unterminated string"));
                        };
                        i += e.len_utf8();
                        if e != '"' && e != '\\' {
                            return Err(syntax_error(
                                i - e.len_utf8() - 1..i,
                                format!(
                                    "unknown escape `\\{e}` in a string (only `\\\"` and `\\\\` are escapes; a string is one line)"
                                ),
                            ));
                        }
                    }
                    _ => {}
                }
            }
            out.push((Tok::Str, start..i));
            continue;
        }
        if let Some(s) = symbol(&src[i..]) {
            i += s.len();
            out.push((Tok::Sym(Sym::of(s)), start..i));
            continue;
        }
        let ch = src[i..].chars().next().unwrap_or('?');
        return Err(syntax_error(i..i + ch.len_utf8(), format!("unexpected character `{ch}`")));
    }
    Ok(())
}
