#!/usr/bin/env bash
# The one test command (README, .ci/run): lints, unit and whole-book tests,
# and a build of the book itself. Needs only the Rust toolchain; anything
# else it needs, it installs.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "cargo test"
cargo test --workspace --locked

step "build the book (mdbook-lemma build)"
cargo run --locked --quiet -p mdbook-lemma -- build .
