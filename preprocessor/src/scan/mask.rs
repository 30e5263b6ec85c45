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
        let word_len = keyword_len(&b[at + 2..]);
        let Some(k) = forms::by_keyword(&src[at + 2..at + 2 + word_len]) else { continue };
        if KINDS[k].inline.is_none_or(|s| s.closing != Closing::Lemma) || (at > 0 && b[at - 1] == b'\\') {
            continue; // not a lemma form, or escaped (shown as written)
        }
        let after = at + 2 + word_len;
        let close = closing(src, after, Closing::Lemma);
        closings.push((at, close));
        let Ok(j) = close else { continue };
        if let Some(brackets) = maskable(&b[after..j]) {
            if out.is_empty() {
                out.reserve(src.len());
            }
            let mut mask = |k: usize| {
                out.push_str(&src[copied..k]);
                out.push(if b[k] == b'[' { '(' } else { ')' });
                copied = k + 1;
            };
            match brackets {
                Brackets::At(n, at) => at[..n].iter().for_each(|&k| mask(after + usize::from(k))),
                Brackets::Many => (after..j).filter(|&k| matches!(b[k], b'[' | b']')).for_each(mask),
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

/// The length of the word at the start of `b` that names a form after its
/// `{{` (ASCII letters, digits, `_` and `-`), as the scanner reads it.
pub(super) fn keyword_len(b: &[u8]) -> usize {
    b.iter().position(|&c| !KEYWORD[usize::from(c)]).unwrap_or(b.len())
}

/// The bytes of a form's keyword ([`keyword_len`]).
static KEYWORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        c += 1;
    }
    t
};

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
/// and no backslash escape. Where its brackets are, when it is; `None`
/// when it is not.
fn maskable(body: &[u8]) -> Option<Brackets> {
    let mut depth = 0usize;
    let mut at = [0u8; MAX_BRACKETS];
    let mut n = 0;
    for (i, &c) in body.iter().enumerate() {
        if !SPECIAL[usize::from(c)] {
            continue;
        }
        let next = body.get(i + 1).copied();
        match c {
            b'[' => {
                if next == Some(b'^') {
                    return None;
                }
                depth += 1;
            }
            b']' => {
                if depth == 0 || matches!(next, Some(b'(' | b'[')) {
                    return None;
                }
                depth -= 1;
            }
            _ => return None,
        }
        if n < MAX_BRACKETS
            && let Ok(i) = u8::try_from(i)
        {
            at[n] = i;
        }
        n += 1;
    }
    match n {
        0 => None,
        _ if depth > 0 => None,
        n if n <= MAX_BRACKETS && body.len() <= 256 => Some(Brackets::At(n, at)),
        _ => Some(Brackets::Many),
    }
}

/// The brackets [`maskable`] remembers where they are, so that masking
/// them reads the body no more: most bodies have a few (a vector, a call on
/// one).
const MAX_BRACKETS: usize = 16;

/// Where the brackets of a maskable body are.
enum Brackets {
    /// This many, at these offsets in the body (under 256 bytes).
    At(usize, [u8; MAX_BRACKETS]),
    /// More, or in a longer body: they are found again.
    Many,
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
