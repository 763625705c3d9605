"""Comparison and oscillation metrics on signals whose answers are known in closed form."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from qifgap import metrics

DT = 0.01
T = np.arange(0.0, 50.0, DT)  # 50 τ: a whole number of periods of the test sines below


def test_rmse_and_relative_rmse():
    assert metrics.rmse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]) == pytest.approx(math.sqrt(4 / 3))
    assert metrics.rmse([1j, 0.0], [0.0, 0.0]) == pytest.approx(math.sqrt(0.5))  # |complex|
    # RMS of the reference b = sqrt((9 + 16)/2)
    rel = metrics.relative_rmse([3.0, 5.0], [3.0, 4.0])
    assert rel == pytest.approx(math.sqrt(0.5) / math.sqrt(12.5))
    assert metrics.relative_rmse([3j, 0.0], [-3j, 0.0]) == pytest.approx(2.0)
    assert math.isnan(metrics.relative_rmse([1.0, 2.0], [0.0, 0.0]))


@pytest.mark.parametrize("period", [2.5, 1.0897])
def test_crossing_period_of_a_sine(period):
    x = 3.0 + 2.0 * np.sin(2 * np.pi * T / period + 0.3)
    assert metrics.crossing_period(T, x) == pytest.approx(period, rel=1e-5)


def test_crossing_period_ignores_jitter_at_the_crossings():
    """A fast ripple makes the signal cross its mean several times per period: the hysteresis
    (0.25 std) counts one crossing per period, none (0) counts the ripple too."""
    x = np.sin(2 * np.pi * T / 2.5) + 0.15 * np.sin(2 * np.pi * T / 0.13)
    assert metrics.crossing_period(T, x) == pytest.approx(2.5, rel=1e-2)
    assert metrics.crossing_period(T, x, hysteresis=0.0) < 1.5
    # the window of hysteresis scales with the std: the same ripple on a 10× signal
    assert metrics.crossing_period(T, 10 * x) == pytest.approx(2.5, rel=1e-2)


def test_crossing_period_needs_two_crossings():
    assert math.isnan(metrics.crossing_period(T[:200], np.sin(2 * np.pi * T[:200] / 2.5)))
    assert math.isnan(metrics.crossing_period(T, np.ones_like(T)))
    # two crossings, the second between the last two samples: y = x, crossings at 1.5 and 3.5
    assert metrics.crossing_period([0, 1, 2, 3, 4], [0, -1, 1, -1, 1]) == 2.0
    # a sample exactly at the mean ends a rise: crossings at 1 and 5
    assert metrics.crossing_period(range(7), [-1, 0, 1, 0, -1, 0, 1]) == 4.0
    # the first rise does not count: x was not below mean − h before it
    assert math.isnan(metrics.crossing_period([0, 1, 2, 3], [-0.05, 1, -1, 0.05]))


def test_crossing_period_of_pulses():
    """Pulses 20 % of the time: the signal dips to −0.5 std below its mean, which arms the
    default hysteresis (0.25 std) but not one of 1.25 std."""
    pulses = ((T % 2.5) < 0.5).astype(float)
    assert metrics.crossing_period(T, pulses) == pytest.approx(2.5, rel=1e-9)
    assert math.isnan(metrics.crossing_period(T, pulses, hysteresis=1.25))


@pytest.mark.parametrize("f0", [0.73, 2.1])
def test_spectral_peak_of_a_sine(f0):
    x = 1.0 + 0.5 * np.sin(2 * np.pi * f0 * T) + 0.02 * T  # offset and trend are removed
    f, share = metrics.spectral_peak(T, x)
    assert f == pytest.approx(f0, rel=1e-5)  # parabolic refinement: 1e-3 of a padded bin
    # the share counts ±1 bin of the unpadded spectrum around the peak: 0.714 of a Hann-windowed
    # sine (whose main lobe is ±2 bins), not 1 as the docstring says
    assert share == pytest.approx(0.714, abs=0.01)


@pytest.mark.parametrize("f0", [0.73, 0.417])
@pytest.mark.parametrize("amplitude", [1.0, 1e-5])
def test_spectral_peak_refines_between_bins(f0, amplitude):
    """Without padding the bins are 1/50 τ⁻¹ apart; the parabola through the log power of the
    three bins around the maximum finds the peak to ~1 % of a bin, at any signal size."""
    f, _ = metrics.spectral_peak(T, amplitude * np.sin(2 * np.pi * f0 * T), pad=1)
    assert abs(f - f0) < 0.01 * 0.02


def test_spectral_peak_detrends_on_any_time_origin():
    """A steep trend (50 per τ) on a time axis that starts at 100: removed exactly."""
    t = T + 100.0
    f, share = metrics.spectral_peak(t, np.sin(2 * np.pi * 0.73 * t) + 50.0 * t)
    assert f == pytest.approx(0.73, rel=1e-5)
    assert share == pytest.approx(0.714, abs=0.01)


def test_spectral_peak_of_tiny_signals_and_of_a_parabola():
    f, _ = metrics.spectral_peak(T, 1e-5 * np.sin(2 * np.pi * 0.73 * T))  # total power ≪ 1
    assert f == pytest.approx(0.73, rel=1e-5)
    # the detrending is linear: a parabola keeps its power at the lowest frequencies, where
    # it hides a sine of a hundredth of its size
    x = np.sin(2 * np.pi * 0.73 * T) + 0.1 * (T - 25.0) ** 2
    f, share = metrics.spectral_peak(T, x)
    assert f < 0.02 and share > 0.4
    # eight samples are enough for an answer
    f, share = metrics.spectral_peak(T[:8], np.sin(T[:8]))
    assert math.isfinite(f) and math.isfinite(share)


def test_spectral_peak_of_a_damped_oscillation():
    """e^{−t/8} sin(2π f t): the peak sits at f within the line width ~1/(2π·8)."""
    x = np.exp(-T / 8) * np.sin(2 * np.pi * 0.917 * T)
    f, share = metrics.spectral_peak(T, x)
    assert f == pytest.approx(0.917, abs=0.02)
    assert share > 0.5


def test_spectral_peak_of_noise_and_degenerate_input():
    rng = np.random.default_rng(0)
    _, share = metrics.spectral_peak(T, rng.normal(size=T.size))
    assert share < 0.1
    f, share = metrics.spectral_peak(T, np.zeros_like(T))  # no power at all
    assert math.isnan(f) and share == 0.0
    f, share = metrics.spectral_peak(T[:7], np.sin(T[:7]))
    assert math.isnan(f) and math.isnan(share)


def test_amplitudes():
    assert metrics.oscillation_amplitude([1.0, 5.0, -2.0]) == 7.0
    assert math.isnan(metrics.oscillation_amplitude([]))
    x = 0.7 + 1.5 * np.sin(2 * np.pi * T / 2.5)
    assert metrics.rms_amplitude(x) == pytest.approx(3.0, rel=1e-6)  # 2 × amplitude
    assert metrics.rms_amplitude([2.0, 4.0]) == pytest.approx(2 * math.sqrt(2))
    assert math.isnan(metrics.rms_amplitude([]))


def _series(t, r, v, Z):
    return SimpleNamespace(t=np.asarray(t), r=np.asarray(r), v=np.asarray(v), Z=np.asarray(Z))


def test_compare_known_series():
    r_mf = 2.0 + 0.5 * np.sin(2 * np.pi * T / 2.5)
    v_mf = -0.2 + 0.3 * np.cos(2 * np.pi * T / 2.5)
    z_mf = 0.5 * np.exp(2j * np.pi * T / 2.5)
    mf = _series(T, r_mf, v_mf, z_mf)
    net = _series(T, 1.1 * r_mf, v_mf + 0.05, z_mf * 1j)
    out = metrics.compare(net, mf)
    assert out["t_min"] == 0.0 and out["t_max"] == pytest.approx(T[-1])
    assert out["rmse_r"] == pytest.approx(0.1 * np.sqrt(np.mean(r_mf**2)))
    assert out["rel_rmse_r"] == pytest.approx(0.1)
    assert out["rmse_v"] == pytest.approx(0.05)
    assert out["rel_rmse_v"] == pytest.approx(0.05 / np.sqrt(np.mean(v_mf**2)))
    assert out["rmse_Z"] == pytest.approx(0.5 * math.sqrt(2))  # |iz − z| = √2 |z|
    assert out["mean_r_mf"] == pytest.approx(2.0, abs=1e-9)
    assert out["mean_r_net"] == pytest.approx(2.2, abs=1e-9)
    assert out["mean_v_net"] == pytest.approx(-0.15, abs=1e-9)
    assert out["std_r_mf"] == pytest.approx(0.5 / math.sqrt(2), rel=1e-6)
    assert out["amplitude_r_net"] == pytest.approx(1.1, rel=1e-4)
    assert out["amplitude_v_mf"] == pytest.approx(0.6, rel=1e-4)
    assert out["rms_amplitude_v_mf"] == pytest.approx(0.6, rel=1e-6)
    assert out["period_net"] == pytest.approx(2.5, rel=1e-5)
    assert out["spectral_peak_mf"] == pytest.approx(0.4, rel=1e-3)
    assert out["spectral_share_net"] == pytest.approx(0.714, abs=0.01)
    assert out["mean_absZ_net"] == pytest.approx(0.5)
    assert out["std_absZ_mf"] == pytest.approx(0.0, abs=1e-12)
    assert out["rel_err_mean_r"] == pytest.approx(0.1, abs=1e-9)
    assert out["rel_err_period"] == pytest.approx(0.0, abs=1e-6)


def test_compare_window():
    r = np.where(T < 10, 5.0, 1.0)
    mf = _series(T, np.ones_like(T), np.zeros_like(T) - 1, np.zeros_like(T))
    net = _series(T, r, np.zeros_like(T) - 1, np.zeros_like(T))
    out = metrics.compare(net, mf, t_min=10.0, t_max=20.0)
    assert out["t_min"] == pytest.approx(10.0) and out["t_max"] == pytest.approx(20.0)
    assert out["rmse_r"] == 0.0
    assert metrics.compare(net, mf, t_max=20.0)["rmse_r"] > 1.0
    assert metrics.compare(net, mf, t_min=10.0)["t_max"] == pytest.approx(T[-1])


def test_compare_refuses_other_grids_and_empty_windows():
    a = _series(T, np.ones_like(T), np.ones_like(T), np.ones_like(T))
    b = _series(T + 0.001, np.ones_like(T), np.ones_like(T), np.ones_like(T))
    same_grid = r"^net and mf must be sampled on the same time grid$"
    with pytest.raises(ValueError, match=same_grid):
        metrics.compare(a, b)
    c = _series(T[:-1], np.ones(T.size - 1), np.ones(T.size - 1), np.ones(T.size - 1))
    with pytest.raises(ValueError, match=same_grid):
        metrics.compare(a, c)
    with pytest.raises(ValueError, match=r"^the comparison window \[t_min, t_max\] holds fewer"):
        metrics.compare(a, a, t_min=20.0, t_max=20.005)
    two = metrics.compare(a, a, t_min=T[10], t_max=T[11])  # two samples are enough
    assert two["t_min"] == T[10] and two["t_max"] == T[11] and two["rmse_r"] == 0.0
