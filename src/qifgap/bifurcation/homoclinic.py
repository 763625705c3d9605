"""The homoclinic (saddle-loop) curve: pseudo-arclength continuation of the manifold gap.

Units τ = 1. For a saddle of rate r_s at coupling J (η̄ = η̄(r_s) from the closed form) the gap
of :func:`qifgap.bifurcation.gaps.saddle_gap` vanishes on the homoclinic curve; its zero set is
followed in the scaled chart (r_s, J) from the Takens–Bogdanov point (or from a SNSL point on
the low-activity fold) until it reaches the low fold, where the end point (SNSL) is located by
the saddle-node gap of :func:`qifgap.bifurcation.gaps.saddle_node_gap`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from .. import _validate as val
from ._args import pair, tolerances
from .closed_form import (
    cusp,
    cusp_rate,
    det_at_rate,
    eta_of_rate,
    fixed_points,
    fold_point,
    fold_rates,
    hopf_eta,
    hopf_rate,
    low_fold_rate,
    takens_bogdanov,
)
from .gaps import Gap, saddle_gap, saddle_node_gap

__all__ = ["homoclinic_curve", "homoclinic_eta_near_hopf"]


class _HomChart:
    """Scaled chart X = ((r_s − r_TB)/r_TB, (J − J_TB)/J_sc) of the saddle's rate and J.

    In this chart the homoclinic curve leaves the TB point transversally to the Hopf and fold
    curves and meets the low fold transversally at the SNSL point (in the (η̄, J) plane all of
    them are tangent at TB, and the homoclinic curve is tangent to the fold at SNSL).
    """

    def __init__(self, g, delta, tol):
        self.g, self.delta, self.tol = g, delta, tol
        self.eta_tb, self.J_tb = takens_bogdanov(g, delta)
        self.r_tb = hopf_rate(g, delta)
        self.eta_c, self.J_c = cusp(g, delta)
        self.r_c = cusp_rate(g, delta)
        self.J_sc = max(abs(self.J_tb - self.J_c), 0.1 * math.sqrt(delta))
        self.cache: dict[tuple[float, float], Gap | None] = {}

    def to_rJ(self, X):
        return self.r_tb * (1.0 + X[0]), self.J_tb + self.J_sc * X[1]

    def to_X(self, r, J):
        return np.array([r / self.r_tb - 1.0, (J - self.J_tb) / self.J_sc])

    def gap(self, X) -> Gap | None:
        key = (float(X[0]), float(X[1]))
        if key not in self.cache:
            r, J = self.to_rJ(X)
            if r <= 0 or det_at_rate(r, J, self.g, self.delta) >= 0.0:
                self.cache[key] = None
            else:
                self.cache[key] = saddle_gap(r, J, self.g, self.delta, self.tol)
        return self.cache[key]

    def G(self, X) -> float:
        """Gap normalised by the saddle–focus distance scale r_TB (NaN outside the domain)."""
        gp = self.gap(X)
        return math.nan if gp is None else gp.gap / self.r_tb

    def beyond_low_fold(self, X) -> bool:
        r, J = self.to_rJ(X)
        return r < self.r_c and (r <= 0 or det_at_rate(r, J, self.g, self.delta) >= 0.0)


def _hom_point_at_J(ch: _HomChart, J: float) -> np.ndarray | None:
    """The homoclinic point next to the Hopf line at J slightly below J_TB (1-D root in r_s)."""
    g, delta = ch.g, ch.delta
    fps = fixed_points(float(hopf_eta(J, g, delta)), J, g, delta)
    if len(fps) != 3:
        return None
    r_h = fps[1].r  # the saddle's rate on the Hopf line
    r_hi = max(fold_rates(J, g, delta))
    width = r_hi - r_h
    prev = None
    for q in (0.05, 0.1, 0.2, 0.3, 0.35, 0.45, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0):
        r = r_h - q * width
        X = ch.to_X(r, J)
        G = ch.G(X)
        if math.isnan(G):
            continue
        if prev is not None and (G > 0) != (prev[1] > 0):
            r0 = brentq(lambda rr: ch.G(ch.to_X(rr, J)), prev[0], r, xtol=1e-15 * r_h, rtol=1e-15)
            return ch.to_X(r0, J)
        prev = (r, G)
    return None


def homoclinic_eta_near_hopf(J, g, delta, tol):
    """η̄ of the homoclinic point next to the Hopf line at this J (the end of the Hopf branch
    when J is close to J_TB), or None where there is none near it (no TB, or no saddle)."""
    tb = takens_bogdanov(g, delta)
    if tb is None or J >= tb[1]:
        return None
    eta_h = float(hopf_eta(J, g, delta))
    if not math.isfinite(eta_h) or len(fixed_points(eta_h, J, g, delta)) != 3:
        return None
    X = _hom_point_at_J(_HomChart(g, delta, tol), J)
    if X is None:
        return None
    r_s = _HomChart(g, delta, tol).to_rJ(X)[0]
    return float(eta_of_rate(r_s, J=J, g=g, delta=delta))


def _correct(ch: _HomChart, Xp, t, h=1e-7, maxit=8):
    """Chord-Newton corrector for G(X) = 0, t·(X − Xp) = 0. Returns (X, iterations) or None."""
    G0 = ch.G(Xp)
    if math.isnan(G0):
        return None
    g1 = ch.G(Xp + np.array([h, 0.0]))
    g2 = ch.G(Xp + np.array([0.0, h]))
    if math.isnan(g1) or math.isnan(g2):
        return None
    A = np.array([[(g1 - G0) / h, (g2 - G0) / h], [t[0], t[1]]])
    if abs(np.linalg.det(A)) < 1e-14 * (1.0 + np.abs(A).max()):
        return None
    X = Xp.copy()
    G = G0
    for it in range(1, maxit + 1):
        dX = np.linalg.solve(A, [-G, -(t @ (X - Xp))])
        X = X + dX
        G = ch.G(X)
        if math.isnan(G):
            return None
        if np.linalg.norm(dX) < 1e-10 and abs(G) < 1e-9:
            return X, it
    return None


def _snsl_near(ch: _HomChart, J0: float, dJ: float):
    """Root of the saddle-node gap along the low fold nearest to J0: brackets grown
    geometrically (first step dJ) on both sides, then brentq in the fold's rate."""
    g, delta = ch.g, ch.delta

    def gsn(r):
        gp = saddle_node_gap(r, g, delta, ch.tol)
        return math.nan if gp is None else gp.gap

    r0 = low_fold_rate(J0, g, delta)
    if r0 is None:
        return None
    f0 = gsn(r0)
    if math.isnan(f0):
        return None
    inner = {1.0: (r0, f0), -1.0: (r0, f0)}
    for k in range(40):
        for sgn in (1.0, -1.0):
            r1 = low_fold_rate(J0 + sgn * dJ * 1.4**k, g, delta)
            if r1 is None:
                continue
            f1 = gsn(r1)
            if math.isnan(f1):
                continue
            ra, fa = inner[sgn]
            if (f1 > 0) != (fa > 0):
                lo, hi = sorted((ra, r1))
                return brentq(gsn, lo, hi, xtol=1e-14, rtol=1e-14)
            inner[sgn] = (r1, f1)
    return None


_HOM_COLUMNS = [
    "eta_bar",
    "J",
    "period",
    "r_saddle",
    "v_saddle",
    "lambda_s",
    "lambda_u",
    "saddle_quantity",
    "method",
]


def _hom_row(gp: Gap, method: str) -> dict:
    return {
        "eta_bar": gp.eta,
        "J": gp.J,
        "period": math.nan,
        "r_saddle": gp.r,
        "v_saddle": gp.v,
        "lambda_s": gp.lam_s,
        "lambda_u": gp.lam_u,
        "saddle_quantity": gp.lam_s + gp.lam_u,
        "method": method,
    }


def homoclinic_curve(
    g, delta=1.0, *, start="TB", n=40, J_range=None, max_points=2000, rtol=1e-10, atol=1e-12
) -> pd.DataFrame:
    """The homoclinic (saddle-loop) bifurcation curve from the Takens–Bogdanov point (or from
    a SNSL point on the low fold).

    Method (manifold gap, no periods): for a saddle of rate r_s at coupling J (η̄ = η̄(r_s) from
    the closed form), the branch of its unstable manifold that leaves towards the focus is
    integrated forward and the branch of its stable manifold that winds around the focus backward,
    both to their first crossing of Σ = {v = v_f, r > r_f}; the signed distance of the two
    crossings is smooth in (r_s, J) and vanishes on the homoclinic curve. Its zero set is followed
    by pseudo-arclength continuation (secant predictor, chord-Newton corrector, step control) in
    the chart (r_s, J), from a first point next to TB (the 1-D root at J slightly below J_TB)
    until the curve reaches the low-activity fold (then the SNSL point is located on the fold by
    the same gap for the saddle-node point: centre branch versus strong stable branch), or leaves
    ``J_range``, or ``max_points`` is reached. The curve turns in J: for Δ = 1 and
    g < g* ≈ 1.279 it never reaches the fold but runs back to large J inside the bistable wedge.

    ``start``: "TB" (default), or (η̄, J) of a SNSL point on the low fold (as found by
    :func:`snic_scan`; refined here) from which a homoclinic curve enters the wedge: for g > g*
    the SNIC part of the low fold ends again at large J (J ≈ 36 at g = 1.3, 310 at g = 2 for
    Δ = 1), where a second homoclinic curve starts.

    Rows: the start point (method "TB" or "SNSL"), the continuation points ("manifold gap"), the
    SNSL point ("SNSL", on the closed-form fold) if reached. Columns eta_bar, J, period (NaN: the
    manifold gap needs no period), r_saddle, v_saddle, lambda_s, lambda_u (the saddle's
    eigenvalues), saddle_quantity (λ_s + λ_u; < 0: the cycle that ends on the loop is stable),
    method. ``df.attrs['end']``: "SNSL", "J_range", "max_points" or "failed". Empty for g = 0.
    ``n``: resolution; the continuation step is at most 1/n of the chart's TB–cusp scale.
    Default ``J_range``: (J_cusp − 2·|J_TB − J_cusp|, J_TB + 40 √Δ).
    """
    g = val.non_negative("g", g)
    delta = val.positive("delta", delta)
    n = val.positive_int("n", n)
    max_points = val.positive_int("max_points", max_points)
    tol = tolerances(rtol, atol)
    if g == 0:
        df = pd.DataFrame({c: [] for c in _HOM_COLUMNS})
        df.attrs["end"] = "no TB point (g = 0)"
        return df
    ch = _HomChart(g, delta, tol)
    if J_range is None:
        J_lo = ch.J_c - 2.0 * abs(ch.J_tb - ch.J_c)
        J_hi = ch.J_tb + 40.0 * math.sqrt(delta)
    else:
        J_lo, J_hi = pair("J_range", J_range)
    L = float(np.linalg.norm(ch.to_X(ch.r_c, ch.J_c)))
    ds_max = L / n
    if isinstance(start, str) and start == "TB":
        tb_gap = Gap(0.0, ch.eta_tb, ch.J_tb, ch.r_tb, g / 4.0, 0.0, 0.0, 0.0, 0.0)
        rows = [_hom_row(tb_gap, "TB")]
        dJ0 = 0.02 * ch.J_sc
        X0 = _hom_point_at_J(ch, ch.J_tb - dJ0)
        X1 = _hom_point_at_J(ch, ch.J_tb - 2.0 * dJ0)
    else:
        rows, X0, X1 = _start_at_snsl(ch, start, ds_max)
    if X0 is None or X1 is None:
        df = pd.DataFrame(rows, columns=_HOM_COLUMNS)
        df.attrs["end"] = "failed"
        return df
    for X in (X0, X1):
        rows.append(_hom_row(ch.gap(X), "manifold gap"))
    end = _trace(ch, X0, X1, (J_lo, J_hi), ds_max, max_points, rows)
    df = pd.DataFrame(rows, columns=_HOM_COLUMNS)
    df.attrs["end"] = end
    return df


def _start_at_snsl(ch: _HomChart, start, ds_max):
    """First row (the refined SNSL point) and two curve points next to it, inside the wedge."""
    try:
        eta_s, J_s = (float(x) for x in start)
    except (TypeError, ValueError):
        raise ValueError(f"start must be 'TB' or a pair (eta_bar, J), got {start!r}") from None
    g, delta = ch.g, ch.delta
    r0 = low_fold_rate(val.finite("start J", J_s), g, delta)
    if r0 is None or abs(fold_point(r0, g, delta)[0] - eta_s) > 1e-4 * max(1.0, abs(eta_s)):
        raise ValueError(f"start {start!r} is not a point of the low-activity fold")
    r_star = _snsl_near(ch, J_s, 1e-3 * ch.J_sc)
    if r_star is None:
        raise ValueError(f"no SNSL point on the low fold near start {start!r}")
    rows = [_hom_row(saddle_node_gap(r_star, g, delta, ch.tol), "SNSL")]
    X_star = ch.to_X(r_star, fold_point(r_star, g, delta)[1])
    Xa = X_star + np.array([1e-4, 0.0])  # just inside the wedge (r_s above the fold's rate)
    h = 1e-7
    G0, Gr, GJ = (ch.G(Xa + d) for d in ([0.0, 0.0], [h, 0.0], [0.0, h]))
    if any(math.isnan(x) for x in (G0, Gr, GJ)):
        return rows, None, None
    t = np.array([-(GJ - G0), Gr - G0])
    t = t / np.linalg.norm(t)
    X, ds = X_star, 0.25 * ds_max

    def depth(Y):  # −D: how far inside the wedge (the saddle's determinant D < 0)
        r, J = ch.to_rJ(Y)
        return -det_at_rate(r, J, g, delta)

    if depth(X + ds * t) < depth(X - ds * t):
        t = -t  # the curve enters the wedge on the other side
    pts = []
    for _ in range(2):
        res = None
        while res is None and ds > 1e-8:
            res = _correct(ch, X + ds * t, t)
            if res is None:
                ds *= 0.5
        if res is None:
            return rows, None, None
        X = res[0]
        pts.append(X)
    return rows, pts[0], pts[1]


def _trace(ch: _HomChart, X0, X1, J_range, ds_max, max_points, rows) -> str:
    """Pseudo-arclength continuation of G = 0 from X0, X1; appends rows, returns the end."""
    J_lo, J_hi = J_range
    ds_min = 1e-6 * ds_max
    X = X1
    t = (X1 - X0) / np.linalg.norm(X1 - X0)
    ds = min(float(np.linalg.norm(X1 - X0)), ds_max)
    while len(rows) < max_points:
        Xp = X + ds * t
        if ch.beyond_low_fold(Xp):
            r_end = _snsl_near(ch, ch.to_rJ(X)[1], 0.25 * ds * ch.J_sc)
            if r_end is not None:
                rows.append(_hom_row(saddle_node_gap(r_end, ch.g, ch.delta, ch.tol), "SNSL"))
                return "SNSL"
            ds *= 0.5
            if ds < ds_min:
                return "failed"
            continue
        res = _correct(ch, Xp, t)
        if res is None or (res[0] - X) @ t <= 0.0:
            ds *= 0.5
            if ds < ds_min:
                return "failed"
            continue
        Xn, its = res
        rows.append(_hom_row(ch.gap(Xn), "manifold gap"))
        if not J_lo <= ch.to_rJ(Xn)[1] <= J_hi:
            return "J_range"
        t = (Xn - X) / np.linalg.norm(Xn - X)
        X = Xn
        if its <= 3:
            ds = min(1.5 * ds, ds_max)
    return "max_points"
