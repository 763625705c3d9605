"""Where a model's rhythm starts and what it is: tables from the general continuation.

For a :class:`qifgap.populations.Model` and one parameter by dotted name (``"g.I.I"``),
:func:`rhythm_onset` gives three tables:

* ``branch``: the equilibrium branch (the parameter, the state ``r.<a>``, ``v.<a>``, ``s.<b>``,
  ``stable``, ``re_max`` = max Re μ of the Jacobian);
* ``hopf``: the Hopf points (onsets) with ω, the onset frequency ω/(2π), the period 2π/ω, the
  first Lyapunov coefficient l1 and the criticality (l1 < 0: supercritical);
* ``cycles``: the cycle branch born at each Hopf point (``hopf``: its row in the Hopf table;
  a branch that ends at another Hopf point (``point`` "H") is not continued again from there),
  with ``period`` T, ``frequency`` 1/T, for each population a: ``r.<a>_amplitude`` (max − min),
  ``r.<a>_mean`` (time average over one period), ``r.<a>_min``, ``r.<a>_max``; ``mu_max`` (the
  largest nontrivial |Floquet multiplier|) and ``stable``.

:func:`rhythm_curve` continues the onset in two parameters (the Hopf curve), with the
frequency ω/(2π) along it. Time and frequencies in units of τ (1/τ).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validate as val
from ..populations import Model
from .curves import hopf_curve
from .equilibria import EquilibriumBranch, equilibria
from .periodic import cycles
from .system import from_model

__all__ = ["RhythmOnset", "rhythm_onset", "rhythm_curve"]


@dataclass
class RhythmOnset:
    """The tables of :func:`rhythm_onset` (module docstring) and the equilibrium branch."""

    parameter: str
    branch: pd.DataFrame
    hopf: pd.DataFrame
    cycles: pd.DataFrame
    equilibria: EquilibriumBranch


def _hopf_table(eq: EquilibriumBranch) -> pd.DataFrame:
    h = eq.hopf.copy()
    h["frequency"] = h["omega"] / (2.0 * np.pi)
    h["period"] = 2.0 * np.pi / h["omega"]
    return h


def _cycle_side(eq: EquilibriumBranch, row, start, stop) -> float:
    """The end of [start, stop] towards which the cycle born at the Hopf ``row`` lies: the side
    where the equilibrium is unstable for a supercritical Hopf point, stable for a subcritical."""
    lam = row[eq.parameter]
    t = eq.table[eq.table.point == ""]
    towards_stop = t[(t[eq.parameter] - lam) * np.sign(stop - start) > 0]
    if towards_stop.empty:
        return start
    nearest = towards_stop.iloc[int(np.argmin(np.abs(towards_stop[eq.parameter] - lam)))]
    unstable_at_stop = not bool(nearest["stable"])
    super_ = row["l1"] < 0
    return stop if unstable_at_stop == super_ else start


def rhythm_onset(
    model: Model,
    parameter: str,
    start,
    stop,
    *,
    x0=None,
    values=(),
    ds_max=0.05,
    cycle_amplitude=1e-3,
    cycle_ds_max=0.2,
    max_cycles=300,
) -> RhythmOnset:
    """Equilibria of ``model``'s firing-rate equations for ``parameter`` from ``start`` to
    ``stop``, their Hopf points and the cycle branch born at each (module docstring).
    ``x0``: the state at ``start`` (default: the flow run to rest); ``values``: parameter values
    at which cycles are also reported (``point`` "UZ"); ``cycle_amplitude``: the first cycle's
    distance from the Hopf equilibrium. Time in units of τ."""
    if not isinstance(model, Model):
        raise ValueError(f"model must be a qifgap.populations.Model, got {type(model).__name__}")
    system = from_model(model, (parameter,))
    start = val.finite("start", start)
    stop = val.finite("stop", stop)
    eq = equilibria(system, parameter, start, stop, x0=x0, values=values, ds_max=ds_max)
    hopf = _hopf_table(eq)
    rates = [f"r.{a}" for a in model.names]
    cols = [parameter, "period", "frequency"]
    for c in rates:
        cols += [f"{c}_amplitude", f"{c}_mean", f"{c}_min", f"{c}_max"]
    cols += ["mu_max", "stable", "point"]
    parts, reached = [], []
    for i, row in hopf.iterrows():
        if any(abs(row[parameter] - lam) <= 1e-4 * (1.0 + abs(lam)) for lam in reached):
            continue  # the cycle branch of an earlier Hopf point ended here
        end = _cycle_side(eq, row, start, stop)
        cb = cycles(
            system,
            parameter,
            hopf=row.to_dict(),
            stop=end,
            amplitude=cycle_amplitude,
            values=values,
            ds_max=cycle_ds_max,
            max_points=max_cycles,
        )
        if cb.end == "hopf":
            reached.append(float(cb.table[parameter].iloc[-1]))
        t = cb.table.assign(frequency=1.0 / cb.table["period"])[cols]
        parts.append(t.assign(hopf=i))
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*cols, "hopf"])
    branch = eq.table.drop(columns=["s", "n_unstable"])
    return RhythmOnset(parameter, branch, hopf, table, eq)


def rhythm_curve(
    model: Model,
    p1: str,
    p2: str,
    *,
    bounds: dict,
    x0=None,
    ds_max=0.05,
    max_points=2000,
) -> pd.DataFrame:
    """The Hopf curve (rhythm onset) of ``model`` in (p1, p2) within ``bounds`` = {p1: (lo, hi),
    p2: (lo, hi)}: the equilibrium branch in p1 over its bounds at the model's p2 gives the
    Hopf points, each continued in both directions unless it lies on a curve already traced.
    Columns p1, p2, the state, ``omega``, ``frequency`` = ω/(2π), ``l1``, ``criticality``,
    ``point`` (codimension-2 labels: BT, GH, ZH), ``branch`` (−1/+1: the direction from the
    start), ``curve`` (the start's row in the Hopf table). An empty table if p1's range holds no
    Hopf point."""
    if not isinstance(model, Model):
        raise ValueError(f"model must be a qifgap.populations.Model, got {type(model).__name__}")
    system = from_model(model, (p1, p2))
    lo, hi = bounds[p1] if p1 in bounds else (None, None)
    if lo is None:
        raise ValueError(f"bounds must give (low, high) for {p1!r}, got keys {list(bounds)}")
    eq = equilibria(system, p1, lo, hi, x0=x0, ds_max=ds_max)
    if eq.hopf.empty:
        return pd.DataFrame(columns=[p1, p2, *system.state_names, "omega", "frequency", "l1"])
    parts = []
    scale = np.array([hi - lo, bounds[p2][1] - bounds[p2][0]], dtype=float)
    for i, h in eq.hopf.iterrows():
        at = np.array([h[p1], system.params[1]])
        if any(np.min(np.hypot(*((t[[p1, p2]].to_numpy() - at) / scale).T)) < 1e-6 for t in parts):
            continue  # this Hopf point lies on a curve already traced
        curve = hopf_curve(
            system, p1, p2, start=h.to_dict(), bounds=bounds, ds_max=ds_max * 4,
            max_points=max_points,
        )  # fmt: skip
        parts.append(curve.table.assign(curve=i))
    t = pd.concat(parts, ignore_index=True)
    t["frequency"] = t["omega"] / (2.0 * np.pi)
    t["criticality"] = np.where(
        t["l1"] < 0, "supercritical", np.where(t["l1"] > 0, "subcritical", "")
    )
    return t
