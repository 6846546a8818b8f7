#!/usr/bin/env bash
# Whole-process benchmark of redline on a corpus of cables, with baselines run in the same
# invocation so that figures can be read as ratios on a noisy machine.
#
#   scripts/bench-corpus.sh CORPUS        # a folder of *.txt (or of .tar.xz archives of them), or a .tar.xz
#   BASE=path/to/older/redline scripts/bench-corpus.sh CORPUS   # also time an older build
#
# Prints: throughput (MB/s) of `check --format json` with all built-in rules, with names off,
# and of `redact` (into a new folder, and again over the copies it wrote); the I/O floor (`rg` one literal) and a naive `rg -f` pattern list; hook
# latency (one typical cable, whole process; the same with a number that loads the
# numbering plan; 20 cables spread over the corpus); peak RSS; time at 1x, 4x, 16x the corpus;
# `check` and a verified `redact` of one line of 1 MB and of 4 MB (cost in a document's
# length); and the
# CPU time (user + system) of each corpus run beside the CPU time the throughput targets allow
# on this machine's cores.
# Runs that are compared (this build and $BASE) alternate, so that the machine's drift over
# minutes slows both alike (scripts/interleave.py).
# Needs: hyperfine and rg (Debian: apt-get install hyperfine ripgrep), GNU time, python3.
set -euo pipefail
src=${1:?usage: scripts/bench-corpus.sh CORPUS}
# The corpus as an absolute path: the script works from the repository's root.
src=$(cd "$(dirname "$src")" && pwd)/$(basename "$src")
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
bin=$PWD/target/release/redline
cargo build --release --quiet
for tool in hyperfine rg /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install hyperfine ripgrep time)" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/corpus.sh
. scripts/corpus.sh
unpack_corpus "$src" "$work/x1"
x1=$work/x1
bytes=$(find "$x1" -type f -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$x1" -type f -name '*.txt' | wc -l)
# 4x and 16x: hard links, so the extra copies cost no disk and read like the original.
for n in 4 16; do
  for i in $(seq 1 "$n"); do mkdir -p "$work/x$n/$i" && cp -al "$x1/." "$work/x$n/$i/"; done
done
# A typical cable: the median size.
typical=$(find "$x1" -type f -name '*.txt' -printf '%s %p\n' | sort -n | awk '{a[NR]=$2} END {print a[int((NR+1)/2)]}')
# The typical cable with one more number that neither its shape nor a cue word decides: a
# one-file run then loads the numbering-plan metadata (the phone detector's costliest step).
cat "$typical" > "$work/plan.txt"
printf '\n\nJane Roe, 506-2519-0156, or her deputy.\n' >> "$work/plan.txt"
# A spread of cables for hook latency: 20 evenly spaced in name order (what a cable holds,
# not its size, decides which lazily built patterns a one-file run compiles).
find "$x1" -type f -name '*.txt' | sort | awk -v n="$files" 'BEGIN {s = int(n / 20); if (s < 1) s = 1} (NR - 1) % s == 0' | head -20 > "$work/spread"

# Cost in a document's length: the corpus's text with its line breaks turned into spaces, cut
# to one line of 1 MB and one of 4 MB (a long line full of findings once cost time quadratic
# in its length; 3,112 of the corpus's cables are published one paragraph per line).
find "$x1" -type f -name '*.txt' | sort | xargs cat | tr '\n' ' ' > "$work/one-line"
head -c 1000000 "$work/one-line" > "$work/line1.txt"
head -c 4000000 "$work/one-line" > "$work/line4.txt"
rm -f "$work/one-line"

# The naive pattern list a 20-line regex script would use, for the rg -f baseline.
cat > "$work/naive.txt" <<'PAT'
\+?\d[\d\-. ()]{7,}\d
[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}
\b(UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|NOFORN|SIPDIS|EXDIS|NODIS)\b
\((U|C|S|SBU|TS)(//[A-Z]+)?\)
Classified By:.*
DECL: \S+
[a-z]+Q[a-z]+
\w+\?s\b
(Mr|Mrs|Ms|Dr|Ambassador|Minister|President)\.? [A-Z][a-z]+( [A-Z][a-z]+)*
PAT

median() { # hyperfine JSON -> "median-seconds cpu-seconds" (CPU: hyperfine's mean user + system)
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["median"], r["user"] + r["system"])' "$1"
}
bench() { # name, command...
  local name=$1; shift
  hyperfine --style none --warmup 1 --runs "$runs" --export-json "$work/$name.json" \
    --ignore-failure "$*" >/dev/null 2>&1
  median "$work/$name.json"
}
aside() { # output folder: a command that moves the last run's copies out of the way
  # Moved aside, not deleted: a file system that has just freed thousands of inodes allocates
  # new ones more slowly (ext4 skips recently freed ones), a cost a first run into a new
  # folder does not pay.
  mkdir -p "$work/aside"
  echo "if [ -e $1 ]; then mv $1 \$(mktemp -d -p $work/aside); fi"
}
pair() { # command A, command B (may be empty), [prepare A, prepare B]:
  # "wall-A cpu-A wall-B cpu-B B/A" (medians; B/A is the median of each round's wall-time
  # ratio), their runs interleaved so that the machine's drift slows both alike
  local args=("$runs")
  [ -n "${3:-}" ] && args+=(--prepare 1 "$3")
  [ -n "${4:-}" ] && args+=(--prepare 2 "$4")
  args+=("$1")
  [ -n "$2" ] && args+=("$2")
  python3 scripts/interleave.py "${args[@]}" | tr '\n' ' '
}
pair_quick() { # command A, command B: "wall-A cpu-A wall-B cpu-B B/A" as `pair` gives, for
  # short commands: started without a shell, ten times the runs
  python3 scripts/interleave.py $((runs * 10)) --no-shell "$1" "$2" | tr '\n' ' '
}
bench_quick() { # name, command...: a short command, timed without a shell, many runs
  local name=$1; shift
  hyperfine --style none -N --warmup 5 --runs $((runs * 10)) --export-json "$work/$name.json" \
    --ignore-failure "$*" >/dev/null 2>&1
  median "$work/$name.json"
}
rss() { # peak RSS in MB of one run
  /usr/bin/time -f '%M' "$@" >/dev/null 2>"$work/rss" || true
  awk 'END {printf "%.1f", $1/1024}' "$work/rss"
}
spread() { # bin: "median worst" of the per-cable median latencies (ms) over $work/spread
  local cmds=()
  while read -r f; do cmds+=("$1 check --fail-on never $f"); done < "$work/spread"
  hyperfine --style none -N --warmup 2 --runs $((runs * 2)) --export-json "$work/spread.json" \
    --ignore-failure "${cmds[@]}" >/dev/null 2>&1
  python3 -c 'import json,statistics,sys; m=[r["median"]*1000 for r in json.load(open(sys.argv[1]))["results"]]; print("%.1f %.1f" % (statistics.median(m), max(m)))' "$work/spread.json"
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.1f", b/1e6/s}'; }

check="$bin check --format json --fail-on never"
read -r t_rg c_rg <<< "$(bench rg "rg -c --no-ignore -F zzqqxxnotthere $x1")"
read -r t_rgf c_rgf <<< "$(bench rgf "rg -c --no-ignore -f $work/naive.txt $x1")"
base_check=""
[ -n "${BASE:-}" ] && base_check="$BASE check --format json --fail-on never $x1"
read -r t_all c_all t_base c_base r_base <<< "$(pair "$check $x1" "$base_check")"
read -r t_nonames c_nonames <<< "$(bench nonames "$check --disable person $x1")"
read -r t_1t c_1t <<< "$(bench onethread "$check --threads 1 $x1")"
read -r t_x4 c_x4 <<< "$(bench x4 "$check $work/x4")"
read -r t_x16 c_x16 <<< "$(bench x16 "$check $work/x16")"
read -r t_hook _ <<< "$(bench_quick hook "$bin check --fail-on never $typical")"
read -r t_plan _ <<< "$(bench_quick plan "$bin check --fail-on never $work/plan.txt")"
read -r s_med s_max <<< "$(spread "$bin")"
if [ -n "${BASE:-}" ]; then
  # The two builds' one-file runs, interleaved: a ratio a few minutes' drift cannot make.
  read -r _ _ _ _ r_hook <<< "$(pair_quick "$bin check --fail-on never $typical" "$BASE check --fail-on never $typical")"
  read -r t_base_plan _ <<< "$(bench_quick baseplan "$BASE check --fail-on never $work/plan.txt")"
  read -r sb_med sb_max <<< "$(spread "$BASE")"
fi
t_redact=""
if "$bin" redact --help >/dev/null 2>&1; then
  read -r t_redact c_redact <<< "$(pair "$bin redact --no-verify --out-dir $work/out $x1" "" "$(aside "$work/out")")"
  base_redact=""
  if [ -n "${BASE:-}" ] && "$BASE" redact --help >/dev/null 2>&1; then
    base_redact="$BASE redact --out-dir $work/basev $x1"
  fi
  read -r t_redact_v c_redact_v t_base_redact_v c_base_redact_v r_base_redact_v <<< "$(pair "$bin redact --out-dir $work/outv $x1" \
    "$base_redact" "$(aside "$work/outv")" "$(aside "$work/basev")")"
  # Again over the copies the last run left: what re-running over an archive costs.
  read -r t_redact_again c_redact_again t_base_redact_again c_base_redact_again r_base_redact_again <<< "$(pair "$bin redact --out-dir $work/outv $x1" "$base_redact")"
fi
read -r t_line1 _ <<< "$(bench line1 "$check $work/line1.txt")"
read -r t_line4 _ <<< "$(bench line4 "$check $work/line4.txt")"
if [ -n "$t_redact" ]; then
  read -r t_rline1 _ <<< "$(bench rline1 "$bin redact -o $work/rline1.txt $work/line1.txt")"
  read -r t_rline4 _ <<< "$(bench rline4 "$bin redact -o $work/rline4.txt $work/line4.txt")"
fi
m1=$(rss $check "$x1"); m16=$(rss $check "$work/x16")

echo "corpus: $files cables, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}') MB; $(nproc) cores; medians of $runs runs"
echo
echo "| measurement | time (s) | CPU (s) | MB/s | vs rg literal |"
echo "|---|---|---|---|---|"
row() { # name, wall seconds, CPU seconds
  echo "| $1 | $(printf '%.3f' "$2") | $(printf '%.2f' "$3") | $(mbps "$bytes" "$2") | $(awk -v a="$2" -v b="$t_rg" 'BEGIN {printf "%.1fx", a/b}') |"
}
row "rg one literal (I/O floor)" "$t_rg" "$c_rg"
row "rg -f naive pattern list" "$t_rgf" "$c_rgf"
row "redline check --format json, all rules" "$t_all" "$c_all"
row "redline check, names off (--disable person)" "$t_nonames" "$c_nonames"
row "redline check, 1 thread" "$t_1t" "$c_1t"
[ -n "$t_base" ] && row "older build (\$BASE) check --format json" "$t_base" "$c_base"
[ -n "$t_redact" ] && row "redline redact --out-dir, new folder (no verify)" "$t_redact" "$c_redact"
[ -n "$t_redact" ] && row "redline redact --out-dir, new folder (verified)" "$t_redact_v" "$c_redact_v"
[ -n "${t_base_redact_v:-}" ] && row "older build (\$BASE) redact, new folder (verified)" "$t_base_redact_v" "$c_base_redact_v"
[ -n "$t_redact" ] && row "redline redact again over its copies (verified)" "$t_redact_again" "$c_redact_again"
[ -n "${t_base_redact_again:-}" ] && row "older build (\$BASE) redact again (verified)" "$t_base_redact_again" "$c_base_redact_again"
echo
echo "| scale | time (s) | MB/s | time / 1x |"
echo "|---|---|---|---|"
for n in 1 4 16; do
  t=$t_all; [ "$n" = 4 ] && t=$t_x4; [ "$n" = 16 ] && t=$t_x16
  echo "| ${n}x | $(printf '%.3f' "$t") | $(mbps $((bytes * n)) "$t") | $(awk -v a="$t" -v b="$t_all" 'BEGIN {printf "%.2f", a/b}') |"
done
echo
echo "hook latency (one typical cable, $(stat -c %s "$typical") bytes, whole process): $(awk -v s="$t_hook" 'BEGIN {printf "%.1f", s*1000}') ms median"
echo "hook latency, the same cable plus a number only the numbering plan decides: $(awk -v s="$t_plan" 'BEGIN {printf "%.1f", s*1000}') ms median$([ -n "${t_base_plan:-}" ] && awk -v s="$t_base_plan" 'BEGIN {printf " (older build %.1f ms)", s*1000}')"
echo "hook latency over $(wc -l < "$work/spread") cables spread over the corpus (median of each): ${s_med} ms median, ${s_max} ms worst"
[ -n "$t_base" ] && echo "  older build: ${sb_med} ms median, ${sb_max} ms worst"
echo "per cable: $(awk -v s="$t_all" -v n="$files" 'BEGIN {printf "%.3f", s*1000/n}') ms (whole corpus run / cables)"
# The median of each round's ratio (the older build's wall time over this one's), steadier
# than the ratio of the two medians.
ratio() { awk -v r="$1" 'BEGIN {printf "%.2f", r}'; }
[ -n "$t_base" ] && echo "vs older build (median of the rounds' ratios): check $(ratio "$r_base")x faster, hook $(ratio "$r_hook")x faster on the typical cable"
[ -n "${t_base_redact_v:-}" ] && echo "vs older build (median of the rounds' ratios): verified redact $(ratio "$r_base_redact_v")x faster into a new folder, $(ratio "$r_base_redact_again")x again over its copies"
echo "names cost: check with names / without = $(awk -v a="$t_all" -v b="$t_nonames" 'BEGIN {printf "%.2f", a/b}')x"
# What the throughput targets allow, in CPU time over this corpus on this machine's cores.
cores=$(nproc)
echo "CPU time the targets allow on $cores cores: check at 150 MB/s $(awk -v b="$bytes" -v n="$cores" 'BEGIN {printf "%.2f", b/150e6*n}') s (uses $(printf '%.2f' "$c_all") s), redact at 100 MB/s $(awk -v b="$bytes" -v n="$cores" 'BEGIN {printf "%.2f", b/100e6*n}') s (uses $(printf '%.2f' "${c_redact_v:-0}") s verified)"
echo "peak RSS: ${m1} MB at 1x, ${m16} MB at 16x"
line() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f s at 1 MB, %.3f s at 4 MB (%.2fx)", a, b, b/a}'; }
echo "one line of corpus text, no line break: check $(line "$t_line1" "$t_line4")"
[ -n "$t_redact" ] && echo "  verified redact of it: $(line "$t_rline1" "$t_rline4")"
