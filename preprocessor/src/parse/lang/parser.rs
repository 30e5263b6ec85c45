//! The parser's state and the expression grammar (precedence climbing:
//! comparison, `+ -`, `* /`, unary `-`, `^`, indexing, primaries).

use super::lexer::{Sym, Tok, buffer, lex_into, recycle, string_value, sym};
use super::{BinOp, Expr, ExprKind, MAX_DEPTH, Span, syntax_error};
use crate::diagnostics::Diag;
use crate::format::Text;

/// The tokens of one statement and the position reached in them.
pub(super) struct Parser<'a> {
    pub(super) src: &'a str,
    pub(super) toks: Vec<(Tok<'a>, Span)>,
    pub(super) pos: usize,
    /// How deeply expressions are nested here (see [`MAX_DEPTH`]).
    depth: usize,
    /// The items of the vectors and argument lists being parsed, as a
    /// stack: each list is moved out at its end into a vector of its exact
    /// length (one allocation, not one per doubling).
    items: Vec<Expr>,
}

thread_local! {
    /// [`Parser::items`] of the last parser on this thread, empty, for the
    /// next one.
    static SPARE_ITEMS: std::cell::Cell<Vec<Expr>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Drop for Parser<'_> {
    /// Leaves the buffers to the next parser on this thread.
    fn drop(&mut self) {
        recycle(std::mem::take(&mut self.toks));
        let mut items = std::mem::take(&mut self.items);
        items.clear();
        SPARE_ITEMS.set(items);
    }
}

/// What a parsing step returns.
pub(super) type PResult<T> = Result<T, Diag>;

impl<'a> Parser<'a> {
    /// Lexes `src`, ready to parse from its first token.
    pub(super) fn new(src: &'a str) -> PResult<Parser<'a>> {
        let mut toks = buffer();
        if let Err(d) = lex_into(src, &mut toks) {
            recycle(toks);
            return Err(d);
        }
        Ok(Parser { src, toks, pos: 0, depth: 0, items: SPARE_ITEMS.take() })
    }

    pub(super) fn peek(&self) -> Option<&Tok<'a>> {
        self.toks.get(self.pos).map(|t| &t.0)
    }

    pub(super) fn peek_at(&self, k: usize) -> Option<&Tok<'a>> {
        self.toks.get(self.pos + k).map(|t| &t.0)
    }

    pub(super) fn span(&self) -> Span {
        match self.toks.get(self.pos) {
            Some((_, s)) => s.clone(),
            None => self.src.len()..self.src.len(),
        }
    }

    pub(super) fn prev_end(&self) -> usize {
        self.pos.checked_sub(1).and_then(|p| self.toks.get(p)).map_or(0, |t| t.1.end)
    }

    pub(super) fn is_sym(&self, s: Sym) -> bool {
        matches!(self.peek(), Some(Tok::Sym(x)) if *x == s)
    }

    pub(super) fn eat(&mut self, s: Sym) -> bool {
        if self.is_sym(s) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub(super) fn expect(&mut self, s: Sym, what: &str) -> PResult<Span> {
        let sp = self.span();
        if self.eat(s) { Ok(sp) } else { Err(self.err(format!("expected `{}` {what}", s.text()))) }
    }

    pub(super) fn err(&self, message: String) -> Diag {
        let found = match self.peek() {
            None => "end of input".to_string(),
            Some(_) => format!("`{}`", &self.src[self.span()]),
        };
        syntax_error(self.span(), format!("{message}, found {found}"))
    }

    /// [`Parser::ident`] as a [`Text`] (no allocation for a short name).
    fn ident_text(&mut self) -> Option<(Text, Span)> {
        if let Some(&Tok::Ident(name)) = self.peek() {
            let sp = self.span();
            self.pos += 1;
            Some((Text::from(name), sp))
        } else {
            None
        }
    }

    pub(super) fn ident(&mut self) -> Option<(String, Span)> {
        if let Some(&Tok::Ident(name)) = self.peek() {
            let name = name.to_string();
            let sp = self.span();
            self.pos += 1;
            Some((name, sp))
        } else {
            None
        }
    }

    pub(super) fn expr(&mut self) -> PResult<Expr> {
        if let Some(e) = self.atom() {
            return Ok(e);
        }
        let lhs = self.additive()?;
        let op = match self.peek() {
            Some(&Tok::Sym(s)) => match s {
                _ if s == sym!("==") => BinOp::Eq,
                _ if s == sym!("!=") => BinOp::Ne,
                _ if s == sym!("<") => BinOp::Lt,
                _ if s == sym!("<=") => BinOp::Le,
                _ if s == sym!(">") => BinOp::Gt,
                _ if s == sym!(">=") => BinOp::Ge,
                _ => return Ok(lhs),
            },
            _ => return Ok(lhs),
        };
        self.pos += 1;
        let rhs = self.additive()?;
        let span = lhs.span.start..rhs.span.end;
        Ok(Expr { kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span })
    }

    /// A number or a name followed by a token that ends an expression (or
    /// by nothing): what [`Parser::expr`] would parse, without descending
    /// through every level of the grammar (most vector items and arguments
    /// are such). `None`, having read nothing, otherwise.
    fn atom(&mut self) -> Option<Expr> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        let ends = match self.toks.get(self.pos + 1) {
            None => true,
            Some(&(Tok::Sym(s), _)) => {
                [sym!(","), sym!("]"), sym!(")"), sym!(";"), sym!("≈"), sym!("~="), sym!(":")].contains(&s)
            }
            Some(_) => false,
        };
        if !ends {
            return None;
        }
        let (tok, span) = self.toks.get(self.pos)?;
        let kind = match *tok {
            Tok::Num(v) => ExprKind::Num(v),
            Tok::Ident(name) => ExprKind::Name(Text::from(name)),
            _ => return None,
        };
        let span = span.clone();
        self.pos += 1;
        Some(Expr { kind, span })
    }

    fn additive(&mut self) -> PResult<Expr> {
        let mut lhs = self.multiplicative()?;
        loop {
            let op = if self.is_sym(sym!("+")) {
                BinOp::Add
            } else if self.is_sym(sym!("-")) {
                BinOp::Sub
            } else {
                return Ok(lhs);
            };
            self.pos += 1;
            let rhs = self.multiplicative()?;
            let span = lhs.span.start..rhs.span.end;
            lhs = Expr { kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span };
        }
    }

    fn multiplicative(&mut self) -> PResult<Expr> {
        let mut lhs = self.unary()?;
        loop {
            let op = if self.is_sym(sym!("*")) {
                BinOp::Mul
            } else if self.is_sym(sym!("/")) {
                BinOp::Div
            } else {
                return Ok(lhs);
            };
            self.pos += 1;
            let rhs = self.unary()?;
            let span = lhs.span.start..rhs.span.end;
            lhs = Expr { kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span };
        }
    }

    fn unary(&mut self) -> PResult<Expr> {
        if self.depth >= MAX_DEPTH {
            return Err(syntax_error(
                self.span(),
                format!("this expression is nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        self.depth += 1;
        let e = self.unary_inner();
        self.depth -= 1;
        e
    }

    fn unary_inner(&mut self) -> PResult<Expr> {
        if self.is_sym(sym!("-")) {
            let start = self.span().start;
            self.pos += 1;
            let e = self.unary()?;
            let span = start..e.span.end;
            return Ok(Expr { kind: ExprKind::Neg(Box::new(e)), span });
        }
        self.power()
    }

    fn power(&mut self) -> PResult<Expr> {
        let base = self.postfix()?;
        if self.eat(sym!("^")) {
            let exp = self.unary()?;
            let span = base.span.start..exp.span.end;
            return Ok(Expr { kind: ExprKind::Binary(BinOp::Pow, Box::new(base), Box::new(exp)), span });
        }
        Ok(base)
    }

    fn postfix(&mut self) -> PResult<Expr> {
        let mut e = self.primary()?;
        while self.eat(sym!("[")) {
            let start = e.span.start;
            let from = if self.is_sym(sym!(":")) { None } else { Some(Box::new(self.expr()?)) };
            let kind = match from {
                Some(i) if !self.eat(sym!(":")) => ExprKind::Index(Box::new(e), i),
                from => {
                    // `v[a:b]`: the `:` is eaten (or `from` is `None` and it is next).
                    self.eat(sym!(":"));
                    let to = if self.is_sym(sym!("]")) { None } else { Some(Box::new(self.expr()?)) };
                    ExprKind::Slice(Box::new(e), from, to)
                }
            };
            let end = self.expect(sym!("]"), "to close the index")?.end;
            e = Expr { kind, span: start..end };
        }
        Ok(e)
    }

    fn primary(&mut self) -> PResult<Expr> {
        let sp = self.span();
        match self.peek() {
            Some(&Tok::Num(v)) => {
                self.pos += 1;
                Ok(Expr { kind: ExprKind::Num(v), span: sp })
            }
            Some(Tok::Str) => {
                let s = string_value(&self.src[sp.clone()]);
                self.pos += 1;
                Ok(Expr { kind: ExprKind::Str(s), span: sp })
            }
            Some(&Tok::Ident(name)) => {
                let name = Text::from(name);
                self.pos += 1;
                if self.eat(sym!("(")) {
                    let base = self.items.len();
                    let mut kwargs: Vec<(Text, Expr)> = Vec::new();
                    if !self.is_sym(sym!(")")) {
                        loop {
                            if matches!(self.peek(), Some(Tok::Ident(_)))
                                && matches!(self.peek_at(1), Some(Tok::Sym(s)) if *s == sym!("="))
                            {
                                let (k, ksp) = self.ident_text().unwrap_or_default();
                                self.pos += 1;
                                if kwargs.iter().any(|(n, _)| *n == k) {
                                    return Err(syntax_error(ksp, format!("keyword `{k}` given twice")));
                                }
                                kwargs.push((k, self.expr()?));
                            } else {
                                if !kwargs.is_empty() {
                                    return Err(self.err("positional argument after a keyword argument".into()));
                                }
                                let arg = self.expr()?;
                                self.items.push(arg);
                            }
                            if !self.eat(sym!(",")) {
                                break;
                            }
                        }
                    }
                    let end = self.expect(sym!(")"), "to close the call")?.end;
                    let args = self.items.drain(base..).collect();
                    return Ok(Expr {
                        kind: ExprKind::Call { name, name_span: sp.clone(), args, kwargs },
                        span: sp.start..end,
                    });
                }
                Ok(Expr { kind: ExprKind::Name(name), span: sp })
            }
            Some(Tok::Sym(s)) if *s == sym!("[") => {
                self.pos += 1;
                let base = self.items.len();
                if !self.is_sym(sym!("]")) {
                    loop {
                        let item = self.expr()?;
                        self.items.push(item);
                        if !self.eat(sym!(",")) {
                            break;
                        }
                    }
                }
                let end = self.expect(sym!("]"), "to close the vector")?.end;
                let items = self.items.drain(base..).collect();
                Ok(Expr { kind: ExprKind::Vector(items), span: sp.start..end })
            }
            Some(Tok::Sym(s)) if *s == sym!("(") => {
                self.pos += 1;
                let e = self.expr()?;
                let end = self.expect(sym!(")"), "to close the parenthesis")?.end;
                Ok(Expr { span: sp.start..end, ..e })
            }
            _ => Err(self.err("expected an expression".into())),
        }
    }

    pub(super) fn finish(&self) -> PResult<()> {
        if self.pos < self.toks.len() { Err(self.err("expected end of statement".into())) } else { Ok(()) }
    }

    pub(super) fn is_let(&self) -> bool {
        matches!(self.peek(), Some(Tok::Ident(_))) && matches!(self.peek_at(1), Some(Tok::Sym(s)) if *s == sym!("="))
    }
}
