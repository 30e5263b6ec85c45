//! Figures drawn at build time: the `plot` statement of a lemma block.
//!
//! ```text
//! plot bars(exp(z), labels=["cat", "dog", "fox"], title="exp of each logit")
//! plot bars(softmax(z, T=t), for=t, in=[0.5, 1, 2], labels=["cat", "dog", "fox"], title="...")
//! plot lines(-ln(p), for=p, in=linspace(0.01, 1, 100), points=[0.629, 0.231], notes=["cat", "dog"], title="...")
//! plot lines(softmax(z, T=t), for=t, in=logspace(-1, 1, 61), xscale="log", labels=[...], title="...")
//! plot histogram(v, bins=10, title="...")
//! plot reliability(confidence, correct, bins=5, title="...")
//! ```
//!
//! The arguments are lemma expressions, bound to the chart's [`Signature`]
//! by the same code as a function's or a widget's. With `for=NAME,
//! in=VECTOR`, each positional expression is evaluated once per value of
//! `VECTOR`, with `NAME` bound to it: in `lines` the values are the x axis
//! and an expression giving a number draws one line (a vector of `m`
//! numbers, `m` lines); in `bars` each value is a group of bars, one per
//! component. Without `for`, each positional argument of `bars` is a vector,
//! a series of bars. Every value drawn is computed by the core; the figure
//! is one line of escaped SVG in a `figure` with the data as a collapsed
//! table (see [`svg`]).
//!
//! Options (by name): `title` (required: the figure's caption and the
//! SVG's `<title>`), `desc` (added to the generated description),
//! `xlabel`, `ylabel`, `labels` (one per bar or line), `series` (one per
//! series of bars), `xscale`/`yscale` (`"linear"` or `"log"`), `points`
//! (x values to mark on each line) and `notes` (one text per point),
//! `bins`, `lo`, `hi` (histogram). An unknown option, a length that does
//! not match, an empty range, a log axis over a value that is not positive
//! or a value that is not finite is a located error.

use std::borrow::Cow;

use crate::diagnostics::Diag;
use crate::eval::Value;
use crate::eval::signature::{Args, Omitted, Param, Signature, Type, Who};
use crate::numeric;
use crate::parse::lang::{Expr, ExprKind, Span};

pub mod svg;
mod table;

pub use svg::{Chart, Figure, Scale, render};

/// The most samples (values of `in`) a figure takes.
pub const MAX_SAMPLES: usize = 2000;
/// The most bars, lines or bins a figure takes.
pub const MAX_MARKS: usize = 200;

const fn opt(name: &'static str, ty: Type) -> Param {
    Param { name, ty, default: Some(Omitted::Computed("none")), named_only: true }
}
const TITLE: Param = Param { name: "title", ty: Type::Str, default: None, named_only: true };
const DESC: Param = opt("desc", Type::Str);
const XLABEL: Param = opt("xlabel", Type::Str);
const YLABEL: Param = opt("ylabel", Type::Str);
const LABELS: Param = opt("labels", Type::Strings);
const SERIES: Param = opt("series", Type::Strings);
const FOR: Param = opt("for", Type::Str);
const IN: Param = opt("in", Type::Vector);
const XSCALE: Param = opt("xscale", Type::Str);
const YSCALE: Param = opt("yscale", Type::Str);
const POINTS: Param = opt("points", Type::Vector);
const NOTES: Param = opt("notes", Type::Strings);
const BINS: Param = Param::number("bins", 10.0).named();
const LO: Param = opt("lo", Type::Number);
const HI: Param = opt("hi", Type::Number);
const SERIES_EXPR: Param = Param::required("y", Type::NumberOrVector);

/// `bars(v, ..., labels=, series=, for=, in=, ...)`.
pub const BARS: Signature = Signature {
    name: "bars",
    params: &[TITLE, DESC, XLABEL, YLABEL, LABELS, SERIES, FOR, IN, YSCALE],
    rest: Some(SERIES_EXPR),
};
/// `lines(y, ..., for=, in=, ...)`.
pub const LINES: Signature = Signature {
    name: "lines",
    params: &[TITLE, DESC, XLABEL, YLABEL, LABELS, FOR, IN, XSCALE, YSCALE, POINTS, NOTES],
    rest: Some(SERIES_EXPR),
};
/// `histogram(v, bins=10, lo=, hi=, ...)`.
pub const HISTOGRAM: Signature = Signature {
    name: "histogram",
    params: &[Param::required("v", Type::Vector), TITLE, DESC, XLABEL, YLABEL, BINS, LO, HI],
    rest: None,
};
/// `reliability(confidence, correct, bins=10, ...)`.
pub const RELIABILITY: Signature = Signature {
    name: "reliability",
    params: &[Param::required("confidence", Type::Vector), Param::required("correct", Type::Vector), TITLE, DESC, BINS],
    rest: None,
};

/// Every kind of chart.
pub const CHARTS: &[Signature] = &[BARS, LINES, HISTOGRAM, RELIABILITY];

fn error<T>(span: &Span, message: impl Into<String>, label: &str) -> Result<T, Diag> {
    Err(Diag::error(span.clone(), message, label))
}

/// Evaluates an expression, with a name bound to a number when `Some`;
/// reports its own errors and returns `None` for them.
pub type Eval<'a> = dyn FnMut(&Expr, Option<(&str, f64)>) -> Option<Value> + 'a;

/// Builds the HTML of the figure that `call` describes. `Ok(None)` when an
/// argument failed to evaluate (already reported); an error's range is a
/// span of the statement's text.
pub fn build(call: &Expr, eval: &mut Eval<'_>) -> Result<Option<String>, Diag> {
    let names = || CHARTS.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ");
    let ExprKind::Call { name, name_span, args, kwargs } = &call.kind else {
        return error(&call.span, format!("expected a chart: {}", names()), "not a chart");
    };
    let Some(sig) = CHARTS.iter().find(|c| c.name == name.as_str()) else {
        return error(name_span, format!("unknown chart `{name}` (the charts are {})", names()), "unknown chart");
    };
    let who = format!("`plot {name}`");
    // `for=NAME` names a variable: it is read, not evaluated.
    let mut var: Option<(String, Span)> = None;
    let mut named = Vec::new();
    for (k, e) in kwargs {
        if k == "for" {
            let ExprKind::Name(n) = &e.kind else {
                return error(&e.span, "`for` takes a name, the variable to sample (`for=t`)", "not a name");
            };
            var = Some((n.to_string(), e.span.clone()));
        } else {
            named.push((k.as_str(), e, e.span.clone()));
        }
    }
    let positional = args.iter().map(|e| (e, e.span.clone())).collect();
    let mut matched = sig.arrange(Who::Text(&who), &call.span, positional, named)?;
    let series: Vec<(&Expr, Span)> = std::mem::take(&mut matched.rest);
    let Some(values) = matched.try_map(|e| eval(e, None).map(Cow::Owned)) else {
        return Ok(None);
    };
    let a = sig.bind(Who::Text(&who), &call.span, values)?;
    let o = Opts::read(&a)?;
    let chart = match name.as_str() {
        "bars" | "lines" => {
            if series.is_empty() {
                return error(&call.span, format!("{who} needs at least one expression to draw"), "nothing to draw");
            }
            let sampled = match (&var, a.names_value("in")) {
                (Some((v, _)), Some(Value::Vector(xs))) => Some((v.as_str(), xs.clone(), a.span_of("in").clone())),
                (Some((_, s)), _) => return error(s, "`for` needs `in=VECTOR`, the values to sample", "no `in`"),
                (None, Some(_)) => {
                    return error(a.span_of("in"), "`in` needs `for=NAME`, the name to bind", "no `for`");
                }
                (None, None) => None,
            };
            if name == "bars" { bars(&a, &o, &series, sampled, eval)? } else { lines(&a, &o, &series, sampled, eval)? }
        }
        "histogram" => histogram(&a)?,
        _ => reliability(&a)?,
    };
    let Some(chart) = chart else { return Ok(None) };
    let fig = Figure {
        chart,
        title: o.title,
        desc: o.desc,
        xlabel: o.xlabel,
        ylabel: o.ylabel,
        xscale: o.xscale,
        yscale: o.yscale,
    };
    match render(&fig) {
        Ok(h) => Ok(Some(h)),
        Err(m) => error(&call.span, m, "cannot be drawn"),
    }
}

/// The options every chart shares.
struct Opts {
    title: String,
    desc: String,
    xlabel: String,
    ylabel: String,
    xscale: Scale,
    yscale: Scale,
}

impl Opts {
    fn read(a: &Args) -> Result<Opts, Diag> {
        let s = |n: &str| a.names_value(n).and_then(|v| if let Value::Str(s) = v { Some(s.clone()) } else { None });
        let scale = |n: &str| match s(n).as_deref() {
            None | Some("linear") => Ok(Scale::Linear),
            Some("log") => Ok(Scale::Log),
            Some(other) => {
                error(a.span_of(n), format!("`{n}` is \"linear\" or \"log\", not {other:?}"), "unknown scale")
            }
        };
        Ok(Opts {
            title: s("title").unwrap_or_default(),
            desc: s("desc").unwrap_or_default(),
            xlabel: s("xlabel").unwrap_or_default(),
            ylabel: s("ylabel").unwrap_or_default(),
            xscale: scale("xscale")?,
            yscale: scale("yscale")?,
        })
    }
}

fn strings(a: &Args, name: &str) -> Option<Vec<String>> {
    match a.names_value(name) {
        Some(Value::Strings(v)) => Some(v.clone()),
        _ => None,
    }
}

/// `labels` (or `series`), one per mark: given, or `default(i)`.
fn labels(a: &Args, name: &str, n: usize, what: &str, default: impl Fn(usize) -> String) -> Result<Vec<String>, Diag> {
    match strings(a, name) {
        Some(l) if l.len() == n => Ok(l),
        Some(l) => error(
            a.span_of(name),
            format!("{} `{name}` given for {n} {what}: give one per {}", l.len(), what.trim_end_matches('s')),
            "wrong number of labels",
        ),
        None => Ok((0..n).map(default).collect()),
    }
}

/// The values of one series expression: a number or a vector per sample.
fn sample(
    e: &Expr,
    span: &Span,
    sampled: &Option<(&str, Vec<f64>, Span)>,
    eval: &mut Eval<'_>,
) -> Result<Option<Vec<Vec<f64>>>, Diag> {
    let as_vec = |v: Value| match v {
        Value::Num(x) => Ok(vec![x]),
        Value::Vector(xs) => Ok(xs),
        other => error(span, format!("a chart draws numbers, this is {}", other.type_name()), "not a number"),
    };
    match sampled {
        None => Ok(match eval(e, None) {
            Some(v) => Some(vec![as_vec(v)?]),
            None => None,
        }),
        Some((var, xs, in_span)) => {
            if xs.is_empty() {
                return error(in_span, "`in` is empty: nothing to sample", "empty range");
            }
            if xs.len() > MAX_SAMPLES {
                return error(
                    in_span,
                    format!("{} samples: a figure takes at most {MAX_SAMPLES}", xs.len()),
                    "too many",
                );
            }
            let mut out = Vec::with_capacity(xs.len());
            for &x in xs {
                let Some(v) = eval(e, Some((var, x))) else { return Ok(None) };
                let v = as_vec(v)?;
                if let Some(first) = out.first().map(|f: &Vec<f64>| f.len())
                    && first != v.len()
                {
                    return error(
                        span,
                        format!("gives {} values at one sample and {first} at another", v.len()),
                        "lengths differ",
                    );
                }
                out.push(v);
            }
            Ok(Some(out))
        }
    }
}

fn count_ok(span: &Span, n: usize, what: &str) -> Result<(), Diag> {
    if n == 0 {
        return error(span, format!("no {what} to draw"), "empty");
    }
    if n > MAX_MARKS {
        return error(span, format!("{n} {what}: a figure takes at most {MAX_MARKS}"), "too many");
    }
    Ok(())
}

fn bars(
    a: &Args,
    o: &Opts,
    series: &[(&Expr, Span)],
    sampled: Option<(&str, Vec<f64>, Span)>,
    eval: &mut Eval<'_>,
) -> Result<Option<Chart>, Diag> {
    let mut groups: Vec<(String, Vec<f64>)> = Vec::new();
    let mut first_span = series[0].1.clone();
    match &sampled {
        Some((var, xs, _)) => {
            if series.len() > 1 {
                return error(&series[1].1, "with `for`, `bars` takes one expression", "extra expression");
            }
            let Some(rows) = sample(series[0].0, &series[0].1, &sampled, eval)? else { return Ok(None) };
            let names = labels(a, "series", xs.len(), "series", |i| format!("{var} = {}", crate::format::full(xs[i])))?;
            groups.extend(names.into_iter().zip(rows));
        }
        None => {
            let one = series.len() == 1;
            let names = labels(a, "series", series.len(), "series", |i| default_name(o, one, i))?;
            for ((e, s), name) in series.iter().zip(names) {
                let Some(mut rows) = sample(e, s, &None, eval)? else { return Ok(None) };
                let row = rows.pop().unwrap_or_default();
                if let Some((_, g)) = groups.first()
                    && g.len() != row.len()
                {
                    return error(
                        s,
                        format!("{} values, but the first series has {}", row.len(), g.len()),
                        "lengths differ",
                    );
                }
                first_span = s.clone();
                groups.push((name, row));
            }
        }
    }
    let n = groups.first().map_or(0, |g| g.1.len());
    count_ok(&first_span, n * groups.len(), "bars")?;
    check_scale(groups.iter().flat_map(|g| g.1.iter()), o.yscale, &first_span)?;
    let cats = labels(a, "labels", n, "bars", |i| format!("{i}"))?;
    Ok(Some(Chart::Bars { categories: cats, series: groups }))
}

fn lines(
    a: &Args,
    o: &Opts,
    series: &[(&Expr, Span)],
    sampled: Option<(&str, Vec<f64>, Span)>,
    eval: &mut Eval<'_>,
) -> Result<Option<Chart>, Diag> {
    let Some((_, xs, in_span)) = &sampled else {
        return error(a.call(), "`lines` needs `for=NAME, in=VECTOR`: the x axis to sample", "no x axis");
    };
    let (lo, hi) = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| (l.min(x), h.max(x)));
    if xs.len() < 2 || lo >= hi {
        return error(in_span, "the x values span an empty range: give at least two different values", "empty range");
    }
    check_scale(xs.iter(), o.xscale, in_span)?;
    let mut ys: Vec<Vec<f64>> = Vec::new();
    for (e, s) in series {
        let Some(rows) = sample(e, s, &sampled, eval)? else { return Ok(None) };
        let m = rows.first().map_or(0, Vec::len);
        count_ok(s, ys.len() + m, "lines")?;
        check_scale(rows.iter().flatten(), o.yscale, s)?;
        ys.extend((0..m).map(|j| rows.iter().map(|r| r[j]).collect()));
    }
    let one = ys.len() == 1;
    let names = labels(a, "labels", ys.len(), "lines", |i| default_name(o, one, i))?;
    // Points: x values marked on every line, their y computed like the line's.
    let mut points = Vec::new();
    if let Some(Value::Vector(px)) = a.names_value("points") {
        let notes = labels(a, "notes", px.len(), "points", |_| String::new())?;
        count_ok(a.span_of("points"), px.len().max(1), "points")?;
        for (k, &x) in px.iter().enumerate() {
            if !(lo..=hi).contains(&x) {
                return error(a.span_of("points"), format!("point {k} is at x = {x}, outside the x range"), "outside");
            }
            let probe = sampled.as_ref().map(|(v, _, s)| (*v, vec![x], s.clone()));
            let mut line = 0;
            for (e, s) in series {
                let Some(rows) = sample(e, s, &probe, eval)? else { return Ok(None) };
                for y in rows.into_iter().flatten() {
                    points.push(svg::Point { line, x, y, note: notes[k].clone() });
                    line += 1;
                }
            }
        }
        check_scale(points.iter().map(|p| &p.y), o.yscale, a.span_of("points"))?;
    }
    Ok(Some(Chart::Lines { x: xs.clone(), series: names.into_iter().zip(ys).collect(), points }))
}

/// The name of an unnamed series: the y axis's label when it is the only
/// one (or `value`), `series i` otherwise.
fn default_name(o: &Opts, one: bool, i: usize) -> String {
    match (one, o.ylabel.is_empty()) {
        (true, false) => o.ylabel.clone(),
        (true, true) => "value".into(),
        _ => format!("series {i}"),
    }
}

fn check_scale<'a>(vals: impl Iterator<Item = &'a f64>, scale: Scale, span: &Span) -> Result<(), Diag> {
    for &v in vals {
        if !v.is_finite() {
            return error(span, format!("{v} is not a finite number"), "not finite");
        }
        if scale == Scale::Log && v <= 0.0 {
            return error(
                span,
                format!("a log axis needs positive values, and this gives {}", crate::format::full(v + 0.0)),
                "not positive",
            );
        }
    }
    Ok(())
}

fn bin_count(a: &Args) -> Result<usize, Diag> {
    let b = a.num_named("bins").unwrap_or(10.0);
    if b.fract() != 0.0 || !(1.0..=MAX_MARKS as f64).contains(&b) {
        return error(
            a.span_of("bins"),
            format!("`bins` is a whole number from 1 to {MAX_MARKS}, got {b}"),
            "bad bins",
        );
    }
    Ok(b as usize)
}

fn histogram(a: &Args) -> Result<Option<Chart>, Diag> {
    let v = a.vector(0)?;
    let span = a.span(0);
    if v.is_empty() {
        return error(span, "the histogram's data is empty", "empty");
    }
    check_scale(v.iter(), Scale::Linear, span)?;
    let bins = bin_count(a)?;
    let (dlo, dhi) = v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| (l.min(x), h.max(x)));
    let lo = a.num_named("lo").unwrap_or(dlo);
    let hi = a.num_named("hi").unwrap_or(dhi);
    if lo >= hi || !(hi - lo).is_finite() {
        return error(span, format!("the bins span an empty range ({lo} to {hi}): give `lo` and `hi`"), "empty range");
    }
    let width = (hi - lo) / bins as f64;
    let edges: Vec<f64> = (0..=bins).map(|i| if i == bins { hi } else { lo + i as f64 * width }).collect();
    let mut counts = vec![0.0; bins];
    for &x in v {
        if (lo..=hi).contains(&x) {
            let i = (((x - lo) / width) as usize).min(bins - 1);
            counts[i] += 1.0;
        }
    }
    Ok(Some(Chart::Histogram { edges, counts }))
}

fn reliability(a: &Args) -> Result<Option<Chart>, Diag> {
    let (conf, correct) = (a.vector(0)?, a.vector(1)?);
    if conf.is_empty() {
        return error(a.span(0), "no predictions to bin", "empty");
    }
    if conf.len() != correct.len() {
        return error(
            a.span(1),
            format!("{} outcomes for {} confidences: give one per prediction", correct.len(), conf.len()),
            "lengths differ",
        );
    }
    if let Some(c) = conf.iter().find(|c| !(0.0..=1.0).contains(*c)) {
        return error(a.span(0), format!("a confidence is a probability, from 0 to 1; got {c}"), "not a probability");
    }
    if let Some(c) = correct.iter().find(|c| **c != 0.0 && **c != 1.0) {
        return error(a.span(1), format!("an outcome is 1 (right) or 0 (wrong); got {c}"), "not 0 or 1");
    }
    // The binning of `ece`, so the figure and the number agree: bin m holds
    // ((m-1)/M, m/M], decided exactly.
    let bins = numeric::calibration::bin_stats(conf, correct, bin_count(a)?)
        .iter()
        .map(|b| svg::Bin { count: b.count, accuracy: b.accuracy(), confidence: b.mean_confidence() })
        .collect();
    Ok(Some(Chart::Reliability { bins, live: false }))
}

#[cfg(test)]
mod tests;
