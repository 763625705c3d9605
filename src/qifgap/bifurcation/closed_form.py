"""Fixed points and codimension-1/2 bifurcations of the firing-rate equations in closed form.

Units: τ = 1, a constant current folded into η̄ (science.md §3). Fixed points are parametrised
by their rate r > 0::

    v*(r)  = g/2 − Δ/(2π r)
    η̄(r)   = π² r² − J r − (g/2 − Δ/(2π r))²

Jacobian [[2v − g, 2r], [J − 2π² r, 2v]], trace T = g − 2Δ/(π r),
determinant D = Δ²/(π² r²) − gΔ/(π r) − 2 J r + 4π² r².

* saddle-nodes (D = 0): J_SN(r) = 2π² r + Δ²/(2π² r³) − gΔ/(2π r²),
  η̄_SN(r) = −π² r² − 3Δ²/(4π² r²) + gΔ/(π r) − g²/4;
* cusp (dJ_SN/dr = 0): 4π⁴ r⁴ + 2π g Δ r − 3Δ² = 0;
* Hopf (T = 0, D > 0): r_H = 2Δ/(π g), η̄_H(J) = 4Δ²/g² − g²/16 − 2ΔJ/(π g),
  ω_H² = 16Δ²/g² − 4ΔJ/(π g) − g²/4;
* Takens–Bogdanov (T = D = 0): J_TB = 4πΔ/g − π g³/(16Δ), η̄_TB = g²/16 − 4Δ²/g².

A chemical coupling of asymmetric spikes (MP20) is handled by passing J + g κ as J.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validate as val
from ..model import jacobian

__all__ = [
    "FixedPoint",
    "fixed_points",
    "fixed_point_quartic",
    "v_star",
    "trace_at_rate",
    "det_at_rate",
    "eta_of_rate",
    "fold_point",
    "fold_rates",
    "low_fold_rate",
    "cusp_rate",
    "saddle_node_curve",
    "saddle_node_etas",
    "cusp",
    "hopf_eta",
    "hopf_eta_line",
    "hopf_rate",
    "hopf_line",
    "hopf_frequency",
    "takens_bogdanov",
    "classify",
    "fixed_point_branch",
]

PI = math.pi


@dataclass(frozen=True)
class FixedPoint:
    """A fixed point (r*, v*) with the eigenvalues of its Jacobian and a stability label."""

    r: float
    v: float
    eigenvalues: tuple[complex, complex]
    stability: str

    @property
    def stable(self) -> bool:
        return self.stability.startswith("stable")


def classify(eigenvalues) -> str:
    """'stable node', 'stable focus', 'unstable node', 'unstable focus', 'saddle' or 'centre'."""
    lam = np.asarray(eigenvalues)
    re = lam.real
    if np.any(np.abs(lam.imag) > 0):
        if abs(re[0]) < 1e-12:
            return "centre"
        return "stable focus" if re[0] < 0 else "unstable focus"
    if re.min() < 0 < re.max():
        return "saddle"
    return "stable node" if re.max() < 0 else "unstable node"


def _check(delta, g):
    delta = val.positive("delta", delta)
    g = val.non_negative("g", g)
    return delta, g


def _positive_real_roots(coeffs, tol=1e-9) -> np.ndarray:
    roots = np.roots(coeffs)
    real = roots[np.abs(roots.imag) <= tol * np.maximum(1.0, np.abs(roots))].real
    return np.sort(real[real > 0])


def _polish(f, df, x, steps=8):
    """Newton steps that are kept only while they reduce |f| (safe at near-double roots)."""
    for _ in range(steps):
        d = df(x)
        if d == 0:
            break
        x_new = x - f(x) / d
        if not abs(f(x_new)) < abs(f(x)):
            break
        x = x_new
    return x


def v_star(r, g, delta=1.0):
    """Voltage of the fixed point of rate r > 0 (ṙ = 0): v* = g/2 − Δ/(2π r)."""
    return g / 2.0 - delta / (2.0 * PI * r)


def trace_at_rate(r, g, delta=1.0):
    """Trace of the Jacobian at the fixed point of rate r: T = g − 2Δ/(π r)."""
    return g - 2 * delta / (PI * r)


def det_at_rate(r, J, g, delta=1.0):
    """Determinant of the Jacobian at the fixed point of rate r (< 0: saddle):
    D = Δ²/(π² r²) − gΔ/(π r) − 2 J r + 4π² r²."""
    return delta**2 / (PI**2 * r**2) - g * delta / (PI * r) - 2 * J * r + 4 * PI**2 * r**2


def fixed_point_quartic(eta_bar, J, g, delta=1.0) -> np.ndarray:
    """Coefficients (highest power first) of the quartic whose positive roots are the fixed
    points' rates: π² r⁴ − J r³ − (g²/4 + η̄) r² + gΔ/(2π) r − Δ²/(4π²)."""
    return np.array(
        [PI**2, -J, -(g * g / 4.0 + eta_bar), g * delta / (2.0 * PI), -(delta**2) / (4 * PI**2)]
    )


def eta_of_rate(r, *, J, g, delta=1.0):
    """η̄ at which the rate r > 0 is a fixed point: π² r² − J r − v*(r)²."""
    r = np.asarray(r, dtype=float)
    return PI**2 * r**2 - J * r - v_star(r, g, delta) ** 2


def fixed_points(eta_bar, J, g, delta=1.0) -> list[FixedPoint]:
    """All fixed points at (η̄, J, g), sorted by rate; one or three.

    They are the positive roots of :func:`fixed_point_quartic`, with v = :func:`v_star`.
    """
    eta_bar = val.finite("eta_bar", eta_bar)
    J = val.finite("J", J)
    delta, g = _check(delta, g)
    coeffs = fixed_point_quartic(eta_bar, J, g, delta)
    p, dp = np.poly1d(coeffs), np.poly1d(coeffs).deriv()
    out = []
    for r in _positive_real_roots(coeffs, tol=1e-6):
        r = float(_polish(p, dp, r))
        v = v_star(r, g, delta)
        lam = np.linalg.eigvals(jacobian(r, v, J=J, g=g))
        lam = tuple(sorted((complex(x) for x in lam), key=lambda z: (z.real, z.imag)))
        out.append(FixedPoint(r=r, v=v, eigenvalues=lam, stability=classify(lam)))
    # near a fold two roots merge into a (numerically) complex pair: keep distinct ones only
    unique: list[FixedPoint] = []
    for fp in out:
        if not unique or abs(fp.r - unique[-1].r) > 1e-9 * max(1.0, fp.r):
            unique.append(fp)
    return unique


def _j_sn(r, g, delta):
    return 2 * PI**2 * r + delta**2 / (2 * PI**2 * r**3) - g * delta / (2 * PI * r**2)


def _eta_sn(r, g, delta):
    return -(PI**2) * r**2 - 3 * delta**2 / (4 * PI**2 * r**2) + g * delta / (PI * r) - g * g / 4


def fold_point(r, g, delta=1.0):
    """(η̄_SN, J_SN, v*) of the saddle-node (fold) point of rate r (works on arrays)."""
    return _eta_sn(r, g, delta), _j_sn(r, g, delta), v_star(r, g, delta)


def cusp_rate(g, delta=1.0) -> float:
    """Rate at the cusp: the positive root of 4π⁴ r⁴ + 2π g Δ r − 3Δ² = 0 (unique: the left
    side increases in r). Fold rates below it are on the low-activity fold."""
    coeffs = [4 * PI**4, 0.0, 0.0, 2 * PI * g * delta, -3 * delta**2]
    (r,) = _positive_real_roots(coeffs)
    p = np.poly1d(coeffs)
    return float(_polish(p, p.deriv(), r))


def cusp(g, delta=1.0) -> tuple[float, float]:
    """The cusp point (η̄, J) where the two saddle-node branches meet."""
    delta, g = _check(delta, g)
    r = cusp_rate(g, delta)
    return float(_eta_sn(r, g, delta)), float(_j_sn(r, g, delta))


def saddle_node_curve(g, delta=1.0, *, J_max=None, n=801) -> pd.DataFrame:
    """Both saddle-node branches, parametric in r, from the cusp up to J = J_max.

    Returns a table with columns ``r``, ``eta_bar``, ``J`` and ``branch``: "low" for the
    low-activity fold (r below the cusp rate; right edge of the bistable wedge), "high" for the
    high-activity fold (left edge). Rows of each branch are ordered by increasing J, both start
    at the cusp. Default J_max: 4 × J_cusp + 10 √Δ.
    """
    delta, g = _check(delta, g)
    r_c = cusp_rate(g, delta)
    J_c = float(_j_sn(r_c, g, delta))
    J_max = 4 * abs(J_c) + 10 * math.sqrt(delta) if J_max is None else val.finite("J_max", J_max)
    if J_max <= J_c:
        raise ValueError(f"J_max ({J_max}) must exceed the cusp value J = {J_c:.6g}")
    # on each branch J_SN is monotone in r: find the r where it reaches J_max
    r_lo_end = min(fold_rates(J_max, g, delta))
    r_hi_end = max(fold_rates(J_max, g, delta))
    s = np.linspace(0.0, 1.0, n) ** 2  # cluster points near the cusp, where the curve turns
    frames = []
    for branch, r in (
        ("low", r_c + (r_lo_end - r_c) * s),
        ("high", r_c + (r_hi_end - r_c) * s),
    ):
        frames.append(
            pd.DataFrame(
                {"r": r, "eta_bar": _eta_sn(r, g, delta), "J": _j_sn(r, g, delta), "branch": branch}
            )
        )
    return pd.concat(frames, ignore_index=True)


def fold_rates(J, g, delta=1.0) -> np.ndarray:
    """Rates r > 0 of the saddle-node points at this J (J_SN(r) = J):
    4π⁴ r⁴ − 2π² J r³ − π g Δ r + Δ² = 0. Empty below the cusp, else two (one at the cusp)."""
    coeffs = [4 * PI**4, -2 * PI**2 * J, 0.0, -PI * g * delta, delta**2]
    p = np.poly1d(coeffs)
    roots = _positive_real_roots(coeffs, tol=1e-7)
    return np.array([_polish(p, p.deriv(), r) for r in roots])


def low_fold_rate(J, g, delta=1.0) -> float | None:
    """Rate of the low-activity saddle-node at J (the smaller root of J_SN(r) = J, below the
    cusp rate), or None where there is none."""
    rates = fold_rates(J, g, delta)
    if rates.size == 0:
        return None
    r = float(min(rates))
    return r if r < cusp_rate(g, delta) else None


def saddle_node_etas(J, g, delta=1.0) -> list[float]:
    """The saddle-node (fold) values of η̄ at this J, sorted; empty below the cusp."""
    J = val.finite("J", J)
    delta, g = _check(delta, g)
    rates = fold_rates(J, g, delta)
    etas = sorted(float(_eta_sn(r, g, delta)) for r in rates)
    return [e for k, e in enumerate(etas) if k == 0 or abs(e - etas[k - 1]) > 1e-10]


def takens_bogdanov(g, delta=1.0) -> tuple[float, float] | None:
    """The Takens–Bogdanov point (η̄_TB, J_TB); None for g = 0 (no Hopf bifurcation)."""
    delta, g = _check(delta, g)
    if g == 0:
        return None
    J_tb = 4 * PI * delta / g - PI * g**3 / (16 * delta)
    eta_tb = g * g / 16 - 4 * delta**2 / (g * g)
    return eta_tb, J_tb


def hopf_eta_line(J, g, delta=1.0):
    """The straight line T = 0 through the Hopf points, η̄ = 4Δ²/g² − g²/16 − 2ΔJ/(π g), for
    g > 0 and every J (a Hopf bifurcation only where ω_H² > 0, i.e. J < J_TB; arrays work)."""
    return 4 * delta**2 / g**2 - g * g / 16 - 2 * delta * J / (PI * g)


def hopf_rate(g, delta=1.0) -> float:
    """Rate of the fixed points on the Hopf line (T = 0): r_H = 2Δ/(π g), g > 0."""
    return 2.0 * delta / (PI * g)


def _hopf_omega2(J, g, delta):
    """ω_H² = 16Δ²/g² − 4ΔJ/(π g) − g²/4 (g > 0)."""
    return 16 * delta**2 / g**2 - 4 * delta * J / (PI * g) - g * g / 4


def _along_hopf_line(J, g, delta, values):
    """values(J, g, Δ) on the array J for g > 0, NaN everywhere at g = 0; a float for scalar J."""
    delta, g = _check(delta, g)
    J = np.asarray(J, dtype=float)
    out = np.full(J.shape, np.nan) if g == 0 else values(J, g, delta)
    return float(out) if out.ndim == 0 else out


def _omega(J, g, delta):
    w2 = _hopf_omega2(J, g, delta)
    with np.errstate(invalid="ignore"):
        return np.where(w2 > 0, np.sqrt(np.where(w2 > 0, w2, 0.0)), np.nan)


def hopf_frequency(J, g, delta=1.0):
    """Onset angular frequency ω_H = sqrt(16Δ²/g² − 4ΔJ/(π g) − g²/4); NaN where no Hopf."""
    return _along_hopf_line(J, g, delta, _omega)


def hopf_eta(J, g, delta=1.0):
    """η̄_H(J) = 4Δ²/g² − g²/16 − 2ΔJ/(π g) for J < J_TB; NaN where there is no Hopf point."""
    return _along_hopf_line(
        J,
        g,
        delta,
        lambda J, g, d: np.where(np.isnan(_omega(J, g, d)), np.nan, hopf_eta_line(J, g, d)),
    )


def hopf_line(g, delta=1.0, *, J_min=None, n=201) -> pd.DataFrame:
    """The Hopf line from J_min up to the Takens–Bogdanov point: columns J, eta_bar, omega.

    Empty at g = 0. Default J_min: J_TB − 4 J_cusp(g=0) − 10 √Δ.
    """
    delta, g = _check(delta, g)
    tb = takens_bogdanov(g, delta)
    if tb is None:
        return pd.DataFrame({"J": [], "eta_bar": [], "omega": []})
    J_tb = tb[1]
    J_min = (
        J_tb - 4 * 7.79622 * math.sqrt(delta) - 10 * math.sqrt(delta)
        if J_min is None
        else val.finite("J_min", J_min)
    )
    if J_min >= J_tb:
        raise ValueError(f"J_min ({J_min}) must be below the Takens-Bogdanov value J = {J_tb:.6g}")
    J = np.linspace(J_min, J_tb, n)
    eta = hopf_eta_line(J, g, delta)
    w2 = np.clip(_hopf_omega2(J, g, delta), 0.0, None)
    return pd.DataFrame({"J": J, "eta_bar": eta, "omega": np.sqrt(w2)})


def fixed_point_branch(J, g, delta=1.0, *, r_min=None, r_max=None, n=2000) -> pd.DataFrame:
    """Fixed points against η̄ at fixed (J, g), exactly, parametrised by the rate r.

    Every r > 0 is a fixed point at η̄(r) (:func:`eta_of_rate`), so the whole branch, folds
    included, is a table over r: columns eta_bar, r, v, trace, det, stability (the label of
    :func:`classify`), stable. Default r range: 10⁻³ √Δ … 3 max(r at the folds, √Δ).
    """
    J = val.finite("J", J)
    delta, g = _check(delta, g)
    folds = fold_rates(J, g, delta)
    r_top = 3 * max([*folds, math.sqrt(delta)])
    r_min = 1e-3 * math.sqrt(delta) if r_min is None else val.positive("r_min", r_min)
    r_max = r_top if r_max is None else val.positive("r_max", r_max)
    if r_max <= r_min:
        raise ValueError(f"r_max ({r_max}) must exceed r_min ({r_min})")
    r = np.geomspace(r_min, r_max, n)
    v = v_star(r, g, delta)
    trace = trace_at_rate(r, g, delta)
    det = det_at_rate(r, J, g, delta)
    disc = trace**2 - 4 * det
    labels = np.where(
        det < 0,
        "saddle",
        np.where(
            trace < 0,
            np.where(disc < 0, "stable focus", "stable node"),
            np.where(disc < 0, "unstable focus", "unstable node"),
        ),
    )
    return pd.DataFrame(
        {
            "eta_bar": eta_of_rate(r, J=J, g=g, delta=delta),
            "r": r,
            "v": v,
            "trace": trace,
            "det": det,
            "stability": labels,
            "stable": (det > 0) & (trace < 0),
        }
    )
