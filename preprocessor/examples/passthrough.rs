//! A preprocessor that only passes the book through: it reads mdBook's
//! `[context, book]` from stdin and writes the book back unchanged. The
//! benchmarks use it to measure what the JSON round trip alone costs a
//! build (see `BENCHMARKS.md`).

use std::io::{Read as _, Write as _};
use std::process::ExitCode;

use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::Book;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("supports") {
        return ExitCode::SUCCESS;
    }
    let mut buf = Vec::new();
    // `PASSTHROUGH_EAGER=1`: read as mdBook's own `parse_input` would (a
    // read per write mdBook makes); otherwise as `mdbook-lemma` reads.
    let r = if std::env::var_os("PASSTHROUGH_EAGER").is_some() {
        std::io::stdin().lock().read_to_end(&mut buf).map(|_| ())
    } else {
        mdbook_lemma::stdin::read_all(&mut buf)
    };
    if let Err(e) = r {
        eprintln!("passthrough: cannot read stdin: {e}");
        return ExitCode::FAILURE;
    }
    let (_ctx, book): (PreprocessorContext, Book) = match serde_json::from_slice(&buf) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("passthrough: not [context, book] JSON: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match serde_json::to_writer(&mut out, &book).map_err(std::io::Error::from).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("passthrough: cannot write the book: {e}");
            ExitCode::FAILURE
        }
    }
}
