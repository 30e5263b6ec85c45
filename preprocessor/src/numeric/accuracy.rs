//! Measuring the numeric core against an accuracy corpus.
//!
//! The corpus format (see `tests/data/accuracy/README.md`) is one JSON
//! object a line: `{"id","kind","z","T","y","p","log_p","lse","ce","H"}`,
//! or, for inputs that must be rejected, `{"id","class","reason","expect",
//! "z","T","y"}` where the strings `"NaN"`, `"Infinity"` and `"-Infinity"`
//! stand for the non-finite doubles. Shared by the `accuracy` example and
//! the `accuracy` integration test.

pub mod calibration;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{NumError, cross_entropy, entropy_of_logits, log_softmax, logsumexp, softmax, ulp_distance};

/// The five measured functions, in report order.
pub const FUNCTIONS: [&str; 5] = ["p", "log_p", "lse", "ce", "H"];

/// The exact results stored with a corpus case.
#[derive(Debug, Clone, PartialEq)]
pub struct Truth {
    /// `softmax(z/T)`.
    pub p: Vec<f64>,
    /// `log_softmax(z/T)`.
    pub log_p: Vec<f64>,
    /// `logsumexp(z/T)`.
    pub lse: f64,
    /// `-log p_y`.
    pub ce: f64,
    /// Entropy of `p` in nats.
    pub h: f64,
}

/// One line of a corpus file.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The case's `id`.
    pub id: String,
    /// Its `kind` (or, for invalid inputs, its `class`).
    pub kind: String,
    /// Logits (may be non-finite in invalid inputs).
    pub z: Vec<f64>,
    /// Temperature.
    pub t: f64,
    /// True class; `None` when missing or null. Integers outside `i64`
    /// saturate to `i64::MIN` / `i64::MAX` (out of range for any vector).
    pub y: Option<i64>,
    /// Exact results, when the line has them.
    pub truth: Option<Truth>,
    /// `expect` of an invalid input: `"error"` or `"error_or_inf"`.
    pub expect: Option<String>,
    /// Why an invalid input is invalid.
    pub reason: Option<String>,
}

fn num(v: &Value, what: &str) -> Result<f64, String> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| format!("{what}: {n} is not a double")),
        Value::String(s) => match s.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            other => other.parse::<f64>().map_err(|e| format!("{what}: {other:?}: {e}")),
        },
        other => Err(format!("{what}: expected a number, found {other}")),
    }
}

fn nums(v: &Value, what: &str) -> Result<Vec<f64>, String> {
    v.as_array().ok_or_else(|| format!("{what}: expected an array"))?.iter().map(|x| num(x, what)).collect()
}

fn class_of(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            Some(if f > 0.0 { i64::MAX } else { i64::MIN })
        }),
        _ => None,
    }
}

/// Parse one corpus line.
///
/// # Errors
/// A message naming the field when the line is not in the corpus format.
pub fn parse_line(line: &str) -> Result<Case, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let get = |k: &str| v.get(k).ok_or_else(|| format!("missing field {k:?}"));
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let truth = if v.get("p").is_some() {
        Some(Truth {
            p: nums(get("p")?, "p")?,
            log_p: nums(get("log_p")?, "log_p")?,
            lse: num(get("lse")?, "lse")?,
            ce: num(get("ce")?, "ce")?,
            h: num(get("H")?, "H")?,
        })
    } else {
        None
    };
    Ok(Case {
        id: text("id").unwrap_or_default(),
        kind: text("kind").or_else(|| text("class")).unwrap_or_default(),
        z: nums(get("z")?, "z")?,
        t: num(get("T")?, "T")?,
        y: class_of(v.get("y")),
        truth,
        expect: text("expect"),
        reason: text("reason"),
    })
}

/// Read every non-blank line of a corpus file.
///
/// # Errors
/// The file cannot be read, or a line does not parse (with its number).
pub fn read_cases(path: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| parse_line(l).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1)))
        .collect()
}

/// The corpus kept in the repository (`<repo>/tests/data/accuracy`, a
/// copy of the project's shared accuracy corpus; see its README).
pub fn default_corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/accuracy")
}

/// What the public functions returned for one case (`Err` kept as is).
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    /// [`softmax`].
    pub p: Result<Vec<f64>, NumError>,
    /// [`log_softmax`].
    pub log_p: Result<Vec<f64>, NumError>,
    /// [`logsumexp`].
    pub lse: Result<f64, NumError>,
    /// [`cross_entropy`]; `None` when the case has no class.
    pub ce: Option<Result<f64, NumError>>,
    /// [`entropy_of_logits`].
    pub h: Result<f64, NumError>,
}

impl Computed {
    /// Call each public function on the case.
    pub fn of(case: &Case) -> Computed {
        Computed {
            p: softmax(&case.z, case.t),
            log_p: log_softmax(&case.z, case.t),
            lse: logsumexp(&case.z, case.t),
            ce: case.y.map(|y| cross_entropy(&case.z, y, case.t)),
            h: entropy_of_logits(&case.z, case.t),
        }
    }

    /// Which of the five functions returned an error (in [`FUNCTIONS`] order;
    /// a missing class counts as rejected for `ce`).
    pub fn rejected(&self) -> [bool; 5] {
        [
            self.p.is_err(),
            self.log_p.is_err(),
            self.lse.is_err(),
            self.ce.as_ref().is_none_or(Result::is_err),
            self.h.is_err(),
        ]
    }

    /// One output line `{"id","p","log_p","lse","ce","H"}`, `null` for errors,
    /// doubles in shortest round-trip form.
    pub fn json_line(&self, id: &str) -> String {
        fn opt<T: serde::Serialize>(r: Option<&T>) -> Value {
            r.map_or(Value::Null, |v| json!(v))
        }
        json!({
            "id": id,
            "p": opt(self.p.as_ref().ok()),
            "log_p": opt(self.log_p.as_ref().ok()),
            "lse": opt(self.lse.as_ref().ok()),
            "ce": opt(self.ce.as_ref().and_then(|r| r.as_ref().ok())),
            "H": opt(self.h.as_ref().ok()),
        })
        .to_string()
    }
}

/// `ulp(x)`: the spacing of doubles at `|x|` (at `f64::MAX` for infinities).
fn ulp_of(x: f64) -> f64 {
    let a = if x.is_finite() { x.abs() } else { f64::MAX };
    let next = f64::from_bits(a.to_bits() + 1);
    if next.is_finite() { next - a } else { a - f64::from_bits(a.to_bits() - 1) }
}

/// Error of one scalar result in ulps (`None`: a failure, i.e. an error or
/// non-finite value where the truth is finite). A non-finite truth is met
/// by an error.
fn scalar_error(got: &Result<f64, NumError>, truth: f64) -> Option<f64> {
    match got {
        Err(_) if !truth.is_finite() => Some(0.0),
        Ok(v) if v.is_finite() && truth.is_finite() => Some(ulp_distance(*v, truth) as f64),
        _ => None,
    }
}

fn vector_error(got: &Result<Vec<f64>, NumError>, truth: &[f64]) -> Option<f64> {
    match got {
        Err(_) if truth.iter().any(|t| !t.is_finite()) => Some(0.0),
        Ok(v) if v.len() == truth.len() => {
            v.iter().zip(truth).map(|(&g, &t)| scalar_error(&Ok(g), t)).try_fold(0.0f64, |acc, e| e.map(|e| acc.max(e)))
        }
        _ => None,
    }
}

/// `lse` error measured in ulps of `max(|lse|, max |z_i/T|)` (README
/// metric: `lse` is ill-conditioned near 0).
fn lse_error(got: &Result<f64, NumError>, truth: f64, case: &Case) -> Option<f64> {
    match got {
        Err(_) if !truth.is_finite() => Some(0.0),
        Ok(v) if v.is_finite() && truth.is_finite() => {
            let scale = case.z.iter().map(|z| (z / case.t).abs()).fold(truth.abs(), f64::max);
            let err = ((v - truth).abs() / ulp_of(scale)).min(ulp_distance(*v, truth) as f64);
            Some(err)
        }
        _ => None,
    }
}

/// Per-function errors over a corpus.
#[derive(Debug, Clone, Default)]
pub struct FunctionStats {
    /// `(ulps, case id, case kind)` for every measured case.
    pub errors: Vec<(f64, String, String)>,
    /// `(case id, case kind)` of failures.
    pub failures: Vec<(String, String)>,
}

impl FunctionStats {
    fn sorted(&self) -> Vec<f64> {
        let mut v: Vec<f64> = self.errors.iter().map(|e| e.0).collect();
        v.sort_by(f64::total_cmp);
        v
    }
    /// Largest error in ulps (0 with no cases).
    pub fn max(&self) -> f64 {
        self.sorted().last().copied().unwrap_or(0.0)
    }
    /// The `q` quantile (nearest rank), e.g. `0.99`.
    pub fn quantile(&self, q: f64) -> f64 {
        let v = self.sorted();
        if v.is_empty() {
            return 0.0;
        }
        let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v.get(rank - 1).copied().unwrap_or(0.0)
    }
    /// The worst cases: `(ulps, id, kind)`, largest first.
    pub fn worst(&self, n: usize) -> Vec<(f64, String, String)> {
        let mut v = self.errors.clone();
        v.sort_by(|a, b| b.0.total_cmp(&a.0));
        v.truncate(n);
        v
    }
    /// Largest error per case kind, largest first.
    pub fn worst_kinds(&self, n: usize) -> Vec<(String, f64)> {
        let mut by: std::collections::BTreeMap<&str, f64> = std::collections::BTreeMap::new();
        for (e, _, k) in &self.errors {
            let m = by.entry(k.as_str()).or_insert(0.0);
            *m = m.max(*e);
        }
        let mut v: Vec<(String, f64)> = by.into_iter().map(|(k, e)| (k.to_owned(), e)).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v.truncate(n);
        v
    }
}

/// The measurement of a corpus with truths.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Number of cases measured.
    pub cases: usize,
    /// Stats in [`FUNCTIONS`] order.
    pub stats: [FunctionStats; 5],
    /// For information: `lse` in plain ulps of the result itself (the
    /// README's metric, in `stats`, uses ulps of `max(|lse|, max|z_i/T|)`).
    pub lse_plain: FunctionStats,
}

/// An ulp count for the report: integers as such, fractions in `e` form.
/// One function's row of a summary table: failures, max (in a column
/// `max_width` wide), p99 and median ulp, and the worst kinds of case.
fn stats_row(out: &mut String, name: &str, s: &FunctionStats, max_width: usize) {
    let kinds: Vec<String> = s.worst_kinds(3).iter().map(|(k, e)| format!("{k} {}", fmt_ulp(*e))).collect();
    let _ = writeln!(
        out,
        "{:<6} {:>8} {:>max_width$} {:>8} {:>8}  {}",
        name,
        s.failures.len(),
        fmt_ulp(s.max()),
        fmt_ulp(s.quantile(0.99)),
        fmt_ulp(s.quantile(0.5)),
        kinds.join(", ")
    );
}

fn fmt_ulp(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 { format!("{x}") } else { format!("{x:.2e}") }
}

/// The accuracy targets of issue 5: ulps allowed per function (in
/// [`FUNCTIONS`] order).
pub const TARGETS: [f64; 5] = [2.0, 2.0, 3.0, 2.0, 2.0];

impl Report {
    /// Measure every case that has a truth.
    pub fn measure(cases: &[Case]) -> Report {
        let mut r = Report::default();
        for case in cases {
            let Some(truth) = &case.truth else { continue };
            r.cases += 1;
            let got = Computed::of(case);
            let ce = got.ce.clone().unwrap_or(Err(NumError::Class { y: -1, len: case.z.len() }));
            let errs = [
                vector_error(&got.p, &truth.p),
                vector_error(&got.log_p, &truth.log_p),
                lse_error(&got.lse, truth.lse, case),
                scalar_error(&ce, truth.ce),
                scalar_error(&got.h, truth.h),
            ];
            if let (Ok(v), true) = (&got.lse, truth.lse.is_finite()) {
                let e = ulp_distance(*v, truth.lse) as f64;
                r.lse_plain.errors.push((e, case.id.clone(), case.kind.clone()));
            }
            for (s, e) in r.stats.iter_mut().zip(errs) {
                match e {
                    Some(e) => s.errors.push((e, case.id.clone(), case.kind.clone())),
                    None => s.failures.push((case.id.clone(), case.kind.clone())),
                }
            }
        }
        r
    }

    /// A human-readable table.
    pub fn summary(&self) -> String {
        let mut out = format!("{} cases\n", self.cases);
        let _ = writeln!(
            out,
            "{:<6} {:>8} {:>10} {:>8} {:>8}  worst kinds (max ulp)",
            "fn", "failures", "max", "p99", "median"
        );
        let rows = FUNCTIONS.iter().copied().zip(&self.stats).chain([("lse*", &self.lse_plain)]);
        for (name, s) in rows {
            stats_row(&mut out, name, s, 10);
            for (e, id, kind) in s.worst(3).iter().filter(|w| w.0 > 0.0) {
                let _ = writeln!(out, "         worst: {id} ({kind}) {} ulp", fmt_ulp(*e));
            }
            for (id, kind) in s.failures.iter().take(5) {
                let _ = writeln!(out, "         FAILED: {id} ({kind})");
            }
        }
        let _ = writeln!(
            out,
            "(lse: ulps of max(|lse|, max|z_i/T|) per the corpus README; lse*: plain ulps, for information)"
        );
        out
    }

    /// Every miss of `targets` (ulps per function) or failure, as messages.
    pub fn misses(&self, targets: &[f64; 5]) -> Vec<String> {
        let mut out = Vec::new();
        for ((name, s), &t) in FUNCTIONS.iter().zip(&self.stats).zip(targets) {
            for (id, kind) in &s.failures {
                out.push(format!("{name}: {id} ({kind}) failed: error or non-finite"));
            }
            for (e, id, kind) in s.errors.iter().filter(|e| e.0 > t) {
                out.push(format!("{name}: {id} ({kind}) is {e} ulp off (target {t})"));
            }
        }
        out
    }
}

/// The verdict on one input that must be rejected.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The case's id.
    pub id: String,
    /// Its class (`nan`, `inf`, `T`, `empty`, `y`, `overflow`, ...).
    pub class: String,
    /// Which functions returned an error, in [`FUNCTIONS`] order.
    pub rejected: [bool; 5],
    /// Whether that is what the case demands: a bad class must fail `ce`;
    /// `error_or_inf` must fail at least one function; any other invalid
    /// input must fail all five.
    pub ok: bool,
    /// The errors' messages, for the report.
    pub detail: String,
}

/// Judge the cases that carry an `expect` field.
pub fn check_invalid(cases: &[Case]) -> Vec<Rejection> {
    cases
        .iter()
        .filter(|c| c.expect.is_some())
        .map(|case| {
            let got = Computed::of(case);
            let rejected = got.rejected();
            let ok = match (case.expect.as_deref(), case.kind.as_str()) {
                (Some("error_or_inf"), _) => rejected.iter().any(|&r| r),
                (_, "y") => rejected[3],
                _ => rejected.iter().all(|&r| r),
            };
            let mut msgs: Vec<String> = Vec::new();
            let mut note = |name: &str, e: Option<&NumError>| {
                if let Some(e) = e {
                    msgs.push(format!("{name}: {e}"));
                }
            };
            note("p", got.p.as_ref().err());
            note("log_p", got.log_p.as_ref().err());
            note("lse", got.lse.as_ref().err());
            let no_class = NumError::Class { y: -1, len: case.z.len() };
            match &got.ce {
                Some(r) => note("ce", r.as_ref().err()),
                None => note("ce (no class given)", Some(&no_class)),
            }
            note("H", got.h.as_ref().err());
            Rejection { id: case.id.clone(), class: case.kind.clone(), rejected, ok, detail: msgs.join("; ") }
        })
        .collect()
}
