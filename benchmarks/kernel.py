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
Run it on an otherwise idle machine. The rows run one after the other, so a slow spell of the
machine can hit one row only; benchmarks/gap_threads.py interleaves P = 1, g = 0 and g = 1.

Targets (issue 11): P = 1 no slower than the original (within 5 %; 0.386 ns per neuron-step at
N = 1e5, g = 1, one thread, issue 2); P = 2 ≤ 0.45 ns per neuron-step on one thread at 1e5
neurons in total, and ≥ 1.6× speed-up on 2 threads. Issue 15: the noise adds ≤ 2 ns per
neuron-step on one thread at N = 1e5 (benchmarks/noise.py also times a naive noisy loop).
"""

from __future__ import annotations

import argparse
import importlib

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


def per_neuron_step(fn, N, steps, repeats=3):
    return best_of(repeats, fn) / (N * steps) * 1e9


def time_p1(simulate, N, g, threads, steps):
    t_end = steps * DT
    return per_neuron_step(
        lambda: simulate(N=N, g=g, t_end=t_end, dt=DT, threads=threads, **PARAMS), N, steps
    )


def time_p2(N, threads, steps):
    model, t_end = e_i_model(N), steps * DT
    return per_neuron_step(
        lambda: network.simulate(model=model, t_end=t_end, dt=DT, threads=threads), N, steps
    )


def time_noise(N, noise, threads, steps):
    """P = 1, g = 1 at η̄ = 1, Δ = 1, J = 0 (spiking), with Cauchy noise γ = ``noise``."""
    t_end = steps * DT
    return per_neuron_step(
        lambda: network.simulate(N=N, eta_bar=1.0, delta=1.0, J=0.0, g=1.0, noise=noise,
                                 t_end=t_end, dt=DT, threads=threads, raster_neurons=0),
        N, steps,
    )  # fmt: skip


def time_numpy(N, g, steps):
    t_end = steps * DT
    return per_neuron_step(
        lambda: simulate_reference(N=N, g=g, t_end=t_end, dt=DT, **PARAMS), N, steps, repeats=1
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip N = 1e6")
    ap.add_argument("--work", type=float, default=2e9, help="neuron-steps per timing")
    args = ap.parse_args()
    network.ThreadChooser.ADAPTIVE = False
    original = importlib.import_module(_original.load().__name__ + ".network")
    kernels.warm_up()
    importlib.import_module(_original.NAME + ".kernels").warm_up()
    sizes = [10**4, 10**5] if args.quick else [10**4, 10**5, 10**6]
    work = args.work  # neuron-steps per timing of the fast kernels
    print("ns per neuron-step")
    print(f"{'N':>9} {'model':>12} {'numpy':>8} {'original 1T':>12} {'1 thread':>9} "
          f"{'2 threads':>10} {'1T/orig':>8} {'2T/1T':>6}")  # fmt: skip
    results = {}
    for N in sizes:
        steps = max(100, int(work / N) // 100 * 100)
        np_steps = max(100, int(2e7 / N) // 100 * 100)  # whole bins of 100 steps
        for g in (0.0, 1.0):
            t_np = time_numpy(N, g, np_steps)
            t0 = time_p1(original.simulate, N, g, 1, steps)
            t1 = time_p1(network.simulate, N, g, 1, steps)
            t2 = time_p1(network.simulate, N, g, 2, steps)
            results[(N, f"P=1 g={g:g}")] = (t0, t1, t2)
            print(f"{N:>9} {f'P=1 g={g:g}':>12} {t_np:>8.3f} {t0:>12.3f} {t1:>9.3f} {t2:>10.3f} "
                  f"{t1 / t0:>7.3f}x {t1 / t2:>5.2f}x")  # fmt: skip
        t1 = time_p2(N, 1, steps)
        t2 = time_p2(N, 2, steps)
        results[(N, "P=2 E-I")] = (None, t1, t2)
        print(f"{N:>9} {'P=2 E-I':>12} {'':>8} {'':>12} {t1:>9.3f} {t2:>10.3f} {'':>8} "
              f"{t1 / t2:>5.2f}x")  # fmt: skip
        for gamma in (0.0, 1.0):
            t1 = time_noise(N, gamma, 1, steps)
            t2 = time_noise(N, gamma, 2, steps)
            results[(N, f"noise={gamma:g}")] = (None, t1, t2)
            print(f"{N:>9} {f'noise={gamma:g}':>12} {'':>8} {'':>12} {t1:>9.3f} {t2:>10.3f} "
                  f"{'':>8} {t1 / t2:>5.2f}x")  # fmt: skip
    print()
    t0, t1, _ = results[(10**5, "P=1 g=1")]
    print(f"P = 1, N = 1e5, g = 1, one thread: {t1:.3f} ns per neuron-step, original {t0:.3f} "
          f"({100 * (t1 / t0 - 1):+.1f} %; target within +5 %)")  # fmt: skip
    _, t1, t2 = results[(10**5, "P=2 E-I")]
    print(f"P = 2, 1e5 neurons, one thread: {t1:.3f} ns per neuron-step (target <= 0.45); "
          f"2 threads: {t1 / t2:.2f}x (target >= 1.6)")  # fmt: skip
    quiet, noisy = results[(10**5, "noise=0")][1], results[(10**5, "noise=1")][1]
    print(f"noise, N = 1e5, one thread: {noisy:.3f} against {quiet:.3f} ns per neuron-step "
          f"without: the noise adds {noisy - quiet:.3f} ns (target <= 2)")  # fmt: skip


if __name__ == "__main__":
    main()
