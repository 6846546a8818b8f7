#!/usr/bin/env python3
"""Time shell commands with their runs interleaved (A B A B ...), so that a machine whose
speed drifts from minute to minute slows each command alike and their ratio holds.

    scripts/interleave.py RUNS [--prepare K SHELL]... COMMAND...

Runs one untimed round, then RUNS timed rounds of every COMMAND in turn (output discarded,
failures ignored: a linter exits non-zero when it finds something). `--prepare K SHELL`
runs SHELL, untimed, before each run of the K-th command (from 1). Prints each command's
median wall-clock time in seconds, one a line, in the order given.
"""

import statistics
import subprocess
import sys
import time


def run(shell):
    subprocess.run(shell, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv):
    if len(argv) < 2 or not argv[0].isdigit():
        sys.exit(__doc__)
    runs = int(argv[0])
    prepare, commands = {}, []
    rest = argv[1:]
    while rest:
        if rest[0] == "--prepare" and len(rest) >= 3 and rest[1].isdigit():
            prepare[int(rest[1]) - 1] = rest[2]
            rest = rest[3:]
        else:
            commands.append(rest[0])
            rest = rest[1:]
    times = [[] for _ in commands]
    for round_ in range(runs + 1):
        for k, command in enumerate(commands):
            if k in prepare:
                run(prepare[k])
            start = time.perf_counter()
            run(command)
            if round_ > 0:
                times[k].append(time.perf_counter() - start)
    for t in times:
        print("%.4f" % statistics.median(t))


if __name__ == "__main__":
    main(sys.argv[1:])
