"""Where the time of the noise goes: CPU ns per neuron-step of the generator's parts, one chunk.

    python benchmarks/noise_parts.py

All loops run over one chunk of ``kernels.CHUNK`` neurons (in L1) for many steps on one thread
and are timed in CPU time (``time.process_time``, best of 7, the variants interleaved), which
other processes on the machine disturb much less than wall time. Rows:

  chunk, no noise      kernels._chunk_flight(..., noisy=False)
  chunk, noise         noise.fill_chunk_cauchy into a new float32 buffer, then
                       kernels._chunk_flight(..., noisy=True) reading it: the kernel's noisy path
  fill: word           the 32-bit word h = noise.word(key, j, step), stored as uint32
  fill: Cauchy         noise.fill_chunk_cauchy: the word and ξ = tan(π w) in float32
  fill: Cauchy, new buf  the same into a buffer allocated per step, as the kernel does
  chunk, read buffer   kernels._chunk_flight(..., noisy=True) on a buffer filled once

"noise adds" = (chunk, noise) − (chunk, no noise), the quantity of issue 15 (target ≤ 2 ns at
N = 1e5 in benchmarks/noise.py, which also streams the state from L2). Measured on the loaded
2-core machine (AVX-512, 256-bit vectors), see noise.py's docstring for the figures; the
candidates that led to this generator are timed by benchmarks/noise_variants.py.
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

from qifgap import kernels, noise
from qifgap.kernels import CHUNK, REFRACTORY

STEPS = 4000
NOISE_FM = noise._FASTMATH


@njit(fastmath=kernels._FASTMATH, error_model="numpy")
def run_chunk(x, eta, key, noisy, steps):
    total = 0.0
    none = np.empty(0, dtype=np.float32)
    for s in range(steps):
        if noisy:
            xi = np.empty(x.size, dtype=np.float32)
            noise.fill_chunk_cauchy(xi, key, 0, s)
            v, c = kernels._chunk_flight(
                x, eta, 1e-4, 0.1, 0.9999, 100.0, -100.0, REFRACTORY + 200, True, 1e-4, xi
            )
        else:
            v, c = kernels._chunk_flight(
                x, eta, 1e-4, 0.1, 0.9999, 100.0, -100.0, REFRACTORY + 200, False, 1e-4, none
            )
        total += v + c
    return total


@njit(fastmath=kernels._FASTMATH, error_model="numpy")
def run_read(x, eta, xi, steps):
    total = 0.0
    for _ in range(steps):
        v, c = kernels._chunk_flight(
            x, eta, 1e-4, 0.1, 0.9999, 100.0, -100.0, REFRACTORY + 200, True, 1e-4, xi
        )
        total += v + c
    return total


@njit(fastmath=NOISE_FM, error_model="numpy")
def fill_word(out, key, steps):
    for s in range(steps):
        for j in range(out.size):
            out[j] = noise.word(key, j, s)


@njit
def fill_cauchy(out, key, steps):
    for s in range(steps):
        noise.fill_chunk_cauchy(out, key, 0, s)


@njit
def fill_cauchy_new_buffer(n, key, steps):
    total = 0.0
    for s in range(steps):
        out = np.empty(n, dtype=np.float32)
        noise.fill_chunk_cauchy(out, key, 0, s)
        total += out[0]
    return total


def main():
    key = noise.noise_key(seed=1)
    rng = np.random.default_rng(0)
    eta = 0.1 * rng.standard_cauchy(CHUNK)
    x0 = rng.uniform(-2.0, 2.0, CHUNK)
    words = np.empty(CHUNK, dtype=np.uint32)
    xi = np.empty(CHUNK, dtype=np.float32)
    noise.fill_chunk_cauchy(xi, key, 0, 0)
    rows = {
        "chunk, no noise": lambda n: run_chunk(x0.copy(), eta, key, False, n),
        "chunk, noise": lambda n: run_chunk(x0.copy(), eta, key, True, n),
        "fill: word": lambda n: fill_word(words, key, n),
        "fill: Cauchy": lambda n: fill_cauchy(np.empty(CHUNK, dtype=np.float32), key, n),
        "fill: Cauchy, new buf": lambda n: fill_cauchy_new_buffer(CHUNK, key, n),
        "chunk, read buffer": lambda n: run_read(x0.copy(), eta, xi, n),
    }
    for fn in rows.values():
        fn(2)  # compile
    best = dict.fromkeys(rows, float("inf"))
    for _ in range(7):
        for name, fn in rows.items():
            t0 = time.process_time()
            fn(STEPS)
            best[name] = min(best[name], time.process_time() - t0)
    ns = {name: t / (CHUNK * STEPS) * 1e9 for name, t in best.items()}
    print(f"one chunk of {CHUNK} neurons, {STEPS} steps, CPU ns per neuron-step (best of 7)")
    for name, value in ns.items():
        print(f"  {name:<22} {value:7.3f}")
    print(f"  noise adds             {ns['chunk, noise'] - ns['chunk, no noise']:7.3f}")


if __name__ == "__main__":
    main()
