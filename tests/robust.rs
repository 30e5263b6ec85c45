//! Robustness tests (issue 6): nothing lost, nothing injected, no panic.
//!
//! - `cases`: named regression cases of messy Markdown through
//!   [`mdbook_lemma::chapter::process`].
//! - `passthrough`: property tests: bytes outside lemma forms survive.
//! - `fuzz`: the whole chapter pipeline on adversarial input never panics
//!   (`LEMMA_FUZZ_CASES=N` runs it longer).
//! - `injection`: chapter strings never reach a rendered page unescaped.
//! - `cli`: bad input to the real binary gives a one-line error.
//! - `sneak`: a decimal put anywhere a reader sees in this book's chapters
//!   fails `check` (issue "No number slips past").
//! - `books`: fixture books (includes, drafts, deep nesting) and
//!   byte-identical rebuilds.
//! - `masking`: the scanner's masked parse finds what the parse of each
//!   Markdown file as written finds.

mod common;

#[path = "robust/books.rs"]
mod books;
#[path = "robust/cases.rs"]
mod cases;
#[path = "robust/cli.rs"]
mod cli;
#[path = "robust/fuzz.rs"]
mod fuzz;
#[path = "robust/injection.rs"]
mod injection;
#[path = "robust/masking.rs"]
mod masking;
#[path = "robust/passthrough.rs"]
mod passthrough;
#[path = "robust/sneak.rs"]
mod sneak;
#[path = "robust/util.rs"]
mod util;
