//! The lemma language: lexer and parser for one statement or inline form.
//!
//! Spans are byte ranges into the text that was parsed; the caller adds the
//! offset of that text in the chapter. A syntax error is a [`Diag`] located
//! the same way, labelled [`SYNTAX_ERROR`].
//!
//! `lexer.rs` turns the text into tokens, `parser.rs` holds the parser's
//! state and the expression grammar, `stmt.rs` the statements.

use std::ops::Range;

use crate::diagnostics::Diag;
use crate::format::{Format, Stated, Text};

mod lexer;
mod parser;
mod plain;
mod stmt;
#[cfg(test)]
mod tests;

/// A byte range in the parsed text.
pub type Span = Range<usize>;

/// The label under the caret of every syntax error.
pub const SYNTAX_ERROR: &str = "syntax error";

/// How deeply expressions may nest (parentheses, vectors, calls, indexes,
/// `-` and `^` chains). The parser and the evaluator recurse, so a limit
/// turns a stack overflow on hostile input into a located error.
pub const MAX_DEPTH: usize = 100;

/// A syntax error at `span` of the parsed text.
fn syntax_error(span: Span, message: impl Into<String>) -> Diag {
    Diag::error(span, message, SYNTAX_ERROR)
}

/// Parses one line of a lemma block. Returns `Ok(None)` for a blank or
/// comment line. An error is located in `src` and labelled [`SYNTAX_ERROR`].
pub fn parse_statement(src: &str) -> Result<Option<Parsed>, Diag> {
    stmt::statement(src).map_err(|d| hint(src, d))
}

/// Adds a note to a syntax error with a likely cause: `=` in a `check`
/// (meant `≈` or `==`), or a statement continued on the next line.
fn hint(src: &str, mut d: Diag) -> Diag {
    let at = src.get(d.range.clone()).unwrap_or("");
    if at == "=" && src.split_whitespace().next() == Some("check") {
        d.notes.push(
            "did you mean `≈` (a stated number: `check p[0] ≈ 0.629`) or `==` (a comparison that must be true)?".into(),
        );
    }
    let open = src.chars().filter(|c| matches!(c, '[' | '(')).count();
    let close = src.chars().filter(|c| matches!(c, ']' | ')')).count();
    let trailing = src.trim_end().ends_with([',', '+', '-', '*', '/', '^', '≈', '~', '=']);
    if d.message.ends_with("found end of input") && (open > close || trailing) {
        d.notes.push("a statement is one line: a lemma block reads each line as a statement, so write it on one line (or bind its parts to names on lines of their own)".into());
    }
    d
}

/// Parses the content of an inline form `{{lemma ...}}`. An error is
/// located in `src` and labelled [`SYNTAX_ERROR`].
pub fn parse_inline(src: &str) -> Result<Parsed, Diag> {
    stmt::inline(src)
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
    /// A name (inline up to [`Text::INLINE`] bytes: no allocation).
    Name(Text),
    /// `-x`.
    Neg(Box<Expr>),
    /// `a OP b` for arithmetic and comparison.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `v[i]`.
    Index(Box<Expr>, Box<Expr>),
    /// `v[a:b]`, either bound omitted: the components `a` to `b - 1`.
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `f(a, k=b)`.
    Call {
        /// The function name.
        name: Text,
        /// Where the function name was written.
        name_span: Span,
        /// Positional arguments.
        args: Vec<Expr>,
        /// Keyword arguments, in order.
        kwargs: Vec<(Text, Expr)>,
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
    /// `± tol`, if given: never written with a sign (a negative tolerance is
    /// a syntax error); `± 0` means exact.
    pub tolerance: Option<Box<(Stated, Span)>>,
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
    /// `plot KIND(ARGS)`: a figure drawn at build time (see [`crate::plot`]).
    Plot {
        /// The call naming the kind of chart and its arguments.
        call: Expr,
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
