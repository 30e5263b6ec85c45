//! The data of a figure as a table, collapsed under it, for readers who
//! cannot see the figure.

use super::svg::{Chart, Figure, num};
use crate::format::{Format, format_num};
use crate::html::Html;

/// The collapsed table of the data, for readers who cannot see the figure.
pub(super) fn data(h: &mut Html, fig: &Figure) {
    let row = |h: &mut Html, cells: &[String], head: bool| {
        h.open("tr");
        for (i, cell) in cells.iter().enumerate() {
            if head || i == 0 {
                h.open("th").attr("scope", if head { "col" } else { "row" }).text(cell);
            } else {
                h.open("td").text(cell);
            }
        }
        h.close();
    };
    h.open("details").attr("class", "lp-data");
    h.open("summary").text("The data of this figure");
    h.open("table");
    let or = |s: &str, d: &str| if s.is_empty() { d.to_string() } else { s.to_string() };
    match &fig.chart {
        Chart::Bars { categories, series } => {
            let mut head = vec![or(&fig.xlabel, "bar")];
            head.extend(series.iter().map(|s| s.0.clone()));
            row(h, &head, true);
            for (i, cat) in categories.iter().enumerate() {
                let mut cells = vec![cat.clone()];
                cells.extend(series.iter().map(|s| s.1.get(i).map_or(String::new(), |v| num(*v))));
                row(h, &cells, false);
            }
        }
        Chart::Lines { x, series, points } => {
            let mut head = vec![or(&fig.xlabel, "x")];
            head.extend(series.iter().map(|s| s.0.clone()));
            row(h, &head, true);
            for (i, xv) in x.iter().enumerate() {
                let mut cells = vec![num(*xv)];
                cells.extend(series.iter().map(|s| s.1.get(i).map_or(String::new(), |v| num(*v))));
                row(h, &cells, false);
            }
            if !points.is_empty() {
                h.close();
                h.open("table");
                row(h, &["marked point".into(), "line".into(), or(&fig.xlabel, "x"), or(&fig.ylabel, "y")], true);
                for p in points {
                    let line = series.get(p.line).map_or(String::new(), |s| s.0.clone());
                    row(h, &[or(&p.note, "point"), line, num(p.x), num(p.y)], false);
                }
            }
        }
        Chart::Histogram { edges, counts } => {
            row(h, &["from".into(), "to".into(), "count".into()], true);
            for (i, n) in counts.iter().enumerate() {
                let (a, z) = (edges.get(i).copied().unwrap_or(0.0), edges.get(i + 1).copied().unwrap_or(0.0));
                row(h, &[num(a), num(z), num(*n)], false);
            }
        }
        Chart::Reliability { bins, live: true } => {
            // The calibration widget's script rewrites the last three cells
            // of each row, so they are marked and printed with a fixed
            // number of decimals, as the script prints them.
            row(
                h,
                &["from".into(), "to".into(), "predictions".into(), "mean confidence".into(), "accuracy".into()],
                true,
            );
            let w = 1.0 / bins.len().max(1) as f64;
            let opt = |v: Option<f64>| v.map_or("none".to_string(), |v| format_num(v, Format::Dp(3)));
            for (i, bin) in bins.iter().enumerate() {
                h.open("tr").attr("data-lemma-bin-row", i);
                h.open("th").attr("scope", "row").text(&num(i as f64 * w));
                h.open("td").text(&num((i + 1) as f64 * w));
                h.open("td").attr("data-lemma-bin-count", "").text(&bin.count.to_string());
                h.open("td").attr("data-lemma-bin-confidence", "").text(&opt(bin.confidence));
                h.open("td").attr("data-lemma-bin-accuracy", "").text(&opt(bin.accuracy));
                h.close();
            }
        }
        Chart::Reliability { bins, live: false } => {
            row(
                h,
                &["from".into(), "to".into(), "predictions".into(), "mean confidence".into(), "accuracy".into()],
                true,
            );
            let w = 1.0 / bins.len().max(1) as f64;
            let opt = |v: Option<f64>| v.map_or("none".to_string(), num);
            for (i, bin) in bins.iter().enumerate() {
                let cells = [
                    num(i as f64 * w),
                    num((i + 1) as f64 * w),
                    bin.count.to_string(),
                    opt(bin.confidence),
                    opt(bin.accuracy),
                ];
                row(h, &cells, false);
            }
        }
    }
}
