"""The analyses behind the P19/MP20 figures, on inputs with known answers (units τ = 1).

Smoothing and switch points on constructed signals, power-law fits on synthetic data with known
exponents (exact data: to rounding; noisy data: within the fit's own standard error), the
persistent range and the Hopf coupling against the closed forms of science.md §3.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from qifgap import analysis
from qifgap.bifurcation import hopf_eta, hopf_frequency, saddle_node_etas, takens_bogdanov

# --- moving_average ----------------------------------------------------------------------------


def test_moving_average_values_and_ends():
    x = np.arange(5.0)
    np.testing.assert_allclose(analysis.moving_average(x, 3), [0.5, 1.0, 2.0, 3.0, 3.5])
    np.testing.assert_allclose(analysis.moving_average(np.full(7, 2.5), 4), 2.5)  # constant
    y = analysis.moving_average(x, 1)
    np.testing.assert_array_equal(y, x)
    y[0] = 99.0
    assert x[0] == 0.0  # a copy, not a view


def test_moving_average_removes_a_resolved_oscillation():
    t = np.arange(0, 20, 0.01)
    x = 1.0 + np.sin(2 * np.pi * t)  # period 1 = 100 samples
    inner = analysis.moving_average(x, 100)[100:-100]
    np.testing.assert_allclose(inner, 1.0, atol=1e-12)


# --- hysteresis --------------------------------------------------------------------------------


def _ramp(eta_on, eta_off, *, dt=0.01, oscillate=False):
    """Drive up from −8 to 0 and back over 2 × 80 τ; r jumps to the high state where the rising
    drive passes eta_on and falls back where the falling drive passes eta_off."""
    t = np.arange(0.0, 160.0 + dt / 2, dt)
    drive = -8.0 + 8.0 * (1.0 - np.abs(t - 80.0) / 80.0)
    rising = t <= 80.0
    high = np.where(rising, drive >= eta_on, drive >= eta_off)
    r_high = 1.0 + (0.8 * np.sin(2 * np.pi * t / 0.9) if oscillate else 0.0)
    return t, np.where(high, r_high, 0.1), drive


def test_hysteresis_switch_points_of_a_constructed_ramp():
    t, r, drive = _ramp(-3.0, -5.5)
    step = 0.1 * 0.01  # drive change per sample
    h = analysis.hysteresis(t, r, drive, threshold=0.5, smooth=0.01)
    assert h["eta_on"] == pytest.approx(-3.0, abs=step)
    assert h["eta_off"] == pytest.approx(-5.5, abs=step)
    assert h["width"] == pytest.approx(2.5, abs=2 * step)


def test_hysteresis_smoothing_keeps_an_oscillating_high_state_and_the_switch_points():
    """r dips to 0.2 < threshold inside each oscillation of the high state; smoothed over 2 τ
    (longer than the period 0.9) it stays above: one switch each way, at the right drive (the
    smoothed step crosses the mid threshold within a few samples of the jump)."""
    t, r, drive = _ramp(-3.0, -5.5, oscillate=True)
    assert analysis.hysteresis(t, r, drive, threshold=0.55, smooth=0.0)["eta_on"] < -2.9
    h = analysis.hysteresis(t, r, drive, threshold=0.55, smooth=2.0)
    assert h["eta_on"] == pytest.approx(-3.0, abs=0.05)
    assert h["eta_off"] == pytest.approx(-5.5, abs=0.05)


def test_hysteresis_without_switches_is_nan():
    t, _, drive = _ramp(-3.0, -5.5)
    h = analysis.hysteresis(t, np.full(t.shape, 0.1), drive, threshold=0.5)
    assert math.isnan(h["eta_on"]) and math.isnan(h["eta_off"]) and math.isnan(h["width"])


def test_ramp_overshoot_subtracts_the_static_width_interpolated_in_g():
    """Static widths 2.6 at g = 0 and 3.0 at g = 0.5: at g = 0.25 the static width is 2.8."""
    static = pd.DataFrame({"g": [0.5, 0.0], "width": [3.0, 2.6]})  # unsorted on purpose
    speeds = pd.DataFrame({"g": [0.0, 0.25, 0.0], "speed": [0.08, 0.08, 0.16],
                           "width_net": [3.3, 3.0, 3.7], "width_mf": [3.25, 3.1, 3.6]})  # fmt: skip
    out = analysis.ramp_overshoot(speeds, static)
    np.testing.assert_allclose(out.overshoot_mf, [0.65, 0.3, 1.0], atol=1e-12)
    np.testing.assert_allclose(out.overshoot_net, [0.7, 0.2, 1.1], atol=1e-12)
    assert list(out.speed) == [0.08, 0.08, 0.16] and "overshoot_mf" not in speeds


# --- power-law fits ----------------------------------------------------------------------------

N = np.array([250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0, 32000.0])


def test_power_law_fit_exact_and_noisy():
    fit = analysis.power_law_fit(N, 3.0 * N**-0.5)
    assert fit["slope"] == pytest.approx(-0.5, abs=1e-12)
    assert fit["prefactor"] == pytest.approx(3.0, rel=1e-10)
    assert fit["slope_stderr"] < 1e-10
    sigma = 0.05
    lx = np.log(N)
    expected_stderr = sigma / np.sqrt(((lx - lx.mean()) ** 2).sum())
    for seed in range(5):
        noise = np.random.default_rng(seed).normal(0.0, sigma, N.size)
        fit = analysis.power_law_fit(N, 3.0 * N**-0.5 * np.exp(noise))
        assert abs(fit["slope"] + 0.5) < 3 * fit["slope_stderr"]
        assert 0.3 * expected_stderr < fit["slope_stderr"] < 2.5 * expected_stderr


def test_power_law_fit_two_points_has_no_error_estimate():
    fit = analysis.power_law_fit([10.0, 100.0], [1.0, 0.1])
    assert fit["slope"] == pytest.approx(-1.0) and math.isnan(fit["slope_stderr"])


def test_power_law_with_bias_fit_exact_and_noisy():
    fit = analysis.power_law_with_bias_fit(N, 2.0 * N**-0.5 + 0.002)
    assert fit["slope"] == pytest.approx(-0.5, abs=1e-5)
    assert fit["prefactor"] == pytest.approx(2.0, rel=1e-4)
    assert fit["bias"] == pytest.approx(0.002, rel=1e-4)
    for seed in range(5):
        noise = np.random.default_rng(seed).normal(0.0, 0.02, N.size)
        fit = analysis.power_law_with_bias_fit(N, (2.0 * N**-0.5 + 0.002) * np.exp(noise))
        assert 0 < fit["slope_stderr"] < 0.2
        assert abs(fit["slope"] + 0.5) < 3 * fit["slope_stderr"]
    # a pure power law: the bias is fitted as (nearly) nothing
    fit = analysis.power_law_with_bias_fit(N, 2.0 * N**-0.5)
    assert fit["slope"] == pytest.approx(-0.5, abs=1e-4) and fit["bias"] < 1e-6


# --- persistent range and Hopf coupling against the closed forms -------------------------------


def test_bistable_range_at_J15_matches_the_saddle_nodes():
    """g = 0: persistent activity exactly between the two folds, (−5.74353, −3.13613): width
    2.60 (science.md §3); g = 1: the wedge minus the oscillating part, 0.36."""
    df = analysis.bistable_range(15.0, [0.0, 1.0])
    step = 18.0 / 2000  # the η̄ grid of the default range
    lo, hi = saddle_node_etas(15.0, 0.0)
    assert (lo, hi) == pytest.approx((-5.74353, -3.13613), abs=1e-5)
    g0, g1 = df.iloc[0], df.iloc[1]
    assert g0.eta_min == pytest.approx(lo, abs=step) and g0.eta_max == pytest.approx(hi, abs=step)
    assert g0.width == pytest.approx(hi - lo, abs=2 * step)
    assert g0.width == pytest.approx(2.60, abs=0.01)
    assert g1.width == pytest.approx(0.36, abs=0.01)
    assert list(df.columns) == ["g", "eta_min", "eta_max", "width"]


def test_bistable_range_without_persistent_activity():
    df = analysis.bistable_range(2.0, [0.0])  # below the cusp (J = 7.8): one state everywhere
    assert df.width.iloc[0] == 0.0 and math.isnan(df.eta_min.iloc[0])


@pytest.mark.parametrize("g", [0.5, 1.0, 2.0, 3.0])
def test_hopf_coupling_inverts_the_hopf_line(g):
    J_tb = takens_bogdanov(g)[1]  # the Hopf line is J < J_TB (−1.1 at g = 3)
    for J in (J_tb - 8.0, J_tb - 1.0):
        eta = hopf_eta(J, g)
        g_h = analysis.hopf_coupling(eta, J)
        assert g_h == pytest.approx(g, rel=1e-9)
        g_h2, omega = analysis.hopf_onset(eta, J)
        assert g_h2 == g_h
        assert omega == pytest.approx(hopf_frequency(J, g), rel=1e-6)


def test_hopf_coupling_closed_form_at_J0():
    """J = 0, η̄ = 1: 4/g² − g²/16 = 1, i.e. g⁴/16 + g² − 4 = 0, so g² = 8(√2 − 1)."""
    assert analysis.hopf_coupling(1.0, 0.0) == pytest.approx(math.sqrt(8 * (math.sqrt(2) - 1)))


def test_hopf_coupling_none_in_range():
    assert math.isnan(analysis.hopf_coupling(-100.0, 0.0, g_max=1.0))
    # η̄_H(J = 0, g) ≥ η̄_H(0, 20) ≈ −25 for g ≤ g_max = 20: no Hopf point at η̄ = −100
    g_h, omega = analysis.hopf_onset(-100.0, 0.0)
    assert math.isnan(g_h) and math.isnan(omega)


# --- MP20 tables -------------------------------------------------------------------------------


def test_asymmetry_table():
    rows = pd.DataFrame({
        "run": ["a", "a_c", "b", "c", "c_c"],
        "network_run": ["a", "a", "b", "c", "c"],
        "v_peak": 100.0,
        "v_reset": [-50.0, -50.0, -100.0, -200.0, -200.0],
        "kappa": [0.0, math.log(2), 0.0, 0.0, -math.log(2)],
        "rel_err_mean_r": [0.29, 0.01, 0.002, -0.2, 0.015],
    })  # fmt: skip
    t = analysis.asymmetry_table(rows)
    assert list(t.v_reset) == [-200.0, -100.0, -50.0]
    np.testing.assert_allclose(t.kappa, [-math.log(2), 0.0, math.log(2)], atol=1e-15)
    np.testing.assert_allclose(t.err_p19, [-0.2, 0.002, 0.29])
    np.testing.assert_allclose(t.err_mp20, [0.015, 0.002, 0.01])  # V_r = −V_p: MP20 = P19


def test_meanfield_variants():
    runs = {
        "net50": {"meanfield": {"kappa": 0.0}},
        "net50_corrected": {"network_from": "net50", "meanfield": {"kappa": 0.69}},
        "net100": {"meanfield": {"kappa": 0.0}},
    }
    assert analysis.meanfield_variants(runs, "net50") == ("net50", "net50_corrected")
    assert analysis.meanfield_variants(runs, "net100") == ("net100", None)


# --- finite-size tables ------------------------------------------------------------------------


def _sweep(N, v_peak, *, bias):
    mf = np.full(N.shape, 0.5)
    err = 2.0 * N**-0.5 + bias
    return pd.DataFrame({
        "N": N, "v_peak": v_peak, "mean_r_mf": mf, "mean_r_net": mf * (1 + err),
        "std_r_net": mf * N**-0.5, "period_mf": 3.0, "period_net": 3.0 * (1 - err),
        "rms_amplitude_v_mf": 1.0, "rms_amplitude_v_net": 1.0 + 2 * err,
    })  # fmt: skip


def test_finite_size_tables_recover_the_exponents():
    vp = np.array([25.0, 50.0, 100.0])
    big = np.full(3, 32000.0)
    tables, fits = analysis.finite_size_tables(
        async_=_sweep(N[::-1], 100.0, bias=0.002),
        oscillation=_sweep(N, 100.0, bias=0.004),
        v_peak_async=_sweep(big, vp, bias=0.002),
        v_peak_oscillation=_sweep(big, vp, bias=0.004),
    )
    assert list(tables["async"].N) == sorted(N)  # sorted by N
    np.testing.assert_allclose(tables["async"].rel_std_r, N**-0.5, rtol=1e-12)
    np.testing.assert_allclose(tables["oscillation"].rel_err_period, -(2 * N**-0.5 + 0.004))
    fits = fits.set_index("name")
    assert fits.loc["async_rel_std_r", "slope"] == pytest.approx(-0.5, abs=1e-10)
    assert fits.loc["async_rel_std_r", "bias"] == 0.0
    for name, bias, a in (("async_abs_err_mean_r", 0.002, 2.0),
                          ("osc_abs_err_period", 0.004, 2.0),
                          ("osc_abs_err_amplitude", 0.008, 4.0)):  # fmt: skip
        assert fits.loc[name, "slope"] == pytest.approx(-0.5, abs=1e-4), name
        assert fits.loc[name, "prefactor"] == pytest.approx(a, rel=1e-3), name
        assert fits.loc[name, "bias"] == pytest.approx(bias, rel=1e-3), name


def test_finite_size_tables_too_few_points_give_nan_fits():
    few = _sweep(N[:3], 100.0, bias=0.002)
    _, fits = analysis.finite_size_tables(
        async_=few, oscillation=few, v_peak_async=few, v_peak_oscillation=few
    )
    fits = fits.set_index("name")
    assert math.isnan(fits.loc["async_abs_err_mean_r", "slope"])  # 3 < 4 points with a bias
    assert fits.loc["async_rel_std_r", "slope"] == pytest.approx(-0.5)  # 3 ≥ 2 without
