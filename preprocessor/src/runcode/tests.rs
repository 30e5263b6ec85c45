//! Unit tests of reading numbers and `norun` marks.

use super::*;

#[test]
fn numbers_skip_names_and_read_numpy() {
    let got: Vec<String> = numbers("tensor([0.6285, -0.2312]), dtype=float32 x1 [0. 1.e-05] 62.9% −3 nan -inf")
        .into_iter()
        .map(|(_, t)| match t {
            Token::Num(s) => s.text.to_string(),
            Token::NonFinite(v) => format!("{v}"),
        })
        .collect();
    assert_eq!(got, ["0.6285", "-0.2312", "0", "1e-05", "62.9%", "-3", "NaN", "-inf"]);
}

#[test]
fn norun_marks() {
    assert!(is_norun("python,norun"));
    assert!(is_norun("python norun"));
    assert!(!is_norun("python"));
    assert!(!is_norun("norun"));
}
