"""Random and quantile heterogeneity: the excitabilities are Lorentzian with centre η̄ and
half-width Δ. Checked by the median and quartiles (η̄, η̄ ± Δ), within their sampling error;
a Gaussian of the same scale fails the same check."""

import math

import numpy as np
import pytest

from qifgap import network

N = 100_000


def lorentzian_quartiles_hold(x, *, centre, width, n_sigma=5.0):
    """Median and quartiles of the sample within n_sigma standard errors of η̄, η̄ ∓ Δ.

    Standard error of the p-quantile of n draws: sqrt(p(1 − p)/n)/f(x_p), with the Lorentzian
    density f = 1/(πΔ) at the centre and 1/(2πΔ) at the quartiles.
    """
    n = x.size
    se_median = math.pi * width * math.sqrt(0.25 / n)
    se_quartile = 2 * math.pi * width * math.sqrt(3 / 16 / n)
    q1, q2, q3 = np.quantile(x, [0.25, 0.5, 0.75])
    return (
        abs(q2 - centre) < n_sigma * se_median
        and abs(q1 - (centre - width)) < n_sigma * se_quartile
        and abs(q3 - (centre + width)) < n_sigma * se_quartile
    )


@pytest.mark.parametrize(("eta_bar", "delta", "seed"), [(-5.0, 1.0, 0), (1.5, 0.3, 7)])
def test_random_excitabilities_are_lorentzian(eta_bar, delta, seed):
    eta = network.lorentzian_excitabilities(
        N=N, eta_bar=eta_bar, delta=delta, heterogeneity="random", seed=seed
    )
    assert eta.shape == (N,)
    assert lorentzian_quartiles_hold(eta, centre=eta_bar, width=delta)
    # heavy tails: P(|η − η̄| > 10Δ) = 1 − (2/π) arctan 10 ≈ 0.0635 (Gaussian: ~0)
    tail = np.mean(np.abs(eta - eta_bar) > 10 * delta)
    assert tail == pytest.approx(1 - 2 / math.pi * math.atan(10.0), abs=5 * math.sqrt(0.06 / N))


def test_the_check_rejects_a_gaussian_of_the_same_scale():
    rng = np.random.default_rng(1)
    assert not lorentzian_quartiles_hold(rng.normal(0.0, 1.0, N), centre=0.0, width=1.0)
    assert lorentzian_quartiles_hold(rng.standard_cauchy(N), centre=0.0, width=1.0)


def test_random_draws_are_seeded():
    kw = dict(N=1000, eta_bar=0.0, delta=1.0, heterogeneity="random")
    a = network.lorentzian_excitabilities(**kw, seed=3)
    assert np.array_equal(a, network.lorentzian_excitabilities(**kw, seed=3))
    assert not np.array_equal(a, network.lorentzian_excitabilities(**kw, seed=4))


def test_quantiles_have_exact_median_and_quartiles():
    """η_j = η̄ + Δ tan[(π/2)(2j − N − 1)/(N + 1)]: for N = 4k + 3 the middle value is η̄ and
    the values k + 1, 3k + 3 are η̄ ∓ Δ exactly (tan(∓π/4))."""
    n = 4 * 250 + 3
    eta = network.lorentzian_excitabilities(N=n, eta_bar=2.0, delta=0.5)
    assert np.all(np.diff(eta) > 0)
    assert eta[(n - 1) // 2] == pytest.approx(2.0, abs=1e-12)
    assert eta[250] == pytest.approx(1.5, abs=1e-12)
    assert eta[3 * 250 + 2] == pytest.approx(2.5, abs=1e-12)
