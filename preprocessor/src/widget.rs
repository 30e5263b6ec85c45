//! Interactive widgets placed by a `widget` statement in a lemma block.
//!
//! ```text
//! widget softmax(z, T=1.0, labels=["cat", "dog", "fox"], y=0)
//! ```
//!
//! The arguments are ordinary lemma expressions, evaluated in the chapter's
//! environment and bound to [`SOFTMAX`] by the same code as a function's
//! ([`Signature`]): the logits `z` (a vector of at least 2 finite numbers,
//! positional), the temperature `T` (finite, > 0; default 1), the class
//! `labels` (one string per class; default `class 0`, `class 1`, ...), the
//! true class `y` (an index; default 0) and the accessible `name` (a
//! string that tells the widget from the book's others; default "Softmax
//! of" and the labels).
//!
//! The widget is rendered at build time by the numeric core, so without
//! JavaScript the page already shows the right bars, probabilities and loss;
//! `theme/lemma-widget.js` then makes the controls live (they are rendered
//! `disabled` and enabled by the script, so nothing moves on the page). The
//! script computes softmax and cross-entropy itself and prints with the same
//! rounding rule as [`crate::format`]; the example `widget_golden` (test
//! data, not part of the crate) emits the vectors that the browser tests hold
//! it to.
//!
//! # HTML hooks (stable, used by the tests and the script)
//!
//! - the root `div.lemma-widget` has `data-lemma-widget="softmax"`, the
//!   current temperature in `data-lemma-t` and the current true class in
//!   `data-lemma-y`; its initial state is in `data-lemma-z0`, `data-lemma-t0`,
//!   `data-lemma-y0` (full precision) and the labels in `data-lemma-labels`
//!   (JSON);
//! - `input[type=range][data-lemma-logit="i"]`: the slider of logit `i`; its
//!   value is the logit itself;
//! - `input[type=range][data-lemma-temperature]`: its value is the index of
//!   `T` in `data-lemma-t-stops` (JSON, [`Softmax::stops`]: the ladder
//!   [`T_STOPS`] and the widget's own `T`), marked under the track, so the
//!   slider snaps to them and each arrow key moves one stop;
//! - `select[data-lemma-true-class]`, `button[data-lemma-reset]`;
//! - the root's `aria-label` is the widget's `name` ("Softmax of cat, dog,
//!   fox" by default);
//! - readouts: `[data-lemma-p="i"]` (probability, 3 decimals, or 2
//!   significant digits in scientific form when that would read `0.000`;
//!   see [`p_text`]), `[data-lemma-z="i"]` (logit, 2 decimals, with a true
//!   minus sign), `[data-lemma-loss]`
//!   (cross-entropy of the true class in nats, 3 decimals),
//!   `[data-lemma-t-out]` (temperature, 3 significant digits),
//!   `[data-lemma-status]` (the one `aria-live="polite"` summary), and each
//!   row `[data-lemma-row="i"]` carries `data-lemma-top` when its class has the
//!   largest probability.

pub mod calibration;

use std::borrow::Cow;

use crate::diagnostics::Diag;
use crate::eval::Value;
use crate::eval::signature::{Omitted, Param, Signature, Type, Who};
use crate::format::{self, Format, format_num};
use crate::html::Html;
use crate::numeric::{self, NumError};
use crate::parse::lang::{Expr, ExprKind, Span};

/// How probabilities are printed: 3 decimals, and those that would read
/// `0.000` (but are not zero) with 2 significant digits in scientific form
/// ([`p_text`]).
pub const P_FORMAT: Format = Format::Dp(3);
/// How probabilities too small for [`P_FORMAT`] are printed.
pub const SMALL_P_FORMAT: Format = Format::Sci(2);

/// The temperatures the temperature slider stops at (besides the widget's
/// own `T`): the 1-2-5 ladder, so a chapter's round temperatures are each
/// one key press from the next.
pub const T_STOPS: &[f64] = &[0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0];

/// A minus sign as a reader sees it (U+2212), in place of the hyphen.
pub fn minus(text: String) -> String {
    if text.contains('-') { text.replace('-', "\u{2212}") } else { text }
}

/// A probability as the widget prints it: `0.629`, or `4.5e−5` for one that
/// is not zero but would print as `0.000`, so the order of the classes and
/// the loss agree with what is on screen.
pub fn p_text(x: f64) -> String {
    let fixed = format_num(x, P_FORMAT);
    if x == 0.0 || fixed != "0.000" { fixed } else { minus(format_num(x, SMALL_P_FORMAT)) }
}
/// How the loss is printed.
pub const LOSS_FORMAT: Format = Format::Dp(3);
/// How logits are printed.
pub const LOGIT_FORMAT: Format = Format::Dp(2);
/// How the temperature is printed.
pub const T_FORMAT: Format = Format::Sig(3);

/// The mark of the top class (besides its colour and weight).
pub const TOP_MARK: &str = "★ top";

/// The largest logit (in absolute value) a widget takes.
pub const MAX_LOGIT: f64 = 10000.0;

/// The softmax widget's parameters: the logits by position, the rest by
/// name. Bound by the same code as the functions' arguments.
pub const SOFTMAX: Signature = Signature {
    name: "softmax",
    params: &[
        Param::required("z", Type::Vector),
        Param::number("T", 1.0).named(),
        Param {
            name: "labels",
            ty: Type::Strings,
            default: Some(Omitted::Computed("[\"class 0\", ...]")),
            named_only: true,
        },
        Param::number("y", 0.0).named(),
        Param { name: "name", ty: Type::Str, default: Some(Omitted::Computed("\"softmax of ...\"")), named_only: true },
    ],
    rest: None,
};

/// How messages name the widget.
const WHO: &str = "the softmax widget";

fn error<T>(span: &Span, message: impl Into<String>, label: &str) -> Result<T, Diag> {
    Err(Diag::error(span.clone(), message, label))
}

/// Builds the HTML of the widget that `call` describes, evaluating its
/// arguments with `eval` (which reports its own errors and returns `None`
/// for them; then no widget is built, and `Ok(None)` is returned). An error's
/// range is a span of the statement's text.
pub fn build(call: &Expr, eval: &mut dyn FnMut(&Expr) -> Option<Value>) -> Result<Option<String>, Diag> {
    let ExprKind::Call { name, name_span, args, kwargs } = &call.kind else {
        return error(&call.span, format!("expected a widget such as `{SOFTMAX}`"), "not a widget");
    };
    let (sig, who) = match name.as_str() {
        "softmax" => (&SOFTMAX, WHO),
        "calibration" => (&calibration::CALIBRATION, calibration::WHO),
        _ => {
            return error(
                name_span,
                format!("unknown widget `{name}` (the widgets are `{SOFTMAX}` and `{}`)", calibration::CALIBRATION),
                "unknown widget",
            );
        }
    };
    let positional = args.iter().map(|e| (e, e.span.clone())).collect();
    let named = kwargs.iter().map(|(k, e)| (k.as_str(), e, e.span.clone())).collect();
    let matched = sig.arrange(Who::Text(who), &call.span, positional, named)?;
    // Evaluate everything first, so that every failing argument is reported.
    let Some(values) = matched.try_map(|e| eval(e).map(Cow::Owned)) else {
        return Ok(None);
    };
    let a = sig.bind(Who::Text(who), &call.span, values)?;
    if name == "calibration" {
        let widget = calibration::bind(&a)?;
        return match widget.html() {
            Ok(h) => Ok(Some(h)),
            Err(e) => error(&call.span, format!("the widget's initial state cannot be computed: {e}"), "here"),
        };
    }

    let z = a.vector(0)?.to_vec();
    let z_span = a.span(0);
    if z.len() < 2 {
        return error(
            z_span,
            format!("the logits need at least 2 classes, this vector has {}", z.len()),
            "too few classes",
        );
    }
    if let Some((i, v)) = z.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return error(z_span, format!("logit {i} is {v}, not a finite number"), "not finite");
    }
    if let Some((i, v)) = z.iter().enumerate().find(|(_, v)| v.abs() > MAX_LOGIT) {
        return error(
            z_span,
            format!(
                "logit {i} is {}: the widget's sliders take logits from -{MAX_LOGIT} to {MAX_LOGIT}",
                format::full(*v)
            ),
            "out of the sliders' range",
        );
    }
    let t = a.num(1)?;
    if !(t.is_finite() && t > 0.0) {
        return error(a.span(1), format!("the temperature must be finite and > 0, got {t}"), "bad temperature");
    }
    let labels = match a.get(2) {
        Some(Value::Strings(l)) if l.len() == z.len() => l.clone(),
        Some(Value::Strings(l)) => {
            return error(
                a.span(2),
                format!("{} labels given for {} classes: give one label per logit", l.len(), z.len()),
                "wrong number of labels",
            );
        }
        _ => (0..z.len()).map(|i| format!("class {i}")).collect(),
    };
    let y = a.num(3)?;
    if y.fract() != 0.0 || y < 0.0 || y >= z.len() as f64 {
        return error(
            a.span(3),
            format!("the true class must be a class index from 0 to {}, got {}", z.len() - 1, format::full(y)),
            "out of range",
        );
    }
    let name = match a.get(4) {
        Some(Value::Str(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Str(_)) => return error(a.span(4), "the widget's name is empty", "empty name"),
        _ => format!("Softmax of {}", labels.join(", ")),
    };
    let widget = Softmax { z, t, labels, y: y as usize, name };
    match widget.html() {
        Ok(h) => Ok(Some(h)),
        Err(e) => error(&call.span, format!("the widget's initial state cannot be computed: {e}"), "here"),
    }
}

/// A softmax widget's state: logits, temperature, labels, true class.
#[derive(Debug, Clone, PartialEq)]
pub struct Softmax {
    /// The logits.
    pub z: Vec<f64>,
    /// The temperature.
    pub t: f64,
    /// One label per class.
    pub labels: Vec<String>,
    /// The true class.
    pub y: usize,
    /// The widget's accessible name (`name=`, by default "Softmax of" and
    /// the labels): what tells it from the other widgets of the book.
    pub name: String,
}

/// What the widget shows for a state.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// The probabilities.
    pub p: Vec<f64>,
    /// Cross-entropy of the true class, in nats.
    pub loss: f64,
    /// The classes with the largest probability (more than one on a tie).
    pub top: Vec<usize>,
    /// The probabilities as printed.
    pub p_text: Vec<String>,
    /// The logits as printed.
    pub z_text: Vec<String>,
    /// The loss as printed.
    pub loss_text: String,
    /// The temperature as printed.
    pub t_text: String,
    /// The live summary line.
    pub status: String,
}

impl Softmax {
    /// Computes what the widget shows, with the numeric core.
    pub fn shown(&self) -> Result<Shown, NumError> {
        let p = numeric::softmax(&self.z, self.t)?;
        let loss = numeric::cross_entropy(&self.z, self.y as i64, self.t)?;
        let max = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let top: Vec<usize> = (0..p.len()).filter(|&i| p[i] == max).collect();
        let p_text: Vec<String> = p.iter().map(|&x| p_text(x)).collect();
        let z_text = self.z.iter().map(|&x| minus(format_num(x, LOGIT_FORMAT))).collect();
        let loss_text = format_num(loss, LOSS_FORMAT);
        let t_text = format_num(self.t, T_FORMAT);
        let names: Vec<&str> = top.iter().map(|&i| self.labels[i].as_str()).collect();
        let status = format!(
            "T = {t_text}; top: {}{}, p = {}; loss for {} = {loss_text} nats",
            names.join(", "),
            if top.len() > 1 { " (tied)" } else { "" },
            p_text[top[0]],
            self.labels[self.y],
        );
        Ok(Shown { p, loss, top, p_text, z_text, loss_text, t_text, status })
    }

    /// The widget's HTML, on one line, every string escaped.
    pub fn html(&self) -> Result<String, NumError> {
        let s = self.shown()?;
        let n = self.z.len();
        let zmin = self.z.iter().copied().fold(f64::INFINITY, f64::min);
        let zmax = self.z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lo = (-10f64).min(zmin.floor());
        let hi = 10f64.max(zmax.ceil());
        let step = if self.z.iter().all(|v| on_tenths(*v)) { "0.1" } else { "any" };
        let stops = self.stops();
        let tval = stops.iter().position(|&x| x == self.t).unwrap_or(0);
        let json = |xs: &[f64]| format!("[{}]", xs.iter().map(|x| format::full(*x)).collect::<Vec<_>>().join(","));
        let labels_json = serde_json::to_string(&self.labels).unwrap_or_else(|_| "[]".into());
        let top = |i: usize| s.top.contains(&i);
        let mut h = Html::new();
        h.open("div")
            .attr("class", "lemma-widget")
            .attr("role", "group")
            .attr("aria-label", &self.name)
            .attr("data-lemma-widget", "softmax")
            .attr("data-lemma-z0", json(&self.z))
            .attr("data-lemma-t0", format::full(self.t))
            .attr("data-lemma-y0", self.y)
            .attr("data-lemma-labels", &labels_json)
            .attr("data-lemma-t", format::full(self.t))
            .attr("data-lemma-y", self.y);
        h.open("div").attr("class", "lw-rows");
        for i in 0..n {
            let row = h.open("div").attr("class", "lw-row").attr("data-lemma-row", i);
            drop(if top(i) { row.attr("data-lemma-top", "") } else { row });
            h.open("label").attr("class", "lw-class");
            h.open("span").attr("class", "lw-name").text(&self.labels[i]);
            h.open("span").attr("class", "lw-sr").text(" logit");
            h.literal(" ");
            h.void("input")
                .attr("type", "range")
                .attr("data-lemma-logit", i)
                .attr("min", lo)
                .attr("max", hi)
                .attr("step", step)
                .attr("value", self.z[i])
                .flag("disabled");
            h.close();
            h.open("span").attr("class", "lw-z").attr("data-lemma-z", i).attr("aria-hidden", "true").text(&s.z_text[i]);
            h.open("span").attr("class", "lw-track").attr("aria-hidden", "true");
            h.open("span")
                .attr("class", "lw-fill")
                .attr("style", format_args!("width:{:.2}%", s.p[i] * 100.0))
                .text("");
            h.close();
            h.open("span").attr("class", "lw-p").attr("data-lemma-p", i).attr("aria-hidden", "true").text(&s.p_text[i]);
            h.open("span").attr("class", "lw-top").attr("aria-hidden", "true").text(if top(i) { TOP_MARK } else { "" });
            h.close();
        }
        h.close();
        h.open("div").attr("class", "lw-controls");
        h.open("label").attr("class", "lw-temp");
        h.open("span").text("Temperature");
        h.literal(" ");
        h.open("span").attr("class", "lw-slider");
        h.void("input")
            .attr("type", "range")
            .flag("data-lemma-temperature")
            .attr("data-lemma-t-stops", json(&stops))
            .attr("min", 0)
            .attr("max", stops.len() - 1)
            .attr("step", 1)
            .attr("value", tval)
            .attr_prefixed("aria-valuetext", "T = ", &s.t_text)
            .flag("disabled");
        // The stops, under the slider's track: each mark stands where the
        // thumb stops.
        h.open("span").attr("class", "lw-marks").attr("aria-hidden", "true");
        for x in &stops {
            h.open("span").text(&format::full(*x));
        }
        h.close();
        h.close();
        h.close();
        h.open("span").attr("class", "lw-tval").attr("aria-hidden", "true");
        h.open("i").text("T");
        h.literal(" = ");
        h.open("span").flag("data-lemma-t-out").text(&s.t_text);
        h.close();
        h.open("label").attr("class", "lw-true");
        h.open("span").text("True class");
        h.literal(" ");
        h.open("select").flag("data-lemma-true-class").flag("disabled");
        for (i, l) in self.labels.iter().enumerate() {
            let option = h.open("option").attr("value", i);
            if i == self.y { option.flag("selected") } else { option }.text(l);
        }
        h.close();
        h.close();
        h.open("button")
            .attr("type", "button")
            .attr("class", "lw-reset")
            .flag("data-lemma-reset")
            .flag("disabled")
            .text("Reset");
        h.close();
        h.open("p").attr("class", "lw-loss");
        h.literal("Cross-entropy for the true class, ");
        h.open("b").flag("data-lemma-y-name").text(&self.labels[self.y]);
        h.literal(": ");
        h.open("span").flag("data-lemma-loss").text(&s.loss_text);
        h.literal(" nats");
        h.close();
        h.open("p").attr("class", "lw-status").flag("data-lemma-status").attr("aria-live", "polite").text(&s.status);
        self.table(&mut h, &s);
        Ok(h.finish())
    }

    /// The temperatures the slider stops at: [`T_STOPS`] and the widget's
    /// own `T`, in order.
    pub fn stops(&self) -> Vec<f64> {
        let mut stops = T_STOPS.to_vec();
        if !stops.contains(&self.t) {
            stops.push(self.t);
            stops.sort_by(f64::total_cmp);
        }
        stops
    }

    /// The screen readers' table of the state (inside the widget's `div`).
    fn table(&self, h: &mut Html, s: &Shown) {
        h.open("div").attr("class", "lw-sr");
        h.open("table").flag("data-lemma-table");
        h.open("caption");
        h.literal("Softmax of the logits at T = ");
        h.open("span").flag("data-lemma-table-t").text(&s.t_text);
        h.close();
        h.open("thead");
        h.open("tr");
        for head in ["class", "logit", "probability", "top"] {
            h.open("th").attr("scope", "col").text(head);
        }
        h.close();
        h.close();
        h.open("tbody");
        for (i, label) in self.labels.iter().enumerate() {
            h.open("tr");
            h.open("th").attr("scope", "row").text(label);
            h.open("td").attr("data-lemma-table-z", i).text(&s.z_text[i]);
            h.open("td").attr("data-lemma-table-p", i).text(&s.p_text[i]);
            h.open("td").attr("data-lemma-table-top", i).text(if s.top.contains(&i) { "yes" } else { "no" });
            h.close();
        }
        h.close();
        h.close();
        h.close();
    }
}

/// Whether `v`, written shortest, has at most one decimal (so a slider with
/// `step="0.1"` from an integer `min` keeps it exactly).
fn on_tenths(v: f64) -> bool {
    let s = format!("{v}");
    s.split_once('.').is_none_or(|(_, f)| f.len() <= 1)
}

#[cfg(test)]
mod tests {
    use crate::chapter::process;

    /// Runs a lemma block through the chapter pipeline; shows the widget's
    /// HTML (or the chapter text) or the located errors. The calibration
    /// widget's tests use it too.
    pub(super) fn check(block: &str, expect: expect_test::Expect) {
        let src = format!("```lemma\n{block}\n```\n");
        let out = process(&src);
        let got = if out.diags.is_empty() {
            out.content
        } else {
            out.diags
                .iter()
                .map(|d| format!("{}..{} `{}`: {}", d.range.start, d.range.end, &src[d.range.clone()], d.message))
                .collect::<Vec<_>>()
                .join("\n")
        };
        expect.assert_eq(&got);
    }

    #[test]
    fn renders_the_initial_state() {
        check(
            "z = [2.0, 1.0, 0.5]\nwidget softmax(z, T=1.0, labels=[\"cat\", \"dog\", \"fox\"], y=0)",
            expect_test::expect![[r#"
                <div class="lemma-widget" role="group" aria-label="Softmax of cat, dog, fox" data-lemma-widget="softmax" data-lemma-z0="[2,1,0.5]" data-lemma-t0="1" data-lemma-y0="0" data-lemma-labels="[&quot;cat&quot;,&quot;dog&quot;,&quot;fox&quot;]" data-lemma-t="1" data-lemma-y="0"><div class="lw-rows"><div class="lw-row" data-lemma-row="0" data-lemma-top=""><label class="lw-class"><span class="lw-name">cat</span><span class="lw-sr"> logit</span> <input type="range" data-lemma-logit="0" min="-10" max="10" step="0.1" value="2" disabled></label><span class="lw-z" data-lemma-z="0" aria-hidden="true">2.00</span><span class="lw-track" aria-hidden="true"><span class="lw-fill" style="width:62.85%"></span></span><span class="lw-p" data-lemma-p="0" aria-hidden="true">0.629</span><span class="lw-top" aria-hidden="true">★ top</span></div><div class="lw-row" data-lemma-row="1"><label class="lw-class"><span class="lw-name">dog</span><span class="lw-sr"> logit</span> <input type="range" data-lemma-logit="1" min="-10" max="10" step="0.1" value="1" disabled></label><span class="lw-z" data-lemma-z="1" aria-hidden="true">1.00</span><span class="lw-track" aria-hidden="true"><span class="lw-fill" style="width:23.12%"></span></span><span class="lw-p" data-lemma-p="1" aria-hidden="true">0.231</span><span class="lw-top" aria-hidden="true"></span></div><div class="lw-row" data-lemma-row="2"><label class="lw-class"><span class="lw-name">fox</span><span class="lw-sr"> logit</span> <input type="range" data-lemma-logit="2" min="-10" max="10" step="0.1" value="0.5" disabled></label><span class="lw-z" data-lemma-z="2" aria-hidden="true">0.50</span><span class="lw-track" aria-hidden="true"><span class="lw-fill" style="width:14.02%"></span></span><span class="lw-p" data-lemma-p="2" aria-hidden="true">0.140</span><span class="lw-top" aria-hidden="true"></span></div></div><div class="lw-controls"><label class="lw-temp"><span>Temperature</span> <span class="lw-slider"><input type="range" data-lemma-temperature data-lemma-t-stops="[0.05,0.1,0.2,0.5,1,2,5,10]" min="0" max="7" step="1" value="4" aria-valuetext="T = 1.00" disabled><span class="lw-marks" aria-hidden="true"><span>0.05</span><span>0.1</span><span>0.2</span><span>0.5</span><span>1</span><span>2</span><span>5</span><span>10</span></span></span></label><span class="lw-tval" aria-hidden="true"><i>T</i> = <span data-lemma-t-out>1.00</span></span><label class="lw-true"><span>True class</span> <select data-lemma-true-class disabled><option value="0" selected>cat</option><option value="1">dog</option><option value="2">fox</option></select></label><button type="button" class="lw-reset" data-lemma-reset disabled>Reset</button></div><p class="lw-loss">Cross-entropy for the true class, <b data-lemma-y-name>cat</b>: <span data-lemma-loss>0.464</span> nats</p><p class="lw-status" data-lemma-status aria-live="polite">T &#61; 1.00; top: cat, p &#61; 0.629; loss for cat &#61; 0.464 nats</p><div class="lw-sr"><table data-lemma-table><caption>Softmax of the logits at T = <span data-lemma-table-t>1.00</span></caption><thead><tr><th scope="col">class</th><th scope="col">logit</th><th scope="col">probability</th><th scope="col">top</th></tr></thead><tbody><tr><th scope="row">cat</th><td data-lemma-table-z="0">2.00</td><td data-lemma-table-p="0">0.629</td><td data-lemma-table-top="0">yes</td></tr><tr><th scope="row">dog</th><td data-lemma-table-z="1">1.00</td><td data-lemma-table-p="1">0.231</td><td data-lemma-table-top="1">no</td></tr><tr><th scope="row">fox</th><td data-lemma-table-z="2">0.50</td><td data-lemma-table-p="2">0.140</td><td data-lemma-table-top="2">no</td></tr></tbody></table></div></div>
            "#]],
        );
    }

    #[test]
    fn escapes_and_defaults() {
        check(
            "widget softmax([1000, 999, 0.25], labels=[\"<b>&\", \"\\\"q\\\"\", \"x'y\"], y=2)",
            expect_test::expect![[r#"
                <div class="lemma-widget" role="group" aria-label="Softmax of &lt;b&gt;&amp;, &quot;q&quot;, x&#39;y" data-lemma-widget="softmax" data-lemma-z0="[1000,999,0.25]" data-lemma-t0="1" data-lemma-y0="2" data-lemma-labels="[&quot;&lt;b&gt;&amp;&quot;,&quot;\&quot;q\&quot;&quot;,&quot;x&#39;y&quot;]" data-lemma-t="1" data-lemma-y="2"><div class="lw-rows"><div class="lw-row" data-lemma-row="0" data-lemma-top=""><label class="lw-class"><span class="lw-name">&lt;b&gt;&amp;</span><span class="lw-sr"> logit</span> <input type="range" data-lemma-logit="0" min="-10" max="1000" step="any" value="1000" disabled></label><span class="lw-z" data-lemma-z="0" aria-hidden="true">1000.00</span><span class="lw-track" aria-hidden="true"><span class="lw-fill" style="width:73.11%"></span></span><span class="lw-p" data-lemma-p="0" aria-hidden="true">0.731</span><span class="lw-top" aria-hidden="true">★ top</span></div><div class="lw-row" data-lemma-row="1"><label class="lw-class"><span class="lw-name">&quot;q&quot;</span><span class="lw-sr"> logit</span> <input type="range" data-lemma-logit="1" min="-10" max="1000" step="any" value="999" disabled></label><span class="lw-z" data-lemma-z="1" aria-hidden="true">999.00</span><span class="lw-track" aria-hidden="true"><span class="lw-fill" style="width:26.89%"></span></span><span class="lw-p" data-lemma-p="1" aria-hidden="true">0.269</span><span class="lw-top" aria-hidden="true"></span></div><div class="lw-row" data-lemma-row="2"><label class="lw-class"><span class="lw-name">x&#39;y</span><span class="lw-sr"> logit</span> <input type="range" data-lemma-logit="2" min="-10" max="1000" step="any" value="0.25" disabled></label><span class="lw-z" data-lemma-z="2" aria-hidden="true">0.25</span><span class="lw-track" aria-hidden="true"><span class="lw-fill" style="width:0.00%"></span></span><span class="lw-p" data-lemma-p="2" aria-hidden="true">0.000</span><span class="lw-top" aria-hidden="true"></span></div></div><div class="lw-controls"><label class="lw-temp"><span>Temperature</span> <span class="lw-slider"><input type="range" data-lemma-temperature data-lemma-t-stops="[0.05,0.1,0.2,0.5,1,2,5,10]" min="0" max="7" step="1" value="4" aria-valuetext="T = 1.00" disabled><span class="lw-marks" aria-hidden="true"><span>0.05</span><span>0.1</span><span>0.2</span><span>0.5</span><span>1</span><span>2</span><span>5</span><span>10</span></span></span></label><span class="lw-tval" aria-hidden="true"><i>T</i> = <span data-lemma-t-out>1.00</span></span><label class="lw-true"><span>True class</span> <select data-lemma-true-class disabled><option value="0">&lt;b&gt;&amp;</option><option value="1">&quot;q&quot;</option><option value="2" selected>x&#39;y</option></select></label><button type="button" class="lw-reset" data-lemma-reset disabled>Reset</button></div><p class="lw-loss">Cross-entropy for the true class, <b data-lemma-y-name>x&#39;y</b>: <span data-lemma-loss>1000.063</span> nats</p><p class="lw-status" data-lemma-status aria-live="polite">T &#61; 1.00; top: &lt;b&gt;&amp;, p &#61; 0.731; loss for x&#39;y &#61; 1000.063 nats</p><div class="lw-sr"><table data-lemma-table><caption>Softmax of the logits at T = <span data-lemma-table-t>1.00</span></caption><thead><tr><th scope="col">class</th><th scope="col">logit</th><th scope="col">probability</th><th scope="col">top</th></tr></thead><tbody><tr><th scope="row">&lt;b&gt;&amp;</th><td data-lemma-table-z="0">1000.00</td><td data-lemma-table-p="0">0.731</td><td data-lemma-table-top="0">yes</td></tr><tr><th scope="row">&quot;q&quot;</th><td data-lemma-table-z="1">999.00</td><td data-lemma-table-p="1">0.269</td><td data-lemma-table-top="1">no</td></tr><tr><th scope="row">x&#39;y</th><td data-lemma-table-z="2">0.25</td><td data-lemma-table-p="2">0.000</td><td data-lemma-table-top="2">no</td></tr></tbody></table></div></div>
            "#]],
        );
    }

    #[test]
    fn errors_are_located() {
        check(
            "widget softmax([1, 2], T=0)",
            expect_test::expect!["34..35 `0`: the temperature must be finite and > 0, got 0"],
        );
        check(
            "widget softmax([1, 2], T=-1)",
            expect_test::expect!["34..36 `-1`: the temperature must be finite and > 0, got -1"],
        );
        check(
            "widget softmax([1])",
            expect_test::expect!["24..27 `[1]`: the logits need at least 2 classes, this vector has 1"],
        );
        check(
            "widget softmax(3)",
            expect_test::expect!["24..25 `3`: the softmax widget needs a vector for `z`, got a number"],
        );
        check(
            "widget softmax([1, 2], labels=[\"a\"])",
            expect_test::expect![[r#"39..44 `["a"]`: 1 labels given for 2 classes: give one label per logit"#]],
        );
        check(
            "widget softmax([1, 2], labels=[1, 2])",
            expect_test::expect![
                "39..45 `[1, 2]`: the softmax widget needs a vector of strings for `labels`, got a vector"
            ],
        );
        check(
            "widget softmax([1, 2], y=2)",
            expect_test::expect!["34..35 `2`: the true class must be a class index from 0 to 1, got 2"],
        );
        check(
            "widget softmax([1, 2], y=0.5)",
            expect_test::expect!["34..37 `0.5`: the true class must be a class index from 0 to 1, got 0.5"],
        );
        check(
            "widget softmax([1, 2], y=\"a\")",
            expect_test::expect![[r#"34..37 `"a"`: the softmax widget needs a number for `y`, got a string"#]],
        );
        check(
            "widget softmax([1, 2], colour=1)",
            expect_test::expect![
                "39..40 `1`: the softmax widget has no argument `colour` (it takes z, T, labels, y, name)"
            ],
        );
        check(
            "widget softmax([1, 2], [3, 4])",
            expect_test::expect![
                "32..38 `[3, 4]`: the softmax widget takes at most 1 positional argument; give the others by name (T=..., labels=..., y=..., name=...)"
            ],
        );
        check(
            "widget softmax()",
            expect_test::expect!["16..25 `softmax()`: the softmax widget is missing its argument `z`"],
        );
        check(
            "widget histogram([1, 2])",
            expect_test::expect![[
                r#"16..25 `histogram`: unknown widget `histogram` (the widgets are `softmax(z, T=1, labels=["class 0", ...], y=0, name="softmax of ...")` and `calibration(logits, labels, T=1, fitted=none, bins=15, name="Calibration")`)"#
            ]],
        );
        check(
            "widget 3",
            expect_test::expect![[
                r#"16..17 `3`: expected a widget such as `softmax(z, T=1, labels=["class 0", ...], y=0, name="softmax of ...")`"#
            ]],
        );
        check(
            "widget softmax(w)",
            expect_test::expect![[
                r#"24..25 `w`: unknown name `w` (names must be bound with `NAME = ...` before they are used)"#
            ]],
        );
        check(
            "widget softmax([1, 2], T=1e-320)",
            expect_test::expect![[
                r#"16..41 `softmax([1, 2], T=1e-320)`: the widget's initial state cannot be computed: cross-entropy overflows the range of f64"#
            ]],
        );
        check(
            "widget softmax([1e308, -1e308])",
            expect_test::expect![[
                r#"24..39 `[1e308, -1e308]`: logit 0 is 1e308: the widget's sliders take logits from -10000 to 10000"#
            ]],
        );
        check(
            "widget softmax([10000, -10000.5])",
            expect_test::expect![[
                r#"24..41 `[10000, -10000.5]`: logit 1 is -10000.5: the widget's sliders take logits from -10000 to 10000"#
            ]],
        );
    }
}
