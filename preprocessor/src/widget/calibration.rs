//! The calibration widget, placed by a `widget` statement in a lemma block:
//!
//! ```text
//! widget calibration(logits, labels, T=1, fitted=Tf, bins=15, name="...")
//! ```
//!
//! `logits` is a matrix (a row per prediction, a column per class),
//! `labels` the vector of true classes, `T` the temperature the page shows
//! first (finite, > 0; default 1), `fitted` an optional temperature the
//! reader can jump to (the one `fit_temperature` found on other data, say),
//! `bins` the number of equal-width confidence bins (default 15, as in Guo
//! et al.), `name` the accessible name. The arguments are bound by the same
//! code as a function's ([`Signature`]).
//!
//! At build time the numeric core computes what the widget shows at `T`
//! ([`crate::numeric::calibration`]): a reliability diagram (the plot
//! module's, drawn with a bar for every bin so the script can move them), the
//! accuracy, the mean confidence, the mean negative log-likelihood and the
//! ECE. `theme/lemma-calibration.js` then makes the temperature slider and
//! the buttons live; it computes the same quantities in plain double
//! precision, and the browser tests hold it to the core on golden points
//! (the example `widget_golden`).
//!
//! # HTML hooks (stable, used by the tests and the script)
//!
//! - the root `div.lemma-widget.lemma-calibration` has
//!   `data-lemma-widget="calibration"`, the logits in `data-lemma-logits`
//!   (JSON, a list of rows, full precision), the labels in
//!   `data-lemma-labels`, `data-lemma-bins`, `data-lemma-t0`, the fitted
//!   temperature in `data-lemma-fitted` (when given), and the current state
//!   at full precision in `data-lemma-t`, `data-lemma-accuracy`,
//!   `data-lemma-confidence`, `data-lemma-nll` and `data-lemma-ece`;
//! - `input[type=range][data-lemma-cal-temperature]`: its value is
//!   `log2(T)`;
//! - `button[data-lemma-cal-fitted]` (when `fitted` is given),
//!   `button[data-lemma-reset]`;
//! - the diagram's `svg[data-lemma-y0][data-lemma-y1]` (the y coordinates of
//!   accuracy 0 and 1) and its bars `rect[data-lemma-bin="m"]`, one per bin
//!   (an empty bin's bar has height 0);
//! - readouts `[data-lemma-cal-t]` (3 significant digits),
//!   `[data-lemma-cal-accuracy]`, `[data-lemma-cal-confidence]`,
//!   `[data-lemma-cal-nll]` (3 decimals), `[data-lemma-cal-ece]` (4
//!   decimals), and `[data-lemma-status]` (the one `aria-live="polite"`
//!   summary).

use crate::diagnostics::Diag;
use crate::eval::Value;
use crate::eval::signature::{Args, Omitted, Param, Signature, Type};
use crate::format::{self, Format, format_num};
use crate::html::Html;
use crate::numeric::calibration::{self as cal, Logits};
use crate::parse::lang::Span;
use crate::plot::svg;

/// The calibration widget's parameters.
pub const CALIBRATION: Signature = Signature {
    name: "calibration",
    params: &[
        Param::required("logits", Type::Matrix),
        Param::required("labels", Type::Vector),
        Param::number("T", 1.0).named(),
        Param { name: "fitted", ty: Type::Number, default: Some(Omitted::Computed("none")), named_only: true },
        Param::number("bins", 15.0).named(),
        Param { name: "name", ty: Type::Str, default: Some(Omitted::Computed("\"Calibration\"")), named_only: true },
    ],
    rest: None,
};

/// How messages name the widget.
pub const WHO: &str = "the calibration widget";

/// The most predictions a widget carries: its logits are written into the
/// page, about ten bytes a number.
pub const MAX_CELLS: usize = 200_000;

/// How the readouts are printed.
const T_FORMAT: Format = Format::Sig(3);
const RATE_FORMAT: Format = Format::Dp(3);
const NLL_FORMAT: Format = Format::Dp(3);
const ECE_FORMAT: Format = Format::Dp(4);

fn error<T>(span: &Span, message: impl Into<String>, label: &str) -> Result<T, Diag> {
    Err(Diag::error(span.clone(), message, label))
}

/// A calibration widget's state.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// The logits, row-major.
    pub z: Vec<f64>,
    /// The number of classes (columns).
    pub cols: usize,
    /// The true class of each row.
    pub y: Vec<usize>,
    /// The temperature shown first.
    pub t: f64,
    /// The temperature the "fitted" button sets.
    pub fitted: Option<f64>,
    /// The number of confidence bins.
    pub bins: usize,
    /// The accessible name.
    pub name: String,
}

/// What the widget shows at one temperature.
///
/// The mean confidence is summed as the lemma function `mean` sums, so
/// `mean(confidence(M, T=t))` in the chapter is the number the widget shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// The fraction of right predictions.
    pub accuracy: f64,
    /// The mean confidence.
    pub confidence: f64,
    /// The mean negative log-likelihood, in nats.
    pub nll: f64,
    /// The expected calibration error.
    pub ece: f64,
    /// The bins.
    pub bins: Vec<cal::Bin>,
}

/// Binds and checks the arguments of `widget calibration(...)`.
pub fn bind(a: &Args) -> Result<Calibration, Diag> {
    let m = a.matrix(0)?;
    if m.data().len() > MAX_CELLS {
        return error(
            a.span(0),
            format!(
                "{} logits ({} rows of {}): a widget carries at most {MAX_CELLS}, because they are written into the page",
                m.data().len(),
                m.rows(),
                m.cols()
            ),
            "too many for a page",
        );
    }
    let z = Logits::new(m.data(), m.cols()).map_err(|e| Diag::error(a.span(0).clone(), e.to_string(), "here"))?;
    let y = cal::labels(&z, a.vector(1)?).map_err(|e| Diag::error(a.span(1).clone(), e.to_string(), "here"))?;
    let t = a.num(2)?;
    if !(t.is_finite() && t > 0.0) {
        return error(a.span(2), format!("the temperature must be finite and > 0, got {}", format::full(t)), "bad temperature");
    }
    let fitted = match a.get(3) {
        Some(Value::Num(f)) if f.is_finite() && *f > 0.0 => Some(*f),
        Some(Value::Num(f)) => {
            return error(
                a.span(3),
                format!("the fitted temperature must be finite and > 0, got {}", format::full(*f)),
                "bad temperature",
            );
        }
        _ => None,
    };
    let bins = a.num(4)?;
    if bins.fract() != 0.0 || !(1.0..=100.0).contains(&bins) {
        return error(a.span(4), format!("the bins must be a whole number from 1 to 100, got {}", format::full(bins)), "bad bins");
    }
    let name = match a.get(5) {
        Some(Value::Str(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Str(_)) => return error(a.span(5), "the widget's name is empty", "empty name"),
        _ => "Calibration".to_string(),
    };
    Ok(Calibration { z: m.data().to_vec(), cols: m.cols(), y, t, fitted, bins: bins as usize, name })
}

impl Calibration {
    fn logits(&self) -> Result<Logits<'_>, cal::CalError> {
        Logits::new(&self.z, self.cols)
    }

    /// What the widget shows at temperature `t`, by the numeric core.
    pub fn shown(&self, t: f64) -> Result<Shown, cal::CalError> {
        let z = self.logits()?;
        let conf = cal::confidence(&z, t)?;
        let bins = cal::binned(&z, &self.y, t, self.bins as f64)?;
        Ok(Shown {
            accuracy: cal::accuracy(&z, &self.y),
            confidence: conf.iter().sum::<f64>() / conf.len() as f64,
            nll: cal::nll(&z, &self.y, t)?,
            ece: cal::ece_of(&bins),
            bins,
        })
    }

    /// The slider's range, in `log2(T)`: from a quarter of the smaller of
    /// `T` and the fitted temperature to four times the larger.
    pub fn range(&self) -> (f64, f64) {
        let (lo, hi) = match self.fitted {
            Some(f) => (self.t.min(f), self.t.max(f)),
            None => (self.t, self.t),
        };
        ((lo.log2() - 2.0).floor(), (hi.log2() + 2.0).ceil())
    }

    /// The widget's HTML, on one line, every string escaped.
    pub fn html(&self) -> Result<String, String> {
        let s = self.shown(self.t).map_err(|e| e.to_string())?;
        let rows: Vec<String> = self
            .z
            .chunks_exact(self.cols)
            .map(|r| format!("[{}]", r.iter().map(|x| format::full(*x)).collect::<Vec<_>>().join(",")))
            .collect();
        let labels: Vec<String> = self.y.iter().map(|y| y.to_string()).collect();
        let texts = Texts::of(&s, self.t);
        let (lo, hi) = self.range();
        let mut h = Html::with_capacity(self.z.len() * 12 + 8192);
        let root = h
            .open("div")
            .attr("class", "lemma-widget lemma-calibration")
            .attr("role", "group")
            .attr("aria-label", &self.name)
            .attr("data-lemma-widget", "calibration")
            .attr("data-lemma-logits", format_args!("[{}]", rows.join(",")))
            .attr("data-lemma-labels", format_args!("[{}]", labels.join(",")))
            .attr("data-lemma-bins", self.bins)
            .attr("data-lemma-t0", format::full(self.t));
        let root = match self.fitted {
            Some(f) => root.attr("data-lemma-fitted", format::full(f)),
            None => root,
        };
        drop(
            root.attr("data-lemma-t", format::full(self.t))
                .attr("data-lemma-accuracy", format::full(s.accuracy))
                .attr("data-lemma-confidence", format::full(s.confidence))
                .attr("data-lemma-nll", format::full(s.nll))
                .attr("data-lemma-ece", format::full(s.ece)),
        );
        let fig = svg::Figure {
            chart: svg::Chart::Reliability { bins: svg_bins(&s.bins), live: true },
            title: format!("{}: accuracy per confidence bin", self.name),
            desc: String::new(),
            xlabel: "confidence".into(),
            ylabel: "accuracy".into(),
            xscale: svg::Scale::Linear,
            yscale: svg::Scale::Linear,
        };
        h.trusted_markup(&svg::render(&fig)?);
        h.open("div").attr("class", "lw-controls");
        h.open("label").attr("class", "lw-temp lc-temp");
        h.open("span").text("Temperature");
        h.literal(" ");
        h.void("input")
            .attr("type", "range")
            .flag("data-lemma-cal-temperature")
            .attr("min", lo)
            .attr("max", hi)
            .attr("step", "0.01")
            .attr("value", format::full(self.t.log2()))
            .attr_prefixed("aria-valuetext", "T = ", &texts.t)
            .flag("disabled");
        h.close();
        h.open("span").attr("class", "lw-tval").attr("aria-hidden", "true");
        h.open("i").text("T");
        h.literal(" = ");
        h.open("span").flag("data-lemma-cal-t").text(&texts.t);
        h.close();
        if let Some(f) = self.fitted {
            h.open("button")
                .attr("type", "button")
                .flag("data-lemma-cal-fitted")
                .flag("disabled")
                .text(&format!("Fitted T = {}", format_num(f, T_FORMAT)));
        }
        h.open("button").attr("type", "button").attr("class", "lw-reset").flag("data-lemma-reset").flag("disabled").text("Reset");
        h.close();
        h.open("dl").attr("class", "lc-readouts");
        for (term, hook, value) in [
            ("accuracy", "data-lemma-cal-accuracy", &texts.accuracy),
            ("mean confidence", "data-lemma-cal-confidence", &texts.confidence),
            ("NLL (nats)", "data-lemma-cal-nll", &texts.nll),
            ("ECE", "data-lemma-cal-ece", &texts.ece),
        ] {
            h.open("div");
            h.open("dt").text(term);
            h.open("dd").flag(hook).text(value);
            h.close();
        }
        h.close();
        h.open("p").attr("class", "lw-status").flag("data-lemma-status").attr("aria-live", "polite").text(&texts.status());
        h.close();
        Ok(h.finish())
    }
}

/// The bins as the plot draws them.
fn svg_bins(bins: &[cal::Bin]) -> Vec<svg::Bin> {
    bins.iter()
        .map(|b| svg::Bin { count: b.count, accuracy: b.accuracy(), confidence: b.mean_confidence() })
        .collect()
}

/// The readouts as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    /// The temperature.
    pub t: String,
    /// The accuracy.
    pub accuracy: String,
    /// The mean confidence.
    pub confidence: String,
    /// The NLL.
    pub nll: String,
    /// The ECE.
    pub ece: String,
}

impl Texts {
    /// The readouts of `s` at `t`.
    pub fn of(s: &Shown, t: f64) -> Texts {
        Texts {
            t: format_num(t, T_FORMAT),
            accuracy: format_num(s.accuracy, RATE_FORMAT),
            confidence: format_num(s.confidence, RATE_FORMAT),
            nll: format_num(s.nll, NLL_FORMAT),
            ece: format_num(s.ece, ECE_FORMAT),
        }
    }

    /// The live summary line.
    pub fn status(&self) -> String {
        format!(
            "T = {}; accuracy {}, mean confidence {}, NLL {} nats, ECE {}",
            self.t, self.accuracy, self.confidence, self.nll, self.ece
        )
    }
}
