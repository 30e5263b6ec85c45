//! Formulas: LaTeX rendered to MathML when the book is built, with
//! [`pulldown_latex`] (no JavaScript, no CDN).
//!
//! Two forms:
//!
//! - a fenced block whose info string is `math` is a display formula;
//! - `{{math LATEX}}` in prose is an inline formula. It ends at the `}}`
//!   that closes its braces (braces inside the LaTeX must balance, `\{` and
//!   `\}` excepted), on the same line. `\{{math ...}}` writes it literally.
//!
//! Inline `{{lemma ...}}` forms inside a formula are evaluated first and
//! their values written verbatim into the LaTeX. pulldown-latex never fails:
//! on bad input it emits `<merror>`. Here that is a located error instead.
//!
//! The MathML is one line whose text is entity-escaped (`<`, `>`, `&` and
//! every character Markdown could read as markup), so Markdown leaves it
//! alone wherever it stands.

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage};

/// A formula found in a chapter.
#[derive(Debug, Clone, PartialEq)]
pub struct MathForm {
    /// The whole form: from the opening fence (or `{{`) to the closing fence
    /// (or `}}`).
    pub range: Range<usize>,
    /// The LaTeX source, in the chapter.
    pub body: Range<usize>,
    /// A display formula (fenced block) rather than an inline one.
    pub display: bool,
}

const OPEN: &str = "{{math";

/// The formulas of a chapter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    /// The formulas, in document order.
    pub forms: Vec<MathForm>,
    /// The offsets of the backslashes of escaped `\{{math`.
    pub escapes: Vec<usize>,
    /// Inline formulas not closed on their line: from `{{` to the line end.
    pub unclosed: Vec<Range<usize>>,
}

/// Finds the formulas of a chapter. Inline formulas are not looked for in
/// code (blocks and spans).
pub fn find(src: &str) -> Found {
    if !src.contains("math") {
        return Found::default();
    }
    find_in(src, &crate::parse::markdown::events(src))
}

/// [`find`] over the [`events`](crate::parse::markdown::events) of `src`,
/// parsed already.
pub fn find_in(src: &str, events: &[(Event<'_>, Range<usize>)]) -> Found {
    let mut found = Found::default();
    if !src.contains("math") {
        return found;
    }
    let Found { forms, escapes, unclosed } = &mut found;
    let mut code: Vec<Range<usize>> = Vec::new();
    let mut current: Option<(Range<usize>, usize, usize)> = None;
    for (event, range) in events {
        let range = range.clone();
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                code.push(range.clone());
                if let CodeBlockKind::Fenced(info) = kind
                    && info.split_whitespace().next() == Some("math")
                {
                    current = Some((range.clone(), usize::MAX, 0));
                }
            }
            Event::Text(_) => {
                if let Some((_, s, e)) = &mut current {
                    *s = (*s).min(range.start);
                    *e = (*e).max(range.end);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((r, s, e)) = current.take() {
                    let body = if s == usize::MAX { r.start..r.start } else { s..e };
                    let end = src[..r.end].trim_end_matches(['\n', '\r']).len();
                    forms.push(MathForm { range: r.start..end, body, display: true });
                }
            }
            Event::Code(_) => code.push(range),
            _ => {}
        }
    }
    let code = crate::ranges::Ranges::new(code);
    let mut from = 0;
    while let Some(i) = src[from..].find(OPEN) {
        let at = from + i;
        from = at + OPEN.len();
        if code.contains(at) || !src[from..].starts_with(char::is_whitespace) {
            continue;
        }
        if at > 0 && src.as_bytes()[at - 1] == b'\\' {
            escapes.push(at - 1);
            continue;
        }
        match closing(src, from) {
            Some(end) => {
                let lead = src[from..end].len() - src[from..end].trim_start().len();
                forms.push(MathForm { range: at..end + 2, body: from + lead..end, display: false });
                from = end + 2;
            }
            None => unclosed.push(at..src[at..].find('\n').map_or(src.len(), |j| at + j)),
        }
    }
    forms.sort_by_key(|f| f.range.start);
    found
}

/// Where the `}}` closing an inline formula whose LaTeX starts at `from`
/// stands: the first `}}` at brace depth zero, on the same line.
pub fn closing(src: &str, from: usize) -> Option<usize> {
    let b = src.as_bytes();
    let mut depth = 0usize;
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'\n' => return None,
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' if depth == 0 => return (b.get(i + 1) == Some(&b'}')).then_some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Why a formula could not be rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct MathError {
    /// What pulldown-latex said.
    pub message: String,
    /// Its context lines.
    pub notes: Vec<String>,
}

/// Renders LaTeX to one line of MathML, text entity-escaped. Display
/// formulas are wrapped in `<div class="lemma-math">`.
pub fn render(latex: &str, display: bool) -> Result<String, MathError> {
    let storage = Storage::new();
    for ev in Parser::new(latex, &storage) {
        if let Err(e) = ev {
            let text = e.to_string();
            let mut lines = text.lines();
            let message = lines.next().unwrap_or("invalid LaTeX").trim_start_matches("parsing error: ").to_string();
            let notes = lines.map(str::to_string).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>();
            return Err(MathError { message: format!("this formula is not valid LaTeX: {message}"), notes });
        }
    }
    let storage = Storage::new();
    let mut raw = String::new();
    let config = RenderConfig {
        display_mode: if display { DisplayMode::Block } else { DisplayMode::Inline },
        ..RenderConfig::with_annotation(latex)
    };
    if let Err(e) = pulldown_latex::push_mathml(&mut raw, Parser::new(latex, &storage), config) {
        return Err(MathError { message: format!("this formula could not be rendered: {e}"), notes: Vec::new() });
    }
    if raw.contains("<merror") {
        return Err(MathError { message: "this formula is not valid LaTeX".into(), notes: Vec::new() });
    }
    let mathml = escape_text(&raw);
    Ok(if display { format!("<div class=\"lemma-math\">{mathml}</div>") } else { mathml })
}

/// Copies MathML, keeping tags and escaping text: `<` and `>` (which
/// pulldown-latex leaves raw in `<mo><</mo>`), a bare `&`, line breaks, and
/// every ASCII character Markdown might treat as markup.
pub fn escape_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + raw.len() / 4);
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let is_tag = c == b'<' && b.get(i + 1).is_some_and(|n| *n == b'/' || n.is_ascii_alphabetic());
        if is_tag && let Some(j) = raw[i..].find('>') {
            out.push_str(&raw[i..i + j + 1]);
            i += j + 1;
            continue;
        }
        let ch = raw[i..].chars().next().unwrap_or(' ');
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if is_entity(&raw[i..]) => out.push('&'),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' | '{' | '}' | '$' | '"' | '\'' => {
                out.push_str(&format!("&#{};", ch as u32))
            }
            _ => out.push(ch),
        }
        i += ch.len_utf8();
    }
    out
}

fn is_entity(s: &str) -> bool {
    let Some(end) = s.find(';') else { return false };
    let name = &s[1..end];
    end <= 12
        && !name.is_empty()
        && (name.chars().all(|c| c.is_ascii_alphanumeric())
            || name.strip_prefix('#').is_some_and(|n| {
                n.chars().all(|c| c.is_ascii_digit())
                    || n.strip_prefix(['x', 'X']).is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
            }))
}

/// The LaTeX of a display block's body with container prefixes (`> `,
/// list indentation) removed from every line after the first.
pub fn strip_prefix(body: &str, prefix: &str) -> String {
    let trimmed = prefix.trim_end();
    body.split('\n')
        .enumerate()
        .map(|(k, l)| if k == 0 { l } else { l.strip_prefix(prefix).or_else(|| l.strip_prefix(trimmed)).unwrap_or(l) })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(latex: &str, display: bool, expect: &str) {
        let got = match render(latex, display) {
            Ok(s) => s,
            Err(e) => format!("error: {}", e.message),
        };
        assert_eq!(got, expect, "rendering {latex:?}");
    }

    fn check_find(src: &str, expect: &str) {
        let f = find(src);
        let mut out: Vec<String> = f
            .forms
            .iter()
            .map(|f| format!("{} {:?} {:?}", if f.display { "block" } else { "inline" }, f.range, &src[f.body.clone()]))
            .collect();
        out.extend(f.escapes.iter().map(|e| format!("escape {e}")));
        out.extend(f.unclosed.iter().map(|e| format!("unclosed {e:?}")));
        assert_eq!(out.join("\n"), expect, "in {src:?}");
    }

    #[test]
    fn finds_forms() {
        check_find("a {{math x_i}} b", "inline 2..14 \"x_i\"");
        check_find(
            "{{math \\frac{e^{z_i}}{\\sum_j e^{z_j}}}} z",
            "inline 0..39 \"\\\\frac{e^{z_i}}{\\\\sum_j e^{z_j}}\"",
        );
        check_find("{{math p = {{lemma p[0]}}}}", "inline 0..27 \"p = {{lemma p[0]}}\"");
        check_find("```math\nx^2\n```\n", "block 0..15 \"x^2\\n\"");
        check_find("> ```math\n> a\n> b\n> ```\n", "block 2..23 \"a\\n> b\\n\"");
        check_find("`{{math x}}` and \\{{math y}}", "escape 17");
        check_find("{{math x\n}}", "unclosed 0..8");
        check_find("{{mathematics}}", "");
    }

    #[test]
    fn renders() {
        check(
            "x",
            false,
            "<math display=\"inline\"><semantics><mrow><mi>x</mi></mrow><annotation encoding=\"application/x-tex\">x</annotation></semantics></math>",
        );
        check(
            "a < b",
            false,
            "<math display=\"inline\"><semantics><mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow><annotation encoding=\"application/x-tex\">a &lt; b</annotation></semantics></math>",
        );
        check(
            "x_i",
            false,
            "<math display=\"inline\"><semantics><mrow><msub><mi>x</mi><mi>i</mi></msub></mrow><annotation encoding=\"application/x-tex\">x&#95;i</annotation></semantics></math>",
        );
        check(
            "\\frac{1}{2}",
            true,
            "<div class=\"lemma-math\"><math display=\"block\"><semantics><mrow><mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac></mrow><annotation encoding=\"application/x-tex\">&#92;frac&#123;1&#125;&#123;2&#125;</annotation></semantics></math></div>",
        );
        check(
            "\\frac{1}{",
            false,
            "error: this formula is not valid LaTeX: unbalanced group found, expected it to be closed with `}`",
        );
        check("\\nosuchcommand", false, "error: this formula is not valid LaTeX: unknown primitive command found");
    }

    #[test]
    fn escapes() {
        assert_eq!(escape_text("<mo><</mo><mo>&amp;</mo><mi>*</mi>"), "<mo>&lt;</mo><mo>&amp;</mo><mi>&#42;</mi>");
        assert_eq!(strip_prefix("a\n> b\n>\n", "> "), "a\nb\n\n");
    }
}
