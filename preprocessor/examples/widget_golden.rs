//! Prints the widget's golden vectors (JSON) on stdout: states, what the
//! Rust core computes and prints for them, formatting cases and self-check
//! verdicts. The browser tests (`tests/browser/`) hold the page's
//! JavaScript to them (`tests/run.sh` writes them to `golden.json`).
//!
//! Test data only: the production crate builds widgets
//! ([`mdbook_lemma::widget`]); this example holds the states, cases and the
//! pseudo-random generator the browser tests are checked against.

use std::io::Write as _;

use mdbook_lemma::check;
use mdbook_lemma::format::{self, Format, format_num};
use mdbook_lemma::widget::Softmax;

fn main() -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", golden())
}

/// States the browser tests put the widget in, by name: `(name, z, T, y)`.
const SCENARIOS: &[(&str, &[f64], f64, usize)] = &[
    ("lesson", &[2.0, 1.0, 0.5], 1.0, 0),
    ("lesson T=0.5", &[2.0, 1.0, 0.5], 0.5, 0),
    ("lesson T=0.2", &[2.0, 1.0, 0.5], 0.2, 0),
    ("lesson T=0.1", &[2.0, 1.0, 0.5], 0.1, 0),
    ("lesson T=2", &[2.0, 1.0, 0.5], 2.0, 0),
    ("lesson T=5", &[2.0, 1.0, 0.5], 5.0, 0),
    ("lesson T=0.05", &[2.0, 1.0, 0.5], 0.05, 0),
    ("lesson T=10", &[2.0, 1.0, 0.5], 10.0, 0),
    ("lesson T=0.98", &[2.0, 1.0, 0.5], 0.98, 0),
    ("lesson y=1", &[2.0, 1.0, 0.5], 1.0, 1),
    ("lesson y=2", &[2.0, 1.0, 0.5], 1.0, 2),
    ("lesson z0=2.1", &[2.1, 1.0, 0.5], 1.0, 0),
    ("lesson z1=3", &[2.0, 3.0, 0.5], 1.0, 0),
    ("lesson z2=-4.5", &[2.0, 1.0, -4.5], 1.0, 0),
    ("large", &[1000.0, 999.0, 0.0], 1.0, 2),
    ("large T=0.05", &[1000.0, 999.0, 0.0], 0.05, 1),
    ("tiny", &[1e-300, 0.0], 1.0, 1),
    ("tied", &[1.0, 1.0, 1.0], 1.0, 1),
    ("tied pair", &[3.0, 3.0, -1.0], 0.3, 2),
    ("sharp", &[5.0, 1.0, 0.5], 0.1, 1),
    ("flat", &[5.0, 1.0, 0.5], 10.0, 2),
    ("negative", &[-3.0, 0.0, 3.0, 7.25], 0.5, 3),
    ("half tie", &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], 1.0, 0),
];

/// Values and digit counts whose printing the browser's formatter must match
/// digit for digit, exact binary ties included.
const FIXED_CASES: &[(f64, u8)] = &[
    (0.125, 2),
    (0.375, 2),
    (0.625, 2),
    (-0.125, 2),
    (2.5, 0),
    (3.5, 0),
    (0.5, 0),
    (1.5, 0),
    (-2.5, 0),
    (0.0009765625, 9),
    (123456789.125, 2),
    (-0.0001, 3),
    (-0.0, 3),
    (0.0, 0),
    (1e-300, 3),
    (5e-324, 3),
    (0.0005, 3),
    (0.6285, 3),
    (0.6295, 3),
    (1000.0005, 3),
    (0.1, 20),
    (1e21, 2),
    (1.7976931348623157e308, 1),
    (0.9995, 3),
    (0.99951, 3),
    (9.995, 2),
    (0.333333333333, 3),
    (2.675, 2),
    (1.005, 2),
];

const SIG_CASES: &[(f64, u8)] = &[
    (0.05, 3),
    (0.0501, 3),
    (5.0, 3),
    (10.0, 3),
    (0.1, 3),
    (1.0, 3),
    (0.98, 3),
    (0.0995, 2),
    (9.96, 2),
    (9.995, 3),
    (0.00012345, 3),
    (123.456, 3),
    (999.5, 3),
    (0.125, 2),
    (1234.5, 4),
    (0.0, 3),
];

/// Probabilities whose printing in the widget (3 decimals, or 2
/// significant digits in scientific form below that) the script must match.
const P_CASES: &[f64] = &[
    0.6285317192117624,
    4.5397868702434395e-5,
    3.0590227410684e-7,
    0.0005,
    0.00050000001,
    0.0004999,
    0.00095,
    0.000995,
    0.0009995,
    3.353501304664781e-4,
    1e-300,
    5e-324,
    0.0,
    0.99995,
    1.0,
    2.5e-5,
    3.5e-5,
    9.95e-6,
    9.96e-6,
];

/// Reader answers and how [`check::judge`] rules on them:
/// `(answer, typed, tolerance)`.
const SELFCHECK_CASES: &[(f64, &str, Option<&str>)] = &[
    (0.63, "0.63", Some("0")),
    (0.6285317, "0.63", Some("0")),
    (3.0, "3", None),
    (2.9999999999999996, "3", None),
    (0.6285317, "0.629", None),
    (0.6285317, "0.63", None),
    (0.6285317, "0.6", None),
    (0.6285317, "1", None),
    (0.6285317, "0.628", None),
    (0.6285317, "0.6285", None),
    (0.6285317, "0.62853", None),
    (0.6285317, "62.9%", None),
    (0.6285317, "62.85%", None),
    (0.6285317, "63%", None),
    (0.6285317, "62%", None),
    (0.6285317, "6.29e-1", None),
    (0.6285317, "6.3E-1", None),
    (0.6285317, "0.7", None),
    (0.6285317, "-0.629", None),
    (0.6285317, ".63", None),
    (0.6285317, "+0.63", None),
    (0.125, "0.12", None),
    (0.125, "0.13", None),
    (0.375, "0.38", None),
    (0.375, "0.37", None),
    (2.5, "2", None),
    (2.5, "3", None),
    (-0.2, "0", None),
    (-0.2, "-0", None),
    (-4.28e-18, "-4.3e-18", None),
    (-4.28e-18, "-4.2e-18", None),
    (4.28e-18, "0", None),
    (1.4632, "1.46", None),
    (1.4632, "1.47", None),
    (1234.5, "1.23e3", None),
    (1234.5, "1.2e3", None),
    (1234.5, "1234", None),
    (1234.5, "1235", None),
    (0.64, "0.63", Some("0.01")),
    (0.6401, "0.63", Some("0.01")),
    (0.6352, "0.63", Some("0.01")),
    (0.62, "0.63", Some("0.01")),
    (0.6199, "0.63", Some("0.01")),
    (0.6352, "63%", Some("1%")),
    (0.6352, "0.6", Some("0.05")),
];

/// Inputs the reader might type that are not numbers: the script must say
/// so rather than judge them.
const INVALID_INPUTS: &[&str] = &["", "abc", "1.2.3", "5e", "%", "-", "1e3%", "0,63", "0.6 3", "0x10"];

/// The golden vectors for the browser tests, as JSON: scenarios (state,
/// what the core computes and prints), formatting cases and self-check
/// verdicts, all computed by the Rust core.
fn golden() -> String {
    use serde_json::json;
    let scenarios: Vec<serde_json::Value> = SCENARIOS
        .iter()
        .map(|(name, z, t, y)| {
            let labels: Vec<String> = if z.len() == 3 {
                ["cat", "dog", "fox"].iter().map(|s| s.to_string()).collect()
            } else {
                (0..z.len()).map(|i| format!("class {i}")).collect()
            };
            let w = Softmax { z: z.to_vec(), t: *t, labels: labels.clone(), y: *y, name: String::new() };
            match w.shown() {
                Ok(s) => json!({
                    "name": name, "z": z, "t": t, "y": y, "labels": labels,
                    "p": s.p, "loss": s.loss, "top": s.top,
                    "p_text": s.p_text, "z_text": s.z_text, "loss_text": s.loss_text,
                    "t_text": s.t_text, "status": s.status,
                }),
                Err(e) => json!({ "name": name, "error": e.to_string() }),
            }
        })
        .collect();
    let fixed: Vec<serde_json::Value> =
        FIXED_CASES.iter().map(|&(v, d)| json!([v, d, format_num(v, Format::Dp(d))])).collect();
    let sig: Vec<serde_json::Value> =
        SIG_CASES.iter().map(|&(v, n)| json!([v, n, format_num(v, Format::Sig(n))])).collect();
    // Many more fixed cases from a fixed pseudo-random sequence over many
    // magnitudes, so that the browser's rounding is tried far from ties too.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut random = Vec::new();
    for i in 0..400i32 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mant = (seed >> 11) as f64 / (1u64 << 53) as f64;
        let exp = i % 25 - 15;
        let v = if i % 3 == 0 { -mant } else { mant } * 10f64.powi(exp);
        let d = (i % 8) as u8;
        random.push(json!([v, d, format_num(v, Format::Dp(d))]));
    }
    let selfcheck: Vec<serde_json::Value> = SELFCHECK_CASES
        .iter()
        .map(|&(answer, typed, tol)| {
            let verdict = format::Stated::parse(typed).and_then(|s| {
                let t = match tol {
                    Some(t) => Some(format::Stated::parse(t)?),
                    None => None,
                };
                let v = check::judge(answer, &s, t.as_ref());
                let dir = if v.holds {
                    "none"
                } else if t.is_some() || format::cmp_dec(&s.value, &format::round(answer, s.quantum())).is_eq() {
                    // Against a tolerance, or a whole number (which states
                    // an exact value): compare with the answer itself.
                    if s.value.cmp_f64(answer).is_gt() { "high" } else { "low" }
                } else if format::cmp_dec(&s.value, &format::round(answer, s.quantum())).is_gt() {
                    "high"
                } else {
                    "low"
                };
                Some((v.holds, dir))
            });
            match verdict {
                Some((holds, dir)) => json!({
                    "answer": format::full(answer), "typed": typed, "tolerance": tol,
                    "verdict": if holds { "correct" } else { "incorrect" }, "direction": dir,
                }),
                None => {
                    json!({ "answer": format::full(answer), "typed": typed, "tolerance": tol, "verdict": "invalid" })
                }
            }
        })
        .chain(INVALID_INPUTS.iter().map(|typed| {
            let verdict = if format::Stated::parse(typed).is_some() { "parses" } else { "invalid" };
            json!({ "answer": "0.5", "typed": typed, "tolerance": null, "verdict": verdict })
        }))
        .collect();
    let p: Vec<serde_json::Value> = P_CASES.iter().map(|&v| json!([v, mdbook_lemma::widget::p_text(v)])).collect();
    let doc = json!({
        "relative_tolerance": 1e-12,
        "formats": { "p": "dp=3, or sci=2 where dp=3 reads 0.000", "loss": "dp=3", "logit": "dp=2", "t": "sig=3" },
        "t_stops": mdbook_lemma::widget::T_STOPS,
        "p": p,
        "scenarios": scenarios,
        "fixed": fixed.into_iter().chain(random).collect::<Vec<_>>(),
        "sig": sig,
        "selfcheck": selfcheck,
        "calibration": calibration(),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Temperatures at which the calibration widget is held to the core.
const CAL_TS: &[f64] = &[0.25, 0.5, 1.0, 2.0, 3.0, 8.0, 32.0];

/// A small case for the calibration widget.
type CalCase = (&'static str, usize, Vec<f64>, Vec<usize>, usize);

/// Small matrices of logits for the calibration widget (`(name, cols,
/// rows, labels, bins)`): ties (the first largest logit is the prediction),
/// a wrong row, a row of equal logits, a confidence on a bin boundary (two
/// classes with logits 0 and ln 3 give 0.75, on the boundary of 4 bins).
fn cal_cases() -> Vec<CalCase> {
    let ln3 = 3f64.ln();
    vec![
        ("ties", 3, vec![1.0, 1.0, 0.0, 2.0, -1.0, 2.0, 0.0, 0.0, 0.0, 5.0, 1.0, 4.0], vec![1, 0, 2, 0], 5),
        ("boundary", 2, vec![0.0, ln3, ln3, 0.0, 2.0, -2.0, -0.5, 0.5], vec![1, 1, 0, 1], 4),
        (
            "spread",
            4,
            (0..40).map(|i| ((i * 37 % 23) as f64 - 11.0) * 0.7).collect(),
            vec![0, 1, 2, 3, 3, 2, 1, 0, 0, 2],
            15,
        ),
    ]
}

/// The calibration widget's golden points: what the core computes and
/// prints at each temperature of [`CAL_TS`] (and at the temperature fitted
/// on the book's validation split), on the small cases and on the book's
/// own test split (whose logits the browser test reads from the page).
fn calibration() -> serde_json::Value {
    use mdbook_lemma::numeric::calibration::{Logits, fit_temperature};
    use mdbook_lemma::widget::calibration::{Calibration, Texts};
    use serde_json::json;
    let point = |w: &Calibration, t: f64| match w.shown(t) {
        Ok(s) => {
            let x = Texts::of(&s, t);
            json!({
                "t": t, "accuracy": s.accuracy, "confidence": s.confidence, "nll": s.nll, "ece": s.ece,
                "bin_accuracy": s.bins.iter().map(|b| b.accuracy()).collect::<Vec<_>>(),
                "bin_confidence": s.bins.iter().map(|b| b.mean_confidence()).collect::<Vec<_>>(),
                "bin_table": s.bins.iter().map(|b| {
                    let cell = |v: Option<f64>| v.map_or("none".to_string(), |v| format_num(v, Format::Dp(3)));
                    [b.count.to_string(), cell(b.mean_confidence()), cell(b.accuracy())]
                }).collect::<Vec<_>>(),
                "bin_count": s.bins.iter().map(|b| b.count).collect::<Vec<_>>(),
                "texts": { "t": x.t, "accuracy": x.accuracy, "confidence": x.confidence, "nll": x.nll, "ece": x.ece },
                "status": x.status(),
            })
        }
        Err(e) => json!({ "t": t, "error": e.to_string() }),
    };
    let widget = |z: Vec<f64>, cols: usize, y: Vec<usize>, bins: usize| Calibration {
        z,
        cols,
        y,
        t: 1.0,
        fitted: None,
        bins,
        name: String::new(),
    };
    let mut cases: Vec<serde_json::Value> = cal_cases()
        .into_iter()
        .map(|(name, cols, z, y, bins)| {
            let rows: Vec<&[f64]> = z.chunks_exact(cols).collect();
            let w = widget(z.clone(), cols, y.clone(), bins);
            json!({ "name": name, "z": rows, "y": y, "bins": bins,
                    "points": CAL_TS.iter().map(|&t| point(&w, t)).collect::<Vec<_>>() })
        })
        .collect();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (zv, yv) = read_csv(&repo.join("data/digits/validation.csv"));
    let (zt, yt) = read_csv(&repo.join("data/digits/test.csv"));
    let fitted = Logits::new(&zv, 10).ok().and_then(|z| fit_temperature(&z, &yv).ok());
    let w = widget(zt, 10, yt, 15);
    let ts: Vec<f64> = CAL_TS.iter().copied().chain(fitted).collect();
    cases.push(json!({ "name": "digits test split", "fitted": fitted, "bins": 15,
                       "points": ts.iter().map(|&t| point(&w, t)).collect::<Vec<_>>() }));
    serde_json::Value::Array(cases)
}

/// A data file of the book (`label,z0,...,z9`), read by the crate's own
/// loader (what `load` reads): its logits, row-major, and labels. Test
/// data: a file the loader refuses panics here, where the book's build
/// would report it.
fn read_csv(path: &std::path::Path) -> (Vec<f64>, Vec<usize>) {
    use mdbook_lemma::eval::Value;
    use mdbook_lemma::eval::data::parse;
    use mdbook_lemma::numeric::calibration::{Logits, labels};
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.display().to_string();
    let load = |select: &str| parse(&name, &bytes, Some(select)).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let (Value::Matrix(m), Value::Vector(y)) = (load("z0:z9"), load("label")) else {
        panic!("{name}: not logits z0 to z9 and a label column");
    };
    let z = m.data().to_vec();
    let y = Logits::new(&z, m.cols()).and_then(|l| labels(&l, &y)).unwrap_or_else(|e| panic!("{name}: {e}"));
    (z, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_is_computed_for_every_scenario() {
        let g: serde_json::Value = serde_json::from_str(&golden()).expect("golden is JSON");
        let scenarios = g["scenarios"].as_array().expect("scenarios");
        assert_eq!(scenarios.len(), SCENARIOS.len());
        let failed: Vec<&serde_json::Value> = scenarios.iter().filter(|s| s.get("error").is_some()).collect();
        assert!(failed.is_empty(), "{failed:?}");
        let fixed = g["fixed"].as_array().expect("fixed");
        assert_eq!(fixed[0], serde_json::json!([0.125, 2, "0.12"]));
        let cal = g["calibration"].as_array().expect("calibration");
        assert_eq!(cal.len(), 4);
        for case in cal {
            for p in case["points"].as_array().expect("points") {
                assert!(p.get("error").is_none(), "{p}");
            }
        }
        let digits = &cal[3];
        assert!(digits["fitted"].as_f64().is_some_and(|t| t > 1.0), "{}", digits["fitted"]);
    }
}
