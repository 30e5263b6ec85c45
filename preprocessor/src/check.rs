//! Phase 3: compare what the author stated with what was computed.
//!
//! A stated number holds when the computed value, rounded to the stated
//! digits by the rule in [`crate::format`](mod@crate::format), equals it: `0.629` claims three
//! decimals and holds for values in `[0.6285, 0.6295]`, `97.1%` claims
//! `[0.9705, 0.9715]`, `4.2e-18` claims two significant digits. Trailing
//! zeros count. With an explicit tolerance, `0.63 ± 0.01`, it holds when the
//! computed value lies within `[0.62, 0.64]` (closed, and one ulp of slack
//! either way, so that a boundary typed in decimal counts as reached);
//! `± 0` means exact: the stated decimal's nearest double, give or take an
//! ulp.
//!
//! A whole number (`1`, `0`, `42`, no point, no exponent, no `%`) states an
//! exact value: it holds when the computed value equals it up to
//! floating-point rounding, within [`WHOLE_SLACK`] of it relative to its
//! size (absolute near zero). `≈ 1` does not hold for 0.629: write `≈ 0.6`
//! or `≈ 1 ± 0.5` to claim less.

use crate::diagnostics::Diag;
use crate::eval::Value;
use crate::format::{self, Dec, Stated, round};
use crate::parse::lang::StatedValue;

/// Checks `value` against `stated`. Every wrong component is reported.
/// Each error is located in the text the statement was parsed from.
pub fn check_stated(value: &Value, stated: &StatedValue) -> Result<(), Vec<Diag>> {
    let computed: Vec<f64> = match (value, stated.is_vector) {
        (Value::Num(v), false) => vec![*v],
        (Value::Vector(v), true) => {
            if v.len() != stated.items.len() {
                let mut d = Diag::error(
                    stated.span.clone(),
                    format!("{} numbers stated, but the computed vector has {}", stated.items.len(), v.len()),
                    format!("expected {} numbers", v.len()),
                );
                d.notes.push(format!("computed: {value}"));
                return Err(vec![d]);
            }
            v.clone()
        }
        (Value::Vector(v), false) => {
            return Err(vec![shape(
                stated,
                format!("one number stated, but the computed value is a vector of {}", v.len()),
                value,
            )]);
        }
        (Value::Num(_), true) => {
            return Err(vec![shape(stated, "a vector stated, but the computed value is one number".into(), value)]);
        }
        (other, _) => {
            return Err(vec![shape(
                stated,
                format!("a number stated, but the computed value is {}", other.type_name()),
                value,
            )]);
        }
    };
    // Most statements hold: decide that without building any message.
    let tolerance = stated.tolerance.as_ref().map(|t| &t.0);
    if stated.items.iter().zip(&computed).all(|((s, _), &v)| holds(v, s, tolerance)) {
        return Ok(());
    }
    let mut out = Vec::new();
    let mut fixes = Vec::new();
    for ((s, span), &v) in stated.items.iter().zip(&computed) {
        let verdict = judge(v, s, stated.tolerance.as_ref().map(|t| &t.0));
        let fixed = if verdict.holds { None } else { suggestion(v, s, tolerance, &verdict) };
        fixes.push(fixed.clone().unwrap_or_else(|| verdict.correct.clone()));
        if !verdict.holds {
            let which = if stated.is_vector { format!("component {} ", fixes.len() - 1) } else { String::new() };
            let mut d = Diag::error(
                span.clone(),
                format!("stated {} but {which}computes to {}", s.text, verdict.correct),
                format!("should be {}", verdict.correct),
            )
            .with_number(Some(format::full(v)), fixed);
            d.notes = vec![format!("computed: {}", format::full(v)), format!("allowed: {}", verdict.allowed)];
            d.notes.extend(hints(v, s, tolerance));
            out.push(d);
        }
    }
    if out.is_empty() {
        return Ok(());
    }
    let fix = if stated.is_vector { format!("[{}]", fixes.join(", ")) } else { fixes.join("") };
    if let Some(last) = out.last_mut() {
        last.notes.push(format!("at the stated precision, write: {fix}"));
    }
    Err(out)
}

/// The text that makes a wrong stated number hold at its own precision and
/// in its own format, if there is one: the computed value rounded to the
/// stated digits (a whole number only when the value is whole; with an
/// explicit tolerance only when the rounded value lies within it), or the
/// stated digits with a `%` when a probability was stated as a percentage
/// without the sign.
fn suggestion(v: f64, s: &Stated, tolerance: Option<&Stated>, verdict: &Verdict) -> Option<String> {
    if let Some(p) = as_percent(v, s, tolerance) {
        return Some(p);
    }
    let text = verdict.correct.clone();
    let fixed = Stated::parse(&text)?;
    if fixed.style != s.style || !holds(v, &fixed, tolerance) {
        return None;
    }
    Some(text)
}

/// `62.9` stated for 0.629: the same digits with a `%` hold.
fn as_percent(v: f64, s: &Stated, tolerance: Option<&Stated>) -> Option<String> {
    if tolerance.is_some() || !matches!(s.style, format::Style::Fixed(_)) || !(0.0..=1.0).contains(&v) {
        return None;
    }
    let pct = Stated::parse(&format!("{}%", s.text))?;
    holds(v, &pct, None).then(|| pct.text.to_string())
}

/// Notes that explain a likely cause: a percentage written without `%`, or
/// a value whose shortest decimal is a rounding tie at the stated digits
/// (its exact binary value, above or below the tie, decided it).
fn hints(v: f64, s: &Stated, tolerance: Option<&Stated>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = as_percent(v, s, tolerance) {
        out.push(format!("did you mean `{p}`? the value is a fraction (0 to 1); a percentage needs its `%`"));
    }
    if tolerance.is_none()
        && !is_whole(s)
        && let Some(note) = tie(v, s)
    {
        out.push(note);
    }
    out
}

/// When `v` prints as a tie at the stated digits (`0.125` for two
/// decimals, `2.675` whose binary value is a little less), says which way
/// its exact binary value went.
fn tie(v: f64, s: &Stated) -> Option<String> {
    let q = s.quantum();
    let shortest = Dec::parse(&format::full(v))?;
    let scaled = shortest.shift(1 - q);
    let whole = scaled.to_fixed(0);
    if Dec::parse(&whole).as_ref() != Some(&scaled) || !whole.ends_with('5') {
        return None;
    }
    let exact = format!("{v:.1100}");
    let exact = exact.trim_end_matches('0').trim_end_matches('.');
    let shown = if exact.len() > 80 { format!("{}...", &exact[..80]) } else { exact.to_string() };
    let rounded = s.render(&round(v, q));
    Some(match shortest.cmp_f64(v) {
        std::cmp::Ordering::Equal => format!(
            "{} is a tie at the stated digits, and exactly so in binary: ties round to even, to {rounded}",
            format::full(v)
        ),
        std::cmp::Ordering::Less => format!(
            "{} looks like a tie at the stated digits, but its exact binary value is {shown}, above it: it rounds to {rounded}",
            format::full(v)
        ),
        std::cmp::Ordering::Greater => format!(
            "{} looks like a tie at the stated digits, but its exact binary value is {shown}, below it: it rounds to {rounded}",
            format::full(v)
        ),
    })
}

fn shape(stated: &StatedValue, message: String, value: &Value) -> Diag {
    let mut d = Diag::error(stated.span.clone(), message, "does not fit the computed value");
    d.notes.push(format!("computed: {value}"));
    d
}

/// How far a computed value may be from a stated whole number, relative to
/// the number's size (and absolute below 1): rounding error, not precision.
pub const WHOLE_SLACK: f64 = 1e-12;

/// Whether `s` is a whole number, which states an exact value.
fn is_whole(s: &Stated) -> bool {
    matches!(s.style, format::Style::Fixed(0)) && !s.text.contains('.')
}

/// Whether `v` is a stated whole number `s`, up to rounding.
fn whole_holds(v: f64, s: &Stated) -> bool {
    let n: f64 = s.text.trim().replace('−', "-").parse().unwrap_or(f64::NAN);
    (v - n).abs() <= WHOLE_SLACK * n.abs().max(1.0)
}

/// The verdict on one stated number.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Whether it holds.
    pub holds: bool,
    /// The computed value written the way the stated number was.
    pub correct: String,
    /// The interval of values the statement allows, in words.
    pub allowed: String,
}

/// Judges computed `v` against stated `s`, with an optional explicit
/// tolerance.
pub fn judge(v: f64, s: &Stated, tolerance: Option<&Stated>) -> Verdict {
    let q = s.quantum();
    let correct = s.render(&round(v, q));
    match tolerance {
        None if is_whole(s) => {
            let allowed = format!(
                "{} exactly, up to floating-point rounding (a whole number states an exact value; state decimals, or a tolerance with ±, to claim less)",
                s.text
            );
            Verdict { holds: whole_holds(v, s), correct: format::full(v), allowed }
        }
        None => {
            let half = Dec::parse("5").map(|h| h.shift(q - 1));
            let (lo, hi) = match half {
                Some(h) => (s.value.checked_add(&h.neg()), s.value.checked_add(&h)),
                None => (None, None),
            };
            let allowed = match (lo, hi) {
                (Some(lo), Some(hi)) => format!(
                    "[{}, {}] ({} states {})",
                    s.render_fine(&lo),
                    s.render_fine(&hi),
                    s.text,
                    precision_words(s)
                ),
                _ => format!("values that round to {}", s.text),
            };
            Verdict { holds: holds(v, s, None), correct, allowed }
        }
        Some(t) => {
            let lo = s.value.checked_add(&t.value.neg());
            let hi = s.value.checked_add(&t.value);
            let holds = holds(v, s, Some(t));
            let show = |d: &Option<Dec>| d.as_ref().map_or("?".to_string(), |d| s.render(d));
            let allowed = format!("[{}, {}] ({} ± {})", show(&lo), show(&hi), s.text, t.text);
            // Rounded to the stated digits, a value outside a narrow
            // tolerance can read as the stated number: show all its digits.
            let correct = if correct == s.text { format::full(v) } else { correct };
            Verdict { holds, correct, allowed }
        }
    }
}

/// Whether computed `v` agrees with stated `s` (the `holds` of [`judge`],
/// without the words).
fn holds(v: f64, s: &Stated, tolerance: Option<&Stated>) -> bool {
    match tolerance {
        None if is_whole(s) => whole_holds(v, s),
        None => format::rounds_to(v, s.quantum(), &s.value),
        Some(t) => {
            let lo = s.value.checked_add(&t.value.neg());
            let hi = s.value.checked_add(&t.value);
            // Closed interval, with one ulp of slack either way so that a
            // value typed as a boundary (0.64 is 0.64000000000000001 in
            // binary) counts as on it: the interval must meet
            // [v - 1 ulp, v + 1 ulp]. With `± 0` that is the stated
            // decimal's nearest double, or a neighbour.
            match (&lo, &hi) {
                (Some(lo), Some(hi)) => lo.cmp_f64(v.next_up()).is_le() && hi.cmp_f64(v.next_down()).is_ge(),
                _ => false,
            }
        }
    }
}

fn precision_words(s: &Stated) -> String {
    use format::Style;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match s.style {
        Style::Fixed(d) => plural(d, "decimal"),
        Style::Percent(d) => format!("{} of a percent", plural(d, "decimal")),
        Style::Scientific(d, _) => plural(d + 1, "significant digit"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::lang::{Stmt, parse_statement};

    /// `check` each value against the stated text of a `check x ≈ STATED`:
    /// a line `value ≈ stated: ok`, or the errors.
    fn run(cases: &[(Value, &str)]) -> String {
        let mut out = String::new();
        for (value, stated) in cases {
            let src = format!("check x ≈ {stated}");
            let parsed = parse_statement(&src).expect("parses").expect("a statement");
            let Stmt::Check { stated: Some(s), .. } = parsed.stmt else { unreachable!("a check") };
            out.push_str(&format!("{value} ≈ {stated}: "));
            match check_stated(value, &s) {
                Ok(()) => out.push_str("ok\n"),
                Err(ds) => {
                    out.push('\n');
                    for d in ds {
                        out.push_str(&format!(
                            "    {} `{}` | {} | {}\n",
                            d.message,
                            &src[d.range.clone()],
                            d.label,
                            d.notes.join(" | ")
                        ));
                    }
                }
            }
        }
        out
    }

    fn p() -> Value {
        Value::Vector(vec![0.09003057317038046, 0.24472847105479767, 0.6652409557748219])
    }

    #[test]
    fn stated_values() {
        let cases = [
            (Value::Num(0.6590011388859679), "0.659"),
            (Value::Num(0.6590011388859679), "0.66"),
            (Value::Num(0.6590011388859679), "0.6590"),
            (Value::Num(0.6590011388859679), "65.9%"),
            (Value::Num(0.6590011388859679), "0.658"),
            (Value::Num(0.978), "97.1%"),
            (Value::Num(4.017), "4.0"),
            (Value::Num(4.06), "4.0"),
            (Value::Num(0.1404), "0.140"),
            (Value::Num(-4.28e-18), "-4.3e-18"),
            (Value::Num(-4.28e-18), "0"),
            (Value::Num(-4.28e-18), "-4.2e-18"),
            (Value::Num(0.6352), "0.63 ± 0.01"),
            (Value::Num(0.64), "0.63 ± 0.01"),
            (Value::Num(0.6401), "0.63 ± 0.01"),
            (p(), "[0.090, 0.245, 0.665]"),
            (p(), "[0.090, 0.245, 0.670]"),
            (p(), "[0.09, 0.24]"),
            (p(), "0.09"),
            (Value::Bool(true), "1"),
            (Value::Num(0.63), "0.63 ± 0"),
            (Value::Num(0.6285317192117624), "0.63 ± 0"),
            (Value::Num(0.6285317192117624), "1"),
            (Value::Num(2.9999999999999996), "3"),
            (Value::Num(1e-13), "0"),
            (Value::Num(0.6285317192117624), "1 ± 0.5"),
        ];
        expect_test::expect![[r#"
            0.6590011388859679 ≈ 0.659: ok
            0.6590011388859679 ≈ 0.66: ok
            0.6590011388859679 ≈ 0.6590: ok
            0.6590011388859679 ≈ 65.9%: ok
            0.6590011388859679 ≈ 0.658: 
                stated 0.658 but computes to 0.659 `0.658` | should be 0.659 | computed: 0.6590011388859679 | allowed: [0.6575, 0.6585] (0.658 states 3 decimals) | at the stated precision, write: 0.659
            0.978 ≈ 97.1%: 
                stated 97.1% but computes to 97.8% `97.1%` | should be 97.8% | computed: 0.978 | allowed: [97.05%, 97.15%] (97.1% states 1 decimal of a percent) | at the stated precision, write: 97.8%
            4.017 ≈ 4.0: ok
            4.06 ≈ 4.0: 
                stated 4.0 but computes to 4.1 `4.0` | should be 4.1 | computed: 4.06 | allowed: [3.95, 4.05] (4.0 states 1 decimal) | at the stated precision, write: 4.1
            0.1404 ≈ 0.140: ok
            -4.28e-18 ≈ -4.3e-18: ok
            -4.28e-18 ≈ 0: ok
            -4.28e-18 ≈ -4.2e-18: 
                stated -4.2e-18 but computes to -4.3e-18 `-4.2e-18` | should be -4.3e-18 | computed: -4.28e-18 | allowed: [-4.25e-18, -4.15e-18] (-4.2e-18 states 2 significant digits) | at the stated precision, write: -4.3e-18
            0.6352 ≈ 0.63 ± 0.01: ok
            0.64 ≈ 0.63 ± 0.01: ok
            0.6401 ≈ 0.63 ± 0.01: 
                stated 0.63 but computes to 0.64 `0.63` | should be 0.64 | computed: 0.6401 | allowed: [0.62, 0.64] (0.63 ± 0.01) | at the stated precision, write: 0.64
            [0.09003057317038046, 0.24472847105479767, 0.6652409557748219] ≈ [0.090, 0.245, 0.665]: ok
            [0.09003057317038046, 0.24472847105479767, 0.6652409557748219] ≈ [0.090, 0.245, 0.670]: 
                stated 0.670 but component 2 computes to 0.665 `0.670` | should be 0.665 | computed: 0.6652409557748219 | allowed: [0.6695, 0.6705] (0.670 states 3 decimals) | at the stated precision, write: [0.090, 0.245, 0.665]
            [0.09003057317038046, 0.24472847105479767, 0.6652409557748219] ≈ [0.09, 0.24]: 
                2 numbers stated, but the computed vector has 3 `[0.09, 0.24]` | expected 3 numbers | computed: [0.09003057317038046, 0.24472847105479767, 0.6652409557748219]
            [0.09003057317038046, 0.24472847105479767, 0.6652409557748219] ≈ 0.09: 
                one number stated, but the computed value is a vector of 3 `0.09` | does not fit the computed value | computed: [0.09003057317038046, 0.24472847105479767, 0.6652409557748219]
            true ≈ 1: 
                a number stated, but the computed value is a boolean `1` | does not fit the computed value | computed: true
            0.63 ≈ 0.63 ± 0: ok
            0.6285317192117624 ≈ 0.63 ± 0: 
                stated 0.63 but computes to 0.6285317192117624 `0.63` | should be 0.6285317192117624 | computed: 0.6285317192117624 | allowed: [0.63, 0.63] (0.63 ± 0) | at the stated precision, write: 0.6285317192117624
            0.6285317192117624 ≈ 1: 
                stated 1 but computes to 0.6285317192117624 `1` | should be 0.6285317192117624 | computed: 0.6285317192117624 | allowed: 1 exactly, up to floating-point rounding (a whole number states an exact value; state decimals, or a tolerance with ±, to claim less) | at the stated precision, write: 0.6285317192117624
            2.9999999999999996 ≈ 3: ok
            1e-13 ≈ 0: ok
            0.6285317192117624 ≈ 1 ± 0.5: ok
        "#]].assert_eq(&run(&cases));
    }

    /// The fix `check_stated` offers for `stated` against `v`.
    fn fix(v: f64, stated: &str) -> Option<String> {
        let src = format!("check x ≈ {stated}");
        let parsed = parse_statement(&src).expect("parses").expect("a statement");
        let Stmt::Check { stated: Some(s), .. } = parsed.stmt else { unreachable!("a check") };
        let ms = check_stated(&Value::Num(v), &s).expect_err("does not hold");
        ms.into_iter().next().and_then(|m| m.number).and_then(|w| w.suggestion).map(|s| s.replacement)
    }

    #[test]
    fn suggestions_keep_precision_and_format() {
        assert_eq!(fix(0.6590011388859679, "0.658").as_deref(), Some("0.659"));
        assert_eq!(fix(0.6590011388859679, "0.6600").as_deref(), Some("0.6590"));
        assert_eq!(fix(0.978, "97.1%").as_deref(), Some("97.8%"));
        assert_eq!(fix(4.248354255291589e-18, "4.20e-18").as_deref(), Some("4.25e-18"));
        assert_eq!(fix(0.6285317192117624, "62.9").as_deref(), Some("62.9%"));
        assert_eq!(fix(2.0, "3").as_deref(), Some("2"));
        // A whole number states an exact value: 2.5 has no whole-number fix.
        assert_eq!(fix(2.5, "3"), None);
        // With a tolerance: the rounded value when it lies within it.
        assert_eq!(fix(0.6401, "0.63 ± 0.01").as_deref(), Some("0.64"));
        assert_eq!(fix(0.6312, "0.63 ± 0.001"), None);
    }
}
