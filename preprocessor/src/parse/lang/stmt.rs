//! Statements: `NAME = EXPR`, `check`, `show`, `widget`, `plot`, inline forms, and
//! the parts only statements have (stated numbers, `; dp=N` options).

use super::lexer::{Tok, string_value, sym};
use super::parser::{PResult, Parser};
use super::plain;
use super::{Column, Parsed, Span, StatedValue, Stmt, syntax_error};
use crate::format::{Format, Stated};

/// See [`super::parse_statement`].
pub(super) fn statement(src: &str) -> PResult<Option<Parsed>> {
    let mut p = Parser::new(src)?;
    if p.toks.is_empty() {
        return Ok(None);
    }
    let stmt = match p.peek() {
        Some(Tok::Ident(k)) if *k == "check" && !matches!(p.peek_at(1), Some(Tok::Sym(s)) if *s == sym!("=")) => {
            p.pos += 1;
            let expr = p.expr()?;
            let stated = p.opt_stated()?;
            Stmt::Check { expr, stated }
        }
        Some(Tok::Ident(k)) if *k == "show" && !matches!(p.peek_at(1), Some(Tok::Sym(s)) if *s == sym!("=")) => {
            p.pos += 1;
            let rows = if matches!(p.peek(), Some(Tok::Ident(k)) if *k == "for") {
                p.pos += 1;
                let Some((var, _)) = p.ident() else {
                    return Err(p.err("expected a row name after `for`".into()));
                };
                if !matches!(p.peek(), Some(Tok::Ident(k)) if *k == "in") {
                    return Err(p.err("expected `in`".into()));
                }
                p.pos += 1;
                let over = p.expr()?;
                p.expect(sym!(":"), "after the rows of `show for`")?;
                Some((var, over))
            } else {
                None
            };
            let mut columns = Vec::new();
            loop {
                let expr = p.expr()?;
                let label = if matches!(p.peek(), Some(Tok::Ident(k)) if *k == "as") {
                    p.pos += 1;
                    match p.peek() {
                        Some(Tok::Str) => {
                            let s = string_value(&src[p.span()]);
                            p.pos += 1;
                            s
                        }
                        _ => return Err(p.err("expected a \"label\" after `as`".into())),
                    }
                } else {
                    src[expr.span.clone()].to_string()
                };
                let format = if p.eat(sym!(":")) { Some(p.format_option()?.0) } else { None };
                columns.push(Column { expr, label, format });
                if !p.eat(sym!(",")) {
                    break;
                }
            }
            Stmt::Show { rows, columns }
        }
        Some(Tok::Ident(k)) if *k == "widget" && !matches!(p.peek_at(1), Some(Tok::Sym(s)) if *s == sym!("=")) => {
            p.pos += 1;
            Stmt::Widget { call: p.expr()? }
        }
        Some(Tok::Ident(k)) if *k == "plot" && !matches!(p.peek_at(1), Some(Tok::Sym(s)) if *s == sym!("=")) => {
            p.pos += 1;
            Stmt::Plot { call: p.expr()? }
        }
        _ if p.is_let() => {
            let (name, name_span) = p.ident().unwrap_or_default();
            p.pos += 1;
            let expr = p.expr()?;
            Stmt::Let { name, name_span, expr }
        }
        _ => {
            return Err(p.err("expected a statement (`NAME = EXPR`, `check ...` or `show ...`)".into()));
        }
    };
    let format = p.options()?;
    p.finish()?;
    Ok(Some(Parsed { stmt, format }))
}

/// See [`super::parse_inline`].
pub(super) fn inline(src: &str) -> PResult<Parsed> {
    // Most inline forms have a plain shape (a name or a call with plain
    // arguments, a plainly stated value, one option), read straight from
    // the bytes; many more state a value plainly, which is read from the
    // bytes while only the expression before it is lexed. Anything else,
    // and any error, goes through the full parse, which decides it (and
    // words the error) as it always has.
    if let Some(parsed) = plain::inline(src) {
        return Ok(parsed);
    }
    if let Some((at, stated)) = plain::stated_tail(src)
        && let Ok(parsed) = inline_before_stated(&src[..at], stated)
    {
        return Ok(parsed);
    }
    inline_full(src)
}

/// [`inline`] without its shortcut: every token lexed and parsed.
pub(super) fn inline_full(src: &str) -> PResult<Parsed> {
    let mut p = Parser::new(src)?;
    let (bind, expr) = p.inline_value()?;
    let stated = p.opt_stated()?;
    let format = p.options()?;
    p.finish()?;
    Ok(Parsed { stmt: Stmt::Inline { bind, expr, stated }, format })
}

/// [`inline`] of a form whose stated tail [`plain::stated_tail`] read: `src` is
/// the text before the `≈`, and the result is the full parse's.
fn inline_before_stated(src: &str, stated: StatedValue) -> PResult<Parsed> {
    let mut p = Parser::new(src)?;
    let (bind, expr) = p.inline_value()?;
    p.finish()?;
    Ok(Parsed { stmt: Stmt::Inline { bind, expr, stated: Some(stated) }, format: None })
}

impl Parser<'_> {
    /// An inline form's `NAME =`, if it binds, and its expression.
    fn inline_value(&mut self) -> PResult<(Option<(String, Span)>, super::Expr)> {
        let bind = if self.is_let() {
            let b = self.ident();
            self.pos += 1;
            b
        } else {
            None
        };
        Ok((bind, self.expr()?))
    }

    fn stated_number(&mut self) -> PResult<(Stated, Span)> {
        let start = self.span().start;
        let neg = self.eat(sym!("-"));
        let sp = self.span();
        if !matches!(self.peek(), Some(Tok::Num(_))) {
            return Err(self.err("expected a stated number such as `0.629`, `97.1%` or `4.2e-18`".into()));
        }
        self.pos += 1;
        let mut end = sp.end;
        let pct = self.is_sym(sym!("%"));
        if pct {
            end = self.span().end;
            self.pos += 1;
        }
        let digits = &self.src[sp.clone()];
        // The text is the sign, the digits and the `%`, whatever the space
        // between them: put together on the stack when it is short.
        let mut buf = [0u8; 64];
        let joined;
        let text: std::borrow::Cow<'_, str> = if !(neg || pct) {
            digits.into()
        } else if digits.len() + 2 <= buf.len() {
            let mut n = 0;
            for part in [if neg { "-" } else { "" }, digits, if pct { "%" } else { "" }] {
                buf[n..n + part.len()].copy_from_slice(part.as_bytes());
                n += part.len();
            }
            joined = std::str::from_utf8(&buf[..n]).unwrap_or("");
            joined.into()
        } else {
            format!("{}{digits}{}", if neg { "-" } else { "" }, if pct { "%" } else { "" }).into()
        };
        let stated = Stated::parse(&text).ok_or_else(|| {
            syntax_error(start..end, format!("`{text}` is not a stated number (a decimal, a percentage or scientific)"))
        })?;
        Ok((stated, start..end))
    }

    fn stated(&mut self) -> PResult<StatedValue> {
        let start = self.span().start;
        let (items, is_vector) = if self.eat(sym!("[")) {
            // As many items as commas before the `]`, plus one.
            let commas = self.toks[self.pos..]
                .iter()
                .take_while(|(t, _)| !matches!(t, Tok::Sym(s) if *s == sym!("]")))
                .filter(|(t, _)| matches!(t, Tok::Sym(s) if *s == sym!(",")))
                .count();
            let mut items = Vec::with_capacity(commas + 1);
            loop {
                items.push(self.stated_number()?);
                if !self.eat(sym!(",")) {
                    break;
                }
            }
            self.expect(sym!("]"), "to close the stated vector")?;
            (items, true)
        } else {
            (vec![self.stated_number()?], false)
        };
        let shown = start..self.prev_end();
        let tolerance = if self.eat(sym!("±"))
            || (self.is_sym(sym!("+")) && matches!(self.peek_at(1), Some(Tok::Sym(s)) if *s == sym!("-")) && {
                self.pos += 2;
                true
            }) {
            // A sign is read here only to say why it is wrong; `± 0` is
            // accepted (an exact check).
            let negative = self.is_sym(sym!("-"));
            let tol = self.stated_number()?;
            if negative {
                return Err(syntax_error(tol.1, "a tolerance cannot be negative"));
            }
            Some(Box::new(tol))
        } else {
            None
        };
        Ok(StatedValue { items, is_vector, tolerance, shown, span: start..self.prev_end() })
    }

    fn opt_stated(&mut self) -> PResult<Option<StatedValue>> {
        if self.eat(sym!("≈")) || self.eat(sym!("~=")) { Ok(Some(self.stated()?)) } else { Ok(None) }
    }

    fn options(&mut self) -> PResult<Option<Format>> {
        if !self.eat(sym!(";")) {
            return Ok(None);
        }
        let mut format = None;
        loop {
            let (f, ksp) = self.format_option()?;
            if format.replace(f).is_some() {
                return Err(syntax_error(ksp, "more than one number format given"));
            }
            if !self.eat(sym!(",")) {
                return Ok(format);
            }
        }
    }

    /// One `dp=N`, `sig=N`, `pct=N` or `sci=N`, and the span of its key.
    fn format_option(&mut self) -> PResult<(Format, Span)> {
        let Some((key, ksp)) = self.ident() else {
            return Err(self.err("expected an option such as `dp=3`".into()));
        };
        self.expect(sym!("="), "after the option name")?;
        let vsp = self.span();
        let n = match self.peek() {
            Some(Tok::Num(v)) if v.fract() == 0.0 && (0.0..=30.0).contains(v) => *v as u8,
            _ => return Err(self.err(format!("`{key}` takes a whole number of digits from 0 to 30"))),
        };
        self.pos += 1;
        if (key == "sig" || key == "sci") && n == 0 {
            return Err(syntax_error(vsp, format!("`{key}` needs at least 1 digit")));
        }
        let f = match key.as_str() {
            "dp" => Format::Dp(n),
            "sig" => Format::Sig(n),
            "pct" => Format::Pct(n),
            "sci" => Format::Sci(n),
            _ => {
                return Err(syntax_error(ksp, format!("unknown option `{key}` (expected dp, sig, pct or sci)")));
            }
        };
        Ok((f, ksp))
    }
}
