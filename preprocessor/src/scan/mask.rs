//! The brackets of inline lemma forms, masked for the chapter's parse
//! where that cannot change what the scan finds (see [`super::scan`]).

use std::ops::Range;

use super::closing;
use crate::forms::{self, Closing, KINDS};

/// What [`mask_lemma_brackets`] found.
pub(super) struct Masked {
    /// The chapter with the brackets masked, if any were.
    pub(super) text: Option<String>,
    /// The forms whose brackets are masked.
    pub(super) forms: Vec<Range<usize>>,
    /// The offset of each (unescaped) inline lemma form it read, and where
    /// [`closing`] found its `}}`, for the scanner to reuse.
    pub(super) closings: Vec<(usize, Result<usize, usize>)>,
}

/// `src` with `[` and `]` replaced by `(` and `)` inside each inline lemma
/// form (found as the scanner's pass over the `{{` finds them) where that is safe
/// ([`maskable`]).
pub(super) fn mask_lemma_brackets(src: &str) -> Masked {
    let b = src.as_bytes();
    // The chapter up to `copied`, masked.
    let mut out = String::new();
    let mut copied = 0;
    let mut forms = Vec::new();
    let mut closings = Vec::new();
    let mut from = 0;
    for at in braces(b) {
        if at < from {
            continue; // inside a form
        }
        from = at + 2;
        // The keyword right after `{{`, as `inline` reads it.
        let word_len =
            b[at + 2..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-').count();
        let Some(k) = forms::by_keyword(&src[at + 2..at + 2 + word_len]) else { continue };
        if KINDS[k].inline.is_none_or(|s| s.closing != Closing::Lemma) || (at > 0 && b[at - 1] == b'\\') {
            continue; // not a lemma form, or escaped (shown as written)
        }
        let after = at + 2 + word_len;
        let close = closing(src, after, Closing::Lemma);
        closings.push((at, close));
        let Ok(j) = close else { continue };
        if maskable(&b[after..j]) {
            if out.is_empty() {
                out.reserve(src.len());
            }
            for k in after..j {
                let mask = match b[k] {
                    b'[' => '(',
                    b']' => ')',
                    _ => continue,
                };
                out.push_str(&src[copied..k]);
                out.push(mask);
                copied = k + 1;
            }
            forms.push(at..j + 2);
        }
        from = j + 2;
    }
    let text = (!forms.is_empty()).then(|| {
        out.push_str(&src[copied..]);
        out
    });
    Masked { text, forms, closings }
}

/// The offsets of the `{{` of `b`, left to right, not overlapping (`{{{{`
/// is two).
pub(super) fn braces(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut next = 0;
    memchr::memchr_iter(b'{', b).filter(move |&i| {
        let hit = i >= next && b.get(i + 1) == Some(&b'{');
        if hit {
            next = i + 2;
        }
        hit
    })
}

/// Whether masking the brackets of a lemma form's body leaves the parse of
/// the chapter as it is, bar where the text is split: the body has
/// brackets, they nest and balance (so none pairs with one outside the
/// form), and none can start a link, image or footnote inside it (no `](`,
/// `][` or `[^`; a shortcut reference needs a reference definition, and a
/// chapter with one is parsed as written). Nothing in it takes precedence
/// over brackets either: no code span, autolink or raw HTML (`` ` ``, `<`),
/// and no backslash escape.
fn maskable(body: &[u8]) -> bool {
    let mut depth = 0usize;
    let mut any = false;
    for (i, &c) in body.iter().enumerate() {
        if !SPECIAL[usize::from(c)] {
            continue;
        }
        let next = body.get(i + 1).copied();
        match c {
            b'[' => {
                if next == Some(b'^') {
                    return false;
                }
                depth += 1;
                any = true;
            }
            b']' => {
                if depth == 0 || matches!(next, Some(b'(' | b'[')) {
                    return false;
                }
                depth -= 1;
            }
            _ => return false,
        }
    }
    any && depth == 0
}

/// The bytes [`maskable`] looks at: brackets, and what takes precedence
/// over them.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t[b'`' as usize] = true;
    t[b'<' as usize] = true;
    t[b'\\' as usize] = true;
    t
};
