//! The lexer: the parsed text as tokens with their spans.

use super::{Span, syntax_error};
use crate::diagnostics::Diag;

/// A token. Names borrow the parsed text; only a string literal, whose
/// escapes are resolved, owns its text.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok<'a> {
    Num(f64),
    Str(String),
    Ident(&'a str),
    Sym(&'static str),
}

/// The symbols, longest first where one is a prefix of another.
const SYMS: [&str; 24] = [
    "≈", "~=", "±", "+-", "==", "!=", "<=", ">=", "(", ")", "[", "]", ",", "=", "+", "-", "*", "/", "^", "<", ">", ";",
    ":", "%",
];

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

/// The value of a literal of at most 15 digits and at most one `.`, no
/// exponent (`0.629`, `12`, `2.5`): its digits as an integer `m < 10^15`
/// and `10^k` for its `k` decimals are both exact, so `m / 10^k` is the
/// correctly rounded value, as `str::parse` gives it. `None` for anything
/// else (then `str::parse` decides).
fn short_decimal(text: &str) -> Option<f64> {
    if text.len() > 16 {
        return None;
    }
    let mut m: u64 = 0;
    let mut digits = 0;
    let mut point = None;
    for (i, c) in text.bytes().enumerate() {
        match c {
            b'0'..=b'9' => {
                m = m * 10 + u64::from(c - b'0');
                digits += 1;
            }
            b'.' if point.is_none() => point = Some(i),
            _ => return None,
        }
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    let k = point.map_or(0, |p| text.len() - p - 1);
    Some(m as f64 / POW10[k])
}

/// The tokens of `src`, up to a `#` comment.
pub(super) fn lex(src: &str) -> Result<Vec<(Tok<'_>, Span)>, Diag> {
    // A token and the space after it take two bytes or more, mostly.
    let mut out = Vec::with_capacity(src.len() / 2 + 1);
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'#' {
            break;
        }
        if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
                let mut j = i + 1;
                if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
                    j += 1;
                }
                if j < b.len() && b[j].is_ascii_digit() {
                    i = j;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let text = &src[start..i];
            let v = match short_decimal(text) {
                Some(v) => v,
                None => {
                    let v: f64 =
                        text.parse().map_err(|_| syntax_error(start..i, format!("`{text}` is not a number")))?;
                    let mantissa = text.split(['e', 'E']).next().unwrap_or("");
                    if v == 0.0 && mantissa.bytes().any(|d| (b'1'..=b'9').contains(&d)) {
                        return Err(syntax_error(
                            start..i,
                            format!("`{text}` is too small for a 64-bit float: it would be 0"),
                        ));
                    }
                    v
                }
            };
            out.push((Tok::Num(v), start..i));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Ident(&src[start..i]), start..i));
            continue;
        }
        if c == b'"' {
            i += 1;
            let mut s = String::new();
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
                        s.push(e);
                    }
                    _ => s.push(ch),
                }
            }
            out.push((Tok::Str(s), start..i));
            continue;
        }
        if let Some(s) = symbol(&src[i..]) {
            i += s.len();
            out.push((Tok::Sym(s), start..i));
            continue;
        }
        let ch = src[i..].chars().next().unwrap_or('?');
        return Err(syntax_error(i..i + ch.len_utf8(), format!("unexpected character `{ch}`")));
    }
    Ok(out)
}
