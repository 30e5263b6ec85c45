//! mdbook-lemma (skeleton).
pub mod numeric;
