#!/usr/bin/env bash
# What a figure costs: build time added per `plot` statement and the bytes
# of one figure. Builds a one-chapter book with N copies of a figure (and
# with none) with the release binary, the median of R runs each; then
# measures the figures of the built book.
#   bash bench/plot.sh [N] [R]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
runs=${2:-7}
bin=target/release/mdbook-lemma
[ -x "$bin" ] || cargo build --release --locked -q -p mdbook-lemma
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A plots=(
  [bars]='plot bars(softmax(z), labels=labels, title="Shares", ylabel="probability")'
  [grouped]='plot bars(softmax(z, T=t), for=t, in=[0.1, 0.5, 1, 2, 5], labels=labels, title="Grouped")'
  [lines81x3]='plot lines(softmax(z, T=t), for=t, in=logspace(-1, 1, 81), xscale="log", labels=labels, title="Lines")'
  [lines100pts]='plot lines(-ln(q), for=q, in=linspace(0.01, 1, 100), points=softmax(z), notes=labels, title="Loss")'
)

book() { # dir, statement, count
  mkdir -p "$1/src"
  printf '[book]\ntitle = "bench"\n[preprocessor.lemma]\nafter = ["links"]\n' >"$1/book.toml"
  printf -- '- [c](c.md)\n' >"$1/src/SUMMARY.md"
  { printf '# c\n\n```lemma\nz = [2.0, 1.0, 0.5]\nlabels = ["cat", "dog", "fox"]\n```\n\n'
    for _ in $(seq "$3"); do printf '```lemma\n%s\n```\n\n' "$2"; done; } >"$1/src/c.md"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_build() { # dir -> median seconds
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "$bin" build "$1" >/dev/null 2>&1; e=$(date +%s.%N)
    echo "$e - $s" | bc -l
  done | median
}

book "$tmp/none" "" 0
base=$(time_build "$tmp/none")
printf 'empty book: %.1f ms (median of %s)\n' "$(echo "$base * 1000" | bc -l)" "$runs"
printf '%-12s %14s %14s %14s\n' figure "ms per plot" "figure bytes" "svg bytes"
for k in bars grouped lines81x3 lines100pts; do
  book "$tmp/$k" "${plots[$k]}" "$n"
  t=$(time_build "$tmp/$k")
  per=$(echo "($t - $base) * 1000 / $n" | bc -l)
  html="$tmp/$k/book/c.html"
  fig=$(python3 -c 'import re,sys; s=open(sys.argv[1]).read(); f=re.findall(r"<figure class=\"lemma-plot\">.*?</figure>", s, re.S); v=re.findall(r"<svg[^>]*role=\"img\".*?</svg>", s, re.S); print(len(f[0].encode()), len(v[0].encode()), len(f))' "$html")
  set -- $fig
  [ "$3" = "$n" ] || { echo "expected $n figures, found $3" >&2; exit 1; }
  printf '%-12s %14.3f %14s %14s\n' "$k" "$per" "$1" "$2"
done
