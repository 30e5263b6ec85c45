//! Phase 4: turn computed values into the text that replaces a form.
//!
//! Inline values become plain text (escaped for Markdown in prose, verbatim
//! in code). Tables become one line of balanced HTML with every string
//! escaped, so Markdown never re-parses half of it.

use crate::eval::Value;
use crate::format::{Format, format_num, write_num};
use crate::html::{Html, entity, escape_html};
use crate::parse::markdown::Context;

/// The most numbers or strings lemma writes for one form (an inline value,
/// or the cells of one table): more is surely a mistake, and a bound keeps
/// the size of a page (and the time to build it) bounded.
pub const MAX_SHOWN: usize = 10_000;

/// Why a value (or table) of `n` items is not shown, if it is not.
pub fn too_many(n: usize, what: &str) -> Option<String> {
    (n > MAX_SHOWN).then(|| format!("{what} has at least {n} entries, more than lemma shows ({MAX_SHOWN})"))
}

/// A value as text, in the given number format.
pub fn value_text(v: &Value, f: Format) -> String {
    let mut out = String::new();
    write_value(&mut out, v, f);
    out
}

/// Appends [`value_text`] to `out`.
pub fn write_value(out: &mut String, v: &Value, f: Format) {
    match v {
        Value::Num(x) => {
            out.reserve(8);
            write_num(out, *x, f);
        }
        Value::Vector(xs) => write_numbers(out, xs, f),
        Value::Matrix(m) => {
            // Never shown whole in a chapter (`Value::unshown`); written row
            // by row for completeness.
            out.push('[');
            for (i, r) in m.row_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_numbers(out, r, f);
            }
            out.push(']');
        }
        Value::Str(s) => out.push_str(s),
        Value::Strings(v) => {
            out.push('[');
            for (i, s) in v.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(s);
            }
            out.push(']');
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
    }
}

/// `inline(&value_text(v, f), Context::Prose)` for a number or a vector of
/// numbers (`None` for other values), written directly.
///
/// A printed number is digits, at most one point between digits, an
/// exponent `e` after a digit, `%`, and a `-` that is always a sign (at the
/// start, after `[` or a space in a vector, or after the `e` of an
/// exponent): in prose each `-` becomes a true minus, the brackets of a
/// vector are escaped, and nothing else is changed.
pub fn prose_numbers(v: &Value, f: Format) -> Option<String> {
    let xs: &[f64] = match v {
        Value::Num(x) => std::slice::from_ref(x),
        Value::Vector(xs) => xs,
        _ => return None,
    };
    let vector = matches!(v, Value::Vector(_));
    let mut out = String::with_capacity(4 + 10 * xs.len());
    if vector {
        out.push_str("\\[");
    }
    for (i, x) in xs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let start = out.len();
        write_num(&mut out, *x, f);
        if out.as_bytes()[start..].contains(&b'-') {
            let signed = out[start..].replace('-', "\u{2212}");
            out.truncate(start);
            out.push_str(&signed);
        }
    }
    if vector {
        out.push_str("\\]");
    }
    Some(out)
}

/// `[x, y, ...]`, each number in format `f`.
fn write_numbers(out: &mut String, xs: &[f64], f: Format) {
    out.reserve(2 + 8 * xs.len());
    out.push('[');
    for (i, x) in xs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_num(out, *x, f);
    }
    out.push(']');
}

/// The replacement text of an inline form. In code it is verbatim (line
/// breaks become spaces); see [`code_conflict`] for what code cannot hold.
pub fn inline(text: &str, context: Context) -> String {
    let one_line = || text.replace(['\n', '\r'], " ");
    match context {
        Context::Code => one_line(),
        Context::TableCode => one_line().replace('|', "\\|"),
        Context::Prose => prose(text),
        Context::Html => escape_html(text),
    }
}

/// Writes the sign of each negative number in `text` as a true minus
/// (U+2212), as a reader expects in prose and tables (code keeps `-`): a
/// `-` before a digit (or `.digit`) at the start, after a space, `[`, `(`
/// or `,`, or in an exponent (`4.2e-18`). A hyphen between words stays.
pub fn true_minus(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    // The text between signs is copied as it is (a `-` is ASCII, so every
    // cut is at a character boundary).
    let mut out: Option<String> = None;
    let mut from = 0;
    for (i, _) in b.iter().enumerate().filter(|&(_, &c)| c == b'-') {
        if is_sign(b, i) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len() + 4));
            o.push_str(&text[from..i]);
            o.push('\u{2212}');
            from = i + 1;
        }
    }
    match out {
        None => text.into(),
        Some(mut o) => {
            o.push_str(&text[from..]);
            o.into()
        }
    }
}

/// Whether the `-` at byte `i` of `b` is the sign of a number ([`true_minus`]).
fn is_sign(b: &[u8], i: usize) -> bool {
    let next = b.get(i + 1).copied();
    let digit_follows = next.is_some_and(|n| n.is_ascii_digit())
        || (next == Some(b'.') && b.get(i + 2).is_some_and(u8::is_ascii_digit));
    let before = i.checked_sub(1).map(|j| b[j]);
    let sign_place = match before {
        None => true,
        Some(p) => {
            matches!(p, b' ' | b'[' | b'(' | b',' | b'=' | b'\t') || {
                // An exponent: a digit, then `e`, right before.
                matches!(p, b'e' | b'E') && i >= 2 && (b[i - 2].is_ascii_digit() || b[i - 2] == b'.')
            }
        }
    };
    digit_follows && sign_place
}

/// `escape_markdown(&true_minus(text))` in one pass.
///
/// A sign becomes a true minus, as [`true_minus`] makes it, and every other
/// character is escaped as [`escape_markdown`] would escape it in the text
/// with true minus signs: the rules that look at a neighbouring `-` see the
/// same thing in both, because a `-` next to another `-` is never a sign
/// (a sign is followed by a digit or a point, and a `-` is not a place for
/// one), and the rules that count leading digits or look for the start of
/// the text see no `-` before them.
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4 + 8);
    push_escaped_markdown(&mut out, text, true);
    out
}

/// Why `text` cannot be written verbatim inside code, if it cannot: a
/// backtick could end the code span around it and a run of `~~~` could
/// close a fence, after which the rest would be parsed as Markdown.
pub fn code_conflict(text: &str, context: Context) -> Option<String> {
    if !matches!(context, Context::Code | Context::TableCode) {
        return None;
    }
    if text.contains('`') {
        return Some(
            "this value contains a backtick, which could end the code around it: it cannot be shown inside code".into(),
        );
    }
    if text.contains("~~~") {
        return Some(
            "this value contains `~~~`, which could close the code block around it: it cannot be shown inside code"
                .into(),
        );
    }
    None
}

/// Escapes text for Markdown prose: every character that could start markup
/// gets a backslash, and `<`, `>`, `&` and quotes become entities (so the
/// text is also safe inside an HTML attribute).
///
/// At the start, a character that could open a block when the value stands
/// at the start of a line (`- x`, `+ x`, `1. x`) is escaped too, and `=` is
/// always an entity.
pub fn escape_markdown(s: &str) -> String {
    // Room for a backslash before a few specials (a vector's brackets).
    let mut out = String::with_capacity(s.len() + s.len() / 4 + 8);
    push_escaped_markdown(&mut out, s, false);
    out
}

/// The ASCII characters [`escape_markdown`] may change: all others (letters,
/// digits, spaces, `,`, `(`, every non-ASCII character...) are written as
/// they are.
const MARKDOWN_SPECIAL: [bool; 128] = {
    let mut t = [false; 128];
    let specials = b"-+.)<>&\"'=\\`*_[]|#!~{}$\n\r";
    let mut k = 0;
    while k < specials.len() {
        t[specials[k] as usize] = true;
        k += 1;
    }
    t
};

/// Appends [`escape_markdown`]`(s)` to `out`, or, with `signs`,
/// [`prose`]`(s)`.
fn push_escaped_markdown(out: &mut String, s: &str, signs: bool) {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let opens_block = |c: char, i: usize| {
        if !matches!(c, '-' | '+' | '.' | ')') {
            return false;
        }
        let next = s[i + c.len_utf8()..].chars().next();
        let ends_or_space = next.is_none_or(char::is_whitespace);
        match c {
            '-' | '+' => i == 0 && (ends_or_space || s.chars().all(|x| x == c)),
            '.' | ')' => i == digits && digits > 0 && ends_or_space,
            _ => false,
        }
    };
    // `--` and `...` would become dashes and an ellipsis (smart punctuation).
    let doubled =
        |c: char, i: usize| matches!(c, '-' | '.') && (s[..i].ends_with(c) || s[i + c.len_utf8()..].starts_with(c));
    // Runs of characters written as they are (most of a value) are copied
    // whole; a special character is ASCII, so every cut is at a character
    // boundary.
    let mut from = 0;
    for (i, &byte) in s.as_bytes().iter().enumerate() {
        if !MARKDOWN_SPECIAL.get(usize::from(byte)).copied().unwrap_or(false) {
            continue;
        }
        // A decimal point between digits (most of the specials of a value)
        // opens no block (a digit follows) and doubles nothing: as it is.
        if byte == b'.'
            && i > 0
            && s.as_bytes()[i - 1].is_ascii_digit()
            && s.as_bytes().get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            continue;
        }
        out.push_str(&s[from..i]);
        from = i + 1;
        if signs && byte == b'-' && is_sign(s.as_bytes(), i) {
            out.push('\u{2212}');
            continue;
        }
        let c = char::from(byte);
        if opens_block(c, i) || doubled(c, i) {
            out.push('\\');
            out.push(c);
            continue;
        }
        if let Some(e) = entity(c) {
            // As an entity, `=` also cannot underline a heading.
            out.push_str(e);
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' | '{' | '}' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out.push_str(&s[from..]);
}

/// A computed table: a header per column and the cells, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column labels.
    pub headers: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<Value>>,
    /// Each column's own number format, if it has one.
    pub formats: Vec<Option<Format>>,
}

/// The format of a table column that has none of its own, when the table
/// has none either ([`Format::Auto`]): one precision for the whole column.
/// A column of whole numbers prints them exactly; otherwise every number
/// gets the decimals that give the column's largest number three
/// significant digits (`1.03` and `0.73`, `2.00` and `0.50`), or, when
/// that largest number is below `1e-4`, three significant digits in
/// scientific notation.
pub fn column_format(t: &Table, i: usize) -> Format {
    let mut largest = 0f64;
    let mut whole = true;
    for row in &t.rows {
        let xs: &[f64] = match row.get(i) {
            Some(Value::Num(x)) => std::slice::from_ref(x),
            Some(Value::Vector(v)) => v,
            _ => &[],
        };
        for x in xs.iter().filter(|x| x.is_finite()) {
            whole &= x.fract() == 0.0;
            largest = largest.max(x.abs());
        }
    }
    if whole || largest == 0.0 {
        return Format::Auto;
    }
    // The decimal exponent of the largest number, once rounded to three
    // significant digits (0.9996 counts as 1.00).
    let e = format_num(largest, Format::Sci(3)).split_once('e').and_then(|(_, e)| e.parse::<i32>().ok()).unwrap_or(0);
    if e < -4 { Format::Sci(3) } else { Format::Dp((2 - e).clamp(0, 6) as u8) }
}

/// One line of HTML for a table.
pub fn table_html(t: &Table, f: Format) -> String {
    let cells: usize = t.rows.iter().map(Vec::len).sum();
    let mut h = Html::with_capacity(80 + 40 * t.headers.len() + 32 * cells);
    h.open("div").attr("class", "lemma-table");
    h.open("table");
    h.open("thead");
    h.open("tr");
    for header in &t.headers {
        h.open("th").attr("scope", "col").text(header);
    }
    h.close();
    h.close();
    h.open("tbody");
    // One buffer for every cell's text.
    let mut text = String::new();
    for row in &t.rows {
        h.open("tr");
        for (i, cell) in row.iter().enumerate() {
            let f = match t.formats.get(i).copied().flatten() {
                Some(own) => own,
                None if f == Format::Auto => column_format(t, i),
                None => f,
            };
            text.clear();
            write_value(&mut text, cell, f);
            let td = h.open("td");
            if matches!(cell, Value::Num(_) | Value::Vector(_)) {
                td.attr("class", "num").text(&true_minus(&text));
            } else {
                td.text(&text);
            }
        }
        h.close();
    }
    h.finish()
}

/// A block's source shown as a code block (for `lemma echo`), as lines
/// without container prefix.
pub fn echo_source(lines: &[String]) -> String {
    let longest = lines.iter().map(|l| run_of(l, '`')).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut out = format!("{fence}text\n");
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&fence);
    out
}

fn run_of(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for ch in s.chars() {
        if ch == c {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests;
