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
    use expect_test::expect;

    use super::*;

    /// An edit as the table writes it: range, text, whether a blank line
    /// must follow.
    type Case<'a> = (&'a str, &'a [(Range<usize>, &'a str, bool)]);

    /// Each source with its edits (`+blank` when a blank line must follow),
    /// then the spliced text, all as Rust string literals.
    fn table(cases: &[Case<'_>]) -> String {
        let mut out = String::new();
        for (src, edits) in cases {
            let shown: Vec<String> =
                edits.iter().map(|(r, t, b)| format!("{r:?} {t:?}{}", if *b { " +blank" } else { "" })).collect();
            let edits: Vec<Edit> =
                edits.iter().map(|(r, t, b)| Edit { range: r.clone(), text: t.to_string(), blank_after: *b }).collect();
            out += &format!("{src:?} [{}]\n    {:?}\n", shown.join(", "), splice(src, &edits));
        }
        out
    }

    #[test]
    fn edits() {
        let cases: &[Case<'_>] = &[
            ("abc", &[]),
            ("p = {{lemma p}}.", &[(4..15, "0.5", false)]),
            ("a {{x}} b {{y}}", &[(2..7, "1", false), (10..15, "2", false)]),
            ("> ```lemma\n> x\n> ```\n> after\n", &[(2..20, "<div></div>", true)]),
            ("> ```lemma\n> x\n> ```\n>\n> after\n", &[(2..20, "<div></div>", true)]),
            ("- ```lemma\n  x\n  ```\n", &[(2..20, "```text\nx\n```", false)]),
            ("> - ```lemma\r\n>   x\r\n>   ```\r\n", &[(4..28, "a\n\nb", false)]),
            ("```lemma\nx\n```\n", &[(0..14, "", false)]),
            // More: no container, the end of the text, CRLF, insertions.
            ("```lemma\nx\n```\nafter\n", &[(0..14, "<div></div>", true)]),
            ("```lemma\nx\n```\n\nafter\n", &[(0..14, "<div></div>", true)]),
            ("```lemma\nx\n```", &[(0..14, "<div></div>", true)]),
            ("```lemma\r\nx\r\n```\r\nafter\r\n", &[(0..16, "<div></div>", true)]),
            ("```lemma\r\nx\r\n```\r\n", &[(0..16, "a\nb", false)]),
            ("ab", &[(0..0, "<", false), (2..2, ">", false)]),
            ("ab", &[(0..2, "", false)]),
            ("x {{lemma p}}", &[(2..13, "0.5", false)]),
            ("10. ```lemma\n    x\n    ```\n", &[(4..26, "a\nb", false)]),
            ("\t> ```lemma\n\t> ```\n", &[(3..18, "a\nb", false)]),
            ("é ```lemma\n```\n", &[(3..15, "a\nb", false)]),
            ("> > ```lemma\n> > ```\n> > next\n", &[(4..20, "<div></div>", true)]),
            ("- a\n\n  ```lemma\n  ```\n- b\n", &[(7..21, "<div></div>", true)]),
        ];
        expect![[r#"
            "abc" []
                "abc"
            "p = {{lemma p}}." [4..15 "0.5"]
                "p = 0.5."
            "a {{x}} b {{y}}" [2..7 "1", 10..15 "2"]
                "a 1 b 2"
            "> ```lemma\n> x\n> ```\n> after\n" [2..20 "<div></div>" +blank]
                "> <div></div>\n>\n> after\n"
            "> ```lemma\n> x\n> ```\n>\n> after\n" [2..20 "<div></div>" +blank]
                "> <div></div>\n>\n> after\n"
            "- ```lemma\n  x\n  ```\n" [2..20 "```text\nx\n```"]
                "- ```text\n  x\n  ```\n"
            "> - ```lemma\r\n>   x\r\n>   ```\r\n" [4..28 "a\n\nb"]
                "> - a\r\n>\r\n>   b\r\n"
            "```lemma\nx\n```\n" [0..14 ""]
                "\n"
            "```lemma\nx\n```\nafter\n" [0..14 "<div></div>" +blank]
                "<div></div>\n\nafter\n"
            "```lemma\nx\n```\n\nafter\n" [0..14 "<div></div>" +blank]
                "<div></div>\n\nafter\n"
            "```lemma\nx\n```" [0..14 "<div></div>" +blank]
                "<div></div>"
            "```lemma\r\nx\r\n```\r\nafter\r\n" [0..16 "<div></div>" +blank]
                "<div></div>\r\n\r\nafter\r\n"
            "```lemma\r\nx\r\n```\r\n" [0..16 "a\nb"]
                "a\r\nb\r\n"
            "ab" [0..0 "<", 2..2 ">"]
                "<ab>"
            "ab" [0..2 ""]
                ""
            "x {{lemma p}}" [2..13 "0.5"]
                "x 0.5"
            "10. ```lemma\n    x\n    ```\n" [4..26 "a\nb"]
                "10. a\n    b\n"
            "\t> ```lemma\n\t> ```\n" [3..18 "a\nb"]
                "\t> a\n\t> b\n"
            "é ```lemma\n```\n" [3..15 "a\nb"]
                "é a\n  b\n"
            "> > ```lemma\n> > ```\n> > next\n" [4..20 "<div></div>" +blank]
                "> > <div></div>\n> >\n> > next\n"
            "- a\n\n  ```lemma\n  ```\n- b\n" [7..21 "<div></div>" +blank]
                "- a\n\n  <div></div>\n\n- b\n"
        "#]]
        .assert_eq(&table(cases));
    }
}
