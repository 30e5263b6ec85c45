#!/usr/bin/python3
"""Calibration figures of the committed logits, in plain Python (no NumPy).

    /usr/bin/python3 data/digits/summary.py [DIR]

Reads DIR/validation.csv and DIR/test.csv (default: beside this script) as
written, fits one temperature T on the validation split by minimising the
mean negative log-likelihood, and prints, for each split at T = 1 and at the
fitted T: accuracy, mean confidence, NLL (nats, mean per example) and ECE
with 15 equal-width bins. A cross-check for the book's own computation.

Conventions (the book's computation should use the same ones):
- prediction: the first index of the largest logit; confidence: its softmax
  probability, 1 / sum_j exp(z_j - max z);
- NLL: mean of logsumexp(z / T) - z_y / T;
- ECE (Guo et al. 2017, eq. 3): bins B_m = ((m-1)/15, m/15], m = 1..15 (a
  confidence of exactly m/15 falls in bin m), ECE = sum_m |B_m|/n *
  |acc(B_m) - conf(B_m)| over non-empty bins;
- T: with b = 1/T, d NLL/d b = mean_i (E_{softmax(b z_i)}[z_i] - z_{i,y_i}),
  which increases with b (the NLL is convex in b); its zero is found by
  bisection to machine precision.
"""

import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BINS = 15


def read(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split(",")
        assert header == ["label"] + [f"z{k}" for k in range(10)], header
        labels, logits = [], []
        for line in f:
            fields = line.rstrip("\n").split(",")
            labels.append(int(fields[0]))
            logits.append([float(v) for v in fields[1:]])
    return labels, logits


def probs(z, b):
    m = max(z)
    e = [math.exp(b * (v - m)) for v in z]
    s = math.fsum(e)
    return [v / s for v in e]


def nll(labels, logits, b):
    out = []
    for y, z in zip(labels, logits):
        m = max(z)
        lse = b * m + math.log(math.fsum(math.exp(b * (v - m)) for v in z))
        out.append(lse - b * z[y])
    return math.fsum(out) / len(out)


def dnll(labels, logits, b):
    """d NLL / d b, where b = 1/T."""
    out = []
    for y, z in zip(labels, logits):
        p = probs(z, b)
        out.append(math.fsum(pi * zi for pi, zi in zip(p, z)) - z[y])
    return math.fsum(out) / len(out)


def fit_temperature(labels, logits):
    lo, hi = 0.0, 1.0
    assert dnll(labels, logits, lo) < 0, "the logits rank the true class below average"
    while dnll(labels, logits, hi) < 0:
        lo, hi = hi, 2 * hi
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if dnll(labels, logits, mid) < 0:
            lo = mid
        else:
            hi = mid
    b = (lo + hi) / 2
    return 1 / b


def figures(labels, logits, T):
    b = 1 / T
    n = len(labels)
    correct, conf = [], []
    for y, z in zip(labels, logits):
        p = probs(z, b)
        k = max(range(len(z)), key=lambda j: (z[j], -j))  # first index of the max
        correct.append(1.0 if k == y else 0.0)
        conf.append(p[k])
    bins = [[] for _ in range(BINS)]
    for c, ok in zip(conf, correct):
        m = min(max(math.ceil(c * BINS) - 1, 0), BINS - 1)
        bins[m].append((c, ok))
    ece = math.fsum(
        abs(math.fsum(ok for _, ok in bn) - math.fsum(c for c, _ in bn)) / n for bn in bins if bn
    )
    return dict(
        accuracy=math.fsum(correct) / n,
        confidence=math.fsum(conf) / n,
        nll=nll(labels, logits, b),
        ece=ece,
    )


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else HERE
    val = read(os.path.join(d, "validation.csv"))
    test = read(os.path.join(d, "test.csv"))
    T = fit_temperature(*val)
    print(f"fitted on validation ({len(val[0])} examples) by NLL: T = {T:.6f}")
    print(f"{'split':<11} {'T':>9} {'accuracy':>9} {'mean conf':>10} {'NLL':>9} {'ECE(15)':>9}")
    for name, (labels, logits) in (("validation", val), ("test", test)):
        for t in (1.0, T):
            f = figures(labels, logits, t)
            print(
                f"{name:<11} {t:>9.6f} {f['accuracy']:>9.6f} {f['confidence']:>10.6f} "
                f"{f['nll']:>9.6f} {f['ece']:>9.6f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
