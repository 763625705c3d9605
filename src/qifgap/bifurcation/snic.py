"""Is the low-activity fold a SNIC? The saddle-node gap along it, and the SNSL point.

Units τ = 1. Along the low-activity fold (closed form, parametric in the rate) the saddle-node
gap of :func:`qifgap.bifurcation.gaps.saddle_node_gap` is > 0 where the fold is a saddle-node on
an invariant circle (SNIC), < 0 where it is a plain saddle-node next to a stable cycle; its sign
changes at saddle-node separatrix-loop (SNSL) points.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from .. import _validate as val
from ._args import tolerances
from .closed_form import cusp, cusp_rate, fold_point, low_fold_rate, takens_bogdanov
from .gaps import saddle_node_gap

__all__ = ["snic_scan", "snsl"]


def snic_scan(g, delta=1.0, *, J_max=None, n=64, rtol=1e-10, atol=1e-12) -> pd.DataFrame:
    """The saddle-node gap along the low-activity fold: is the fold a SNIC?

    For saddle-node points on the low fold (closed form, parametric in the rate r, from the cusp
    up to J = ``J_max``, ``n`` points, geometric in r) the centre (unstable) branch is integrated
    forward and the strong stable branch backward to Σ; ``gap`` > 0 means the centre branch
    returns outside the strong stable manifold into the node's sector, i.e. the fold is a
    saddle-node on an invariant circle (SNIC); < 0 means it winds onto a cycle around the focus
    (a plain saddle-node, the cycle persists); NaN where the focus is stable at the fold (no
    cycle can surround it). Columns r, eta_bar, J, gap, snic; rows by increasing J.
    Default J_max: J_TB + 40 √Δ.
    """
    g = val.non_negative("g", g)
    delta = val.positive("delta", delta)
    n = val.positive_int("n", n)
    tol = tolerances(rtol, atol)
    r_c = cusp_rate(g, delta)
    if J_max is None:
        tb = takens_bogdanov(g, delta)
        J_max = (tb[1] if tb else cusp(g, delta)[1]) + 40.0 * math.sqrt(delta)
    J_max = val.finite("J_max", J_max)
    r_end = low_fold_rate(J_max, g, delta)
    rows = []
    if r_end is not None and g > 0:
        for r in np.geomspace(r_end, r_c, n + 1)[:-1]:
            eta, J, _ = fold_point(r, g, delta)
            gp = saddle_node_gap(float(r), g, delta, tol)
            gap = math.nan if gp is None else gp.gap
            rows.append({"r": r, "eta_bar": eta, "J": J, "gap": gap, "snic": bool(gap > 0)})
    df = pd.DataFrame(rows, columns=["r", "eta_bar", "J", "gap", "snic"])
    df = df.astype({"r": float, "eta_bar": float, "J": float, "gap": float, "snic": bool})
    return df.iloc[::-1].reset_index(drop=True)


def snsl(g, delta=1.0, *, J_max=None, n=64, rtol=1e-10, atol=1e-12):
    """The saddle-node separatrix-loop point (η̄, J) on the low-activity fold, or None.

    Located independently of :func:`homoclinic_curve`: along the low fold (from the cusp upwards
    in J, up to ``J_max``) the saddle-node gap of :func:`snic_scan` changes sign where the
    centre branch of the saddle-node returns exactly along its strong stable manifold; the first
    sign change (lowest J) is refined by brentq in the fold's rate. Above it (larger J) the low
    fold is a SNIC, below it a plain saddle-node next to a stable cycle. This is the end point of
    the homoclinic curve that starts at TB.

    None for g = 0 and where the fold has no SNIC part below J_max: for Δ = 1 this is the case
    for g < g* ≈ 1.2794 (found for J up to several thousand at g = 1), where the homoclinic
    curve from TB turns back to large J inside the bistable wedge. For g > g* the SNIC part of
    the fold ends again at a second SNSL point at large J (≈ 36.5 at g = 1.3, 65.8 at g = 1.4,
    310 at g = 2); near g* the two merge, and the scan (``n`` points) can miss a pair closer
    than its spacing.
    """
    df = snic_scan(g, delta, J_max=J_max, n=n, rtol=rtol, atol=atol)
    tol = tolerances(rtol, atol)
    if float(g) == 0.0:
        return None
    ok = df[np.isfinite(df["gap"])]
    s = np.sign(ok["gap"].to_numpy())
    idx = np.nonzero(s[1:] * s[:-1] < 0)[0]
    if idx.size == 0:
        return None
    k = idx[0]
    r_a, r_b = ok["r"].iloc[k], ok["r"].iloc[k + 1]
    delta_ = float(delta)

    def gsn(r):
        gp = saddle_node_gap(r, float(g), delta_, tol)
        return math.nan if gp is None else gp.gap

    r = brentq(gsn, min(r_a, r_b), max(r_a, r_b), xtol=1e-14, rtol=1e-14)
    eta, J, _ = fold_point(r, float(g), delta_)
    return float(eta), float(J)
