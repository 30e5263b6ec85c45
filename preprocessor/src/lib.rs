//! mdbook-lemma (skeleton).
pub mod format;
pub mod check;
pub mod eval;
pub mod numeric;
pub mod parse;
