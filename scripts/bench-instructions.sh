#!/usr/bin/env bash
# Instruction counts of redline over samples of a corpus: figures that do not drift with the
# machine's hour, for changes of a few percent that timed runs cannot resolve here (see
# PERFORMANCE.md, "How we measure").
#
#   scripts/bench-instructions.sh CORPUS                             # this build
#   BASE=path/to/older/redline scripts/bench-instructions.sh CORPUS  # and an older one
#
# Counts the instructions (valgrind's cachegrind, no cache simulation; one thread) of
# `check --format json` with all built-in rules, of `check` with names off, and of a verified
# `redact` into a new folder, over every 10th and every 20th cable of the corpus in name
# order. Prints each count and the instructions per byte at the margin: the difference of
# the two counts over the difference of the two samples' bytes, which leaves out the work a
# run does once (loading rules, compiling patterns) and is what each further byte of a large
# corpus costs. With BASE, the older build's counts too, and this build's over them.
# With STAGES=1, also where this build's `check --format json` spends its instructions a
# byte at the margin, stage by stage and function by function (scripts/margin-stages.py).
# Needs: valgrind (Debian: apt-get install valgrind); python3 for STAGES=1.
set -euo pipefail
src=${1:?usage: scripts/bench-instructions.sh CORPUS}
# The corpus as an absolute path: the script works from the repository's root.
src=$(cd "$(dirname "$src")" && pwd)/$(basename "$src")
cd "$(dirname "$0")/.."
bin=$PWD/target/release/redline
cargo build --release --quiet
command -v valgrind >/dev/null || { echo "missing valgrind (apt-get install valgrind)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/corpus.sh
. scripts/corpus.sh
unpack_corpus "$src" "$work/all"
# Every 10th and every 20th cable in name order (byte order, whatever the locale), the
# first of each included; numbered so that cables of the same name in different folders
# stay apart and the sample keeps its order.
for step in 10 20; do
  mkdir -p "$work/s$step"
  find "$work/all" -type f -name '*.txt' | LC_ALL=C sort |
    awk -v s="$step" '(NR - 1) % s == 0' | {
      n=0
      while read -r f; do
        n=$((n + 1))
        to="$work/s$step/$(printf '%06d' "$n")-$(basename "$f")"
        ln "$f" "$to" 2>/dev/null || cp "$f" "$to"
      done
    }
done
bytes() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }
b10=$(bytes "$work/s10"); b20=$(bytes "$work/s20")
[ "$b10" -gt "$b20" ] || { echo "the corpus is too small for two samples" >&2; exit 2; }

count() { # command...: the instructions it executed (cachegrind's file to $OUT, if set)
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="${OUT:-/dev/null}" \
    --log-file="$work/valgrind.log" "$@" >/dev/null 2>&1 || true
  awk '/I +refs:/ {gsub(",", "", $NF); n = $NF} END {if (n == "") exit 1; print n}' "$work/valgrind.log" ||
    { echo "no count for: $*" >&2; exit 2; }
}
# The three runs of one build over one sample, as "check names-off redact".
counts() { # build, sample folder [, where to keep the check run's cachegrind file]
  local c n r
  c=$(OUT=${3:-} count "$1" check --no-config --format json --threads 1 --fail-on never "$2")
  n=$(count "$1" check --no-config --format json --threads 1 --fail-on never --disable person "$2")
  # A new folder each time (a name not yet taken): the copies are all written.
  r=$(count "$1" redact --no-config --threads 1 --out-dir "$(mktemp -u -p "$work" out.XXXXXX)" "$2")
  echo "$c $n $r"
}
stages=${STAGES:-}
read -r c10 n10 r10 <<< "$(counts "$bin" "$work/s10" "${stages:+$work/check10.out}")"
read -r c20 n20 r20 <<< "$(counts "$bin" "$work/s20" "${stages:+$work/check20.out}")"
if [ -n "${BASE:-}" ]; then
  read -r bc10 bn10 br10 <<< "$(counts "$BASE" "$work/s10")"
  read -r bc20 bn20 br20 <<< "$(counts "$BASE" "$work/s20")"
fi

files() { find "$1" -type f | wc -l; }
echo "samples: every 10th cable ($(files "$work/s10") files, $b10 bytes), every 20th ($(files "$work/s20") files, $b20 bytes); one thread"
echo
if [ -n "${BASE:-}" ]; then
  echo "| run | every 10th | every 20th | per byte at the margin | older build: every 10th | per byte | this / older (every 10th, margin) |"
  echo "|---|---|---|---|---|---|---|"
else
  echo "| run | every 10th | every 20th | per byte at the margin |"
  echo "|---|---|---|---|"
fi
millions() { awk -v n="$1" 'BEGIN {printf "%.1fM", n / 1e6}'; }
margin() { awk -v a="$1" -v b="$2" -v x="$b10" -v y="$b20" 'BEGIN {printf "%.1f", (a - b) / (x - y)}'; }
row() { # name, count over every 10th, over every 20th [, the older build's two]
  local line="| $1 | $(millions "$2") | $(millions "$3") | $(margin "$2" "$3") |"
  if [ -n "${4:-}" ]; then
    line="$line $(millions "$4") | $(margin "$4" "$5") | $(awk -v a="$2" -v b="$3" -v c="$4" -v d="$5" \
      'BEGIN {printf "%.4fx, %.4fx", a / c, (a - b) / (c - d)}') |"
  fi
  echo "$line"
}
row "check --format json, all rules" "$c10" "$c20" "${bc10:-}" "${bc20:-}"
row "check, names off (--disable person)" "$n10" "$n20" "${bn10:-}" "${bn20:-}"
row "redact, verified, new folder" "$r10" "$r20" "${br10:-}" "${br20:-}"
if [ -n "$stages" ]; then
  echo
  echo "where this build's check --format json spends them:"
  echo
  python3 scripts/margin-stages.py "$work/check10.out" "$work/check20.out" "$b10" "$b20"
fi
