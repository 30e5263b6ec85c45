//! dbg
fn main() {
    let src = std::fs::read_to_string("/work/main/src/writing-with-lemma.md").unwrap();
    let s = mdbook_lemma::scan::scan(&src);
    let line = |o: usize| src[..o].matches('\n').count() + 1;
    for r in &s.claims {
        let l = line(r.start);
        if (110..135).contains(&l) {
            eprintln!("claim L{} {:?}", l, &src[r.clone()]);
        }
    }
    for e in mdbook_lemma::parse::markdown::events(&src) {
        let l = line(e.1.start);
        if (115..130).contains(&l) {
            eprintln!("ev L{} {:?}", l, e.0);
        }
    }
}
