"""Counter-based Cauchy white noise for the network kernel (science.md §7; time in units of τ).

The scheme: in every Euler step each *integrating* neuron j gets, on top of its drift,

    V_j ← V_j + (dt/τ)(V_j² + η_j + …) + γ (dt/τ) ξ_j,s,       ξ_j,s standard Cauchy,

and neurons in their refractory (flight) window get none. The sum of n such increments is a
Cauchy variable of scale γ n dt/τ, so the noise itself is discretised exactly; the firing-rate
equations (§2, §6) hold with Δ replaced by Δ + γ.

The generator is a pure function of (key, neuron, step), so a run is deterministic for a given
seed, independent of the thread count and of the chunking, and reproducible from its recorded
seed:

    c = step · 2³² + neuron            (neuron < 2³², step < 2³²: c is unique)
    h = nasam(c XOR key)               (a bijection of the 64-bit words: no two c share an h)
    w = (⌊h / 2¹¹⌋_signed + ½) · 2⁻⁵³  ∈ (−½, ½), symmetric, never 0 or ±½
    ξ = tan(π w)                       = tan(π(u − ½)) with u = w + ½ uniform in (0, 1)

``nasam`` is Pelle Evensen's 64-bit mixer (two multiplies, rotations and xor-shifts), which its
author reports to pass PractRand on counter inputs of any stride; ``key`` comes from the integer
seed and a stream number (one stream per population) through splitmix64. The tests check the
quartiles, the tail and the uniformity of u on 10⁷ draws, and the independence of neighbouring
neurons and steps (tests/test_noise.py).

tan(π w) is branch-free: |w| > ¼ is reflected to ½ − |w| (exact), where tan becomes cot, and
tan x on [0, π/4] is Cephes' rational approximation x + x³P(x²)/Q(x²); selects swap numerator
and denominator, so each variate costs one division. Relative error against tan(π w) in long
double: at most 4.6·10⁻¹⁶ measured (about 2 ulp; the tests require < 10⁻¹⁵) over all of
(−½, ½), tails included (|ξ| ≤ cot(π 2⁻⁵⁴) = 5.7·10¹⁵).

Use in a kernel: inside the chunk loop, for neuron j of the chunk starting at global index lo,

    vn = one_minus_cg * xj + c * (xj * xj + eta[j] + a) + scale * cauchy(key, lo + j, step)

with scale = γ dt/τ, ``step`` the global step number and ``key = noise_key(seed=…, stream=…)``
passed in as a uint64; the refractory select already discards the kick of flying neurons. The
function compiling the loop needs ``error_model="numpy"``: with numba's default the division
carries a zero-divisor check and the loop no longer vectorises (5× slower, benchmarks/noise.py).
With it the loop is vectorised (AVX-512 machine: 256-bit ``vpmullq``, ``vprolq``,
``vcvtqq2pd``, ``vdivpd`` on ymm registers). fastmath contraction (FMA) makes ξ machine-dependent
in the last bit; on one machine it is bit-identical for any thread count and chunking.

Step size (τ = 1): a kick below about −1/dt makes Euler's next step jump across −∞ past V_p, a
spurious spike. Kicks below −1/dt come at the rate γ dt/π per neuron and unit time
(P(γ dt ξ < −1/dt) ≈ γ dt²/π per step), 3.2·10⁻⁵ at γ = 1, dt = 10⁻⁴; keep γ dt/π ≪ r.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from . import _validate as val

__all__ = [
    "noise_key",
    "centred_uniform",
    "tan_pi",
    "cauchy",
    "fill_cauchy",
    "fill_centred_uniform",
    "add_cauchy_noise",
    "chunk_add_cauchy",
    "MAX_INDEX",
]

MAX_INDEX = 2**32  # neuron and step indices must be below this (the counter packs both)

_FASTMATH = {"contract", "nsz", "arcp"}  # FMA in the polynomial; no reassociation of its terms

_U64 = np.uint64
_SHIFT_32 = _U64(32)
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_SM_M1 = _U64(0xBF58476D1CE4E5B9)
_SM_M2 = _U64(0x94D049BB133111EB)
_NASAM_M1 = _U64(0x9E6C63D0676A9A99)
_NASAM_M2 = _U64(0x9E6D62D06F6A9A9B)
_R25, _L39, _R47, _L17 = _U64(25), _U64(39), _U64(47), _U64(17)  # rotations by 25 and 47
_R23, _R51 = _U64(23), _U64(51)
_R30, _R27, _R31 = _U64(30), _U64(27), _U64(31)
_TWO_M53 = 2.0**-53

# Cephes tan.c: tan x = x + x z P(z)/Q(z), z = x², |x| ≤ π/4 (Q monic of degree 4)
_P0, _P1, _P2 = -1.30936939181383777646e4, 1.15351664838587416140e6, -1.79565251976484877988e7
_Q0, _Q1 = 1.36812963470692954678e4, -1.32089234440210967447e6
_Q2, _Q3 = 2.50083801823357915839e7, -5.38695755929454629881e7


@njit(cache=True, inline="always")
def _splitmix64(z):
    """Stafford's Mix13 finaliser of splitmix64 applied to z + golden ratio (uint64)."""
    z = z + _GOLDEN
    z = (z ^ (z >> _R30)) * _SM_M1
    z = (z ^ (z >> _R27)) * _SM_M2
    return z ^ (z >> _R31)


@njit(cache=True, inline="always")
def _nasam(x):
    """Evensen's NASAM mixer: a bijection of uint64 with strong avalanche on counter inputs."""
    x = x ^ ((x >> _R25) | (x << _L39)) ^ ((x >> _R47) | (x << _L17))
    x = x * _NASAM_M1
    x = x ^ (x >> _R23) ^ (x >> _R51)
    x = x * _NASAM_M2
    return x ^ (x >> _R23) ^ (x >> _R51)


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
def centred_uniform(key, neuron, step):
    """w = u − ½ ∈ (−½, ½) for (key, neuron, step): 53 random bits, w = (k + ½) 2⁻⁵³."""
    c = (_U64(step) << _SHIFT_32) | _U64(neuron)
    h = _nasam(c ^ key)
    k = np.int64(h) >> 11  # signed top 53 bits: k ∈ [−2⁵², 2⁵²)
    return (k + 0.5) * _TWO_M53


@njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
def tan_pi(w):
    """tan(π w) for w ∈ (−½, ½), branch-free (relative error ≤ 4.6·10⁻¹⁶ measured).

    r = |w| for |w| ≤ ¼, else ½ − |w| (exact); with x = π r, z = x²:
    tan x = x (Q + z P)/Q, and cot x = Q / (x (Q + z P)) for the reflected part.
    """
    a = abs(w)
    big = a > 0.25
    r = 0.5 - a if big else a
    x = np.pi * r
    z = x * x
    p = (_P0 * z + _P1) * z + _P2
    q = (((z + _Q0) * z + _Q1) * z + _Q2) * z + _Q3
    n = x * (q + z * p)
    num = q if big else n
    den = n if big else q
    t = num / den
    return -t if w < 0.0 else t


@njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
def cauchy(key, neuron, step):
    """The standard Cauchy variate ξ = tan(π(u − ½)) of neuron ``neuron`` at step ``step``."""
    return tan_pi(centred_uniform(key, neuron, step))


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _fill_cauchy(out, key, neuron0, step):
    for j in range(out.size):
        out[j] = cauchy(key, neuron0 + j, step)


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
    """out[j] = ξ(key, neuron0 + j, step) for a float64 array ``out``; returns ``out``."""
    _check_range(out.size, neuron0, step)
    _fill_cauchy(out, _U64(key), neuron0, step)
    return out


def fill_centred_uniform(out: np.ndarray, *, key, neuron0: int = 0, step: int = 0) -> np.ndarray:
    """out[j] = w(key, neuron0 + j, step) = u − ½ for a float64 array ``out``; returns ``out``."""
    _check_range(out.size, neuron0, step)
    _fill_centred_uniform(out, _U64(key), neuron0, step)
    return out


@njit(cache=True, inline="always", fastmath=_FASTMATH, error_model="numpy")
def chunk_add_cauchy(x, limit, scale, key, neuron0, step):
    """x[j] += scale · ξ(key, neuron0 + j, step) where x[j] < limit; one chunk, in place."""
    for j in range(x.size):
        xj = x[j]
        kick = scale * cauchy(key, neuron0 + j, step)
        x[j] = xj + kick if xj < limit else xj


@njit(cache=True, fastmath=_FASTMATH, error_model="numpy")
def _add_cauchy_noise(x, limit, scale, key, step):
    chunk_add_cauchy(x, limit, scale, key, 0, step)


def add_cauchy_noise(x: np.ndarray, *, limit: float, scale: float, key, step: int) -> np.ndarray:
    """x[j] += scale · ξ(key, j, step) where x[j] < ``limit`` (the integrating neurons); in place.

    The stand-alone form of the noise step, scale = γ dt/τ. A kernel should rather add the kick
    inside its own chunk loop (one pass over memory), as ``benchmarks/noise.py`` shows:
    ``vn = … + scale * cauchy(key, lo + j, step)`` with the global neuron index lo + j.
    """
    scale = val.non_negative("scale", scale)
    _check_range(x.size, 0, step)
    _add_cauchy_noise(x, float(limit), scale, _U64(key), step)
    return x
