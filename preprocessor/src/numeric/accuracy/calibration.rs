//! Measuring [`crate::numeric::calibration`] against its oracle,
//! `tests/data/calibration/oracle.jsonl` (written by
//! `tools/calibration_oracle.py` with mpmath at 60 digits and exact
//! rationals; see that script): `nll`, `ece` and `mce` in ulps of the
//! correctly rounded truth, and the fitted temperature in ulps of the
//! oracle's minimiser, with the property that pins it down (the NLL's
//! derivative changes sign between its neighbouring doubles).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{FunctionStats, num, nums, stats_row};
use crate::numeric::calibration::{Logits, ece, fit_temperature, labels, mce, nll, nll_derivative};
use crate::numeric::ulp_distance;

/// The measured functions, in report order.
pub const MEASURED: [&str; 4] = ["nll", "ece", "mce", "fit_T"];

/// One oracle case.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Its id.
    pub id: String,
    /// What kind of input it is (`random`, `ties`, `boundary-ulp`, ...).
    pub kind: String,
    /// Columns of the logit matrix.
    pub cols: usize,
    /// The logits, row-major.
    pub z: Vec<f64>,
    /// The labels.
    pub y: Vec<f64>,
    /// The temperature of `nll`, `ece`, `mce`.
    pub t: f64,
    /// The bins of `ece`, `mce`.
    pub bins: f64,
    /// The truths, correctly rounded: nll, ece, mce.
    pub truth: [f64; 3],
    /// The minimiser of the NLL, rounded; `None` when there is none.
    pub fit_t: Option<f64>,
}

/// The oracle kept in the repository.
pub fn default_oracle() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/calibration/oracle.jsonl")
}

fn parse(line: &str) -> Result<Case, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let get = |k: &str| v.get(k).ok_or_else(|| format!("missing field {k:?}"));
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned).unwrap_or_default();
    Ok(Case {
        id: text("id"),
        kind: text("kind"),
        cols: get("cols")?.as_u64().ok_or("cols: not a count")? as usize,
        z: nums(get("z")?, "z")?,
        y: nums(get("y")?, "y")?,
        t: num(get("T")?, "T")?,
        bins: num(get("bins")?, "bins")?,
        truth: [num(get("nll")?, "nll")?, num(get("ece")?, "ece")?, num(get("mce")?, "mce")?],
        fit_t: match get("fit_T")? {
            Value::Null => None,
            x => Some(num(x, "fit_T")?),
        },
    })
}

/// Every case of an oracle file.
///
/// # Errors
/// The file cannot be read or a line does not parse.
pub fn read_oracle(path: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| parse(l).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1)))
        .collect()
}

/// The measurement of the oracle's cases.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Cases measured.
    pub cases: usize,
    /// Errors in ulps, in [`MEASURED`] order.
    pub stats: [FunctionStats; 4],
    /// Fitted temperatures whose neighbours do not bracket the sign
    /// change of the NLL's derivative, or where the core and the oracle
    /// disagree on whether a minimiser exists.
    pub fit_failures: Vec<String>,
    /// Of the fitted temperatures that differ from the oracle's, how
    /// many give the same NLL (rounded) as the oracle's: the minimum is
    /// flat at double precision there.
    pub fit_same_nll: (usize, usize),
}

impl Report {
    /// Measures every case.
    pub fn measure(cases: &[Case]) -> Report {
        let mut r = Report::default();
        for c in cases {
            r.cases += 1;
            let mut push = |i: usize, got: Result<f64, String>, truth: f64| match got {
                Ok(v) => r.stats[i].errors.push((ulp_distance(v, truth) as f64, c.id.clone(), c.kind.clone())),
                Err(_) => r.stats[i].failures.push((c.id.clone(), c.kind.clone())),
            };
            let Ok(z) = Logits::new(&c.z, c.cols) else {
                for i in 0..3 {
                    push(i, Err(String::new()), 0.0);
                }
                continue;
            };
            let Ok(y) = labels(&z, &c.y) else {
                for i in 0..3 {
                    push(i, Err(String::new()), 0.0);
                }
                continue;
            };
            push(0, nll(&z, &y, c.t).map_err(|e| e.to_string()), c.truth[0]);
            push(1, ece(&z, &y, c.t, c.bins).map_err(|e| e.to_string()), c.truth[1]);
            push(2, mce(&z, &y, c.t, c.bins).map_err(|e| e.to_string()), c.truth[2]);
            match (fit_temperature(&z, &y), c.fit_t) {
                (Ok(t), Some(want)) => {
                    let d = |t: f64| nll_derivative(&z, &y, t).unwrap_or(f64::NAN);
                    if !(d(t.next_down()) < 0.0 && d(t.next_up()) >= 0.0) {
                        r.fit_failures.push(format!(
                            "{} ({}): the derivative at the neighbours of {t} is {} and {}",
                            c.id,
                            c.kind,
                            d(t.next_down()),
                            d(t.next_up())
                        ));
                    }
                    let e = ulp_distance(t, want);
                    if e > 0 {
                        r.fit_same_nll.1 += 1;
                        if nll(&z, &y, t).ok() == nll(&z, &y, want).ok() {
                            r.fit_same_nll.0 += 1;
                        }
                    }
                    r.stats[3].errors.push((e as f64, c.id.clone(), c.kind.clone()));
                }
                (Err(_), None) => {}
                (got, want) => {
                    r.fit_failures.push(format!("{} ({}): core {got:?}, oracle {want:?}", c.id, c.kind));
                    r.stats[3].failures.push((c.id.clone(), c.kind.clone()));
                }
            }
        }
        r
    }

    /// A human-readable table.
    pub fn summary(&self) -> String {
        let mut out = format!("{} calibration cases\n", self.cases);
        let _ = writeln!(
            out,
            "{:<6} {:>8} {:>6} {:>8} {:>8}  worst kinds (max ulp)",
            "fn", "failures", "max", "p99", "median"
        );
        for (name, s) in MEASURED.iter().zip(&self.stats) {
            stats_row(&mut out, name, s, 6);
        }
        let (same, differ) = self.fit_same_nll;
        let _ = writeln!(
            out,
            "fit_T: {} with the derivative's sign change not between the neighbours; of the {differ} that differ from the oracle's minimiser, {same} give the same NLL (rounded) as it",
            self.fit_failures.len()
        );
        for f in self.fit_failures.iter().take(10) {
            let _ = writeln!(out, "  {f}");
        }
        out
    }

    /// Every miss of `targets` (ulps, in [`MEASURED`] order), failure
    /// or fit failure, as messages.
    pub fn misses(&self, targets: &[f64; 4]) -> Vec<String> {
        let mut out = self.fit_failures.clone();
        for ((name, s), &t) in MEASURED.iter().zip(&self.stats).zip(targets) {
            for (id, kind) in &s.failures {
                out.push(format!("{name}: {id} ({kind}) failed"));
            }
            for (e, id, kind) in s.errors.iter().filter(|e| e.0 > t) {
                out.push(format!("{name}: {id} ({kind}) is {e} ulp off (target {t})"));
            }
        }
        out
    }
}
