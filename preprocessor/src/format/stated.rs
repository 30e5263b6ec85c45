//! Numbers stated by an author: their text, value and precision.

use super::{Dec, Text};

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
