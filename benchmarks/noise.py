"""Cost of Cauchy white noise in the network's chunk loop: ns per neuron-step on one thread.

    python benchmarks/noise.py             # N = 1e5
    python benchmarks/noise.py --N 1e6

Times, in the same run and on one thread, the step loop over chunks of ``kernels.CHUNK``
neurons with

  (a) a copy of the deterministic chunk function ``kernels._chunk_flight``;
  (b) the same loop with the noise of ``qifgap.noise``: ``+ scale * cauchy(key, lo + j, step)``
      in the voltage update of the integrating neurons (the way the kernel will call it);
  (b') (b) compiled with numba's default error model: the division in tan(π w) then carries a
      zero-divisor check and the loop no longer vectorises (the kernel needs
      ``error_model="numpy"``);
  (c) a naive noisy loop: one ``np.random.random()`` and one ``np.tan`` per neuron-step.

Target (issue 15): (b) − (a) ≤ 2 ns per neuron-step at N = 1e5.

On AVX-512 CPUs LLVM's tuning keeps the loops on 256-bit vectors; 512-bit vectors make (b)
about a third cheaper (measured under load), e.g.

    NUMBA_CPU_NAME=$(python -c "import llvmlite.binding as l; print(l.get_host_cpu_name())") \
    NUMBA_CPU_FEATURES="$(python -c "import llvmlite.binding as l; \
        print(l.get_host_cpu_features().flatten())"),-prefer-256-bit" python benchmarks/noise.py

The chunk functions below are copies made for this measurement only (kernels.py is being
rewritten for several populations); once the noise is in the kernel, time the kernel itself.
"""

from __future__ import annotations

import argparse

import numba
import numpy as np
from _timing import best_of
from numba import njit

from qifgap import noise
from qifgap.kernels import CHUNK, REFRACTORY

_FASTMATH = {"reassoc", "contract", "nsz", "arcp"}  # as in kernels.py
DT = 1e-4
N_REF = 200  # flight window 2τ/V_p at V_p = 100, dt = 1e-4
V_PEAK, V_RESET = 100.0, -100.0
G, GAMMA = 1.0, 1.0


@njit(fastmath=_FASTMATH, inline="always", error_model="numpy")
def _chunk_flight(x, eta, c, a, one_minus_cg, v_peak, v_reset, x_cross):
    """Copy of kernels._chunk_flight (deterministic)."""
    vsum = 0.0
    crossings = 0.0
    for j in range(x.size):
        xj = x[j]
        vn = one_minus_cg * xj + c * (xj * xj + eta[j] + a)
        integrating = vn if vn < v_peak else x_cross
        k = xj - 1.0
        flying = k if k >= REFRACTORY + 0.5 else v_reset
        xn = flying if xj >= REFRACTORY else integrating
        x[j] = xn
        crossings += 1.0 if xn == x_cross else 0.0
        vsum += 0.0 if xn >= REFRACTORY else xn
    return vsum, crossings


def _make_noisy(error_model):
    @njit(fastmath=_FASTMATH, inline="always", error_model=error_model)
    def chunk_flight_noisy(
        x, eta, c, a, one_minus_cg, v_peak, v_reset, x_cross, scale, key, neuron0, step
    ):
        """_chunk_flight with the Cauchy kick scale·ξ(key, neuron0 + j, step), scale = γ dt/τ."""
        vsum = 0.0
        crossings = 0.0
        for j in range(x.size):
            xj = x[j]
            kick = scale * noise.cauchy(key, neuron0 + j, step)
            vn = one_minus_cg * xj + c * (xj * xj + eta[j] + a) + kick
            integrating = vn if vn < v_peak else x_cross
            k = xj - 1.0
            flying = k if k >= REFRACTORY + 0.5 else v_reset
            xn = flying if xj >= REFRACTORY else integrating
            x[j] = xn
            crossings += 1.0 if xn == x_cross else 0.0
            vsum += 0.0 if xn >= REFRACTORY else xn
        return vsum, crossings

    return chunk_flight_noisy


_chunk_noisy = _make_noisy("numpy")
_chunk_noisy_checked = _make_noisy("python")


@njit(fastmath=_FASTMATH, inline="always", error_model="numpy")
def _chunk_naive(x, eta, c, a, one_minus_cg, v_peak, v_reset, x_cross, scale):
    """_chunk_flight with ξ = tan(π(u − ½)), u = np.random.random(), per neuron-step."""
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


# The step loops mirror kernels.run_block: the drive a = g v is recomputed from the chunk sums.
@njit(fastmath=_FASTMATH, error_model="numpy")
def run_deterministic(x, eta, steps, c, g):
    N = x.size
    x_cross = REFRACTORY + N_REF
    v = 0.0
    for _ in range(steps):
        vsum = 0.0
        for lo in range(0, N, CHUNK):
            hi = min(lo + CHUNK, N)
            pv, _ = _chunk_flight(x[lo:hi], eta[lo:hi], c, g * v, 1.0 - c * g, V_PEAK, V_RESET,
                                  x_cross)  # fmt: skip
            vsum += pv
        v = vsum / N
    return v


def _make_run_noisy(chunk, error_model):
    @njit(fastmath=_FASTMATH, error_model=error_model)
    def run_noisy(x, eta, steps, c, g, scale, key):
        N = x.size
        x_cross = REFRACTORY + N_REF
        v = 0.0
        for s in range(steps):
            vsum = 0.0
            for lo in range(0, N, CHUNK):
                hi = min(lo + CHUNK, N)
                pv, _ = chunk(x[lo:hi], eta[lo:hi], c, g * v, 1.0 - c * g, V_PEAK, V_RESET,
                              x_cross, scale, key, lo, s)  # fmt: skip
                vsum += pv
            v = vsum / N
        return v

    return run_noisy


run_noisy = _make_run_noisy(_chunk_noisy, "numpy")
run_noisy_checked = _make_run_noisy(_chunk_noisy_checked, "python")


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


def ns_per_neuron_step(N, steps, fn, *args, repeats=3):
    """Best of ``repeats`` runs from the same initial state, in ns per neuron-step."""
    j = np.arange(1, N + 1)
    eta = 1.0 + np.tan(0.5 * np.pi * (2 * j - N - 1) / (N + 1))  # η̄ = 1, Δ = 1: spiking
    x0 = np.zeros(N)
    fn(x0.copy(), eta, 10, DT, G, *args)  # compile
    seconds = best_of(repeats, lambda: fn(x0.copy(), eta, steps, DT, G, *args))
    return seconds / (N * steps) * 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--N", type=float, default=1e5, help="neurons (default 1e5)")
    ap.add_argument("--work", type=float, default=1e9, help="neuron-steps per timing")
    args = ap.parse_args()
    N = int(args.N)
    numba.set_num_threads(1)
    steps = max(10, int(args.work / N))
    naive_steps = max(10, steps // 50)
    scale = GAMMA * DT  # γ dt/τ, τ = 1
    key = noise.noise_key(seed=12345)
    t_det = ns_per_neuron_step(N, steps, run_deterministic)
    t_noisy = ns_per_neuron_step(N, steps, run_noisy, scale, key)
    t_checked = ns_per_neuron_step(N, naive_steps, run_noisy_checked, scale, key)
    t_naive = ns_per_neuron_step(N, naive_steps, run_naive, scale, 12345)
    print(f"N = {N}, one thread, ns per neuron-step (best of 3):")
    print(f"  (a)  deterministic chunk loop          {t_det:8.3f}")
    print(
        f"  (b)  + counter-based Cauchy noise      {t_noisy:8.3f}   "
        f"{t_noisy / t_det:6.2f}x (a); noise adds {t_noisy - t_det:.3f} ns (target <= 2)"
    )
    print(
        f"  (b') (b), default error model          {t_checked:8.3f}   {t_checked / t_det:6.2f}x (a)"
    )
    print(f"  (c)  naive: np.random + np.tan         {t_naive:8.3f}   "
          f"{t_naive / t_det:6.2f}x (a), {t_naive / t_noisy:.1f}x (b)")  # fmt: skip


if __name__ == "__main__":
    main()
