//! The exact softmax against a plain subtract-the-max `f64` softmax on the
//! same inputs, for 3, 10 and 1,000 classes.
//!
//! ```text
//! cargo bench -p mdbook-lemma --bench core -- --warm-up-time 1 --measurement-time 3
//! ```
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mdbook_lemma::numeric::softmax;

/// The usual implementation: subtract the max, then scale by `t`.
fn plain_softmax(z: &[f64], t: f64) -> Vec<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|&x| ((x - m) / t).exp()).collect();
    let s: f64 = e.iter().sum();
    e.iter().map(|x| x / s).collect()
}

/// Deterministic logits spread like N(0, 3) (sum of uniforms, xorshift).
fn logits(n: usize) -> Vec<f64> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n).map(|_| 3.0 * ((0..12).map(|_| uniform()).sum::<f64>() - 6.0)).collect()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("softmax");
    for n in [3usize, 10, 1000] {
        let z = logits(n);
        group.bench_with_input(BenchmarkId::new("plain", n), &z, |b, z| {
            b.iter(|| plain_softmax(black_box(z), black_box(1.0)))
        });
        group.bench_with_input(BenchmarkId::new("exact", n), &z, |b, z| {
            b.iter(|| softmax(black_box(z), black_box(1.0)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
