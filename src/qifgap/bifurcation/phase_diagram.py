"""Phase diagrams of the firing-rate equations in the (η̄, J) plane at fixed g (units τ = 1).

Curves (science.md §3): the two saddle-node (fold) branches meeting at the cusp, the Hopf line
up to the Takens–Bogdanov point (closed form), the homoclinic curve from TB and the SNSL point on
the low-activity fold (:mod:`~qifgap.bifurcation.homoclinic`, :mod:`~qifgap.bifurcation.snic`),
and which part of the low fold is a SNIC.

Found numerically (Δ = 1; scale η̄ by Δ, J and g by √Δ): the scenario of science.md §3 (the
homoclinic curve runs from TB to a SNSL point on the low fold, above which that fold is a SNIC)
holds for g > g* ≈ 1.2794. The homoclinic curve first runs down in J from TB and turns back
(at J ≈ 3.85 for g = 2, TB at 4.71, SNSL at 4.33). For g < g* it never reaches the low fold:
after its turn (J ≈ 10.85 for g = 1) it runs up to large J inside the bistable wedge, the low
fold is nowhere a SNIC, and between the curve and the low fold a large oscillation coexists
with the low-activity state ("oscillation + fixed point"). For g just above g* the SNIC part of
the low fold ends again at a second SNSL point at large J where a second homoclinic curve
starts; both are included when inside the window.

Regions: at each point of an (η̄, J) grid, the number of fixed points and of stable ones follows
from the closed form (three fixed points strictly between the folds; the low one is a stable
node, the middle one a saddle, the high one is stable iff its rate is below the Hopf rate
r_H = 2Δ/(π g), i.e. for J < J_TB and η̄ < η̄_H(J)). Whether a stable limit cycle exists is read
off the geometry of the curves, not simulated: walking along η̄ at fixed J from the far left
(a single stable low state, no cycle), the cycle appears or disappears at every crossing of the
Hopf line (supercritical: appears), of the homoclinic curve, and of a SNIC part of the low fold
(appears); plain saddle-node points leave it alone. The label is

* "one stable state" (no cycle, one stable fixed point),
* "bistable" (no cycle, two stable fixed points),
* "oscillation" (a stable cycle, no stable fixed point),
* "oscillation + fixed point" (a stable cycle and a stable fixed point).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from .. import _validate as val
from ..results import write_table
from ._args import pair, tolerances
from .closed_form import (
    cusp,
    fold_point,
    fold_rates,
    hopf_eta_line,
    hopf_line,
    low_fold_rate,
    saddle_node_curve,
    takens_bogdanov,
)
from .gaps import saddle_node_gap
from .homoclinic import homoclinic_curve
from .snic import snsl

__all__ = ["PhaseDiagram", "phase_diagram", "codim2_vs_g", "fixed_point_counts"]

LABELS = ("one stable state", "bistable", "oscillation", "oscillation + fixed point")


@dataclass
class PhaseDiagram:
    """All curves, codimension-2 points and region labels of one (η̄, J) phase diagram.

    Tables (pandas, CSV-able):

    * ``saddle_nodes``: r, eta_bar, J, branch ("low"/"high"), snic (low-fold points that are a
      SNIC), inside the window;
    * ``hopf``: J, eta_bar, omega (onset angular frequency), inside the window;
    * ``homoclinic``: the whole homoclinic curve from TB (:func:`homoclinic_curve`) with columns
      ``in_window`` and ``curve`` (0: from TB; 1, 2, …: curves starting at further SNSL points
      inside the window, which exist at large J for g slightly above g* ≈ 1.28 √Δ);
    * ``points``: name ("cusp", "TB", "SNSL"), eta_bar, J, in_window (absent points are left out);
    * ``regions``: eta_bar, J, n_fixed, n_stable, cycle, label on the n × n grid.

    ``snic_intervals``: the J intervals (inside the window) on which the low fold is a SNIC.
    """

    g: float
    delta: float
    eta_range: tuple[float, float]
    J_range: tuple[float, float]
    saddle_nodes: pd.DataFrame
    hopf: pd.DataFrame
    homoclinic: pd.DataFrame
    points: pd.DataFrame
    regions: pd.DataFrame
    snic_intervals: list[tuple[float, float]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def label(self, eta_bar, J):
        """Region label(s) at (η̄, J) (scalars or arrays of the same shape)."""
        eta = np.asarray(eta_bar, dtype=float)
        Jv = np.broadcast_to(np.asarray(J, dtype=float), eta.shape)
        _, n_stable = fixed_point_counts(eta, Jv, self.g, self.delta)
        cyc = _cycle_exists(eta, Jv, self.g, self.delta, self.homoclinic, self.snic_intervals)
        out = _labels(n_stable, cyc)
        return str(out) if out.ndim == 0 else out

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "saddle_nodes": self.saddle_nodes,
            "hopf": self.hopf,
            "homoclinic": self.homoclinic,
            "points": self.points,
            "regions": self.regions,
        }

    def to_csv(self, directory) -> dict[str, Path]:
        """Write every table as ``<directory>/<name>.csv`` (atomically); returns the paths."""
        directory = Path(directory)
        paths = {}
        for name, df in self.tables().items():
            paths[name] = directory / f"{name}.csv"
            write_table(paths[name], df)
        return paths


def fixed_point_counts(eta_bar, J, g, delta=1.0):
    """Number of fixed points (1 or 3) and of stable ones at (η̄, J) (arrays, closed form).

    Three fixed points strictly between the two fold values of η̄ at this J (J above the cusp);
    the low one is always a stable node, the middle one a saddle; the high (or single, on the
    upper branch) one is stable iff its rate is below r_H = 2Δ/(π g) (trace g − 2Δ/(π r) < 0),
    i.e. iff g = 0 or (J < J_TB and η̄ < η̄_H(J)). A single fixed point left of the high fold is
    the low state (stable).
    """
    g = val.non_negative("g", g)
    delta = val.positive("delta", delta)
    eta = np.asarray(eta_bar, dtype=float)
    Jv = np.broadcast_to(np.asarray(J, dtype=float), eta.shape)
    left_edge, right_edge = _fold_etas(Jv, g, delta)  # NaN below the cusp
    with np.errstate(invalid="ignore"):
        three = (eta > left_edge) & (eta < right_edge)
        left_of_wedge = eta <= left_edge  # only the low state (single fixed point)
    if g == 0:
        high_stable = np.ones(eta.shape, dtype=bool)
    else:
        J_tb = takens_bogdanov(g, delta)[1]
        eta_h = hopf_eta_line(Jv, g, delta)
        high_stable = (Jv < J_tb) & (eta < eta_h)
        # below the cusp or outside the wedge the single state is on one smooth branch: stable
        # iff its rate is below r_H, i.e. η̄ < η̄(r_H; J) (η̄(r) increases along that branch)
        single_stable = eta < eta_h
    n_fixed = np.where(three, 3, 1)
    if g == 0:
        n_stable = np.where(three, 2, 1)
    else:
        n_stable = np.where(
            three,
            1 + high_stable.astype(int),
            np.where(left_of_wedge, 1, single_stable.astype(int)),
        )
    return n_fixed, n_stable


def _fold_etas(J, g, delta):
    """(left edge, right edge) of the bistable wedge at each J: η̄ on the high-activity fold and
    η̄ on the low-activity fold; NaN below the cusp."""
    J = np.asarray(J, dtype=float)
    uniq, inv = np.unique(J.ravel(), return_inverse=True)
    left = np.full(uniq.shape, np.nan)
    right = np.full(uniq.shape, np.nan)
    for k, Jk in enumerate(uniq):
        rates = fold_rates(Jk, g, delta)
        if rates.size >= 2:
            right[k] = fold_point(rates.min(), g, delta)[0]  # low-activity fold
            left[k] = fold_point(rates.max(), g, delta)[0]  # high-activity fold
    return left[inv].reshape(J.shape), right[inv].reshape(J.shape)


def _hom_crossings(hom: pd.DataFrame, J: float) -> np.ndarray:
    """η̄ values where the homoclinic curve(s) (polylines, one per value of the column ``curve``
    if present) cross the horizontal line at J."""
    if "curve" in hom.columns and hom["curve"].nunique() > 1:
        parts = [_hom_crossings(h.drop(columns="curve"), J) for _, h in hom.groupby("curve")]
        return np.concatenate(parts) if parts else np.empty(0)
    if len(hom) < 2:
        return np.empty(0)
    e = hom["eta_bar"].to_numpy()
    j = hom["J"].to_numpy()
    j0, j1 = j[:-1], j[1:]
    hit = ((j0 - J) * (j1 - J) < 0) | ((j1 == J) & (j0 != J))
    t = (J - j0[hit]) / (j1[hit] - j0[hit])
    return e[:-1][hit] + t * (e[1:][hit] - e[:-1][hit])


def _cycle_exists(eta, J, g, delta, hom, snic_intervals):
    """A stable cycle exists: odd number of cycle-creating crossings left of η̄ (see module)."""
    eta = np.asarray(eta, dtype=float)
    J = np.asarray(J, dtype=float)
    if g == 0:
        return np.zeros(eta.shape, dtype=bool)
    J_tb = takens_bogdanov(g, delta)[1]
    eta_h = hopf_eta_line(J, g, delta)
    count = ((J < J_tb) & (eta > eta_h)).astype(int)
    _, low_fold = _fold_etas(J, g, delta)
    snic = np.zeros(J.shape, dtype=bool)
    for a, b in snic_intervals:
        snic |= (J >= a) & (J <= b)
    with np.errstate(invalid="ignore"):
        count += (snic & (eta > low_fold)).astype(int)
    flat_e, flat_J = eta.ravel(), J.ravel()
    hom_count = np.zeros(flat_e.shape, dtype=int)
    for Jk in np.unique(flat_J):
        sel = flat_J == Jk
        xs = _hom_crossings(hom, Jk)
        if xs.size:
            hom_count[sel] = (flat_e[sel][:, None] > xs[None, :]).sum(axis=1)
    count += hom_count.reshape(eta.shape)
    return count % 2 == 1


def _labels(n_stable, cycle):
    n_stable = np.asarray(n_stable)
    cycle = np.asarray(cycle, dtype=bool)
    out = np.where(
        cycle,
        np.where(n_stable > 0, LABELS[3], LABELS[2]),
        np.where(n_stable >= 2, LABELS[1], np.where(n_stable == 1, LABELS[0], "none")),
    )
    return out.astype(object) if out.ndim else out[()]


def _snic_intervals(g, delta, J_lo, J_hi, n, tol):
    """J intervals within [J_lo, J_hi] on which the low fold is a SNIC, and the SNSL points
    (sign changes of the saddle-node gap on a grid of n J-values, refined by brentq)."""
    if g == 0:
        return [], []
    J_c = cusp(g, delta)[1]
    a = max(J_lo, J_c)
    if a >= J_hi:
        return [], []
    Js = np.linspace(a, J_hi, n)[1:] if a == J_c else np.linspace(a, J_hi, n)

    def gap_at_rate(r):
        gp = saddle_node_gap(r, g, delta, tol)
        return math.nan if gp is None else gp.gap

    rates, gaps = [], []
    for Jk in Js:
        r = low_fold_rate(Jk, g, delta)
        rates.append(r)
        gaps.append(math.nan if r is None else gap_at_rate(r))
    gaps = np.array(gaps)
    snic = gaps > 0
    # refine each change of the SNIC status between neighbouring J values
    edges = []
    for k in range(len(Js) - 1):
        if snic[k] == snic[k + 1]:
            continue
        if np.isfinite(gaps[k]) and np.isfinite(gaps[k + 1]):
            r = brentq(gap_at_rate, *sorted((rates[k], rates[k + 1])), xtol=1e-14, rtol=1e-14)
            eta, J, _ = fold_point(r, g, delta)
            edges.append((J, snic[k + 1], (eta, J)))
        else:  # the gap becomes undefined (stable focus at the fold): not a SNSL
            edges.append((0.5 * (Js[k] + Js[k + 1]), snic[k + 1], None))
    intervals = []
    start = Js[0] if snic[0] else None
    for J, on, _ in edges:
        if on:
            start = J
        elif start is not None:
            intervals.append((float(start), float(J)))
            start = None
    if start is not None:
        intervals.append((float(start), float(Js[-1])))
    points = [p for _, _, p in edges if p is not None]
    return intervals, points


def phase_diagram(
    g,
    delta=1.0,
    eta_range=(-12.0, 6.0),
    J_range=(-5.0, 20.0),
    n=101,
    *,
    hom_n=40,
    rtol=1e-10,
    atol=1e-12,
) -> PhaseDiagram:
    """The (η̄, J) phase diagram at gap-junction coupling g (see the module docstring).

    ``eta_range`` and ``J_range`` set the window (absolute values, like every η̄ and J of the
    package; the natural scales are Δ and √Δ), ``n`` the n × n grid of ``regions``, ``hom_n``
    the resolution of the homoclinic curve. J < 0 (inhibition) is allowed: the Hopf line
    continues there; the homoclinic curve lives above its turning point in J (and TB is at
    J < 0 only for g > 2√2·√Δ, e.g. g = 3).
    """
    g = val.non_negative("g", g)
    delta = val.positive("delta", delta)
    n = val.positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be >= 2, got {n!r}")
    e_lo, e_hi = pair("eta_range", eta_range)
    J_lo, J_hi = pair("J_range", J_range)
    tol = tolerances(rtol, atol)
    warnings: list[str] = []

    eta_c, J_c = cusp(g, delta)
    sn = saddle_node_curve(g, delta, J_max=max(J_hi, J_c + 1e-6 * math.sqrt(delta)))
    sn = sn[sn["J"].between(J_lo, J_hi) & sn["eta_bar"].between(e_lo, e_hi)].copy()

    tb = takens_bogdanov(g, delta)
    hom_J = (min(J_lo, J_c) - 1.0, J_hi + 1.0)
    if tb is None:
        hopf = pd.DataFrame({"J": [], "eta_bar": [], "omega": []})
        hom = homoclinic_curve(g, delta)
    else:
        J_min_hopf = min(J_lo, tb[1] - 1e-6)
        hopf = hopf_line(g, delta, J_min=J_min_hopf, n=401)
        hopf = hopf[hopf["J"].between(J_lo, J_hi) & hopf["eta_bar"].between(e_lo, e_hi)]
        hom_J = (hom_J[0], max(J_hi, tb[1]) + 1.0)
        hom = homoclinic_curve(g, delta, n=hom_n, J_range=hom_J, rtol=rtol, atol=atol)
    hom = hom.copy()
    hom["in_window"] = hom["J"].between(J_lo, J_hi) & hom["eta_bar"].between(e_lo, e_hi)
    if tb is not None and hom.attrs.get("end") not in ("SNSL", "J_range"):
        warnings.append(f"homoclinic continuation ended with {hom.attrs.get('end')!r}")

    intervals, snsl_points = _snic_intervals(g, delta, J_lo, J_hi, max(n, 41), tol)
    low = sn["branch"] == "low"
    snic_col = np.zeros(len(sn), dtype=bool)
    for a, b in intervals:
        snic_col |= (low & sn["J"].between(a, b)).to_numpy()
    sn["snic"] = snic_col

    rows = [{"name": "cusp", "eta_bar": eta_c, "J": J_c}]
    if tb is not None:
        rows.append({"name": "TB", "eta_bar": tb[0], "J": tb[1]})
    end = hom[hom["method"] == "SNSL"]
    if len(end):
        rows.append({"name": "SNSL", "eta_bar": end["eta_bar"].iloc[0], "J": end["J"].iloc[0]})
    # every other change between SNIC and plain saddle-node on the low fold inside the window is
    # a SNSL point where another homoclinic curve starts (g slightly above g* ≈ 1.28√Δ, large J)
    curves = [hom.assign(curve=0)]
    for eta_p, J_p in snsl_points:
        if len(end) and abs(J_p - end["J"].iloc[0]) <= 1e-6 * max(1.0, abs(J_p)):
            continue
        rows.append({"name": "SNSL", "eta_bar": eta_p, "J": J_p})
        extra = homoclinic_curve(
            g, delta, start=(eta_p, J_p), n=hom_n, J_range=hom_J, rtol=rtol, atol=atol
        )
        if extra.attrs.get("end") not in ("SNSL", "J_range"):
            warnings.append(
                f"homoclinic continuation from the SNSL point at J={J_p:.6g} ended with "
                f"{extra.attrs.get('end')!r}; region labels above it are not reliable"
            )
        extra["in_window"] = extra["J"].between(J_lo, J_hi) & extra["eta_bar"].between(e_lo, e_hi)
        curves.append(extra.assign(curve=len(curves)))
    hom = pd.concat(curves, ignore_index=True) if len(curves) > 1 else curves[0]
    points = pd.DataFrame(rows, columns=["name", "eta_bar", "J"])
    points["in_window"] = points["J"].between(J_lo, J_hi) & points["eta_bar"].between(e_lo, e_hi)

    E, JJ = np.meshgrid(np.linspace(e_lo, e_hi, n), np.linspace(J_lo, J_hi, n))
    n_fixed, n_stable = fixed_point_counts(E, JJ, g, delta)
    cyc = _cycle_exists(E, JJ, g, delta, hom, intervals)
    labels = _labels(n_stable, cyc)
    regions = pd.DataFrame(
        {
            "eta_bar": E.ravel(),
            "J": JJ.ravel(),
            "n_fixed": n_fixed.ravel(),
            "n_stable": n_stable.ravel(),
            "cycle": cyc.ravel(),
            "label": np.asarray(labels).ravel(),
        }
    )
    if (regions["label"] == "none").any():
        warnings.append("grid points with neither a stable fixed point nor a cycle")
    return PhaseDiagram(
        g=g,
        delta=delta,
        eta_range=(e_lo, e_hi),
        J_range=(J_lo, J_hi),
        saddle_nodes=sn.reset_index(drop=True),
        hopf=hopf.reset_index(drop=True),
        homoclinic=hom,
        points=points,
        regions=regions,
        snic_intervals=intervals,
        warnings=warnings,
    )


def codim2_vs_g(g_values, delta=1.0, *, J_max=None) -> pd.DataFrame:
    """Cusp, Takens–Bogdanov and SNSL points as functions of g.

    Columns g, cusp_eta, cusp_J, tb_eta, tb_J, snsl_eta, snsl_J (NaN where absent: no TB and
    no SNSL at g = 0; no SNSL below J_max where the low fold has no SNIC part, see
    :func:`qifgap.bifurcation.snic.snsl`).
    """
    delta = val.positive("delta", delta)
    g_arr = np.atleast_1d(np.asarray(g_values, dtype=float))
    if g_arr.ndim != 1 or not np.all(np.isfinite(g_arr)) or np.any(g_arr < 0):
        raise ValueError(f"g_values must be finite numbers >= 0, got {g_values!r}")
    rows = []
    for g in g_arr:
        ce, cJ = cusp(g, delta)
        tb = takens_bogdanov(g, delta) or (math.nan, math.nan)
        s = snsl(g, delta, J_max=J_max) or (math.nan, math.nan)
        rows.append(
            {
                "g": g,
                "cusp_eta": ce,
                "cusp_J": cJ,
                "tb_eta": tb[0],
                "tb_J": tb[1],
                "snsl_eta": s[0],
                "snsl_J": s[1],
            }
        )
    return pd.DataFrame(rows)
