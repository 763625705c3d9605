"""Network kernel speed: ns per neuron-step of qifgap.network.simulate against the plain numpy
implementation of the same scheme (qifgap.reference), both timed in this run.

    python benchmarks/kernel.py            # N = 1e4, 1e5, 1e6; g = 0 and 1; 1 and 2 threads
    python benchmarks/kernel.py --quick    # N = 1e4, 1e5 only

Targets (issue 2): ≤ 0.45 ns per neuron-step on one thread at N = 1e5 with gap junctions, and
≥ 1.6× speed-up on 2 threads at N ≥ 1e5.
"""

from __future__ import annotations

import argparse

from _timing import best_of

from qifgap import kernels, network
from qifgap.reference import simulate_reference

PARAMS = dict(eta_bar=-5.0, delta=1.0, J=15.0, v_init=-2.0)  # low-activity state, spiking
DT = 1e-4


def time_kernel(N, g, threads, steps, repeats=3):
    t_end = steps * DT

    def run():
        network.simulate(
            N=N, g=g, t_end=t_end, dt=DT, threads=threads, raster_neurons=100, **PARAMS
        )

    return best_of(repeats, run) / (N * steps) * 1e9


def time_numpy(N, g, steps):
    t_end = steps * DT

    def run():
        simulate_reference(N=N, g=g, t_end=t_end, dt=DT, **PARAMS)

    return best_of(1, run) / (N * steps) * 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip N = 1e6")
    args = ap.parse_args()
    kernels.warm_up()
    sizes = [10**4, 10**5] if args.quick else [10**4, 10**5, 10**6]
    work = 2e9  # neuron-steps per timing of the fast kernel
    print(f"{'N':>9} {'g':>4} {'numpy':>9} {'1 thread':>9} {'2 threads':>10} "
          f"{'vs numpy':>9} {'2T/1T':>6}   (ns per neuron-step)")  # fmt: skip
    results = {}
    for N in sizes:
        steps = max(100, int(work / N) // 100 * 100)
        np_steps = max(100, int(2e7 / N) // 100 * 100)  # whole bins of 100 steps
        for g in (0.0, 1.0):
            t_np = time_numpy(N, g, np_steps)
            t1 = time_kernel(N, g, 1, steps)
            t2 = time_kernel(N, g, 2, steps)
            results[(N, g)] = (t_np, t1, t2)
            print(f"{N:>9} {g:>4} {t_np:>9.3f} {t1:>9.3f} {t2:>10.3f} {t_np / t1:>8.1f}x "
                  f"{t1 / t2:>5.2f}x")  # fmt: skip
    t_np, t1, t2 = results[(10**5, 1.0)]
    print()
    print(f"N = 1e5, g = 1, one thread: {t1:.3f} ns per neuron-step (target <= 0.45)")
    speedups = [r[1] / r[2] for (N, _), r in results.items() if N >= 10**5]
    print(f"2-thread speed-up at N >= 1e5: min {min(speedups):.2f}x (target >= 1.6)")


if __name__ == "__main__":
    main()
