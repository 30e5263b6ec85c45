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
//!   accuracy 0 and 1), its bars `rect[data-lemma-bin="m"]`, one per bin
//!   (an empty bin's bar has height 0), and over them the gaps between
//!   each bin's accuracy and mean confidence, `rect[data-lemma-gap="m"]`;
//!   under it, the figure's data table, a row `tr[data-lemma-bin-row="m"]`
//!   per bin whose cells `[data-lemma-bin-count]`,
//!   `[data-lemma-bin-confidence]` and `[data-lemma-bin-accuracy]` (3
//!   decimals, or `none`) the script rewrites;
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

use super::{LOSS_FORMAT as NLL_FORMAT, T_FORMAT};

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

// How the readouts are printed: the temperature and the NLL as the softmax
// widget prints the temperature and the loss (`T_FORMAT`, `LOSS_FORMAT`),
// the accuracy and the mean confidence to 3 decimals, the ECE to 4.
const RATE_FORMAT: Format = Format::Dp(3);
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
        return error(
            a.span(2),
            format!("the temperature must be finite and > 0, got {}", format::full(t)),
            "bad temperature",
        );
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
        return error(
            a.span(4),
            format!("the bins must be a whole number from 1 to 100, got {}", format::full(bins)),
            "bad bins",
        );
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
        // The confidences and the right-or-wrong verdicts once, for the
        // bins, the accuracy (the bins' right predictions over all, the
        // count and division of `cal::accuracy`) and the mean confidence.
        let conf = cal::confidence(&z, t)?;
        let bins = cal::bin_stats(&conf, &cal::correct(&z, &self.y), self.bins);
        let right: usize = bins.iter().map(|b| b.right).sum();
        Ok(Shown {
            accuracy: right as f64 / z.rows() as f64,
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
        h.open("button")
            .attr("type", "button")
            .attr("class", "lw-reset")
            .flag("data-lemma-reset")
            .flag("disabled")
            .text("Reset");
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
        h.open("p")
            .attr("class", "lw-status")
            .flag("data-lemma-status")
            .attr("aria-live", "polite")
            .text(&texts.status());
        h.close();
        Ok(h.finish())
    }
}

/// The bins as the plot draws them.
fn svg_bins(bins: &[cal::Bin]) -> Vec<svg::Bin> {
    bins.iter().map(|b| svg::Bin { count: b.count, accuracy: b.accuracy(), confidence: b.mean_confidence() }).collect()
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

#[cfg(test)]
mod tests {
    use crate::widget::tests::check;

    #[test]
    fn renders_the_initial_state() {
        check(
            "widget calibration([[2, 1], [0, 1], [1, 3], [0.5, 0]], [0, 0, 1, 1], fitted=2, bins=4, name=\"a <tiny> model\")",
            expect_test::expect![[r#"
                <div class="lemma-widget lemma-calibration" role="group" aria-label="a &lt;tiny&gt; model" data-lemma-widget="calibration" data-lemma-logits="[[2,1],[0,1],[1,3],[0.5,0]]" data-lemma-labels="[0,0,1,1]" data-lemma-bins="4" data-lemma-t0="1" data-lemma-fitted="2" data-lemma-t="1" data-lemma-accuracy="0.5" data-lemma-confidence="0.7413433916099367" data-lemma-nll="0.6818820925648812" data-lemma-ece="0.30094485262099546"><figure class="lemma-plot"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 322" role="img" class="lp-svg" font-size="12" data-lemma-y0="276" data-lemma-y1="54"><title>a &lt;tiny&gt; model: accuracy per confidence bin</title><desc>Reliability diagram: the accuracy of 4 predictions in each of 4 confidence bins, against the diagonal of perfect calibration.</desc><g class="lp-grid"><line x1="58" x2="464" y1="276" y2="276"></line><line x1="58" x2="464" y1="231.6" y2="231.6"></line><line x1="58" x2="464" y1="187.2" y2="187.2"></line><line x1="58" x2="464" y1="142.8" y2="142.8"></line><line x1="58" x2="464" y1="98.4" y2="98.4"></line><line x1="58" x2="464" y1="54" y2="54"></line></g><g class="lp-axis"><line x1="58" x2="464" y1="276" y2="276"></line><line x1="58" x2="58" y1="276" y2="54"></line><line x1="54" x2="58" y1="276" y2="276"></line><text x="51" y="280" text-anchor="end">0.0</text><line x1="54" x2="58" y1="231.6" y2="231.6"></line><text x="51" y="235.6" text-anchor="end">0.2</text><line x1="54" x2="58" y1="187.2" y2="187.2"></line><text x="51" y="191.2" text-anchor="end">0.4</text><line x1="54" x2="58" y1="142.8" y2="142.8"></line><text x="51" y="146.8" text-anchor="end">0.6</text><line x1="54" x2="58" y1="98.4" y2="98.4"></line><text x="51" y="102.4" text-anchor="end">0.8</text><line x1="54" x2="58" y1="54" y2="54"></line><text x="51" y="58" text-anchor="end">1.0</text><line x1="58" x2="58" y1="276" y2="280"></line><text x="58" y="292" text-anchor="middle">0.0</text><line x1="139.2" x2="139.2" y1="276" y2="280"></line><text x="139.2" y="292" text-anchor="middle">0.2</text><line x1="220.4" x2="220.4" y1="276" y2="280"></line><text x="220.4" y="292" text-anchor="middle">0.4</text><line x1="301.6" x2="301.6" y1="276" y2="280"></line><text x="301.6" y="292" text-anchor="middle">0.6</text><line x1="382.8" x2="382.8" y1="276" y2="280"></line><text x="382.8" y="292" text-anchor="middle">0.8</text><line x1="464" x2="464" y1="276" y2="280"></line><text x="464" y="292" text-anchor="middle">1.0</text><text class="lp-label" x="261" y="312" text-anchor="middle">confidence</text><text class="lp-label" transform="translate(14 165) rotate(-90)" text-anchor="middle">accuracy</text></g><rect class="lp-bar lp-s0" x="59" y="276" width="99.5" height="0" data-lemma-bin="0"></rect><rect class="lp-bar lp-s0" x="160.5" y="276" width="99.5" height="0" data-lemma-bin="1"></rect><rect class="lp-bar lp-s0" x="262" y="202" width="99.5" height="74" data-lemma-bin="2"></rect><rect class="lp-bar lp-s0" x="363.5" y="54" width="99.5" height="222" data-lemma-bin="3"></rect><rect class="lp-gap lp-s2" x="59" y="276" width="99.5" height="0" data-lemma-gap="0"></rect><rect class="lp-gap lp-s2" x="160.5" y="276" width="99.5" height="0" data-lemma-gap="1"></rect><rect class="lp-gap lp-s2" x="262" y="121.7" width="99.5" height="80.3" data-lemma-gap="2"></rect><rect class="lp-gap lp-s2" x="363.5" y="54" width="99.5" height="26.5" data-lemma-gap="3"></rect><line class="lp-diag lp-s1" x1="58" y1="276" x2="464" y2="54"></line><rect class="lp-bar lp-s0" x="58" y="4" width="12" height="12"></rect><text x="80" y="14">accuracy</text><line class="lp-diag lp-s1" x1="153.6" x2="171.6" y1="10" y2="10"></line><text x="175.6" y="14">perfect calibration</text><rect class="lp-gap lp-s2" x="58" y="22" width="12" height="12"></rect><text x="80" y="32">gap to mean confidence</text></svg><figcaption>a &lt;tiny&gt; model: accuracy per confidence bin</figcaption><details class="lp-data"><summary>The data of this figure</summary><table><tr><th scope="col">from</th><th scope="col">to</th><th scope="col">predictions</th><th scope="col">mean confidence</th><th scope="col">accuracy</th></tr><tr data-lemma-bin-row="0"><th scope="row">0</th><td>0.250</td><td data-lemma-bin-count="">0</td><td data-lemma-bin-confidence="">none</td><td data-lemma-bin-accuracy="">none</td></tr><tr data-lemma-bin-row="1"><th scope="row">0.250</th><td>0.500</td><td data-lemma-bin-count="">0</td><td data-lemma-bin-confidence="">none</td><td data-lemma-bin-accuracy="">none</td></tr><tr data-lemma-bin-row="2"><th scope="row">0.500</th><td>0.750</td><td data-lemma-bin-count="">3</td><td data-lemma-bin-confidence="">0.695</td><td data-lemma-bin-accuracy="">0.333</td></tr><tr data-lemma-bin-row="3"><th scope="row">0.750</th><td>1</td><td data-lemma-bin-count="">1</td><td data-lemma-bin-confidence="">0.881</td><td data-lemma-bin-accuracy="">1.000</td></tr></table></details></figure><div class="lw-controls"><label class="lw-temp lc-temp"><span>Temperature</span> <input type="range" data-lemma-cal-temperature min="-2" max="3" step="0.01" value="0" aria-valuetext="T = 1.00" disabled></label><span class="lw-tval" aria-hidden="true"><i>T</i> = <span data-lemma-cal-t>1.00</span></span><button type="button" data-lemma-cal-fitted disabled>Fitted T &#61; 2.00</button><button type="button" class="lw-reset" data-lemma-reset disabled>Reset</button></div><dl class="lc-readouts"><div><dt>accuracy</dt><dd data-lemma-cal-accuracy>0.500</dd></div><div><dt>mean confidence</dt><dd data-lemma-cal-confidence>0.741</dd></div><div><dt>NLL (nats)</dt><dd data-lemma-cal-nll>0.682</dd></div><div><dt>ECE</dt><dd data-lemma-cal-ece>0.3009</dd></div></dl><p class="lw-status" data-lemma-status aria-live="polite">T &#61; 1.00; accuracy 0.500, mean confidence 0.741, NLL 0.682 nats, ECE 0.3009</p></div>
            "#]],
        );
    }

    #[test]
    fn errors_are_located() {
        let m = "[[2, 1], [0, 1]]";
        for (args, expect) in [
            (
                format!("{m}, [0, 2]"),
                expect_test::expect!["46..52 `[0, 2]`: label 2 out of range at row 1 (the matrix has 2 columns)"],
            ),
            (
                format!("{m}, [0]"),
                expect_test::expect!["46..49 `[0]`: 1 label for a matrix of 2 rows: give one label per row"],
            ),
            (
                format!("{m}, [0, 0.5]"),
                expect_test::expect![
                    "46..54 `[0, 0.5]`: label 0.5 at row 1 is not a whole number (a label is a class, 0 to 1)"
                ],
            ),
            (
                format!("{m}, [0, 1], T=0"),
                expect_test::expect!["56..57 `0`: the temperature must be finite and > 0, got 0"],
            ),
            (
                format!("{m}, [0, 1], fitted=-1"),
                expect_test::expect!["61..63 `-1`: the fitted temperature must be finite and > 0, got -1"],
            ),
            (
                format!("{m}, [0, 1], bins=0"),
                expect_test::expect!["59..60 `0`: the bins must be a whole number from 1 to 100, got 0"],
            ),
            (
                format!("{m}, [0, 1], bins=2.5"),
                expect_test::expect!["59..62 `2.5`: the bins must be a whole number from 1 to 100, got 2.5"],
            ),
            (format!("{m}, [0, 1], name=\" \""), expect_test::expect![[r#"59..62 `" "`: the widget's name is empty"#]]),
            (
                "[2, 1], [0, 1]".to_string(),
                expect_test::expect![
                    "28..34 `[2, 1]`: the calibration widget needs a matrix for `logits`, got a vector"
                ],
            ),
            (
                m.to_string(),
                expect_test::expect![
                    "16..45 `calibration([[2, 1], [0, 1]])`: the calibration widget is missing its argument `labels`"
                ],
            ),
        ] {
            check(&format!("widget calibration({args})"), expect);
        }
    }
}
