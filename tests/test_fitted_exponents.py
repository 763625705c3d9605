"""Scaling laws fitted, not drawn: the onset exponent of the Hopf cycle with a free exponent and
its confidence interval (in η̄ and in g), and the transient-synchrony period of the MPR15 step
measured against 2π/Im λ of the focus."""

import math

import numpy as np
import pytest

from qifgap import analysis, bifurcation, meanfield, network
from qifgap.inputs import Step

DISTANCES = np.geomspace(0.01, 0.5, 12)


def _assert_half_not_one(fit):
    assert fit["exponent_low"] <= 0.5 <= fit["exponent_high"], fit
    assert not fit["exponent_low"] <= 1.0 <= fit["exponent_high"], fit
    assert fit["exponent_high"] - fit["exponent_low"] < 0.05  # it can tell ½ from ¾


def test_onset_exponent_in_eta_is_one_half():
    """Cycles of the Hopf branch at J = 0, g = 1 (continuation) against η̄ − η̄_H."""
    eta_h = bifurcation.hopf_eta(0.0, 1.0)
    cycles = bifurcation.limit_cycles(0.0, 1.0, eta_values=eta_h + DISTANCES)
    assert len(cycles) == DISTANCES.size and cycles.stable.all()
    _assert_half_not_one(analysis.onset_exponent_fit(cycles.eta_bar - eta_h, cycles.amplitude))


def test_onset_exponent_in_g_is_one_half():
    """Cycles at η̄ = 2, J = 0 (the onset sweep's point, g_H = 1.3742) against g − g_H."""
    g_h = analysis.hopf_coupling(2.0, 0.0)
    assert g_h == pytest.approx(1.3742, abs=1e-4)
    amplitude = [bifurcation.limit_cycle(2.0, 0.0, g_h + d)["amplitude"] for d in DISTANCES]
    _assert_half_not_one(analysis.onset_exponent_fit(DISTANCES, amplitude))


def test_onset_exponent_fit_rejects_one_half_for_a_linear_law():
    """Noisy amplitudes growing linearly: the interval holds 1 and not ½."""
    rng = np.random.default_rng(7)
    d = np.geomspace(0.02, 1.0, 15)
    amplitude = 0.8 * d * (1 + 0.3 * d) * (1 + 0.02 * rng.standard_normal(d.size))
    fit = analysis.onset_exponent_fit(d, amplitude)
    assert fit["exponent_low"] <= 1.0 <= fit["exponent_high"]
    assert fit["exponent_low"] > 0.6
    with pytest.raises(ValueError, match="at least 5 points"):
        analysis.onset_exponent_fit(d[:4], amplitude[:4])


def test_focus_period_closed_form():
    """2π/Im λ: 1.0896 at η̄ = −2 (the step's effective drive), J = 15; at η̄ = −5 the focus
    has λ = −0.309 ± 3.319i (science.md §3), T = 1.8931."""
    assert analysis.focus_period(eta_bar=-2.0, J=15.0, g=0.0, delta=1.0) == pytest.approx(
        1.0896, abs=1e-4
    )
    assert analysis.focus_period(eta_bar=-5.0, J=15.0, g=0.0, delta=1.0) == pytest.approx(
        2 * math.pi / 3.319, rel=2e-4
    )
    assert math.isnan(analysis.focus_period(eta_bar=-8.0, J=15.0, g=0.0, delta=1.0))


def test_transient_period_of_a_damped_cosine_is_exact():
    t = np.linspace(0.0, 30.0, 30001)
    x = 0.3 + np.exp(-0.25 * t) * np.cos(2 * np.pi * t / 1.0896 + 0.4)
    out = analysis.transient_period(t, x, t_min=0.0, t_max=30.0, floor=0.01)
    assert out["period"] == pytest.approx(1.0896, rel=1e-4)
    assert out["n_intervals"] >= 10


def test_step_period_of_the_mean_field_is_the_focus_period():
    """MPR15 step (η̄ = −5, J = 15, I = 3 on 0 < t < 30): damped oscillation of r towards the
    focus at η̄ = −2 with period → 2π/Im λ = 1.0896 (to 0.2 %)."""
    mf = meanfield.integrate(eta_bar=-5.0, delta=1.0, J=15.0, g=0.0, t_start=-5.0, t_end=30.0,
                             current=Step(amplitude=3.0, t_on=0.0, t_off=30.0))  # fmt: skip
    out = analysis.transient_period(mf.t, mf.r, t_min=0.0, t_max=30.0)
    focus = analysis.focus_period(eta_bar=-2.0, J=15.0, g=0.0, delta=1.0)
    assert out["period"] == pytest.approx(focus, rel=2e-3)
    assert out["period_all"] > out["period"]  # the first, large swings are slower


@pytest.mark.slow
def test_step_period_of_the_network_is_the_focus_period():
    """The same step on N = 10⁴ neurons: the period of r (smoothed over 0.1 τ) within 1 %."""
    net = network.simulate(N=10_000, eta_bar=-5.0, delta=1.0, J=15.0, g=0.0, t_start=-2.0,
                           t_end=30.0, current=Step(amplitude=3.0, t_on=0.0, t_off=30.0),
                           raster_neurons=0)  # fmt: skip
    out = analysis.transient_period(net.t, net.r, t_min=0.0, t_max=30.0, smooth=0.1)
    assert out["period"] == pytest.approx(1.0896, rel=0.01)
