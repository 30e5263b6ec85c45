//! Data-driven unit tests: one `check` helper, one line per case.

use super::*;

/// What a call should produce.
#[derive(Debug)]
enum Expect {
    /// Each component within `ulps` of the given values.
    Vec(&'static [f64], u64),
    /// Within `ulps` of the value.
    Val(f64, u64),
    /// Exactly this error.
    Err(NumError),
}

/// Which function to call.
#[derive(Debug, Clone, Copy)]
enum F {
    P,
    LogP,
    Lse,
    Ce(i64),
    H,
    /// [`entropy`] of the input taken as probabilities.
    Ent,
}

fn check(f: F, z: &[f64], t: f64, expect: Expect) {
    let got: Result<Vec<f64>, NumError> = match f {
        F::P => softmax(z, t),
        F::LogP => log_softmax(z, t),
        F::Lse => logsumexp(z, t).map(|v| vec![v]),
        F::Ce(y) => cross_entropy(z, y, t).map(|v| vec![v]),
        F::H => entropy_of_logits(z, t).map(|v| vec![v]),
        F::Ent => entropy(z).map(|v| vec![v]),
    };
    let ctx = format!("{f:?} of {z:?} at t = {t}");
    match (expect, got) {
        // Compared through Debug so that a NaN payload compares equal.
        (Expect::Err(e), got) => {
            assert_eq!(format!("{got:?}"), format!("{:?}", Err::<Vec<f64>, _>(e)), "{ctx}")
        }
        (Expect::Val(v, u), Ok(g)) => close(&ctx, &g, &[v], u),
        (Expect::Vec(v, u), Ok(g)) => close(&ctx, &g, v, u),
        (_, Err(e)) => panic!("{ctx}: unexpected error {e}"),
    }
}

fn close(ctx: &str, got: &[f64], want: &[f64], ulps: u64) {
    assert_eq!(got.len(), want.len(), "{ctx}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let d = ulp_distance(g, w);
        assert!(d <= ulps, "{ctx}: component {i} is {g:e}, want {w:e} ({d} ulp)");
    }
}

use Expect::{Err as E, Val, Vec as V};
use F::*;

const NAN: f64 = f64::NAN;
const INF: f64 = f64::INFINITY;

#[test]
fn softmax_cases() {
    check(P, &[2.0, 1.0, 0.5], 1.0, V(&[0.6285317192117624, 0.23122389762214907, 0.14024438316608848], 0));
    check(P, &[0.0, 0.0, 0.0, 0.0], 1.0, V(&[0.25; 4], 0));
    check(P, &[7.0], 3.0, V(&[1.0], 0));
    check(P, &[1000.0, 0.0], 1.0, V(&[1.0, 0.0], 0));
    check(P, &[0.0, -745.0], 1.0, V(&[1.0, 5e-324], 0));
    check(P, &[0.0, -740.0], 1.0, V(&[1.0, 4.2e-322], 0));
    check(P, &[1e308, -1e308], 1.0, V(&[1.0, 0.0], 0));
    check(P, &[f64::MAX, -f64::MAX], 1e6, V(&[1.0, 0.0], 0));
    check(P, &[1.0, 1.0 + 1e-12], 1e-300, V(&[0.0, 1.0], 0));
    check(P, &[5e-324, 0.0], 5e-324, V(&[0.7310585786300049, 0.2689414213699951], 0));
    check(P, &[1.0, 0.0], 1e6, V(&[0.50000025, 0.49999975], 1));
}

#[test]
fn log_softmax_cases() {
    // The textbook case: log p_0 is -4.28e-18, not 0.
    check(LogP, &[5.0, 1.0, 0.5], 0.1, V(&[-4.2769794410970925e-18, -40.0, -45.0], 0));
    check(LogP, &[0.0, 0.0], 1.0, V(&[-std::f64::consts::LN_2; 2], 0));
    check(LogP, &[0.0, -1e308], 1.0, V(&[-0.0, -1e308], 0));
    check(LogP, &[3.0], 1.0, V(&[-0.0], 0));
    check(LogP, &[0.0, -1e308], 0.5, E(NumError::Overflow("log_softmax")));
}

#[test]
fn scalar_cases() {
    check(Lse, &[0.0, 0.0], 1.0, Val(std::f64::consts::LN_2, 0));
    check(Lse, &[1e308, 1e308], 1.0, Val(1e308, 0));
    check(Lse, &[1e308, 1e308], 0.5, E(NumError::Overflow("logsumexp")));
    check(Lse, &[-1.0, -2.0], 1e-300, Val(-9.999999999999999e299, 0));
    check(Ce(0), &[5.0, 1.0, 0.5], 0.1, Val(4.2769794410970925e-18, 0));
    check(Ce(2), &[5.0, 1.0, 0.5], 0.1, Val(45.0, 0));
    check(Ce(1), &[0.0, -1e308], 1.0, Val(1e308, 0));
    check(Ce(1), &[0.0, 0.0], 1.0, Val(std::f64::consts::LN_2, 0));
    check(H, &[0.0, 0.0, 0.0, 0.0], 1.0, Val(4.0f64.ln(), 0));
    check(H, &[0.0, -1e308], 0.5, Val(0.0, 0));
    check(H, &[4.0], 2.0, Val(0.0, 0));
    check(Ent, &[0.5, 0.5], 1.0, Val(std::f64::consts::LN_2, 0));
    check(Ent, &[1.0, 0.0], 1.0, Val(0.0, 0));
}

#[test]
fn invalid_inputs() {
    check(P, &[], 1.0, E(NumError::Empty));
    check(P, &[NAN, 1.0], 1.0, E(NumError::NonFinite { index: 0, value: NAN }));
    check(LogP, &[1.0, INF], 1.0, E(NumError::NonFinite { index: 1, value: INF }));
    check(Lse, &[-INF, 0.0], 1.0, E(NumError::NonFinite { index: 0, value: -INF }));
    check(H, &[1.0, 2.0], 0.0, E(NumError::Temperature(0.0)));
    check(P, &[1.0, 2.0], -1.0, E(NumError::Temperature(-1.0)));
    check(P, &[1.0, 2.0], INF, E(NumError::Temperature(INF)));
    check(Ce(-1), &[1.0, 2.0, 3.0], 1.0, E(NumError::Class { y: -1, len: 3 }));
    check(Ce(3), &[1.0, 2.0, 3.0], 1.0, E(NumError::Class { y: 3, len: 3 }));
    check(Ent, &[0.5, 0.6], 1.0, E(NumError::NotAProbability("it sums to 1.1, not 1".into())));
    check(Ent, &[], 1.0, E(NumError::Empty));
}

#[test]
fn more_cases() {
    check(P, &[-1e300, 1e300], 1.0, V(&[0.0, 1.0], 0));
    check(P, &[f64::MAX, f64::MAX], f64::MAX, V(&[0.5, 0.5], 0));
    check(P, &[0.0, 1.0], 5e-324, V(&[0.0, 1.0], 0));
    check(LogP, &[0.0, -745.0], 1.0, V(&[-5e-324, -745.0], 0));
    check(LogP, &[0.0, -800.0], 1.0, V(&[-0.0, -800.0], 0));
    check(LogP, &[-f64::MAX, f64::MAX], 1e300, V(&[-359538626.97246313, -0.0], 0));
    check(LogP, &[-f64::MAX, f64::MAX], 0.5, E(NumError::Overflow("log_softmax")));
    check(Lse, &[-f64::MAX, f64::MAX], 4.0, Val(f64::MAX / 4.0, 0));
    check(Lse, &[-3.0], 1.0, Val(-3.0, 0));
    check(Lse, &[0.0, -1e308], 0.5, Val(0.0, 0));
    check(Ce(0), &[0.0, -745.0], 1.0, Val(5e-324, 0));
    check(Ce(1), &[-f64::MAX, f64::MAX], 0.5, Val(0.0, 0));
    check(Ce(0), &[-f64::MAX, f64::MAX], 0.5, E(NumError::Overflow("cross-entropy")));
    check(H, &[0.0, 0.0], 1.0, Val(std::f64::consts::LN_2, 0));
    check(H, &[1.0, 0.0], 1e-300, Val(0.0, 0));
    check(Ent, &[0.25, 0.25, 0.25, 0.25], 1.0, Val(4.0f64.ln(), 0));
    check(Ent, &[-0.5, 1.5], 1.0, E(NumError::NotAProbability("component 0 is negative (-0.5)".into())));
    check(Ent, &[NAN], 1.0, E(NumError::NonFinite { index: 0, value: NAN }));
}

/// Every combination of awkward logits and temperatures: no panic, and
/// every `Ok` is finite and consistent (p in [0, 1] summing to 1, log p <= 0,
/// 0 <= H <= ln n, ce = -log p_y).
#[test]
fn no_panic_sweep() {
    let vals = [
        0.0,
        -0.0,
        5e-324,
        -5e-324,
        2.2e-308,
        1e-300,
        0.5,
        -1.0,
        1.0 + 1e-15,
        700.0,
        -745.5,
        1e300,
        -1e300,
        f64::MAX,
        -f64::MAX,
        1e16,
    ];
    let temps = [5e-324, 1e-310, 1e-300, 1e-20, 0.1, 1.0, 3.0, 1e6, 1e300, f64::MAX];
    let mut checked = 0;
    for &a in &vals {
        for &b in &vals {
            for &c in &[0.0, 1.0, -f64::MAX] {
                let z = [a, b, c];
                for &t in &temps {
                    let all = super::all(&z, t, 1).expect("valid input");
                    let sum: f64 = all.p.iter().sum();
                    assert!(all.p.iter().all(|p| (0.0..=1.0).contains(p)), "{z:?} {t}");
                    assert!((sum - 1.0).abs() < 1e-15, "{z:?} {t}: sum {sum}");
                    assert!(all.h.is_finite() && all.h >= 0.0 && all.h <= 3f64.ln() + 1e-15);
                    if let Ok(lp) = &all.log_p {
                        assert!(lp.iter().all(|l| l.is_finite() && *l <= 0.0), "{z:?} {t}");
                        assert_eq!(all.ce, Ok(-lp[1]), "{z:?} {t}");
                    }
                    if let Ok(l) = all.lse {
                        assert!(l.is_finite());
                    }
                    assert_eq!(softmax(&z, t).as_ref(), Ok(&all.p));
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 16 * 16 * 3 * 10);
}
