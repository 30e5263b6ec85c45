//! Phase 1: find the lemma forms in a chapter and parse them.
//!
//! [`markdown`] finds fenced `lemma` blocks and inline `{{lemma ...}}` forms
//! with their byte ranges; [`lang`] parses the lemma language inside them.

pub mod lang;
pub mod markdown;
