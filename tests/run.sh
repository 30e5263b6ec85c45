#!/usr/bin/env bash
# The one test command (README, .ci/run): lints, unit and whole-book tests,
# and a build of the book itself. Needs only the Rust toolchain; anything
# else it needs, it installs.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

# The Python samples (`check --run-code`, tests/runcode.rs and the book's
# own samples) run against Debian's NumPy and PyTorch (CPU), and the
# calibration data (data/digits/) are regenerated with Debian's scikit-learn,
# all importable from /usr/bin/python3 (not necessarily the python3 first on
# PATH).
step "python3-numpy, python3-torch and python3-sklearn"
pkgs=""
/usr/bin/python3 -c 'import numpy, torch' >/dev/null 2>&1 || pkgs="python3-numpy python3-torch"
/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || pkgs="$pkgs python3-sklearn"
if [ -n "$pkgs" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "tests/run.sh: /usr/bin/python3 cannot import numpy, torch or sklearn (apt-get install$pkgs)" >&2
        exit 1
    fi
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
    apt_updated=1
fi

# data/digits/make.py trains the calibration chapter's classifier again and
# compares its logits with the committed CSVs (labels exactly, logits within
# the tolerance stated in make.py and data/digits/README.md).
step "regenerate the calibration data (data/digits/make.py --check)"
/usr/bin/python3 data/digits/make.py --check

# The comparison must be able to fail: a copy with one logit moved by 2e-4
# (twice the tolerance) and one label changed must be rejected, naming both.
step "the calibration data check rejects a perturbed copy"
bad=$(mktemp -d)
trap 'rm -rf "$bad"' EXIT
cp data/digits/validation.csv "$bad/"
awk -F, -v OFS=, 'NR == 101 { $5 = sprintf("%.6f", $5 + 0.0002) } NR == 201 { $1 = ($1 + 1) % 10 } { print }' \
    data/digits/test.csv >"$bad/test.csv"
if /usr/bin/python3 data/digits/make.py --compare data/digits "$bad" 2>"$bad/err" >/dev/null; then
    echo "tests/run.sh: make.py --compare accepted a perturbed copy of data/digits/test.csv" >&2
    exit 1
fi
grep -q 'test.csv: row 100, column z3' "$bad/err" && grep -q 'test.csv: row 200, column label' "$bad/err" || {
    echo "tests/run.sh: make.py --compare rejected the perturbed copy without naming row 100, z3 and row 200, label:" >&2
    cat "$bad/err" >&2
    exit 1
}
echo "make.py --compare rejected the perturbed copy:" >&2
cat "$bad/err" >&2

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "cargo test"
cargo test --workspace --locked

step "run the book's Python samples (mdbook-lemma check --run-code)"
cargo run --locked --quiet -p mdbook-lemma -- check --run-code .

step "build the book (mdbook-lemma build)"
cargo run --locked --quiet -p mdbook-lemma -- build .

# Browser tests: Debian's chromium, driven by playwright-core (pinned in
# tests/browser/package-lock.json), on the fixture book tests/fixtures/widgets
# and the real book built above. Screenshots land in target/browser-artifacts/.
step "browser tests (headless chromium)"
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "tests/run.sh: missing Debian packages:$missing (apt-get install$missing)" >&2
        exit 1
    fi
    [ -n "${apt_updated:-}" ] || apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
rm -rf target/browser-book
mkdir -p target/browser-book/theme target/browser-artifacts
cp -R tests/fixtures/widgets/. target/browser-book/
cp theme/lemma-widget.js theme/lemma-widget.css target/browser-book/theme/
cargo run --locked --quiet -p mdbook-lemma -- build target/browser-book
cargo run --locked --quiet -p mdbook-lemma --example widget_golden >target/browser-book/golden.json
node --test tests/browser/selfcheck.test.mjs tests/browser/widgets.test.mjs tests/browser/plots.test.mjs tests/browser/calibration.test.mjs
