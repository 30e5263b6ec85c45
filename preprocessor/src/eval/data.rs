//! Data files for `load`: the one door from evaluation to the book's files,
//! and the parsing of what comes through it. Pure: the bytes come from a
//! [`Source`] that the caller supplies (`crate::files::BookFiles` reads the
//! book root; tests supply their own), and every file asked for is recorded
//! with a hash of its content ([`Loaded`]), so that the serve cache can tell
//! when a chapter's data changed.
//!
//! Formats:
//!
//! - CSV: a header line of column names, then one line of numbers per row,
//!   separated by commas (spaces around a cell are ignored; `\r\n` line
//!   ends and a byte order mark are accepted). Quoted fields are refused,
//!   not half-read: lemma reads plain numbers.
//! - JSON: a number, an array of numbers, or an array of equal-length
//!   arrays of numbers, at the root or at a dotted key path (`test.logits`;
//!   a part that is a whole number indexes an array).

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Matrix, Value, edit_distance};

/// Where `load` reads from: the files under a book root.
pub trait Source: Send + Sync + fmt::Debug {
    /// The content of `path`, a normalised path relative to the book root
    /// ([`book_path`]), or why it cannot be read (a phrase such as "no
    /// such file").
    ///
    /// # Errors
    /// Why the file cannot be read.
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
}

/// One file a chapter loaded, or tried to: the serve cache re-reads these
/// and uses a kept result only when every hash is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loaded {
    /// The path relative to the book root, normalised.
    pub path: String,
    /// [`content_hash`] of what was read; `None` when it could not be read.
    pub hash: Option<String>,
}

/// A hash of a file's content (SHA-256, hex).
pub fn content_hash(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Evaluation's access to data files: the source (none for a chapter
/// processed without a book) and the record of what was loaded.
#[derive(Debug, Default, Clone)]
pub struct Data {
    source: Option<Arc<dyn Source>>,
    loaded: RefCell<Vec<Loaded>>,
}

impl Data {
    /// Data read from `source`.
    pub fn new(source: Arc<dyn Source>) -> Data {
        Data { source: Some(source), loaded: RefCell::default() }
    }

    /// The content of `path` (normalised, [`book_path`]), recorded.
    ///
    /// # Errors
    /// Why it cannot be read.
    pub fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        let Some(source) = &self.source else {
            return Err("this chapter is processed without a book root, so no file can be loaded".into());
        };
        let got = source.read(path);
        let mut loaded = self.loaded.borrow_mut();
        if !loaded.iter().any(|l| l.path == path) {
            loaded.push(Loaded { path: path.to_string(), hash: got.as_ref().ok().map(|b| content_hash(b)) });
        }
        got
    }

    /// The files read so far, in the order first read.
    pub fn loaded(&self) -> Vec<Loaded> {
        self.loaded.borrow().clone()
    }
}

/// `path` normalised relative to the book root: `/`-separated, without
/// `.` or empty parts, and `..` resolved.
///
/// # Errors
/// An empty path, an absolute one, a backslash, or a `..` that leaves the
/// book root.
pub fn book_path(path: &str) -> Result<String, String> {
    if path.trim().is_empty() {
        return Err("the path is empty".into());
    }
    if path.contains('\\') {
        return Err(format!("`{path}` has a backslash: separate directories with `/`"));
    }
    let first = path.split('/').next().unwrap_or("");
    if path.starts_with('/') || first.contains(':') {
        return Err(format!(
            "`{path}` is absolute: give a path relative to the book root (the directory with book.toml)"
        ));
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("`{path}` leaves the book root: data must be inside the book"));
                }
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(format!("`{path}` names the book root, not a file"));
    }
    Ok(parts.join("/"))
}

/// Which argument of `load` an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// The path (the file, its content).
    Path,
    /// The selection (a column or key that is not there).
    Select,
}

/// Why a file's content could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The message, with `path:line:column` when it is about a place in
    /// the file.
    pub message: String,
    /// The argument it is about.
    pub at: At,
}

fn at_path<T>(message: String) -> Result<T, LoadError> {
    Err(LoadError { message, at: At::Path })
}

fn at_select<T>(message: String) -> Result<T, LoadError> {
    Err(LoadError { message, at: At::Select })
}

/// The value of the file `path` (already normalised) with content `bytes`:
/// all of it, or the part `select` names.
///
/// # Errors
/// A file that is not UTF-8, not in its format, or has no such part.
pub fn parse(path: &str, bytes: &[u8], select: Option<&str>) -> Result<Value, LoadError> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".json") {
        json(path, bytes, select)
    } else if lower.ends_with(".csv") {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let before = &bytes[..e.valid_up_to()];
                let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                return at_path(format!("{path}:{line}: the file is not UTF-8 text"));
            }
        };
        csv(path, text, select)
    } else {
        at_path(format!("`load` reads `.csv` and `.json` files, and `{path}` is neither"))
    }
}

/// The closest of `names` to `name`, as a hint, or the list of names.
fn hint(name: &str, names: &[&str], what: &str) -> String {
    let close = names.iter().map(|n| (edit_distance(name, n), *n)).filter(|(d, _)| *d <= 2).min_by_key(|(d, _)| *d);
    match close {
        Some((_, n)) => format!("did you mean `{n}`?"),
        None => {
            let shown: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
            let more = if names.len() > shown.len() { ", ..." } else { "" };
            format!("its {what} are {}{more}", shown.join(", "))
        }
    }
}

/// One line of a CSV file: its number and its cells with their columns.
struct Line<'t> {
    number: usize,
    cells: Vec<(usize, &'t str)>,
}

fn split_line(number: usize, line: &str) -> Line<'_> {
    let mut cells = Vec::new();
    let mut col = 1;
    for cell in line.split(',') {
        cells.push((col, cell));
        col += cell.chars().count() + 1;
    }
    Line { number, cells }
}

fn csv(path: &str, text: &str, select: Option<&str>) -> Result<Value, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<(usize, &str)> =
        text.split('\n').enumerate().map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l))).collect();
    while lines.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        lines.pop();
    }
    for &(n, l) in &lines {
        if let Some(i) = l.find('"') {
            let col = l[..i].chars().count() + 1;
            return at_path(format!(
                "{path}:{n}:{col}: quoted fields are not supported: lemma reads plain comma-separated numbers"
            ));
        }
    }
    let Some(&(_, head)) = lines.first() else {
        return at_path(format!("{path} is empty: expected a header line of column names, then rows of numbers"));
    };
    let header = split_line(1, head);
    let mut names: Vec<&str> = Vec::with_capacity(header.cells.len());
    for (k, &(col, cell)) in header.cells.iter().enumerate() {
        let name = cell.trim();
        if name.is_empty() {
            return at_path(format!("{path}:1:{col}: column {} of the header has no name", k + 1));
        }
        if name.parse::<f64>().is_ok() {
            return at_path(format!(
                "{path}:1:{col}: the first line must name the columns, but it holds the number `{name}`: add a header line"
            ));
        }
        if let Some(j) = names.iter().position(|n| *n == name) {
            return at_path(format!(
                "{path}:1:{col}: the header names `{name}` twice (columns {} and {})",
                j + 1,
                k + 1
            ));
        }
        names.push(name);
    }
    let rows: Vec<Line> = lines[1..].iter().map(|&(n, l)| split_line(n, l)).collect();
    if rows.is_empty() {
        return at_path(format!("{path} has a header but no rows of data"));
    }
    for r in &rows {
        if r.cells.len() == 1 && r.cells[0].1.trim().is_empty() {
            return at_path(format!("{path}:{}: an empty line among the rows", r.number));
        }
        if r.cells.len() != names.len() {
            return at_path(format!(
                "{path}:{}: this row has {} cells, but the header has {} columns",
                r.number,
                r.cells.len(),
                names.len()
            ));
        }
    }
    let find = |name: &str| -> Result<usize, LoadError> {
        match names.iter().position(|n| *n == name) {
            Some(i) => Ok(i),
            None => at_select(format!("{path} has no column `{name}` ({})", hint(name, &names, "columns"))),
        }
    };
    let (first, last, vector) = match select {
        None => (0, names.len() - 1, false),
        Some(s) => match s.split_once(':') {
            Some((a, b)) => {
                let (i, j) = (find(a.trim())?, find(b.trim())?);
                if i > j {
                    return at_select(format!(
                        "in {path}, column `{}` comes after `{}`: write the range from left to right",
                        a.trim(),
                        b.trim()
                    ));
                }
                (i, j, false)
            }
            None => {
                let i = find(s.trim())?;
                (i, i, true)
            }
        },
    };
    let cols = last - first + 1;
    let mut data = Vec::with_capacity(rows.len() * cols);
    for r in &rows {
        for (k, &(col, cell)) in r.cells[first..=last].iter().enumerate() {
            let cell = cell.trim();
            match cell.parse::<f64>() {
                Ok(x) if x.is_finite() => data.push(x),
                _ => {
                    let what = if cell.is_empty() { "an empty cell".to_string() } else { format!("`{cell}`") };
                    return at_path(format!(
                        "{path}:{}:{col}: {what} in column `{}` is not a finite number",
                        r.number,
                        names[first + k]
                    ));
                }
            }
        }
    }
    if vector {
        return Ok(Value::Vector(data));
    }
    match Matrix::new(cols, data) {
        Some(m) => Ok(Value::Matrix(m)),
        None => at_path(format!("{path} has no data")),
    }
}

fn json(path: &str, bytes: &[u8], select: Option<&str>) -> Result<Value, LoadError> {
    let root: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            let full = e.to_string();
            let what = full.split(" at line ").next().unwrap_or(&full);
            return at_path(format!("{path}:{}:{}: not valid JSON: {what}", e.line(), e.column()));
        }
    };
    let mut v = &root;
    let mut so_far = String::new();
    if let Some(sel) = select {
        for key in sel.split('.') {
            let here = if so_far.is_empty() { "the top level".to_string() } else { format!("`{so_far}`") };
            v = match v {
                serde_json::Value::Object(m) => match m.get(key) {
                    Some(x) => x,
                    None => {
                        let keys: Vec<&str> = m.keys().map(String::as_str).collect();
                        return at_select(format!(
                            "{path} has no key `{key}` in {here} ({})",
                            hint(key, &keys, "keys")
                        ));
                    }
                },
                serde_json::Value::Array(a) => match key.parse::<usize>().ok().and_then(|i| a.get(i)) {
                    Some(x) => x,
                    None => {
                        return at_select(format!(
                            "{path}: {here} is an array of {}, and `{key}` is not an index into it",
                            a.len()
                        ));
                    }
                },
                other => {
                    return at_select(format!("{path}: {here} is {}, so it has no key `{key}`", json_kind(other)));
                }
            };
            if !so_far.is_empty() {
                so_far.push('.');
            }
            so_far.push_str(key);
        }
    }
    let name = if so_far.is_empty() { "the top level".to_string() } else { format!("`{so_far}`") };
    let shape = |why: String| -> Result<Value, LoadError> {
        at_path(format!(
            "{path}: {name} must be a number, an array of numbers or an array of equal-length arrays of numbers, but {why}"
        ))
    };
    match v {
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(x) if x.is_finite() => Ok(Value::Num(x)),
            _ => shape(format!("{n} is not a finite number")),
        },
        serde_json::Value::Array(items) if items.is_empty() => shape("it is empty".into()),
        serde_json::Value::Array(items) => {
            if !items[0].is_array() {
                if let Some(i) = items.iter().position(|x| !x.is_number()) {
                    return shape(format!("element {i} is {}", json_kind(&items[i])));
                }
                return match numbers(items) {
                    Ok(xs) => Ok(Value::Vector(xs)),
                    Err(i) => shape(format!("element {i} is not finite")),
                };
            }
            let mut data = Vec::new();
            let mut cols = None;
            for (i, item) in items.iter().enumerate() {
                let serde_json::Value::Array(row) = item else {
                    return shape(format!("element {i} is {} where element 0 is an array", json_kind(item)));
                };
                if let Some(j) = row.iter().position(|x| !x.is_number()) {
                    return shape(format!("element {j} of row {i} is {}", json_kind(&row[j])));
                }
                if *cols.get_or_insert(row.len()) != row.len() {
                    return shape(format!("row {i} has {} numbers and row 0 has {}", row.len(), cols.unwrap_or(0)));
                }
                match numbers(row) {
                    Ok(xs) => data.extend(xs),
                    Err(j) => return shape(format!("element {j} of row {i} is not finite")),
                }
            }
            match Matrix::new(cols.unwrap_or(0), data) {
                Some(m) => Ok(Value::Matrix(m)),
                None => shape("its rows are empty".into()),
            }
        }
        other => shape(format!("it is {}", json_kind(other))),
    }
}

/// The numbers of a JSON array of numbers, or the index of one that is
/// not a finite double.
fn numbers(items: &[serde_json::Value]) -> Result<Vec<f64>, usize> {
    items.iter().enumerate().map(|(i, x)| x.as_f64().filter(|x| x.is_finite()).ok_or(i)).collect()
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
