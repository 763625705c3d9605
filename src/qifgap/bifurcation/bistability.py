"""Where a synchronous and an asynchronous state coexist: continuation of a population model.

For a :class:`qifgap.populations.Model` and one parameter λ — a dotted key (``"J.B.A"``,
``"populations.B.eta_bar"``) or ``"drive"``, a common current I added to every η̄_a —
:func:`coexistence` follows the equilibria of the firing-rate equations (science.md §6) from
``start`` to ``stop`` with their folds (LP) and Hopf points (H), continues the cycle born at each
Hopf point, and reports where a stable equilibrium (asynchronous state) and a stable cycle
(synchronous state, a collective rhythm) exist at the same λ:

* stable equilibria: the λ-intervals of the runs of stable rows of the equilibrium branch (its
  ends are located events, LP or H, or the ends of the range);
* stable cycles: the λ-intervals of the runs of stable rows of each cycle branch (ends: H, folds
  of cycles LPC, period doublings PD, or the range);
* coexistence: the widest intersection of one with the other, [low, high].

:func:`rhythm_class` tells the two states apart in a time series (network or mean field): a
window is synchronous when the standard deviation of a population's rate exceeds a threshold.
Time in units of τ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validate as val
from ..defaults import CLUSTERS
from ..populations import Model
from .rhythms import rhythm_onset
from .system import System, from_model

__all__ = [
    "DRIVE",
    "Coexistence",
    "coexistence",
    "drive_system",
    "pulse_classes",
    "rhythm_class",
    "stable_intervals",
]

#: Name of the common current I added to every population's η̄ (a parameter of :func:`coexistence`).
DRIVE = "drive"


def drive_system(model: Model) -> System:
    """The firing-rate equations of ``model`` with one parameter, the common current I (name
    :data:`DRIVE`, value 0 at the model): η̄_a → η̄_a + I for every population a."""
    if not isinstance(model, Model):
        raise ValueError(f"model must be a qifgap.populations.Model, got {type(model).__name__}")
    keys = tuple(f"populations.{a}.eta_bar" for a in model.names)
    base = from_model(model, keys)
    eta0 = base.params.copy()
    return System(
        lambda x, p: base.f(x, eta0 + p[0]),
        base.state_names,
        (DRIVE,),
        np.zeros(1),
        lambda x, p: base.jac(x, eta0 + p[0]),
    )


def _system(model: Model, parameter: str) -> System:
    if parameter == DRIVE:
        return drive_system(model)
    if not isinstance(model, Model):
        raise ValueError(f"model must be a qifgap.populations.Model, got {type(model).__name__}")
    return from_model(model, (parameter,))


def stable_intervals(values, stable, events=None) -> list[tuple[float, float]]:
    """The λ-intervals [min, max] of each run of consecutive stable rows (``values`` in branch
    order, ``stable`` booleans); a run of one row is a point interval. ``events``: rows that
    are located bifurcation points (LP, H, LPC, PD), where stability changes: a run next to one
    extends to it, whatever the rounding of its eigenvalues (Re μ ≈ 0 there) says."""
    values = np.asarray(values, dtype=float)
    stable = np.asarray(stable, dtype=bool)
    events = np.zeros(values.size, bool) if events is None else np.asarray(events, dtype=bool)
    stable = stable & ~events
    out, i = [], 0
    while i < values.size:
        if not stable[i]:
            i += 1
            continue
        j = i
        while j + 1 < values.size and stable[j + 1]:
            j += 1
        lo, hi = (
            i - 1 if i > 0 and events[i - 1] else i,
            j + 1 if j + 1 < values.size and events[j + 1] else j,
        )
        run = values[lo : hi + 1]
        out.append((float(run.min()), float(run.max())))
        i = j + 1
    return out


def _intersections(a, b) -> list[tuple[float, float]]:
    out = []
    for lo1, hi1 in a:
        for lo2, hi2 in b:
            lo, hi = max(lo1, lo2), min(hi1, hi2)
            if hi > lo:
                out.append((lo, hi))
    return out


@dataclass
class Coexistence:
    """The result of :func:`coexistence`: ``branch`` (equilibria: λ, state, ``stable``,
    ``re_max``, ``point``), ``hopf`` (ω, frequency, period, l1, criticality), ``cycles`` (per
    cycle: λ, ``period``, ``frequency``, for each population ``r.<a>_amplitude``,
    ``r.<a>_mean``, ``r.<a>_std``, ``r.<a>_min``, ``r.<a>_max``, ``mu_max``, ``stable``,
    ``point``, ``hopf``: the Hopf row it was born at; the tables of
    :func:`qifgap.bifurcation.rhythm_onset`), the coexistence interval [``low``, ``high``] (NaN
    if none) and the intervals it was made from."""

    parameter: str
    branch: pd.DataFrame
    hopf: pd.DataFrame
    cycles: pd.DataFrame
    low: float
    high: float
    equilibrium_intervals: list
    cycle_intervals: list
    reference: float

    @property
    def width(self) -> float:
        return self.high - self.low

    def range_table(self) -> pd.DataFrame:
        """One row: parameter, low, high, width, reference (the scale of the parameter: the
        largest |η̄_a| for the drive, else |λ| at the model) and relative_width = width /
        reference."""
        return pd.DataFrame(
            [{"parameter": self.parameter, "low": self.low, "high": self.high,
              "width": self.width, "reference": self.reference,
              "relative_width": self.width / self.reference}]
        )  # fmt: skip


def coexistence(
    model: Model,
    parameter: str,
    start,
    stop,
    *,
    x0=None,
    ds_max=CLUSTERS["ds_max"],
    cycle_amplitude=CLUSTERS["cycle_amplitude"],
    cycle_ds_max=CLUSTERS["cycle_ds_max"],
    max_cycles=CLUSTERS["max_cycles"],
) -> Coexistence:
    """Equilibria, Hopf points, cycles and the coexistence interval of a stable equilibrium and
    a stable cycle of ``model``'s firing-rate equations for ``parameter`` (a dotted key or
    :data:`DRIVE`) in [start, stop] (module docstring); the branches are those of
    :func:`qifgap.bifurcation.rhythm_onset`. ``x0``: the state at ``start`` (default: the flow
    run to rest). Defaults: :data:`qifgap.defaults.CLUSTERS`. Time in units of τ."""
    system = _system(model, parameter)
    start = val.finite("start", start)
    stop = val.finite("stop", stop)
    if start == stop:
        raise ValueError("start and stop must differ")
    if system.param_names[0] == DRIVE:
        system = system.with_params(**{DRIVE: start})
    onset = rhythm_onset(system, parameter, start, stop, x0=x0, ds_max=ds_max,
                         cycle_amplitude=cycle_amplitude, cycle_ds_max=cycle_ds_max,
                         max_cycles=max_cycles)  # fmt: skip
    eq, table = onset.equilibria, onset.cycles
    eq_int = stable_intervals(eq.table[parameter], eq.table["stable"], eq.table["point"] != "")
    cyc_int = []
    for _, part in table.groupby("hopf"):
        point = part["point"].to_numpy()
        stable = part["stable"].astype(bool).to_numpy() & (point != "H")  # H: zero amplitude
        cyc_int += stable_intervals(part[parameter], stable, np.isin(point, ("LPC", "PD")))
    both = _intersections(eq_int, cyc_int)
    low, high = max(both, key=lambda x: x[1] - x[0]) if both else (np.nan, np.nan)
    reference = float(np.max(np.abs(model.eta_bar)) if parameter == DRIVE
                      else abs(model.get(parameter)))  # fmt: skip
    return Coexistence(parameter, onset.branch, onset.hopf, table, low, high, eq_int, cyc_int,
                       reference)  # fmt: skip


def rhythm_class(t, r, *, t_min, t_max, threshold, smooth=CLUSTERS["smooth"]) -> str:
    """ "sync" if the standard deviation of the rate ``r`` over t_min ≤ t < t_max, after a
    moving average over ``smooth`` (τ; it removes most of a finite network's binning noise, not
    a rhythm of period ≫ smooth), exceeds ``threshold`` (a collective rhythm), else "async"."""
    t = np.asarray(t, dtype=float)
    r = np.asarray(r, dtype=float)
    t_min, t_max = val.interval(t_min, t_max)
    threshold = val.positive("threshold", threshold)
    smooth = val.non_negative("smooth", smooth)
    window = (t >= t_min) & (t < t_max)
    if np.count_nonzero(window) < 2:
        raise ValueError(f"t_min, t_max: fewer than 2 samples in [{t_min}, {t_max})")
    x = r[window]
    width = int(round(smooth / float(np.median(np.diff(t[window])))))
    if width > 1:
        x = np.convolve(x, np.ones(width) / width, mode="valid")
    return "sync" if float(np.std(x)) > threshold else "async"


def pulse_classes(runs: dict, *, population: str, windows, threshold,
                  smooth=CLUSTERS["smooth"]) -> pd.DataFrame:  # fmt: skip
    """The state of ``population`` in each window of a pulse protocol, for each run: one row per
    window [t_min, t_max, expected class] with a column per run (``runs``: {name: time series
    with ``t``, ``r`` (time × P) and ``populations``}, e.g. network and mean field) and
    ``std_<name>`` (the statistic :func:`rhythm_class` compares with ``threshold``)."""
    rows = []
    for k, window in enumerate(windows):
        if len(window) != 3 or window[2] not in ("sync", "async"):
            raise ValueError(f"windows[{k}]: expected [t_min, t_max, sync|async], got {window}")
        t_min, t_max, expected = float(window[0]), float(window[1]), window[2]
        row = {"t_min": t_min, "t_max": t_max, "expected": expected}
        for name, ts in runs.items():
            pops = tuple(ts.populations)
            if population not in pops:
                raise ValueError(f"population: {population!r} is not one of {pops} ({name})")
            r = np.asarray(ts.r)[:, pops.index(population)]
            row[name] = rhythm_class(ts.t, r, t_min=t_min, t_max=t_max, threshold=threshold,
                                     smooth=smooth)  # fmt: skip
            w = (ts.t >= t_min) & (ts.t < t_max)
            row[f"std_{name}"] = float(np.std(r[w]))
        rows.append(row)
    return pd.DataFrame(rows)
