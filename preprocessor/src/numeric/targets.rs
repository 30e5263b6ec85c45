//! Functions of target distributions and probability vectors: the
//! cross-entropy of logits against a soft target, the KL divergence, the
//! binary cross-entropy of one logit, and the truncations used when
//! sampling (top-k, top-p). Same validation rules as the rest of the core.

use super::{NumError, dd, validate};

/// Checks that `p` is a probability vector: not empty, finite, no negative
/// component, summing to 1 within `1e-9`.
pub fn probability(p: &[f64]) -> Result<(), NumError> {
    if p.is_empty() {
        return Err(NumError::Empty);
    }
    if let Some((index, &value)) = p.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(NumError::NonFinite { index, value });
    }
    if let Some((i, v)) = p.iter().enumerate().find(|(_, v)| **v < 0.0) {
        return Err(NumError::NotAProbability(format!("component {i} is negative ({v})")));
    }
    let s: f64 = p.iter().sum();
    if (s - 1.0).abs() > 1e-9 {
        return Err(NumError::NotAProbability(format!("it sums to {s}, not 1")));
    }
    Ok(())
}

fn same_length(a: &[f64], b: &[f64]) -> Result<(), NumError> {
    if a.len() == b.len() {
        Ok(())
    } else {
        Err(NumError::NotAProbability(format!("{} components against {} logits or probabilities", b.len(), a.len())))
    }
}

/// A double-double sum of terms, rounded once.
fn dd_sum(terms: impl Iterator<Item = (f64, f64)>) -> f64 {
    let (mut h, mut l) = (0.0, 0.0);
    for (a, b) in terms {
        let (s, e) = dd::two_sum(h, a);
        h = s;
        l += e + b;
    }
    h + l
}

/// The cross-entropy of the logits `z` (at temperature `t`) against a
/// target distribution `q`: `-sum_i q_i log softmax(z / t)_i`, in nats.
///
/// Technique: the log-probabilities come from [`super::log_softmax`] (never
/// `ln` of a probability that may have underflowed); every term
/// `q_i * (-log p_i)` is non-negative, formed exactly with a two-product and
/// summed in double-double. Classes with `q_i = 0` contribute nothing.
///
/// # Errors
/// As [`super::log_softmax`] for `z` and `t` (so [`NumError::Overflow`] when
/// some `log p_i` is below `-f64::MAX`, even where `q_i = 0`);
/// [`NumError::NotAProbability`] when `q` is not a probability vector of the
/// same length.
pub fn soft_cross_entropy(z: &[f64], q: &[f64], t: f64) -> Result<f64, NumError> {
    validate(z, t)?;
    same_length(z, q)?;
    probability(q)?;
    let lp = super::log_softmax(z, t)?;
    let h = dd_sum(q.iter().zip(&lp).filter(|(qi, _)| **qi > 0.0).map(|(&qi, &l)| dd::two_prod_fma(qi, -l)));
    super::kernel::finite(h, "cross-entropy")
}

/// The Kullback-Leibler divergence `sum_i q_i ln(q_i / p_i)` of `p` from
/// `q`, in nats: the extra cost of coding `q` with `p`. Terms with
/// `q_i = 0` are 0.
///
/// Technique: each term is `q_i * ln(q_i / p_i)` (one rounding in the
/// ratio, so no cancellation between two large logarithms), summed in
/// double-double; the result is clamped at 0, which it can only miss by
/// rounding.
///
/// # Errors
/// [`NumError::NotAProbability`] when either is not a probability vector, the
/// lengths differ, or some `p_i = 0` where `q_i > 0` (the divergence is
/// infinite).
pub fn kl(q: &[f64], p: &[f64]) -> Result<f64, NumError> {
    probability(q)?;
    probability(p)?;
    same_length(q, p)?;
    if let Some(i) = (0..q.len()).find(|&i| q[i] > 0.0 && p[i] == 0.0) {
        return Err(NumError::NotAProbability(format!(
            "p gives class {i} probability 0 where q does not: the divergence is infinite"
        )));
    }
    let d = dd_sum(q.iter().zip(p).filter(|(qi, _)| **qi > 0.0).map(|(&qi, &pi)| dd::two_prod_fma(qi, (qi / pi).ln())));
    Ok(d.max(0.0))
}

/// The binary cross-entropy of one logit `x` against a target `y` in
/// `[0, 1]`: `-(y ln sigmoid(x) + (1 - y) ln(1 - sigmoid(x)))`, in nats.
///
/// Technique: the identity `max(x, 0) - x y + ln(1 + e^{-|x|})` (what
/// PyTorch's `BCEWithLogitsLoss` computes), with `ln_1p`: no sigmoid is
/// formed, so nothing rounds to 0 or 1 and no logarithm of 0 is taken.
///
/// # Errors
/// [`NumError::NonFinite`] for a non-finite logit,
/// [`NumError::NotAProbability`] for a target outside `[0, 1]`.
pub fn binary_cross_entropy(x: f64, y: f64) -> Result<f64, NumError> {
    if !x.is_finite() {
        return Err(NumError::NonFinite { index: 0, value: x });
    }
    if !(0.0..=1.0).contains(&y) {
        return Err(NumError::NotAProbability(format!("the target {y} is not in [0, 1]")));
    }
    let v = x.max(0.0) - x * y + (-x.abs()).exp().ln_1p();
    super::kernel::finite(v.max(0.0), "binary cross-entropy")
}

/// The indices of `p` from the most probable down (ties: lower index first).
fn by_probability(p: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
    order
}

/// Keeps the classes in `keep`, sets the rest to 0, and renormalises.
fn renormalised(p: &[f64], keep: &[usize]) -> Vec<f64> {
    let total = dd_sum(keep.iter().map(|&i| (p[i], 0.0)));
    let mut out = vec![0.0; p.len()];
    for &i in keep {
        out[i] = p[i] / total;
    }
    out
}

/// Top-k truncation of a probability vector: the `k` most probable classes
/// keep their probabilities, renormalised to sum to 1; the rest get 0.
///
/// # Errors
/// [`NumError::NotAProbability`] when `p` is not a probability vector.
pub fn top_k(p: &[f64], k: usize) -> Result<Vec<f64>, NumError> {
    probability(p)?;
    let order = by_probability(p);
    Ok(renormalised(p, &order[..k.clamp(1, p.len())]))
}

/// Top-p (nucleus) truncation: the smallest set of most probable classes
/// whose total reaches `top` (within `1e-12`, so that a total that is `top`
/// in decimal but a rounding below it in binary counts) keeps its
/// probabilities, renormalised; the rest get 0.
///
/// # Errors
/// [`NumError::NotAProbability`] when `p` is not a probability vector.
pub fn top_p(p: &[f64], top: f64) -> Result<Vec<f64>, NumError> {
    probability(p)?;
    let order = by_probability(p);
    let mut total = 0.0;
    let mut n = 0;
    for &i in &order {
        total += p[i];
        n += 1;
        if total >= top - 1e-12 {
            break;
        }
    }
    Ok(renormalised(p, &order[..n]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn near(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol, "{a} vs {b}");
    }

    #[test]
    fn soft_cross_entropy_of_a_one_hot_target_is_the_cross_entropy() {
        let z = [2.0, 1.0, 0.5];
        for y in 0..3 {
            let mut q = [0.0; 3];
            q[y] = 1.0;
            assert_eq!(
                soft_cross_entropy(&z, &q, 1.0).unwrap(),
                super::super::cross_entropy(&z, y as i64, 1.0).unwrap()
            );
        }
        // Far-apart logits: a log-probability of -800 stays finite.
        near(soft_cross_entropy(&[800.0, 0.0, -50.0], &[0.5, 0.5, 0.0], 1.0).unwrap(), 400.0, 1e-12);
        assert!(soft_cross_entropy(&z, &[0.5, 0.5], 1.0).is_err());
        assert!(soft_cross_entropy(&z, &[0.5, 0.6, -0.1], 1.0).is_err());
    }

    #[test]
    fn kl_is_zero_only_for_equal_distributions_and_never_negative() {
        assert_eq!(kl(&[0.2, 0.3, 0.5], &[0.2, 0.3, 0.5]).unwrap(), 0.0);
        // KL = H(q, p) - H(q).
        let (q, p): ([f64; 3], [f64; 3]) = ([0.7, 0.2, 0.1], [0.5, 0.3, 0.2]);
        let h_qp: f64 = -q.iter().zip(&p).map(|(a, b)| a * b.ln()).sum::<f64>();
        near(kl(&q, &p).unwrap(), h_qp - super::super::entropy(&q).unwrap(), 1e-15);
        near(kl(&[1.0, 0.0], &[0.5, 0.5]).unwrap(), std::f64::consts::LN_2, 1e-16);
        assert!(kl(&[0.5, 0.5], &[1.0, 0.0]).is_err());
        assert!(kl(&[0.5, 0.5], &[1.0]).is_err());
    }

    #[test]
    fn binary_cross_entropy_is_softmax_cross_entropy_over_x_and_0() {
        for x in [-30.0, -2.0, -0.1, 0.0, 0.7, 3.0, 40.0] {
            let pos = super::super::cross_entropy(&[x, 0.0], 0, 1.0).unwrap();
            let neg = super::super::cross_entropy(&[x, 0.0], 1, 1.0).unwrap();
            near(binary_cross_entropy(x, 1.0).unwrap(), pos, 1e-15 * pos.max(1.0));
            near(binary_cross_entropy(x, 0.0).unwrap(), neg, 1e-15 * neg.max(1.0));
        }
        // A logit of 800 for a negative example costs 800 nats, not infinity.
        near(binary_cross_entropy(800.0, 0.0).unwrap(), 800.0, 0.0);
        assert!(binary_cross_entropy(0.0, 1.5).is_err());
    }

    #[test]
    fn truncations_keep_the_most_probable_and_renormalise() {
        let p = [0.1, 0.5, 0.25, 0.15];
        assert_eq!(top_k(&p, 2).unwrap(), vec![0.0, 0.5 / 0.75, 0.25 / 0.75, 0.0]);
        assert_eq!(top_k(&p, 9).unwrap(), p.to_vec());
        assert_eq!(top_p(&p, 0.75).unwrap(), top_k(&p, 2).unwrap());
        assert_eq!(top_p(&p, 0.76).unwrap(), top_k(&p, 3).unwrap());
        assert_eq!(top_p(&p, 1.0).unwrap(), p.to_vec());
        assert!(top_k(&[0.5, 0.6], 1).is_err());
    }

    /// Held to the accuracy corpus: against a one-hot target the soft
    /// cross-entropy is the (correctly rounded) cross-entropy, bit for bit;
    /// against the model's own softmax it is the entropy, to 1e-13 relative.
    #[test]
    fn soft_cross_entropy_on_the_accuracy_corpus() {
        let corpus = crate::numeric::accuracy::default_corpus_dir().join("corpus.jsonl");
        let cases = crate::numeric::accuracy::read_cases(&corpus).expect("the corpus");
        let mut checked = 0;
        // Cases whose log-probabilities overflow f64 are refused, as by
        // `log_softmax`.
        let fits = |c: &&crate::numeric::accuracy::Case| super::super::log_softmax(&c.z, c.t).is_ok();
        for c in cases.iter().filter(|c| c.truth.is_some() && c.z.len() <= 4096).filter(fits) {
            let truth = c.truth.as_ref().expect("truth");
            if let Some(y) = c.y {
                let mut q = vec![0.0; c.z.len()];
                q[y as usize] = 1.0;
                assert_eq!(soft_cross_entropy(&c.z, &q, c.t).expect("finite"), truth.ce, "{}", c.id);
            }
            let p = super::super::softmax(&c.z, c.t).expect("softmax");
            let h = soft_cross_entropy(&c.z, &p, c.t)
                .unwrap_or_else(|e| panic!("{}: {e} {:?} {}", c.id, &c.z[..c.z.len().min(4)], c.t));
            assert!((h - truth.h).abs() <= 1e-13 * truth.h + 1e-300, "{}: {h} vs {}", c.id, truth.h);
            checked += 1;
        }
        assert!(checked > 1000, "{checked} cases");
    }
}
