#!/usr/bin/env python3
"""Time shell commands with their runs interleaved (A B A B ...), so that a machine whose
speed drifts from minute to minute slows each command alike and their ratio holds.

    scripts/interleave.py RUNS [--no-shell] [--prepare K SHELL]... COMMAND...

Runs one untimed round, then RUNS timed rounds of every COMMAND in turn (output discarded,
failures ignored: a linter exits non-zero when it finds something). `--prepare K SHELL`
runs SHELL, untimed, before each run of the K-th command (from 1). `--no-shell` starts each
COMMAND itself, split into words as a shell would split them, for commands of a few
milliseconds whose shell's start-up would be a visible part of their time. Prints, one line per
command in the order given, its median wall-clock time and its median CPU time (user plus
system, of the command and every process it waited for), both in seconds; on the lines of
the second command on, a third figure: the median over the rounds of that command's wall
time over the first command's in the same round. Taken round by round, that ratio keeps
little of the drift that moves both medians (a ratio of the medians mixes rounds).
"""

import os
import shlex
import statistics
import subprocess
import sys
import time


def run(shell, no_shell=False):
    """Run `shell` (split into words and started itself with `no_shell`); its wall-clock and
    CPU seconds."""
    command = shlex.split(shell) if no_shell else shell
    start = time.perf_counter()
    child = subprocess.Popen(
        command, shell=not no_shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime


def main(argv):
    if len(argv) < 2 or not argv[0].isdigit():
        sys.exit(__doc__)
    runs = int(argv[0])
    prepare, commands = {}, []
    no_shell = False
    rest = argv[1:]
    while rest:
        if rest[0] == "--no-shell":
            no_shell = True
            rest = rest[1:]
        elif rest[0] == "--prepare" and len(rest) >= 3 and rest[1].isdigit():
            prepare[int(rest[1]) - 1] = rest[2]
            rest = rest[3:]
        else:
            commands.append(rest[0])
            rest = rest[1:]
    walls = [[] for _ in commands]
    cpus = [[] for _ in commands]
    for round_ in range(runs + 1):
        for k, command in enumerate(commands):
            if k in prepare:
                run(prepare[k])
            wall, cpu = run(command, no_shell)
            if round_ > 0:
                walls[k].append(wall)
                cpus[k].append(cpu)
    for k, (wall, cpu) in enumerate(zip(walls, cpus)):
        line = "%.4f %.4f" % (statistics.median(wall), statistics.median(cpu))
        if k > 0:
            line += " %.4f" % statistics.median(w / first for w, first in zip(wall, walls[0]))
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
