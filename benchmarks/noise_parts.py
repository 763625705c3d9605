"""Where the time of the noise goes: CPU ns per neuron-step of the generator's parts, one chunk.

    python benchmarks/noise_parts.py

All loops run over one chunk of ``kernels.CHUNK`` neurons (in L1) for many steps on one thread
and are timed in CPU time (``time.process_time``, best of 7, the variants interleaved), which
other processes on the machine disturb much less than wall time. Rows:

  chunk, no noise      kernels._chunk_flight(..., noisy=False)
  chunk, noise         kernels._chunk_flight(..., noisy=True): the kernel's noisy loop
  fill: uniform        w = noise.centred_uniform(key, j, step): the hash and the conversion
  fill: 1/uniform      1/w: the hash and one division
  fill: Cauchy         ξ = noise.cauchy(key, j, step) = tan(π w)

"noise adds" = (chunk, noise) − (chunk, no noise), the quantity of issue 15 (target ≤ 2 ns at
N = 1e5 in benchmarks/noise.py, which also streams the state from L2). Measured on the loaded
2-core machine (AVX-512, loops on 256-bit vectors): noise adds 2.2–2.6 ns; uniform 0.8–1.0,
1/uniform 1.0–1.2, Cauchy 1.6–2.3. The division is cheap: the tan polynomial with its
reflection costs as much as the hash. Variants tried in the same way (none adopted, each
changes the stream or its accuracy): 52 random bits put into the mantissa of a double in
[1, 2) instead of an int → double conversion −0.2 ns; splitmix64's finaliser instead of NASAM
−0.2 ns; both −0.4 ns; generating the chunk's variates into a buffer first −0.1 ns; Estrin's
scheme for Q(z) ±0; a float32 reciprocal with Newton steps instead of the division +0.6 ns.
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

from qifgap import kernels, noise
from qifgap.kernels import CHUNK, REFRACTORY

STEPS = 4000
NOISE_FM = {"contract", "nsz", "arcp"}  # as in noise.py


@njit(fastmath=kernels._FASTMATH, error_model="numpy")
def run_chunk(x, eta, key, noisy, steps):
    total = 0.0
    for s in range(steps):
        if noisy:
            v, c = kernels._chunk_flight(
                x, eta, 1e-4, 0.1, 0.9999, 100.0, -100.0, REFRACTORY + 200, True, 1e-4, key, 0, s
            )
        else:
            v, c = kernels._chunk_flight(
                x, eta, 1e-4, 0.1, 0.9999, 100.0, -100.0, REFRACTORY + 200, False, 1e-4, key, 0, s
            )
        total += v + c
    return total


@njit(fastmath=NOISE_FM, error_model="numpy")
def fill_uniform(out, key, steps):
    for s in range(steps):
        for j in range(out.size):
            out[j] = noise.centred_uniform(key, j, s)


@njit(fastmath=NOISE_FM, error_model="numpy")
def fill_reciprocal(out, key, steps):
    for s in range(steps):
        for j in range(out.size):
            out[j] = 1.0 / noise.centred_uniform(key, j, s)


@njit(fastmath=NOISE_FM, error_model="numpy")
def fill_cauchy(out, key, steps):
    for s in range(steps):
        for j in range(out.size):
            out[j] = noise.cauchy(key, j, s)


def main():
    key = noise.noise_key(seed=1)
    rng = np.random.default_rng(0)
    eta = 0.1 * rng.standard_cauchy(CHUNK)
    x0 = rng.uniform(-2.0, 2.0, CHUNK)
    out = np.empty(CHUNK)
    rows = {
        "chunk, no noise": lambda n: run_chunk(x0.copy(), eta, key, False, n),
        "chunk, noise": lambda n: run_chunk(x0.copy(), eta, key, True, n),
        "fill: uniform": lambda n: fill_uniform(out, key, n),
        "fill: 1/uniform": lambda n: fill_reciprocal(out, key, n),
        "fill: Cauchy": lambda n: fill_cauchy(out, key, n),
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
        print(f"  {name:<18} {value:7.3f}")
    print(f"  noise adds         {ns['chunk, noise'] - ns['chunk, no noise']:7.3f}")


if __name__ == "__main__":
    main()
