"""Phase portrait of the firing-rate equations: vector field, nullclines, fixed points, orbits.

r-nullcline: v = v*(r) = g/2 − Δ/(2π r) (closed_form.v_star); v-nullclines:
v = ±sqrt(π² r² − J r − η̄) (τ = 1). The tests check both against qifgap.model.rhs = 0.
"""

from __future__ import annotations

import math

import numpy as np

from .. import meanfield
from ..model import rhs
from .closed_form import fixed_points, v_star


def phase_portrait(
    *,
    eta_bar: float,
    J: float,
    g: float,
    delta: float = 1.0,
    r_range=(0.0, 2.0),
    v_range=(-3.0, 1.5),
    n_grid: int = 40,
    initial_conditions=None,
    t_end: float = 20.0,
) -> dict[str, np.ndarray]:
    """Arrays for a phase portrait in the (r, v) plane.

    Keys: ``r``, ``v`` (grid axes), ``dr``, ``dv`` (field on the grid, shape (n_v, n_r)),
    ``r_nullcline`` (v along ``nullcline_r``), ``v_nullcline_upper``/``_lower`` (NaN where
    absent), ``fixed_points`` (rows r, v, stable), ``orbit_k`` for each trajectory from
    ``initial_conditions`` (rows t, r, v; default: points on the left and right edges).
    """
    r_axis = np.linspace(r_range[0], r_range[1], n_grid)
    v_axis = np.linspace(v_range[0], v_range[1], n_grid)
    R, V = np.meshgrid(r_axis, v_axis)
    dr, dv = rhs(R, V, eta_bar=eta_bar, delta=delta, J=J, g=g)
    rn = np.linspace(max(r_range[0], 1e-3), r_range[1], 400)
    with np.errstate(invalid="ignore"):
        root = np.sqrt(math.pi**2 * rn**2 - J * rn - eta_bar)
    out = {
        "r": r_axis,
        "v": v_axis,
        "dr": dr,
        "dv": dv,
        "nullcline_r": rn,
        "r_nullcline": v_star(rn, g, delta),
        "v_nullcline_upper": root,
        "v_nullcline_lower": -root,
        "fixed_points": np.array(
            [[fp.r, fp.v, float(fp.stable)] for fp in fixed_points(eta_bar, J, g, delta)]
        ),
    }
    if initial_conditions is None:
        vs = np.linspace(v_range[0], v_range[1], 6)[1:-1]
        initial_conditions = [(r_range[0], v) for v in vs] + [(r_range[1], v) for v in vs]
    for k, (r0, v0) in enumerate(initial_conditions):
        orbit = meanfield.integrate(
            eta_bar=eta_bar, delta=delta, J=J, g=g, t_end=t_end, r0=r0, v0=v0, dt_out=0.01
        )
        out[f"orbit_{k}"] = np.column_stack([orbit.t, orbit.r, orbit.v])
    return out
