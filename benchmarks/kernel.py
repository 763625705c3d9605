"""Network kernel speed: ns per neuron-step of qifgap.network.simulate, all timed in this run.

    python benchmarks/kernel.py            # N = 1e4, 1e5, 1e6
    python benchmarks/kernel.py --quick    # N = 1e4, 1e5 only
    python benchmarks/kernel.py --quick --work 2e7   # a smoke test of the script

Rows:
* P = 1 (keyword API, g = 0 and 1): today's kernel against the one-population kernel of commit
  fde9525 (loaded from git, benchmarks/_original.py) and the plain numpy twin (qifgap.reference);
* P = 2 (E–I of science.md §6: τ_s,I = 0.5, gap junctions g_II = 1.5 and g_EI = 0.5, N/2 each);
* P = 1, g = 1 with Cauchy white noise γ = 1 (§7), against the same run without noise.

Multi-threaded timings force ``threads`` on every block (network.ThreadChooser.ADAPTIVE = False).
Run it on an otherwise idle machine. At each N every timing of the fast kernels runs once per
round, in turn, and the best of ``--rounds`` rounds (default 7; ~4 min with --quick) is kept:
a slow spell of the machine (the hosts' speed drifts by 10–50 % within minutes) hits all of
them alike instead of one row, which best-of-3 runs of one row after another let it do (E–I
2T/1T read 1.57× and 1.90× in two such runs a few minutes apart; 3 interleaved rounds still
read 1.48–1.93×).

Targets (issue 11): P = 1 no slower than the original (within 5 %; 0.386 ns per neuron-step at
N = 1e5, g = 1, one thread, issue 2); P = 2 ≤ 0.45 ns per neuron-step on one thread at 1e5
neurons in total, and ≥ 1.6× speed-up on 2 threads. Issue 15: the noise adds ≤ 2 ns per
neuron-step on one thread at N = 1e5 (benchmarks/noise.py also times a naive noisy loop).
"""

from __future__ import annotations

import argparse
import importlib
import time

import _original
from _timing import best_of

from qifgap import kernels, network
from qifgap.populations import Model, Population
from qifgap.reference import simulate_reference

PARAMS = dict(eta_bar=-5.0, delta=1.0, J=15.0, v_init=-2.0)  # low-activity state, spiking
DT = 1e-4


def e_i_model(N: int) -> Model:
    """§6's E–I network with synaptic kinetics and gap junctions, N/2 neurons per population."""
    return Model(
        populations=(
            Population(name="E", eta_bar=1.0, N=N // 2),
            Population(name="I", eta_bar=2.0, N=N - N // 2, tau_syn=0.5),
        ),
        J=[[5.0, -10.0], [10.0, -10.0]],
        g=[[0.0, 0.5], [0.0, 1.5]],
    )


P1_ROWS = {"P=1 g=0": 0.0, "P=1 g=1": 1.0}  # row → g of the P = 1 rows (also timed in numpy)

# the targets of the docstring, each checked and printed from here
P1_SLOWER = 0.05  # P = 1 at most 5 % slower than the original kernel of the same run
P2_NS = 0.45  # P = 2, ns per neuron-step on one thread at 1e5 neurons
P2_SPEEDUP = 1.6  # P = 2, 2 threads against 1
P1_ISSUE_NS = 0.386  # the original P = 1 kernel on the host where P2_NS was set
NOISE_NS = 2.0  # what the noise may add, ns per neuron-step (issue 15)


def fast_timings(simulate_original, N, steps):
    """{(row, column): run} of the compiled kernels at N, in the table's row order, column
    "orig" (the original kernel, one thread), 1 or 2 (threads)."""
    t_end = steps * DT
    model = e_i_model(N)
    runs = {}
    for row, g in P1_ROWS.items():
        kw = dict(N=N, g=g, t_end=t_end, dt=DT, **PARAMS)
        runs[(row, "orig")] = lambda kw=kw: simulate_original(threads=1, **kw)
        for th in (1, 2):
            runs[(row, th)] = lambda kw=kw, th=th: network.simulate(threads=th, **kw)
    for th in (1, 2):
        runs[("P=2 E-I", th)] = lambda th=th: network.simulate(
            model=model, t_end=t_end, dt=DT, threads=th
        )
    for gamma in (0.0, 1.0):  # P = 1, g = 1 at η̄ = 1, Δ = 1, J = 0 (spiking), noise γ
        kw = dict(N=N, eta_bar=1.0, delta=1.0, J=0.0, g=1.0, noise=gamma, t_end=t_end, dt=DT,
                  raster_neurons=0)  # fmt: skip
        for th in (1, 2):
            runs[(f"noise={gamma:g}", th)] = lambda kw=kw, th=th: network.simulate(threads=th, **kw)
    return runs


def interleaved_best(runs, rounds, neuron_steps):
    """Best wall time of each run over ``rounds`` rounds that run every one in turn, in ns per
    neuron-step."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for key, run in runs.items():
            t0 = time.perf_counter()
            run()
            best[key] = min(best[key], time.perf_counter() - t0)
    return {key: t / neuron_steps * 1e9 for key, t in best.items()}


def time_numpy(N, g, steps):
    t_end = steps * DT
    wall = best_of(1, lambda: simulate_reference(N=N, g=g, t_end=t_end, dt=DT, **PARAMS))
    return wall / (N * steps) * 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip N = 1e6")
    ap.add_argument("--work", type=float, default=2e9, help="neuron-steps per timing")
    ap.add_argument("--rounds", type=int, default=7, help="interleaved rounds (best kept)")
    args = ap.parse_args()
    network.ThreadChooser.ADAPTIVE = False
    original = importlib.import_module(_original.load().__name__ + ".network")
    kernels.warm_up()
    importlib.import_module(_original.NAME + ".kernels").warm_up()
    sizes = [10**4, 10**5] if args.quick else [10**4, 10**5, 10**6]
    work = args.work  # neuron-steps per timing of the fast kernels
    print(f"ns per neuron-step, best of {args.rounds} interleaved rounds")
    print(f"{'N':>9} {'model':>12} {'numpy':>8} {'original 1T':>12} {'1 thread':>9} "
          f"{'2 threads':>10} {'1T/orig':>8} {'2T/1T':>6}")  # fmt: skip
    results = {}
    for N in sizes:
        steps = max(100, int(work / N) // 100 * 100)
        np_steps = max(100, int(2e7 / N) // 100 * 100)  # whole bins of 100 steps
        best = interleaved_best(fast_timings(original.simulate, N, steps), args.rounds, N * steps)
        for row in dict.fromkeys(row for row, _ in best):
            t0, t1, t2 = best.get((row, "orig")), best[(row, 1)], best[(row, 2)]
            results[(N, row)] = (t0, t1, t2)
            if row in P1_ROWS:
                t_np = time_numpy(N, P1_ROWS[row], np_steps)
                cells, ratio = f"{t_np:>8.3f} {t0:>12.3f}", f"{t1 / t0:>7.3f}x"
            else:
                cells, ratio = f"{'':>8} {'':>12}", f"{'':>8}"
            print(f"{N:>9} {row:>12} {cells} {t1:>9.3f} {t2:>10.3f} {ratio} {t1 / t2:>5.2f}x")
    print()
    t0, t1, _ = results[(10**5, "P=1 g=1")]
    print(f"P = 1, N = 1e5, g = 1, one thread: {t1:.3f} ns per neuron-step, original {t0:.3f} "
          f"({100 * (t1 / t0 - 1):+.1f} %; target within +{100 * P1_SLOWER:g} %: "
          f"{_verdict(t1 <= (1 + P1_SLOWER) * t0)})")  # fmt: skip
    original_p1 = t0
    _, t1, t2 = results[(10**5, "P=2 E-I")]
    print(f"P = 2, 1e5 neurons, one thread: {t1:.3f} ns per neuron-step (target <= {P2_NS}: "
          f"{_verdict(t1 <= P2_NS)}); 2 threads: {t1 / t2:.2f}x (target >= {P2_SPEEDUP}: "
          f"{_verdict(t1 / t2 >= P2_SPEEDUP)})")  # fmt: skip
    # P2_NS was set on a host where the original P = 1 kernel ran P1_ISSUE_NS: the same ratio
    allowed = P2_NS / P1_ISSUE_NS
    print(f"P = 2 against the original P = 1 kernel of this run: {t1 / original_p1:.3f} "
          f"({P2_NS} / {P1_ISSUE_NS} = {allowed:.3f} on the issue's host: "
          f"{_verdict(t1 / original_p1 <= allowed)})")  # fmt: skip
    quiet, noisy = results[(10**5, "noise=0")][1], results[(10**5, "noise=1")][1]
    print(f"noise, N = 1e5, one thread: {noisy:.3f} against {quiet:.3f} ns per neuron-step "
          f"without: the noise adds {noisy - quiet:.3f} ns (target <= {NOISE_NS:g}: "
          f"{_verdict(noisy - quiet <= NOISE_NS)})")  # fmt: skip


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    main()
