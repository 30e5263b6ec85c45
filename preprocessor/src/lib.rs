//! mdbook-lemma (skeleton).
pub mod format;
pub mod numeric;
pub mod parse;
