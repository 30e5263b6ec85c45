//! [`Text`]: the short texts of stated numbers and decimals, kept without
//! an allocation.

/// A short text kept inline, without an allocation, up to [`Text::INLINE`]
/// bytes (a stated number's text almost always), and shared beyond. It
/// reads as a `&str`, at no cost: it is rust-analyzer's `SmolStr`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Text(smol_str::SmolStr);

impl Text {
    /// The longest text kept inline.
    pub const INLINE: usize = smol_str::SmolStr::INLINE_CAP;

    /// `a` followed by `b`.
    pub(super) fn joined(a: &str, b: &str) -> Text {
        Text([a, b].into_iter().collect())
    }

    /// The text's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text's bytes, one by one.
    pub fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.as_bytes().iter().copied()
    }

    /// The text as a `&str`.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(smol_str::SmolStr::new(s))
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
