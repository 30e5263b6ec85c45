//! [`Text`]: the short texts of stated numbers and decimals, kept without
//! an allocation.

/// A short text kept inline, without an allocation, up to [`Text::INLINE`]
/// bytes (a stated number's text almost always), and boxed beyond. It reads
/// as a `&str`.
#[derive(Clone, PartialEq, Eq)]
pub struct Text(TextRepr);

#[derive(Clone, PartialEq, Eq)]
enum TextRepr {
    /// The first `len` bytes of `bytes` (the rest are zero).
    Inline { len: u8, bytes: [u8; Text::INLINE] },
    /// A text longer than [`Text::INLINE`] bytes.
    Heap(Box<str>),
}

impl Default for Text {
    fn default() -> Text {
        Text(TextRepr::Inline { len: 0, bytes: [0; Text::INLINE] })
    }
}

impl Text {
    /// The longest text kept inline.
    pub const INLINE: usize = 22;

    /// `a` followed by `b`.
    pub(super) fn joined(a: &str, b: &str) -> Text {
        let n = a.len() + b.len();
        match u8::try_from(n) {
            Ok(len) if n <= Text::INLINE => {
                let mut bytes = [0; Text::INLINE];
                bytes[..a.len()].copy_from_slice(a.as_bytes());
                bytes[a.len()..n].copy_from_slice(b.as_bytes());
                Text(TextRepr::Inline { len, bytes })
            }
            _ => Text(TextRepr::Heap([a, b].concat().into())),
        }
    }

    /// The text's bytes (without the check of [`Text::as_str`]).
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            TextRepr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            TextRepr::Heap(s) => s.as_bytes(),
        }
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }

    /// The text's bytes, one by one.
    pub fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.as_bytes().iter().copied()
    }

    /// The text as a `&str`.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Always whole characters: copied from a `&str` in `from`.
            TextRepr::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or(""),
            TextRepr::Heap(s) => s,
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        let b = s.as_bytes();
        match u8::try_from(b.len()) {
            Ok(len) if b.len() <= Text::INLINE => {
                let mut bytes = [0; Text::INLINE];
                bytes[..b.len()].copy_from_slice(b);
                Text(TextRepr::Inline { len, bytes })
            }
            _ => Text(TextRepr::Heap(s.into())),
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}
