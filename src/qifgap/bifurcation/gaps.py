"""Manifold gaps: how the separatrices of a saddle (or saddle-node) miss each other on Σ.

For a saddle (or a saddle-node point on the closed-form fold) of the planar firing-rate
equations (units τ = 1) the branch of its unstable (centre) manifold that leaves towards the
high-activity focus is integrated forward, and the branch of its stable (strong stable)
manifold that winds around the focus backward, both to their first crossing of the half-line

    Σ = {(r, v): v = v_f, r > r_f},     (r_f, v_f) the high-activity (focus) fixed point.

The signed distance of the two crossings (the *gap*) is smooth in the parameters and vanishes
on a homoclinic loop (saddle) or a saddle-node separatrix loop (saddle-node). Σ is crossed
transversally, downwards, by every orbit wherever the focus is unstable or neutral (on Σ,
dv/dt = (r − r_f)(J − π²(r + r_f)) and J < 2π² r_f there), and every loop of this system winds
clockwise around the focus.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..model import jacobian
from .closed_form import eta_of_rate, fixed_point_quartic, fold_point, v_star
from .integrator import run

__all__ = ["Gap", "saddle_gap", "saddle_node_gap"]


def _deflate(coeffs, root):
    """Coefficients of p(r)/(r − root) (synthetic division; the remainder is dropped)."""
    out = [coeffs[0]]
    for c in coeffs[1:-1]:
        out.append(c + root * out[-1])
    return np.array(out)


def _real_roots(coeffs):
    """Real roots (ascending) of the polynomial with these coefficients."""
    roots = np.roots(coeffs)
    keep = np.abs(roots.imag) <= 1e-9 * np.maximum(1.0, np.abs(roots))
    return np.sort(roots[keep].real)


def _polish_root(coeffs, r, steps=4):
    """Newton steps on the polynomial with these coefficients (Horner)."""
    for _ in range(steps):
        p = dp = 0.0
        for c in coeffs:
            dp = dp * r + p
            p = p * r + c
        if dp == 0:
            break
        r = r - p / dp
    return float(r)


def _eig_real(A):
    """Real eigenvalues (ascending) and unit eigenvectors of a 2×2 matrix with real spectrum."""
    lam, V = np.linalg.eig(A)
    if np.any(np.abs(lam.imag) > 1e-12 * (1.0 + np.abs(lam.real))):
        return None
    order = np.argsort(lam.real)
    lam = lam.real[order]
    V = V.real[:, order]
    V = V / np.linalg.norm(V, axis=0)
    return lam, V


@dataclass
class Gap:
    """A gap on Σ with the point it belongs to and that point's eigenvalues."""

    gap: float  # r_u − r_s on Σ (> 0: the unstable branch passes outside the stable one)
    eta: float
    J: float
    r: float  # rate of the saddle (or saddle-node point)
    v: float
    lam_s: float
    lam_u: float
    t_u: float
    t_s: float


def _stable_branch_crossing(x, es, eps, eta, J, g, delta, section, tol, t_max):
    """First crossing of Σ by the stable-manifold branch (backward in time) that reaches Σ.

    Of the two branches ±es, the one that winds around the focus reaches Σ; the other one leaves
    r > 0 backward in time (it comes from the fixed point at negative rate). If both reach Σ the
    first one is taken.
    """
    best = None
    for sgn in (1.0, -1.0):
        o = run(
            (x[0] + sgn * eps * es[0], x[1] + sgn * eps * es[1]),
            eta,
            J,
            g,
            delta,
            backward=True,
            section=section,
            t_max=t_max,
            tol=tol,
        )
        if o.status == 1 and (best is None or o.t < best.t):
            best = o
    return best


class _Geometry(NamedTuple):
    """A saddle (or saddle-node) x = (r, v) seen from the focus it loops around."""

    x: np.ndarray  # the equilibrium (r, v)
    lam: tuple  # its real eigenvalues, ascending
    es: np.ndarray  # eigenvector of lam[0]
    e_focus: np.ndarray  # eigenvector of lam[1], oriented towards the focus
    d_f: float  # distance to the focus
    section: tuple  # Σ: the line v = v_f through the focus, as (v_f, r_f)


def _towards_focus(r, v, r_f, J, g, delta) -> _Geometry | None:
    """The equilibrium (r, v), its eigenvectors and the section Σ through the focus at rate r_f;
    None where Σ is not transversal (4 v_f − g < 0: it is wherever the focus is unstable or
    neutral) or the eigenvalues are not real."""
    v_f = v_star(r_f, g, delta)
    if 4.0 * v_f - g < 0.0:
        return None
    eig = _eig_real(jacobian(r, v, J=J, g=g))
    if eig is None:
        return None
    lam, V = eig
    to_focus = np.array([r_f - r, v_f - v])
    e_focus = V[:, 1] if V[:, 1] @ to_focus >= 0 else -V[:, 1]
    d_f = float(np.linalg.norm(to_focus))
    return _Geometry(np.array([r, v]), tuple(lam), V[:, 0], e_focus, d_f, (v_f, r_f))


def saddle_gap(r_s, J, g, delta, tol=(1e-10, 1e-12), t_max=1e5) -> Gap | None:
    """Signed gap between the saddle's unstable and stable loop branches on Σ.

    The saddle is parametrised by its rate r_s (with J): η̄ = η̄(r_s) (closed form). The node and
    the focus are the other positive roots of the fixed-point quartic. None where this is not a
    saddle between a node and a focus that can be used (outside the wedge, no crossing of Σ).
    """
    eta = float(eta_of_rate(r_s, J=J, g=g, delta=delta))
    v_s = v_star(r_s, g, delta)
    q = fixed_point_quartic(eta, J, g, delta)
    others = _real_roots(_deflate(q, r_s))
    below = others[(others > 0) & (others < r_s)]
    above = others[others > r_s]
    if below.size != 1 or above.size != 1:
        return None
    r_n, r_f = _polish_root(q, below[0]), _polish_root(q, above[0])
    v_n = v_star(r_n, g, delta)
    geometry = _towards_focus(r_s, v_s, r_f, J, g, delta)
    if geometry is None or not geometry.lam[0] < 0.0 < geometry.lam[1]:
        return None
    x, (lam_s, lam_u), es, eu, d_f, section = geometry
    d_n = math.hypot(r_n - r_s, v_n - v_s)
    d = min(d_f, d_n)
    ou = run(
        x + 1e-5 * d * eu,
        eta,
        J,
        g,
        delta,
        section=section,
        stop=(r_n, v_n, 0.05 * d_n),
        t_max=t_max,
        tol=tol,
    )
    if ou.status != 1:
        return None
    os_ = _stable_branch_crossing(x, es, 1e-6 * d, eta, J, g, delta, section, tol, t_max)
    if os_ is None:
        return None
    return Gap(ou.y[0] - os_.y[0], eta, J, r_s, v_s, lam_s, lam_u, ou.t, os_.t)


def saddle_node_gap(r, g, delta, tol=(1e-10, 1e-12), t_max=1e5) -> Gap | None:
    """Gap on Σ between the centre (unstable) branch and the strong stable branch of the
    saddle-node at rate r on a fold. > 0: the centre branch returns outside the strong stable
    manifold, into the node sector: the fold is a SNIC; < 0: it winds inside, onto a cycle."""
    eta, J, v = fold_point(r, g, delta)
    q = fixed_point_quartic(eta, J, g, delta)
    rest = _real_roots(_deflate(_deflate(q, r), r))
    above = rest[rest > r]
    if above.size != 1:
        return None
    geometry = _towards_focus(r, v, _polish_root(q, above[0]), J, g, delta)
    if geometry is None or not geometry.lam[0] < 0.0:
        return None
    x, lam, es, ec, d_f, section = geometry
    # the centre-unstable branch is unique and attracts nearby orbits: start well away from the
    # saddle-node point, where the slow flow (∝ distance²) would otherwise cost a long time
    oc = run(x + 1e-2 * d_f * ec, eta, J, g, delta, section=section, t_max=t_max, tol=tol)
    if oc.status != 1:
        return None
    os_ = _stable_branch_crossing(x, es, 1e-6 * d_f, eta, J, g, delta, section, tol, t_max)
    if os_ is None:
        return None
    return Gap(oc.y[0] - os_.y[0], eta, J, r, v, lam[0], lam[1], oc.t, os_.t)
