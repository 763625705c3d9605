"""2-thread scaling of P = 1 with and without gap junctions, and of the P = 2 E–I model of
benchmarks/kernel.py, the configurations interleaved.

    python benchmarks/gap_threads.py                  # N = 1e5, 0.5 τ per run, 5 rounds
    python benchmarks/gap_threads.py --rounds 9 --t-end 1

benchmarks/kernel.py times g = 0 and then g = 1, each best of 3 in a row, so a disturbance of a
few seconds can hit one row only (its 2-thread speed-up read 1.46× for g = 0, 0.98× for g = 1).
Here every round runs g = 0 and g = 1 on 1 and 2 threads one after the other, and the best of
the rounds is kept per configuration: a slow spell hits all four alike. Per neuron and step the
kernel does the same work for any g (g enters through two scalars of the drive per step,
``one_minus_cg`` and Σ_b g_ab v_b), so the ratios of the two rows should agree. Also printed:
the CPU time of the 1-thread runs (robust to time-sharing with other processes). The row
"E-I" is §6's E–I model (N/2 per population, τ_s,I = 0.5, g_II = 1.5, g_EI = 0.5) with the
default raster (100 recorded neurons per population); "E-I/0" the same without a raster
(``raster_neurons=0``): their difference is what recording spikes costs.
Multi-threaded runs are forced (network.ThreadChooser.ADAPTIVE = False).
"""

from __future__ import annotations

import argparse
import time

from kernel import e_i_model

from qifgap import kernels, network

PARAMS = dict(eta_bar=-5.0, delta=1.0, J=15.0, v_init=-2.0)  # as in benchmarks/kernel.py
DT = 1e-4


def run(N, g, threads, t_end):
    """(wall, CPU) seconds of one network.simulate run; g = "E-I" for the P = 2 model,
    "E-I/0" for it without a raster."""
    wall, cpu = time.perf_counter(), time.process_time()
    if g in ("E-I", "E-I/0"):
        raster = {"raster_neurons": 0} if g == "E-I/0" else {}
        network.simulate(model=e_i_model(N), t_end=t_end, dt=DT, threads=threads, **raster)
    else:
        network.simulate(N=N, g=g, t_end=t_end, dt=DT, threads=threads, **PARAMS)
    return time.perf_counter() - wall, time.process_time() - cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--N", type=float, default=1e5)
    ap.add_argument("--t-end", type=float, default=0.5)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    network.ThreadChooser.ADAPTIVE = False
    kernels.warm_up()
    N = int(args.N)
    per = 1e9 / (N * round(args.t_end / DT))  # s -> ns per neuron-step
    rows = (0.0, 1.0, "E-I", "E-I/0")
    configs = [(g, th) for g in rows for th in (1, 2)]
    best = {c: (float("inf"), float("inf")) for c in configs}
    for _ in range(args.rounds):
        for g, th in configs:
            wall, cpu = run(N, g, th, args.t_end)
            best[(g, th)] = (min(best[(g, th)][0], wall), min(best[(g, th)][1], cpu))
    print(f"N = {N}, {args.t_end:g} τ per run, best of {args.rounds} interleaved rounds, "
          "ns per neuron-step")  # fmt: skip
    print(f"{'g':>5} {'1 thread':>9} {'(CPU)':>7} {'2 threads':>10} {'2T/1T':>6}")
    for g in rows:
        (w1, c1), (w2, _) = best[(g, 1)], best[(g, 2)]
        print(f"{g:>5} {w1 * per:>9.3f} {c1 * per:>7.3f} {w2 * per:>10.3f} {w1 / w2:>5.2f}x")


if __name__ == "__main__":
    main()
