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
//! [`crate::scan`] finds both.
//!
//! Inline `{{lemma ...}}` forms inside a formula are evaluated first and
//! their values written verbatim into the LaTeX. pulldown-latex never fails:
//! on bad input it emits `<merror>`. Here that is a located error instead.
//!
//! The MathML is one line whose text is entity-escaped (`<`, `>`, `&` and
//! every character Markdown could read as markup), so Markdown leaves it
//! alone wherever it stands.

use crate::chapter::Cx;
use crate::diagnostics::Diag;
use crate::forms::{Body, Closing, Found, InlineSyntax, Kind, apply, take_inside};
use crate::splice::{Edit, continuation_prefix};

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage};

/// The `math` kind: ```` ```math ```` blocks (display formulas) and
/// `{{math LATEX}}` (inline).
pub const KIND: Kind = Kind {
    name: "formula",
    fence: Some("math"),
    inline: Some(InlineSyntax { keyword: "math", closing: Closing::Braces, in_code: false }),
    body: Body::Latex,
    process,
};

/// Renders each formula, with the values of the lemma forms inside it
/// written into its LaTeX.
fn process(cx: &mut Cx, src: &str, found: &[&Found], edits: &mut Vec<Edit>) {
    for f in found {
        let inner = take_inside(edits, &f.range);
        let mut latex = apply(src, &f.body, &inner);
        if f.fenced {
            latex = strip_prefix(&latex, &continuation_prefix(src, f.range.start));
        }
        match render(latex.trim(), f.fenced) {
            Ok(html) => edits.push(Edit { range: f.range.clone(), text: html, blank_after: f.fenced }),
            Err(mut d) => {
                // The LaTeX rendered is the body with values written in:
                // the whole body is the place.
                d.range = f.body.clone();
                if latex.trim() != src[f.body.clone()].trim() {
                    d.notes.push(format!("the LaTeX after lemma values were written in: {}", latex.trim()));
                }
                cx.diags.push(d);
            }
        }
    }
}

/// Renders LaTeX to one line of MathML, text entity-escaped. Display
/// formulas are wrapped in `<div class="lemma-math">`. A minus sign (U+2212,
/// as lemma writes negative values in prose) is read as LaTeX's `-`, which
/// MathML renders as the minus operator. An error is located over the whole
/// LaTeX text (its range is `0..latex.len()`).
pub fn render(latex: &str, display: bool) -> Result<String, Diag> {
    let minus;
    let latex = if latex.contains('\u{2212}') {
        minus = latex.replace('\u{2212}', "-");
        minus.as_str()
    } else {
        latex
    };
    let storage = Storage::new();
    for ev in Parser::new(latex, &storage) {
        if let Err(e) = ev {
            let text = e.to_string();
            let mut lines = text.lines();
            let message = lines.next().unwrap_or("invalid LaTeX").trim_start_matches("parsing error: ").to_string();
            let notes = lines.map(str::to_string).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>();
            let mut d =
                Diag::error(0..latex.len(), format!("this formula is not valid LaTeX: {message}"), "in this formula");
            d.notes = notes;
            return Err(d);
        }
    }
    let storage = Storage::new();
    let mut raw = String::new();
    let config = RenderConfig {
        display_mode: if display { DisplayMode::Block } else { DisplayMode::Inline },
        // No `<annotation>` with the LaTeX source: mdBook's search index
        // takes every text node of the page, and raw LaTeX there reads
        // `e^{ 2.0 } \approx`; the MathML's own tokens read `e 2.0 ≈`.
        ..RenderConfig::default()
    };
    if let Err(e) = pulldown_latex::push_mathml(&mut raw, Parser::new(latex, &storage), config) {
        return Err(Diag::error(0..latex.len(), format!("this formula could not be rendered: {e}"), "in this formula"));
    }
    if raw.contains("<merror") {
        return Err(Diag::error(0..latex.len(), "this formula is not valid LaTeX", "in this formula"));
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

    #[test]
    fn minus_signs_are_operators() {
        assert_eq!(render("y = \u{2212}0.5", false), render("y = -0.5", false));
    }

    #[test]
    fn renders() {
        check("x", false, "<math display=\"inline\"><mi>x</mi></math>");
        check("a < b", false, "<math display=\"inline\"><mi>a</mi><mo>&lt;</mo><mi>b</mi></math>");
        check("x_i", false, "<math display=\"inline\"><msub><mi>x</mi><mi>i</mi></msub></math>");
        check(
            "\\frac{1}{2}",
            true,
            "<div class=\"lemma-math\"><math display=\"block\"><mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac></math></div>",
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
