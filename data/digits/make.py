#!/usr/bin/python3
"""Train an overconfident classifier on scikit-learn's digits and write its logits.

Usage (always with Debian's interpreter, /usr/bin/python3, which has
python3-numpy 1.24 and python3-sklearn 1.2):

    /usr/bin/python3 data/digits/make.py                 # rewrite the committed files
    /usr/bin/python3 data/digits/make.py --out DIR       # write them into DIR instead
    /usr/bin/python3 data/digits/make.py --check         # regenerate into a temp dir and
                                                         # compare with the committed files
    /usr/bin/python3 data/digits/make.py --compare REF NEW   # compare two directories only

Writes validation.csv, test.csv (header `label,z0,...,z9`, one row per
example: the true digit and the model's ten pre-softmax outputs, `%.6f`)
and VERSIONS. See README.md beside this file for the choices made.
"""

import os

# Single-threaded BLAS and OpenMP, set before NumPy is imported: a threaded
# reduction may sum in a different order from run to run.
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = ("validation.csv", "test.csv")
CLASSES = 10

# The split: 1797 images, stratified by digit into three parts of 599.
SPLIT_SEED = 0
N_TRAIN = 599
N_VALIDATION = 599  # the remaining 599 are the test set

# The model. No weight decay (alpha=0) and 10000 epochs of Adam on 599
# images: the training loss is driven towards zero long after the training
# set is classified perfectly, which grows the logits (and the confidence)
# without making the test predictions any better.
MODEL = dict(
    hidden_layer_sizes=(32,),
    activation="relu",
    solver="adam",
    alpha=0.0,
    batch_size=200,
    learning_rate_init=1e-3,
    max_iter=10000,
    tol=0.0,
    n_iter_no_change=10001,  # never stop early: always run max_iter epochs
    shuffle=True,
    random_state=0,
)

# --check: labels and header must match exactly; each logit within TOLERANCE
# (absolute). See README.md, "The regeneration check", for how it was chosen.
TOLERANCE = 1e-4

FMT = "%.6f"


def logits_of(model, X):
    """The pre-softmax outputs of a fitted MLPClassifier, computed from its
    weights with its own hidden activation (ReLU)."""
    assert model.activation == "relu" and model.out_activation_ == "softmax"
    a = X
    for i, (W, b) in enumerate(zip(model.coefs_, model.intercepts_)):
        a = a @ W + b
        if i < len(model.coefs_) - 1:
            a = np.maximum(a, 0.0)
    return a


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def versions():
    return (
        f"python {platform.python_version()}\n"
        f"numpy {np.__version__}\n"
        f"scikit-learn {sklearn.__version__}\n"
    )


def generate(out):
    digits = load_digits()  # bundled with scikit-learn: no download
    X = digits.data / 16.0  # pixel counts 0..16, scaled to [0, 1]
    y = digits.target
    assert X.shape == (1797, 64)

    X_train, X_rest, y_train, y_rest = train_test_split(
        X, y, train_size=N_TRAIN, stratify=y, random_state=SPLIT_SEED
    )
    X_val, X_test, y_val, y_test = train_test_split(
        X_rest, y_rest, train_size=N_VALIDATION, stratify=y_rest, random_state=SPLIT_SEED
    )

    model = MLPClassifier(**MODEL)
    with warnings.catch_warnings():
        # tol=0 means "did not converge" is always reported; it is intended.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train, y_train)
    assert list(model.classes_) == list(range(CLASSES))

    os.makedirs(out, exist_ok=True)
    for name, Xs, ys in (("validation.csv", X_val, y_val), ("test.csv", X_test, y_test)):
        z = logits_of(model, Xs)
        err = np.abs(softmax(z) - model.predict_proba(Xs)).max()
        assert err <= 1e-12, f"softmax of the logits differs from predict_proba by {err}"
        with open(os.path.join(out, name), "w", newline="\n") as f:
            f.write("label," + ",".join(f"z{k}" for k in range(CLASSES)) + "\n")
            for label, row in zip(ys, z):
                f.write(f"{int(label)}," + ",".join(FMT % v for v in row) + "\n")
    with open(os.path.join(out, "VERSIONS"), "w", newline="\n") as f:
        f.write(versions())
    print(
        f"make.py: wrote {', '.join(FILES)} and VERSIONS to {out} "
        f"(train {len(y_train)}, validation {len(y_val)}, test {len(y_test)}; "
        f"training accuracy {model.score(X_train, y_train):.4f}, {model.n_iter_} epochs)"
    )


def read_csv(path):
    with open(path) as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def compare(ref_dir, new_dir, tol=TOLERANCE):
    """Compare the CSVs in ref_dir (the committed ones) with new_dir. Returns
    a list of problems; prints the largest logit difference of each file."""
    problems = []
    for name in FILES:
        ref_path, new_path = os.path.join(ref_dir, name), os.path.join(new_dir, name)
        try:
            ref, new = read_csv(ref_path), read_csv(new_path)
        except OSError as e:
            problems.append(f"{name}: cannot read: {e}")
            continue
        if not ref or not new or ref[0] != new[0]:
            problems.append(
                f"{name}: header differs: committed {ref[0] if ref else '(empty)'!r}, "
                f"regenerated {new[0] if new else '(empty)'!r}"
            )
            continue
        header = ref[0].split(",")
        if len(ref) != len(new):
            problems.append(f"{name}: {len(ref) - 1} rows committed, {len(new) - 1} regenerated")
        worst = (0.0, None)
        for i, (a, b) in enumerate(zip(ref[1:], new[1:]), start=1):
            fa, fb = a.split(","), b.split(",")
            if len(fa) != len(header) or len(fb) != len(header):
                problems.append(
                    f"{name}: row {i}: {len(fa)} fields committed, {len(fb)} regenerated, "
                    f"{len(header)} expected"
                )
                continue
            if fa[0] != fb[0]:
                problems.append(f"{name}: row {i}, column label: committed {fa[0]}, regenerated {fb[0]}")
            for col, va, vb in zip(header[1:], fa[1:], fb[1:]):
                try:
                    d = abs(float(va) - float(vb))
                except ValueError:
                    problems.append(f"{name}: row {i}, column {col}: not a number: {va!r} / {vb!r}")
                    continue
                if not d <= tol:  # also catches NaN
                    problems.append(
                        f"{name}: row {i}, column {col}: committed {va}, regenerated {vb}, "
                        f"|difference| {d:.3g} > tolerance {tol:g}"
                    )
                if d > worst[0]:
                    worst = (d, f"row {i}, column {col}")
        where = f" (at {worst[1]})" if worst[1] else ""
        print(f"make.py: {name}: {len(new) - 1} rows, largest |logit difference| {worst[0]:.3g}{where}")
    return problems


def report(problems):
    if problems:
        shown = problems[:20]
        more = len(problems) - len(shown)
        print("make.py: regenerated data differ from the committed files:", file=sys.stderr)
        for p in shown:
            print("  " + p, file=sys.stderr)
        if more:
            print(f"  ... and {more} more", file=sys.stderr)
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--out", default=HERE, help="directory to write into (default: beside this script)")
    g.add_argument("--check", action="store_true", help="regenerate into a temp dir and compare with the committed files")
    g.add_argument("--compare", nargs=2, metavar=("REF", "NEW"), help="compare the CSVs of two directories")
    args = ap.parse_args()

    if args.compare:
        return report(compare(*args.compare))
    if args.check:
        tmp = tempfile.mkdtemp(prefix="digits-check-")
        try:
            generate(tmp)
            with open(os.path.join(HERE, "VERSIONS")) as f:
                committed = f.read()
            if committed != versions():
                print(
                    "make.py: note: versions differ from the committed VERSIONS "
                    f"(committed: {committed.strip()!r}; here: {versions().strip()!r})",
                    file=sys.stderr,
                )
            status = report(compare(HERE, tmp))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if status == 0:
            print(f"make.py: the committed data regenerate within {TOLERANCE:g}")
        return status
    generate(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
