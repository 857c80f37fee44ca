"""Times shell commands interleaved, for start-up comparisons (docs/benchmarks.md).

    python3 scripts/lib/interleave.py COMMANDS.tsv ROUNDS

COMMANDS.tsv has one `name<TAB>shell command` per line. Every round runs each command once, in
file order on even rounds and reversed on odd ones, so that a machine getting busier or quieter
during the run shifts every command alike (hyperfine runs one command's repetitions in a row).
The first two rounds are warm-up. Prints per command the median, mean, 10th and 90th percentile
of the wall time, and the median CPU time (user + system) of the command's processes.
A command that exits non-zero stops the run.
"""
import resource
import statistics
import subprocess
import sys
import time


def main(path, rounds):
    cmds = [line.rstrip("\n").split("\t", 1) for line in open(path) if line.strip()]
    wall = {name: [] for name, _ in cmds}
    cpu = {name: [] for name, _ in cmds}
    for r in range(rounds + 2):
        for name, cmd in (cmds if r % 2 == 0 else cmds[::-1]):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            took = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if r >= 2:
                wall[name].append(took)
                cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    for name, _ in cmds:
        v = sorted(wall[name])
        print(f"{name:32s} median {statistics.median(v) * 1000:6.0f} ms  mean {statistics.mean(v) * 1000:6.0f}"
              f"  p10 {v[len(v) // 10] * 1000:6.0f}  p90 {v[len(v) * 9 // 10] * 1000:6.0f}"
              f"  cpu median {statistics.median(cpu[name]) * 1000:6.0f} ms  n={len(v)}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]))
