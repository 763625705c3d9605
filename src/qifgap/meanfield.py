"""Integration of the exact firing-rate equations (:mod:`qifgap.model`).

One population (the keyword API; science.md §2)::

    τ dr/dt = Δ/(π τ) + r (2 v − g)
    τ dv/dt = v² + η̄ + I(t) + (J + g κ) τ r − (π τ r)²

or P populations with synaptic kinetics (``model=``; science.md §6, :func:`qifgap.model.
rhs_populations`); the keyword API is the P = 1, τ_s = 0 case of the same right-hand side.
Solved with scipy's DOP853 (8th order) at tight tolerances, restarted at every discontinuity
of the currents, and returned on a regular output grid t_start + k·dt_out (k = 0, 1, …).
Time is in units of τ.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.integrate import solve_ivp

from . import _validate as val
from ._version import __version__
from .defaults import MEANFIELD, MODEL
from .inputs import Current, as_current
from .model import FiringRateEquations, kuramoto_from_rv, synaptic
from .populations import Model
from .results import TimeSeries

__all__ = ["integrate", "output_grid"]


def output_grid(t_start: float, t_end: float, dt_out: float) -> np.ndarray:
    """t_start + k·dt_out for k = 0 … ⌊(t_end − t_start)/dt_out⌋ (t_end included if on the grid)."""
    n = int(np.floor((t_end - t_start) / dt_out * (1 + 1e-12)))
    return t_start + dt_out * np.arange(n + 1)


def integrate(
    *,
    t_end: float,
    model: Model | Mapping | None = None,
    eta_bar: float | None = None,
    delta: float | None = None,
    J: float | None = None,
    g: float | None = None,
    t_start: float = 0.0,
    tau: float = MODEL["tau"],
    current=None,
    r0: float | None = None,
    v0: float | None = None,
    y0=None,
    kappa=None,
    noise: float | None = None,
    dt_out: float = MEANFIELD["dt_out"],
    t_eval=None,
    rtol: float = MEANFIELD["rtol"],
    atol: float = MEANFIELD["atol"],
) -> TimeSeries:
    """Integrate the mean field from t_start to t_end.

    Either the keyword API of one population (``eta_bar``, ``delta``, ``J``, ``g``, ``tau``;
    parameters of :func:`qifgap.model.rhs`, and ``noise`` γ, which enters as Δ + γ; the result
    has 1-D ``r``, ``v``, ``Z``) or
    ``model``, a :class:`qifgap.populations.Model` or its mapping (the result has (time × P)
    arrays and ``populations``; ``.population(name)`` gives one).

    ``current``: None, a number, a dict spec or a :mod:`qifgap.inputs` current, given to every
    population; with ``model`` also ``{population: current}`` (others get none).
    ``kappa``: None for each population's own κ = ln(V_p/|V_r|) (the keyword API: κ = 0), or a
    number or one number per population. Initial state: ``r0``, ``v0`` (every population, and
    s = r0; default 0), or with ``model`` the full state ``y0`` = [r_1…r_P, v_1…v_P, s_b for
    τ_s,b > 0]. The output grid is regular with step ``dt_out`` unless ``t_eval`` (increasing
    times inside [t_start, t_end]) is given.
    """
    keyword = model is None
    if keyword:
        missing = [k for k, x in (("eta_bar", eta_bar), ("delta", delta), ("J", J), ("g", g))
                   if x is None]  # fmt: skip
        if missing:
            raise ValueError(f"{', '.join(missing)}: required without a model")
        eta_bar, delta, J, g, tau = val.model(eta_bar=eta_bar, delta=delta, J=J, g=g, tau=tau)
        noise = val.non_negative("noise", MODEL["noise"] if noise is None else noise)
        m = Model.single(eta_bar=eta_bar, delta=delta, J=J, g=g, tau=tau, noise=noise)
        kappa = val.finite("kappa", MODEL["kappa"] if kappa is None else kappa)
        kappas = np.array([kappa])
    else:
        given = [k for k, x in (("eta_bar", eta_bar), ("delta", delta), ("J", J), ("g", g),
                                ("noise", noise)) if x is not None]  # fmt: skip
        if given:
            raise ValueError(f"{', '.join(given)}: give the model's parameters in model, not here")
        m = model if isinstance(model, Model) else Model.from_dict(model)
        kappas = _kappas(kappa, m)
    P, syn = m.P, synaptic(m.tau_syn)
    y_init = _initial_state(y0=y0, r0=r0, v0=v0, P=P, n_syn=len(syn), keyword=keyword)
    t_start, t_end = val.interval(t_start, t_end)
    rtol = val.positive("rtol", rtol)
    atol = val.positive("atol", atol)
    currents = _currents(current, m, keyword=keyword)
    if t_eval is None:
        dt_out = val.positive("dt_out", dt_out)
        t_out = output_grid(t_start, t_end, dt_out)
    else:
        t_out = np.asarray(t_eval, dtype=float)
        if t_out.ndim != 1 or np.any(np.diff(t_out) <= 0):
            raise ValueError("t_eval must be a one-dimensional, strictly increasing array")
        if t_out[0] < t_start or t_out[-1] > t_end:
            raise ValueError(f"t_eval must lie inside [t_start, t_end] = [{t_start}, {t_end}]")

    y_out = _solve(m, kappas, currents, y_init, t_start, t_end, t_out, rtol=rtol, atol=atol)
    r = np.ascontiguousarray(y_out[:, :P])
    v = np.ascontiguousarray(y_out[:, P : 2 * P])
    Z = kuramoto_from_rv(r, v, tau=m.tau)
    options = {
        "t_start": t_start,
        "t_end": t_end,
        "dt_out": None if t_eval is not None else dt_out,
        "rtol": rtol,
        "atol": atol,
    }
    if keyword:
        params = {
            "model": "meanfield",
            **{"eta_bar": eta_bar, "delta": delta, "J": J, "g": g, "tau": tau, "kappa": kappa},
            **({"noise": noise} if noise else {}),
            **options,
            "r0": float(y_init[0]),
            "v0": float(y_init[P]),
            "current": currents[0].to_dict(),
            "qifgap_version": __version__,
        }
        r, v, Z = r[:, 0].copy(), v[:, 0].copy(), Z[:, 0].copy()
        return TimeSeries(t=t_out, r=r, v=v, Z=Z, params=params)
    params = {
        "model": "meanfield",
        **m.to_dict(),
        "kappa": kappas.tolist(),
        "y0": y_init.tolist(),
        **options,
        "current": {name: c.to_dict() for name, c in zip(m.names, currents, strict=True)},
        "qifgap_version": __version__,
    }
    return TimeSeries(t=t_out, r=r, v=v, Z=Z, params=params, populations=m.names)


def _kappas(kappa, m: Model) -> np.ndarray:
    """κ per population: the populations' own (None), one number for all, or P numbers."""
    if kappa is None:
        return m.kappa
    if np.ndim(kappa) == 0:
        return np.full(m.P, val.finite("kappa", kappa))
    try:
        kappas = np.array(kappa, dtype=float)
    except (TypeError, ValueError):
        kappas = np.empty(0)
    if kappas.shape != (m.P,) or not np.all(np.isfinite(kappas)):
        raise ValueError(f"kappa must be a number or {m.P} finite numbers, got {kappa!r}")
    return kappas


def _initial_state(*, y0, r0, v0, P: int, n_syn: int, keyword: bool) -> np.ndarray:
    """[r_1…r_P, v_1…v_P, s…] from y0, or from r0, v0 (defaults: the MEANFIELD table)."""
    if y0 is not None:
        if keyword:
            raise ValueError("y0: use r0 and v0 without a model")
        if r0 is not None or v0 is not None:
            raise ValueError("y0: give either y0 or r0/v0")
        y = np.array(y0, dtype=float)
        if y.shape != (2 * P + n_syn,):
            raise ValueError(f"y0 must hold 2P + (populations with tau_syn > 0) = "
                             f"{2 * P + n_syn} numbers, got shape {y.shape}")  # fmt: skip
        if not np.all(np.isfinite(y)):
            raise ValueError(f"y0 must be finite, got {y0!r}")
        if np.any(y[:P] < 0):
            raise ValueError(f"y0: the rates y0[:{P}] must be >= 0, got {y[:P]}")
        return y
    r0 = val.non_negative("r0", MEANFIELD["r0"] if r0 is None else r0)
    v0 = val.finite("v0", MEANFIELD["v0"] if v0 is None else v0)
    return np.concatenate([np.full(P, r0), np.full(P, v0), np.full(n_syn, r0)])


def _currents(current, m: Model, *, keyword: bool) -> list[Current]:
    """One current per population: a common one, or ``{population: current}``."""
    per_population = (
        not keyword and isinstance(current, Mapping) and "kind" not in current and len(current) > 0
    )
    if not per_population:
        return [as_current(current)] * m.P
    for name in current:
        if name not in m.names:
            raise ValueError(f"current.{name}: unknown population {name!r} (known: {m.names})")
    out = []
    for name in m.names:
        try:
            out.append(as_current(current.get(name)))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"current.{name}: {exc}") from None
    return out


def _solve(m: Model, kappas, currents, y, t_start, t_end, t_out, *, rtol, atol) -> np.ndarray:
    """y(t_out) by DOP853, restarting at every breakpoint of the currents."""
    equations = FiringRateEquations(eta_bar=m.eta_bar, delta=m.width, tau=m.tau,
                                    tau_syn=m.tau_syn, J=m.J, g=m.g, kappa=kappas)  # fmt: skip
    unique = list({id(c): c for c in currents}.values())
    if len(unique) == 1:
        common = unique[0]

        def f(t, y):
            return equations.rhs(y, common(t))
    else:

        def f(t, y):
            return equations.rhs(y, np.array([c(t) for c in currents]))

    breaks = sorted({b for c in unique for b in c.breakpoints(t_start, t_end)})
    edges = [t_start, *breaks, t_end]
    y_out = np.empty((len(t_out), len(y)))
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        last = b == t_end
        inside = (t_out >= a) & ((t_out <= b) if last else (t_out < b))
        sol = solve_ivp(f, (a, b), y, method="DOP853", rtol=rtol, atol=atol, dense_output=True)
        if sol.status != 0 or not np.all(np.isfinite(sol.y[:, -1])):
            raise RuntimeError(
                f"mean-field integration failed on t in [{a}, {b}] ({_describe(m)}): {sol.message}"
            )
        if inside.any():
            y_out[inside] = sol.sol(t_out[inside]).T
        y = sol.y[:, -1]
    return y_out


def _describe(m: Model) -> str:
    if m.P == 1:
        p = m.populations[0]
        return f"eta_bar={p.eta_bar}, J={m.J[0, 0]}, g={m.g[0, 0]}, delta={p.delta}"
    return f"model {m.to_dict()}"
