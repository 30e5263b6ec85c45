//! The lemma forms of a chapter, as [`crate::scan`] finds them, parsing it
//! exactly as mdBook does.
//!
//! A *block* is a fenced code block (backticks or tildes, any length, inside
//! any container) whose info string starts with the word `lemma`. Its
//! statements are rebuilt from the parser's text events, which drop the
//! container prefix (`> `, list indentation) and the `\r` of CRLF; every
//! byte of a statement keeps its offset in the chapter for diagnostics.
//!
//! An *inline form* is `{{lemma ...}}` on one line, anywhere outside a lemma
//! block: in prose, in tables, in headings, and also inside other code
//! blocks and inline code, so code samples can show computed numbers. A
//! backslash before it, `\{{lemma ...}}`, writes the form literally (the
//! backslash is removed).

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::Event;

/// One line of a block's body.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The text, without container prefix or line ending.
    pub text: String,
    /// The chapter offset of each byte of `text`.
    offsets: Vec<usize>,
}

impl Line {
    /// Maps a byte range of `text` to a byte range of the chapter.
    pub fn map(&self, span: &Range<usize>) -> Range<usize> {
        let at = |i: usize| self.offsets.get(i).copied();
        let start = at(span.start).or_else(|| self.offsets.last().map(|o| o + 1)).unwrap_or(0);
        let end = if span.end > span.start { at(span.end - 1).map_or(start, |o| o + 1) } else { start };
        start..end.max(start)
    }
}

/// A fenced lemma block.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// From the first fence character to the end of the closing fence (its
    /// line ending excluded).
    pub range: Range<usize>,
    /// The words of the info string after `lemma` (for example `echo`).
    pub attrs: Vec<String>,
    /// The body, a line each.
    pub lines: Vec<Line>,
}

/// Where an inline form stands, which decides how its output is escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Markdown prose (including tables, headings and HTML).
    Prose,
    /// Inside a code block or inline code: output is written verbatim.
    Code,
    /// Inside raw HTML (an HTML block, an inline tag or comment), where
    /// Markdown escapes would show: output is HTML-escaped.
    Html,
    /// Inside inline code in a table row: verbatim, except that `|` is
    /// written `\|` so it does not split the row.
    TableCode,
}

/// A chapter's Markdown events and the byte range of each, as mdBook's own
/// parser settings give them.
pub type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// Parses `src` as mdBook does.
pub fn events(src: &str) -> Events<'_> {
    mdbook_markdown::new_cmark_parser(src, &Default::default()).into_offset_iter().collect()
}

impl Line {
    /// Splits a block's body, whose bytes stand at `offsets` of the chapter,
    /// into lines (without line endings).
    pub fn split(body: &str, offsets: &[usize]) -> Vec<Line> {
        let mut lines = Vec::new();
        let mut start = 0;
        for (i, b) in body.bytes().enumerate() {
            if b == b'\n' {
                lines.push(Line::of(body, offsets, start, i));
                start = i + 1;
            }
        }
        if start < body.len() {
            lines.push(Line::of(body, offsets, start, body.len()));
        }
        lines
    }

    fn of(body: &str, offsets: &[usize], start: usize, end: usize) -> Line {
        let end = if end > start && body.as_bytes()[end - 1] == b'\r' { end - 1 } else { end };
        Line { text: body[start..end].to_string(), offsets: offsets[start..end].to_vec() }
    }
}

#[cfg(test)]
mod tests {
    use crate::forms::KINDS;

    /// Describes the lemma forms and errors found, one per line.
    fn check(src: &str, expect: &str) {
        let scan = crate::scan::scan(src);
        let mut out = Vec::new();
        for f in scan.found.iter().filter(|f| KINDS[f.kind].name == "lemma form") {
            out.push(match &f.block {
                Some(b) => {
                    let lines: Vec<String> =
                        b.lines.iter().map(|l| format!("{}@{}", l.text, l.map(&(0..l.text.len())).start)).collect();
                    format!("block {:?} {:?} [{}]", b.range, b.attrs, lines.join(" | "))
                }
                None => format!("inline {:?} {:?} {:?}", f.range, &src[f.body.clone()], f.context),
            });
        }
        out.extend(scan.escapes.iter().map(|o| format!("escape {o}")));
        for e in &scan.errors {
            out.push(format!("error {:?} {}", e.range, e.message));
        }
        assert_eq!(out.join("\n"), expect, "in {src:?}");
    }

    #[test]
    fn blocks() {
        check("no forms here\n", "");
        check("a\n\n```lemma\nx = 1\ny = 2\n```\nafter\n", "block 3..27 [] [x = 1@12 | y = 2@18]");
        check("> ```lemma\r\n> x = 1\r\n> y = 2\r\n> ```\r\n", "block 2..35 [] [x = 1@14 | y = 2@23]");
        check("- item\n\n  ~~~~lemma echo\n  x = 1\n  ~~~~\n- b\n", "block 10..39 [\"echo\"] [x = 1@27]");
        check("````lemma\n```\nx = 1\n````\n", "block 0..24 [] [```@10 | x = 1@14]");
        check("```lemma\n```\n", "block 0..12 [] []");
        check(
            "```lemmas\nx\n```\n",
            "error 0..9 `lemmas` is not a block lemma knows, so this block would be shown as code, unevaluated: write `lemma`",
        );
        check("```rust\n{{lemma x}}\n```\n", "inline 8..19 \" x\" Code");
        check("```lemma\nx = 1\n", "error 0..8 this lemma block is never closed: add a closing fence");
        check("> ```lemma\n> x = 1\n\nout\n", "error 2..10 this lemma block is never closed: add a closing fence");
        check("\u{feff}```lemma\nx = 1\n```\n", "block 3..21 [] [x = 1@12]");
    }

    #[test]
    fn inline() {
        check("p is {{lemma p[0]}}.", "inline 5..19 \" p[0]\" Prose");
        check("`{{lemma p}}`", "inline 1..12 \" p\" Code");
        check("\\{{lemma p}}", "escape 0");
        check("| a | {{lemma x}} |\n|---|---|\n", "inline 6..17 \" x\" Prose");
        check("{{lemma x\n}}", "error 0..9 this inline lemma form is not closed with `}}` on the same line");
        check(
            "{{lemmatize}}",
            "error 0..11 `{{lemmatize` is not a lemma form, so it would be shown raw: write `{{lemma`",
        );
        check("{{lemma}}", "inline 0..9 \"\" Prose");
        check("```lemma\nx = 1 # {{lemma y}}\n```\n", "block 0..32 [] [x = 1 # {{lemma y}}@9]");
        check(
            "{{lemma x}} `{{lemma y}}` {{lemma z}}",
            "inline 0..11 \" x\" Prose\ninline 13..24 \" y\" Code\ninline 26..37 \" z\" Prose",
        );
        check("{{lemma x} }}\n", "inline 0..13 \" x} \" Prose");
        check("{{lemma x}", "error 0..10 this inline lemma form is not closed with `}}` on the same line");
        check("{{lemma x}\n}}", "error 0..10 this inline lemma form is not closed with `}}` on the same line");
        check(
            "```lemma\nx = 1\n```\n{{lemma a}}\n\n```lemma\ny = 2\n```\n`c` {{lemma b}} `{{lemma c}}`\n",
            "block 0..18 [] [x = 1@9]\ninline 19..30 \" a\" Prose\nblock 32..50 [] [y = 2@41]\ninline 55..66 \" b\" Prose\ninline 68..79 \" c\" Code",
        );
    }

    /// Membership in merged ranges, against the obvious linear scan.
    #[test]
    fn ranges() {
        let cases: &[&[std::ops::Range<usize>]] =
            &[&[], &[3..5, 3..4], &[3..5, 5..7], &[0..2, 4..9, 6..8, 12..13], &[4..9, 0..2]];
        for ranges in cases {
            let set = crate::ranges::Ranges::new(ranges.to_vec());
            for at in 0..15 {
                assert_eq!(set.contains(at), ranges.iter().any(|r| r.contains(&at)), "{at} in {ranges:?}");
            }
        }
    }
}
