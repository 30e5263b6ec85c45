//! The lemma language: lexer and parser for one statement or inline form.
//!
//! Spans are byte ranges into the text that was parsed; the caller adds the
//! offset of that text in the chapter.

use std::ops::Range;

use crate::format::{Format, Stated};

/// A byte range in the parsed text.
pub type Span = Range<usize>;

/// A syntax error: what was expected, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// Where in the parsed text.
    pub span: Span,
    /// What is wrong.
    pub message: String,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A number literal.
    Num(f64),
    /// A string literal.
    Str(String),
    /// A vector literal `[a, b, c]`.
    Vector(Vec<Expr>),
    /// A name.
    Name(String),
    /// `-x`.
    Neg(Box<Expr>),
    /// `a OP b` for arithmetic and comparison.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `v[i]`.
    Index(Box<Expr>, Box<Expr>),
    /// `f(a, k=b)`.
    Call {
        /// The function name.
        name: String,
        /// Where the function name was written.
        name_span: Span,
        /// Positional arguments.
        args: Vec<Expr>,
        /// Keyword arguments, in order.
        kwargs: Vec<(String, Expr)>,
    },
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^`
    Pow,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
        }
    }

    /// Whether this is a comparison.
    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }
}

/// A stated number or vector of numbers, with an optional explicit tolerance.
#[derive(Debug, Clone, PartialEq)]
pub struct StatedValue {
    /// One number, or the components of a vector.
    pub items: Vec<(Stated, Span)>,
    /// Whether it was written as a vector `[...]`.
    pub is_vector: bool,
    /// `± tol`, if given.
    pub tolerance: Option<(Stated, Span)>,
    /// The stated number or vector without the tolerance: what an inline
    /// form shows.
    pub shown: Span,
    /// The whole stated text.
    pub span: Span,
}

/// A column of a `show` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The expression.
    pub expr: Expr,
    /// `as "label"`, or the expression's source text.
    pub label: String,
    /// `: dp=N` (or `sig`, `pct`, `sci`) after the column: its own number
    /// format, which wins over the statement's `; dp=N`.
    pub format: Option<Format>,
}

/// One statement of a lemma block, or the content of an inline form.
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// `NAME = EXPR`.
    Let {
        /// The name bound.
        name: String,
        /// Where the name was written.
        name_span: Span,
        /// Its value.
        expr: Expr,
    },
    /// `check EXPR ≈ STATED`, or `check EXPR` for a boolean (`stated` is
    /// `None`).
    Check {
        /// What is computed.
        expr: Expr,
        /// What the author stated.
        stated: Option<StatedValue>,
    },
    /// `show [for NAME in EXPR:] COLUMN, ...`.
    Show {
        /// The row variable and the vector it ranges over, if any.
        rows: Option<(String, Expr)>,
        /// The columns.
        columns: Vec<Column>,
    },
    /// An inline form: `EXPR`, `NAME = EXPR` or `EXPR ≈ STATED`.
    Inline {
        /// The name bound, if any.
        bind: Option<(String, Span)>,
        /// The expression.
        expr: Expr,
        /// The stated value, if any.
        stated: Option<StatedValue>,
    },
    /// `widget NAME(ARGS)`: an interactive widget (see [`crate::widget`]).
    Widget {
        /// The call naming the widget and its arguments.
        call: Expr,
    },
}

/// A parsed statement with its `; key=value` options.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The statement.
    pub stmt: Stmt,
    /// The number format chosen with `; dp=N` (or `sig`, `pct`, `sci`).
    pub format: Option<Format>,
}

/// A token. Names borrow the parsed text; only a string literal, whose
/// escapes are resolved, owns its text.
#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
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

fn lex(src: &str) -> Result<Vec<(Tok<'_>, Span)>, SyntaxError> {
    let mut out = Vec::new();
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
            let v: f64 = text
                .parse()
                .map_err(|_| SyntaxError { span: start..i, message: format!("`{text}` is not a number") })?;
            let mantissa = text.split(['e', 'E']).next().unwrap_or("");
            if v == 0.0 && mantissa.bytes().any(|d| (b'1'..=b'9').contains(&d)) {
                return Err(SyntaxError {
                    span: start..i,
                    message: format!("`{text}` is too small for a 64-bit float: it would be 0"),
                });
            }
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
                    return Err(SyntaxError { span: start..i, message: "unterminated string".into() });
                };
                i += ch.len_utf8();
                match ch {
                    '"' => break,
                    '\\' => {
                        let Some(e) = src[i..].chars().next() else {
                            return Err(SyntaxError { span: start..i, message: "unterminated string".into() });
                        };
                        i += e.len_utf8();
                        if e != '"' && e != '\\' {
                            return Err(SyntaxError {
                                span: i - e.len_utf8() - 1..i,
                                message: format!(
                                    "unknown escape `\\{e}` in a string (only `\\\"` and `\\\\` are escapes; a string is one line)"
                                ),
                            });
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
        return Err(SyntaxError { span: i..i + ch.len_utf8(), message: format!("unexpected character `{ch}`") });
    }
    Ok(out)
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<(Tok<'a>, Span)>,
    pos: usize,
    /// How deeply expressions are nested here (see [`MAX_DEPTH`]).
    depth: usize,
}

/// How deeply expressions may nest (parentheses, vectors, calls, indexes,
/// `-` and `^` chains). The parser and the evaluator recurse, so a limit
/// turns a stack overflow on hostile input into a located error.
pub const MAX_DEPTH: usize = 100;

type PResult<T> = Result<T, SyntaxError>;

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Tok<'a>> {
        self.toks.get(self.pos).map(|t| &t.0)
    }

    fn peek_at(&self, k: usize) -> Option<&Tok<'a>> {
        self.toks.get(self.pos + k).map(|t| &t.0)
    }

    fn span(&self) -> Span {
        match self.toks.get(self.pos) {
            Some((_, s)) => s.clone(),
            None => self.src.len()..self.src.len(),
        }
    }

    fn prev_end(&self) -> usize {
        self.pos.checked_sub(1).and_then(|p| self.toks.get(p)).map_or(0, |t| t.1.end)
    }

    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Some(Tok::Sym(x)) if *x == s)
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.is_sym(s) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, s: &str, what: &str) -> PResult<Span> {
        let sp = self.span();
        if self.eat(s) { Ok(sp) } else { Err(self.err(format!("expected `{s}` {what}"))) }
    }

    fn err(&self, message: String) -> SyntaxError {
        let found = match self.peek() {
            None => "end of input".to_string(),
            Some(_) => format!("`{}`", &self.src[self.span()]),
        };
        SyntaxError { span: self.span(), message: format!("{message}, found {found}") }
    }

    fn ident(&mut self) -> Option<(String, Span)> {
        if let Some(&Tok::Ident(name)) = self.peek() {
            let name = name.to_string();
            let sp = self.span();
            self.pos += 1;
            Some((name, sp))
        } else {
            None
        }
    }

    fn expr(&mut self) -> PResult<Expr> {
        let lhs = self.additive()?;
        let op = match self.peek() {
            Some(Tok::Sym("==")) => BinOp::Eq,
            Some(Tok::Sym("!=")) => BinOp::Ne,
            Some(Tok::Sym("<")) => BinOp::Lt,
            Some(Tok::Sym("<=")) => BinOp::Le,
            Some(Tok::Sym(">")) => BinOp::Gt,
            Some(Tok::Sym(">=")) => BinOp::Ge,
            _ => return Ok(lhs),
        };
        self.pos += 1;
        let rhs = self.additive()?;
        let span = lhs.span.start..rhs.span.end;
        Ok(Expr { kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span })
    }

    fn additive(&mut self) -> PResult<Expr> {
        let mut lhs = self.multiplicative()?;
        loop {
            let op = if self.is_sym("+") {
                BinOp::Add
            } else if self.is_sym("-") {
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
            let op = if self.is_sym("*") {
                BinOp::Mul
            } else if self.is_sym("/") {
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
            return Err(SyntaxError {
                span: self.span(),
                message: format!("this expression is nested more than {MAX_DEPTH} levels deep"),
            });
        }
        self.depth += 1;
        let e = self.unary_inner();
        self.depth -= 1;
        e
    }

    fn unary_inner(&mut self) -> PResult<Expr> {
        if self.is_sym("-") {
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
        if self.eat("^") {
            let exp = self.unary()?;
            let span = base.span.start..exp.span.end;
            return Ok(Expr { kind: ExprKind::Binary(BinOp::Pow, Box::new(base), Box::new(exp)), span });
        }
        Ok(base)
    }

    fn postfix(&mut self) -> PResult<Expr> {
        let mut e = self.primary()?;
        while self.eat("[") {
            let i = self.expr()?;
            let end = self.expect("]", "to close the index")?.end;
            let span = e.span.start..end;
            e = Expr { kind: ExprKind::Index(Box::new(e), Box::new(i)), span };
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
            Some(Tok::Str(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(Expr { kind: ExprKind::Str(s), span: sp })
            }
            Some(&Tok::Ident(name)) => {
                let name = name.to_string();
                self.pos += 1;
                if self.eat("(") {
                    let mut args = Vec::new();
                    let mut kwargs: Vec<(String, Expr)> = Vec::new();
                    if !self.is_sym(")") {
                        loop {
                            if matches!(self.peek(), Some(Tok::Ident(_)))
                                && matches!(self.peek_at(1), Some(Tok::Sym("=")))
                            {
                                let (k, ksp) = self.ident().unwrap_or_default();
                                self.pos += 1;
                                if kwargs.iter().any(|(n, _)| *n == k) {
                                    return Err(SyntaxError {
                                        span: ksp,
                                        message: format!("keyword `{k}` given twice"),
                                    });
                                }
                                kwargs.push((k, self.expr()?));
                            } else {
                                if !kwargs.is_empty() {
                                    return Err(self.err("positional argument after a keyword argument".into()));
                                }
                                args.push(self.expr()?);
                            }
                            if !self.eat(",") {
                                break;
                            }
                        }
                    }
                    let end = self.expect(")", "to close the call")?.end;
                    return Ok(Expr {
                        kind: ExprKind::Call { name, name_span: sp.clone(), args, kwargs },
                        span: sp.start..end,
                    });
                }
                Ok(Expr { kind: ExprKind::Name(name), span: sp })
            }
            Some(Tok::Sym("[")) => {
                self.pos += 1;
                let mut items = Vec::new();
                if !self.is_sym("]") {
                    loop {
                        items.push(self.expr()?);
                        if !self.eat(",") {
                            break;
                        }
                    }
                }
                let end = self.expect("]", "to close the vector")?.end;
                Ok(Expr { kind: ExprKind::Vector(items), span: sp.start..end })
            }
            Some(Tok::Sym("(")) => {
                self.pos += 1;
                let e = self.expr()?;
                let end = self.expect(")", "to close the parenthesis")?.end;
                Ok(Expr { span: sp.start..end, ..e })
            }
            _ => Err(self.err("expected an expression".into())),
        }
    }

    fn stated_number(&mut self) -> PResult<(Stated, Span)> {
        let start = self.span().start;
        let neg = self.eat("-");
        let sp = self.span();
        if !matches!(self.peek(), Some(Tok::Num(_))) {
            return Err(self.err("expected a stated number such as `0.629`, `97.1%` or `4.2e-18`".into()));
        }
        self.pos += 1;
        let mut end = sp.end;
        let pct = self.is_sym("%");
        if pct {
            end = self.span().end;
            self.pos += 1;
        }
        let digits = &self.src[sp.clone()];
        let text: std::borrow::Cow<'_, str> = if neg || pct {
            format!("{}{digits}{}", if neg { "-" } else { "" }, if pct { "%" } else { "" }).into()
        } else {
            digits.into()
        };
        let stated = Stated::parse(&text).ok_or_else(|| SyntaxError {
            span: start..end,
            message: format!("`{text}` is not a stated number (a decimal, a percentage or scientific)"),
        })?;
        Ok((stated, start..end))
    }

    fn stated(&mut self) -> PResult<StatedValue> {
        let start = self.span().start;
        let (items, is_vector) = if self.eat("[") {
            let mut items = Vec::new();
            loop {
                items.push(self.stated_number()?);
                if !self.eat(",") {
                    break;
                }
            }
            self.expect("]", "to close the stated vector")?;
            (items, true)
        } else {
            (vec![self.stated_number()?], false)
        };
        let shown = start..self.prev_end();
        let tolerance = if self.eat("±")
            || (self.is_sym("+") && matches!(self.peek_at(1), Some(Tok::Sym("-"))) && {
                self.pos += 2;
                true
            }) {
            Some(self.stated_number()?)
        } else {
            None
        };
        Ok(StatedValue { items, is_vector, tolerance, shown, span: start..self.prev_end() })
    }

    fn opt_stated(&mut self) -> PResult<Option<StatedValue>> {
        if self.eat("≈") || self.eat("~=") { Ok(Some(self.stated()?)) } else { Ok(None) }
    }

    fn options(&mut self) -> PResult<Option<Format>> {
        if !self.eat(";") {
            return Ok(None);
        }
        let mut format = None;
        loop {
            let (f, ksp) = self.format_option()?;
            if format.replace(f).is_some() {
                return Err(SyntaxError { span: ksp, message: "more than one number format given".into() });
            }
            if !self.eat(",") {
                return Ok(format);
            }
        }
    }

    /// One `dp=N`, `sig=N`, `pct=N` or `sci=N`, and the span of its key.
    fn format_option(&mut self) -> PResult<(Format, Span)> {
        let Some((key, ksp)) = self.ident() else {
            return Err(self.err("expected an option such as `dp=3`".into()));
        };
        self.expect("=", "after the option name")?;
        let vsp = self.span();
        let n = match self.peek() {
            Some(Tok::Num(v)) if v.fract() == 0.0 && (0.0..=30.0).contains(v) => *v as u8,
            _ => return Err(self.err(format!("`{key}` takes a whole number of digits from 0 to 30"))),
        };
        self.pos += 1;
        if (key == "sig" || key == "sci") && n == 0 {
            return Err(SyntaxError { span: vsp, message: format!("`{key}` needs at least 1 digit") });
        }
        let f = match key.as_str() {
            "dp" => Format::Dp(n),
            "sig" => Format::Sig(n),
            "pct" => Format::Pct(n),
            "sci" => Format::Sci(n),
            _ => {
                return Err(SyntaxError {
                    span: ksp,
                    message: format!("unknown option `{key}` (expected dp, sig, pct or sci)"),
                });
            }
        };
        Ok((f, ksp))
    }

    fn finish(&self) -> PResult<()> {
        if self.pos < self.toks.len() { Err(self.err("expected end of statement".into())) } else { Ok(()) }
    }

    fn is_let(&self) -> bool {
        matches!(self.peek(), Some(Tok::Ident(_))) && matches!(self.peek_at(1), Some(Tok::Sym("=")))
    }
}

fn parser(src: &str) -> PResult<Parser<'_>> {
    Ok(Parser { src, toks: lex(src)?, pos: 0, depth: 0 })
}

/// Parses one line of a lemma block. Returns `Ok(None)` for a blank or
/// comment line.
pub fn parse_statement(src: &str) -> Result<Option<Parsed>, SyntaxError> {
    let mut p = parser(src)?;
    if p.toks.is_empty() {
        return Ok(None);
    }
    let stmt = match p.peek() {
        Some(Tok::Ident(k)) if *k == "check" && !matches!(p.peek_at(1), Some(Tok::Sym("="))) => {
            p.pos += 1;
            let expr = p.expr()?;
            let stated = p.opt_stated()?;
            Stmt::Check { expr, stated }
        }
        Some(Tok::Ident(k)) if *k == "show" && !matches!(p.peek_at(1), Some(Tok::Sym("="))) => {
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
                p.expect(":", "after the rows of `show for`")?;
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
                        Some(Tok::Str(s)) => {
                            let s = s.clone();
                            p.pos += 1;
                            s
                        }
                        _ => return Err(p.err("expected a \"label\" after `as`".into())),
                    }
                } else {
                    src[expr.span.clone()].to_string()
                };
                let format = if p.eat(":") { Some(p.format_option()?.0) } else { None };
                columns.push(Column { expr, label, format });
                if !p.eat(",") {
                    break;
                }
            }
            Stmt::Show { rows, columns }
        }
        Some(Tok::Ident(k)) if *k == "widget" && !matches!(p.peek_at(1), Some(Tok::Sym("="))) => {
            p.pos += 1;
            Stmt::Widget { call: p.expr()? }
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

/// Parses the content of an inline form `{{lemma ...}}`.
pub fn parse_inline(src: &str) -> Result<Parsed, SyntaxError> {
    let mut p = parser(src)?;
    let bind = if p.is_let() {
        let b = p.ident();
        p.pos += 1;
        b
    } else {
        None
    };
    let expr = p.expr()?;
    let stated = p.opt_stated()?;
    let format = p.options()?;
    p.finish()?;
    Ok(Parsed { stmt: Stmt::Inline { bind, expr, stated }, format })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses a statement and prints a compact S-expression, or the error.
    fn check(src: &str, expect: &str) {
        let got = match parse_statement(src) {
            Ok(None) => "nothing".to_string(),
            Ok(Some(p)) => show_parsed(src, &p),
            Err(e) => format!("error {}..{}: {}", e.span.start, e.span.end, e.message),
        };
        assert_eq!(got, expect, "parsing {src:?}");
    }

    fn check_inline(src: &str, expect: &str) {
        let got = match parse_inline(src) {
            Ok(p) => show_parsed(src, &p),
            Err(e) => format!("error {}..{}: {}", e.span.start, e.span.end, e.message),
        };
        assert_eq!(got, expect, "parsing inline {src:?}");
    }

    fn show_parsed(src: &str, p: &Parsed) -> String {
        let stmt = match &p.stmt {
            Stmt::Let { name, expr, .. } => format!("(let {name} {})", sx(expr)),
            Stmt::Check { expr, stated } => format!("(check {}{})", sx(expr), st(stated)),
            Stmt::Show { rows, columns } => {
                let r = rows.as_ref().map(|(v, e)| format!("for {v} in {} ", sx(e))).unwrap_or_default();
                let cols: Vec<String> = columns
                    .iter()
                    .map(|c| {
                        let f = c.format.map(|f| format!(" {f:?}")).unwrap_or_default();
                        format!("{} as {:?}{f}", sx(&c.expr), c.label)
                    })
                    .collect();
                format!("(show {r}{})", cols.join(", "))
            }
            Stmt::Inline { bind, expr, stated } => {
                let b = bind.as_ref().map(|(n, _)| format!("{n} = ")).unwrap_or_default();
                format!("(inline {b}{}{})", sx(expr), st(stated))
            }
            Stmt::Widget { call } => format!("(widget {})", sx(call)),
        };
        let _ = src;
        match p.format {
            Some(f) => format!("{stmt} {f:?}"),
            None => stmt,
        }
    }

    fn st(s: &Option<StatedValue>) -> String {
        match s {
            None => String::new(),
            Some(s) => {
                let items: Vec<&str> = s.items.iter().map(|(x, _)| x.text.as_str()).collect();
                let tol = s.tolerance.as_ref().map(|(t, _)| format!(" ± {}", t.text)).unwrap_or_default();
                if s.is_vector {
                    format!(" ≈ [{}]{tol}", items.join(" "))
                } else {
                    format!(" ≈ {}{tol}", items.join(" "))
                }
            }
        }
    }

    fn sx(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Num(v) => format!("{v}"),
            ExprKind::Str(s) => format!("{s:?}"),
            ExprKind::Name(n) => n.clone(),
            ExprKind::Vector(v) => format!("[{}]", v.iter().map(sx).collect::<Vec<_>>().join(" ")),
            ExprKind::Neg(x) => format!("(- {})", sx(x)),
            ExprKind::Binary(op, a, b) => format!("({} {} {})", op.symbol(), sx(a), sx(b)),
            ExprKind::Index(a, i) => format!("{}[{}]", sx(a), sx(i)),
            ExprKind::Call { name, args, kwargs, .. } => {
                let mut parts: Vec<String> = args.iter().map(sx).collect();
                parts.extend(kwargs.iter().map(|(k, v)| format!("{k}={}", sx(v))));
                format!("{name}({})", parts.join(" "))
            }
        }
    }

    #[test]
    fn statements() {
        check("", "nothing");
        check("   # a comment", "nothing");
        check("z = [2.0, 1.0, 0.5]", "(let z [2 1 0.5])");
        check("p = softmax(z, T=0.5)  # comment", "(let p softmax(z T=0.5))");
        check("x = -2^2", "(let x (- (^ 2 2)))");
        check("x = 2^-1", "(let x (^ 2 (- 1)))");
        check("x = 1 - 2 - 3", "(let x (- (- 1 2) 3))");
        check("x = 1 + 2 * 3 / 4", "(let x (+ 1 (/ (* 2 3) 4)))");
        check("x = p[0] * (1 + 2)", "(let x (* p[0] (+ 1 2)))");
        check("x = 4.2e-18", "(let x 0.0000000000000000042)");
        check("check p[0] ≈ 0.659", "(check p[0] ≈ 0.659)");
        check("check p ~= [0.659, 0.242, 0.099]", "(check p ≈ [0.659 0.242 0.099])");
        check("check p[0] ≈ 97.8%", "(check p[0] ≈ 97.8%)");
        check("check x ≈ -4.3e-18", "(check x ≈ -4.3e-18)");
        check("check x ≈ 0.63 ± 0.01", "(check x ≈ 0.63 ± 0.01)");
        check("check x ≈ 0.63 +- 0.01", "(check x ≈ 0.63 ± 0.01)");
        check("check argmax(p) == 0", "(check (== argmax(p) 0))");
        check("check a <= b", "(check (<= a b))");
        check("show z as \"logit\", exp(z), p; dp=3", "(show z as \"logit\", exp(z) as \"exp(z)\", p as \"p\") Dp(3)");
        check(
            "show for t in [0.5, 1]: t, softmax(z, T=t)[0]",
            "(show for t in [0.5 1] t as \"t\", softmax(z T=t)[0] as \"softmax(z, T=t)[0]\")",
        );
        check("labels = [\"cat\", \"dog\"]", "(let labels [\"cat\" \"dog\"])");
        check("check = 3", "(let check 3)");
        check("x = ", "error 4..4: expected an expression, found end of input");
        check("x = 1 2", "error 6..7: expected end of statement, found `2`");
        check("x = (1", "error 6..6: expected `)` to close the parenthesis, found end of input");
        check("x = 1 $ 2", "error 6..7: unexpected character `$`");
        check("x = \"abc", "error 4..8: unterminated string");
        check(
            "check x ≈ abc",
            "error 12..15: expected a stated number such as `0.629`, `97.1%` or `4.2e-18`, found `abc`",
        );
        check("show t as \"T\": dp=1, p: auto; dp=3", "error 28..29: expected `=` after the option name, found `;`");
        check("show t as \"T\": dp=1, p; dp=3", "(show t as \"T\" Dp(1), p as \"p\") Dp(3)");
        check("show x; dp=2, sig=3", "error 14..17: more than one number format given");
        check("show x; digits=2", "error 8..14: unknown option `digits` (expected dp, sig, pct or sci)");
        check("f(a=1, 2)", "error 0..1: expected a statement (`NAME = EXPR`, `check ...` or `show ...`), found `f`");
        check("x = f(a=1, 2)", "error 11..12: positional argument after a keyword argument, found `2`");
        check("x = 1.2.3", "error 4..9: `1.2.3` is not a number");
        check("widget softmax(z, T=0.5, y=1)", "(widget softmax(z T=0.5 y=1))");
        check("widget = 2", "(let widget 2)");
        check("widget", "error 6..6: expected an expression, found end of input");
    }

    #[test]
    fn inline_forms() {
        check_inline("p[0]", "(inline p[0])");
        check_inline("p0 = p[0]", "(inline p0 = p[0])");
        check_inline(
            "softmax([1.0, 2.0, 3.0]) ≈ [0.090, 0.245, 0.665]",
            "(inline softmax([1 2 3]) ≈ [0.090 0.245 0.665])",
        );
        check_inline("p[0]; pct=1", "(inline p[0]) Pct(1)");
        check_inline("a < b", "(inline (< a b))");
        check_inline("", "error 0..0: expected an expression, found end of input");
    }
}
