//! A figure as one line of SVG, written through [`Html`] (every string
//! escaped, elements balanced, no line break).
//!
//! The markup: `figure.lemma-plot` holds an `svg` (`role="img"`, a
//! `viewBox` and no fixed size, so it scales to the column; a `<title>`
//! and a generated `<desc>`), a `figcaption` with the title, and a
//! collapsed `details.lp-data` with the data as a table. Colours are CSS
//! classes (`lp-s0`..`lp-s5` for series, `lp-axis`, `lp-grid`, `lp-diag`)
//! that `theme/lemma-plot.css` fills from each theme's custom properties;
//! text is `currentColor` in the book's font. Ticks fall on round numbers
//! (1, 2 or 5 times a power of ten; powers of ten on a log axis).

use crate::format::{Format, format_num};
use crate::html::Html;

/// The width of the `viewBox`.
pub const WIDTH: f64 = 480.0;
/// The height of the plotting area and axes (a legend adds rows above).
pub const HEIGHT: f64 = 280.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 46.0;
const PALETTE: usize = 6;

/// How an axis maps values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// Evenly.
    #[default]
    Linear,
    /// By their logarithm (values must be positive).
    Log,
}

/// A marked point on a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Which line (an index into the series).
    pub line: usize,
    /// Where.
    pub x: f64,
    /// The line's value there.
    pub y: f64,
    /// Its annotation (may be empty).
    pub note: String,
}

/// One confidence bin of a reliability diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    /// Predictions in the bin.
    pub count: usize,
    /// The share of them that were right (`None` when empty).
    pub accuracy: Option<f64>,
    /// Their mean confidence (`None` when empty).
    pub confidence: Option<f64>,
}

/// What a figure draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Bars per category, a bar per series in each.
    Bars {
        /// The category labels.
        categories: Vec<String>,
        /// Each series: its name and one value per category.
        series: Vec<(String, Vec<f64>)>,
    },
    /// Lines over a common x.
    Lines {
        /// The samples.
        x: Vec<f64>,
        /// Each line: its name and one value per sample.
        series: Vec<(String, Vec<f64>)>,
        /// Marked points.
        points: Vec<Point>,
    },
    /// Counts per bin.
    Histogram {
        /// The bin edges (one more than the counts).
        edges: Vec<f64>,
        /// The counts.
        counts: Vec<f64>,
    },
    /// Accuracy per confidence bin of equal width over 0 to 1.
    Reliability {
        /// The bins.
        bins: Vec<Bin>,
        /// Drawn for a script to move (the calibration widget): every bin
        /// has a bar (an empty one of height 0) marked `data-lemma-bin`, the
        /// `svg` carries the y of accuracy 0 and 1 in `data-lemma-y0` and
        /// `data-lemma-y1`, and the data table's cells that change are
        /// marked for the script and printed to 3 decimals.
        live: bool,
    },
}

/// A figure: what it draws and how it is labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What it draws.
    pub chart: Chart,
    /// Caption and `<title>`.
    pub title: String,
    /// Added to the generated `<desc>`.
    pub desc: String,
    /// The x axis's label.
    pub xlabel: String,
    /// The y axis's label.
    pub ylabel: String,
    /// The x axis's scale (lines only).
    pub xscale: Scale,
    /// The y axis's scale (bars and lines).
    pub yscale: Scale,
}

/// A number as the figure prints it: integers exactly, others to 3
/// significant digits.
pub(super) fn num(v: f64) -> String {
    format_num(v, Format::Auto)
}

/// A coordinate, to a tenth of a unit.
fn c(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    format!("{}", if r == 0.0 { 0.0 } else { r })
}

/// An axis: the value range, the pixel range and the ticks.
struct Axis {
    lo: f64,
    hi: f64,
    log: bool,
    a: f64,
    b: f64,
    ticks: Vec<(f64, String)>,
}

impl Axis {
    fn pos(&self, v: f64) -> f64 {
        let t = if self.log {
            (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        self.a + t.clamp(-0.05, 1.05) * (self.b - self.a)
    }

    /// Round ticks over `[lo, hi]` (`whole`: steps of at least 1).
    fn new(lo: f64, hi: f64, scale: Scale, whole: bool, a: f64, b: f64) -> Result<Axis, String> {
        if scale == Scale::Log {
            return Axis::log(lo, hi, a, b);
        }
        let (mut lo, mut hi) = (lo, hi);
        if lo == hi {
            let d = if lo == 0.0 { 1.0 } else { lo.abs() / 2.0 };
            (lo, hi) = (lo - d, hi + d);
        }
        let raw = (hi - lo) / 5.0;
        let mag = 10f64.powf(raw.log10().floor());
        if !(raw.is_finite() && mag.is_finite() && mag > 0.0) {
            return Err(format!("values from {lo} to {hi} cannot be drawn on one axis"));
        }
        let f = raw / mag;
        let mut step = mag
            * if f <= 1.0 {
                1.0
            } else if f <= 2.0 {
                2.0
            } else if f <= 5.0 {
                5.0
            } else {
                10.0
            };
        if whole {
            step = step.max(1.0);
        }
        let (k0, k1) = ((lo / step).floor(), (hi / step).ceil());
        if !(k1 - k0).is_finite() || k1 - k0 > 40.0 {
            return Err(format!("values from {lo} to {hi} cannot be drawn on one axis"));
        }
        let dp = (-step.log10().floor()).clamp(0.0, 20.0) as u8;
        let ticks = (0..=(k1 - k0) as i64).map(|i| (k0 + i as f64) * step).map(|v| (v, format_num(v, Format::Dp(dp))));
        let ticks = ticks.collect();
        Ok(Axis { lo: k0 * step, hi: k1 * step, log: false, a, b, ticks })
    }

    fn log(lo: f64, hi: f64, a: f64, b: f64) -> Result<Axis, String> {
        let (e0, mut e1) = (lo.log10().floor(), hi.log10().ceil());
        if e0 == e1 {
            e1 += 1.0;
        }
        let (vlo, vhi) = (10f64.powf(e0), 10f64.powf(e1));
        if !(vlo > 0.0 && vhi.is_finite() && e0 > -300.0) {
            return Err(format!("values from {lo} to {hi} cannot be drawn on a log axis"));
        }
        let decades = (e1 - e0) as i64;
        let every = (decades + 7) / 8;
        let label = |e: f64, m: f64| {
            let v = m * 10f64.powf(e);
            let text = if (-6.0..=6.0).contains(&e) {
                format_num(v, Format::Dp((-e).max(0.0) as u8))
            } else {
                format!("{m}e{e}")
            };
            (v, text)
        };
        let mut ticks = Vec::new();
        for i in (0..=decades).filter(|i| i % every == 0) {
            let e = e0 + i as f64;
            ticks.push(label(e, 1.0));
            if decades <= 2 && i < decades {
                ticks.extend([label(e, 2.0), label(e, 5.0)]);
            }
        }
        Ok(Axis { lo: vlo, hi: vhi, log: true, a, b, ticks })
    }
}

fn extent<'a>(vals: impl Iterator<Item = &'a f64>) -> (f64, f64) {
    vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)))
}

/// A legend's entries laid out in rows: `(x, y, name, series)`.
fn legend(names: &[&str]) -> (Vec<(f64, f64, usize)>, f64) {
    let (mut x, mut y) = (LEFT, 0.0);
    let mut out = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let w = 26.0 + 7.2 * n.chars().count() as f64;
        if x + w > WIDTH - RIGHT && x > LEFT {
            (x, y) = (LEFT, y + 18.0);
        }
        out.push((x, y + 14.0, i));
        x += w + 12.0;
    }
    let height = if names.len() > 1 { y + 24.0 } else { 0.0 };
    (out, height)
}

/// Renders a figure, or says why it cannot be drawn (a value that is not
/// finite, a log axis over a value that is not positive, an empty range).
pub fn render(fig: &Figure) -> Result<String, String> {
    let values: Vec<f64> = match &fig.chart {
        Chart::Bars { series, .. } => series.iter().flat_map(|s| s.1.iter().copied()).collect(),
        Chart::Lines { x, series, points } => x
            .iter()
            .copied()
            .chain(series.iter().flat_map(|s| s.1.iter().copied()))
            .chain(points.iter().flat_map(|p| [p.x, p.y]))
            .collect(),
        Chart::Histogram { edges, counts } => edges.iter().chain(counts).copied().collect(),
        Chart::Reliability { bins, .. } => bins.iter().flat_map(|b| [b.accuracy, b.confidence]).flatten().collect(),
    };
    if values.iter().any(|v| !v.is_finite()) {
        return Err("a value to draw is not a finite number".into());
    }
    let (names, lines): (Vec<&str>, bool) = match &fig.chart {
        Chart::Bars { series, .. } => (series.iter().map(|s| s.0.as_str()).collect(), false),
        Chart::Lines { series, .. } => (series.iter().map(|s| s.0.as_str()).collect(), true),
        Chart::Histogram { .. } => (vec![], false),
        Chart::Reliability { .. } => (vec!["accuracy", "perfect calibration", "gap to mean confidence"], false),
    };
    let (entries, legend_h) = legend(&names);
    let top = TOP + legend_h;
    let (x0, x1, y0, y1) = (LEFT, WIDTH - RIGHT, top + HEIGHT - TOP - BOTTOM, top);
    let total_h = top + HEIGHT - TOP;
    let mut h = Html::with_capacity(8192);
    h.open("figure").attr("class", "lemma-plot");
    let live = matches!(fig.chart, Chart::Reliability { live: true, .. });
    let svg = h
        .open("svg")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .attr("viewBox", format_args!("0 0 {} {}", WIDTH, c(total_h)))
        .attr("role", "img")
        .attr("class", "lp-svg")
        .attr("font-size", "12");
    drop(if live { svg.attr("data-lemma-y0", c(y0)).attr("data-lemma-y1", c(y1)) } else { svg });
    h.open("title").text(&fig.title);
    let mut desc = String::new();
    let mut body = Html::new();
    let b = &mut body;
    let (xs, ys);
    match &fig.chart {
        Chart::Bars { categories, series } => {
            let (lo, hi) = extent(series.iter().flat_map(|s| s.1.iter()));
            finite(lo, hi, fig.yscale)?;
            let band = (x1 - x0) / categories.len().max(1) as f64;
            let bw = band * 0.8 / series.len().max(1) as f64;
            // Values are written on the bars when there is room for them.
            let labelled = bw >= 40.0;
            ys = if fig.yscale == Scale::Log {
                Axis::new(lo, hi, Scale::Log, false, y0, y1)?
            } else {
                // Room for the value labels beyond the longest bars.
                let (l, h) = (lo.min(0.0), hi.max(0.0));
                let pad = if labelled { (h - l) * 0.1 } else { 0.0 };
                Axis::new(
                    if l < 0.0 { l - pad } else { l },
                    if h > 0.0 { h + pad } else { h },
                    Scale::Linear,
                    false,
                    y0,
                    y1,
                )?
            };
            xs = None;
            let base = if ys.log { y0 } else { ys.pos(0.0) };
            for (i, cat) in categories.iter().enumerate() {
                for (k, (_, vals)) in series.iter().enumerate() {
                    let v = vals.get(i).copied().unwrap_or(0.0);
                    let (x, y) = (x0 + band * i as f64 + band * 0.1 + bw * k as f64, ys.pos(v));
                    b.open("rect")
                        .attr("class", format_args!("lp-bar lp-s{}", k % PALETTE))
                        .attr("x", c(x))
                        .attr("y", c(y.min(base)))
                        .attr("width", c(bw * 0.92))
                        .attr("height", c((base - y).abs()));
                    b.close();
                    if labelled {
                        let ty = if v >= 0.0 || ys.log { y.min(base) - 4.0 } else { y + 12.0 };
                        b.open("text")
                            .attr("x", c(x + bw * 0.46))
                            .attr("y", c(ty))
                            .attr("text-anchor", "middle")
                            .text(&num(v));
                    }
                }
                let cx = x0 + band * (i as f64 + 0.5);
                b.open("text")
                    .attr("class", "lp-cat")
                    .attr("x", c(cx))
                    .attr("y", c(y0 + 16.0))
                    .attr("text-anchor", "middle")
                    .text(cat);
            }
            desc.push_str(&format!(
                "Bar chart: {} bars for {}{}. Values from {} to {}.",
                categories.len() * series.len(),
                categories.join(", "),
                if series.len() > 1 {
                    format!(", in {} series: {}", series.len(), names.join(", "))
                } else {
                    String::new()
                },
                num(lo),
                num(hi)
            ));
        }
        Chart::Lines { x, series, points } => {
            let (lo, hi) = extent(x.iter());
            finite(lo, hi, fig.xscale)?;
            if lo >= hi {
                return Err("the x values span an empty range".into());
            }
            let xa = Axis::new(lo, hi, fig.xscale, false, x0, x1)?;
            let (ylo, yhi) = extent(series.iter().flat_map(|s| s.1.iter()).chain(points.iter().map(|p| &p.y)));
            finite(ylo, yhi, fig.yscale)?;
            ys = Axis::new(ylo, yhi, fig.yscale, false, y0, y1)?;
            for (k, (_, vals)) in series.iter().enumerate() {
                let pts: Vec<String> =
                    x.iter().zip(vals).map(|(&xv, &yv)| format!("{},{}", c(xa.pos(xv)), c(ys.pos(yv)))).collect();
                b.open("polyline")
                    .attr("class", format_args!("lp-line lp-s{} lp-d{}", k % PALETTE, k % 4))
                    .attr("points", pts.join(" "));
                b.close();
            }
            for p in points {
                let (px, py) = (xa.pos(p.x), ys.pos(p.y));
                b.open("circle")
                    .attr("class", format_args!("lp-pt lp-s{}", p.line % PALETTE))
                    .attr("cx", c(px))
                    .attr("cy", c(py))
                    .attr("r", "4");
                b.close();
                let right = px > x0 + (x1 - x0) * 0.6;
                let text = if p.note.is_empty() { num(p.y) } else { format!("{}: {}", p.note, num(p.y)) };
                b.open("text")
                    .attr("class", "lp-note")
                    .attr("x", c(if right { px - 8.0 } else { px + 8.0 }))
                    .attr("y", c(py - 8.0))
                    .attr("text-anchor", if right { "end" } else { "start" })
                    .text(&text);
            }
            desc.push_str(&format!(
                "Line chart of {} line{} ({}) for {} from {} to {}{}; values from {} to {}.",
                series.len(),
                if series.len() == 1 { "" } else { "s" },
                names.join(", "),
                if fig.xlabel.is_empty() { "x" } else { &fig.xlabel },
                num(lo),
                num(hi),
                if fig.xscale == Scale::Log { " on a log scale" } else { "" },
                num(ylo),
                num(yhi)
            ));
            for p in points {
                desc.push_str(&format!(
                    " Marked: {} at x = {}, y = {}.",
                    if p.note.is_empty() { "a point" } else { &p.note },
                    num(p.x),
                    num(p.y)
                ));
            }
            xs = Some(xa);
        }
        Chart::Histogram { edges, counts } => {
            let (lo, hi) = extent(edges.iter());
            let (_, cmax) = extent(counts.iter());
            finite(lo, hi, Scale::Linear)?;
            finite(0.0, cmax, Scale::Linear)?;
            if lo >= hi || edges.len() != counts.len() + 1 {
                return Err("the bins span an empty range".into());
            }
            let xa = Axis::new(lo, hi, Scale::Linear, false, x0, x1)?;
            ys = Axis::new(0.0, cmax.max(1.0), Scale::Linear, true, y0, y1)?;
            for (i, &n) in counts.iter().enumerate() {
                let (a, z, y) = (xa.pos(edges[i]), xa.pos(edges[i + 1]), ys.pos(n));
                b.open("rect")
                    .attr("class", "lp-bar lp-s0")
                    .attr("x", c(a))
                    .attr("y", c(y))
                    .attr("width", c((z - a).max(0.0)))
                    .attr("height", c(y0 - y));
                b.close();
            }
            desc.push_str(&format!(
                "Histogram of {} values in {} bins from {} to {}; the fullest bin holds {}.",
                num(counts.iter().sum()),
                counts.len(),
                num(lo),
                num(hi),
                num(cmax)
            ));
            xs = Some(xa);
        }
        Chart::Reliability { bins, live } => {
            let xa = Axis::new(0.0, 1.0, Scale::Linear, false, x0, x1)?;
            ys = Axis::new(0.0, 1.0, Scale::Linear, false, y0, y1)?;
            let w = 1.0 / bins.len().max(1) as f64;
            // One rectangle over bin `i` from `top` down to `bottom`; a live
            // figure marks it for the script with `hook`.
            let rect = |b: &mut Html, i: usize, class: &'static str, hook: &'static str, top: f64, bottom: f64| {
                let (a, z) = (xa.pos(i as f64 * w), xa.pos((i + 1) as f64 * w));
                let r = b
                    .open("rect")
                    .attr("class", class)
                    .attr("x", c(a + 1.0))
                    .attr("y", c(top))
                    .attr("width", c((z - a - 2.0).max(0.0)))
                    .attr("height", c(bottom - top));
                drop(if *live { r.attr(hook, i) } else { r });
                b.close();
            };
            for (i, bin) in bins.iter().enumerate() {
                let acc = bin.accuracy.filter(|a| a.is_finite());
                if acc.is_some() || *live {
                    rect(b, i, "lp-bar lp-s0", "data-lemma-bin", acc.map_or(y0, |acc| ys.pos(acc)), y0);
                }
            }
            // The gap between each bin's accuracy and its mean confidence,
            // over the bars: a bin whose accuracy is 0 has no bar, but its
            // gap shows.
            for (i, bin) in bins.iter().enumerate() {
                let gap = bin.accuracy.zip(bin.confidence).filter(|(a, c)| a.is_finite() && c.is_finite());
                if gap.is_some() || *live {
                    let (top, bottom) =
                        gap.map_or((y0, y0), |(acc, conf)| (ys.pos(acc.max(conf)), ys.pos(acc.min(conf))));
                    rect(b, i, "lp-gap lp-s2", "data-lemma-gap", top, bottom);
                }
            }
            b.open("line")
                .attr("class", "lp-diag lp-s1")
                .attr("x1", c(x0))
                .attr("y1", c(y0))
                .attr("x2", c(x1))
                .attr("y2", c(y1));
            b.close();
            desc.push_str(&format!(
                "Reliability diagram: the accuracy of {} predictions in each of {} confidence bins, against the diagonal of perfect calibration.",
                bins.iter().map(|b| b.count).sum::<usize>(),
                bins.len()
            ));
            xs = Some(xa);
        }
    }
    if !fig.desc.is_empty() {
        desc.push(' ');
        desc.push_str(&fig.desc);
    }
    h.open("desc").text(&desc);
    // Grid and axes under the data.
    h.open("g").attr("class", "lp-grid");
    for (v, _) in &ys.ticks {
        h.open("line").attr("x1", c(x0)).attr("x2", c(x1)).attr("y1", c(ys.pos(*v))).attr("y2", c(ys.pos(*v)));
        h.close();
    }
    h.close();
    h.open("g").attr("class", "lp-axis");
    h.open("line").attr("x1", c(x0)).attr("x2", c(x1)).attr("y1", c(y0)).attr("y2", c(y0));
    h.close();
    h.open("line").attr("x1", c(x0)).attr("x2", c(x0)).attr("y1", c(y0)).attr("y2", c(y1));
    h.close();
    for (v, t) in &ys.ticks {
        let y = ys.pos(*v);
        h.open("line").attr("x1", c(x0 - 4.0)).attr("x2", c(x0)).attr("y1", c(y)).attr("y2", c(y));
        h.close();
        h.open("text").attr("x", c(x0 - 7.0)).attr("y", c(y + 4.0)).attr("text-anchor", "end").text(t);
    }
    if let Some(xa) = &xs {
        for (v, t) in &xa.ticks {
            let x = xa.pos(*v);
            h.open("line").attr("x1", c(x)).attr("x2", c(x)).attr("y1", c(y0)).attr("y2", c(y0 + 4.0));
            h.close();
            h.open("text").attr("x", c(x)).attr("y", c(y0 + 16.0)).attr("text-anchor", "middle").text(t);
        }
    }
    let xlabel = match (&fig.chart, fig.xlabel.is_empty()) {
        (Chart::Reliability { .. }, true) => "confidence",
        _ => &fig.xlabel,
    };
    let ylabel = match (&fig.chart, fig.ylabel.is_empty()) {
        (Chart::Reliability { .. }, true) => "accuracy",
        (Chart::Histogram { .. }, true) => "count",
        _ => &fig.ylabel,
    };
    h.open("text")
        .attr("class", "lp-label")
        .attr("x", c((x0 + x1) / 2.0))
        .attr("y", c(y0 + 36.0))
        .attr("text-anchor", "middle")
        .text(xlabel);
    h.open("text")
        .attr("class", "lp-label")
        .attr("transform", format_args!("translate(14 {}) rotate(-90)", c((y0 + y1) / 2.0)))
        .attr("text-anchor", "middle")
        .text(ylabel);
    h.close();
    h.trusted_markup(&body.finish());
    // Legend.
    for (x, y, i) in entries.iter().filter(|_| names.len() > 1) {
        let cls = format!("lp-s{}", i % PALETTE);
        let reliability = matches!(fig.chart, Chart::Reliability { .. });
        if lines || reliability && *i == 1 {
            let kind = if lines { format!("lp-line {cls} lp-d{}", i % 4) } else { format!("lp-diag {cls}") };
            h.open("line")
                .attr("class", kind)
                .attr("x1", c(*x))
                .attr("x2", c(x + 18.0))
                .attr("y1", c(y - 4.0))
                .attr("y2", c(y - 4.0));
        } else {
            // A reliability diagram's third series is the gap; else a bar.
            let kind = if reliability && *i == 2 { "lp-gap" } else { "lp-bar" };
            h.open("rect")
                .attr("class", format_args!("{kind} {cls}"))
                .attr("x", c(*x))
                .attr("y", c(y - 10.0))
                .attr("width", "12")
                .attr("height", "12");
        }
        h.close();
        h.open("text").attr("x", c(x + 22.0)).attr("y", c(*y)).text(names[*i]);
    }
    h.close(); // svg
    h.open("figcaption").text(&fig.title);
    super::table::data(&mut h, fig);
    Ok(h.finish())
}

fn finite(lo: f64, hi: f64, scale: Scale) -> Result<(), String> {
    if !(lo.is_finite() && hi.is_finite()) {
        return Err("a value to draw is not a finite number".into());
    }
    if scale == Scale::Log && lo <= 0.0 {
        return Err(format!("a log axis needs positive values, and this has {lo}"));
    }
    Ok(())
}
