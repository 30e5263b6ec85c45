//! Phase 4: turn computed values into the text that replaces a form.
//!
//! Inline values become plain text (escaped for Markdown in prose, verbatim
//! in code). Tables become one line of balanced HTML with every string
//! escaped, so Markdown never re-parses half of it.

use crate::eval::Value;
use crate::format::{Format, format_num};
use crate::parse::markdown::Context;

/// A value as text, in the given number format.
pub fn value_text(v: &Value, f: Format) -> String {
    match v {
        Value::Num(x) => format_num(*x, f),
        Value::Vector(xs) => {
            let parts: Vec<String> = xs.iter().map(|x| format_num(*x, f)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Str(s) => s.clone(),
        Value::Strings(v) => format!("[{}]", v.join(", ")),
        Value::Bool(b) => b.to_string(),
    }
}

/// The replacement text of an inline form.
pub fn inline(text: &str, context: Context) -> String {
    match context {
        Context::Code => text.to_string(),
        Context::Prose => escape_markdown(text),
    }
}

/// Escapes text for Markdown prose: every character that could start markup
/// gets a backslash, and `<`/`&` become entities.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
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

/// Escapes text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // No raw line breaks: an HTML block ends at a blank line.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    out
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

/// One line of HTML for a table.
pub fn table_html(t: &Table, f: Format) -> String {
    let mut out = String::from("<div class=\"lemma-table\"><table><thead><tr>");
    for h in &t.headers {
        out.push_str("<th scope=\"col\">");
        out.push_str(&escape_html(h));
        out.push_str("</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let f = t.formats.get(i).copied().flatten().unwrap_or(f);
            let class = match cell {
                Value::Num(_) | Value::Vector(_) => " class=\"num\"",
                _ => "",
            };
            out.push_str(&format!("<td{class}>{}</td>", escape_html(&value_text(cell, f))));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
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
    fn echo() {
        assert_eq!(echo_source(&["x = 1".into()]), "```text\nx = 1\n```");
        assert_eq!(echo_source(&["s = \"````\"".into()]), "`````text\ns = \"````\"\n`````");
    }
}
