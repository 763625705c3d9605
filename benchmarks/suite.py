"""Wall and CPU time of the default test suite (issues 9 and 14: under 5 minutes on 2 cores).

    .venv/bin/python benchmarks/suite.py [pytest arguments, e.g. tests/test_workflow.py]

Runs ``pytest --durations=40 -q`` (the default markers) and prints the wall time, the CPU
seconds of pytest and every process it started (snakemake and its jobs included), and the
load average. On a shared machine the wall time measures the load; the CPU seconds do not:
on an idle 2-core machine the suite's wall time is about CPU / 1.7 (the workflow runs use both
cores, the in-process tests one).
"""

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--durations=40", "-q", "-p", "no:cacheprovider", *argv],
        cwd=REPO,
        check=False,
    )
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    print(
        f"wall {wall:.0f} s, CPU {cpu:.0f} s (idle 2-core estimate {cpu / 1.7:.0f} s), "
        f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
