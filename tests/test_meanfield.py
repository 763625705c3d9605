"""Mean-field integrator: a closed-form solution, fixed points, the κ term, guard rails."""

import cmath
import math

import numpy as np
import pytest

from qifgap import meanfield
from qifgap.inputs import Constant, Piecewise, Sinusoid, Step
from qifgap.model import spike_asymmetry


def riccati_solution(t, *, eta, delta, r0, v0):
    """J = g = 0: dW/dt = Δ + iη − iW², W = πr + iv. With W* = sqrt(η − iΔ) (Re W* > 0),
    y = (W − W*)/(W + W*) obeys dy/dt = −2iW* y, so W(t) = W*(1 + y)/(1 − y)."""
    w_star = cmath.sqrt(eta - 1j * delta)
    if w_star.real < 0:
        w_star = -w_star
    w0 = math.pi * r0 + 1j * v0
    y = (w0 - w_star) / (w0 + w_star) * np.exp(-2j * w_star * t)
    W = w_star * (1 + y) / (1 - y)
    return W.real / math.pi, W.imag


@pytest.mark.parametrize(
    ("eta", "delta", "r0", "v0"), [(1.0, 1.0, 0.0, 0.0), (-2.0, 0.5, 1.0, -3.0)]
)
def test_matches_closed_form_solution(eta, delta, r0, v0):
    res = meanfield.integrate(eta_bar=eta - 0.5, current=Constant(0.5), delta=delta, J=0.0, g=0.0,
                              t_end=10.0, r0=r0, v0=v0)  # fmt: skip
    r, v = riccati_solution(res.t, eta=eta, delta=delta, r0=r0, v0=v0)
    np.testing.assert_allclose(res.r, r, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(res.v, v, rtol=1e-8, atol=1e-10)


def test_output_grid_and_conformal_map():
    res = meanfield.integrate(eta_bar=-5, delta=1, J=15, g=0, t_start=-1.0, t_end=2.0, dt_out=0.5)
    np.testing.assert_allclose(res.t, [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0])
    # Z is the mean of exp(2i arctan V) over the Lorentzian of voltages with centre v and
    # half-width π r; averaged here directly over its quantiles (midpoint rule in the quantile,
    # whose integrand is smooth and periodic: exponentially accurate)
    q = (np.arange(20_000) + 0.5) / 20_000
    for k in range(res.t.size):
        V = res.v[k] + math.pi * res.r[k] * np.tan(math.pi * (q - 0.5))
        assert res.Z[k] == pytest.approx(np.mean(np.exp(2j * np.arctan(V))), abs=1e-9)
    assert np.all(np.abs(res.Z) <= 1.0)
    assert np.ptp(res.Z.imag) > 0.1  # the comparison covers states with Im Z far from 0
    assert res.params["qifgap_version"]


def test_converges_to_the_focus():
    res = meanfield.integrate(eta_bar=-5, delta=1, J=15, g=0, t_end=60.0, r0=1.0, v0=0.0)
    assert res.r[-1] == pytest.approx(1.0305968, rel=1e-6)
    assert res.v[-1] == pytest.approx(-0.1544299, abs=1e-6)


def test_kappa_is_a_chemical_coupling_g_kappa():
    kappa = spike_asymmetry(100.0, -50.0)
    assert kappa == pytest.approx(math.log(2.0))
    a = meanfield.integrate(eta_bar=1, delta=1, J=2.0, g=1.5, kappa=kappa, t_end=5, r0=0.2)
    b = meanfield.integrate(eta_bar=1, delta=1, J=2.0 + 1.5 * kappa, g=1.5, t_end=5, r0=0.2)
    np.testing.assert_allclose(a.r, b.r, rtol=1e-12)


def test_step_current_restarts_at_the_jumps():
    """A step integrated in one call equals three calls chained by hand."""
    step = Step(3.0, 1.0, 2.0)
    kw = dict(delta=1, J=15, g=0.5)
    full = meanfield.integrate(eta_bar=-5, current=step, t_end=3.0, dt_out=0.5, **kw)
    a = meanfield.integrate(eta_bar=-5, t_end=1.0, **kw)
    b = meanfield.integrate(eta_bar=-2, t_start=1.0, t_end=2.0, r0=a.r[-1], v0=a.v[-1], **kw)
    c = meanfield.integrate(eta_bar=-5, t_start=2.0, t_end=3.0, r0=b.r[-1], v0=b.v[-1], **kw)
    assert full.r[-1] == pytest.approx(c.r[-1], rel=1e-8)
    assert full.v[2] == pytest.approx(a.v[-1], rel=1e-8)


def test_time_dependent_currents_and_t_eval():
    t = np.linspace(0, 20, 41)
    for cur in (Sinusoid(3.0, math.pi / 20), Piecewise([0, 5, 10], [1.0, -1.0, 0.0])):
        res = meanfield.integrate(eta_bar=-5, delta=1, J=15, g=0, t_end=20, current=cur, t_eval=t)
        assert np.array_equal(res.t, t)
        assert np.all(np.isfinite(res.r)) and np.all(res.r[1:] > 0)  # r0 = 0


@pytest.mark.parametrize(
    ("override", "name"),
    [
        ({"delta": -1}, "delta"),
        ({"g": -1}, "g"),
        ({"t_end": -1}, "t_end"),
        ({"dt_out": 0}, "dt_out"),
        ({"r0": -0.1}, "r0"),
        ({"eta_bar": float("nan")}, "eta_bar"),
        ({"tau": 0}, "tau"),
        ({"t_eval": [0.5, 0.2]}, "t_eval"),
        ({"current": "strong"}, "current"),
    ],
)
def test_guard_rails(override, name):
    kw = dict(eta_bar=0.0, delta=1.0, J=0.0, g=0.0, t_end=1.0)
    with pytest.raises(ValueError, match=name):
        meanfield.integrate(**{**kw, **override})
