#!/usr/bin/env python3
"""Where a run's instructions a byte go at the margin, stage by stage.

    scripts/margin-stages.py LARGE.out SMALL.out LARGE_BYTES SMALL_BYTES [TOP]

LARGE.out and SMALL.out are valgrind cachegrind files (`--cache-sim=no`) of the same
command over two samples of a corpus, one larger than the other (every 10th and every 20th
cable: see scripts/bench-instructions.sh, which calls this with STAGES=1). Each function's
instructions in the smaller run are taken from those in the larger and divided by the
difference in bytes, which leaves out the work a run does once (loading rules, compiling
patterns), as the per-byte figures of bench-instructions.sh do.

A function's count is its own instructions and those of everything the compiler inlined
into it, so a stage is the functions of its modules plus the library code inlined there.
Prints a table of stages, then the TOP functions (default 25).
"""

import sys
from collections import Counter

# Stages, first match wins: a substring of the function's name, and the stage's name.
STAGES = [
    ("detect::names::", "names: person-name detector"),
    ("detect::phone::", "phone detector"),
    ("rlibphonenumber", "phone detector"),
    ("detect::garble::", "garble detectors"),
    ("scan::overlapping", "keyword automata (walk)"),
    ("aho_corasick", "keyword automata (library)"),
    ("regex_automata", "rules' patterns (regex)"),
    ("regex_syntax", "rules' patterns (regex)"),
    ("scan::forward", "rules' patterns (regex)"),
    ("rules::", "rules' patterns (regex)"),
    ("text::normalize", "normalised view"),
    ("text::view", "normalised view"),
    ("cable::", "cable structure"),
    ("report::", "report (JSON, lines)"),
    ("text::source", "report (JSON, lines)"),
    ("ordered::", "report (JSON, lines)"),
    ("itoa", "report (JSON, lines)"),
    ("BufWriter", "report (JSON, lines)"),
    ("scan::", "scanner (rest)"),
    ("memchr", "literal searches (memchr)"),
    ("__mem", "libc memcpy/memset/memcmp"),
    ("mi_", "allocator"),
    ("from_utf8", "UTF-8 checks"),
]


def counts(path):
    """Instructions per function in one cachegrind file."""
    per_fn = Counter()
    fn = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("fn="):
                fn = line[3:].rstrip("\n")
            elif line[:1].isdigit() and fn is not None:
                parts = line.split()
                if len(parts) >= 2:
                    per_fn[fn] += int(parts[1])
    return per_fn


def stage(name):
    for key, label in STAGES:
        if key in name:
            return label
    return "other"


def main(argv):
    if len(argv) not in (5, 6):
        sys.stderr.write(__doc__)
        return 2
    large, small = counts(argv[1]), counts(argv[2])
    extra = int(argv[3]) - int(argv[4])
    if extra <= 0:
        sys.stderr.write("the first sample must hold more bytes than the second\n")
        return 2
    top = int(argv[5]) if len(argv) == 6 else 25
    margin = {fn: large[fn] - small.get(fn, 0) for fn in large}
    total = sum(margin.values())
    by_stage = Counter()
    for fn, n in margin.items():
        by_stage[stage(fn)] += n
    print(f"per byte at the margin: {total / extra:.1f} instructions")
    print()
    print("| stage | per byte | share |")
    print("|---|---|---|")
    for label, n in by_stage.most_common():
        print(f"| {label} | {n / extra:.1f} | {100 * n / total:.1f}% |")
    print()
    print("| function (with what is inlined into it) | per byte |")
    print("|---|---|")
    for fn, n in sorted(margin.items(), key=lambda kv: -kv[1])[:top]:
        name = fn if len(fn) <= 110 else fn[:107] + "..."
        print(f"| `{name}` | {n / extra:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
