use super::*;

fn check(v: Value, f: Format, context: Context, expect: &str) {
    assert_eq!(inline(&value_text(&v, f), context), expect);
}

#[test]
fn inline_values() {
    check(Value::Num(0.6590011388859679), Format::Auto, Context::Prose, "0.659");
    check(Value::Vector(vec![0.659, 0.242]), Format::Dp(2), Context::Prose, "\\[0.66, 0.24\\]");
    check(Value::Vector(vec![0.659, 0.242]), Format::Dp(2), Context::Code, "[0.66, 0.24]");
    check(
        Value::Str("<script>*x*</script>".into()),
        Format::Auto,
        Context::Prose,
        "&lt;script&gt;\\*x\\*&lt;/script&gt;",
    );
    check(Value::Bool(true), Format::Auto, Context::Prose, "true");
    check(Value::Num(-0.0001), Format::Dp(3), Context::Prose, "0.000");
}

#[test]
fn tables() {
    let t = Table {
        headers: vec!["class".into(), "p \"<x>\"".into()],
        rows: vec![vec![Value::Str("cat</table>".into()), Value::Num(0.5)]],
        formats: vec![None, None],
    };
    assert_eq!(
        table_html(&t, Format::Dp(2)),
        "<div class=\"lemma-table\"><table><thead><tr><th scope=\"col\">class</th><th scope=\"col\">p &quot;&lt;x&gt;&quot;</th></tr></thead><tbody><tr><td>cat&lt;/table&gt;</td><td class=\"num\">0.50</td></tr></tbody></table></div>"
    );
}

#[test]
fn column_formats() {
    let t = Table {
        headers: vec!["T".into(), "p".into(), "winner".into()],
        rows: vec![vec![Value::Num(0.1), Value::Num(0.99995), Value::Num(0.0)]],
        formats: vec![Some(Format::Dp(1)), None, Some(Format::Auto)],
    };
    let html = table_html(&t, Format::Dp(3));
    assert!(html.contains("<td class=\"num\">0.1</td><td class=\"num\">1.000</td><td class=\"num\">0</td>"), "{html}");
}

#[test]
fn one_precision_per_column() {
    let t = Table {
        headers: vec!["a".into(), "b".into(), "c".into(), "d".into(), "e".into()],
        rows: vec![
            vec![Value::Num(1.03), Value::Num(2.0), Value::Num(3.0), Value::Num(4.54e-5), Value::Num(-150.25)],
            vec![Value::Num(0.728), Value::Num(0.5), Value::Num(-1.0), Value::Num(3.06e-7), Value::Num(2.5)],
        ],
        formats: vec![None, None, None, None, None],
    };
    let html = table_html(&t, Format::Auto);
    let cells: Vec<&str> = html.split("<td class=\"num\">").skip(1).map(|c| &c[..c.find('<').unwrap_or(0)]).collect();
    assert_eq!(
        cells,
        ["1.03", "2.00", "3", "4.54e\u{2212}5", "\u{2212}150", "0.73", "0.50", "\u{2212}1", "3.06e\u{2212}7", "2"]
    );
    assert_eq!(column_format(&t, 0), Format::Dp(2));
    let rounds_up = Table { headers: vec!["p".into()], rows: vec![vec![Value::Num(0.9996)]], formats: vec![None] };
    assert_eq!(column_format(&rounds_up, 0), Format::Dp(2));
}

#[test]
fn minus_signs() {
    assert_eq!(true_minus("-0.5"), "\u{2212}0.5");
    assert_eq!(true_minus("[-1.5, 2, -.5]"), "[\u{2212}1.5, 2, \u{2212}.5]");
    assert_eq!(true_minus("4.2e-18"), "4.2e\u{2212}18");
    assert_eq!(true_minus("cross-entropy class-1 a - b"), "cross-entropy class-1 a - b");
    assert_eq!(inline("-0.46", Context::Prose), "\u{2212}0.46");
    assert_eq!(inline("-0.46", Context::Code), "-0.46");
}

/// The one-pass escaping and signs as they were first written, one
/// character at a time: the faster ones must give the same text.
fn reference_true_minus(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('-') {
        return text.into();
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 4);
    for (i, c) in text.char_indices() {
        let next = b.get(i + 1).copied();
        let digit_follows = next.is_some_and(|n| n.is_ascii_digit())
            || (next == Some(b'.') && b.get(i + 2).is_some_and(u8::is_ascii_digit));
        let before = i.checked_sub(1).map(|j| b[j]);
        let sign_place = match before {
            None => true,
            Some(p) => {
                matches!(p, b' ' | b'[' | b'(' | b',' | b'=' | b'\t') || {
                    // An exponent: a digit, then `e`, right before.
                    matches!(p, b'e' | b'E') && i >= 2 && (b[i - 2].is_ascii_digit() || b[i - 2] == b'.')
                }
            }
        };
        if c == '-' && digit_follows && sign_place {
            out.push('\u{2212}');
        } else {
            out.push(c);
        }
    }
    out.into()
}

fn reference_escape_markdown(s: &str) -> String {
    // Room for a backslash before a few specials (a vector's brackets).
    let mut out = String::with_capacity(s.len() + s.len() / 4 + 8);
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let opens_block = |c: char, i: usize| {
        if !matches!(c, '-' | '+' | '.' | ')') {
            return false;
        }
        let next = s[i + c.len_utf8()..].chars().next();
        let ends_or_space = next.is_none_or(char::is_whitespace);
        match c {
            '-' | '+' => i == 0 && (ends_or_space || s.chars().all(|x| x == c)),
            '.' | ')' => i == digits && digits > 0 && ends_or_space,
            _ => false,
        }
    };
    // `--` and `...` would become dashes and an ellipsis (smart punctuation).
    let doubled =
        |c: char, i: usize| matches!(c, '-' | '.') && (s[..i].ends_with(c) || s[i + c.len_utf8()..].starts_with(c));
    for (i, c) in s.char_indices() {
        // Letters, digits and spaces are written as they are (none of the
        // rules below applies to them): most of a value.
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
            continue;
        }
        if opens_block(c, i) || doubled(c, i) {
            out.push('\\');
            out.push(c);
            continue;
        }
        if let Some(e) = entity(c) {
            // As an entity, `=` also cannot underline a heading.
            out.push_str(e);
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' | '{' | '}' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Every string of up to four characters from an alphabet of the
/// characters the rules look at (and some they do not).
fn short_strings(alphabet: &[char], len: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..len {
        last = last.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
        all.extend(last.iter().cloned());
    }
    all
}

#[test]
fn same_as_one_character_at_a_time() {
    let alphabet = ['-', '+', '.', ')', '1', 'e', ' ', '[', '=', '<', '\\', '\n', '\u{2212}', '\u{a0}', 'x'];
    for s in short_strings(&alphabet, 4) {
        assert_eq!(true_minus(&s), reference_true_minus(&s), "true_minus({s:?})");
        assert_eq!(escape_markdown(&s), reference_escape_markdown(&s), "escape_markdown({s:?})");
        let signed = true_minus(&s);
        assert_eq!(escape_markdown(&signed), reference_escape_markdown(&signed), "escape_markdown({signed:?})");
        let reference = reference_escape_markdown(&reference_true_minus(&s));
        assert_eq!(prose(&s), reference, "prose({s:?})");
        assert_eq!(inline(&s, Context::Prose), reference, "inline({s:?})");
    }
    for s in ["[0.214, -0.144, 1.5e-7]", "-1. x", "12) y", "1...2", "--", "+++", "0.5.", "a\r\nb", "&'\"`*_|#!~{}$"] {
        assert_eq!(prose(s), reference_escape_markdown(&reference_true_minus(s)), "{s:?}");
    }
}

#[test]
fn prose_numbers_as_escaped_text() {
    let values = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        0.0005,
        -0.00049,
        1e-4,
        -9.99e-5,
        0.214,
        12345.678,
        -999999.5,
        1e6,
        -1e15,
        1e15,
        2.5e-300,
        -4.28e-18,
        1.0 / 3.0,
        -2.0 / 3.0,
        97.8,
        0.9995,
        -0.9996,
        123456789.0,
    ];
    let formats = [
        Format::Auto,
        Format::Dp(0),
        Format::Dp(3),
        Format::Dp(12),
        Format::Sig(1),
        Format::Sig(3),
        Format::Pct(1),
        Format::Sci(1),
        Format::Sci(3),
    ];
    for f in formats {
        for &x in &values {
            let v = Value::Num(x);
            assert_eq!(prose_numbers(&v, f), Some(inline(&value_text(&v, f), Context::Prose)), "{x:e} {f:?}");
        }
        for v in [Value::Vector(values.to_vec()), Value::Vector(vec![]), Value::Vector(vec![-1.5])] {
            assert_eq!(prose_numbers(&v, f), Some(inline(&value_text(&v, f), Context::Prose)), "{v:?} {f:?}");
        }
    }
    assert_eq!(prose_numbers(&Value::Str("-1".into()), Format::Auto), None);
}

#[test]
fn echo() {
    assert_eq!(echo_source(&["x = 1".into()]), "```text\nx = 1\n```");
    assert_eq!(echo_source(&["s = \"````\"".into()]), "`````text\ns = \"````\"\n`````");
}
