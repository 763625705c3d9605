"""Threads under load: the same network run on 1 and 2 threads, first on an idle machine, then
while a busy-loop process keeps one core busy (what other jobs of a workflow do).

    python benchmarks/threads_under_load.py              # N = 1e5, 5 τ (5·10⁹ neuron-steps)
    python benchmarks/threads_under_load.py --t-end 1    # a shorter check

A 2-thread step waits at a barrier for both threads, so a core taken by another process
stalls it (issue 11: a run of 15 s took 1,120 s). network.simulate therefore times its blocks
and runs each on 2 threads or 1, whichever was faster (network.ThreadChooser); "2 threads,
fixed" switches that off. Target: under load, 2 threads (adaptive) ≤ 1.5 × 1 thread.
Start it on an otherwise idle machine with at least 2 cores.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from qifgap import kernels, network

BUSY = "while True: pass"


def run(N, t_end, threads, adaptive):
    network.ThreadChooser.ADAPTIVE = adaptive
    t0 = time.perf_counter()
    network.simulate(
        N=N, eta_bar=-5.0, delta=1.0, J=15.0, g=1.0, v_init=-2.0, t_end=t_end, threads=threads
    )
    return time.perf_counter() - t0


def measure(N, t_end):
    return {
        "1 thread": run(N, t_end, 1, True),
        "2 threads, adaptive": run(N, t_end, 2, True),
        "2 threads, fixed": run(N, t_end, 2, False),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--N", type=int, default=100_000)
    ap.add_argument("--t-end", type=float, default=5.0)
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}, numba threads: {kernels.numba.config.NUMBA_NUM_THREADS}, "
          f"threading layer: ", end="")  # fmt: skip
    kernels.warm_up()
    print(kernels.numba.threading_layer())
    idle = measure(args.N, args.t_end)
    busy = subprocess.Popen([sys.executable, "-c", BUSY])
    try:
        time.sleep(0.5)
        loaded = measure(args.N, args.t_end)
    finally:
        busy.kill()
        busy.wait()
    print(f"N = {args.N}, {args.t_end:g} τ, wall time in s")
    print(f"{'':>22} {'idle':>8} {'one core busy':>14}")
    for name in idle:
        print(f"{name:>22} {idle[name]:>8.2f} {loaded[name]:>14.2f}")
    one = loaded["1 thread"]
    for name in ("2 threads, adaptive", "2 threads, fixed"):
        print(f"under load, {name} / 1 thread: {loaded[name] / one:.2f}x")
    ratio = loaded["2 threads, adaptive"] / one
    print(f"target: 2 threads (adaptive) <= 1.5 x 1 thread under load -> "
          f"{'met' if ratio <= 1.5 else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
