"""MP20 with populations: asymmetric spikes of the I cells shift the onset g_II* of the E–I
rhythm (qifgap.bifurcation.asymmetry), checked against the Jacobian's eigenvalues."""

import math

import numpy as np
import pandas as pd
import pytest

from qifgap.bifurcation import from_model
from qifgap.bifurcation.asymmetry import (
    asymmetric_onsets,
    extrapolated_onset,
    onset_estimates,
    rate_amplitude,
)
from qifgap.bifurcation.equilibria import equilibrium
from qifgap.bifurcation.system import rest_state
from qifgap.populations import Model

EI = {  # science.md §6
    "populations": {"E": {"eta_bar": 1.0}, "I": {"eta_bar": 2.0, "tau_syn": 0.5}},
    "J": {"E": {"E": 5.0, "I": -10.0}, "I": {"E": 10.0, "I": -10.0}},
    "g": {"I": {"I": 1.5}},
}


@pytest.fixture(scope="module")
def onsets():
    return asymmetric_onsets(Model.from_dict(EI), "g.I.I", population="I",
                             v_resets=[-50.0, -200.0], start=0.0, stop=2.0)  # fmt: skip


def _max_real_eigenvalue(model, g):
    m = model.set("g.I.I", g)
    s = from_model(m)
    x = equilibrium(s, rest_state(s, t_end=300.0))
    return float(np.max(np.linalg.eigvals(s.jacobian(x, s.params)).real))


def test_onsets_shift_with_kappa(onsets):
    """κ > 0 (V_r = −50, tall spike: virtual excitation of the I cells by themselves) moves the
    onset down, κ < 0 (V_r = −200) up; the uncorrected onset is the symmetric one, 0.8128."""
    t = onsets.set_index("v_reset")
    assert t.kappa[-50.0] == pytest.approx(math.log(2.0))
    assert t.kappa[-200.0] == pytest.approx(-math.log(2.0))
    np.testing.assert_allclose(t.onset_uncorrected, 0.81280, atol=1e-4)
    assert t.onset_corrected[-50.0] == pytest.approx(0.72976, abs=1e-4)
    assert t.onset_corrected[-200.0] == pytest.approx(0.91252, abs=1e-4)
    assert (t.l1 < 0).all()  # supercritical


@pytest.mark.slow
def test_onset_is_where_the_jacobian_crosses(onsets):
    """Just below the corrected onset the equilibrium is stable, just above it is not, for the
    model with its asymmetric reset (the κ term of qifgap.model)."""
    for row in onsets.itertuples():
        m = Model.from_dict(EI).set("populations.I.v_reset", row.v_reset)
        assert _max_real_eigenvalue(m, row.onset_corrected - 0.01) < 0
        assert _max_real_eigenvalue(m, row.onset_corrected + 0.01) > 0


def test_errors():
    m = Model.from_dict(EI)
    with pytest.raises(ValueError, match="v_resets"):
        asymmetric_onsets(m, "g.I.I", population="I", v_resets=[50.0], start=0.0, stop=2.0)
    with pytest.raises(ValueError, match="unknown population"):
        asymmetric_onsets(m, "g.I.I", population="X", v_resets=[-50.0], start=0.0, stop=2.0)
    with pytest.raises(ValueError, match="no Hopf point"):
        asymmetric_onsets(m, "g.I.I", population="I", v_resets=[-50.0], start=0.0, stop=0.3)


def test_extrapolated_onset_of_a_square_root_rhythm():
    """A = c √(λ − λ*) gives A² linear in λ: the line through (λ, A²) crosses 0 at λ* exactly;
    the onset estimates per reset take each amplitude column alike."""
    lam = np.array([1.0, 1.2, 1.4])
    assert extrapolated_onset(lam, 0.3 * np.sqrt(lam - 0.73)) == pytest.approx(0.73, abs=1e-12)
    runs = pd.DataFrame({
        "v_reset": [-50.0] * 3 + [-200.0] * 3, "g.I.I": np.r_[lam, lam],
        "amplitude_net": np.r_[np.sqrt(lam - 0.7), np.sqrt(lam - 0.9)],
        "amplitude_mf": np.r_[np.sqrt(lam - 0.73), np.sqrt(lam - 0.91)]})  # fmt: skip
    est = onset_estimates(runs, "g.I.I", columns=("net", "mf")).set_index("v_reset")
    np.testing.assert_allclose(est.onset_net, [0.7, 0.9], atol=1e-12)
    np.testing.assert_allclose(est.onset_mf, [0.73, 0.91], atol=1e-12)
    with pytest.raises(ValueError, match="values"):
        extrapolated_onset([1.0, 1.0], [0.1, 0.2])
    with pytest.raises(ValueError, match="amplitudes"):
        extrapolated_onset([1.0, 1.2], [0.2, 0.1])


def test_rate_amplitude_removes_binning_noise():
    """A sinusoid of amplitude a has std a/√2 (less the factor sinc(w/T) of the 0.3 τ average);
    white noise of std σ per 0.01 τ bin is averaged down by √30."""
    t = np.arange(0.0, 200.0, 0.01)
    r = 0.3 + 0.1 * np.sin(2 * np.pi * t / 2.8)
    sinc = np.sinc(0.3 / 2.8)
    assert rate_amplitude(t, r, t_min=10.0) == pytest.approx(0.1 / np.sqrt(2) * sinc, rel=2e-3)
    noise = np.random.default_rng(1).normal(0.0, 0.2, t.size)
    assert rate_amplitude(t, 0.3 + noise, t_min=10.0) == pytest.approx(0.2 / np.sqrt(30), rel=0.05)
    with pytest.raises(ValueError, match="t_min"):
        rate_amplitude(t, r, t_min=300.0)
