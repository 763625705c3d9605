"""Counter-based Cauchy white noise for the network kernel (science.md §7; time in units of τ).

The scheme: in every Euler step each *integrating* neuron j gets, on top of its drift,

    V_j ← V_j + (dt/τ)(V_j² + η_j + …) + γ (dt/τ) ξ_j,s,       ξ_j,s standard Cauchy,

and neurons in their refractory (flight) window get none. The sum of n such increments is a
Cauchy variable of scale γ n dt/τ, so the noise itself is discretised exactly; the firing-rate
equations (§2, §6) hold with Δ replaced by Δ + γ.

The generator is a pure function of (key, neuron, step), so a run is deterministic for a given
seed, independent of the thread count and of the chunking, and reproducible from its recorded
seed. Per step one 64-bit step key, per neuron one 32-bit word:

    k_s = splitmix64(key XOR step) = hi · 2³² + lo          (once per step: scalar)
    h   = lowbias32_hi(neuron XOR lo)                         (neuron, step < 2³²)
    w   = ± (m + ½) · 2⁻³²,  m = h mod 2³¹, sign = top bit of h   ∈ (−½, ½), never 0 or ±½
    ξ   = tan(π w)                                            = tan(π(u − ½)), u = w + ½

``lowbias32`` is Wellons' 32-bit integer hash (xor-shift, multiply, xor-shift, multiply,
xor-shift; a bijection with avalanche bias 0.17 ‰); lowbias32_hi XORs hi into it between the two
multiplies. So h is a bijection of the neuron index within a step keyed by all 64 bits of k_s:
two steps share their map only if k_s collides (2⁻⁶⁴ per pair; with hi XOR-ed after the hash,
the ~100 pairs of steps in 10⁶ with equal lo would get XOR-related kicks). ``key`` comes from
the integer seed and a stream number (one stream per population) through splitmix64. The tests
check the avalanche of the word, the quartiles, the tail and the uniformity of u on 10⁷ draws,
and the independence of neighbouring neurons and steps (tests/test_noise.py); they reject a
one-multiply and a xorshift-multiply word.

The variate is computed in float32 and widened. The reflection is exact and branch-free, in
integers: for |w| > ¼, tan(π|w|) = cot(π r) with r = ½ − |w| = (m XOR (2³¹ − 1) + ½) 2⁻³², so
with ρ = m or m XOR (2³¹ − 1) < 2³⁰ and x = π (2ρ + 1) 2⁻³³ ∈ (0, π/4], tan x is Cephes'
tanf polynomial x + x z P(z), z = x² (P of degree 5), and a select swaps numerator and
denominator: one float32 division per variate. Relative error of ξ against tan(π w) in long
double: at most 2.4·10⁻⁷ measured (float32 ε = 6·10⁻⁸; tests require < 4·10⁻⁷) over all of
(−½, ½), tails included. A relative error of 10⁻⁷ in the kick is invisible statistically: the
quantiles of ξ are those of the Cauchy law to 10⁻⁷. The lattice of w ends at ±(½ − 2⁻³³):
|ξ| ≤ cot(π 2⁻³³) = 2.7·10⁹, so the draws beyond, P(|ξ| > 2.7·10⁹) = 2.3·10⁻¹⁰, are capped
there — kicks of at least 2.7·10⁹ γ dt/τ, far beyond V_p for any γ dt/τ > 10⁻⁶: the same
spike either way.

Use in a kernel: per chunk starting at index lo within the population, fill a float32 buffer
with ``fill_chunk_cauchy(xi, key, lo, step)`` (a function of its own, not inlined by numba: one
compiled loop serves the kernel, ``fill_cauchy`` and the reference), then in the chunk loop

    vn = one_minus_cg * xj + c * (xj * xj + eta[j] + a) + scale * xi[j]

with scale = γ dt/τ, ``step`` the global step number and ``key = noise_key(seed=…, stream=…)``
passed in as a uint64; the refractory select already discards the kick of flying neurons. The
loops need ``error_model="numpy"``: with numba's default the division carries a zero-divisor
check and the loop no longer vectorises. fastmath contraction (FMA) in the polynomial makes ξ
machine-dependent in the last float32 bit; on one machine it is bit-identical for any thread
count and chunking.

Cost (CPU ns per neuron-step, loaded 2-core AVX-512 machine, the variants interleaved in one
run): at N = 10⁵ on one thread (benchmarks/noise_cpu.py) the noise adds 1.24–1.27 to the
noise-free 0.57 (3.1–3.2×), against 2.37–2.47 (5.1–5.3×) for the former generator (64-bit
NASAM hash of step·2³² + neuron, 53-bit uniform, float64 Cephes tan on 4 lanes). Per part, one
chunk in L1 (benchmarks/noise_parts.py): the word 0.42, word and variate 1.09, the chunk loop
reading the buffer 0.06 more than without noise. What remains: the hash's two multiplies, which
LLVM does as 64-bit vpmullq on 8 lanes of 512-bit registers (a genuine-i32 hash, vpmulld via an
llvmlite intrinsic, measured slower), the six-term polynomial and the float32 division on 8
lanes of 256 bits. Measured and not adopted (benchmarks/noise_variants.py): the same variate
computed inside the chunk loop (about twice the cost: the loop's float64 state keeps it at 4
lanes), a float64 tan of the 32-bit word, buffered or not (no faster than the former
generator), two rounds of lowbias32 (+0.4), triple32 (+0.25).

Step size (τ = 1): a kick below about −1/dt makes Euler's next step jump across −∞ past V_p, a
spurious spike. Kicks below −1/dt come at the rate γ dt/π per neuron and unit time
(P(γ dt ξ < −1/dt) ≈ γ dt²/π per step), 3.2·10⁻⁵ at γ = 1, dt = 10⁻⁴; keep γ dt/π ≪ r.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from . import _jit  # noqa: F401  (before any @njit: the host's full vector width)
from . import _validate as val

__all__ = [
    "noise_key",
    "word",
    "centred_uniform",
    "cauchy_of_word",
    "cauchy",
    "fill_chunk_cauchy",
    "fill_cauchy",
    "fill_centred_uniform",
    "add_cauchy_noise",
    "MAX_INDEX",
]

MAX_INDEX = 2**32  # neuron and step indices must be below this

_FASTMATH = {"contract", "nsz", "arcp"}  # FMA in the polynomial; no reassociation of its terms

_U64, _U32, _F32 = np.uint64, np.uint32, np.float32
_LOW_32 = _U64(0xFFFFFFFF)
_SHIFT_32 = _U64(32)
_SIGN = _U32(0x80000000)
_MAGNITUDE = _U32(0x7FFFFFFF)  # m = h mod 2³¹; m XOR this = 2³¹ − 1 − m
_QUARTER = _U32(0x40000000)  # m ≥ 2³⁰ ⇔ |w| > ¼
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_SM_M1 = _U64(0xBF58476D1CE4E5B9)
_SM_M2 = _U64(0x94D049BB133111EB)
_R30, _R27, _R31 = _U64(30), _U64(27), _U64(31)
_LB_M1, _LB_M2 = _U32(0x7FEB352D), _U32(0x846CA68B)
_S16, _S15 = _U32(16), _U32(15)
_PI_2M33 = _F32(np.pi * 2.0**-33)  # x = π (2ρ + 1) 2⁻³³

# Cephes tanf.c: tan x = x + x z P(z), z = x², |x| ≤ π/4
_T5, _T4, _T3 = _F32(9.38540185543e-3), _F32(3.11992232697e-3), _F32(2.44301354525e-2)
_T2, _T1, _T0 = _F32(5.34112807005e-2), _F32(1.33387994085e-1), _F32(3.33331568548e-1)
_ONE = _F32(1.0)


@njit(cache=True, inline="always")
def _splitmix64(z):
    """Stafford's Mix13 finaliser of splitmix64 applied to z + golden ratio (uint64)."""
    z = z + _GOLDEN
    z = (z ^ (z >> _R30)) * _SM_M1
    z = (z ^ (z >> _R27)) * _SM_M2
    return z ^ (z >> _R31)


@njit(cache=True, inline="always")
def _keyed_lowbias32(x, hi):
    """Wellons' lowbias32 of x with ``hi`` XOR-ed in between its two multiplies: a bijection of
    uint32 for each hi (numba widens the arithmetic: every step is truncated to 32 bits)."""
    x = _U32(x ^ (x >> _S16))
    x = _U32(x * _LB_M1)
    x = _U32(x ^ (x >> _S15) ^ hi)
    x = _U32(x * _LB_M2)
    return _U32(x ^ (x >> _S16))


@njit(cache=True, inline="always")
def _step_key(key, step):
    """(lo, hi): the low and high 32 bits of k_s = splitmix64(key XOR step)."""
    k = _splitmix64(key ^ _U64(step))
    return _U32(k & _LOW_32), _U32(k >> _SHIFT_32)


@njit(cache=True, inline="always")
def _word(neuron, lo, hi):
    return _keyed_lowbias32(_U32(_U32(neuron) ^ lo), hi)


@njit(cache=True)
def _key(seed, stream):
    return _splitmix64(_splitmix64(_U64(seed)) ^ _U64(stream))


def noise_key(*, seed: int, stream: int = 0) -> np.uint64:
    """The 64-bit key of the noise stream ``stream`` (e.g. the population) of ``seed``.

    key = splitmix64(splitmix64(seed) XOR stream); seed and stream are integers in [0, 2⁶⁴).
    """
    for name, value in (("seed", seed), ("stream", stream)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ValueError(f"{name} must be a whole number, got {value!r}")
        if not 0 <= int(value) < 2**64:
            raise ValueError(f"{name} must be in [0, 2**64), got {value!r}")
    return _U64(_key(_U64(int(seed)), _U64(int(stream))))


@njit(cache=True, inline="always")
def word(key, neuron, step):
    """The 32-bit word h = lowbias32_hi(neuron XOR lo) of (key, neuron, step)."""
    lo, hi = _step_key(key, step)
    return _word(neuron, lo, hi)


@njit(cache=True, inline="always")
def centred_uniform(key, neuron, step):
    """w = u − ½ = ±(m + ½) 2⁻³² ∈ (−½, ½) of the word h (m = h mod 2³¹, sign its top bit)."""
    h = word(key, neuron, step)
    w = (np.float64(h & _MAGNITUDE) + 0.5) * 2.0**-32
    return -w if h >= _SIGN else w


@njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
def cauchy_of_word(h):
    """ξ = tan(π w) in float32 for the word h, branch-free (relative error ≤ 2.4·10⁻⁷ measured).

    ρ = m for m < 2³⁰, else m XOR (2³¹ − 1) = 2³¹ − 1 − m (exact reflection |w| → ½ − |w|);
    x = π (2ρ + 1) 2⁻³³, z = x²: t = x + x z P(z) ≈ tan x, and ξ = ±t, or ±1/t if reflected.
    """
    m = h & _MAGNITUDE
    big = m >= _QUARTER
    rho = (m ^ _MAGNITUDE) if big else m
    x = _F32(np.int32((rho << _U32(1)) | _U32(1))) * _PI_2M33
    z = x * x
    p = (((((_T5 * z + _T4) * z + _T3) * z + _T2) * z + _T1) * z + _T0) * z
    t = x * p + x
    num = _ONE if big else t
    den = t if big else _ONE
    xi = num / den
    return -xi if h >= _SIGN else xi


@njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
def cauchy(key, neuron, step):
    """The standard Cauchy variate ξ (float32) of neuron ``neuron`` at step ``step``."""
    return cauchy_of_word(word(key, neuron, step))


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def fill_chunk_cauchy(xi, key, neuron0, step):
    """xi[j] = ξ(key, neuron0 + j, step) for a float32 array: the loop the kernel calls per
    chunk (not inlined: one compiled loop, the same bits everywhere)."""
    lo, hi = _step_key(key, step)
    n0 = _U32(neuron0)
    for j in range(xi.size):
        xi[j] = cauchy_of_word(_word(_U32(n0 + _U32(j)), lo, hi))


@njit(cache=True)
def _fill_centred_uniform(out, key, neuron0, step):
    for j in range(out.size):
        out[j] = centred_uniform(key, neuron0 + j, step)


def _check_range(n: int, neuron0: int, step: int) -> None:
    if not (0 <= neuron0 and neuron0 + n <= MAX_INDEX):
        raise ValueError(f"neuron indices must lie in [0, 2**32), got {neuron0} … {neuron0 + n}")
    if not 0 <= step < MAX_INDEX:
        raise ValueError(f"step must be in [0, 2**32), got {step}")


def fill_cauchy(out: np.ndarray, *, key, neuron0: int = 0, step: int = 0) -> np.ndarray:
    """out[j] = ξ(key, neuron0 + j, step) (the float32 variate, widened into ``out``)."""
    _check_range(out.size, neuron0, step)
    xi = np.empty(out.size, dtype=np.float32)
    fill_chunk_cauchy(xi, _U64(key), neuron0, step)
    out[...] = xi
    return out


def fill_centred_uniform(out: np.ndarray, *, key, neuron0: int = 0, step: int = 0) -> np.ndarray:
    """out[j] = w(key, neuron0 + j, step) = u − ½ for a float64 array ``out``; returns ``out``."""
    _check_range(out.size, neuron0, step)
    _fill_centred_uniform(out, _U64(key), neuron0, step)
    return out


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _add_cauchy_noise(x, limit, scale, key, step):
    xi = np.empty(x.size, dtype=np.float32)
    fill_chunk_cauchy(xi, key, 0, step)
    for j in range(x.size):
        xj = x[j]
        x[j] = xj + scale * xi[j] if xj < limit else xj


def add_cauchy_noise(x: np.ndarray, *, limit: float, scale: float, key, step: int) -> np.ndarray:
    """x[j] += scale · ξ(key, j, step) where x[j] < ``limit`` (the integrating neurons); in place.

    The stand-alone form of the noise step, scale = γ dt/τ. A kernel should rather add the kick
    inside its own chunk loop (one pass over the state) from a buffer filled by
    :func:`fill_chunk_cauchy`, as kernels._chunk_flight does.
    """
    scale = val.non_negative("scale", scale)
    _check_range(x.size, 0, step)
    _add_cauchy_noise(x, float(limit), scale, _U64(key), step)
    return x
