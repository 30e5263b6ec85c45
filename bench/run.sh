#!/usr/bin/env bash
# Reproduces every figure in BENCHMARKS.md with one command:
#
#     bash bench/run.sh
#
# Environment: RUNS (timed rounds, default 31), CARGO_TARGET_DIR (default
# ./target), MDBOOK (a stock mdBook 0.5.4 CLI; installed into the target dir
# with `cargo install` if absent). Instruction counts need valgrind (installed
# with apt-get when run as root; skipped otherwise). Not part of
# tests/run.sh: nothing here asserts, it measures and prints.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case $CARGO_TARGET_DIR in /*) ;; *) CARGO_TARGET_DIR=$ROOT/$CARGO_TARGET_DIR ;; esac
RUNS=${RUNS:-31}
OUT=$CARGO_TARGET_DIR/bench
RESULTS=$OUT/results.txt

say() { printf '%s\n' "$*" | tee -a "$RESULTS" >&2; }
step() { say ""; say "== $*"; }

# --- tools -----------------------------------------------------------------
if [ -z "${MDBOOK:-}" ]; then
    if command -v mdbook >/dev/null && mdbook --version | grep -q 'v0\.5\.4$'; then
        MDBOOK=$(command -v mdbook)
    else
        MDBOOK=$CARGO_TARGET_DIR/mdbook-cli/bin/mdbook
        [ -x "$MDBOOK" ] || cargo install mdbook --version 0.5.4 --locked --root "$CARGO_TARGET_DIR/mdbook-cli"
    fi
fi
if ! command -v valgrind >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y valgrind >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y valgrind >/dev/null 2>&1; } || true
fi
cargo build --release --locked -p mdbook-lemma --bins --examples
BIN=$CARGO_TARGET_DIR/release/mdbook-lemma
EX=$CARGO_TARGET_DIR/release/examples

rm -rf "$OUT"
mkdir -p "$OUT"
: >"$RESULTS"
say "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "mdBook: $("$MDBOOK" --version) at $MDBOOK; rustc: $(rustc --version)"

# --- books -----------------------------------------------------------------
step "synthetic books (genbook)"
"$EX/genbook" "$OUT/rust" --chapters 111 --paragraphs 24 --command "$BIN" 2>&1 | tee -a "$RESULTS"
"$EX/genbook" "$OUT/rust10" --chapters 1110 --paragraphs 24 --command "$BIN" 2>&1 | tee -a "$RESULTS"
"$EX/genbook" "$OUT/dense1k" --dense 1000 2>&1 | tee -a "$RESULTS"
"$EX/genbook" "$OUT/dense10k" --dense 10000 2>&1 | tee -a "$RESULTS"
# The same lemma book started three ways: the binary itself (above), through
# tools/mdbook-lemma, and through `cargo run` as book.toml once did.
with_command() { # BOOK_DIR NEW_DIR COMMAND
    cp -r "$1" "$2"
    local esc=${3//\"/\\\"}
    sed -i "s|^command = .*|command = \"${esc//|/\\|}\"|" "$2/book.toml"
}
CARGO_RUN="cargo run --quiet --release --locked --manifest-path $ROOT/Cargo.toml -p mdbook-lemma --"
with_command "$OUT/rust/lemma" "$OUT/rust/lemma-wrapper" "$ROOT/tools/mdbook-lemma"
# The expanded book with a preprocessor that only passes the book through:
# what the JSON round trip alone costs, read the way mdBook's own
# `parse_input` reads (eager) and the way mdbook-lemma reads (lazy).
with_pass() { # NEW_DIR COMMAND
    cp -r "$OUT/rust/expanded" "$1"
    printf '\n[preprocessor.pass]\ncommand = "%s"\nrenderers = ["html"]\n' "$2" >>"$1/book.toml"
}
with_pass "$OUT/rust/pass-eager" "env PASSTHROUGH_EAGER=1 $EX/passthrough"
with_pass "$OUT/rust/pass-lazy" "$EX/passthrough"
# The expanded book built in-process by mdbook-lemma, whose lemma pass then
# finds no forms (its numbers are output, so they are allowed unchecked).
cp -r "$OUT/rust/expanded" "$OUT/rust/expanded-inproc"
printf '\n[preprocessor.lemma]\nafter = ["links"]\nunchecked-numbers = "allow"\n' >>"$OUT/rust/expanded-inproc/book.toml"
with_command "$OUT/rust/lemma" "$OUT/rust/lemma-cargo" "$CARGO_RUN"
# This repository's own book, and its expanded twin.
mkdir -p "$OUT/repo/lemma"
cp -r "$ROOT/book.toml" "$ROOT/src" "$ROOT/theme" "$OUT/repo/lemma/"
sed -i "s|^command = .*|command = \"$BIN\"|" "$OUT/repo/lemma/book.toml"
with_command "$OUT/repo/lemma" "$OUT/repo/lemma-wrapper" "$ROOT/tools/mdbook-lemma"
with_command "$OUT/repo/lemma" "$OUT/repo/lemma-cargo" "$CARGO_RUN"
"$EX/genbook" "$OUT/repo/expanded" --expand "$ROOT" 2>&1 | tee -a "$RESULTS"

# --- instruction counts ------------------------------------------------------
# Repeatable whatever the load: the preprocessor's own work, and whole builds
# (mdBook plus the preprocessor process it starts).
instructions() { # COMMAND... ; prints the total over all processes
    valgrind --tool=callgrind --dump-instr=no --trace-children=yes --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
        | awk '/I *refs:/ { gsub(",", "", $NF); s += $NF } END { print s }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
if command -v valgrind >/dev/null; then
    step "instructions (callgrind)"
    a=$(instructions "$EX/pipeline" "$OUT/dense1k/dense.md")
    b=$(instructions "$EX/pipeline" "$OUT/dense10k/dense.md")
    say "pipeline, one chapter of 1,000 forms:   $a"
    say "pipeline, one chapter of 10,000 forms:  $b   ($(ratio "$b" "$a")x for 10x the forms)"
    a=$(instructions "$EX/pipeline" "$OUT"/rust/lemma/src/chapter-*.md)
    b=$(instructions "$EX/pipeline" "$OUT"/rust10/lemma/src/chapter-*.md)
    say "pipeline, 111-chapter book:             $a"
    say "pipeline, 1110-chapter book:            $b   ($(ratio "$b" "$a")x for 10x the forms)"
    (
        cd "$OUT/rust"
        a=$(instructions "$MDBOOK" build expanded)
        b=$(instructions "$MDBOOK" build lemma)
        p=$(instructions "$MDBOOK" build pass-lazy)
        e=$(instructions "$BIN" build expanded-inproc)
        c=$(instructions "$BIN" build lemma)
        d=$(instructions "$BIN" check lemma)
        say "mdbook build, expanded book:            $a"
        say "mdbook build, lemma book (preprocessor): $b   ($(ratio "$b" "$a")x the expanded build)"
        say "mdbook build, expanded + pass-through:  $p   ($(ratio "$p" "$a")x)"
        say "mdbook-lemma build, expanded book:      $e   ($(ratio "$e" "$a")x)"
        say "mdbook-lemma build, lemma book:         $c   ($(ratio "$c" "$a")x; $(ratio "$c" "$e")x the line above)"
        say "mdbook-lemma check:                     $d   ($(ratio "$d" "$b")x the mdbook build with lemma)"
    )
else
    say "(valgrind not found: instruction counts skipped)"
fi

# --- wall-clock, interleaved ---------------------------------------------------
T="$EX/timecmp --runs $RUNS --warmup 2"
step "full build of the synthetic book (wall-clock, load average $(cut -d' ' -f1-3 /proc/loadavg))"
(cd "$OUT/rust" && $T \
    "mdbook, expanded" "$MDBOOK build expanded" \
    "mdbook + lemma binary" "$MDBOOK build lemma" \
    "mdbook + tools/mdbook-lemma" "$MDBOOK build lemma-wrapper" \
    "mdbook, expanded + pass-through (eager)" "$MDBOOK build pass-eager" \
    "mdbook, expanded + pass-through (lazy)" "$MDBOOK build pass-lazy" \
    "mdbook + cargo run" "$MDBOOK build lemma-cargo" \
    "mdbook-lemma build, expanded" "$BIN build expanded-inproc" \
    "mdbook-lemma build" "$BIN build lemma" \
    "mdbook-lemma check" "$BIN check lemma") 2>&1 | tee -a "$RESULTS"
# A rebuild as `mdbook serve` does it: serve sets
# output.html.live-reload-endpoint before every build (which is also what
# tells lemma to keep processed chapters between runs, preprocessor/src/cache.rs),
# and a save changes one chapter's text. The serve-* copies carry that
# setting; each round appends a space to one chapter of every copy.
serve_copy() { # FROM TO
    rm -rf "$2"
    cp -r "$1" "$2"
    if grep -q '^\[output.html\]$' "$2/book.toml"; then
        sed -i 's|^\[output.html\]$|[output.html]\nlive-reload-endpoint = "__livereload"|' "$2/book.toml"
    else
        printf '\n[output.html]\nlive-reload-endpoint = "__livereload"\n' >>"$2/book.toml"
    fi
}
export XDG_CACHE_HOME="$OUT/cache" # lemma keeps chapters in $XDG_CACHE_HOME/mdbook-lemma/<book>
for b in expanded lemma-wrapper lemma-cargo; do serve_copy "$OUT/rust/$b" "$OUT/rust/serve-$b"; done
for b in expanded lemma lemma-wrapper lemma-cargo; do serve_copy "$OUT/repo/$b" "$OUT/repo/serve-$b"; done
step "rebuild of the synthetic book after a chapter is saved, as mdbook serve does"
(cd "$OUT/rust" && $T --prepare "for d in serve-expanded serve-lemma-wrapper serve-lemma-cargo; do printf ' ' >>\$d/src/chapter-0050.md; done" \
    "mdbook, expanded" "$MDBOOK build serve-expanded" \
    "mdbook + tools/mdbook-lemma" "$MDBOOK build serve-lemma-wrapper" \
    "mdbook + cargo run" "$MDBOOK build serve-lemma-cargo") 2>&1 | tee -a "$RESULTS"
step "rebuild of this repository's book after a chapter is saved, as mdbook serve does"
(cd "$OUT/repo" && $T --prepare "for d in serve-expanded serve-lemma serve-lemma-wrapper serve-lemma-cargo; do printf ' ' >>\$d/src/softmax.md; done" \
    "mdbook, expanded" "$MDBOOK build serve-expanded" \
    "mdbook + lemma binary" "$MDBOOK build serve-lemma" \
    "mdbook + tools/mdbook-lemma" "$MDBOOK build serve-lemma-wrapper" \
    "mdbook + cargo run" "$MDBOOK build serve-lemma-cargo") 2>&1 | tee -a "$RESULTS"
step "the preprocessor's own work, in-process (wall-clock)"
"$EX/pipeline" --repeat 20 "$OUT/dense1k/dense.md" 2>&1 | tee -a "$RESULTS"
"$EX/pipeline" --repeat 2 "$OUT/dense10k/dense.md" 2>&1 | tee -a "$RESULTS"
say ""
say "all results: $RESULTS"
