//! Number coverage: every number a chapter states is computed by lemma,
//! checked by lemma, or explicitly exempted.
//!
//! # What counts as a number
//!
//! A *number* is a decimal (`0.5`, `.25`, `97.1`), a percentage (`97%`,
//! `97.1%`, `63.5 %`) or a number in scientific notation (`1e-3`,
//! `4.2E+18`, `10^-3`, `10^{-3}`, `10⁻³`). A decimal glued to a unit is a
//! number (`2.5ms`, `0.5x`, `1.5GB`). Plain
//! integers (`3 classes`, `chapter 2`, `2024`) are not: they count things
//! and name things. Digits inside a word (`log2`, `x1`, `z_0`) and version
//! strings with two or more dots (`0.5.4`) are not numbers either.
//!
//! # Where numbers are looked for
//!
//! Wherever a reader sees them, as [`crate::scan`] classifies the chapter:
//! prose, headings, lists, tables, footnotes, alt text, link and image
//! titles, inline code, formulas, exercises, the text and `title`/`alt` of
//! raw HTML, and in code blocks the comments, docstrings and printed output
//! (see [`crate::scan::code`]); also the strings lemma itself writes (string
//! values, table labels, widget labels). Not inside a lemma form or an
//! escaped `\{{lemma ...}}` (lemma syntax, not a claim), not in executable
//! code (inputs), HTML comments, `<script>`/`<style>` or other attributes.
//!
//! # Identifiers are not quantities
//!
//! A number right after a word that names a part of a text or a release
//! (`Section 3.2`, `§3.2`, `Figure 2.1`, `Eq. (4.3)`, capitalised and not
//! starting with `0`: [`REFERENCE_WORDS`]; `Python 3.12`, `version 1.2`,
//! `arXiv:1706.04599`: [`RELEASE_WORDS`]) or right before a `/` (a DOI,
//! `10.1145/3097983`) is an identifier, not checked.
//!
//! # Exempting a number
//!
//! `{{exempt TEXT}}` writes `TEXT` unchanged and exempts every number in it:
//! for a number that is an input the book does not compute and cannot
//! check (say, a learning rate quoted from a paper). `\{{exempt ...}}` writes
//! the form literally.

use std::ops::Range;

use crate::chapter::Cx;
use crate::forms::{Body, Closing, Found, InlineSyntax, KINDS, Kind};
use crate::ranges::Ranges;
use crate::splice::Edit;

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

/// The `exempt` kind: `{{exempt TEXT}}` writes `TEXT` unchanged and
/// exempts every number in it.
pub const EXEMPT: Kind = Kind {
    name: "exemption",
    fence: None,
    inline: Some(InlineSyntax { keyword: "exempt", closing: Closing::Braces, in_code: true }),
    body: Body::Exempt,
    process: exempt,
};

fn exempt(cx: &mut Cx, src: &str, found: &[&Found], edits: &mut Vec<Edit>) {
    for f in found {
        cx.stats.exempted += numbers(&src[f.body.clone()]).len();
        edits.push(Edit { range: f.range.clone(), text: src[f.body.clone()].to_string(), blank_after: false });
    }
}

/// The unchecked numbers of a chapter: the numbers in the scan's claims,
/// outside the forms that account for theirs (inline lemma forms compute
/// or check them, exemptions exempt them) and literal forms, that are not
/// identifiers; and the numbers in the strings lemma writes. In document
/// order.
pub fn unchecked(src: &str, scan: &crate::scan::Scan) -> Vec<Range<usize>> {
    // Everything a number may stand in without being unchecked, as one set
    // with binary-searched membership (a chapter stays linear in its size).
    let accounted = scan
        .found
        .iter()
        .filter(|f| !f.fenced && matches!(KINDS[f.kind].body, Body::Lemma | Body::Exempt))
        .map(|f| f.range.clone());
    let covered = Ranges::new(accounted.chain(scan.literal.iter().cloned()).collect());
    let claims = Ranges::new(scan.claims.clone());
    let mut out = Vec::new();
    for r in &scan.strings {
        for n in numbers(&src[r.clone()]) {
            let n = r.start + n.start..r.start + n.end;
            if !is_identifier(src, &n) {
                out.push(n);
            }
        }
    }
    for r in claims.iter() {
        // Only the text outside forms is scanned: most digits of a chapter
        // stand inside its lemma forms.
        for g in covered.gaps(r.clone()) {
            for n in numbers(&src[g.clone()]) {
                let n = g.start + n.start..g.start + n.end;
                if !is_identifier(src, &n) {
                    out.push(n);
                }
            }
        }
    }
    out.sort_by_key(|r| r.start);
    out.dedup();
    out
}

/// The unchecked numbers of a text that no lemma form can stand in (a
/// chapter title): its numbers that are not identifiers.
pub fn unchecked_in_text(text: &str) -> Vec<Range<usize>> {
    numbers(text).into_iter().filter(|n| !is_identifier(text, n)).collect()
}

/// Words that name a part of a text: a number right after one, written
/// capitalised (`Section 3.2`, `Fig. 2.1`, `Eq. (4.3)`) or after `§`, and
/// not starting with `0`, is an identifier (`the table 0.1 above` is not).
pub const REFERENCE_WORDS: &[&str] = &[
    "section",
    "sections",
    "sec",
    "sect",
    "chapter",
    "chap",
    "ch",
    "figure",
    "figures",
    "fig",
    "figs",
    "table",
    "tables",
    "tab",
    "eq",
    "eqs",
    "equation",
    "equations",
    "listing",
    "appendix",
    "theorem",
    "thm",
    "lemma",
    "definition",
    "example",
    "exercise",
    "algorithm",
    "alg",
    "proposition",
    "corollary",
];

/// Words that name a release or a document: a number right after one, in
/// any case, is an identifier (`Python 3.12`, `version 0.5`,
/// `arXiv:1706.04599`).
pub const RELEASE_WORDS: &[&str] = &[
    "version",
    "release",
    "python",
    "numpy",
    "pytorch",
    "torch",
    "scikit-learn",
    "sklearn",
    "scipy",
    "pandas",
    "jax",
    "tensorflow",
    "cuda",
    "rust",
    "rustc",
    "cargo",
    "mdbook",
    "node",
    "node.js",
    "npm",
    "debian",
    "ubuntu",
    "arxiv:",
    "doi:",
    "isbn",
    "rfc",
];

/// Whether the number at `n` is an identifier (see [`REFERENCE_WORDS`] and
/// [`RELEASE_WORDS`]), or stands right before a `/` (a DOI or a path). Only
/// a plain decimal (`3.2`, no `%`, no exponent) can be one.
fn is_identifier(src: &str, n: &Range<usize>) -> bool {
    let text = &src[n.clone()];
    if !text.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        return false;
    }
    if src[n.end..].starts_with('/') {
        return true;
    }
    // The 24 bytes before the number, within its line.
    let window = n.start.saturating_sub(24);
    let mut from = match src.as_bytes()[window..n.start].iter().rposition(|&c| c == b'\n') {
        Some(k) => window + k + 1,
        None => window,
    };
    while !src.is_char_boundary(from) {
        from += 1;
    }
    let before = &src[from..n.start];
    if before.ends_with('§') || before.ends_with("§ ") || before.ends_with("§\u{a0}") {
        return !text.starts_with('0');
    }
    let before = before.trim_end_matches([' ', '\u{a0}', '(', '~']);
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '.' | ':' | '-' | '_')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    let bare = word.trim_end_matches('.');
    if word.is_empty() {
        return false;
    }
    // The lists are lowercase ASCII: an ASCII word is compared without
    // allocating its lowercase (the same answer as `to_lowercase`).
    let listed = |list: &[&str], w: &str| {
        if w.is_ascii() {
            list.iter().any(|x| x.eq_ignore_ascii_case(w))
        } else {
            list.contains(&w.to_lowercase().as_str())
        }
    };
    if listed(RELEASE_WORDS, bare) || listed(RELEASE_WORDS, word) {
        return true;
    }
    let capitalised = bare.starts_with(|c: char| c.is_uppercase());
    capitalised && !text.starts_with('0') && listed(REFERENCE_WORDS, bare)
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
    // A power of ten with a negative exponent: `10^-3`, `10^{-3}`, `10⁻³`.
    if !sci
        && end == i
        && &s[start..end] == "10"
        && let Some(len) = negative_power(&s[i..])
    {
        return (i + len, Some(start..i + len));
    }
    // `%`, or ` %` with a space or a no-break space.
    let gap = if s[i..].starts_with(" %") {
        1
    } else if s[i..].starts_with("\u{a0}%") {
        2
    } else {
        0
    };
    let pct = end == i && b.get(i + gap) == Some(&b'%');
    if pct {
        end += gap + 1;
        i += gap + 1;
    }
    // A decimal glued to a unit (`2.5ms`, `0.5x`) is a number; digits glued
    // to a following word (`2nd`, `3d`) are a name.
    if i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'_') && !sci && !pct {
        let unit = dots == 1 && end == i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        return (i, unit.then_some(start..end));
    }
    (i, (dots <= 1 && (dots == 1 || sci || pct)).then_some(start..end))
}

/// The length of a negative exponent written after `10`: `^-3`, `^−3`,
/// `^{-3}` or `⁻³`.
fn negative_power(rest: &str) -> Option<usize> {
    const SUPERSCRIPT: &[char] = &['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    if let Some(r) = rest.strip_prefix('⁻') {
        let digits: usize = r.chars().take_while(|c| SUPERSCRIPT.contains(c)).map(char::len_utf8).sum();
        return (digits > 0).then_some('⁻'.len_utf8() + digits);
    }
    let r = rest.strip_prefix('^')?;
    let (r, brace) = match r.strip_prefix('{') {
        Some(r) => (r, 1),
        None => (r, 0),
    };
    let sign = if r.starts_with('-') {
        1
    } else if r.starts_with('−') {
        '−'.len_utf8()
    } else {
        return None;
    };
    let digits = r[sign..].bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let close = usize::from(brace == 1 && r[sign + digits..].starts_with('}'));
    Some(1 + brace + sign + digits + close)
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
        let scan = crate::scan::scan(src);
        let mut out: Vec<String> = unchecked(src, &scan).iter().map(|r| format!("{:?}", &src[r.clone()])).collect();
        for f in scan.found.iter().filter(|f| KINDS[f.kind].body == Body::Exempt) {
            let text = &src[f.body.clone()];
            out.push(format!("exempt {:?} ({})", text, numbers(text).len()));
        }
        assert_eq!(out.join(" "), expect, "in {src:?}");
    }

    #[test]
    fn what_is_a_number() {
        check_numbers("0.5 .25 97% 97.1% 1e-3 4.2E+18 3 2024", "0.5 .25 97% 97.1% 1e-3 4.2E+18");
        check_numbers("log2 x1.5 z_0.5 v0.5.4 0.5.4 2nd 1.5x 2.5ms", "1.5 2.5");
        check_numbers("63 % 63.5\u{a0}% 10^-3 10^{-3} 10⁻³ 10^3 3×10⁻⁴", "63 % 63.5\u{a0}% 10^-3 10^{-3} 10⁻³ 10⁻⁴");
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
        check("```markdown\n0.5\n```\n", "\"0.5\"");
        check("````markdown\n```lemma\ncheck p ≈ 0.5 # at 0.25\n```\n````\n", "\"0.25\"");
        check("See Section 3.2, Python 3.12 and doi:10.1145/3097983.", "");
        check("```math\ne^{0.5}\n```\n", "\"0.5\"");
        check("<!-- 0.5 -->\n\n<div title=\"0.25\" width=\"0.75\">0.5</div>\n", "\"0.25\" \"0.5\"");
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

    /// `is_identifier` as it was before it looked only at the bytes before
    /// the number and compared ASCII words without allocating, kept as the
    /// reference the fast one must agree with.
    fn is_identifier_reference(src: &str, n: &Range<usize>) -> bool {
        let text = &src[n.clone()];
        if !text.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
            return false;
        }
        if src[n.end..].starts_with('/') {
            return true;
        }
        let line_start = src[..n.start].rfind('\n').map_or(0, |i| i + 1);
        let mut from = line_start.max(n.start.saturating_sub(24));
        while !src.is_char_boundary(from) {
            from += 1;
        }
        let before = &src[from..n.start];
        if before.ends_with('§') || before.ends_with("§ ") || before.ends_with("§\u{a0}") {
            return !text.starts_with('0');
        }
        let before = before.trim_end_matches([' ', '\u{a0}', '(', '~']);
        let word_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '.' | ':' | '-' | '_')))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[word_start..];
        let bare = word.trim_end_matches('.');
        let lower = bare.to_lowercase();
        if RELEASE_WORDS.contains(&lower.as_str()) || RELEASE_WORDS.contains(&word.to_lowercase().as_str()) {
            return true;
        }
        let capitalised = bare.starts_with(|c: char| c.is_uppercase());
        REFERENCE_WORDS.contains(&lower.as_str()) && capitalised && !text.starts_with('0')
    }

    #[test]
    fn is_identifier_agrees_with_reference() {
        let pieces = [
            "Section ", "SECTION ", "section ", "Fig. ", "§", "§ ", "§\u{a0}", "Python ", "arXiv:", "doi:", "(", "~",
            " ", "\n", "é", "\u{212a}", "İ", "Node.js ", "v", "0.5", "3.2", "1.5%", "10.1145/", "x", ".", "-", "is ",
            "Chapter", "Lemma", "ΣΣ",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..8 {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            for n in numbers(&text) {
                assert_eq!(is_identifier(&text, &n), is_identifier_reference(&text, &n), "{:?} in {text:?}", &text[n]);
            }
        }
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
