//! Prints the widget's golden vectors (JSON) on stdout: states, what the
//! Rust core computes and prints for them, formatting cases and self-check
//! verdicts. The browser tests (`tests/browser/`) hold the page's
//! JavaScript to them.

use std::io::Write as _;

fn main() -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", mdbook_lemma::widget::golden())
}
