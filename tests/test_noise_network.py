"""Cauchy white noise in the network kernel and the mean field (science.md §7; issue 15).

Each integrating neuron gets γ (dt/τ) ξ per Euler step; the firing-rate equations hold with Δ
replaced by Δ + γ. Checks: the kernel against the numpy reference twin (1e-9), thread counts,
reproducibility from the recorded parameters, the two §7 cases against the equations, Δ/γ
exchangeability, noise in one population of an E–I model, and bad input.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from qifgap import meanfield, network
from qifgap.populations import Model
from qifgap.reference import simulate_reference

# ---------------------------------------------------------------- kernel = reference twin
E_I = {
    "populations": {
        "E": {"eta_bar": 1.0, "N": 300, "noise": 0.7},
        "I": {"eta_bar": 2.0, "tau_syn": 0.5, "N": 200, "delta": 0.3, "noise": 1.5},
    },
    "J": {"E": {"E": 5.0, "I": -10.0}, "I": {"E": 10.0, "I": -10.0}},
    "g": {"I": {"I": 1.5, "E": 0.5}},
}


def assert_same_run(a, b, tol=1e-9):
    for name in ("r", "v"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=tol, atol=tol)
    np.testing.assert_allclose(a.Z, b.Z, rtol=tol, atol=tol)


@pytest.mark.parametrize("reset", ["flight", "instant"])
def test_noisy_kernel_matches_reference_one_population(reset):
    kw = dict(N=500, eta_bar=1.0, delta=0.2, J=3.0, g=1.0, noise=1.0, t_end=0.5, seed=7,
              reset=reset, v_init=-1.0)  # fmt: skip
    net = network.simulate(**kw, raster_neurons=0)
    ref = simulate_reference(**kw)
    assert net.r.sum() > 0  # neurons spiked: the flight windows were exercised
    assert_same_run(net, ref)


@pytest.mark.parametrize("reset", ["flight", "instant"])
def test_noisy_kernel_matches_reference_e_i(reset):
    m = Model.from_dict(E_I)
    net = network.simulate(model=m, t_end=0.4, seed=3, reset=reset, raster_neurons=0)
    ref = simulate_reference(model=m, t_end=0.4, seed=3, reset=reset)
    assert np.all(net.r.sum(axis=0) > 0)
    assert_same_run(net, ref)


def test_noise_in_one_population_only_matches_reference():
    spec = {**E_I, "populations": {**E_I["populations"],
                                   "E": {"eta_bar": 1.0, "N": 300}}}  # fmt: skip
    m = Model.from_dict(spec)
    net = network.simulate(model=m, t_end=0.4, seed=3, raster_neurons=0)
    assert_same_run(net, simulate_reference(model=m, t_end=0.4, seed=3))


def test_noisy_results_do_not_depend_on_thread_count():
    m = Model.from_dict(
        {"populations": {"A": {"eta_bar": 2.0, "delta": 0.0, "noise": 1.0, "N": 5000},
                         "B": {"eta_bar": 2.0, "delta": 0.0, "noise": 1.0, "N": 3000}},
         "g": {"A": {"A": 1.0}, "B": {"B": 1.0}}}
    )  # fmt: skip
    one = network.simulate(model=m, t_end=0.3, seed=11, threads=1)
    two = network.simulate(model=m, t_end=0.3, seed=11, threads=2)
    np.testing.assert_array_equal(one.r, two.r)
    np.testing.assert_array_equal(one.v, two.v)
    np.testing.assert_array_equal(one.spike_times, two.spike_times)


def test_identical_populations_get_independent_streams():
    """Two identical noisy populations with identical starts diverge: each has its own stream."""
    pop = {"eta_bar": 2.0, "delta": 0.0, "noise": 1.0, "N": 1000}
    m = Model.from_dict({"populations": {"A": pop, "B": pop}})
    res = network.simulate(model=m, t_end=1.0, seed=5)
    assert not np.array_equal(res.v[:, 0], res.v[:, 1])
    assert np.abs(res.v[:, 0] - res.v[:, 1]).max() > 1e-3


def test_noise_is_reproducible_from_the_recorded_params():
    kw = dict(N=1000, eta_bar=2.0, delta=0.0, J=0.0, g=1.0, noise=1.0, t_end=0.5)
    first = network.simulate(**kw)
    assert first.params["noise"] == 1.0 and first.params["noise_seed"] == 0
    again = network.simulate(**kw, seed=first.params["noise_seed"])
    np.testing.assert_array_equal(first.v, again.v)
    other = network.simulate(**kw, seed=1)
    assert np.abs(other.v - first.v).max() > 1e-3  # another seed, another realisation


def test_zero_noise_records_nothing_new():
    res = network.simulate(N=100, eta_bar=1.0, delta=1.0, J=0.0, g=0.0, t_end=0.1)
    assert "noise" not in res.params and "noise_seed" not in res.params


# ---------------------------------------------------------------- network against Δ + γ
def window_stats(t, r, t_min):
    keep = t >= t_min
    return float(np.mean(r[keep])), float(np.std(r[keep]))


def network_vs_meanfield(*, N, t_end, t_min, rate_bin=1e-2, seed=1, **params):
    net = network.simulate(N=N, t_end=t_end, seed=seed, rate_bin=rate_bin, raster_neurons=0,
                           **params)  # fmt: skip
    mf = meanfield.integrate(t_end=t_end, dt_out=rate_bin, **params)
    # the mean-field rate averaged over each network bin (its centre ± rate_bin/2)
    r_mf = np.interp(net.t, mf.t, mf.r)
    return window_stats(net.t, net.r, t_min), window_stats(net.t, r_mf, t_min)


@pytest.mark.slow
def test_section7_asynchronous_case_at_N4000():
    # science.md §7: network 0.4532, equations with Δ + γ = 1: 0.4521 (window 15–30)
    (r_net, _), (r_mf, _) = network_vs_meanfield(
        N=4000, t_end=30.0, t_min=15.0, eta_bar=2.0, J=0.0, g=1.0, delta=0.0, noise=1.0
    )
    assert r_mf == pytest.approx(0.4521, abs=2e-4)
    assert r_net == pytest.approx(r_mf, rel=0.02)


@pytest.mark.slow
def test_section7_oscillating_case_at_N4000():
    """science.md §7: equations ⟨r⟩ 0.7001, std r 0.3696 (network 0.6986, 0.3687 with the
    former noise stream). Over ten noise seeds (1–10, idle, this generator) the network's
    ⟨r⟩ / equations' is 0.997–1.000 and its std r / equations' 1.022 ± 0.038 (0.948–1.085:
    a single seed can miss 5 %, so the 5 % of the issue is checked on the seeds' mean; the
    quadrature correction for the bins' spike scatter, √(std² + r/(N bin)), over-corrects: its
    ratio averages 0.962)."""
    N, rate_bin = 4000, 1e-2
    params = dict(eta_bar=5.0, J=0.0, g=1.0, delta=0.5, noise=0.5)
    ratios = []
    for seed in range(1, 11):
        (r_net, s_net), (r_mf, s_mf) = network_vs_meanfield(
            N=N, t_end=30.0, t_min=15.0, rate_bin=rate_bin, seed=seed, **params
        )
        assert r_mf == pytest.approx(0.7001, rel=2e-3)
        assert s_mf == pytest.approx(0.3696, rel=5e-3)
        assert r_net == pytest.approx(r_mf, rel=0.02), seed
        ratios.append(s_net / s_mf)
    assert np.mean(ratios) == pytest.approx(1.0, abs=0.05), ratios
    assert np.std(ratios) < 0.06, ratios  # the seeds' scatter, 0.038 measured


def test_section7_oscillating_case_small_network():
    """The fast version: N = 1000, window 8–15, bins of 0.01. The finite network's rate has, on
    top of the rhythm, a bin-to-bin scatter of independent spikes, √(r/(N bin)) = 0.27, which
    adds in quadrature to the rhythm's std r: √(0.422² + 0.27²) = 0.50, +19 % over the
    equations'. Measured over seeds 1–8 (loaded machine): ⟨r⟩ net/equations 0.994 ± 0.003, std
    r net/equations 1.185 ± 0.046 (the former NASAM generator: 0.995 ± 0.004, 1.185 ± 0.083).
    Hence 2 % in ⟨r⟩ and 12 % in std r against the scatter-corrected value."""
    N, rate_bin = 1000, 1e-2
    (r_net, s_net), (r_mf, s_mf) = network_vs_meanfield(
        N=N, t_end=15.0, t_min=8.0, rate_bin=rate_bin, eta_bar=5.0, J=0.0, g=1.0, delta=0.5,
        noise=0.5,
    )  # fmt: skip
    assert r_net == pytest.approx(r_mf, rel=0.02)
    assert s_net == pytest.approx(np.sqrt(s_mf**2 + r_mf / (N * rate_bin)), rel=0.12)
    assert s_mf > 0.3  # the case oscillates: std r is the rhythm, not noise


def test_delta_and_gamma_are_exchangeable():
    """γ only, Δ only and half-half (Δ + γ = 1; η̄ = 1, g = 0.5, J = 0): the same mean field, to
    the bit, and statistically the same network rate (N = 2000, window 4–12) against the
    equations' 0.3290. Measured over seeds 1–8 (loaded machine): γ only 0.3299 ± 0.0022 (no
    finite-N bias, ±0.7 % from the noise), half-half 0.3257 ± 0.0018, Δ only 0.3245 (the
    deterministic Lorentzian quantiles: −1.4 %). Hence a 3 % band between the three runs and
    against the equations; Δ + γ = 2 would give 0.372 (+13 %), so the bands tell the width
    apart."""
    rates, mf_rates = [], []
    for delta, gamma in [(0.0, 1.0), (1.0, 0.0), (0.5, 0.5)]:
        kw = dict(eta_bar=1.0, J=0.0, g=0.5, delta=delta, noise=gamma)
        mf_rates.append(meanfield.integrate(t_end=12.0, **kw).r)
        net = network.simulate(N=2000, t_end=12.0, seed=2, raster_neurons=0, **kw)
        rates.append(window_stats(net.t, net.r, 4.0)[0])
    np.testing.assert_array_equal(mf_rates[0], mf_rates[1])
    np.testing.assert_array_equal(mf_rates[0], mf_rates[2])
    r_mf = float(np.mean(mf_rates[0][400:]))
    assert max(rates) - min(rates) < 0.03 * r_mf
    for r in rates:
        assert r == pytest.approx(r_mf, rel=0.03)
    doubled = meanfield.integrate(t_end=12.0, eta_bar=1.0, J=0.0, g=0.5, delta=1.0, noise=1.0)
    assert np.mean(doubled.r[400:]) > 1.1 * r_mf


def e_i_model(*, N, noise_I, delta_I):
    return Model.from_dict(
        {"populations": {"E": {"eta_bar": 1.0, "N": N},
                         "I": {"eta_bar": 2.0, "tau_syn": 0.5, "N": N, "delta": delta_I,
                               "noise": noise_I}},
         "J": {"E": {"E": 5.0, "I": -10.0}, "I": {"E": 10.0, "I": -10.0}},
         "g": {"I": {"I": 1.5}}}
    )  # fmt: skip


@pytest.mark.slow
def test_noise_in_one_population_of_an_e_i_model():
    """§6 E–I rhythm with half of Δ_I replaced by noise in I only: the mean field is that of
    Δ_I = 1 (⟨r_I⟩ 0.319, period 2.857), and the network (N = 2000 per population) follows it:
    ⟨r_E⟩, ⟨r_I⟩ within 4 % and std r_I within 10 % (§6 quotes 1–2 % at N = 4000)."""
    noisy = e_i_model(N=2000, noise_I=0.5, delta_I=0.5)
    plain = e_i_model(N=2000, noise_I=0.0, delta_I=1.0)
    mf = meanfield.integrate(model=noisy, t_end=40.0)
    mf_plain = meanfield.integrate(model=plain, t_end=40.0)
    np.testing.assert_array_equal(mf.r, mf_plain.r)
    net = network.simulate(model=noisy, t_end=40.0, seed=4, raster_neurons=0)
    keep_mf, keep_net = mf.t >= 20.0, net.t >= 20.0
    r_I = mf.population("I").r[keep_mf]
    assert np.mean(r_I) == pytest.approx(0.319, abs=2e-3)
    for a in (0, 1):
        assert np.mean(net.r[keep_net, a]) == pytest.approx(np.mean(mf.r[keep_mf, a]), rel=0.04)
    assert np.std(net.r[keep_net, 1]) == pytest.approx(np.std(r_I), rel=0.10)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("gamma", [-0.1, float("nan"), float("inf"), "x"])
def test_bad_noise_is_refused_naming_the_key(gamma):
    with pytest.raises(ValueError, match="noise"):
        network.simulate(N=10, eta_bar=1.0, delta=1.0, J=0.0, g=0.0, t_end=0.1, noise=gamma)
    with pytest.raises(ValueError, match=r"populations\.I\.noise"):
        Model.from_dict({"populations": {"I": {"eta_bar": 1.0, "noise": gamma}}})
    with pytest.raises(ValueError, match="noise"):
        meanfield.integrate(eta_bar=1.0, delta=1.0, J=0.0, g=0.0, t_end=1.0, noise=gamma)


def test_noise_keyword_with_a_model_is_refused():
    m = Model.from_dict({"populations": {"I": {"eta_bar": 1.0, "N": 10}}})
    with pytest.raises(ValueError, match="noise"):
        network.simulate(model=m, t_end=0.1, noise=1.0)


def test_too_coarse_a_step_for_the_noise_is_refused_or_warned():
    kw = dict(N=10, eta_bar=1.0, delta=1.0, J=0.0, g=0.0, t_end=0.1)
    with pytest.raises(ValueError, match=r"noise = 400.0 with dt = 0.0001.*spurious spikes"):
        network.check_parameters(**kw, noise=400.0)
    with pytest.warns(UserWarning, match=r"noise = 40.0 .*spurious spikes"):
        network.check_parameters(**kw, noise=40.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        network.check_parameters(**kw, noise=5.0)  # ε = 1.6e-4: fine
    m = Model.from_dict({"populations": {"I": {"eta_bar": 1.0, "N": 10, "noise": 400.0}}})
    with pytest.raises(ValueError, match=r"populations\.I\.noise"):
        network.check_parameters(model=m, t_end=0.1)


def test_step_counter_range_is_checked_for_noisy_runs():
    kw = dict(N=10, eta_bar=1.0, delta=1.0, J=0.0, g=0.0, dt=1e-3, rate_bin=1.0)
    network.check_parameters(**kw, t_end=5e6)  # no noise: no counter
    with pytest.raises(ValueError, match=r"2\*\*32 steps"):
        network.check_parameters(**kw, t_end=5e6, noise=1.0)
