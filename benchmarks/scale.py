"""Scale: a network of N = 10⁶ for 100 τ at dt = 10⁻⁴ on 2 threads, its wall time and peak
memory, against the same run at N = 10⁵ (the baseline, measured in the same session) to show
that the cost per neuron-step does not jump with N.

    python benchmarks/scale.py                 # N = 1e6, 100 τ (about 4 minutes here)
    python benchmarks/scale.py --t-end 10      # a shorter check

Targets (issue 6): ≤ 4 minutes on 2 threads, peak RSS < 1 GB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

CHILD = """
import resource, sys, time
from qifgap import kernels, network
kernels.warm_up()
N, t_end, threads = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
t0 = time.perf_counter()
res = network.simulate(N=N, eta_bar=-5.0, delta=1.0, J=15.0, g=0.5, t_end=t_end,
                       threads=threads, v_init=-2.0, progress=sys.stderr.isatty())
wall = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(wall, rss, res.r.mean())
"""


def run(N, t_end, threads):
    """Wall time and peak RSS of one simulation in a fresh process."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(N), str(t_end), str(threads)],
                         check=True, capture_output=True, text=True).stdout.split()  # fmt: skip
    return float(out[0]), float(out[1]), float(out[2])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--t-end", type=float, default=100.0)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    steps = args.t_end / 1e-4
    base_wall, base_rss, _ = run(10**5, args.t_end, args.threads)
    wall, rss, rate = run(10**6, args.t_end, args.threads)
    ns_base = base_wall / (1e5 * steps) * 1e9
    ns = wall / (1e6 * steps) * 1e9
    print(
        f"N = 1e5, {args.t_end:g} τ, {args.threads} threads: {base_wall:7.1f} s, "
        f"{ns_base:.3f} ns/neuron-step, peak RSS {base_rss:.0f} MB (baseline)"
    )
    print(
        f"N = 1e6, {args.t_end:g} τ, {args.threads} threads: {wall:7.1f} s, "
        f"{ns:.3f} ns/neuron-step, peak RSS {rss:.0f} MB, mean rate {rate:.4f}"
    )
    print(f"cost per neuron-step, 1e6 / 1e5: {ns / ns_base:.2f}x")
    if args.t_end == 100.0:
        print(
            f"target: <= 240 s -> {'met' if wall <= 240 else 'NOT met'}; "
            f"peak RSS < 1024 MB -> {'met' if rss < 1024 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
