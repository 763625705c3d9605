"""MP20 with populations: asymmetric spikes of the I cells shift the onset g_II* of the E–I
rhythm (qifgap.bifurcation.asymmetry), checked against the Jacobian's eigenvalues."""

import math

import numpy as np
import pytest

from qifgap.bifurcation import from_model
from qifgap.bifurcation.asymmetry import asymmetric_onsets
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
