"""Candidate generators for the noisy kernel, timed against the package's in the same run.

    python benchmarks/noise_variants.py

Each variant is the kernel's flight chunk loop (kernels._chunk_flight with noisy=True) with the
variate ξ from a different generator; all run over one chunk of ``kernels.CHUNK`` neurons (in L1)
for many steps on one thread, timed in CPU time, interleaved, best of 7. Printed: CPU ns per
neuron-step and "noise adds" = variant − the noise-free chunk of the same round.

  package     the package's kernel loop: noise.fill_chunk_cauchy into a float32 buffer, then
              kernels._chunk_flight (noisy=True) reading it
  nasam64     the former generator (64-bit NASAM hash of step·2³² + neuron, 53-bit uniform,
              float64 Cephes tan with one division)
  h32+tan64   32-bit hash (below) + the float64 Cephes tan on w = (k + ½) 2⁻³²
  h32+tan32   32-bit hash + float32 tan (reflection in integers, Cephes tanf polynomial, one
              float32 division), widened to float64
  h32+tan32r  as h32+tan32 with a float32 reciprocal (1/d) instead of n/d
  buf32       the variates of h32+tan32 filled first into a float32 buffer by a loop of their
              own (8 lanes), then read by the chunk loop (buf32 alloc: a new buffer per chunk
              and step; buf32 ir: the hash written as genuine i32 llvmlite code)
  buf64       the float64 variate of h32+tan64, buffered
  fill32 only the buffer's fill loop alone (no chunk update)

The package adopted the buffered float32 variate with the keyed one-round word.

32-bit hash of the h32 and buf rows: per step k_s = splitmix64(key XOR step) (loop-invariant:
hoisted), per neuron h = lowbias32(lowbias32(neuron XOR lo) XOR hi), two rounds of Wellons'
lowbias32; "buf32 triple32" uses triple32(neuron XOR lo), "buf32 lowbias32 x1" one round of
lowbias32(neuron XOR lo), "buf32 keyed x1" one round with hi XOR-ed between its multiplies —
the package's word (noise.py), so "package" and "buf32 keyed x1" should agree.
"""

from __future__ import annotations

import time

import numpy as np
from llvmlite import ir
from noise_parts import run_chunk  # the package's chunk loop, with and without noise
from numba import njit, types
from numba.extending import intrinsic

from qifgap import kernels, noise
from qifgap.kernels import CHUNK, REFRACTORY

STEPS = 4000
FM = kernels._FASTMATH
NFM = noise._FASTMATH
U64, U32, F32 = np.uint64, np.uint32, np.float32

# Cephes tanf: tan x = x + x z P(z), z = x², |x| ≤ π/4 (relative error ~ 2e-7 in float32)
T5, T4, T3 = F32(9.38540185543e-3), F32(3.11992232697e-3), F32(2.44301354525e-2)
T2, T1, T0 = F32(5.34112807005e-2), F32(1.33387994085e-1), F32(3.33331568548e-1)
HALF_PI_2M32 = F32(np.pi * 2.0**-33)
ONE32 = F32(1.0)


# Cephes tan.c: tan x = x + x z P(z)/Q(z), z = x², |x| ≤ π/4 (the former float64 tan)
P0, P1, P2 = -1.30936939181383777646e4, 1.15351664838587416140e6, -1.79565251976484877988e7
Q0, Q1 = 1.36812963470692954678e4, -1.32089234440210967447e6
Q2, Q3 = 2.50083801823357915839e7, -5.38695755929454629881e7


@njit(inline="always", fastmath=NFM, error_model="numpy")
def tan_pi64(w):
    """The former generator's branch-free float64 tan(π w), one division."""
    a = abs(w)
    big = a > 0.25
    r = 0.5 - a if big else a
    x = np.pi * r
    z = x * x
    p = (P0 * z + P1) * z + P2
    q = (((z + Q0) * z + Q1) * z + Q2) * z + Q3
    n = x * (q + z * p)
    num = q if big else n
    den = n if big else q
    t = num / den
    return -t if w < 0.0 else t


@njit(inline="always")
def lowbias32(x):
    """Wellons' lowbias32 (uint32; numba widens integer arithmetic, so truncate each product)."""
    x = U32(x ^ (x >> U32(16)))
    x = U32(x * U32(0x7FEB352D))
    x = U32(x ^ (x >> U32(15)))
    x = U32(x * U32(0x846CA68B))
    return U32(x ^ (x >> U32(16)))


@intrinsic
def lowbias32_ir(typingctx, x):
    """lowbias32 on a genuine i32 (numba widens uint32 arithmetic to 64 bits)."""
    sig = types.uint32(types.uint32)

    def codegen(context, builder, signature, args):
        (v,) = args
        i32 = ir.IntType(32)
        v = builder.xor(v, builder.lshr(v, ir.Constant(i32, 16)))
        v = builder.mul(v, ir.Constant(i32, 0x7FEB352D))
        v = builder.xor(v, builder.lshr(v, ir.Constant(i32, 15)))
        v = builder.mul(v, ir.Constant(i32, 0x846CA68B))
        return builder.xor(v, builder.lshr(v, ir.Constant(i32, 16)))

    return sig, codegen


@intrinsic
def xor32(typingctx, a, b):
    sig = types.uint32(types.uint32, types.uint32)

    def codegen(context, builder, signature, args):
        return builder.xor(*args)

    return sig, codegen


@intrinsic
def add32(typingctx, a, b):
    sig = types.uint32(types.uint32, types.uint32)

    def codegen(context, builder, signature, args):
        return builder.add(*args)

    return sig, codegen


@njit(inline="always")
def step_key(key, step):
    return noise._splitmix64(key ^ U64(step))  # as the package


@njit(inline="always")
def hash32(key, neuron, step):
    ks = step_key(key, step)
    lo = U32(ks & U64(0xFFFFFFFF))
    hi = U32(ks >> U64(32))
    return lowbias32(lowbias32(U32(neuron) ^ lo) ^ hi)


@njit(inline="always", fastmath=NFM, error_model="numpy")
def cauchy_h32_tan64(key, neuron, step):
    h = hash32(key, neuron, step)
    w = (np.int32(h) + 0.5) * 2.0**-32
    return tan_pi64(w)


@njit(inline="always", fastmath=NFM, error_model="numpy")
def cauchy_h32_tan32(key, neuron, step):
    """The package's float32 variate (noise.cauchy_of_word) of the 32-bit hash, unbuffered."""
    return np.float64(noise.cauchy_of_word(hash32(key, neuron, step)))


@njit(inline="always", fastmath=NFM, error_model="numpy")
def cauchy_h32_tan32r(key, neuron, step):
    h = hash32(key, neuron, step)
    m = h & U32(0x7FFFFFFF)
    big = m >= U32(0x40000000)
    r = (m ^ U32(0x7FFFFFFF)) if big else m
    x = F32(np.int32(r << U32(1) | U32(1))) * HALF_PI_2M32
    z = x * x
    p = (((((T5 * z + T4) * z + T3) * z + T2) * z + T1) * z + T0) * z
    t = x * p + x
    s = ONE32 / t
    xi = np.float64(s if big else t)
    return -xi if h >= U32(0x80000000) else xi


def make_chunk(gen):
    @njit(fastmath=FM, error_model="numpy")
    def run(x, eta, key, steps):
        c, a, omcg, v_peak, v_reset = 1e-4, 0.1, 0.9999, 100.0, -100.0
        x_cross = REFRACTORY + 200
        scale = 1e-4
        total = 0.0
        for s in range(steps):
            vsum = 0.0
            crossings = 0.0
            for j in range(x.size):
                xj = x[j]
                vn = omcg * xj + c * (xj * xj + eta[j] + a)
                vn += scale * gen(key, j, s)
                integrating = vn if vn < v_peak else x_cross
                k = xj - 1.0
                flying = k if k >= REFRACTORY + 0.5 else v_reset
                xn = flying if xj >= REFRACTORY else integrating
                x[j] = xn
                crossings += 1.0 if xn == x_cross else 0.0
                vsum += 0.0 if xn >= REFRACTORY else xn
            total += vsum + crossings
        return total

    return run


@njit(inline="always")
def _nasam(x):
    """Evensen's NASAM mixer (the former generator's hash)."""
    x = x ^ ((x >> U64(25)) | (x << U64(39))) ^ ((x >> U64(47)) | (x << U64(17)))
    x = x * U64(0x9E6C63D0676A9A99)
    x = x ^ (x >> U64(23)) ^ (x >> U64(51))
    x = x * U64(0x9E6D62D06F6A9A9B)
    return x ^ (x >> U64(23)) ^ (x >> U64(51))


@njit(inline="always")
def _nasam_uniform(key, neuron, step):
    c = (U64(step) << U64(32)) | U64(neuron)
    h = _nasam(c ^ key)
    return (np.int64(h) >> 11) * 2.0**-53 + 2.0**-54


@njit(inline="always", fastmath=NFM, error_model="numpy")
def cauchy_nasam64(key, neuron, step):
    return tan_pi64(_nasam_uniform(key, neuron, step))


@njit(inline="always")
def hash_numba(n0, j, lo, hi):
    return lowbias32(lowbias32(U32(U32(n0) + U32(j)) ^ lo) ^ hi)


@njit(inline="always")
def triple32(x):
    """Wellons' triple32 (three multiplies, bias 0.02 per mille)."""
    x = U32(x ^ (x >> U32(17)))
    x = U32(x * U32(0xED5AD4BB))
    x = U32(x ^ (x >> U32(11)))
    x = U32(x * U32(0xAC4C1B51))
    x = U32(x ^ (x >> U32(15)))
    x = U32(x * U32(0x31848BAB))
    return U32(x ^ (x >> U32(14)))


@njit(inline="always")
def hash_triple(n0, j, lo, hi):
    return triple32(U32(U32(n0) + U32(j)) ^ lo)


@njit(inline="always")
def hash_keyed(n0, j, lo, hi):
    """lowbias32 of neuron XOR lo with hi XOR-ed in between its two multiplies."""
    x = U32(U32(n0) + U32(j)) ^ lo
    x = U32(x ^ (x >> U32(16)))
    x = U32(x * U32(0x7FEB352D))
    x = U32(x ^ (x >> U32(15)) ^ hi)
    x = U32(x * U32(0x846CA68B))
    return U32(x ^ (x >> U32(16)))


@njit(inline="always")
def hash_one(n0, j, lo, hi):
    return lowbias32(U32(U32(n0) + U32(j)) ^ lo)


@njit(inline="always")
def hash_ir(n0, j, lo, hi):
    return lowbias32_ir(xor32(lowbias32_ir(xor32(add32(U32(n0), U32(j)), lo)), hi))


@njit(inline="always", fastmath=NFM, error_model="numpy")
def xi64(h):
    w = (np.int32(h) + 0.5) * 2.0**-32
    return tan_pi64(w)


@njit(inline="always", fastmath=NFM, error_model="numpy")
def fill64(buf, key, n0, step, hash_fn):
    ks = step_key(key, step)
    lo = U32(ks & U64(0xFFFFFFFF))
    hi = U32(ks >> U64(32))
    for j in range(buf.size):
        buf[j] = xi64(hash_fn(n0, j, lo, hi))


@njit(inline="always", fastmath=NFM, error_model="numpy")
def fill32(buf, key, n0, step, hash_fn):
    ks = step_key(key, step)
    lo = U32(ks & U64(0xFFFFFFFF))
    hi = U32(ks >> U64(32))
    base = U32(n0) ^ lo  # n0 + j = n0 | j? no: use the sum, truncated
    for j in range(buf.size):
        h = hash_fn(n0, j, lo, hi)
        buf[j] = noise.cauchy_of_word(h)
    return base


def make_fill(hash_fn):
    @njit(fastmath=NFM, error_model="numpy")
    def run(x, eta, key, steps):
        buf = np.empty(x.size, dtype=np.float32)
        for s in range(steps):
            fill32(buf, key, 0, s, hash_fn)
        return buf[0]

    return run


def make_buffered64(hash_fn):
    @njit(fastmath=FM, error_model="numpy")
    def run(x, eta, key, steps):
        c, a, omcg, v_peak, v_reset = 1e-4, 0.1, 0.9999, 100.0, -100.0
        x_cross = REFRACTORY + 200
        scale = 1e-4
        total = 0.0
        buf = np.empty(x.size)
        for s in range(steps):
            fill64(buf, key, 0, s, hash_fn)
            vsum = 0.0
            crossings = 0.0
            for j in range(x.size):
                xj = x[j]
                vn = omcg * xj + c * (xj * xj + eta[j] + a)
                vn += scale * buf[j]
                integrating = vn if vn < v_peak else x_cross
                k = xj - 1.0
                flying = k if k >= REFRACTORY + 0.5 else v_reset
                xn = flying if xj >= REFRACTORY else integrating
                x[j] = xn
                crossings += 1.0 if xn == x_cross else 0.0
                vsum += 0.0 if xn >= REFRACTORY else xn
            total += vsum + crossings
        return total

    return run


def make_buffered(alloc_each, hash_fn):
    @njit(fastmath=FM, error_model="numpy")
    def run(x, eta, key, steps):
        c, a, omcg, v_peak, v_reset = 1e-4, 0.1, 0.9999, 100.0, -100.0
        x_cross = REFRACTORY + 200
        scale = 1e-4
        total = 0.0
        buf0 = np.empty(x.size, dtype=np.float32)
        for s in range(steps):
            buf = np.empty(x.size, dtype=np.float32) if alloc_each else buf0
            fill32(buf, key, 0, s, hash_fn)
            vsum = 0.0
            crossings = 0.0
            for j in range(x.size):
                xj = x[j]
                vn = omcg * xj + c * (xj * xj + eta[j] + a)
                vn += scale * np.float64(buf[j])
                integrating = vn if vn < v_peak else x_cross
                k = xj - 1.0
                flying = k if k >= REFRACTORY + 0.5 else v_reset
                xn = flying if xj >= REFRACTORY else integrating
                x[j] = xn
                crossings += 1.0 if xn == x_cross else 0.0
                vsum += 0.0 if xn >= REFRACTORY else xn
            total += vsum + crossings
        return total

    return run


VARIANTS = {
    "nasam64": cauchy_nasam64,
    "h32+tan64": cauchy_h32_tan64,
    "h32+tan32": cauchy_h32_tan32,
    "h32+tan32r": cauchy_h32_tan32r,
}


def main(rounds=7):
    key = noise.noise_key(seed=1)
    rng = np.random.default_rng(0)
    eta = 0.1 * rng.standard_cauchy(CHUNK)
    x0 = rng.uniform(-2.0, 2.0, CHUNK)
    rows = {
        "no noise": lambda n: run_chunk(x0.copy(), eta, key, False, n),
        "package": lambda n: run_chunk(x0.copy(), eta, key, True, n),
    }
    for name, gen in VARIANTS.items():
        fn = make_chunk(gen)
        rows[name] = lambda n, fn=fn: fn(x0.copy(), eta, key, n)
    for name, alloc, hash_fn in (
        ("buf32", False, hash_numba),
        ("buf32 alloc", True, hash_numba),
        ("buf32 ir", False, hash_ir),
        ("buf32 triple32", False, hash_triple),
        ("buf32 lowbias32 x1", False, hash_one),
        ("buf32 keyed x1", False, hash_keyed),
    ):
        fn = make_buffered(alloc, hash_fn)
        rows[name] = lambda n, fn=fn: fn(x0.copy(), eta, key, n)
    for name, hash_fn in (("buf64", hash_numba), ("buf64 ir", hash_ir)):
        fn = make_buffered64(hash_fn)
        rows[name] = lambda n, fn=fn: fn(x0.copy(), eta, key, n)
    for name, hash_fn in (("fill32 only", hash_numba), ("fill32 ir only", hash_ir)):
        fn = make_fill(hash_fn)
        rows[name] = lambda n, fn=fn: fn(x0.copy(), eta, key, n)
    for fn in rows.values():
        fn(2)  # compile
    best = dict.fromkeys(rows, float("inf"))
    for _ in range(rounds):
        for name, fn in rows.items():
            t0 = time.process_time()
            fn(STEPS)
            best[name] = min(best[name], time.process_time() - t0)
    ns = {name: t / (CHUNK * STEPS) * 1e9 for name, t in best.items()}
    print(f"one chunk of {CHUNK} neurons, {STEPS} steps, CPU ns per neuron-step (best of {rounds})")
    base = ns["no noise"]
    for name, value in ns.items():
        print(f"  {name:<20} {value:7.3f}   noise adds {value - base:6.3f}")


if __name__ == "__main__":
    main()
