//! Finds the lemma forms in a chapter, parsing it exactly as mdBook does.
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

use crate::ranges::Ranges;

use mdbook_markdown::pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

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

/// An inline `{{lemma ...}}` form.
#[derive(Debug, Clone, PartialEq)]
pub struct Inline {
    /// From `{{` to `}}` inclusive.
    pub range: Range<usize>,
    /// The text between `{{lemma` and `}}`.
    pub body: Range<usize>,
    /// Prose or code.
    pub context: Context,
}

/// A form found in the chapter.
#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    /// A fenced block.
    Block(Block),
    /// An inline form.
    Inline(Inline),
    /// `\{{lemma`: the backslash at this offset is to be removed.
    Escape(usize),
}

impl Form {
    /// Where the form starts in the chapter.
    pub fn start(&self) -> usize {
        match self {
            Form::Block(b) => b.range.start,
            Form::Inline(i) => i.range.start,
            Form::Escape(o) => *o,
        }
    }
}

/// A problem found while locating forms.
#[derive(Debug, Clone, PartialEq)]
pub struct FindError {
    /// Where.
    pub range: Range<usize>,
    /// What.
    pub message: String,
}

const OPEN: &str = "{{lemma";

/// A chapter's Markdown events and the byte range of each, as mdBook's own
/// parser settings give them. A chapter is parsed once; [`find_forms_in`]
/// and `coverage::scan_in` both read the same
/// events.
pub type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// Parses `src` as mdBook does.
pub fn events(src: &str) -> Events<'_> {
    // About one event per 40 bytes of prose: sized up front, the vector is
    // rarely copied as it grows.
    let mut events = Vec::with_capacity(src.len() / 40);
    events.extend(mdbook_markdown::new_cmark_parser(src, &Default::default()).into_offset_iter());
    events
}

/// Finds every lemma form in `src`, in document order.
///
/// A leading UTF-8 byte order mark is skipped (mdBook strips it when it
/// loads a chapter; a chapter handed over with one is parsed the same way).
pub fn find_forms(src: &str) -> (Vec<Form>, Vec<FindError>) {
    if src.starts_with(BOM) || !src.contains("lemma") {
        return find_forms_in(src, &[]);
    }
    find_forms_in(src, &events(src))
}

const BOM: &str = "\u{feff}";

/// [`find_forms`] over the [`events`] of `src`, parsed already. For a
/// chapter that starts with a byte order mark, `events` are not used: the
/// rest of the chapter after the mark is parsed again.
pub fn find_forms_in(src: &str, events: &[(Event<'_>, Range<usize>)]) -> (Vec<Form>, Vec<FindError>) {
    if let Some(rest) = src.strip_prefix(BOM) {
        let k = BOM.len();
        let (mut forms, mut errors) = find_forms(rest);
        for f in &mut forms {
            match f {
                Form::Block(b) => {
                    b.range = b.range.start + k..b.range.end + k;
                    for l in &mut b.lines {
                        l.offsets.iter_mut().for_each(|o| *o += k);
                    }
                }
                Form::Inline(i) => {
                    i.range = i.range.start + k..i.range.end + k;
                    i.body = i.body.start + k..i.body.end + k;
                }
                Form::Escape(o) => *o += k,
            }
        }
        for e in &mut errors {
            e.range = e.range.start + k..e.range.end + k;
        }
        return (forms, errors);
    }
    let mut forms = Vec::new();
    let mut errors = Vec::new();
    let mut code: Vec<Range<usize>> = Vec::new();
    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut html: Vec<Range<usize>> = Vec::new();
    let mut tables: Vec<Range<usize>> = Vec::new();
    // Fast path: nothing that looks like lemma at all.
    if !src.contains("lemma") {
        return (forms, errors);
    }
    let mut current: Option<Block> = None;
    // The body of the current ```` ```exercise ```` block: Markdown, not code.
    let mut exercise: Option<Range<usize>> = None;
    // Collected body bytes and their offsets for the current lemma block.
    let mut body = String::new();
    let mut offsets: Vec<usize> = Vec::new();
    for (event, range) in events {
        let range = range.clone();
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let attrs = match kind {
                    CodeBlockKind::Fenced(info) => lemma_attrs(info),
                    CodeBlockKind::Indented => None,
                };
                match attrs {
                    Some(attrs) => {
                        body.clear();
                        offsets.clear();
                        current = Some(Block { range: range.clone(), attrs, lines: Vec::new() });
                    }
                    None if is_exercise(kind) => exercise = Some(range.end..range.start),
                    None => code.push(range.clone()),
                }
            }
            Event::Text(_) if exercise.is_some() => {
                if let Some(body) = exercise.as_mut() {
                    body.start = body.start.min(range.start);
                    body.end = body.end.max(range.end);
                }
            }
            Event::Text(text) if current.is_some() => {
                let exact = src.get(range.clone()) == Some(&**text);
                for (k, _) in text.bytes().enumerate() {
                    let o = if exact { range.start + k } else { range.start + k.min(range.len().saturating_sub(1)) };
                    offsets.push(o);
                }
                body.push_str(text);
            }
            Event::End(TagEnd::CodeBlock) if exercise.is_some() => {
                if let Some(body) = exercise.take().filter(|b| b.start < b.end) {
                    nested_markdown(src, body, &mut code, &mut html);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(mut block) = current.take() {
                    block.lines = split_lines(&body, &offsets);
                    let closed = is_closed(src, &block.range);
                    if !closed {
                        let line_end = src[block.range.start..].find('\n').map_or(src.len(), |i| block.range.start + i);
                        errors.push(FindError {
                            range: block.range.start..line_end,
                            message: "this lemma block is never closed: add a closing fence".into(),
                        });
                    } else {
                        blocks.push(block.range.clone());
                        forms.push(Form::Block(block));
                    }
                }
            }
            Event::Code(_) => code.push(range),
            Event::Start(Tag::HtmlBlock) | Event::Html(_) | Event::InlineHtml(_) => html.push(range),
            Event::Start(Tag::Table(_)) => tables.push(range),
            _ => {}
        }
    }
    // Inline forms, outside lemma blocks. Membership in the ranges is a
    // binary search, so a chapter costs O(forms × log ranges), not
    // O(forms × ranges).
    let code = Ranges::new(code);
    let blocks = Ranges::new(blocks);
    let tables = Ranges::new(tables);
    let html = Ranges::new(html);
    let mut from = 0;
    while let Some(i) = src[from..].find(OPEN) {
        let at = from + i;
        from = at + OPEN.len();
        if blocks.contains(at) {
            continue;
        }
        // `{{lemmas}}` is not ours: the keyword must end there.
        if src[from..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if at > 0 && src.as_bytes()[at - 1] == b'\\' {
            forms.push(Form::Escape(at - 1));
            continue;
        }
        match closing(src, from) {
            Ok(j) => {
                let end = j + 2;
                let context = match (code.contains(at), tables.contains(at), html.contains(at)) {
                    (true, true, _) => Context::TableCode,
                    (true, false, _) => Context::Code,
                    (false, _, true) => Context::Html,
                    (false, _, false) => Context::Prose,
                };
                forms.push(Form::Inline(Inline { range: at..end, body: from..j, context }));
                from = end;
            }
            Err(line_end) => errors.push(FindError {
                range: at..line_end.max(at + OPEN.len()).min(src.len()),
                message: "this inline lemma form is not closed with `}}` on the same line".into(),
            }),
        }
    }
    forms.sort_by_key(Form::start);
    (forms, errors)
}

/// The offset of the `}}` that closes an inline form whose body starts at
/// `from`: the first one on the same line outside a string literal, so
/// `"}}"` can be a value (with an unterminated string, the first `}}` at
/// all: the lemma parser then reports the string). Else (`Err`) the offset
/// of the end of that line. Reads only up to the closing braces, so a long
/// line with many forms is scanned once overall.
fn closing(src: &str, from: usize) -> Result<usize, usize> {
    let bytes = src.as_bytes();
    let mut in_string = false;
    let mut first_any = None;
    let mut j = from;
    while j < bytes.len() {
        match bytes[j] {
            b'\n' => return first_any.ok_or(j),
            b'\\' if in_string => j += 1,
            b'"' => in_string = !in_string,
            b'}' if bytes.get(j + 1) == Some(&b'}') => {
                if !in_string {
                    return Ok(j);
                }
                first_any = first_any.or(Some(j));
            }
            _ => {}
        }
        j += 1;
    }
    first_any.ok_or(bytes.len())
}

/// Whether a code block is an ```` ```exercise ```` block, whose body is
/// Markdown (rendered by [`crate::exercise`]), so forms in it are prose.
fn is_exercise(kind: &CodeBlockKind<'_>) -> bool {
    matches!(kind, CodeBlockKind::Fenced(info) if info.split(|c: char| c.is_whitespace() || c == ',').next() == Some("exercise"))
}

/// Finds the code and raw HTML inside the Markdown body of an exercise, so
/// a form there is written as it would be in the chapter's own prose. Only
/// a body that stands contiguous in the chapter (not re-prefixed inside a
/// block quote or list) is parsed; inside a container it is all prose.
fn nested_markdown(src: &str, body: Range<usize>, code: &mut Vec<Range<usize>>, html: &mut Vec<Range<usize>>) {
    let Some(text) = src.get(body.clone()) else { return };
    if text.lines().any(|l| l.trim_start().starts_with('>')) {
        return;
    }
    for (event, r) in mdbook_markdown::new_cmark_parser(text, &Default::default()).into_offset_iter() {
        let r = body.start + r.start..body.start + r.end;
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => code.push(r),
            Event::Start(Tag::HtmlBlock) | Event::Html(_) | Event::InlineHtml(_) => html.push(r),
            _ => {}
        }
    }
}

/// The attributes after `lemma` if the info string starts with the word
/// `lemma`, else `None`.
fn lemma_attrs(info: &str) -> Option<Vec<String>> {
    let rest = info.trim_start().strip_prefix("lemma")?;
    if rest.chars().next().is_some_and(|c| !(c.is_whitespace() || c == ',')) {
        return None;
    }
    Some(rest.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).map(str::to_string).collect())
}

fn split_lines(body: &str, offsets: &[usize]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in body.bytes().enumerate() {
        if b == b'\n' {
            lines.push(line(body, offsets, start, i));
            start = i + 1;
        }
    }
    if start < body.len() {
        lines.push(line(body, offsets, start, body.len()));
    }
    lines
}

fn line(body: &str, offsets: &[usize], start: usize, end: usize) -> Line {
    let end = if end > start && body.as_bytes()[end - 1] == b'\r' { end - 1 } else { end };
    Line { text: body[start..end].to_string(), offsets: offsets[start..end].to_vec() }
}

/// Whether the block's range ends with a closing fence (rather than running
/// to the end of its container).
fn is_closed(src: &str, range: &Range<usize>) -> bool {
    let text = &src[range.clone()];
    let opening = text.trim_start();
    let fence_char = opening.chars().next().unwrap_or('`');
    let open_len = opening.chars().take_while(|&c| c == fence_char).count();
    let text = text.trim_end_matches(['\n', '\r']);
    let Some((_, last)) = text.rsplit_once('\n') else {
        return false; // only the opening line
    };
    let last = last.trim_start_matches(|c: char| c == '>' || c.is_whitespace()).trim_end();
    last.len() >= open_len && last.chars().all(|c| c == fence_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Describes the forms and errors found, one per line.
    fn check(src: &str, expect: &str) {
        let (forms, errors) = find_forms(src);
        let mut out = Vec::new();
        for f in &forms {
            out.push(match f {
                Form::Block(b) => {
                    let lines: Vec<String> =
                        b.lines.iter().map(|l| format!("{}@{}", l.text, l.map(&(0..l.text.len())).start)).collect();
                    format!("block {:?} {:?} [{}]", b.range, b.attrs, lines.join(" | "))
                }
                Form::Inline(i) => format!("inline {:?} {:?} {:?}", i.range, &src[i.body.clone()], i.context),
                Form::Escape(o) => format!("escape {o}"),
            });
        }
        for e in &errors {
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
        check("```lemmas\nx\n```\n", "");
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
        check("{{lemmatize}}", "");
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
        let cases: &[&[Range<usize>]] =
            &[&[], &[3..5, 3..4], &[3..5, 5..7], &[0..2, 4..9, 6..8, 12..13], &[4..9, 0..2]];
        for ranges in cases {
            let set = Ranges::new(ranges.to_vec());
            for at in 0..15 {
                assert_eq!(set.contains(at), ranges.iter().any(|r| r.contains(&at)), "{at} in {ranges:?}");
            }
        }
    }
}
