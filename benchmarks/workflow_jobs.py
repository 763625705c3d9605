"""Where the wall time of a Snakemake run went: per rule, its jobs, wall seconds and core-seconds
(wall × threads), read from the run's log (``.snakemake/log/*.snakemake.log``, 1 s resolution).

    python benchmarks/workflow_jobs.py [LOG]      # default: the newest log of this directory

The core-seconds are what the scheduler allocated, whatever each job did with them; on a
machine of C cores a run that keeps every core busy lasts their sum / C. The benchmark files
(``results/benchmarks/``) are no substitute for the CPU side: Snakemake samples a job's CPU
time every 0.5 s for 30 samples, then every 30 s, and reports the last sample, so a job of
15–45 s reports about its first 15 s.
"""

from __future__ import annotations

import collections
import datetime
import re
import sys
from pathlib import Path

_STAMP = re.compile(r"^\[(\w{3} \w{3} +\d+ [\d:]+ \d{4})\]$")
_RULE = re.compile(r"^(?:local)?rule (\w+):")
_JOBID = re.compile(r"^\s+jobid: (\d+)")
_THREADS = re.compile(r"^\s+threads: (\d+)")
_FINISHED = re.compile(r"^Finished jobid: (\d+)")


def jobs(lines) -> list[dict]:
    """One dict per finished job: rule, threads, start and end (datetime)."""
    stamp, current, started, ended = None, None, {}, {}
    for line in lines:
        if m := _STAMP.match(line):
            stamp = datetime.datetime.strptime(m.group(1), "%a %b %d %H:%M:%S %Y")
        elif m := _RULE.match(line):
            current = {"rule": m.group(1), "threads": 1, "start": stamp}
        elif (m := _JOBID.match(line)) and current is not None:
            started[int(m.group(1))] = current
        elif (m := _THREADS.match(line)) and current is not None:
            current["threads"] = int(m.group(1))
        elif m := _FINISHED.match(line):
            ended[int(m.group(1))] = stamp
    return [{**job, "end": ended[j]} for j, job in started.items() if j in ended]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    logs = sorted(Path(".snakemake/log").glob("*.snakemake.log"))
    path = Path(argv[0]) if argv else logs[-1]
    finished = jobs(path.read_text().splitlines())
    if not finished:
        print(f"{path}: no finished jobs")
        return 1
    per_rule = collections.defaultdict(lambda: [0, 0.0, 0.0])
    for job in finished:
        wall = (job["end"] - job["start"]).total_seconds()
        row = per_rule[job["rule"]]
        row[0] += 1
        row[1] += wall
        row[2] += wall * job["threads"]
    span = max(j["end"] for j in finished) - min(j["start"] for j in finished)
    total = sum(row[2] for row in per_rule.values())
    print(f"{path}: {len(finished)} jobs, first start to last end {span.total_seconds():.0f} s")
    print(f"{'rule':32s} {'jobs':>5s} {'wall s':>8s} {'core-s':>8s}")
    for rule, (n, wall, core) in sorted(per_rule.items(), key=lambda kv: -kv[1][2]):
        print(f"{rule:32s} {n:5d} {wall:8.0f} {core:8.0f}")
    print(f"{'total':32s} {len(finished):5d} {'':8s} {total:8.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
