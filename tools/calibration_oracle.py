#!/usr/bin/env python3
"""Writes tests/data/calibration/oracle.jsonl: calibration results computed
independently of the Rust core, for numeric/calibration.rs to be measured
against (preprocessor/tests/calibration_accuracy.rs, and the example
`cargo run --release --example accuracy -- --calibration`).

Each line is one case: {"id", "kind", "cols", "z" (row-major logits),
"y" (labels), "T", "bins", "nll", "ece", "mce", "fit_T"}. The results are
the exact values correctly rounded to doubles:

- nll: mpmath at 60 digits, mean over rows of logsumexp(z/T) - z_y/T
  (as log1p(sum of the other terms) - (z_y - z_max)/T);
- ece, mce: exact rational arithmetic (fractions) on the confidences, each
  the largest softmax probability computed at 60 digits and correctly
  rounded to a double (the confidences the core reports and bins), binned
  exactly into ((m-1)/M, m/M] (0 into the first bin);
- fit_T: the root of sum_i (E_p[z_i] - z_{i,y_i}) in T, by mpmath's
  findroot (Anderson-Bjorck, bracketed) at 60 digits; null when no finite
  minimiser exists.

Rounding to a double goes through fractions.Fraction, whose float() is
correctly rounded. Needs mpmath (Debian's python3-mpmath); deterministic
(seeded). Run from the repository root: python3 tools/calibration_oracle.py
"""

import json
import math
import random
from fractions import Fraction

from mpmath import mp, mpf, exp, findroot

mp.dps = 60


def to_double(x):
    """The double nearest to the mpf x (ties to even), exactly."""
    m, e = x.man_exp if hasattr(x, "man_exp") else (None, None)
    f = Fraction(int(m)) * (Fraction(2) ** int(e))
    return float(f)


def rows_of(z, cols):
    return [z[i:i + cols] for i in range(0, len(z), cols)]


def first_max(row):
    k = 0
    for j, x in enumerate(row):
        if x > row[k]:
            k = j
    return k


def nll(rows, y, T):
    """Each row's loss as log1p(S) - d_y, with S the sum over the classes
    but the (first) largest of exp(d_j), d_j = (z_j - z_max)/T: log(1 + S)
    would lose an S below 1e-60 to the working precision."""
    T = mpf(T)
    total = mpf(0)
    for row, k in zip(rows, y):
        top = first_max(row)
        m = mpf(row[top])
        s = mp.fsum(exp((mpf(x) - m) / T) for j, x in enumerate(row) if j != top)
        total += mp.log1p(s) - (mpf(row[k]) - m) / T
    return total / len(rows)


def confidences(rows, T):
    T = mpf(T)
    out = []
    for row in rows:
        m = max(row)
        s = mp.fsum(exp((mpf(x) - m) / T) for x in row)
        out.append(to_double(1 / s))
    return out


def bins_of(conf, correct, M):
    count = [0] * M
    gap = [Fraction(0)] * M
    for c, r in zip(conf, correct):
        fc = Fraction(c)
        m = max(1, math.ceil(fc * M))
        count[m - 1] += 1
        gap[m - 1] += Fraction(r) - fc
    return count, gap


def ece_mce(rows, y, T, M):
    conf = confidences(rows, T)
    correct = [1 if first_max(r) == k else 0 for r, k in zip(rows, y)]
    count, gap = bins_of(conf, correct, M)
    n = len(rows)
    ece = sum(abs(g) for g in gap) / n
    mce = max((abs(g) / c for g, c in zip(gap, count) if c > 0), default=Fraction(0))
    return float(ece), float(mce)


def slope(rows, y, T):
    T = mpf(T)
    g = mpf(0)
    for row, k in zip(rows, y):
        m = max(row)
        w = [exp((mpf(x) - m) / T) for x in row]
        g += mp.fsum(wi * (mpf(x) - row[k]) for wi, x in zip(w, row)) / mp.fsum(w)
    return g


def fit(rows, y):
    at_zero = sum(Fraction(max(r)) - Fraction(r[k]) for r, k in zip(rows, y))
    at_inf = sum(sum(Fraction(x) for x in r) / len(r) - Fraction(r[k]) for r, k in zip(rows, y))
    if at_zero <= 0 or at_inf >= 0:
        return None
    lo = hi = mpf(1)
    if slope(rows, y, 1) > 0:
        while slope(rows, y, hi) > 0:
            hi *= 2
        lo = hi / 2
    else:
        while slope(rows, y, lo) < 0:
            lo /= 2
        hi = lo * 2
    t = findroot(lambda t: slope(rows, y, t), (lo, hi), solver="anderson", tol=mpf(10) ** -55)
    return to_double(t)


def case(cid, kind, z, cols, y, T, M):
    rows = rows_of(z, cols)
    e, m = ece_mce(rows, y, T, M)
    return {
        "id": cid,
        "kind": kind,
        "cols": cols,
        "z": z,
        "y": y,
        "T": T,
        "bins": M,
        "nll": to_double(nll(rows, y, T)),
        "ece": e,
        "mce": m,
        "fit_T": fit(rows, y),
    }


def classifier(rng, n, cols, scale, right=0.7):
    """Logits with a planted class per row; the label is it with
    probability `right`, else any class."""
    z, y = [], []
    for _ in range(n):
        k = rng.randrange(cols)
        row = [rng.gauss(0, 1) * scale for _ in range(cols)]
        row[k] += abs(rng.gauss(2, 1)) * scale
        z.extend(row)
        y.append(k if rng.random() < right else rng.randrange(cols))
    return z, y


def main():
    rng = random.Random(20170706)
    out = []
    n_id = 0

    def add(kind, z, cols, y, T, M=15):
        nonlocal n_id
        n_id += 1
        out.append(case(f"k{n_id:04d}", kind, z, cols, y, T, M))

    # Random classifiers: sizes, scales, temperatures, bin counts.
    for n, cols in [(1, 2), (5, 3), (40, 10), (200, 10), (60, 100)]:
        for scale in [0.1, 1.0, 5.0, 30.0]:
            z, y = classifier(rng, n, cols, scale)
            T = rng.choice([0.05, 0.5, 1.0, 1.7, 10.0])
            add("random", z, cols, y, T, rng.choice([15, 10, 1, 7]))
    # Small random classifiers of every kind of quality.
    for _ in range(60):
        n, cols = rng.randrange(2, 30), rng.randrange(2, 7)
        z, y = classifier(rng, n, cols, 10 ** rng.uniform(-2, 2), rng.uniform(0.2, 1.0))
        add("random-small", z, cols, y, 10 ** rng.uniform(-1, 1), rng.choice([15, 10, 3]))
    # Labels barely better than chance: the minimiser at a large T.
    z, y = classifier(rng, 100, 5, 1.0, 0.25)
    add("near-chance", z, 5, y, 1.0)
    # Many rows: the sums over rows.
    z, y = classifier(rng, 2000, 10, 2.0, 0.8)
    add("many-rows", z, 10, y, 1.0)
    # Ties: every row has two equal largest logits; labels at the second.
    z, y = [], []
    for _ in range(30):
        row = [rng.uniform(-1, 1) for _ in range(4)]
        top = max(row) + 1.0
        row[1] = row[3] = top
        z.extend(row)
        y.append(3 if rng.random() < 0.5 else 1)
    add("ties", z, 4, y, 1.0)
    # Equal logits: confidence exactly 1/4 on a bin boundary (bins=4, 8).
    z = [0.5] * 4 * 6 + [0.0, 1.0, 0.0, 0.0] * 6
    y = [0, 1, 2, 3, 0, 1] + [1, 0, 1, 1, 2, 1]
    add("boundary-equal", z, 4, y, 1.0, 4)
    add("boundary-equal", z, 4, y, 1.0, 8)
    # Confidences within an ulp or two of m/15: two classes with
    # d = ln(c / (1 - c)) for c = m/15, and its neighbours.
    z, y = [], []
    for m in range(8, 15):
        d = math.log(m / (15 - m))
        for dd in [d, math.nextafter(d, 0), math.nextafter(d, 9)]:
            z.extend([dd, 0.0])
            y.append(rng.randrange(2))
    add("boundary-ulp", z, 2, y, 1.0, 15)
    add("boundary-ulp", z, 2, y, 1.0, 5)
    # Large logits and extreme temperatures.
    for scale, T in [(1e3, 1.0), (1e3, 300.0), (1e5, 1e4), (1e-3, 1e-3), (1.0, 1e-3), (1.0, 1e3)]:
        z, y = classifier(rng, 50, 10, scale)
        add("extreme", z, 10, y, T)
    # Confidences that round to 1 and probabilities that underflow.
    z, y = classifier(rng, 40, 10, 60.0, 0.9)
    add("saturated", z, 10, y, 1.0)
    add("saturated", z, 10, y, 0.01)
    # Nearly every row right with a wide margin, one wrong: a sharp fit.
    z, y = classifier(rng, 300, 10, 8.0, 1.0)
    for i in range(300):
        row = z[i * 10:(i + 1) * 10]
        y[i] = row.index(max(row))
    y[0] = (y[0] + 1) % 10
    add("one-wrong", z, 10, y, 1.0)
    # Small NLL: tiny losses summed (relative accuracy of a small mean).
    z, y = classifier(rng, 100, 3, 20.0, 1.0)
    for i in range(100):
        row = z[i * 3:(i + 1) * 3]
        y[i] = row.index(max(row))
    add("tiny-loss", z, 3, y, 1.0)

    with open("tests/data/calibration/oracle.jsonl", "w") as f:
        for c in out:
            f.write(json.dumps(c) + "\n")
    print(f"{len(out)} cases")


if __name__ == "__main__":
    main()
