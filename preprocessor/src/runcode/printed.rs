//! The numbers in what a Python statement printed, and the numbers it
//! produced ([`produced`]).

use std::ops::Range;

use crate::format::Stated;

/// A number in a text: its range and how it reads.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    /// A finite number, as stated.
    Num(Stated),
    /// `nan`, `inf`, `-inf`.
    NonFinite(f64),
}

/// The numbers in a text, in order: decimals, whole numbers, scientific
/// notation and percentages that stand alone (not part of a name such as
/// `float32` or `x1`), and the words `nan`, `inf`, `-inf`.
pub(super) fn numbers(text: &str) -> Vec<(Range<usize>, Token)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'.';
    while i < b.len() {
        let start = i;
        let minus = b[i] == b'-' || text[i..].starts_with('−');
        let after_sign = if b[i] == b'-' {
            i + 1
        } else if text[i..].starts_with('−') {
            i + '−'.len_utf8()
        } else {
            i
        };
        if start > 0 && word(b[start - 1]) {
            i += 1;
            while i < b.len() && !text.is_char_boundary(i) {
                i += 1;
            }
            continue;
        }
        let rest = &text[after_sign..];
        let non_finite = [("nan", f64::NAN), ("inf", f64::INFINITY)]
            .into_iter()
            .find(|(w, _)| rest.starts_with(w) && !rest.as_bytes().get(w.len()).is_some_and(|&c| word(c)));
        if let Some((w, v)) = non_finite {
            let v = if minus { -v } else { v };
            out.push((start..after_sign + w.len(), Token::NonFinite(v)));
            i = after_sign + w.len();
            continue;
        }
        let mut j = after_sign;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j == after_sign {
            i = if minus { after_sign } else { i + 1 };
            while i < b.len() && !text.is_char_boundary(i) {
                i += 1;
            }
            continue;
        }
        let mut end = j;
        if end < b.len() && b[end] == b'.' {
            let mut k = end + 1;
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            end = k;
        }
        if end < b.len() && (b[end] == b'e' || b[end] == b'E') {
            let mut k = end + 1;
            if k < b.len() && (b[k] == b'+' || b[k] == b'-') {
                k += 1;
            }
            let d = k;
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            if k > d {
                end = k;
            }
        }
        if end < b.len() && b[end] == b'%' {
            end += 1;
        }
        if end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'_') {
            // Part of a name (`3rd`, `2x`).
            i = end;
            continue;
        }
        // `0.` as NumPy prints it reads as `0`; a `+` in an exponent is
        // dropped.
        let digits = text[after_sign..end].replace(".e", "e").replace("e+", "e");
        let digits = digits.strip_suffix('.').unwrap_or(&digits);
        let sign = if minus { "-" } else { "" };
        if let Some(s) = Stated::parse(&format!("{sign}{digits}")) {
            out.push((start..end, Token::Num(s)));
        }
        i = end;
    }
    out
}

/// The numbers a statement produced, with the text to show for it.
pub(super) fn produced(printed: &str, repr: Option<&str>, values: Option<&[String]>) -> (Vec<f64>, String) {
    let shown = if printed.is_empty() { repr.unwrap_or("").to_string() } else { printed.to_string() };
    let shown_line = shown.trim_end().to_string();
    if printed.is_empty()
        && let Some(vs) = values
    {
        let parsed: Option<Vec<f64>> = vs.iter().map(|v| v.parse::<f64>().ok()).collect();
        if let Some(p) = parsed {
            return (p, shown_line);
        }
    }
    let nums = numbers(&shown)
        .into_iter()
        .map(|(_, t)| match t {
            Token::Num(s) => s.value.to_f64(),
            Token::NonFinite(v) => v,
        })
        .collect();
    (nums, shown_line)
}
