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
mod tests {
    use super::*;

    fn check(v: Value, f: Format, context: Context, expect: &str) {
        assert_eq!(inline(&value_text(&v, f), context), expect);
    }

    #[test]
    fn inline_values() {
        check(Value::Num(0.6590011388859679), Format::Auto, Context::Prose, "0.659");
        check(Value::Vector(vec![0.659, 0.242]), Format::Dp(2), Context::Prose, "\\[0.66, 0.24\\]");
        check(Value::Vector(vec![0.659, 0.242]), Format::Dp(2), Context::Code, "[0.66, 0.24]");
        check(
            Value::Str("<script>*x*</script>".into()),
            Format::Auto,
            Context::Prose,
            "&lt;script&gt;\\*x\\*&lt;/script&gt;",
        );
        check(Value::Bool(true), Format::Auto, Context::Prose, "true");
        check(Value::Num(-0.0001), Format::Dp(3), Context::Prose, "0.000");
    }

    #[test]
    fn tables() {
        let t = Table {
            headers: vec!["class".into(), "p \"<x>\"".into()],
            rows: vec![vec![Value::Str("cat</table>".into()), Value::Num(0.5)]],
            formats: vec![None, None],
        };
        assert_eq!(
            table_html(&t, Format::Dp(2)),
            "<div class=\"lemma-table\"><table><thead><tr><th scope=\"col\">class</th><th scope=\"col\">p &quot;&lt;x&gt;&quot;</th></tr></thead><tbody><tr><td>cat&lt;/table&gt;</td><td class=\"num\">0.50</td></tr></tbody></table></div>"
        );
    }

    #[test]
    fn column_formats() {
        let t = Table {
            headers: vec!["T".into(), "p".into(), "winner".into()],
            rows: vec![vec![Value::Num(0.1), Value::Num(0.99995), Value::Num(0.0)]],
            formats: vec![Some(Format::Dp(1)), None, Some(Format::Auto)],
        };
        let html = table_html(&t, Format::Dp(3));
        assert!(
            html.contains("<td class=\"num\">0.1</td><td class=\"num\">1.000</td><td class=\"num\">0</td>"),
            "{html}"
        );
    }

    #[test]
    fn one_precision_per_column() {
        let t = Table {
            headers: vec!["a".into(), "b".into(), "c".into(), "d".into(), "e".into()],
            rows: vec![
                vec![Value::Num(1.03), Value::Num(2.0), Value::Num(3.0), Value::Num(4.54e-5), Value::Num(-150.25)],
                vec![Value::Num(0.728), Value::Num(0.5), Value::Num(-1.0), Value::Num(3.06e-7), Value::Num(2.5)],
            ],
            formats: vec![None, None, None, None, None],
        };
        let html = table_html(&t, Format::Auto);
        let cells: Vec<&str> =
            html.split("<td class=\"num\">").skip(1).map(|c| &c[..c.find('<').unwrap_or(0)]).collect();
        assert_eq!(
            cells,
            ["1.03", "2.00", "3", "4.54e\u{2212}5", "\u{2212}150", "0.73", "0.50", "\u{2212}1", "3.06e\u{2212}7", "2"]
        );
        assert_eq!(column_format(&t, 0), Format::Dp(2));
        let rounds_up = Table { headers: vec!["p".into()], rows: vec![vec![Value::Num(0.9996)]], formats: vec![None] };
        assert_eq!(column_format(&rounds_up, 0), Format::Dp(2));
    }

    #[test]
    fn minus_signs() {
        assert_eq!(true_minus("-0.5"), "\u{2212}0.5");
        assert_eq!(true_minus("[-1.5, 2, -.5]"), "[\u{2212}1.5, 2, \u{2212}.5]");
        assert_eq!(true_minus("4.2e-18"), "4.2e\u{2212}18");
        assert_eq!(true_minus("cross-entropy class-1 a - b"), "cross-entropy class-1 a - b");
        assert_eq!(inline("-0.46", Context::Prose), "\u{2212}0.46");
        assert_eq!(inline("-0.46", Context::Code), "-0.46");
    }

    /// The one-pass escaping and signs as they were first written, one
    /// character at a time: the faster ones must give the same text.
    fn reference_true_minus(text: &str) -> std::borrow::Cow<'_, str> {
        if !text.contains('-') {
            return text.into();
        }
        let b = text.as_bytes();
        let mut out = String::with_capacity(text.len() + 4);
        for (i, c) in text.char_indices() {
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
            if c == '-' && digit_follows && sign_place {
                out.push('\u{2212}');
            } else {
                out.push(c);
            }
        }
        out.into()
    }

    fn reference_escape_markdown(s: &str) -> String {
        // Room for a backslash before a few specials (a vector's brackets).
        let mut out = String::with_capacity(s.len() + s.len() / 4 + 8);
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
        for (i, c) in s.char_indices() {
            // Letters, digits and spaces are written as they are (none of the
            // rules below applies to them): most of a value.
            if c.is_ascii_alphanumeric() || c == ' ' {
                out.push(c);
                continue;
            }
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
        out
    }

    /// Every string of up to four characters from an alphabet of the
    /// characters the rules look at (and some they do not).
    fn short_strings(alphabet: &[char], len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..len {
            last = last.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn same_as_one_character_at_a_time() {
        let alphabet = ['-', '+', '.', ')', '1', 'e', ' ', '[', '=', '<', '\\', '\n', '\u{2212}', '\u{a0}', 'x'];
        for s in short_strings(&alphabet, 4) {
            assert_eq!(true_minus(&s), reference_true_minus(&s), "true_minus({s:?})");
            assert_eq!(escape_markdown(&s), reference_escape_markdown(&s), "escape_markdown({s:?})");
            let signed = true_minus(&s);
            assert_eq!(escape_markdown(&signed), reference_escape_markdown(&signed), "escape_markdown({signed:?})");
            let reference = reference_escape_markdown(&reference_true_minus(&s));
            assert_eq!(prose(&s), reference, "prose({s:?})");
            assert_eq!(inline(&s, Context::Prose), reference, "inline({s:?})");
        }
        for s in ["[0.214, -0.144, 1.5e-7]", "-1. x", "12) y", "1...2", "--", "+++", "0.5.", "a\r\nb", "&'\"`*_|#!~{}$"]
        {
            assert_eq!(prose(s), reference_escape_markdown(&reference_true_minus(s)), "{s:?}");
        }
    }

    #[test]
    fn prose_numbers_as_escaped_text() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -0.5,
            0.0005,
            -0.00049,
            1e-4,
            -9.99e-5,
            0.214,
            12345.678,
            -999999.5,
            1e6,
            -1e15,
            1e15,
            2.5e-300,
            -4.28e-18,
            1.0 / 3.0,
            -2.0 / 3.0,
            97.8,
            0.9995,
            -0.9996,
            123456789.0,
        ];
        let formats = [
            Format::Auto,
            Format::Dp(0),
            Format::Dp(3),
            Format::Dp(12),
            Format::Sig(1),
            Format::Sig(3),
            Format::Pct(1),
            Format::Sci(1),
            Format::Sci(3),
        ];
        for f in formats {
            for &x in &values {
                let v = Value::Num(x);
                assert_eq!(prose_numbers(&v, f), Some(inline(&value_text(&v, f), Context::Prose)), "{x:e} {f:?}");
            }
            for v in [Value::Vector(values.to_vec()), Value::Vector(vec![]), Value::Vector(vec![-1.5])] {
                assert_eq!(prose_numbers(&v, f), Some(inline(&value_text(&v, f), Context::Prose)), "{v:?} {f:?}");
            }
        }
        assert_eq!(prose_numbers(&Value::Str("-1".into()), Format::Auto), None);
    }

    #[test]
    fn echo() {
        assert_eq!(echo_source(&["x = 1".into()]), "```text\nx = 1\n```");
        assert_eq!(echo_source(&["s = \"````\"".into()]), "`````text\ns = \"````\"\n`````");
    }
}
