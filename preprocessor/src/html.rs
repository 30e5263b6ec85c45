//! One line of HTML, escaped by construction.
//!
//! [`Html`] writes elements, attributes and text through methods that escape
//! every string they are given, so text from a chapter cannot become markup
//! by accident; the one way to insert markup as it is,
//! [`Html::trusted_markup`], says so in its name. Elements are closed in
//! order (an unclosed one is closed by [`Html::finish`]), so the output is
//! balanced, and nothing writes a line break, so it is one line: Markdown
//! never sees a blank line that would end an HTML block halfway. Control
//! characters that HTML and XML forbid become U+FFFD, so the output also
//! parses as XML (inline SVG is checked that way).
//!
//! ```
//! use mdbook_lemma::html::Html;
//! let mut h = Html::new();
//! h.open("p").attr("class", "note").attr("data-n", 3);
//! h.text("1 < 2 & \"so\"");
//! h.void("br");
//! h.literal("T = ");
//! h.open("b").text("x=y");
//! assert_eq!(h.finish(), r#"<p class="note" data-n="3">1 &lt; 2 &amp; &quot;so&quot;<br>T = <b>x&#61;y</b></p>"#);
//! ```

use std::fmt::{self, Write as _};

/// The entity for a character that HTML must not see raw, in content or in
/// an attribute value, quoted or not: `=` included, so that a value in an
/// unquoted attribute (`title={{lemma s}}`) cannot give a second attribute
/// a value.
pub(crate) fn entity(c: char) -> Option<&'static str> {
    Some(match c {
        '<' => "&lt;",
        '>' => "&gt;",
        '&' => "&amp;",
        '"' => "&quot;",
        '\'' => "&#39;",
        '=' => "&#61;",
        _ => return None,
    })
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// [`Html::literal`]'s escaping: as [`escape_html`], but `=`, `|` and
/// backticks stay.
fn push_literal(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '=' | '|' | '`' => out.push(c),
            c => push_escaped(out, c.encode_utf8(&mut [0; 4])),
        }
    }
}

fn push_escaped(out: &mut String, s: &str) {
    // Runs of characters written as they are are copied whole: every
    // character changed below is ASCII or starts with the byte 0xEF
    // (U+FFFE, U+FFFF), so every cut is at a character boundary.
    let b = s.as_bytes();
    let mut from = 0;
    for (i, &byte) in b.iter().enumerate() {
        let plain = match byte {
            b'<' | b'>' | b'&' | b'"' | b'\'' | b'=' | b'|' | b'`' | 0..=0x1F | 0x7F => byte == b'\t',
            0xEF => !matches!(b.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])),
            _ => true,
        };
        if plain {
            continue;
        }
        out.push_str(s.get(from..i).unwrap_or(""));
        let c = if byte == 0xEF {
            s.get(i..).and_then(|r| r.chars().next()).unwrap_or('\u{FFFD}')
        } else {
            char::from(byte)
        };
        from = i + c.len_utf8();
        match (entity(c), c) {
            (Some(e), _) => out.push_str(e),
            // Safe inside a Markdown table row, too.
            (None, '|') => out.push_str("&#124;"),
            (None, '`') => out.push_str("&#96;"),
            // No raw line breaks: an HTML block ends at a blank line.
            (None, '\n') => out.push_str("&#10;"),
            (None, '\r') => out.push_str("&#13;"),
            // Characters that neither HTML nor XML (inline SVG) allows in a
            // document, not even as references: the replacement character.
            (None, c) if (c.is_control() && c != '\t' && (c as u32) < 0x80) || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push('\u{FFFD}')
            }
            (None, c) => out.push(c),
        }
    }
    out.push_str(s.get(from..).unwrap_or(""));
}

/// Writes what it is given escaped ([`push_escaped`]) at the end of a
/// string: a value formatted into an attribute without a string of its own.
struct Escaping<'a>(&'a mut String);

impl fmt::Write for Escaping<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        push_escaped(self.0, s);
        Ok(())
    }
}

/// HTML under construction: one line, every string escaped.
#[derive(Debug, Default)]
pub struct Html {
    out: String,
    /// The elements open, innermost last.
    open: Vec<&'static str>,
}

impl Html {
    /// Empty.
    pub fn new() -> Html {
        Html::default()
    }

    /// Empty, with room for `bytes`.
    pub fn with_capacity(bytes: usize) -> Html {
        Html { out: String::with_capacity(bytes), open: Vec::new() }
    }

    /// Opens element `tag` (a name written in the program); its attributes
    /// follow on the [`StartTag`], whose `>` is written when it is dropped
    /// (at the end of the statement). [`close`](Html::close) ends it.
    pub fn open(&mut self, tag: &'static str) -> StartTag<'_> {
        self.open.push(tag);
        self.out.push('<');
        self.out.push_str(tag);
        StartTag { html: self, element: Some(tag), ended: false }
    }

    /// A void element (`<input>`, `<br>`): attributes, no content, no end tag.
    pub fn void(&mut self, tag: &'static str) -> StartTag<'_> {
        self.out.push('<');
        self.out.push_str(tag);
        StartTag { html: self, element: None, ended: false }
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) {
        if let Some(tag) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(tag);
            self.out.push('>');
        }
    }

    /// Text, escaped.
    pub fn text(&mut self, s: &str) {
        push_escaped(&mut self.out, s);
    }

    /// Text written in the program, such as `"T = "`. It is escaped too,
    /// but only `&`, `<`, `>`, quotes and line breaks: `=`, `|` and
    /// backticks, which [`text`](Html::text) escapes in case the text came
    /// from a chapter, stay as written.
    pub fn literal(&mut self, s: &'static str) {
        push_literal(&mut self.out, s);
    }

    /// Inserts `markup` as it is, except that line breaks become spaces.
    /// Only for markup made by a renderer that escapes its own text:
    /// `pulldown-cmark`'s HTML and `pulldown-latex`'s MathML (see
    /// `exercise::markdown_html`, which also keeps the line breaks
    /// of `<pre>` as `&#10;`). Never for text from a chapter.
    pub fn trusted_markup(&mut self, markup: &str) {
        for c in markup.chars() {
            self.out.push(if matches!(c, '\n' | '\r') { ' ' } else { c });
        }
    }

    /// Closes every element still open and returns the HTML.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

/// The start tag of an element being written: attributes, then `>` when it
/// is dropped or [`text`](StartTag::text) ends it.
#[derive(Debug)]
pub struct StartTag<'a> {
    html: &'a mut Html,
    /// The element's tag, `None` for a void element.
    element: Option<&'static str>,
    /// Whether the `>` is written.
    ended: bool,
}

impl StartTag<'_> {
    /// Attribute `name` (written in the program) with `value` escaped.
    pub fn attr(self, name: &'static str, value: impl fmt::Display) -> Self {
        self.attr_prefixed(name, "", value)
    }

    /// Attribute `name` whose value is `prefix` (written in the program, kept
    /// as [`Html::literal`] keeps text) followed by `value`, escaped.
    pub fn attr_prefixed(self, name: &'static str, prefix: &'static str, value: impl fmt::Display) -> Self {
        let out = &mut self.html.out;
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        push_literal(out, prefix);
        // Escaping is character by character, so escaping the pieces a
        // value is written in is escaping the value. Writing into a String
        // cannot fail.
        let _ = write!(Escaping(out), "{value}");
        out.push('"');
        self
    }

    /// Boolean attribute `name` (`disabled`, `data-lemma-reset`).
    pub fn flag(self, name: &'static str) -> Self {
        self.html.out.push(' ');
        self.html.out.push_str(name);
        self
    }

    /// Ends the start tag, writes `s` escaped and, unless the element is
    /// void, the end tag: `<b>s</b>`.
    pub fn text(mut self, s: &str) {
        self.html.out.push('>');
        self.ended = true;
        push_escaped(&mut self.html.out, s);
        if self.element.is_some() {
            self.html.close();
        }
    }
}

impl Drop for StartTag<'_> {
    fn drop(&mut self) {
        if !self.ended {
            self.html.out.push('>');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The escaping as it was first written, one character at a time.
    fn reference_push_escaped(out: &mut String, s: &str) {
        for c in s.chars() {
            match (entity(c), c) {
                (Some(e), _) => out.push_str(e),
                // Safe inside a Markdown table row, too.
                (None, '|') => out.push_str("&#124;"),
                (None, '`') => out.push_str("&#96;"),
                // No raw line breaks: an HTML block ends at a blank line.
                (None, '\n') => out.push_str("&#10;"),
                (None, '\r') => out.push_str("&#13;"),
                // Characters that neither HTML nor XML (inline SVG) allows in a
                // document, not even as references: the replacement character.
                (None, c)
                    if (c.is_control() && c != '\t' && (c as u32) < 0x80) || c == '\u{FFFE}' || c == '\u{FFFF}' =>
                {
                    out.push('\u{FFFD}')
                }
                (None, c) => out.push(c),
            }
        }
    }

    #[test]
    fn escaping_same_as_one_character_at_a_time() {
        let alphabet = [
            'a', '<', '&', '=', '|', '`', '\t', '\n', '\r', '\u{1}', '\u{7f}', '\u{FFFE}', '\u{FFFF}', '\u{FFFD}',
            '\u{F000}', '\u{2212}',
        ];
        let mut strings = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> =
                strings.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            strings.extend(longer);
            strings.dedup();
        }
        for s in strings {
            let (mut fast, mut slow) = (String::new(), String::new());
            push_escaped(&mut fast, &s);
            reference_push_escaped(&mut slow, &s);
            assert_eq!(fast, slow, "{s:?}");
        }
    }

    #[test]
    fn escaped_balanced_one_line() {
        let mut h = Html::new();
        h.open("div").attr("title", "a=\"b\"\n|`").flag("hidden");
        h.open("span").attr_prefixed("aria-label", "T = ", "<1>").text("x\ny");
        h.literal("a = b\n");
        h.void("input").attr("value", 0.5);
        h.open("p");
        h.trusted_markup("<math>\n<mi>x</mi></math>");
        expect_test::expect![[r#"<div title="a&#61;&quot;b&quot;&#10;&#124;&#96;" hidden><span aria-label="T = &lt;1&gt;">x&#10;y</span>a = b&#10;<input value="0.5"><p><math> <mi>x</mi></math></p></div>"#]]
        .assert_eq(&h.finish());
    }
}
