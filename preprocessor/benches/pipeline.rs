//! Criterion benchmarks of the chapter pipeline's phases (see
//! `BENCHMARKS.md`): finding forms, parsing statements, splicing, and the
//! whole [`chapter::process`], on chapters of 100, 1,000 and 10,000 inline
//! forms, so that a superlinear phase shows as a per-form time that grows.
//!
//! ```sh
//! cargo bench -p mdbook-lemma --bench pipeline
//! ```

// `criterion_group!` defines a public function that cannot carry a doc comment.
#![allow(missing_docs)]

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mdbook_lemma::chapter;
use mdbook_lemma::parse::lang;
use mdbook_lemma::scan;
use mdbook_lemma::splice::{self, Edit};

/// A chapter of `n` paragraphs, each with an inline form (every fifth one
/// in inline code), and a lemma block every 50 paragraphs. Every stated
/// number is right, so `process` takes the path of a passing build.
fn chapter_text(n: usize) -> String {
    let mut out = String::from("# Bench\n\nThe logits are {{lemma z = [2.0, 1.0, 0.5]}}.\n\n");
    for k in 0..n {
        let form = match k % 5 {
            0 => "{{lemma softmax(z) ≈ [0.629, 0.231, 0.140]}}",
            1 => "{{lemma p[0]; pct=1}}",
            2 => "{{lemma cross_entropy(z, 1) ≈ 1.46}}",
            3 => "`{{lemma max(z)}}`",
            _ => "{{lemma entropy(p); dp=3}}",
        };
        let _ = write!(out, "Paragraph {k} of prose about softmax, with {form} in it, and a few more words.\n\n");
        if k % 50 == 0 {
            out.push_str("```lemma\np = softmax(z)\ncheck p ≈ [0.629, 0.231, 0.140]\ncheck argmax(p) == 0\nshow z as \"logit\", p as \"p\"; dp=3\n```\n\n");
        }
    }
    out
}

const SIZES: [usize; 3] = [100, 1_000, 10_000];

fn find_forms(c: &mut Criterion) {
    let mut g = c.benchmark_group("scan");
    for n in SIZES {
        let text = chapter_text(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, t| b.iter(|| scan::scan(black_box(t))));
    }
    g.finish();
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (name, src) in [
        ("let", "p = softmax(z, T=2)"),
        ("check_vector", "check softmax(z) ≈ [0.629, 0.231, 0.140]"),
        ("check_bool", "check max(abs(shifted - p)) < 1e-12"),
        ("show", "show [\"cat\", \"dog\", \"fox\"] as \"class\", z as \"logit\", p as \"p\"; dp=3"),
    ] {
        g.bench_function(BenchmarkId::new("statement", name), |b| b.iter(|| lang::parse_statement(black_box(src))));
    }
    g.bench_function(BenchmarkId::new("inline", "check"), |b| {
        b.iter(|| lang::parse_inline(black_box(" cross_entropy(z, 1) ≈ 1.46")))
    });
    g.finish();
}

fn splice(c: &mut Criterion) {
    let mut g = c.benchmark_group("splice");
    for n in SIZES {
        let text = chapter_text(n);
        let scan = scan::scan(&text);
        let edits: Vec<Edit> = scan
            .found
            .iter()
            .map(|f| match f.fenced {
                true => Edit { range: f.range.clone(), text: "<div></div>".into(), blank_after: true },
                false => Edit { range: f.range.clone(), text: "0.629".into(), blank_after: false },
            })
            .collect();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &(text, edits), |b, (t, e)| {
            b.iter(|| splice::splice(black_box(t), black_box(e)))
        });
    }
    g.finish();
}

fn process(c: &mut Criterion) {
    let mut g = c.benchmark_group("process");
    for n in SIZES {
        let text = chapter_text(n);
        let out = chapter::process(&text);
        assert!(out.diags.is_empty(), "the bench chapter must pass: {:?}", out.diags.first());
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, t| b.iter(|| chapter::process(black_box(t))));
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500));
    targets = find_forms, parse, splice, process
}
criterion_main!(benches);
