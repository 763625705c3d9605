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
  ``r.<a>_mean`` and ``r.<a>_std`` (time average and standard deviation over one period),
  ``r.<a>_min``, ``r.<a>_max``; ``mu_max`` (the largest nontrivial |Floquet multiplier|) and
  ``stable``.

:func:`rhythm_curve` continues the onset in two parameters (the Hopf curve), with the
frequency ω/(2π) along it.

Spiking networks against the continuation: :func:`measure_rhythm` gives the rhythm of one rate
time series (the standard deviation of r over whole cycles and the frequency from upward
crossings of the mean voltage), the same numbers the cycle branch reports;
:func:`compare_networks` tabulates networks of a sweep against the cycle branch and the
stability of the equilibrium at each point. Time and frequencies in units of τ (1/τ).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validate as val
from ..defaults import RHYTHM_ONSET
from ..metrics import upward_crossings
from ..populations import Model
from .curves import hopf_curve
from .equilibria import EquilibriumBranch, equilibria, equilibrium
from .periodic import cycles
from .system import System, as_system, from_model

__all__ = [
    "RhythmOnset",
    "rhythm_onset",
    "rhythm_curve",
    "Rhythm",
    "measure_rhythm",
    "equilibrium_growth",
    "compare_networks",
]


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


def _cycle_side(eq: EquilibriumBranch, k: int, omega: float, l1: float, start, stop) -> float:
    """The end of [start, stop] towards which the cycle born at the Hopf point in row ``k`` of
    the branch table lies.

    The neighbours of the Hopf row along the branch (the nearest ordinary rows before and after
    it in arclength order) lie on either side of it; the critical pair μ (the eigenvalue nearest
    iω_H) has Re μ > 0 at one of them: the unstable side. The cycle lies on that side for l1 < 0
    (supercritical), on the other for l1 > 0 (subcritical); which end of the range that is,
    that neighbour's λ against λ_H tells. (Not the nearest row by λ: on a folded branch it may
    lie on another sheet of the branch.)"""
    t = eq.table
    lam = t[eq.parameter].to_numpy(dtype=float)
    ordinary = t["point"].to_numpy() == ""
    before = next((j for j in range(k - 1, -1, -1) if ordinary[j]), None)
    after = next((j for j in range(k + 1, len(t)) if ordinary[j]), None)
    if before is None or after is None:
        raise RuntimeError(f"the Hopf point at {eq.parameter} = {lam[k]} ends the branch")

    def growth(j):
        """Re μ of the critical pair at row j."""
        row = t.iloc[j]
        mu = np.linalg.eigvals(eq.system.jacobian(eq.state_at(row), eq.params_at(row)))
        return float(mu[np.argmin(np.abs(mu - 1j * omega))].real)

    unstable, stable = (after, before) if growth(after) > growth(before) else (before, after)
    side = np.sign(lam[unstable] - lam[k]) or -np.sign(lam[stable] - lam[k])
    if l1 > 0:
        side = -side
    return stop if side == np.sign(stop - start) else start


def rhythm_onset(
    model: Model | System,
    parameter: str,
    start,
    stop,
    *,
    x0=None,
    values=(),
    ds_max=RHYTHM_ONSET["ds_max"],
    cycle_amplitude=RHYTHM_ONSET["cycle_amplitude"],
    cycle_ds_max=RHYTHM_ONSET["cycle_ds_max"],
    max_cycles=RHYTHM_ONSET["max_cycles"],
) -> RhythmOnset:
    """Equilibria of ``model``'s firing-rate equations for ``parameter`` from ``start`` to
    ``stop``, their Hopf points and the cycle branch born at each (module docstring), on the
    side given by the branch next to the Hopf point and its l1 (:func:`_cycle_side`).
    ``model``: a :class:`qifgap.populations.Model` (``parameter`` a dotted name) or a
    :class:`.system.System` with that parameter. ``x0``: the state at ``start`` (default: the
    flow run to rest); ``values``: parameter values at which cycles are also reported
    (``point`` "UZ"); ``cycle_amplitude``: the first cycle's distance from the Hopf
    equilibrium. Defaults: :data:`qifgap.defaults.RHYTHM_ONSET`. Time in units of τ."""
    if not isinstance(model, Model | System):
        raise ValueError(
            f"model must be a qifgap.populations.Model (or a System), got {type(model).__name__}"
        )
    system = as_system(model, (parameter,))
    start = val.finite("start", start)
    stop = val.finite("stop", stop)
    eq = equilibria(system, parameter, start, stop, x0=x0, values=values, ds_max=ds_max)
    hopf = _hopf_table(eq)
    hopf_rows = np.flatnonzero(eq.table["point"].to_numpy() == "H")
    rates = [c for c in system.state_names if c == "r" or c.startswith("r.")]
    cols = [parameter, "period", "frequency"]
    for c in rates:
        cols += [f"{c}_amplitude", f"{c}_mean", f"{c}_std", f"{c}_min", f"{c}_max"]
    cols += ["mu_max", "stable", "point"]
    parts, reached = [], []
    for (i, row), k in zip(hopf.iterrows(), hopf_rows, strict=True):
        if any(abs(row[parameter] - lam) <= 1e-4 * (1.0 + abs(lam)) for lam in reached):
            continue  # the cycle branch of an earlier Hopf point ended here
        end = _cycle_side(eq, k, row["omega"], row["l1"], start, stop)
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
    ds_max=RHYTHM_ONSET["ds_max"],
    max_points=RHYTHM_ONSET["curve_max_points"],
) -> pd.DataFrame:
    """The Hopf curve (rhythm onset) of ``model`` in (p1, p2) within ``bounds`` = {p1: (lo, hi),
    p2: (lo, hi)}: the equilibrium branch in p1 over its bounds at the model's p2 gives the
    Hopf points, each continued in both directions unless it lies on a curve already traced.
    Columns p1, p2, the state, ``omega``, ``frequency`` = ω/(2π), ``l1``, ``criticality``,
    ``point`` (codimension-2 labels: BT, GH, ZH), ``branch`` (−1/+1: the direction from the
    start), ``curve`` (the start's row in the Hopf table). An empty table if p1's range holds no
    Hopf point. Defaults: :data:`qifgap.defaults.RHYTHM_ONSET`."""
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


# --- spiking networks against the continuation ---------------------------------------------------


#: A network "oscillates" (figures: filled markers; its frequency reported) when its rate has
#: two whole cycles or more and a variance at least this many times the shot noise ⟨r⟩/(N b)
#: that N independent spikes counted in bins b would give.
OSCILLATION = 2.0


@dataclass(frozen=True)
class Rhythm:
    """The rhythm of a rate time series (:func:`measure_rhythm`): ``std`` of r over whole cycles,
    ``frequency`` (1/τ; NaN with fewer than two crossings), ``mean`` r, ``shot_noise`` =
    sqrt(⟨r⟩/(N b)) (0 for a mean-field run), ``cycles`` counted and the window [``t_first``,
    ``t_last``]."""

    std: float
    frequency: float
    mean: float
    shot_noise: float
    cycles: int
    t_first: float
    t_last: float

    @property
    def oscillates(self) -> bool:
        """Two cycles or more and var r ≥ :data:`OSCILLATION` × shot noise² (any std > 0 for a
        mean-field run)."""
        return self.cycles >= 2 and self.std**2 > OSCILLATION * self.shot_noise**2 and self.std > 0


def measure_rhythm(*, t, r, v=None, t_min=None, N=None, bin_width=None, hysteresis=0.5) -> Rhythm:
    """The rhythm of the rate r(t) on t ≥ ``t_min``, as the cycle branch reports it.

    Upward crossings through the mean (each after the signal was below mean − h, h =
    ``hysteresis`` × its std; :func:`qifgap.metrics.upward_crossings`) of the mean voltage
    ``v`` if given, else of r, cut the window to whole cycles [t_first, t_last]; frequency =
    (number of cycles) / (t_last − t_first) (a network's v carries no shot noise, its r does);
    std and mean of r over those cycles. ``N`` neurons counted in bins of width
    ``bin_width``: ``shot_noise`` = sqrt(⟨r⟩/(N b)), the std that independent spikes alone would
    give (not removed: the deterministic networks here are often below it). Fewer than two
    crossings: frequency NaN, std over the whole window."""
    t = np.asarray(t, dtype=float)
    r = np.asarray(r, dtype=float)
    x = r if v is None else np.asarray(v, dtype=float)
    if t.ndim != 1 or t.shape != r.shape or t.shape != x.shape or t.size < 3:
        raise ValueError(f"t, r (and v) must be 1-D of one length ≥ 3, got {t.shape}, {r.shape}")
    if N is not None:
        N = val.positive("N", N)
        bin_width = val.positive("bin_width", bin_width)
    hysteresis = val.non_negative("hysteresis", hysteresis)
    w = t >= t_min if t_min is not None else np.ones(t.shape, dtype=bool)
    if w.sum() < 3:
        raise ValueError(f"t_min ({t_min}) leaves fewer than three samples")
    t, r, x = t[w], r[w], x[w]
    y = x - x.mean()
    up = upward_crossings(t, y, h=hysteresis * y.std())
    cycles = len(up) - 1
    if cycles >= 1:
        inside = (t >= up[0]) & (t < up[-1])
        r_w, first, last = r[inside], float(up[0]), float(up[-1])
        frequency = cycles / (last - first)
    else:
        r_w, first, last, frequency = r, float(t[0]), float(t[-1]), float("nan")
    mean = float(r_w.mean())
    noise = float(np.sqrt(mean / (N * bin_width))) if N is not None else 0.0
    return Rhythm(float(r_w.std()), float(frequency), mean, noise, max(cycles, 0), first, last)


def equilibrium_growth(model: Model, guess: dict) -> float:
    """max Re μ of the Jacobian at the equilibrium of ``model``'s firing-rate equations found
    by Newton's method from ``guess`` = {population: (r, v)} (s_b starts at r_b): > 0 where the
    asynchronous state is unstable (a rhythm grows), < 0 where it is stable."""
    if not isinstance(model, Model):
        raise ValueError(f"model must be a qifgap.populations.Model, got {type(model).__name__}")
    system = from_model(model, ())
    x0 = []
    for name in system.state_names:
        kind, a = name.split(".", 1)
        if a not in guess:
            raise ValueError(f"guess must give (r, v) for population {a!r}, got {list(guess)}")
        r, v = guess[a]
        x0.append(v if kind == "v" else r)
    x = equilibrium(system, x0)
    return float(np.max(np.linalg.eigvals(system.jacobian(x, system.params)).real))


def _in_equations(key: str) -> bool:
    """Whether a sweep key changes the firing-rate equations: a coupling or a population's
    field other than its size N (not network or protocol options)."""
    head, *rest = key.split(".")
    return head in ("J", "g") or (head == "populations" and rest[-1] != "N")


def _cycle_at(cycles: pd.DataFrame, parameter: str, value: float) -> pd.Series | None:
    """The stable cycle of the branch reported at ``value`` (``point`` "UZ"), if any."""
    if cycles is None or cycles.empty:
        return None
    sel = cycles[(cycles.point == "UZ") & np.isclose(cycles[parameter], value, rtol=1e-9)]
    sel = sel[sel.stable.astype(bool)]
    return sel.iloc[0] if len(sel) else None


def compare_networks(points, *, model: Model, parameter: str, population: str, cycles=None):
    """One row per network point: the network's rhythm of population a = ``population``
    against the mean-field run of the same point and against the cycle branch (``cycles``, the
    table of :func:`rhythm_onset` in ``parameter``, with the point's value among its ``values``).

    ``points``: iterable of (run name, sweep point {dotted key: value}, network TimeSeries, mean
    field TimeSeries, t_min), each series with populations. Columns: ``run``, the sweep keys,
    ``on_branch`` (every key of the firing-rate equations but ``parameter`` has ``model``'s
    value: the continuation's line; network options such as N or dt do not count),
    ``growth`` (max Re μ of the equilibrium, :func:`equilibrium_growth`), ``std_r_net``,
    ``shot_noise`` (sqrt(⟨r⟩/(N b)), for scale), ``std_r_mf``, ``std_r_cycle``,
    ``frequency_net``, ``frequency_mf``, ``frequency_cycle`` (cycles timed by the crossings of
    v_a), ``mean_r_net``, ``mean_r_mf``, ``cycles_net``, ``N``, ``oscillates_net``
    (:attr:`Rhythm.oscillates`; else the network's frequency and its error are NaN),
    ``rel_err_frequency`` (network against the cycle, else against the mean-field run) and
    ``reference`` ("cycle" / "mean field run"). Frequencies in 1/τ."""
    if not isinstance(model, Model):
        raise ValueError(f"model must be a qifgap.populations.Model, got {type(model).__name__}")
    model.get(parameter)
    model.index(population)
    rows = []
    for run, point, net, mf, t_min in points:
        if parameter not in point:
            raise ValueError(f"{run}: the sweep point {point} does not set {parameter!r}")
        keys = {k: v for k, v in point.items() if _in_equations(k)}
        m = model
        for key, value in keys.items():
            m = m.set(key, value)
        on_branch = all(np.isclose(model.get(k), v) for k, v in keys.items() if k != parameter)
        a_net, a_mf = net.population(population), mf.population(population)
        N = int(net.params["populations"][population]["N"])
        b = float(np.mean(np.diff(a_net.t)))
        rn = measure_rhythm(t=a_net.t, r=a_net.r, v=a_net.v, t_min=t_min, N=N, bin_width=b)
        rm = measure_rhythm(t=a_mf.t, r=a_mf.r, v=a_mf.v, t_min=t_min)
        f_net = rn.frequency if rn.oscillates else np.nan
        w = mf.t >= (t_min if t_min is not None else mf.t[0])
        guess = {
            name: (float(mf.population(name).r[w].mean()), float(mf.population(name).v[w].mean()))
            for name in model.names
        }
        cyc = _cycle_at(cycles, parameter, point[parameter]) if on_branch else None
        f_cycle = float(cyc["frequency"]) if cyc is not None else np.nan
        reference = f_cycle if cyc is not None else rm.frequency
        rows.append(
            {
                "run": run,
                **point,
                "on_branch": bool(on_branch),
                "growth": equilibrium_growth(m, guess),
                "N": N,
                "mean_r_net": rn.mean,
                "mean_r_mf": rm.mean,
                "std_r_net": rn.std,
                "shot_noise": rn.shot_noise,
                "std_r_mf": rm.std,
                "std_r_cycle": float(cyc[f"r.{population}_std"]) if cyc is not None else np.nan,
                "frequency_net": f_net,
                "frequency_mf": rm.frequency,
                "frequency_cycle": f_cycle,
                "cycles_net": rn.cycles,
                "oscillates_net": bool(rn.oscillates),
                "rel_err_frequency": f_net / reference - 1.0,
                "reference": "cycle" if cyc is not None else "mean field run",
            }
        )
    return pd.DataFrame(rows)
