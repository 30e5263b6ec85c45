//! Number coverage: every number a chapter states is computed by lemma,
//! checked by lemma, or explicitly exempted.
//!
//! # What counts as a number
//!
//! A *number* is a decimal (`0.5`, `.25`, `97.1`), a percentage (`97%`,
//! `97.1%`) or a number in scientific notation (`1e-3`, `4.2E+18`). Plain
//! integers (`3 classes`, `chapter 2`, `2024`) are not: they count things
//! and name things. Digits inside a word (`log2`, `x1`, `z_0`) and version
//! strings with two or more dots (`0.5.4`) are not numbers either.
//!
//! # Where numbers are looked for
//!
//! In prose (paragraphs, headings, lists, tables, inline code), inside
//! formulas (`{{math ...}}` and `math` blocks), inside `exercise` blocks, and
//! in the comments of code blocks (after `#` in `python`, `py`, `sh`,
//! `bash`, `toml` blocks; after `//` in `rust`, `js`, `javascript`, `c`,
//! `cpp` blocks). Other code blocks (for example `markdown` or `text`
//! samples), raw HTML and HTML comments are not scanned, and neither is the
//! inside of a lemma form or of an escaped `\{{lemma ...}}` (that is lemma
//! syntax, not a claim).
//!
//! # Exempting a number
//!
//! `{{exempt TEXT}}` writes `TEXT` unchanged and exempts every number in it:
//! for a number that is an input the book does not compute and cannot
//! check (say, a learning rate quoted from a paper). `\{{exempt ...}}` writes
//! the form literally.

use std::ops::Range;

use crate::ranges::Ranges;

use mdbook_markdown::pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

/// What to do with an unchecked number (`unchecked-numbers` in book.toml).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Setting {
    /// An error: the build fails.
    Deny,
    /// A warning.
    #[default]
    Warn,
    /// Nothing (still counted).
    Allow,
}

impl Setting {
    /// Parses the book.toml value.
    pub fn parse(s: &str) -> Option<Setting> {
        match s {
            "deny" => Some(Setting::Deny),
            "warn" => Some(Setting::Warn),
            "allow" => Some(Setting::Allow),
            _ => None,
        }
    }
}

/// The opening of an exemption.
pub const EXEMPT: &str = "{{exempt";

/// An `{{exempt TEXT}}` form.
#[derive(Debug, Clone, PartialEq)]
pub struct Exempt {
    /// The whole form.
    pub range: Range<usize>,
    /// `TEXT`.
    pub text: Range<usize>,
    /// How many numbers it exempts.
    pub numbers: usize,
}

/// The numbers of a chapter that nothing accounts for, and its exemptions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coverage {
    /// Unchecked numbers, in document order.
    pub unchecked: Vec<Range<usize>>,
    /// Exemptions.
    pub exempt: Vec<Exempt>,
    /// Backslashes of escaped `\{{exempt ...}}` forms (written literally).
    pub escapes: Vec<usize>,
}

/// Finds the `{{exempt ...}}` forms (closed on the same line) and the
/// backslashes of escaped ones.
pub fn find_exempt(src: &str) -> (Vec<Exempt>, Vec<usize>) {
    let mut out = Vec::new();
    let mut escapes = Vec::new();
    let mut from = 0;
    while let Some(i) = src[from..].find(EXEMPT) {
        let at = from + i;
        from = at + EXEMPT.len();
        if !src[from..].starts_with(char::is_whitespace) {
            continue;
        }
        if at > 0 && src.as_bytes()[at - 1] == b'\\' {
            escapes.push(at - 1);
            continue;
        }
        let line_end = src[from..].find('\n').map_or(src.len(), |j| from + j);
        if let Some(j) = src[from..line_end].find("}}") {
            let raw = from..from + j;
            let t = &src[raw.clone()];
            let lead = t.len() - t.trim_start().len();
            let text = raw.start + lead..raw.start + t.trim_end().len();
            let numbers = numbers(&src[text.clone()]).len();
            out.push(Exempt { range: at..from + j + 2, text, numbers });
            from += j + 2;
        }
    }
    (out, escapes)
}

/// Scans a chapter. `skip` holds ranges where numbers are lemma syntax
/// (lemma forms and escaped literal forms).
#[cfg(test)]
pub fn scan(src: &str, skip: &[Range<usize>]) -> Coverage {
    scan_in(src, &crate::parse::markdown::events(src), skip)
}

/// [`scan`] over the [`events`](crate::parse::markdown::events) of `src`,
/// parsed already.
pub fn scan_in(src: &str, events: &[(Event<'_>, Range<usize>)], skip: &[Range<usize>]) -> Coverage {
    let (exempt, escapes) = find_exempt(src);
    let mut regions: Vec<Range<usize>> = Vec::new();
    let mut code: Option<Comment> = None;
    for (event, range) in events {
        let range = range.clone();
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or(""),
                    CodeBlockKind::Indented => "",
                };
                code = Some(match lang {
                    "math" | "exercise" => Comment::All,
                    "python" | "py" | "sh" | "bash" | "toml" => Comment::After("#"),
                    "rust" | "js" | "javascript" | "c" | "cpp" => Comment::After("//"),
                    _ => Comment::None,
                });
            }
            Event::End(TagEnd::CodeBlock) => code = None,
            Event::Text(_) => match code {
                None | Some(Comment::All) => regions.push(range),
                Some(Comment::After(mark)) => {
                    let mut at = range.start;
                    for line in src[range.clone()].split_inclusive('\n') {
                        if let Some(c) = comment_start(line, mark) {
                            regions.push(at + c..at + line.len());
                        }
                        at += line.len();
                    }
                }
                Some(Comment::None) => {}
            },
            Event::Code(_) => regions.push(range),
            _ => {}
        }
    }
    // Everything a number may stand in without being unchecked: lemma forms
    // (`skip`), exemptions, and literal `\{{exempt ...}}` text, as one set
    // with binary-searched membership (a chapter stays linear in its size).
    let literal = escapes.iter().map(|&o| {
        let line_end = src[o..].find('\n').map_or(src.len(), |j| o + j);
        o..src[o..line_end].find("}}").map_or(line_end, |j| o + j + 2)
    });
    let covered =
        Ranges::new(skip.iter().cloned().chain(exempt.iter().map(|e| e.range.clone())).chain(literal).collect());
    let mut unchecked = Vec::new();
    for r in regions {
        // Only the text outside forms is scanned: most digits of a chapter
        // stand inside its lemma forms.
        for g in covered.gaps(r) {
            unchecked.extend(numbers(&src[g.clone()]).into_iter().map(|n| g.start + n.start..g.start + n.end));
        }
    }
    unchecked.sort_by_key(|r| r.start);
    unchecked.dedup();
    Coverage { unchecked, exempt, escapes }
}

#[derive(Debug, Clone, Copy)]
enum Comment {
    All,
    After(&'static str),
    None,
}

/// Where a line comment starts, outside string literals.
fn comment_start(line: &str, mark: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            None if line[i..].starts_with(mark) => return Some(i),
            None => {}
        }
    }
    None
}

/// The offset of the first ASCII digit or `.` in `b`. Most of a chapter's
/// prose is skipped here, so it goes eight bytes at a time: a word of eight
/// bytes is tested for a byte in `b'-' + 1 .. b':'` (`.`, `/` and the
/// digits) at once, and only a word that has one is looked at byte by byte.
fn next_digit_or_dot(b: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const LOW7: u64 = ONES * 0x7f;
    const HIGH: u64 = ONES * 0x80;
    let is = |c: u8| c.is_ascii_digit() || c == b'.';
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // Per byte, without carries between bytes: the high bit is set
        // where the byte is ASCII and greater than b'-' (45) and less than
        // b':' (58) (the "has between" test of Bit Twiddling Hacks).
        let low = x & LOW7;
        let between = (ONES * (127 + 58) - low) & !x & (low + ONES * (127 - 45)) & HIGH;
        if between != 0
            && let Some(k) = chunk.iter().position(|&c| is(c))
        {
            return Some(at + k);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&c| is(c)).map(|k| at + k)
}

/// The numbers in `s` (decimals, percentages, scientific), as ranges.
pub fn numbers(s: &str) -> Vec<Range<usize>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // Jump to the next digit or dot: nothing else can start a number.
        // A digit or dot glued to a word (`log2`, `x.5`, `v0.5.4`) then
        // continues that word, as if the word had been read from its start.
        // (Only a word that starts inside the bytes jumped over: where the
        // last token ended, the next one starts afresh.)
        let k = match next_digit_or_dot(&b[i..]) {
            Some(k) => k,
            None => break,
        };
        i += k;
        let glued = k > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        let c = b[i];
        if glued {
            i = skip_word(b, i).max(i + 1);
            continue;
        }
        let starts = c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit));
        if !starts {
            i += 1;
            continue;
        }
        let (next, number) = read_number(s, i);
        i = next;
        out.extend(number);
    }
    out
}

/// Past the word that starts at `i` (a letter, `_`, or a digit or `.` glued
/// to one), with any `.digits` glued to it (`x1.5`, `v0.5.4`).
fn skip_word(b: &[u8], mut i: usize) -> usize {
    while i < b.len()
        && (b[i].is_ascii_alphanumeric()
            || b[i] == b'_'
            || (b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)))
    {
        i += 1;
    }
    i
}

/// Reads what starts at `start` (a digit, or a `.` before one): where the
/// scan goes on, and the range of the number if it is one that counts (a
/// decimal, a percentage or scientific notation; not a plain integer, a
/// version string such as `0.5.4`, or a name such as `2nd`).
fn read_number(s: &str, start: usize) -> (usize, Option<Range<usize>>) {
    let b = s.as_bytes();
    let mut i = start;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    // A trailing dot ends a sentence.
    let mut end = i;
    while end > start && b[end - 1] == b'.' {
        end -= 1;
    }
    let dots = s[start..end].matches('.').count();
    let mut sci = false;
    if end == i && i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if !(j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'_')) {
                sci = true;
                end = j;
                i = j;
            }
        }
    }
    let pct = end == i && b.get(i) == Some(&b'%');
    if pct {
        end += 1;
        i += 1;
    }
    // Digits glued to a following word (`2nd`, `3d`) are a name.
    if i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'_') && !sci {
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        return (i, None);
    }
    (i, (dots <= 1 && (dots == 1 || sci || pct)).then_some(start..end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_digit_or_dot_finds_every_byte_value_at_every_position() {
        let naive = |b: &[u8]| b.iter().position(|&c| c.is_ascii_digit() || c == b'.');
        for len in 0..20 {
            for pos in 0..len {
                for c in 0..=255u8 {
                    let mut b = vec![b'a'; len];
                    b[pos] = c;
                    assert_eq!(next_digit_or_dot(&b), naive(&b), "byte {c} at {pos} of {len}");
                    let mut b = vec![0xff; len];
                    b[pos] = c;
                    assert_eq!(next_digit_or_dot(&b), naive(&b), "byte {c} at {pos} of {len}, after 0xff");
                }
            }
        }
    }

    fn check_numbers(s: &str, expect: &str) {
        let got: Vec<&str> = numbers(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(got.join(" "), expect, "in {s:?}");
    }

    fn check(src: &str, expect: &str) {
        let skip: Vec<Range<usize>> = match (src.find("{{lemma"), src.find("}}")) {
            (Some(a), Some(b)) => std::iter::once(a..b + 2).collect(),
            _ => Vec::new(),
        };
        let c = scan(src, &skip);
        let mut out: Vec<String> = c.unchecked.iter().map(|r| format!("{:?}", &src[r.clone()])).collect();
        out.extend(c.exempt.iter().map(|e| format!("exempt {:?} ({})", &src[e.text.clone()], e.numbers)));
        assert_eq!(out.join(" "), expect, "in {src:?}");
    }

    #[test]
    fn what_is_a_number() {
        check_numbers("0.5 .25 97% 97.1% 1e-3 4.2E+18 3 2024", "0.5 .25 97% 97.1% 1e-3 4.2E+18");
        check_numbers("log2 x1.5 z_0.5 v0.5.4 0.5.4 2nd 1.5x", "");
        check_numbers("It is 3. And 0.5.", "0.5");
        check_numbers("e^{2.0} [0.629, 0.231]", "2.0 0.629 0.231");
        check_numbers("-0.25 and 1e5", "0.25 1e5");
    }

    #[test]
    fn where_numbers_are_looked_for() {
        check("p is 0.63 and {{lemma p}}.", "\"0.63\"");
        check("p is {{lemma p ≈ 0.63}}.", "");
        check("# Heading 0.5\n", "\"0.5\"");
        check("| a |\n|---|\n| 0.25 |\n", "\"0.25\"");
        check("Use `T=0.5` here.", "\"0.5\"");
        check("```python\nx = 0.5  # gives 0.25\ns = \"# 0.1\"\n```\n", "\"0.25\"");
        check("```markdown\n0.5\n```\n", "");
        check("```math\ne^{0.5}\n```\n", "\"0.5\"");
        check("<!-- 0.5 -->\n\n<div>0.5</div>\n", "");
        check("A rate of {{exempt 0.001 and 1e-4}} here.", "exempt \"0.001 and 1e-4\" (2)");
        check("Version 0.5.4 of mdBook, 3 classes.", "");
        check("Literally \\{{exempt 0.5}}.", "");
    }

    /// The word-skipping scan before it jumped to digits, kept as the
    /// reference the fast scan must agree with. Both read words and numbers
    /// with the same `skip_word` and `read_number`; what differs, and what
    /// the comparison checks, is how they get from one to the next.
    fn numbers_reference(s: &str) -> Vec<Range<usize>> {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_alphabetic() || c == b'_' {
                i = skip_word(b, i);
                continue;
            }
            let starts = c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit));
            if !starts {
                i += 1;
                continue;
            }
            let (next, number) = read_number(s, i);
            i = next;
            out.extend(number);
        }
        out
    }

    #[test]
    fn fast_scan_agrees_with_reference() {
        let alphabet: Vec<char> = "a1._ %e-+é9x\n".chars().collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let len = (state >> 60) as usize;
            let mut text = String::new();
            for k in 0..len {
                let r = (state >> ((k * 5) % 55)) as usize;
                text.push(alphabet[r % alphabet.len()]);
            }
            assert_eq!(numbers(&text), numbers_reference(&text), "on {text:?}");
        }
    }
}
