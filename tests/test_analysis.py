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

from qifgap import analysis, bifurcation
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


@pytest.mark.parametrize("slope", [-7.0, 6.0])
def test_power_law_with_bias_fit_reports_a_slope_beyond_the_bound_at_the_bound(slope):
    """A start outside the bounds made least_squares raise; steeper data now fit at the bound
    (a pure power law |s| > 5 is not y = a xˢ + b with |s| ≤ 5: the fit is the best bounded)."""
    fit = analysis.power_law_with_bias_fit(N, 3.0 * N**slope)
    assert fit["slope"] == pytest.approx(np.sign(slope) * analysis.SLOPE_BOUND)


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


# --- exact answers on tiny constructed inputs (mutation testing, mutation/equivalent.md) ------


def test_moving_average_even_window():
    """An even window of 2 averages each sample with the one before (mode "same")."""
    np.testing.assert_allclose(analysis.moving_average(np.arange(5.0), 2), [0, 0.5, 1.5, 2.5, 3.5])


def test_hysteresis_takes_the_first_switch_on_and_the_last_switch_off():
    """Drive 0 → 6 → 0 in steps of 1; r switches on at drive 1 and again at 4 on the way up,
    and off at drive 4 and again at 1 on the way down: eta_on is the first (1), eta_off the
    last (1)."""
    t = np.arange(13.0)
    drive = np.array([0, 1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0], dtype=float)
    r = np.array([0, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 0], dtype=float)
    h = analysis.hysteresis(t, r, drive, threshold=0.5, smooth=0.5)
    assert h == {"eta_on": 1.0, "eta_off": 1.0, "width": 0.0}


def test_hysteresis_switches_at_the_top_of_the_ramp():
    """The switch on lands on the top sample and the switch off right after it: the top belongs
    to both halves of the ramp."""
    t, drive = np.arange(5.0), np.array([0.0, 1.0, 2.0, 1.0, 0.0])
    h = analysis.hysteresis(t, np.array([0.0, 0.0, 1.0, 0.0, 0.0]), drive, threshold=0.5,
                            smooth=0.1)  # fmt: skip
    assert h == {"eta_on": 2.0, "eta_off": 1.0, "width": 1.0}


def test_hysteresis_smooths_over_smooth_over_dt_samples():
    """dt = 0.5, smooth = 1.5: a 3-sample average turns the pulse r = 1 on samples 3–6 into
    0, 0, 1/3, 2/3, 1, 1, 2/3, 1/3, 0, which is above 0.3 from sample 2 to 7: on at drive 2,
    off at drive 0 (unsmoothed: 3 and 1)."""
    t = 0.5 * np.arange(9.0)
    drive = np.array([0, 1, 2, 3, 4, 3, 2, 1, 0], dtype=float)
    r = np.array([0, 0, 0, 1, 1, 1, 1, 0, 0], dtype=float)
    h = analysis.hysteresis(t, r, drive, threshold=0.3, smooth=1.5)
    assert (h["eta_on"], h["eta_off"]) == (2.0, 0.0)
    h = analysis.hysteresis(t, r, drive, threshold=0.3, smooth=0.2)
    assert (h["eta_on"], h["eta_off"]) == (3.0, 1.0)
    # the default smooth = 2 τ, 4 samples: 0, 0, 1/4, 1/2, …: on at 3 (over 3 τ, 6 samples: 2)
    assert analysis.hysteresis(t, r, drive, threshold=0.3)["eta_on"] == 3.0
    assert analysis.hysteresis(t, r, drive, threshold=0.3, smooth=3.0)["eta_on"] == 2.0


def test_power_law_fit_three_points_standard_error():
    """Three points: the slope's standard error of ordinary least squares on (ln x, ln y),
    √(SSR / (n − 2) / Σ (ln x − mean)²)."""
    x, y = np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.6, 0.2])
    fit = analysis.power_law_fit(x, y)
    lx, ly = np.log(x), np.log(y)
    sxx = ((lx - lx.mean()) ** 2).sum()
    slope = ((lx - lx.mean()) * (ly - ly.mean())).sum() / sxx
    residuals = ly - ly.mean() - slope * (lx - lx.mean())
    assert fit["slope"] == pytest.approx(slope, rel=1e-12)
    assert fit["prefactor"] == pytest.approx(math.exp(ly.mean() - slope * lx.mean()), rel=1e-12)
    assert fit["slope_stderr"] == pytest.approx(math.sqrt((residuals**2).sum() / sxx), rel=1e-9)


@pytest.mark.parametrize("step", [1, 2])
def test_power_law_with_bias_fit_standard_error_is_that_of_least_squares(step):
    """Noisy data, 8 and 4 points: slope, prefactor, bias and the slope's standard error
    (covariance scaled by χ²/(n − 3)) equal those of scipy's curve_fit of the same model."""
    from scipy.optimize import curve_fit

    x = N[::step]
    y = (2.0 * x**-0.5 + 0.002) * np.exp(np.random.default_rng(3).normal(0.0, 0.05, x.size))
    fit = analysis.power_law_with_bias_fit(x, y)
    p, cov = curve_fit(lambda x, log_a, s, b: np.log(np.exp(log_a) * x**s + b), x, np.log(y),
                       p0=[math.log(2.0), -0.5, 0.002])  # fmt: skip
    assert fit["slope"] == pytest.approx(p[1], rel=1e-5)
    assert fit["prefactor"] == pytest.approx(math.exp(p[0]), rel=1e-5)
    assert fit["bias"] == pytest.approx(p[2], rel=1e-4)
    assert fit["slope_stderr"] == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-5)


def test_bistable_range_reads_the_labels_on_its_eta_grid(monkeypatch):
    """A stand-in phase diagram labels η̄ ∈ [−0.5, 0.25] bistable and η̄ > 0.5 oscillation +
    fixed point at g = 0, nothing persistent at g = 2: on the 9-point grid of step 0.25 over
    [−1, 1] the persistent set is 6 points (width 1.5) from −0.5 to 1; none at g = 2."""
    calls = []

    class Diagram:
        def __init__(self, g):
            self.g = g

        def label(self, eta, J):
            calls.append(np.asarray(J))
            if self.g > 0:
                return np.full(eta.shape, "one stable state")
            labels = np.where(eta > 0.5, "oscillation + fixed point", "one stable state")
            return np.where((eta >= -0.5) & (eta <= 0.25), "bistable", labels)

    def phase_diagram(g, delta, *, eta_range, J_range, n):
        calls.append((g, delta, eta_range, J_range, n))
        return Diagram(g)

    monkeypatch.setattr(bifurcation, "phase_diagram", phase_diagram)
    df = analysis.bistable_range(3.0, [0.0, 2.0], 0.5, eta_range=(-1.0, 1.0), n_eta=9)
    assert calls[0] == (0.0, 0.5, (-1.0, 1.0), (2.0, 4.0), 2)
    assert calls[1].shape == (9,) and (calls[1] == 3.0).all()
    assert calls[2][0] == 2.0
    g0, g2 = df.iloc[0], df.iloc[1]
    assert (g0.g, g0.eta_min, g0.eta_max, g0.width) == (0.0, -0.5, 1.0, 1.5)
    assert g2.g == 2.0 and g2.width == 0.0
    assert math.isnan(g2.eta_min) and math.isnan(g2.eta_max)
    calls.clear()
    df = analysis.bistable_range(3.0, [0.0])  # the default grid: 2001 points on [−12, 6]
    assert calls[0] == (0.0, 1.0, (-12.0, 6.0), (2.0, 4.0), 2) and calls[1].shape == (2001,)
    assert (df.eta_min.iloc[0], df.eta_max.iloc[0]) == pytest.approx((-12.0 + 1278 * 0.009, 6.0))


def test_hopf_coupling_searches_up_to_g_max_20():
    """At J = J_TB(20.5) − 5 the Hopf point of η̄_H(J, 20.5) lies at g = 20.5: outside the
    default range (0, 20], found with g_max = 21."""
    J = takens_bogdanov(20.5)[1] - 5.0
    eta = hopf_eta(J, 20.5)
    assert math.isnan(analysis.hopf_coupling(eta, J))
    assert analysis.hopf_coupling(eta, J, g_max=21.0) == pytest.approx(20.5, rel=1e-9)


def test_asymmetry_table_without_a_p19_run():
    """A network compared only with its corrected mean field: err_p19 NaN, err_mp20 kept; the
    table has its five columns and a fresh index."""
    rows = pd.DataFrame({"run": ["a_c", "b"], "network_run": ["a", "b"], "v_peak": 100.0,
                         "v_reset": [-50.0, -100.0], "kappa": [math.log(2), 0.0],
                         "rel_err_mean_r": [0.01, 0.002]})  # fmt: skip
    t = analysis.asymmetry_table(rows)
    assert list(t.columns) == ["network_run", "v_reset", "kappa", "err_p19", "err_mp20"]
    assert list(t.index) == [0, 1] and list(t.network_run) == ["b", "a"]
    assert t.err_p19.iloc[0] == 0.002 and math.isnan(t.err_p19.iloc[1])
    assert t.err_mp20.tolist() == [0.002, 0.01]


def test_finite_size_tables_minimum_points_and_zero_errors():
    """Four points are enough for a fit with a bias, two for a pure power law (one is not);
    an error of exactly 0 is left out of the fit (no logarithm of it); the V_p tables are
    sorted by V_p."""
    four = _sweep(N[:4], np.array([100.0, 25.0, 50.0, 75.0]), bias=0.002)
    sweeps = {"async_": four, "oscillation": four, "v_peak_async": four, "v_peak_oscillation": four}
    tables, fits = analysis.finite_size_tables(**sweeps)
    assert list(tables["v_peak_async"].v_peak) == [25.0, 50.0, 75.0, 100.0]
    assert list(tables["v_peak_oscillation"].v_peak) == [25.0, 50.0, 75.0, 100.0]
    fits = fits.set_index("name")
    assert list(fits.index) == ["async_rel_std_r", "async_abs_err_mean_r", "osc_abs_err_period",
                                "osc_abs_err_amplitude"]  # fmt: skip
    assert fits.loc["async_abs_err_mean_r", "slope"] == pytest.approx(-0.5, abs=1e-3)
    assert fits.loc["async_abs_err_mean_r", "bias"] == pytest.approx(0.002, rel=1e-2)
    two = _sweep(N[:3], 100.0, bias=0.0)
    two.loc[0, "std_r_net"] = 0.0  # left out: two points remain
    _, fits = analysis.finite_size_tables(async_=two, oscillation=two, v_peak_async=two,
                                          v_peak_oscillation=two)  # fmt: skip
    fits = fits.set_index("name")
    assert fits.loc["async_rel_std_r", "slope"] == pytest.approx(-0.5, abs=1e-12)
    assert fits.loc["async_rel_std_r", "prefactor"] == pytest.approx(1.0, rel=1e-10)
    one = two.copy()
    one.loc[1, "std_r_net"] = 0.0
    _, fits = analysis.finite_size_tables(async_=one, oscillation=one, v_peak_async=one,
                                          v_peak_oscillation=one)  # fmt: skip
    assert fits.set_index("name").loc["async_rel_std_r"].isna().all()


# --- onset exponent: the interval against an independent least-squares fit ---------------------

D = np.geomspace(0.02, 1.0, 15)


def _onset_reference(d, A, corrections, confidence):
    """β, its standard error, the truncation |β_k − β_(k−1)| and the interval half-width from
    scipy's curve_fit of ln A = ln a + β ln d + ln(1 + Σ c_j d^j)."""
    from scipy.optimize import curve_fit
    from scipy.stats import t as student_t

    def model(k):
        return lambda x, *p: (
            p[0] + p[1] * np.log(x) + np.log(1 + sum(p[2 + j] * x ** (j + 1) for j in range(k)))
        )

    p, cov = curve_fit(model(corrections), d, np.log(A), p0=[0.0, 0.5] + [0.0] * corrections)
    lower, _ = curve_fit(model(corrections - 1), d, np.log(A),
                         p0=[0.0, 0.5] + [0.0] * (corrections - 1))  # fmt: skip
    se, truncation = math.sqrt(cov[1, 1]), abs(p[1] - lower[1])
    dof = d.size - corrections - 2
    return p, se, truncation, student_t.ppf(0.5 + confidence / 2, dof) * se + truncation


@pytest.mark.parametrize(
    ("corrections", "confidence", "step"), [(2, 0.95, 1), (1, 0.9, 1), (1, 0.95, 4)]
)
def test_onset_exponent_fit_interval_is_student_t_plus_truncation(corrections, confidence, step):
    """15 points, and 4 (k = 1: one degree of freedom); the correction factor falls below 1 (the
    fit's floor on it is 10⁻¹²)."""
    rng = np.random.default_rng(3)
    A = 0.8 * D**0.5 * (1 - 0.3 * D + 0.1 * D**2) * (1 + 0.01 * rng.standard_normal(D.size))
    d, A = D[::step], A[::step]
    fit = analysis.onset_exponent_fit(d, A, corrections=corrections, confidence=confidence)
    p, se, truncation, half = _onset_reference(d, A, corrections, confidence)
    assert fit["exponent"] == pytest.approx(p[1], rel=1e-6)
    assert fit["prefactor"] == pytest.approx(math.exp(p[0]), rel=1e-6)
    assert fit["exponent_stderr"] == pytest.approx(se, rel=1e-4)
    assert fit["truncation"] == pytest.approx(truncation, rel=1e-4)
    assert fit["exponent_low"] == pytest.approx(p[1] - half, rel=1e-5)
    assert fit["exponent_high"] == pytest.approx(p[1] + half, rel=1e-5)
    assert (fit["n"], fit["confidence"]) == (d.size, confidence)


def test_onset_exponent_fit_drops_points_off_the_domain_and_checks_its_arguments():
    """Points with d ≤ 0, A ≤ 0 or NaN are dropped (n counts the rest); corrections must be a
    whole number ≥ 1 (numpy integers too), k + 3 points are needed, 0 < confidence < 1."""
    A = 0.8 * D**0.5 * (1 + 0.3 * D)
    d_bad = np.concatenate([D, [0.0, -0.1, 0.2, np.nan]])
    A_bad = np.concatenate([A, [0.1, 0.1, 0.0, 0.1]])
    fit = analysis.onset_exponent_fit(d_bad, A_bad, corrections=np.int64(1))
    assert fit["n"] == 15 and fit["exponent"] == pytest.approx(0.5, abs=1e-9)
    assert fit["truncation"] > 1e-3  # the pure power law (k = 0) misses the 0.3 d term
    assert analysis.onset_exponent_fit(D[:4], A[:4], corrections=1)["n"] == 4
    with pytest.raises(ValueError, match=r"need at least 4 points .*, got 3"):
        analysis.onset_exponent_fit(D[:3], A[:3], corrections=1)
    for bad in (0, 1.5):
        with pytest.raises(ValueError, match=r"corrections must be a whole number >= 1, got"):
            analysis.onset_exponent_fit(D, A, corrections=bad)
    for bad in (0.0, 1.0):
        with pytest.raises(ValueError, match=r"confidence must be in \(0, 1\), got"):
            analysis.onset_exponent_fit(D, A, confidence=bad)


# --- transient period: crossings at chosen times -------------------------------------------------

CROSSINGS = np.array([1.0, 3.0, 4.5, 5.7, 6.7, 7.7, 8.7, 9.7])  # intervals 2, 1.5, 1.2, 1 × 4


def _chirp(*, ripple=0.0):
    """x = 0.3 + 2 cos φ(t) with φ = 3π/2 (mod 2π), an upward crossing of 0.3, exactly at
    CROSSINGS (φ linear in between), then x = 0.3 from the last one on, with a ripple of
    amplitude ``ripple`` and period 0.5 on 12 < t < 14; t in [0, 20], dt = 10⁻³."""
    t = np.round(np.arange(0.0, 20.0 + 5e-4, 1e-3), 10)
    knots = np.concatenate([[0.0], CROSSINGS])
    phase = np.concatenate([[1.5 * np.pi - 2 * np.pi], 1.5 * np.pi + 2 * np.pi * np.arange(8)])
    x = 0.3 + 2.0 * np.cos(np.interp(t, knots, phase))
    x[t >= CROSSINGS[-1]] = 0.3
    on = (t > 12.0) & (t < 14.0)
    x[on] += ripple * np.sin(2 * np.pi * t[on] / 0.5)
    return t, x


def test_transient_period_late_half_all_intervals_and_skip():
    """Intervals 2, 1.5, 1.2, 1, 1, 1, 1: period = mean of the last half (the last 4) = 1,
    period_all = 8.7 / 7; skipping 2: 5 intervals, the last 3 average 1, all 5.2 / 5."""
    t, x = _chirp()
    out = analysis.transient_period(t, x, t_min=0.0, t_max=20.0)
    assert out["n_intervals"] == 7
    assert out["period"] == pytest.approx(1.0, abs=1e-6)
    assert out["period_all"] == pytest.approx(8.7 / 7, abs=1e-6)
    out = analysis.transient_period(t, x, t_min=0.0, t_max=20.0, skip=2)
    assert out["n_intervals"] == 5
    assert out["period_all"] == pytest.approx(5.2 / 5, abs=1e-6)
    out = analysis.transient_period(t, x, t_min=2.0, t_max=20.0)  # the first crossing cut off
    assert out["n_intervals"] == 6 and out["period_all"] == pytest.approx(6.7 / 6, abs=1e-6)


def test_transient_period_floor_ignores_a_ripple_below_it():
    """A ripple of amplitude 0.05 after the decay: below the floor 0.05 × 2 = 0.1 it adds no
    crossing; with the floor at 0.01 × 2 = 0.02 it adds one per ripple period (4)."""
    t, x = _chirp(ripple=0.05)
    assert analysis.transient_period(t, x, t_min=0.0, t_max=20.0)["n_intervals"] == 7
    assert analysis.transient_period(t, x, t_min=0.0, t_max=20.0, floor=0.01)["n_intervals"] == 11


@pytest.mark.parametrize(("t_switch", "period"), [(17.75, 1.0), (14.0, 0.5)])
def test_transient_period_level_is_the_median_of_the_last_quarter(t_switch, period):
    """A sine of period 1 around 0, then from t_switch one of period 0.5 around 3 (a signal still
    drifting at its end). The level, the median of the last quarter [15, 20], lies in the first
    while it fills more than half of the last quarter (t_switch = 17.75: the crossings are the
    first's, period ≈ 1 less the interval cut at the switch), in the second otherwise (14:
    period 0.5). The median of the last fifth [16, 20] (2.05, below the second's re-arming
    level: no period) or of the last three quarters [5, 20] (0.88: period 1) differs."""
    t = np.arange(0.0, 20.0, 0.01)
    x = np.where(t < t_switch, np.sin(2 * np.pi * t), 3.0 + np.sin(4 * np.pi * t))
    out = analysis.transient_period(t, x, t_min=0.0, t_max=20.0)
    assert out["period"] == pytest.approx(period, rel=0.06)


def test_transient_period_smoothing_removes_a_fast_ripple():
    """x = 2 cos(π t) + 0.5 sin(2π t / 0.05): a centred average over smooth = 0.05 τ (one ripple
    period, 50 samples) removes the ripple and keeps the phase of the slow wave: period 2."""
    t = np.arange(0.0, 20.0, 1e-3)
    x = 2.0 * np.cos(np.pi * t) + 0.5 * np.sin(2 * np.pi * t / 0.05)
    out = analysis.transient_period(t, x, t_min=0.0, t_max=20.0, smooth=0.05)
    assert out["period"] == pytest.approx(2.0, abs=1e-3) and out["n_intervals"] == 9
    assert analysis.transient_period(t, x, t_min=0.0, t_max=20.0)["period"] < 1.9


def test_transient_period_window_needs_eight_samples_and_may_have_no_interval():
    t = np.arange(10.0)
    out = analysis.transient_period(t, np.zeros(10), t_min=1.0, t_max=8.0)  # 8 samples, ends in
    assert out["n_intervals"] == 0 and math.isnan(out["period"]) and math.isnan(out["period_all"])
    with pytest.raises(ValueError, match=r"window \[1.0, 7.5\] holds fewer than 8 samples"):
        analysis.transient_period(t, np.zeros(10), t_min=1.0, t_max=7.5)


def test_hysteresis_halves_of_the_ramp_are_read_separately():
    """Drive 0 → 4 → 0. A pulse on the rising half only: on at 1, no switch off on the falling
    half (NaN). High from the first sample after the top to the end of the ramp: no switch on
    while rising (NaN). Above at the start, a dip, then on at 3. r equal to the threshold is
    not above it."""
    t, drive = np.arange(9.0), np.array([0, 1, 2, 3, 4, 3, 2, 1, 0], dtype=float)

    def h(r, threshold=0.5):
        return analysis.hysteresis(t, np.array(r, dtype=float), drive, threshold=threshold,
                                   smooth=0.1)  # fmt: skip

    rise = h([0, 1, 1, 0, 0, 0, 0, 0, 0])
    assert rise["eta_on"] == 1.0 and math.isnan(rise["eta_off"])
    fall = h([0, 0, 0, 0, 0, 1, 1, 0, 0])
    assert math.isnan(fall["eta_on"]) and fall["eta_off"] == 1.0
    assert h([1, 0, 0, 1, 1, 1, 1, 1, 1])["eta_on"] == 3.0
    assert math.isnan(h([0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0, 0])["eta_on"])


def test_hopf_coupling_and_onset_with_delta_and_a_root_in_the_last_grid_cell():
    """Δ = 2: the root of η̄_H(J, g, Δ) = η̄ and ω_H(J, g, Δ) there; a Hopf point at
    g = 0.99995, in the last cell of the grid on (0, g_max = 1], is still found."""
    eta = hopf_eta(5.0, 1.5, 2.0)
    assert analysis.hopf_coupling(eta, 5.0, 2.0) == pytest.approx(1.5, rel=1e-9)
    g_h, omega = analysis.hopf_onset(eta, 5.0, 2.0)
    assert g_h == pytest.approx(1.5, rel=1e-9)
    assert omega == pytest.approx(hopf_frequency(5.0, 1.5, 2.0), rel=1e-6)
    assert analysis.hopf_coupling(hopf_eta(5.0, 0.99995), 5.0, g_max=1.0) == pytest.approx(
        0.99995, rel=1e-9
    )


def test_focus_period_scales_with_delta():
    """(r, v, t) → (a r, a v, t / a) maps Δ, η̄, J to a² Δ, a² η̄, a J (g = 0): at Δ = 4 the
    period is half that at Δ = 1, 1.0896 / 2."""
    assert analysis.focus_period(eta_bar=-8.0, J=30.0, g=0.0, delta=4.0) == pytest.approx(
        1.0896 / 2, abs=1e-4
    )


def test_transient_period_of_a_single_interval():
    """Two crossings of a square wave of period 4 samples: one interval, period 4."""
    x = np.array([-1, 1, 1, 1] * 2 + [0] * 8, dtype=float)
    out = analysis.transient_period(np.arange(16.0), x, t_min=0.0, t_max=15.0)
    assert out == {"period": 4.0, "period_all": 4.0, "n_intervals": 1}


def test_finite_size_error_columns_are_ratios():
    """The relative errors are net / mf − 1 for mean-field values other than 1 (3 / 2 − 1)."""
    sweep = _sweep(N[:2], 100.0, bias=0.0)
    sweep["rms_amplitude_v_mf"], sweep["rms_amplitude_v_net"] = 2.0, 3.0
    sweeps = {"async_": sweep, "oscillation": sweep, "v_peak_async": sweep}
    tables, fits = analysis.finite_size_tables(**sweeps, v_peak_oscillation=sweep)
    np.testing.assert_allclose(tables["oscillation"].rel_err_amplitude, 0.5)
    np.testing.assert_allclose(tables["oscillation"].abs_err_amplitude, 0.5)
    # two points: fits with a bias are NaN rows with the same columns as the others
    assert set(fits.columns) == {"name", "slope", "prefactor", "bias", "slope_stderr"}
    assert fits.set_index("name").loc["osc_abs_err_amplitude"].isna().all()
