//! The scanner's pass over every `{{` of a chapter: the inline forms, and
//! the text around a value that would change the number a reader sees.

use super::mask::{braces, keyword_len};
use super::{Scanner, closing, string_literals};
use crate::forms::{self, Body, Closing, Found, KINDS};
use crate::parse::markdown::Context;
use crate::ranges::Ranges;

impl Scanner {
    /// Every `{{` of the chapter, once.
    pub(super) fn inline(&mut self, src: &str) {
        let code = Ranges::new(std::mem::take(&mut self.code));
        let blocks = Ranges::new(std::mem::take(&mut self.blocks));
        let html = Ranges::new(std::mem::take(&mut self.html));
        let tables = Ranges::new(std::mem::take(&mut self.tables));
        // Inside an inline formula, values are written verbatim into LaTeX.
        let mut verbatim_until = 0;
        // The end of the line on which a form was left unclosed: the rest of
        // that line is not read again (a line of a thousand unclosed forms
        // costs one error and one read).
        let mut skip_until = 0;
        let b = src.as_bytes();
        let mut from = 0;
        // `from` only ever moves past a `{{` or a form's `}}`, so no `{{`
        // straddles it.
        for at in braces(b) {
            if at < from {
                continue;
            }
            from = at + 2;
            if at < skip_until || blocks.contains(at) {
                continue;
            }
            let ws = b[at + 2..].iter().take_while(|c| **c == b' ' || **c == b'\t').count();
            let kw = at + 2 + ws;
            let word_len = keyword_len(&b[kw..]);
            let word = &src[kw..kw + word_len];
            let after = kw + word_len;
            let escaped = at > 0 && b[at - 1] == b'\\';
            let in_code = code.contains(at);
            // Only a form that is not closed as it should be needs its line's
            // end.
            let line_end = || memchr::memchr(b'\n', &b[at..]).map_or(src.len(), |j| at + j);
            let found = forms::by_keyword(word).filter(|_| ws == 0);
            let Some(k) = found.filter(|k| in_code <= KINDS[*k].inline.is_some_and(|i| i.in_code)) else {
                // Not a form here. Lemma-looking text is an error: a
                // keyword in another case, with a space before it, or run
                // on (`{{lemmas`), unless escaped or, for kinds not found
                // in code, in code.
                if found.is_none()
                    && !escaped
                    && let Some(kind) = forms::near_miss(word, true)
                    && (!in_code || forms::by_keyword(kind).is_some_and(|k| KINDS[k].inline.is_some_and(|i| i.in_code)))
                {
                    self.error(
                        at..after,
                        format!(
                            "`{}` is not a lemma form, so it would be shown raw: write `{{{{{kind}`",
                            &src[at..after]
                        ),
                        "unknown form",
                    );
                }
                continue;
            };
            let kind = &KINDS[k];
            let Some(syntax) = kind.inline else { continue };
            if escaped {
                let end = match syntax.closing {
                    Closing::Marker => src[after..].starts_with("}}").then_some(after + 2),
                    c => closing(src, after, c).ok().map(|j| j + 2),
                };
                self.out.escapes.push(at - 1);
                self.out.literal.push(at - 1..end.unwrap_or_else(line_end));
                continue;
            }
            let context = if in_code || at < verbatim_until {
                if tables.contains(at) { Context::TableCode } else { Context::Code }
            } else if html.contains(at) {
                Context::Html
            } else {
                Context::Prose
            };
            let name = kind.name;
            let body_start = match syntax.closing {
                Closing::Marker => after,
                Closing::Lemma => after,
                Closing::Braces => {
                    if !src[after..].starts_with(char::is_whitespace) || src[after..line_end()].trim().is_empty() {
                        self.error(
                            at..after,
                            format!("`{{{{{word}` needs its {name} after it, on the same line"),
                            "empty",
                        );
                        continue;
                    }
                    after
                }
            };
            let close = match syntax.closing {
                Closing::Marker => {
                    if src[after..].starts_with("}}") {
                        Ok(after)
                    } else {
                        Err(line_end())
                    }
                }
                Closing::Lemma => match self.closings.binary_search_by_key(&at, |c| c.0) {
                    Ok(i) => self.closings[i].1,
                    Err(_) => closing(src, body_start, Closing::Lemma),
                },
                c => closing(src, body_start, c),
            };
            let Ok(j) = close else {
                self.error(
                    at..line_end().max(after).min(src.len()),
                    match syntax.closing {
                        Closing::Braces => format!("this inline {name} is not closed: `{{{{{word}` needs a `}}}}` on the same line, after balanced braces"),
                        _ => format!("this inline {name} is not closed with `}}}}` on the same line"),
                    },
                    "not closed",
                );
                skip_until = line_end();
                continue;
            };
            let end = j + 2;
            let t = &src[body_start..j];
            let body = match kind.body {
                Body::Lemma => body_start..j,
                _ => body_start + (t.len() - t.trim_start().len())..body_start + t.trim_end().len(),
            };
            match kind.body {
                Body::Lemma => {
                    self.glued(src, at, end);
                    for r in string_literals(&src[body_start..j]) {
                        self.out.strings.push(body_start + r.start..body_start + r.end);
                    }
                    from = end;
                }
                Body::Latex => {
                    self.out.claims.push(body.clone());
                    // Lemma forms inside are found as the scan goes on.
                    verbatim_until = end;
                }
                Body::Markdown => self.out.claims.push(body.clone()),
                Body::Exempt | Body::Marker => from = end,
            }
            self.out.found.push(Found { kind: k, range: at..end, body, fenced: false, context, block: None });
        }
    }

    /// Text touching an inline value that would change the number a reader
    /// sees: a digit, a decimal point, a sign, `%` or an exponent.
    fn glued(&mut self, src: &str, at: usize, end: usize) {
        let mut back = src[..at].chars().rev();
        let bad_before = match back.next() {
            Some(c) if c.is_ascii_digit() || matches!(c, '-' | '−' | '+' | '±') => Some(c),
            Some('.') if back.next().is_some_and(|d| d.is_ascii_digit()) => Some('.'),
            _ => None,
        };
        if let Some(c) = bad_before {
            let start = at - c.len_utf8();
            self.error(
                start..end,
                format!("`{c}` right before this value changes the number a reader sees: put a space between them, or compute the whole number inside the form"),
                "glued to the value",
            );
        }
        let rest = &src[end..];
        let mut chars = rest.chars();
        let first = chars.next();
        let second = chars.next();
        let third = chars.next();
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        let bad_after = match first {
            Some(c) if c.is_ascii_digit() || c == '%' || c == '‰' => Some(c.len_utf8()),
            Some(' ' | '\u{a0}') if second == Some('%') => Some(first.map_or(1, char::len_utf8) + 1),
            Some('.' | ',') if digit(second) => Some(1),
            Some('e' | 'E') if digit(second) || (matches!(second, Some('-' | '+' | '−')) && digit(third)) => Some(1),
            _ if rest.starts_with("{{lemma") => Some(2),
            _ => None,
        };
        if let Some(n) = bad_after {
            let what = &src[end..end + n];
            self.error(
                at..end + n,
                format!("`{what}` right after this value changes the number a reader sees: put a space or punctuation between them, or compute the whole number inside the form (`; pct=N` writes a percentage)"),
                "glued to the value",
            );
        }
    }
}
