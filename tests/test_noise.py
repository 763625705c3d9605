"""The counter-based Cauchy noise of qifgap.noise: exactness against a numpy twin, tan accuracy,
distribution and independence on 10⁷ draws, determinism, and validation.

Each statistical check is a function that raises AssertionError; ``test_checks_reject_*`` run
the same checks on planted defects (a weak hash, a Gaussian, a coarse tan, an ignored seed) and
require them to fail, so none of the checks can pass by construction.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from qifgap import network, noise
from qifgap.kernels import REFRACTORY

U64 = np.uint64
N_NEURONS, N_STEPS = 10_000, 1_000  # 10⁷ draws
SIGMAS = 4.0  # tolerance of every statistical check, in standard errors
PI_LD = np.longdouble("3.14159265358979323846264338327950288")


# ---------------------------------------------------------------- slow, obvious numpy twin
U32_MASK = U64(0xFFFFFFFF)


def lowbias32_twin(x):
    """Wellons' lowbias32 on uint64 arrays holding 32-bit values (products reduced mod 2³²)."""
    x = x ^ (x >> U64(16))
    x = (x * U64(0x7FEB352D)) & U32_MASK
    x = x ^ (x >> U64(15))
    x = (x * U64(0x846CA68B)) & U32_MASK
    return x ^ (x >> U64(16))


def keyed_lowbias32_twin(n, lo, hi):
    """The generator's word: lowbias32 of neuron XOR lo with hi XOR-ed in mid-way."""
    x = n ^ lo
    x = x ^ (x >> U64(16))
    x = (x * U64(0x7FEB352D)) & U32_MASK
    x = x ^ (x >> U64(15)) ^ hi
    x = (x * U64(0x846CA68B)) & U32_MASK
    return x ^ (x >> U64(16))


def splitmix_twin(z):
    z = z + U64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> U64(30))) * U64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> U64(27))) * U64(0x94D049BB133111EB)
    return z ^ (z >> U64(31))


def key_twin(seed, stream=0):
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps, as in the generator
        return splitmix_twin(splitmix_twin(U64(seed)) ^ U64(stream))


def word_twin(key, neurons, steps, mix=keyed_lowbias32_twin, step_mix=splitmix_twin):
    """h for arrays of neuron and step indices: k_s = step_mix(key XOR step), h = mix(n, lo, hi)."""
    with np.errstate(over="ignore"):
        k = step_mix(np.asarray(steps, dtype=U64) ^ U64(key))
        n = np.asarray(neurons, dtype=U64)
        return mix(n, k & U32_MASK, k >> U64(32)) & U32_MASK


def w_of_word(h, dtype=np.float64):
    """w = ±(m + ½) 2⁻³², m = h mod 2³¹, minus for the top bit set (exact in float64)."""
    h = np.asarray(h, dtype=U64)
    w = ((h & U64(0x7FFFFFFF)).astype(dtype) + dtype(0.5)) * dtype(2.0) ** -32
    return np.where(h >= U64(2**31), -w, w)


def uniform_twin(key, neurons, steps, **mixers):
    """w = u − ½ for arrays of neuron and step indices, written out in numpy."""
    return w_of_word(word_twin(key, neurons, steps, **mixers))


def tan_pi_reference(w):
    """tan(π w) in long double, with |w| > ¼ reflected exactly (cot(π(½ − |w|)))."""
    a = np.abs(w).astype(np.longdouble)
    big = a > 0.25
    t = np.tan(PI_LD * np.where(big, np.longdouble(0.5) - a, a))
    return np.sign(w) * np.where(big, 1 / t, t)


# ---------------------------------------------------------------- draws of the generator
def draw(fill, *, seed=2024, stream=0, neurons=N_NEURONS, steps=N_STEPS):
    """Array [step, neuron] of ``fill`` (fill_cauchy or fill_centred_uniform)."""
    key = noise.noise_key(seed=seed, stream=stream)
    out = np.empty((steps, neurons))
    for s in range(steps):
        fill(out[s], key=key, neuron0=0, step=s)
    return out


@pytest.fixture(scope="module")
def w_draws():
    return draw(noise.fill_centred_uniform)


@pytest.fixture(scope="module")
def xi_draws():
    return draw(noise.fill_cauchy)


# ---------------------------------------------------------------- the checks
def quantile_se(p, n, density):
    """Standard error of the sample p-quantile: √(p(1 − p)/n) / f(x_p)."""
    return np.sqrt(p * (1 - p) / n) / density


def check_cauchy_quantiles(xi):
    """Median 0 and quartiles ±1 of the standard Cauchy (density 1/(π(1 + x²)))."""
    xi = np.ravel(xi)
    n = xi.size
    q25, q50, q75 = np.quantile(xi, [0.25, 0.5, 0.75])
    se_median = quantile_se(0.5, n, 1 / np.pi)  # π/(2√n)
    se_quartile = quantile_se(0.25, n, 1 / (2 * np.pi))
    assert abs(q50) < SIGMAS * se_median, (q50, se_median)
    assert abs(q25 + 1) < SIGMAS * se_quartile, (q25, se_quartile)
    assert abs(q75 - 1) < SIGMAS * se_quartile, (q75, se_quartile)


def check_cauchy_tail(xi, x=100.0):
    """P(|ξ| > x) = (2/π) arctan(1/x): the heavy tail (binomial standard error)."""
    xi = np.ravel(xi)
    p = 2 / np.pi * np.arctan(1 / x)
    frac = np.mean(np.abs(xi) > x)
    assert abs(frac - p) < SIGMAS * np.sqrt(p * (1 - p) / xi.size), (frac, p)


def check_uniform(w, bins=1000):
    """u = w + ½ uniform on (0, 1): binned χ² (p > 10⁻⁵) and KS (p > 10⁻⁵) on the draws."""
    w = np.ravel(w)
    assert w.min() > -0.5 and w.max() < 0.5
    counts, _ = np.histogram(w, bins=bins, range=(-0.5, 0.5))
    expected = w.size / bins
    chi2 = np.sum((counts - expected) ** 2 / expected)
    assert stats.chi2.sf(chi2, bins - 1) > 1e-5, chi2
    assert stats.kstest(w[:1_000_000] + 0.5, "uniform").pvalue > 1e-5


def check_uncorrelated(a, b):
    """|corr(a, b)| and |corr(sign a, sign b)| below 4/√n (their standard error is 1/√n)."""
    a, b = np.ravel(a), np.ravel(b)
    bound = SIGMAS / np.sqrt(a.size)
    rho = np.corrcoef(a, b)[0, 1]
    rho_sign = np.mean(np.sign(a) * np.sign(b))  # signs are ±1 with mean 0
    assert abs(rho) < bound, (rho, bound)
    assert abs(rho_sign) < bound, (rho_sign, bound)


def check_pairs_uniform(a, b, bins=16):
    """(u, u') of neighbours uniform on the unit square: χ² of a 16 × 16 histogram."""
    counts, _, _ = np.histogram2d(np.ravel(a), np.ravel(b), bins=bins, range=[[-0.5, 0.5]] * 2)
    expected = counts.sum() / bins**2
    chi2 = np.sum((counts - expected) ** 2 / expected)
    assert stats.chi2.sf(chi2, bins**2 - 1) > 1e-5, chi2


def check_neighbours(w):
    """No dependence between neighbouring neurons (axis 1) or neighbouring steps (axis 0)."""
    check_uncorrelated(w[:, :-1], w[:, 1:])
    check_uncorrelated(w[:-1, :], w[1:, :])
    check_pairs_uniform(w[:, :-1], w[:, 1:])
    check_pairs_uniform(w[:-1, :], w[1:, :])


def check_streams_differ(a, b):
    """Two streams share no value and are uncorrelated."""
    assert not np.any(np.ravel(a) == np.ravel(b))
    check_uncorrelated(a, b)


TAN_RTOL = 4e-7  # float32 variate: measured maximum 2.4e-7 (float32 ε = 6e-8)


def check_tan_accuracy(values, w):
    """Relative error of tan(π w) against the long-double reference below TAN_RTOL."""
    ref = tan_pi_reference(w)
    rel = np.abs((np.asarray(values, dtype=np.longdouble) - ref) / ref)
    assert float(rel.max()) < TAN_RTOL, float(rel.max())


def tan_edge_words():
    """Words of both tails and the centre of the 2⁻³² lattice (|ξ| up to 2.7·10⁹), around ¼,
    a geometric sweep of the magnitude and random words; both signs."""
    m = np.concatenate(
        [
            np.arange(2000),  # |w| near 0
            2**31 - 1 - np.arange(2000),  # |w| near ½: the far tail
            2**30 + np.arange(-1000, 1001),  # |w| around ¼: the reflection
            np.unique(np.geomspace(1, 2**31 - 1, 3000).astype(np.int64)),
            np.random.default_rng(1).integers(0, 2**31, 3000),
        ]
    ).astype(U64)
    return np.concatenate([m, m + U64(2**31)])


def xi_of_words(h):
    return np.array([noise.cauchy_of_word(np.uint32(x)) for x in h], dtype=np.float64)


# ---------------------------------------------------------------- the generator's output
def test_uniform_equals_numpy_twin_bit_for_bit():
    key = noise.noise_key(seed=7, stream=3)
    assert key == key_twin(7, 3)
    rng = np.random.default_rng(0)
    neurons = rng.integers(0, 2**32, 300)
    for step in (0, 1, 123_456, 2**32 - 1):
        out = np.empty(neurons.size)
        for i, j in enumerate(neurons):  # single values: fill at neuron0 = j
            noise.fill_centred_uniform(out[i : i + 1], key=key, neuron0=int(j), step=step)
        np.testing.assert_array_equal(out, uniform_twin(key, neurons, np.full(300, step)))
        words = [noise.word(key, np.uint32(j), step) for j in neurons[:20]]
        np.testing.assert_array_equal(words, word_twin(key, neurons[:20], step))
    block = noise.fill_centred_uniform(np.empty(5000), key=key, neuron0=10**6, step=99)
    np.testing.assert_array_equal(block, uniform_twin(key, np.arange(10**6, 10**6 + 5000), 99))


def avalanche_bias(mix, n=100_000):
    """Max over (input bit, output bit) of |P(output bit flips when the input bit flips) − ½|
    for the word as a function of the neuron index (lo, hi random), on n random neurons."""
    rng = np.random.default_rng(5)
    x = rng.integers(0, 2**32, n, dtype=U64)
    lo, hi = rng.integers(0, 2**32, 2, dtype=U64)
    base = mix(x, lo, hi) & U32_MASK
    bias = 0.0
    for i in range(32):
        flipped = (mix(x ^ U64(1 << i), lo, hi) & U32_MASK) ^ base
        bits = (flipped[:, None] >> np.arange(32, dtype=U64)) & U64(1)
        bias = max(bias, float(np.abs(bits.mean(axis=0) - 0.5).max()))
    return bias


def test_word_avalanches_and_a_weak_word_does_not():
    """Strict avalanche of the word in the neuron index: each output bit flips with probability
    ½ when any one input bit flips. Standard error of each frequency 0.5/√n = 0.0016; the max of
    1024 of them stays below 4.5 σ = 0.0071 (lowbias32's own bias, ~10⁻⁴, is far below)."""
    assert avalanche_bias(keyed_lowbias32_twin) < 0.0071
    assert avalanche_bias(lambda n, lo, hi: ((n ^ lo) * U64(0x9E3779B9)) ^ hi) > 0.4


def test_cauchy_is_tan_pi_of_the_uniform_on_draws(w_draws, xi_draws):
    w, xi = w_draws[:100], xi_draws[:100]  # 10⁶ draws
    check_tan_accuracy(xi.ravel(), w.ravel())


def test_tan_pi_accuracy_including_the_tails():
    h = tan_edge_words()
    values = xi_of_words(h)
    check_tan_accuracy(values, w_of_word(h))
    far = 1 / np.tan(np.pi * 2.0**-33)  # |ξ| at the end of the lattice: 2.7e9
    assert values.max() == pytest.approx(far, rel=TAN_RTOL)
    assert values.min() == pytest.approx(-far, rel=TAN_RTOL)
    n = h.size // 2
    np.testing.assert_array_equal(values[:n], -values[n:])  # odd: the sign bit flips ξ


def test_median_quartiles_and_tail_are_standard_cauchy(xi_draws):
    check_cauchy_quantiles(xi_draws)
    check_cauchy_tail(xi_draws, 100.0)
    check_cauchy_tail(xi_draws, 1.0)


def test_u_is_uniform(w_draws):
    check_uniform(w_draws)


def test_no_dependence_between_neighbouring_neurons_or_steps(w_draws):
    check_neighbours(w_draws)


def test_seeds_and_streams_give_different_streams(w_draws):
    few = dict(neurons=N_NEURONS, steps=100)
    check_streams_differ(w_draws[:100], draw(noise.fill_centred_uniform, seed=2025, **few))
    check_streams_differ(w_draws[:100], draw(noise.fill_centred_uniform, stream=1, **few))
    np.testing.assert_array_equal(w_draws[:100], draw(noise.fill_centred_uniform, **few))


def test_independent_of_chunking():
    key = noise.noise_key(seed=5)
    whole = noise.fill_cauchy(np.empty(10_000), key=key, neuron0=0, step=77)
    parts = np.empty(10_000)
    for lo in range(0, 10_000, 2048):  # the kernel's chunks, filled in reverse order
        hi = min(lo + 2048, 10_000)
        noise.fill_cauchy(parts[lo:hi], key=key, neuron0=lo, step=77)
    np.testing.assert_array_equal(parts, whole)


def test_add_cauchy_noise_kicks_integrating_neurons_only():
    key = noise.noise_key(seed=11)
    x = np.linspace(-50.0, 50.0, 1000)
    x[::3] = REFRACTORY + 5.0  # in the flight window
    before = x.copy()
    noise.add_cauchy_noise(x, limit=REFRACTORY, scale=1e-4, key=key, step=42)
    xi = noise.fill_cauchy(np.empty(1000), key=key, neuron0=0, step=42)
    flying = before >= REFRACTORY
    np.testing.assert_array_equal(x[flying], before[flying])
    np.testing.assert_allclose(x[~flying], before[~flying] + 1e-4 * xi[~flying], rtol=1e-15)


# ---------------------------------------------------------------- the scheme, end to end
def uncoupled_rate(*, eta_bar, delta, gamma, N=4000, dt=1e-4, t_end=15.0, t_skip=5.0, seed=1):
    """Time-averaged rate of N uncoupled QIF neurons with the noise scheme of science.md §7.

    Plain numpy (the obvious twin of a noisy kernel): V ← V + dt (V² + η_j) + γ dt ξ for the
    integrating neurons, the flight window 2/V_p after a crossing, restart at V_r = −V_p.
    """
    v_peak = 100.0
    eta = network.lorentzian_excitabilities(N=N, eta_bar=eta_bar, delta=delta)
    key = noise.noise_key(seed=seed)
    n_ref = round(2 / (v_peak * dt))
    V = np.zeros(N)
    remaining = np.zeros(N, dtype=np.int64)  # steps left in the flight window
    xi = np.empty(N)
    steps, skip = round(t_end / dt), round(t_skip / dt)
    spikes = 0
    for s in range(steps):
        integrating = remaining == 0
        noise.fill_cauchy(xi, key=key, step=s)
        v_new = V + dt * (V * V + eta) + gamma * dt * xi
        crossed = integrating & (v_new >= v_peak)
        remaining[~integrating] -= 1
        restart = ~integrating & (remaining == 0)
        V = np.where(integrating, v_new, np.where(restart, -v_peak, V))
        remaining[crossed] = n_ref
        spikes += crossed.sum() if s >= skip else 0
    return spikes / (N * (steps - skip) * dt)


def mean_field_rate_uncoupled(*, eta_bar, width):
    """Fixed point of §2 with J = g = 0 and Δ → Δ + γ: π²r² = (η̄ + √(η̄² + (Δ + γ)²))/2."""
    return np.sqrt((eta_bar + np.hypot(eta_bar, width)) / 2) / np.pi


@pytest.mark.slow
@pytest.mark.parametrize(
    "eta_bar, delta, gamma",
    [(1.0, 0.0, 1.0), (-1.0, 0.0, 1.0), (1.0, 0.5, 0.5)],
    ids=["noise only, eta=1", "noise only, eta=-1", "half-half, eta=1"],
)
def test_noisy_neurons_fire_at_the_rate_of_delta_plus_gamma(eta_bar, delta, gamma):
    # measured (loaded machine, N = 4000, window 5–15): 0.34798 vs 0.34972 and 0.14413 vs
    # 0.14486 (−0.5 %). Without noise the rates would be 1/π = 0.318 and 0: the Cauchy
    # kicks, not their mere presence, make the difference.
    r = uncoupled_rate(eta_bar=eta_bar, delta=delta, gamma=gamma)
    assert r == pytest.approx(
        mean_field_rate_uncoupled(eta_bar=eta_bar, width=delta + gamma), rel=0.02
    )


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(seed=-1), "seed"),
        (dict(seed=1.5), "seed"),
        (dict(seed=True), "seed"),
        (dict(seed=2**64), "seed"),
        (dict(seed=1, stream=-2), "stream"),
    ],
)
def test_noise_key_refuses_bad_seed(kwargs, name):
    with pytest.raises(ValueError, match=name):
        noise.noise_key(**kwargs)


def test_indices_and_scale_are_checked():
    key = noise.noise_key(seed=1)
    with pytest.raises(ValueError, match="step"):
        noise.fill_cauchy(np.empty(3), key=key, step=2**32)
    with pytest.raises(ValueError, match="neuron"):
        noise.fill_cauchy(np.empty(3), key=key, neuron0=2**32 - 2)
    with pytest.raises(ValueError, match="scale"):
        noise.add_cauchy_noise(np.zeros(3), limit=REFRACTORY, scale=-1.0, key=key, step=0)


# ---------------------------------------------------------------- planted defects fail
def _fails(check, *args):
    with pytest.raises(AssertionError):
        check(*args)


def test_checks_reject_a_gaussian():
    g = np.random.default_rng(3).standard_normal(N_NEURONS * N_STEPS)
    _fails(check_cauchy_quantiles, g)
    _fails(check_cauchy_tail, g, 100.0)


def test_checks_reject_a_coarse_tan():
    w = w_of_word(tan_edge_words())
    x = np.pi * w
    _fails(check_tan_accuracy, x + x**3 / 3 + 2 * x**5 / 15, w)  # Taylor, 3 terms
    w32 = w.astype(np.float32)  # w rounded to float32 before the reflection: tails wrong
    _fails(check_tan_accuracy, np.tan(np.pi * w32.astype(np.float64)), w)


def _weak_draws(mix, step_mix=lambda k: k):
    """Draws with the step key ``step_mix(key XOR step)`` and the word ``mix(n, lo, hi)``."""
    key = key_twin(2024)
    steps, neurons = np.arange(N_STEPS)[:, None], np.arange(N_NEURONS)
    return uniform_twin(key, neurons, steps, mix=mix, step_mix=step_mix)


def test_checks_reject_an_unmixed_counter():
    w = _weak_draws(lambda n, lo, hi: n ^ lo)  # w = (step, neuron) XOR key
    _fails(check_uniform, w)
    _fails(check_neighbours, w)


@pytest.mark.parametrize(
    "mix",
    [
        pytest.param(lambda n, lo, hi: ((n ^ lo) * U64(0x9E3779B9)) ^ hi, id="one multiply"),
        pytest.param(
            lambda n, lo, hi: (((n ^ lo) ^ ((n ^ lo) >> U64(15))) * U64(0x2C1B3C6D)) ^ hi,
            id="xorshift-multiply",
        ),
    ],
)
def test_checks_reject_weak_hashes_with_uniform_marginals(mix):
    # step key by one 64-bit multiply (weak too). Measured: these words fail the neighbour
    # checks with splitmix64's step key as well
    w = _weak_draws(mix, step_mix=lambda k: k * U64(0x9E3779B97F4A7C15))
    check_uniform(w)  # the marginal passes: only the neighbour checks can catch these
    _fails(check_uncorrelated, w[:, :-1], w[:, 1:])  # neurons
    _fails(check_uncorrelated, w[:-1], w[1:])  # steps
    _fails(check_pairs_uniform, w[:, :-1], w[:, 1:])
    _fails(check_pairs_uniform, w[:-1], w[1:])


def test_checks_reject_an_ignored_seed(w_draws):
    _fails(check_streams_differ, w_draws[:100], w_draws[:100].copy())
