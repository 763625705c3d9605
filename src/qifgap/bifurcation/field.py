"""The planar firing-rate equations as numba kernels, for the integrator (units τ = 1).

One population (P = 1), a constant current folded into η̄, symmetric spikes (κ = 0)::

    dr/dt = Δ/π + r (2 v − g)
    dv/dt = v² + η̄ + J r − π² r²

with the variational equation dΦ/dt = A Φ, A = [[2v − g, 2r], [J − 2π² r, 2v]]. These are the
equations of :func:`qifgap.model.rhs` and :func:`qifgap.model.jacobian`, compiled: the tests
check that both kernels equal them on random points.
"""

from __future__ import annotations

import math

from numba import njit

from .. import _jit  # noqa: F401  (before any @njit: the host's full vector width)

__all__ = ["NY", "vector_field", "extended_field"]

PI = math.pi
PI2 = math.pi**2

NY = 8  # extended state: r, v, Φ_rr, Φ_rv, Φ_vr, Φ_vv, ∫ r dt, ∫ (4v − g) dt


@njit(cache=True, error_model="numpy")
def vector_field(r, v, eta, J, g, delta):
    """(dr/dt, dv/dt) = (Δ/π + r(2v − g), v² + η̄ + J r − π² r²)."""
    return delta / PI + r * (2.0 * v - g), v * v + eta + J * r - PI2 * r * r


@njit(cache=True, error_model="numpy")
def extended_field(y, p, out):
    """Extended field: flow, variational equation dΦ/dt = A Φ, ∫ r dt and ∫ trace dt.

    y: the NY-vector above; p = (η̄, J, g, Δ, s) with s = +1 (forward) or −1 (backward in
    time); the integrals are over |dt|. Writes dy/dt into ``out``.
    """
    eta, J, g, delta, s = p[0], p[1], p[2], p[3], p[4]
    r = y[0]
    v = y[1]
    fr, fv = vector_field(r, v, eta, J, g, delta)
    a = 2.0 * v - g
    b = 2.0 * r
    c = J - 2.0 * PI2 * r
    d = 2.0 * v
    out[0] = s * fr
    out[1] = s * fv
    out[2] = s * (a * y[2] + b * y[4])
    out[3] = s * (a * y[3] + b * y[5])
    out[4] = s * (c * y[2] + d * y[4])
    out[5] = s * (c * y[3] + d * y[5])
    out[6] = r
    out[7] = s * (4.0 * v - g)
