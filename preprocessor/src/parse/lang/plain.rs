//! The shapes most inline forms take, read straight from the bytes: a
//! name, a number, a vector or a call with plain arguments, perhaps bound
//! to a name, perhaps with a plainly stated value and one `; dp=N` option.
//! Whatever is read here is what the full parse ([`super::stmt`]) reads
//! from the same text; anything else (and every error) is left to it, which
//! decides and words it as it always has. A property test holds the two
//! equal.

use super::lexer::decimal_value;
use super::{Expr, ExprKind, Parsed, Span, StatedValue, Stmt};
use crate::format::{Format, Stated, Text};

/// The parse of `src` as an inline form, when it has a plain shape.
pub(super) fn inline(src: &str) -> Option<Parsed> {
    let mut r = Reader { src, b: src.as_bytes(), i: 0 };
    r.space();
    let bind = r.binding();
    let expr = r.expr()?;
    r.space();
    let stated = match approx_len(&r.b[r.i..]) {
        Some(n) => {
            r.i += n;
            Some(r.stated()?)
        }
        None => None,
    };
    r.space();
    let format = if r.peek() == Some(b';') {
        r.i += 1;
        Some(r.option()?)
    } else {
        None
    };
    r.space();
    (r.i == r.b.len()).then_some(Parsed { stmt: Stmt::Inline { bind, expr, stated }, format })
}

/// The stated tail of an inline form, when it is written plainly: `≈` (or
/// `~=`) and then one number or a vector `[...]` of them, each a `-`, digits
/// and points, and a `%` with no space inside, and after it only space.
/// Returns where the `≈` starts and the value, as the full parse reads it.
/// `None` for anything else: a `"` or `#` before the `≈` (a string may hold
/// one, a comment hides it), any other character before it that is not
/// ASCII, a tolerance, an option, an exponent, or a number
/// [`Stated::parse`] does not take.
pub(super) fn stated_tail(src: &str) -> Option<(usize, StatedValue)> {
    let b = src.as_bytes();
    let at = b.iter().position(|&c| STOPS[usize::from(c)])?;
    let mut r = Reader { src, b, i: at + approx_len(&b[at..])? };
    let stated = r.stated()?;
    r.space();
    (r.i == b.len()).then_some((at, stated))
}

/// The length of the `≈` or `~=` that `b` starts with, if it does.
fn approx_len(b: &[u8]) -> Option<usize> {
    ["≈", "~="].into_iter().find(|s| b.starts_with(s.as_bytes())).map(str::len)
}

/// The bytes [`stated_tail`] stops at: the start of `≈` or `~=`, and what
/// rules the shortcut out (`"`, `#`, any other byte that is not ASCII).
static STOPS: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0x80;
    while c < 256 {
        t[c] = true;
        c += 1;
    }
    t[b'~' as usize] = true;
    t[b'"' as usize] = true;
    t[b'#' as usize] = true;
    t
};

/// A position in the text being read.
struct Reader<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Past ASCII whitespace, which is what separates tokens.
    fn space(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    /// A name (`[A-Za-z_][A-Za-z0-9_]*`), as the lexer reads one.
    fn name(&mut self) -> Option<Span> {
        let start = self.i;
        if !self.peek().is_some_and(|c| c.is_ascii_alphabetic() || c == b'_') {
            return None;
        }
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
            self.i += 1;
        }
        Some(start..self.i)
    }

    /// Whether an `=` that is not `==` is next (after space).
    fn equals(&mut self) -> bool {
        let at = self.i;
        self.space();
        if self.peek() == Some(b'=') && self.b.get(self.i + 1) != Some(&b'=') {
            self.i += 1;
            true
        } else {
            self.i = at;
            false
        }
    }

    /// `NAME =`, if that is next; otherwise nothing is read.
    fn binding(&mut self) -> Option<(String, Span)> {
        let at = self.i;
        if let Some(span) = self.name()
            && self.equals()
        {
            self.space();
            return Some((self.src[span.clone()].to_string(), span));
        }
        self.i = at;
        None
    }

    /// A name, a number, a vector of them, or a call with them as
    /// arguments, followed by a byte that ends an expression (or by
    /// nothing).
    fn expr(&mut self) -> Option<Expr> {
        let e = match self.peek()? {
            b'[' => {
                let start = self.i;
                self.i += 1;
                let items = self.list(b']')?;
                Expr { kind: ExprKind::Vector(items), span: start..self.i }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let span = self.name()?;
                let name = Text::from(&self.src[span.clone()]);
                let after = self.i;
                self.space();
                if self.peek() == Some(b'(') {
                    self.i += 1;
                    self.call(name, span)?
                } else {
                    self.i = after;
                    Expr { kind: ExprKind::Name(name), span }
                }
            }
            _ => self.number()?,
        };
        self.ends().then_some(e)
    }

    /// Whether what follows (after space) ends an expression for the
    /// grammar: the end, `,`, `]`, `)`, `;`, `≈`, `~=`. Anything else (an
    /// operator, an index, `:`) leaves the expression to the full parse.
    fn ends(&self) -> bool {
        let next = self.after_space(self.i);
        matches!(next.first(), None | Some(b',' | b']' | b')' | b';')) || approx_len(next).is_some()
    }

    /// The text from `at` on, past ASCII whitespace (which [`Reader::space`]
    /// would step over), without moving.
    fn after_space(&self, at: usize) -> &[u8] {
        let rest = &self.b[at..];
        &rest[rest.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(rest.len())..]
    }

    /// Plain arguments (names and numbers) up to `close`, after the opening
    /// bracket: at least one.
    fn list(&mut self, close: u8) -> Option<Vec<Expr>> {
        let mut items = Vec::new();
        loop {
            self.space();
            items.push(self.arg()?);
            self.space();
            match self.peek()? {
                b',' => self.i += 1,
                c if c == close => {
                    self.i += 1;
                    return Some(items);
                }
                _ => return None,
            }
        }
    }

    /// `f(...)`, after its `(`: positional arguments, then keyword ones
    /// (`T=0.5`), each a name or a number.
    fn call(&mut self, name: Text, name_span: Span) -> Option<Expr> {
        let mut args = Vec::new();
        let mut kwargs: Vec<(Text, Expr)> = Vec::new();
        self.space();
        if self.peek() == Some(b')') {
            self.i += 1;
        } else {
            loop {
                self.space();
                let at = self.i;
                if let Some(key) = self.name()
                    && self.equals()
                {
                    let key = Text::from(&self.src[key]);
                    if kwargs.iter().any(|(k, _)| *k == key) {
                        return None;
                    }
                    self.space();
                    kwargs.push((key, self.arg()?));
                } else {
                    self.i = at;
                    if !kwargs.is_empty() {
                        return None;
                    }
                    args.push(self.arg()?);
                }
                self.space();
                match self.peek()? {
                    b',' => self.i += 1,
                    b')' => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        Some(Expr {
            kind: ExprKind::Call { name, name_span: name_span.clone(), args, kwargs },
            span: name_span.start..self.i,
        })
    }

    /// A name or a number, followed by a byte that ends an expression.
    fn arg(&mut self) -> Option<Expr> {
        let e = match self.peek()? {
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let span = self.name()?;
                Expr { kind: ExprKind::Name(Text::from(&self.src[span.clone()])), span }
            }
            _ => self.number()?,
        };
        self.ends().then_some(e)
    }

    /// A number the lexer reads with its fast rule (at most 15 digits and
    /// one point, no exponent) to [`decimal_value`], with a `-` glued to
    /// it: `Num`, or `Neg` of it.
    fn number(&mut self) -> Option<Expr> {
        let sign = self.i;
        self.i += usize::from(self.peek() == Some(b'-'));
        let from = self.i;
        let (mut m, mut digits, mut frac, mut points) = (0u64, 0usize, 0usize, 0usize);
        while let Some(c) = self.peek() {
            if c == b'.' {
                points += 1;
            } else if c.is_ascii_digit() {
                m = m * 10 + u64::from(c - b'0');
                digits += 1;
                frac += usize::from(points > 0);
            } else {
                break;
            }
            self.i += 1;
            if digits > 15 {
                return None;
            }
        }
        if digits == 0 || points > 1 || self.peek().is_some_and(|c| c.is_ascii_alphabetic() || c == b'_') {
            return None;
        }
        let num = Expr { kind: ExprKind::Num(decimal_value(m, frac)), span: from..self.i };
        Some(if sign < from { Expr { kind: ExprKind::Neg(Box::new(num)), span: sign..self.i } } else { num })
    }

    /// A plainly stated number or vector, after the `≈` (see
    /// [`stated_tail`]).
    fn stated(&mut self) -> Option<StatedValue> {
        self.space();
        let start = self.i;
        let is_vector = self.peek() == Some(b'[');
        self.i += usize::from(is_vector);
        let mut items = Vec::new();
        let end = loop {
            self.space();
            let from = self.i;
            self.i += usize::from(self.peek() == Some(b'-'));
            let digits = self.i;
            while self.peek().is_some_and(|c| c.is_ascii_digit() || c == b'.') {
                self.i += 1;
            }
            if self.i == digits {
                return None;
            }
            self.i += usize::from(self.peek() == Some(b'%'));
            items.push((Stated::parse(&self.src[from..self.i])?, from..self.i));
            if !is_vector {
                break self.i;
            }
            self.space();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => break self.i + 1,
                _ => return None,
            }
        };
        self.i = end;
        // What follows must end the stated value: the end, or an option.
        matches!(self.after_space(end).first(), None | Some(b';')).then_some(StatedValue {
            items,
            is_vector,
            tolerance: None,
            shown: start..end,
            span: start..end,
        })
    }

    /// One `dp=N`, `sig=N`, `pct=N` or `sci=N` after the `;`, with `N` one
    /// or two digits and in range.
    fn option(&mut self) -> Option<Format> {
        self.space();
        let key = self.name()?;
        if !self.equals() {
            return None;
        }
        self.space();
        let from = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let digits = &self.b[from..self.i];
        if !(1..=2).contains(&digits.len()) || self.peek().is_some_and(|c| !c.is_ascii_whitespace()) {
            return None;
        }
        let n = digits.iter().fold(0u8, |n, &d| n * 10 + (d - b'0'));
        if n > 30 {
            return None;
        }
        match &self.src[key] {
            "dp" => Some(Format::Dp(n)),
            "pct" => Some(Format::Pct(n)),
            "sig" if n > 0 => Some(Format::Sig(n)),
            "sci" if n > 0 => Some(Format::Sci(n)),
            _ => None,
        }
    }
}
