"""Cost of Cauchy white noise in the network kernel: ns per neuron-step on one thread.

    python benchmarks/noise.py             # N = 1e5
    python benchmarks/noise.py --N 1e6

Times, in the same run and on one thread (η̄ = 1, Δ = 1, g = 1, J = 0, dt = 1e-4: spiking):

  (a) the kernel without noise: ``network.simulate(..., noise=0)``;
  (b) the kernel with noise γ = 1: ``network.simulate(..., noise=1)`` (per chunk
      noise.fill_chunk_cauchy fills a float32 buffer, then kernels._chunk_flight with
      noisy=True adds the kick ``scale * xi[j]`` in the voltage update);
  (c) a naive noisy chunk loop: one ``np.random.random()`` and one ``np.tan`` per neuron-step.

Target (issue 15): (b) − (a) ≤ 2 ns per neuron-step at N = 1e5. benchmarks/noise_parts.py splits
(b) − (a) into the hash and the variate; benchmarks/noise_cpu.py times (a) and (b) in CPU time,
interleaved, for a loaded machine.

The kernel is compiled with ``error_model="numpy"``: with numba's default error model the
division in tan(π w) carries a zero-divisor check and the noisy loop no longer vectorises (about
5× slower, measured with a copy of the chunk loop before the noise was in the kernel).

On AVX-512 CPUs LLVM's tuning keeps float loops on 256-bit vectors; 512-bit vectors made the
former generator's (b) about a third cheaper (measured under load; not re-measured with the
float32 variate), e.g.

    NUMBA_CPU_NAME=$(python -c "import llvmlite.binding as l; print(l.get_host_cpu_name())") \\
    NUMBA_CPU_FEATURES="$(python -c "import llvmlite.binding as l; \\
        print(l.get_host_cpu_features().flatten())"),-prefer-256-bit" python benchmarks/noise.py
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import best_of
from numba import njit

from qifgap import kernels, network
from qifgap.kernels import CHUNK, REFRACTORY

_FASTMATH = {"reassoc", "contract", "nsz", "arcp"}  # as in kernels.py
DT = 1e-4
N_REF = 200  # flight window 2τ/V_p at V_p = 100, dt = 1e-4
V_PEAK, V_RESET = 100.0, -100.0
PARAMS = dict(eta_bar=1.0, delta=1.0, J=0.0, g=1.0)
GAMMA = 1.0


@njit(fastmath=_FASTMATH, inline="always", error_model="numpy")
def _chunk_naive(x, eta, c, a, one_minus_cg, v_peak, v_reset, x_cross, scale):
    """The flight chunk loop with ξ = tan(π(u − ½)), u = np.random.random(), per neuron-step."""
    vsum = 0.0
    crossings = 0.0
    for j in range(x.size):
        xj = x[j]
        kick = scale * np.tan(np.pi * (np.random.random() - 0.5))  # noqa: NPY002 (numba)
        vn = one_minus_cg * xj + c * (xj * xj + eta[j] + a) + kick
        integrating = vn if vn < v_peak else x_cross
        k = xj - 1.0
        flying = k if k >= REFRACTORY + 0.5 else v_reset
        xn = flying if xj >= REFRACTORY else integrating
        x[j] = xn
        crossings += 1.0 if xn == x_cross else 0.0
        vsum += 0.0 if xn >= REFRACTORY else xn
    return vsum, crossings


@njit(fastmath=_FASTMATH, error_model="numpy")
def run_naive(x, eta, steps, c, g, scale, seed):
    np.random.seed(seed)  # noqa: NPY002 (numba's per-thread legacy generator)
    N = x.size
    x_cross = REFRACTORY + N_REF
    v = 0.0
    for _ in range(steps):
        vsum = 0.0
        for lo in range(0, N, CHUNK):
            hi = min(lo + CHUNK, N)
            pv, _ = _chunk_naive(x[lo:hi], eta[lo:hi], c, g * v, 1.0 - c * g, V_PEAK, V_RESET,
                                 x_cross, scale)  # fmt: skip
            vsum += pv
        v = vsum / N
    return v


def kernel_ns(N, steps, noise):
    """ns per neuron-step of network.simulate on one thread (best of 3)."""
    t_end = steps * DT
    seconds = best_of(3, lambda: network.simulate(N=N, t_end=t_end, dt=DT, noise=noise,
                                                  raster_neurons=0, **PARAMS))  # fmt: skip
    return seconds / (N * steps) * 1e9


def naive_ns(N, steps):
    j = np.arange(1, N + 1)
    eta = 1.0 + np.tan(0.5 * np.pi * (2 * j - N - 1) / (N + 1))
    x0 = np.zeros(N)
    run_naive(x0.copy(), eta, 10, DT, 1.0, GAMMA * DT, 12345)  # compile
    seconds = best_of(3, lambda: run_naive(x0.copy(), eta, steps, DT, 1.0, GAMMA * DT, 12345))
    return seconds / (N * steps) * 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--N", type=float, default=1e5, help="neurons (default 1e5)")
    ap.add_argument("--work", type=float, default=1e9, help="neuron-steps per timing")
    args = ap.parse_args()
    N = int(args.N)
    kernels.warm_up()
    steps = max(100, int(args.work / N) // 100 * 100)  # whole bins of 100 steps
    naive_steps = max(100, steps // 50 // 100 * 100)
    t_det = kernel_ns(N, steps, 0.0)
    t_noisy = kernel_ns(N, steps, GAMMA)
    t_naive = naive_ns(N, naive_steps)
    print(f"N = {N}, one thread, ns per neuron-step (best of 3):")
    print(f"  (a)  kernel, no noise                  {t_det:8.3f}")
    print(f"  (b)  kernel, Cauchy noise gamma = {GAMMA:g}    {t_noisy:8.3f}   "
          f"{t_noisy / t_det:6.2f}x (a); noise adds {t_noisy - t_det:.3f} ns "
          "(target <= 2)")  # fmt: skip
    print(f"  (c)  naive: np.random + np.tan         {t_naive:8.3f}   "
          f"{t_naive / t_det:6.2f}x (a), {t_naive / t_noisy:.1f}x (b)")  # fmt: skip


if __name__ == "__main__":
    main()
