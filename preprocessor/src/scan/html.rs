//! What in raw HTML a reader sees: the text between tags, and the `title`
//! and `alt` attributes (a tooltip, an image's text). Comments, the inside
//! of `<script>` and `<style>`, and every other attribute (sizes, styles,
//! addresses) are not shown as text, so numbers there are not claims.

use std::ops::Range;

/// Where the scan stands between pieces of HTML (a comment or a tag can
/// span several lines, which mdBook hands over as separate events).
#[derive(Debug, Clone, Default)]
pub struct State {
    in_comment: bool,
    /// Inside a tag: the quote of the attribute value being read, if any.
    in_tag: Option<Option<u8>>,
    /// Inside `<script>` or `<style>`: the closing tag looked for.
    raw: Option<&'static str>,
}

impl State {
    /// Adds the claims of the HTML at `range` of `src` to `out`.
    pub fn claims(&mut self, src: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
        let b = src.as_bytes();
        let mut i = range.start;
        let end = range.end;
        while i < end {
            if self.in_comment {
                match src[i..end].find("-->") {
                    Some(j) => {
                        self.in_comment = false;
                        i += j + 3;
                    }
                    None => return,
                }
                continue;
            }
            if let Some(close) = self.raw {
                match find_ci(&src[i..end], close) {
                    Some(j) => {
                        self.raw = None;
                        self.in_tag = Some(None);
                        i += j + close.len();
                    }
                    None => return,
                }
                continue;
            }
            if let Some(quote) = self.in_tag {
                i = self.tag(src, i, end, quote, out);
                continue;
            }
            // Text up to the next tag or comment.
            let next = src[i..end].find('<').map_or(end, |j| i + j);
            if next > i {
                out.push(i..next);
            }
            i = next;
            if i >= end {
                break;
            }
            if src[i..].starts_with("<!--") {
                self.in_comment = true;
                i += 4;
            } else if b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/' || *c == b'!' || *c == b'?') {
                let name_len = b[i + 1..end].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
                let name = src[i + 1..i + 1 + name_len].to_ascii_lowercase();
                self.raw = match name.as_str() {
                    "script" => Some("</script"),
                    "style" => Some("</style"),
                    _ => None,
                };
                self.in_tag = Some(None);
                i += 1 + name_len;
                if self.raw.is_some() {
                    // The opening tag's attributes, then raw text to the
                    // closing tag.
                    let raw = self.raw.take();
                    i = self.tag(src, i, end, None, out);
                    self.raw = raw;
                }
            } else {
                out.push(i..i + 1);
                i += 1;
            }
        }
    }

    /// Reads inside a tag from `i`: attribute values of `title` and `alt`
    /// are claims. Returns where it stopped (after `>`, or `end`).
    fn tag(
        &mut self,
        src: &str,
        mut i: usize,
        end: usize,
        mut quote: Option<u8>,
        out: &mut Vec<Range<usize>>,
    ) -> usize {
        let b = src.as_bytes();
        while i < end {
            let c = b[i];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'"' || c == b'\'' => {
                    let name_end = src[..i].trim_end_matches(char::is_whitespace).trim_end_matches('=');
                    let name_end = name_end.trim_end_matches(char::is_whitespace);
                    let name = name_end.rsplit(|c: char| c.is_whitespace() || c == '<').next().unwrap_or("");
                    let shown = name.eq_ignore_ascii_case("title") || name.eq_ignore_ascii_case("alt");
                    match src[i + 1..end].find(c as char) {
                        Some(j) => {
                            if shown {
                                out.push(i + 1..i + 1 + j);
                            }
                            i += j + 2;
                            continue;
                        }
                        None => {
                            if shown {
                                out.push(i + 1..end);
                            }
                            quote = Some(c);
                        }
                    }
                }
                None if c == b'>' => {
                    self.in_tag = None;
                    return i + 1;
                }
                None => {}
            }
            i += 1;
        }
        self.in_tag = Some(quote);
        end
    }
}

/// The first occurrence of ASCII `needle` in `hay`, ignoring case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.as_bytes().windows(n).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}
