//! Unit tests of the calibration functions.

use super::*;

fn logits(z: &[f64], cols: usize) -> Logits<'_> {
    Logits::new(z, cols).expect("valid logits")
}

#[test]
fn bins_are_decided_exactly_and_boundaries_go_down() {
    // 0.2 * 5 rounds to exactly 1 but 0.2 (the double) is above 1/5.
    assert_eq!(bin_of(0.2, 5), 1);
    assert_eq!(bin_of(0.25, 4), 0, "exactly on 1/4: the lower bin");
    assert_eq!(bin_of(0.5, 2), 0);
    assert_eq!(bin_of(0.5f64.next_up(), 2), 1);
    assert_eq!(bin_of(1.0, 15), 14);
    assert_eq!(bin_of(0.0, 15), 0);
    assert_eq!(bin_of(f64::from_bits(1), 15), 0);
    // 0.6 (the double) is below 3/5, 0.8 is above 4/5.
    assert_eq!(bin_of(0.6, 5), 2);
    assert_eq!(bin_of(0.8, 5), 4);
    // Against exact rational arithmetic on a grid of doubles.
    for bins in [1usize, 2, 3, 7, 10, 15, 100] {
        for i in 0..=2000 {
            let c = i as f64 / 2000.0;
            for c in [c.next_down().max(0.0), c, c.next_up().min(1.0)] {
                let m = bin_of(c, bins) + 1;
                assert!(m >= 1 && m <= bins);
                if c < 2f64.powi(-8) {
                    assert_eq!(m, 1, "{c} of {bins}");
                    continue;
                }
                // (m-1)/M < c <= m/M, i.e. (m-1) < c*M <= m, exactly:
                // c = a / 2^60 with a an integer (c in [2^-8, 1]).
                let a = (c * 2f64.powi(60)) as u128;
                let scaled = a * bins as u128; // c*M * 2^60
                let unit = 1u128 << 60;
                assert!(scaled <= m as u128 * unit, "{c} in bin {m} of {bins}");
                assert!(c == 0.0 || scaled > (m as u128 - 1) * unit, "{c} in bin {m} of {bins}");
            }
        }
    }
}

#[test]
fn calibration_of_a_small_matrix() {
    // Row 0 right with p_max 0.731, row 1 wrong with p_max 0.881.
    let z = [1.0, 0.0, 0.0, 2.0];
    let m = logits(&z, 2);
    let y = labels(&m, &[0.0, 0.0]).expect("labels");
    assert_eq!(accuracy(&m, &y), 0.5);
    assert_eq!(correct(&m, &y), vec![1.0, 0.0]);
    let conf = confidence(&m, 1.0).expect("conf");
    let p = |r: &[f64]| crate::numeric::softmax(r, 1.0).expect("p");
    assert_eq!(conf, vec![p(&z[..2])[0], p(&z[2..])[1]]);
    let want = (crate::numeric::cross_entropy(&z[..2], 0, 1.0).expect("ce")
        + crate::numeric::cross_entropy(&z[2..], 0, 1.0).expect("ce"))
        / 2.0;
    assert!(crate::numeric::ulp_distance(nll(&m, &y, 1.0).expect("nll"), want) <= 1);
    // One bin: |0.5 - mean conf|.
    let one = ece(&m, &y, 1.0, 1.0).expect("ece");
    assert!((one - ((conf[0] + conf[1]) / 2.0 - 0.5)).abs() < 1e-16);
    // 15 bins: 0.731 and 0.881 fall in different bins.
    let e15 = ece(&m, &y, 1.0, 15.0).expect("ece");
    assert!((e15 - ((1.0 - conf[0]) + conf[1]) / 2.0).abs() < 1e-16);
    assert_eq!(mce(&m, &y, 1.0, 15.0).expect("mce"), conf[1]);
}

#[test]
fn label_errors_name_the_row() {
    let z = [1.0, 0.0, 0.0, 2.0];
    let m = logits(&z, 2);
    let e = labels(&m, &[0.0, 2.0]).expect_err("out of range");
    assert_eq!(e.to_string(), "label 2 out of range at row 1 (the matrix has 2 columns)");
    let e = labels(&m, &[0.5, 1.0]).expect_err("not whole");
    assert_eq!(e.to_string(), "label 0.5 at row 0 is not a whole number (a label is a class, 0 to 1)");
    let e = labels(&m, &[0.0]).expect_err("count");
    assert_eq!(e.to_string(), "1 label for a matrix of 2 rows: give one label per row");
    assert_eq!(Logits::new(&[1.0, 2.0, 3.0], 2).expect_err("ragged"), CalError::Shape);
    assert_eq!(Logits::new(&[1.0, f64::NAN], 2).expect_err("nan"), CalError::NonFinite { row: 0, col: 1 });
}

/// The fitted temperature: the derivative changes sign between its
/// neighbours, and the NLL there is no larger than nearby.
#[test]
fn fitted_temperature_is_the_minimiser() {
    let z = [3.0, 1.0, 0.2, 0.5, 2.5, 0.1, 2.0, 2.1, -1.0, 4.0, -2.0, 0.0, 0.3, 0.2, 0.1];
    let m = logits(&z, 3);
    let y = labels(&m, &[0.0, 1.0, 0.0, 0.0, 2.0]).expect("labels");
    let t = fit_temperature(&m, &y).expect("a minimiser");
    let d = |t: f64| nll_derivative(&m, &y, t).expect("derivative");
    assert!(d(t.next_down()) < 0.0 && d(t.next_up()) >= 0.0, "{t}: {} {}", d(t.next_down()), d(t.next_up()));
    let at = |t: f64| nll(&m, &y, t).expect("nll");
    for f in [1e-9, 1e-6, 1e-3, 0.1] {
        assert!(at(t) <= at(t * (1.0 + f)) && at(t) <= at(t * (1.0 - f)), "{t} {f}");
    }
}

#[test]
fn degenerate_fits_say_why() {
    // Every label is its row's argmax: T -> 0.
    let z = [3.0, 1.0, 0.0, 2.0];
    let m = logits(&z, 2);
    let e = fit_temperature(&m, &labels(&m, &[0.0, 1.0]).expect("labels")).expect_err("T -> 0");
    assert!(e.to_string().contains("T -> 0"), "{e}");
    // Every label is below its row's mean: T -> infinity.
    let e = fit_temperature(&m, &labels(&m, &[1.0, 0.0]).expect("labels")).expect_err("T -> inf");
    assert!(e.to_string().contains("T grows"), "{e}");
    // All equal: flat.
    let z = [1.0, 1.0, 5.0, 5.0];
    let m = logits(&z, 2);
    let e = fit_temperature(&m, &labels(&m, &[0.0, 1.0]).expect("labels")).expect_err("flat");
    assert!(e.to_string().contains("all equal"), "{e}");
    let z = [1e200, 0.0];
    let m = logits(&z, 2);
    let e = fit_temperature(&m, &labels(&m, &[1.0]).expect("labels")).expect_err("huge");
    assert!(e.to_string().contains("exceeds"), "{e}");
}
