//! Phase 5: the only code that rewrites chapter text.
//!
//! Edits replace byte ranges; every byte outside them is copied as it was.
//! A replacement of several lines that stands inside a container (a block
//! quote, a list item) gets the container's prefix re-applied to each line
//! after the first, so it stays inside the container.

use std::ops::Range;

/// One replacement.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    /// The bytes replaced.
    pub range: Range<usize>,
    /// What replaces them; lines separated by `\n`.
    pub text: String,
    /// Whether the replacement is an HTML block that must be followed by a
    /// blank line (so a paragraph right after it is not swallowed by it).
    pub blank_after: bool,
}

/// The continuation prefix for a line whose content starts at `at`: the text
/// from the line start to `at`, with `>` and whitespace kept and every other
/// character (list markers) turned into spaces.
pub fn continuation_prefix(src: &str, at: usize) -> String {
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    src[line_start..at].chars().map(|c| if c == '>' || c.is_whitespace() { c } else { ' ' }).collect()
}

/// Applies `edits` (sorted, not overlapping) to `src`.
pub fn splice(src: &str, edits: &[Edit]) -> String {
    if edits.is_empty() {
        return src.to_string();
    }
    let mut out = String::with_capacity(src.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut pos = 0;
    for e in edits {
        debug_assert!(e.range.start >= pos, "edits overlap");
        let start = e.range.start.max(pos);
        out.push_str(&src[pos..start]);
        let newline =
            if src[..start].ends_with('\r') || src[e.range.end..].starts_with("\r\n") { "\r\n" } else { "\n" };
        let prefix =
            if e.text.contains('\n') || e.blank_after { continuation_prefix(src, start) } else { String::new() };
        for (i, line) in e.text.split('\n').enumerate() {
            if i > 0 {
                out.push_str(newline);
                push_prefixed(&mut out, &prefix, line);
            } else {
                out.push_str(line);
            }
        }
        pos = e.range.end.max(start);
        if e.blank_after && !followed_by_blank(src, pos) {
            out.push_str(newline);
            out.push_str(prefix.trim_end());
        }
    }
    out.push_str(&src[pos..]);
    out
}

fn push_prefixed(out: &mut String, prefix: &str, line: &str) {
    if line.is_empty() {
        out.push_str(prefix.trim_end());
    } else {
        out.push_str(prefix);
        out.push_str(line);
    }
}

/// Whether the line after the one ending at `pos` is blank (or absent),
/// ignoring container markers.
fn followed_by_blank(src: &str, pos: usize) -> bool {
    let rest = &src[pos..];
    let Some(nl) = rest.find('\n') else { return true };
    let next = &rest[nl + 1..];
    let line = next.split('\n').next().unwrap_or("");
    line.trim_matches(|c: char| c == '>' || c.is_whitespace()).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(src: &str, edits: &[(Range<usize>, &str, bool)], expect: &str) {
        let edits: Vec<Edit> =
            edits.iter().map(|(r, t, b)| Edit { range: r.clone(), text: t.to_string(), blank_after: *b }).collect();
        assert_eq!(splice(src, &edits), expect, "splicing {src:?}");
    }

    #[test]
    fn edits() {
        check("abc", &[], "abc");
        check("p = {{lemma p}}.", &[(4..15, "0.5", false)], "p = 0.5.");
        check("a {{x}} b {{y}}", &[(2..7, "1", false), (10..15, "2", false)], "a 1 b 2");
        check("> ```lemma\n> x\n> ```\n> after\n", &[(2..20, "<div></div>", true)], "> <div></div>\n>\n> after\n");
        check("> ```lemma\n> x\n> ```\n>\n> after\n", &[(2..20, "<div></div>", true)], "> <div></div>\n>\n> after\n");
        check("- ```lemma\n  x\n  ```\n", &[(2..20, "```text\nx\n```", false)], "- ```text\n  x\n  ```\n");
        check("> - ```lemma\r\n>   x\r\n>   ```\r\n", &[(4..28, "a\n\nb", false)], "> - a\r\n>\r\n>   b\r\n");
        check("```lemma\nx\n```\n", &[(0..14, "", false)], "\n");
    }
}
