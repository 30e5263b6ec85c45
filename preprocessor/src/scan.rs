//! The one scanner: every form of every kind, and every place a reader can
//! see a number, found in one parse of the chapter.
//!
//! The chapter is parsed once with mdBook's own parser settings. One walk
//! over its events finds the fenced forms (```` ```lemma ````,
//! ```` ```math ````, ```` ```exercise ````), classifies every other byte a
//! reader sees (prose, code and what in it is a claim, raw HTML, link and
//! image titles) and records the ranges that decide how an inline value is
//! escaped. One pass over the `{{` of the chapter then finds the inline
//! forms (`{{lemma`, `{{math`, `{{exempt`, `{{answer-key}}`) with one
//! closing-brace matcher, and reports anything that looks like a form but
//! is not one (`{{Lemma`, ```` ```lemma-echo ````, a lemma block that an
//! HTML block swallows, text glued to a value): lemma-looking text is
//! evaluated or reported, never shown raw.
//!
//! What is a claim follows the coverage table of the authoring appendix
//! (`src/writing-with-lemma.md`); [`code`] holds the rules for code blocks
//! and [`html`] those for raw HTML.

pub mod code;
pub mod html;
mod inline;
mod mask;
#[cfg(test)]
mod tests;

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{CodeBlockKind, Event, LinkType, Tag, TagEnd};

use crate::diagnostics::Diag;
use crate::forms::{self, Body, Closing, Found, KINDS};
use crate::parse::markdown::{Block, Context, Line};
use crate::ranges::Ranges;
use mask::mask_lemma_brackets;

/// Everything the scanner found in a chapter.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// The forms of every kind ([`crate::forms::KINDS`]), in document
    /// order.
    pub found: Vec<Found>,
    /// The backslashes of escaped forms (`\{{lemma ...}}`), which are
    /// removed.
    pub escapes: Vec<usize>,
    /// Where a number a reader sees is a claim that must be computed,
    /// checked or exempted (before removing the forms inside).
    pub claims: Vec<Range<usize>>,
    /// The string literals of lemma forms (labels, string values): lemma
    /// writes them into the page, so a number in one is a claim.
    pub strings: Vec<Range<usize>>,
    /// Escaped forms written literally (`\{{lemma ...}}`): lemma syntax,
    /// not claims.
    pub literal: Vec<Range<usize>>,
    /// Malformed or unevaluated forms.
    pub errors: Vec<Diag>,
}

impl Scan {
    /// The forms of one kind, in document order.
    pub fn of_kind(&self, kind: usize) -> Vec<&Found> {
        self.found.iter().filter(|f| f.kind == kind).collect()
    }
}

const BOM: &str = "\u{feff}";

/// Scans a chapter.
///
/// The brackets inside inline lemma forms (`[0.2, 0.7]`, `z[0]`) are link
/// candidates to pulldown-cmark: it splits the text at each one and looks
/// each up as a link label, though lemma replaces the whole form before
/// mdBook renders the page. So the chapter is parsed with the brackets of
/// the forms where it makes no difference (`maskable`) masked as `(` and
/// `)`, which mean nothing inline on their own and are punctuation too
/// (emphasis flanks the same). Block structure cannot change: a form
/// never starts a line with its brackets. The walk reads positions and the
/// chapter's own bytes, except where it reads the parser's text: a code
/// block's info string and body, and a link's title. If a masked form
/// reaches into one of those, or the chapter has a reference definition,
/// it is parsed again as written.
pub fn scan(src: &str) -> Scan {
    let mask = mask_lemma_brackets(src);
    if let Some(masked) = &mask.text {
        let mut s = Scanner { masked: Ranges::new(mask.forms), closings: mask.closings, ..Scanner::default() };
        s.parse_and_walk(src, masked);
        if !s.needs_unmasked {
            return s.finish(src);
        }
        return unmasked(src, s.closings);
    }
    unmasked(src, mask.closings)
}

/// [`scan`] with nothing masked: what the masked scan must equal (claims
/// compared as the set of bytes they cover). For the differential tests.
pub fn scan_as_written(src: &str) -> Scan {
    unmasked(src, Vec::new())
}

/// [`scan`] on the chapter as written, with the closings
/// [`mask_lemma_brackets`] found.
fn unmasked(src: &str, closings: Vec<(usize, Result<usize, usize>)>) -> Scan {
    let mut s = Scanner { closings, ..Scanner::default() };
    s.parse_and_walk(src, src);
    s.finish(src)
}

/// A fenced block being read.
enum Open {
    /// A form: its kind, its range, the span of its text, and for a lemma
    /// body the block being rebuilt with each byte's chapter offset.
    Form { kind: usize, range: Range<usize>, text: Option<Range<usize>>, lemma: Option<(Block, String, Vec<usize>)> },
    /// Any other code block.
    Code { lang: code::Lang, lines: Vec<(usize, usize)> },
}

#[derive(Default)]
struct Scanner {
    out: Scan,
    open: Option<Open>,
    /// Code blocks and spans (where `{{math` is not looked for and inline
    /// values are written verbatim).
    code: Vec<Range<usize>>,
    /// Lemma blocks (no inline form inside).
    blocks: Vec<Range<usize>>,
    /// Raw HTML (inline values are HTML-escaped).
    html: Vec<Range<usize>>,
    /// Tables (a `|` in code there is escaped).
    tables: Vec<Range<usize>>,
    html_state: html::State,
    /// Inside an autolink (`<https://...>`), whose text is an address.
    autolink: usize,
    /// The inline lemma forms whose brackets the parsed text masks.
    masked: Ranges,
    /// Whether the walk read the parser's text inside a masked form.
    needs_unmasked: bool,
    /// The closings of inline lemma forms already found, by offset.
    closings: Vec<(usize, Result<usize, usize>)>,
}

impl Scanner {
    /// Parses `text` (the chapter, or the chapter with brackets masked:
    /// the same length, the same block structure) and walks its events.
    fn parse_and_walk(&mut self, src: &str, text: &str) {
        // mdBook strips a byte order mark when it loads a chapter; one handed
        // over anyway is parsed after the mark, with offsets kept.
        let base = if src.starts_with(BOM) { BOM.len() } else { 0 };
        let parser = mdbook_markdown::new_cmark_parser(&text[base..], &Default::default());
        let mut iter = parser.into_offset_iter();
        let mut events: Vec<(Event<'_>, Range<usize>)> = Vec::with_capacity(src.len() / 40);
        for (e, r) in &mut iter {
            events.push((e, base + r.start..base + r.end));
        }
        for (_, def) in iter.reference_definitions().iter() {
            // A reference definition can make brackets in a form a link.
            self.reads_text(&(0..src.len()));
            if !def.title.as_ref().is_none_or(|t| t.is_empty()) {
                let span = base + def.span.start..base + def.span.end;
                self.title(src, &span, def.title.as_deref().unwrap_or(""));
            }
        }
        self.walk(src, &events);
    }

    /// The inline forms, and the scan in document order.
    fn finish(mut self, src: &str) -> Scan {
        self.inline(src);
        let mut out = self.out;
        out.found.sort_by_key(|f| f.range.start);
        out
    }

    /// Notes that the walk read the parser's text over `range`, which must
    /// then be the chapter's own.
    fn reads_text(&mut self, range: &Range<usize>) {
        if self.masked.overlaps(range) {
            self.needs_unmasked = true;
        }
    }

    fn error(&mut self, range: Range<usize>, message: impl Into<String>, label: &str) {
        self.out.errors.push(Diag::error(range, message, label));
    }

    fn walk(&mut self, src: &str, events: &[(Event<'_>, Range<usize>)]) {
        for (event, range) in events {
            let range = range.clone();
            match event {
                Event::Start(Tag::CodeBlock(kind)) => self.open_block(src, kind, range),
                Event::End(TagEnd::CodeBlock) => self.close_block(src),
                Event::Text(text) if self.open.is_some() => self.block_text(src, text, range),
                Event::Text(_) | Event::InlineMath(_) | Event::DisplayMath(_) if self.autolink == 0 => {
                    self.out.claims.push(range);
                }
                Event::Code(_) => {
                    self.code.push(range.clone());
                    self.out.claims.push(range);
                }
                Event::Start(Tag::HtmlBlock) => {
                    self.html.push(range.clone());
                    self.swallowed_fences(src, &range);
                }
                Event::Html(_) | Event::InlineHtml(_) => {
                    self.html.push(range.clone());
                    self.html_state.claims(src, range, &mut self.out.claims);
                }
                Event::Start(Tag::Table(_)) => self.tables.push(range),
                Event::Start(Tag::Link { link_type, title, .. }) => {
                    if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                        self.autolink += 1;
                    }
                    if !title.is_empty() && !is_reference(*link_type) {
                        self.title(src, &range, title);
                    }
                }
                Event::End(TagEnd::Link) => self.autolink = self.autolink.saturating_sub(1),
                Event::Start(Tag::Image { title, link_type, .. }) if !title.is_empty() && !is_reference(*link_type) => {
                    self.title(src, &range, title);
                }
                _ => {}
            }
        }
    }

    /// A link or image title, `"..."` at the end of `range`: a claim.
    fn title(&mut self, src: &str, range: &Range<usize>, title: &str) {
        self.reads_text(range);
        let text = &src[range.clone()];
        match text.rfind(title) {
            Some(i) => self.out.claims.push(range.start + i..range.start + i + title.len()),
            // Escapes in the title: the whole link is the place.
            None => {
                if !crate::coverage::numbers(title).is_empty() {
                    self.out.claims.push(range.clone());
                }
            }
        }
    }

    fn open_block(&mut self, src: &str, kind: &CodeBlockKind<'_>, range: Range<usize>) {
        // The info string and a lemma block's body are the parser's text.
        self.reads_text(&range);
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.as_ref(),
            CodeBlockKind::Indented => "",
        };
        let word = info_word(info);
        let fenced = matches!(kind, CodeBlockKind::Fenced(_));
        self.open = Some(match forms::by_fence(word).filter(|_| fenced) {
            Some(k) => {
                let lemma = (KINDS[k].body == Body::Lemma).then(|| {
                    let attrs = info
                        .trim_start()
                        .strip_prefix(word)
                        .unwrap_or("")
                        .split(|c: char| c.is_whitespace() || c == ',')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect();
                    (Block { range: range.clone(), attrs, lines: Vec::new() }, String::new(), Vec::new())
                });
                Open::Form { kind: k, range, text: None, lemma }
            }
            None => {
                if let Some(kind) = forms::near_miss(word, false).filter(|_| fenced) {
                    let line_end = src[range.start..].find('\n').map_or(src.len(), |i| range.start + i);
                    self.error(
                        range.start..line_end,
                        format!("`{word}` is not a block lemma knows, so this block would be shown as code, unevaluated: write `{kind}`"),
                        "unknown block kind",
                    );
                }
                self.code.push(range.clone());
                Open::Code { lang: code::Lang::of(info, !fenced), lines: Vec::new() }
            }
        });
    }

    fn block_text(&mut self, src: &str, text: &str, range: Range<usize>) {
        match &mut self.open {
            Some(Open::Form { kind, text: span, lemma, .. }) => {
                let b = span.get_or_insert(range.clone());
                b.start = b.start.min(range.start);
                b.end = b.end.max(range.end);
                if let Some((_, body, offsets)) = lemma {
                    let exact = src.get(range.clone()) == Some(text);
                    for (k, _) in text.bytes().enumerate() {
                        let o =
                            if exact { range.start + k } else { range.start + k.min(range.len().saturating_sub(1)) };
                        offsets.push(o);
                    }
                    body.push_str(text);
                }
                if KINDS[*kind].body == Body::Latex {
                    self.out.claims.push(range);
                }
            }
            Some(Open::Code { lines, .. }) => {
                let mut at = range.start;
                for line in src[range.clone()].split_inclusive('\n') {
                    lines.push((at, at + line.len()));
                    at += line.len();
                }
            }
            None => {}
        }
    }

    fn close_block(&mut self, src: &str) {
        let (kind, range, text, lemma) = match self.open.take() {
            Some(Open::Form { kind, range, text, lemma }) => (kind, range, text, lemma),
            Some(Open::Code { lang, lines }) => return code::claims(src, lang, &lines, &mut self.out.claims),
            None => return,
        };
        let end = range.start + src[range.clone()].trim_end_matches(['\n', '\r']).len();
        let closed = is_closed(src, &range);
        if !closed && KINDS[kind].body == Body::Lemma {
            let line_end = src[range.start..].find('\n').map_or(src.len(), |i| range.start + i);
            let name = KINDS[kind].fence.unwrap_or(KINDS[kind].name);
            self.error(
                range.start..line_end,
                format!("this {name} block is never closed: add a closing fence"),
                "here",
            );
            return;
        }
        let body = match KINDS[kind].body {
            // The lines between the fences, as they stand in the chapter.
            Body::Markdown => {
                let body_start = src[range.start..end].find('\n').map_or(end, |i| range.start + i + 1);
                let body_end = src[..end].rfind('\n').map_or(end, |i| i + 1).max(body_start);
                body_start..body_end
            }
            _ => text.unwrap_or(range.start..range.start),
        };
        let mut block = None;
        match KINDS[kind].body {
            Body::Lemma => {
                if let Some((mut b, text, offsets)) = lemma {
                    b.lines = Line::split(&text, &offsets);
                    if b.attrs.iter().any(|a| a == "echo") {
                        // The source is shown: its comments are claims.
                        for line in &b.lines {
                            if let Some(c) = code::comment_start(&line.text, "#", false) {
                                self.out.claims.push(line.map(&(c..line.text.len())));
                            }
                        }
                    }
                    for line in &b.lines {
                        for r in string_literals(&line.text) {
                            self.out.strings.push(line.map(&r));
                        }
                    }
                    self.blocks.push(range.clone());
                    block = Some(b);
                }
            }
            Body::Markdown => self.markdown_body(src, &body),
            Body::Latex | Body::Exempt | Body::Marker => self.code.push(range.clone()),
        }
        self.out.found.push(Found { kind, range: range.start..end, body, fenced: true, context: Context::Code, block });
    }

    /// A Markdown body (an exercise's): its code and raw HTML decide how
    /// forms in it are written; every number in it is a claim, but for the
    /// `tolerance:` line (an input of the self-check). Only a body that
    /// stands contiguous in the chapter (not re-prefixed inside a block
    /// quote or list) is parsed; inside a container it is all prose.
    fn markdown_body(&mut self, src: &str, body: &Range<usize>) {
        let Some(text) = src.get(body.clone()) else { return };
        let mut at = body.start;
        for line in text.split_inclusive('\n') {
            let t = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
            if !t.starts_with("tolerance:") {
                self.out.claims.push(at..at + line.len());
            }
            at += line.len();
        }
        if text.lines().any(|l| l.trim_start().starts_with('>')) {
            return;
        }
        for (event, r) in mdbook_markdown::new_cmark_parser(text, &Default::default()).into_offset_iter() {
            let r = body.start + r.start..body.start + r.end;
            match event {
                Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => self.code.push(r),
                Event::Start(Tag::HtmlBlock) | Event::Html(_) | Event::InlineHtml(_) => self.html.push(r),
                _ => {}
            }
        }
    }

    /// A fenced lemma, math or exercise block inside an HTML block (no blank
    /// line after `<details>`, say) is not a block to mdBook: it would be
    /// shown as raw text. That is an error.
    fn swallowed_fences(&mut self, src: &str, range: &Range<usize>) {
        let mut at = range.start;
        for line in src[range.clone()].split_inclusive('\n') {
            let t = line.trim_start_matches(['>', ' ', '\t']);
            let fence = t.starts_with("```") || t.starts_with("~~~");
            if fence {
                let info = t.trim_start_matches(['`', '~']);
                let word = info_word(info);
                if forms::by_fence(word).is_some() || forms::near_miss(word, false).is_some() {
                    let end = at + line.trim_end_matches(['\n', '\r']).len();
                    self.error(
                        at..end,
                        "this block is inside an HTML block, so mdBook would show it as raw text, unevaluated: put a blank line between it and the HTML tags around it",
                        "inside an HTML block",
                    );
                }
            }
            at += line.len();
        }
    }
}

/// The contents of the string literals of a line of lemma source (before a
/// `#` comment).
fn string_literals(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Straight to the next quote or comment: most forms have neither.
    while let Some(k) = b.get(i..).and_then(|rest| memchr::memchr2(b'#', b'"', rest)) {
        let at = i + k;
        if b[at] == b'#' {
            break;
        }
        let start = at + 1;
        let mut j = start;
        while j < b.len() && b[j] != b'"' {
            j += if b[j] == b'\\' { 2 } else { 1 };
        }
        out.push(start..j.min(b.len()));
        i = j + 1;
    }
    out
}

fn is_reference(t: LinkType) -> bool {
    matches!(t, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut)
}

/// The first word of an info string: `rust` of `rust,ignore`, `lemma` of
/// `{lemma}` or `lemma echo`.
pub fn info_word(info: &str) -> &str {
    let t = info.trim_start().trim_start_matches(['{', '.']);
    let end = t.find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | '{')).unwrap_or(t.len());
    &t[..end]
}

/// The one closing-brace matcher: the offset of the `}}` that closes a form
/// whose body starts at `from`, on the same line. `Err` holds the line's
/// end. In [`Closing::Lemma`] with an unterminated string, the first `}}` at
/// all closes (the lemma parser then reports the string).
fn closing(src: &str, from: usize, mode: Closing) -> Result<usize, usize> {
    let b = src.as_bytes();
    let mut in_string = false;
    let mut first_any = None;
    let mut depth = 0usize;
    let mut j = from;
    while j < b.len() {
        if mode == Closing::Lemma && !in_string {
            // Outside a string only these three bytes matter.
            match memchr::memchr3(b'\n', b'"', b'}', &b[j..]) {
                Some(k) => j += k,
                None => break,
            }
        }
        match b[j] {
            b'\n' => return first_any.ok_or(j),
            b'\\' if mode == Closing::Braces || in_string => j += 1,
            b'"' if mode == Closing::Lemma => in_string = !in_string,
            b'{' if mode == Closing::Braces => depth += 1,
            b'}' if mode == Closing::Braces && depth > 0 => depth -= 1,
            b'}' if b.get(j + 1) == Some(&b'}') => {
                if !in_string {
                    return Ok(j);
                }
                first_any = first_any.or(Some(j));
            }
            _ => {}
        }
        j += 1;
    }
    first_any.ok_or(b.len())
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
