//! Masking the brackets of inline lemma forms changes how pulldown-cmark
//! splits the text, never what the scan finds: the same forms, errors,
//! strings, escapes and literal forms, and claims that cover the same bytes
//! (coverage reads the claims as one set of ranges). `tests/robust/masking.rs`
//! holds the same over every Markdown file of the repository.

use proptest::prelude::*;

use super::{Scan, mask_lemma_brackets, scan, scan_as_written};
use crate::ranges::Ranges;

/// The scan with its claims as the set of bytes they cover.
fn normalized(s: Scan) -> String {
    let claims: Vec<_> = Ranges::new(s.claims.clone()).iter().cloned().collect();
    format!("{:?}", Scan { claims, ..s })
}

/// Whether `src` takes the masked path and keeps it.
fn kept_masked(src: &str) -> bool {
    let mask = mask_lemma_brackets(src);
    mask.text.is_some_and(|masked| {
        let mut s = super::Scanner { masked: Ranges::new(mask.forms), ..Default::default() };
        s.parse_and_walk(src, &masked);
        !s.needs_unmasked
    })
}

fn same(src: &str) {
    assert_eq!(normalized(scan(src)), normalized(scan_as_written(src)), "the scans differ on:\n{src}");
}

#[test]
fn masked_forms_in_blocks_and_titles_fall_back() {
    for src in [
        "```lemma\nx = 1 # {{lemma [1]}}\n```\n",
        "```markdown\nThe logits {{lemma z = [1, 2]}}.\n```\n",
        "```text {{lemma [1]}}\nx\n```\n",
        "[a](u \"{{lemma [2]}}\")\n",
        "[a]: u \"{{lemma [2]}}\"\n\n[a]\n",
    ] {
        assert!(mask_lemma_brackets(src).text.is_some());
        assert!(!kept_masked(src), "kept the masked parse of:\n{src}");
        same(src);
    }
    let prose = "Take {{lemma z = [1.5, 2]}}, then {{lemma softmax(z) ≈ [0.38, 0.62]}}.\n";
    assert!(kept_masked(prose));
    same(prose);
}

/// Markdown around lemma forms with brackets: links, references,
/// emphasis, code, HTML, escapes, tables, lists, quotes and fences.
const PIECES: &[&str] = &[
    "{{lemma z = [1.5, 2]}}",
    "{{lemma softmax(z) ≈ [0.38, 0.62]}}",
    "{{lemma z[0]}}",
    "{{lemma [\"a]\", \"[b\"]}}",
    "{{lemma x = [[1, 2], [3, 4]]}}",
    "\\{{lemma [1]}}",
    "{{lemma [1",
    "{{math [a] {{lemma z[1]}}}}",
    "{{exempt [3]}}",
    "[",
    "]",
    "](u)",
    "[x]",
    "[x]: u \"t 2.5\"\n",
    "[^1]",
    "[link](http://a \"title 3\")",
    "![img](i.png \"4.5\")",
    "*",
    "_",
    "**",
    "`",
    "``",
    "<b>",
    "</b>",
    "<http://a/[1]>",
    "\\",
    "\\[",
    "2.5",
    " ",
    "text ",
    "\n",
    "\n\n",
    "> ",
    "- ",
    "1. ",
    "    ",
    "| a | b |\n|---|---|\n| ",
    "```\n",
    "```lemma\n",
    "```python\n",
    "<details>\n",
    "# ",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn masking_changes_nothing(pieces in proptest::collection::vec(0..PIECES.len(), 0..40)) {
        let src: String = pieces.iter().map(|&i| PIECES[i]).collect();
        prop_assert_eq!(normalized(scan(&src)), normalized(scan_as_written(&src)), "on:\n{}", src);
    }
}

/// `string_literals` as it was first written, one byte at a time.
fn reference_string_literals(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => break,
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                out.push(start..j.min(b.len()));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// `closing` as it was first written, one byte at a time.
fn reference_closing(src: &str, from: usize, mode: crate::forms::Closing) -> Result<usize, usize> {
    use crate::forms::Closing;
    let b = src.as_bytes();
    let mut in_string = false;
    let mut first_any = None;
    let mut depth = 0usize;
    let mut j = from;
    while j < b.len() {
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

/// The bytes the two scans above look at, and some they do not.
const BYTES: &[char] = &['"', '\\', '#', '}', '{', '\n', 'a', ' ', '≈', '1'];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn string_literals_and_closing_match_the_bytewise_originals(
        chars in proptest::collection::vec(proptest::sample::select(BYTES), 0..24),
        from in 0usize..24,
    ) {
        use crate::forms::Closing;
        let text: String = chars.into_iter().collect();
        prop_assert_eq!(super::string_literals(&text), reference_string_literals(&text));
        if let Some(from) = (0..=from.min(text.len())).rev().find(|&f| text.is_char_boundary(f)) {
            for mode in [Closing::Lemma, Closing::Braces] {
                prop_assert_eq!(super::closing(&text, from, mode), reference_closing(&text, from, mode), "{:?} from {}", text, from);
            }
        }
    }
}
