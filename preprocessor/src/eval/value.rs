//! The values lemma computes: numbers, vectors, matrices and strings, and
//! how they print.

use std::fmt;

/// A computed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A finite number.
    Num(f64),
    /// A vector of finite numbers.
    Vector(Vec<f64>),
    /// A matrix of finite numbers (rows of logits, say).
    Matrix(Matrix),
    /// A string.
    Str(String),
    /// A vector of strings (class labels, say).
    Strings(Vec<String>),
    /// A truth value, from a comparison.
    Bool(bool),
}

impl Value {
    /// A short name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Num(_) => "a number",
            Value::Vector(_) => "a vector",
            Value::Matrix(_) => "a matrix",
            Value::Str(_) => "a string",
            Value::Strings(_) => "a vector of strings",
            Value::Bool(_) => "a boolean",
        }
    }

    /// The number of rows this value fills in a table: a vector's length, 1
    /// otherwise (a matrix is never shown whole: see [`Value::unshown`]).
    pub fn rows(&self) -> usize {
        match self {
            Value::Vector(v) => v.len(),
            Value::Matrix(m) => m.rows(),
            Value::Strings(v) => v.len(),
            _ => 1,
        }
    }
}

impl Value {
    /// Why this value cannot be shown whole (in prose or a table), if it
    /// cannot: a matrix must be reduced first.
    pub fn unshown(&self) -> Option<String> {
        match self {
            Value::Matrix(m) => Some(format!(
                "a matrix ({} rows, {} columns) cannot be shown whole: reduce it first, to a row with `row(M, i)`, a column with `column(M, j)`, or a number with a function such as `accuracy` or `rows`",
                m.rows(),
                m.cols()
            )),
            _ => None,
        }
    }
}

/// A matrix: `rows x cols` finite numbers, row-major, at least one row and
/// one column.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub(super) cols: usize,
    pub(super) data: Vec<f64>,
}

impl Matrix {
    /// The matrix of `data` (row-major) with `cols` columns; `None` unless
    /// there is at least one row and one column and `data` fills its rows.
    pub fn new(cols: usize, data: Vec<f64>) -> Option<Matrix> {
        (cols > 0 && !data.is_empty() && data.len().is_multiple_of(cols)).then_some(Matrix { cols, data })
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.data.len() / self.cols
    }

    /// The number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The numbers, row after row.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// Row `i` (`i < rows()`).
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// The rows.
    pub fn row_iter(&self) -> impl Iterator<Item = &[f64]> {
        self.data.chunks_exact(self.cols)
    }

    /// The same shape, `f` applied to every number.
    pub(super) fn map(&self, f: impl Fn(f64) -> f64) -> Matrix {
        Matrix { cols: self.cols, data: self.data.iter().map(|&x| f(x)).collect() }
    }
}

impl fmt::Display for Matrix {
    /// In full for a small matrix; a large one by its shape and its first
    /// numbers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let row = |r: &[f64], n: usize| {
            let mut parts: Vec<String> = r.iter().take(n).map(|x| crate::format::full(*x)).collect();
            if r.len() > n {
                parts.push("...".into());
            }
            format!("[{}]", parts.join(", "))
        };
        if self.data.len() <= 24 {
            let rows: Vec<String> = self.row_iter().map(|r| row(r, r.len())).collect();
            return write!(f, "[{}]", rows.join(", "));
        }
        let mut rows: Vec<String> = self.row_iter().take(2).map(|r| row(r, 6)).collect();
        if self.rows() > 2 {
            rows.push("...".into());
        }
        write!(f, "a {} x {} matrix [{}]", self.rows(), self.cols, rows.join(", "))
    }
}

impl fmt::Display for Value {
    /// Full precision, for messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Num(v) => write!(f, "{}", crate::format::full(*v)),
            Value::Vector(v) => {
                let parts: Vec<String> = v.iter().map(|x| crate::format::full(*x)).collect();
                write!(f, "[{}]", parts.join(", "))
            }
            Value::Matrix(m) => write!(f, "{m}"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Strings(v) => write!(f, "{v:?}"),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}
