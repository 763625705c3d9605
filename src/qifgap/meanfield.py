"""Integration of the exact firing-rate equations (see :mod:`qifgap.model`).

    τ dr/dt = Δ/(π τ) + r (2 v − g)
    τ dv/dt = v² + η̄ + I(t) + (J + g κ) τ r − (π τ r)²

solved with scipy's DOP853 (8th order) at tight tolerances, restarted at every discontinuity of
the current, and returned on a regular output grid t_start + k·dt_out (k = 0, 1, …).
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from . import _validate as val
from ._version import __version__
from .inputs import as_current
from .model import kuramoto_from_rv, rhs
from .results import TimeSeries

__all__ = ["integrate", "output_grid"]


def output_grid(t_start: float, t_end: float, dt_out: float) -> np.ndarray:
    """t_start + k·dt_out for k = 0 … ⌊(t_end − t_start)/dt_out⌋ (t_end included if on the grid)."""
    n = int(np.floor((t_end - t_start) / dt_out * (1 + 1e-12)))
    return t_start + dt_out * np.arange(n + 1)


def integrate(
    *,
    eta_bar: float,
    delta: float,
    J: float,
    g: float,
    t_end: float,
    t_start: float = 0.0,
    tau: float = 1.0,
    current=None,
    r0: float = 0.0,
    v0: float = 0.0,
    kappa: float = 0.0,
    dt_out: float = 1e-2,
    t_eval=None,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> TimeSeries:
    """Integrate the mean field from (r0, v0) at t_start to t_end.

    Parameters are those of :func:`qifgap.model.rhs`; ``current`` is None, a number, a dict spec
    or a :mod:`qifgap.inputs` current. The output grid is regular with step ``dt_out`` unless
    ``t_eval`` (increasing times inside [t_start, t_end]) is given.
    """
    eta_bar, delta, J, g, tau = val.model(eta_bar=eta_bar, delta=delta, J=J, g=g, tau=tau)
    kappa = val.finite("kappa", kappa)
    r0 = val.non_negative("r0", r0)
    v0 = val.finite("v0", v0)
    t_start, t_end = val.interval(t_start, t_end)
    rtol = val.positive("rtol", rtol)
    atol = val.positive("atol", atol)
    I = as_current(current)

    if t_eval is None:
        dt_out = val.positive("dt_out", dt_out)
        t_out = output_grid(t_start, t_end, dt_out)
    else:
        t_out = np.asarray(t_eval, dtype=float)
        if t_out.ndim != 1 or np.any(np.diff(t_out) <= 0):
            raise ValueError("t_eval must be a one-dimensional, strictly increasing array")
        if t_out[0] < t_start or t_out[-1] > t_end:
            raise ValueError(f"t_eval must lie inside [t_start, t_end] = [{t_start}, {t_end}]")

    def f(t, y):
        return rhs(y[0], y[1], eta_bar=eta_bar, delta=delta, J=J, g=g, tau=tau, I=I(t), kappa=kappa)

    edges = [t_start, *I.breakpoints(t_start, t_end), t_end]
    r_out = np.empty_like(t_out)
    v_out = np.empty_like(t_out)
    y = np.array([r0, v0])
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        last = b == t_end
        inside = (t_out >= a) & ((t_out <= b) if last else (t_out < b))
        sol = solve_ivp(f, (a, b), y, method="DOP853", rtol=rtol, atol=atol, dense_output=True)
        if sol.status != 0 or not np.all(np.isfinite(sol.y[:, -1])):
            raise RuntimeError(
                f"mean-field integration failed on t in [{a}, {b}] (eta_bar={eta_bar}, J={J}, "
                f"g={g}, delta={delta}): {sol.message}"
            )
        if inside.any():
            r_out[inside], v_out[inside] = sol.sol(t_out[inside])
        y = sol.y[:, -1]

    params = {
        "model": "meanfield",
        "eta_bar": eta_bar,
        "delta": delta,
        "J": J,
        "g": g,
        "tau": tau,
        "kappa": kappa,
        "t_start": t_start,
        "t_end": t_end,
        "r0": r0,
        "v0": v0,
        "dt_out": None if t_eval is not None else dt_out,
        "rtol": rtol,
        "atol": atol,
        "current": I.to_dict(),
        "qifgap_version": __version__,
    }
    return TimeSeries(
        t=t_out, r=r_out, v=v_out, Z=kuramoto_from_rv(r_out, v_out, tau=tau), params=params
    )
