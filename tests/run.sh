#!/usr/bin/env bash
# The one test command (README, .ci/run): lints, unit and whole-book tests,
# and a build of the book itself. Needs only the Rust toolchain; anything
# else it needs, it installs.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

# The Python samples (`check --run-code`, tests/runcode.rs and the book's
# own samples) run against Debian's NumPy and PyTorch (CPU), importable from
# /usr/bin/python3 (not necessarily the python3 first on PATH).
step "python3-numpy and python3-torch for the code samples"
if ! /usr/bin/python3 -c 'import numpy, torch' >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "tests/run.sh: /usr/bin/python3 cannot import numpy and torch (apt-get install python3-numpy python3-torch)" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-numpy python3-torch >/dev/null
    apt_updated=1
fi

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
node --test tests/browser/selfcheck.test.mjs tests/browser/widgets.test.mjs tests/browser/plots.test.mjs
