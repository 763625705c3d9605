"""The mean field under time-dependent currents against an independent solution: the firing-rate
equations typed out again here and integrated by classical RK4 at a small step,

    dr/dt = Δ/π + r (2v − g),    dv/dt = v² + η̄ + I(t) + (J + g κ) r − π² r²    (τ = 1).

RK4 with h = 2·10⁻³ has a global error ~h⁴ ≈ 10⁻¹¹ here; the breakpoints of the currents lie on
its grid, so kinks and jumps do not lower its order."""

import math

import numpy as np
import pytest

from qifgap import meanfield
from qifgap.inputs import Piecewise, Sinusoid

H = 2e-3


def rk4(I, *, eta_bar, delta, J, g, kappa, t_end, r0=0.0, v0=0.0):
    """(t, r, v) on the grid k·H, k = 0 … t_end/H; a jump of I at a grid point is taken by the
    step that starts there (right-continuous)."""

    def f(t, r, v, i_t):
        return delta / math.pi + r * (2 * v - g), v * v + eta_bar + i_t + (J + g * kappa) * r - (
            math.pi * r
        ) ** 2

    n = int(round(t_end / H))
    t = H * np.arange(n + 1)
    r, v = np.empty(n + 1), np.empty(n + 1)
    r[0], v[0] = r0, v0
    eps = 1e-12  # evaluate I inside the step, on the side of the jump the step lies on
    for k in range(n):
        t0, y_r, y_v = t[k], r[k], v[k]
        i0, i_half, i1 = I(t0 + eps), I(t0 + H / 2), I(t0 + H - eps)
        k1 = f(t0, y_r, y_v, i0)
        k2 = f(t0, y_r + H / 2 * k1[0], y_v + H / 2 * k1[1], i_half)
        k3 = f(t0, y_r + H / 2 * k2[0], y_v + H / 2 * k2[1], i_half)
        k4 = f(t0, y_r + H * k3[0], y_v + H * k3[1], i1)
        r[k + 1] = y_r + H / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        v[k + 1] = y_v + H / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
    return t, r, v


P = dict(eta_bar=-5.0, delta=1.0, J=15.0, g=0.5, kappa=0.3)

CURRENTS = {
    # the MPR15 sinusoidal protocol, switching between the low and high states
    "sinusoid": Sinusoid(3.0, math.pi / 5, phase=0.4, offset=0.5),
    "ramp": Piecewise([1.0, 4.0, 6.0, 8.0], [0.0, 5.0, 5.0, -2.0], interpolate=True),
    "steps": Piecewise([1.0, 3.0, 6.0], [4.0, -1.0, 0.5]),
}


@pytest.mark.parametrize("name", list(CURRENTS))
def test_mean_field_follows_the_current(name):
    current = CURRENTS[name]
    t, r, v = rk4(current, t_end=10.0, **P)
    every = 25  # compare on a 0.05 grid
    res = meanfield.integrate(**P, current=current, t_end=10.0, t_eval=t[::every])
    assert np.ptp(r) > 0.5  # the current moves the state a lot
    np.testing.assert_allclose(res.r, r[::every], rtol=0, atol=1e-6)
    np.testing.assert_allclose(res.v, v[::every], rtol=0, atol=1e-6)
