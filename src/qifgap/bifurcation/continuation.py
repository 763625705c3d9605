"""Numerical continuation of the firing-rate equations: limit cycles, homoclinic curve, SNSL.

The planar system (τ = 1, a constant current folded into η̄)::

    dr/dt = Δ/π + r (2 v − g)
    dv/dt = v² + η̄ + J r − π² r²

is written once, in :func:`_vf` (a numba kernel checked against :func:`qifgap.model.rhs` in the
tests). Everything here is built on one tool, an adaptive Dormand–Prince 5(4) integrator compiled
with numba that integrates the flow together with its variational equation, ∫ r dt and ∫ trace dt,
and stops on the *right half-line through the focus*

    Σ = {(r, v): v = v_f, r > r_f},     (r_f, v_f) the high-activity (focus) fixed point.

Σ is crossed transversally, downwards, by every orbit wherever the focus is unstable or neutral
(on Σ, dv/dt = (r − r_f)(J − π²(r + r_f)) and J < 2π² r_f there), and every cycle, homoclinic
loop and saddle-node loop of this system winds clockwise around the focus, so Σ serves as the
Poincaré section of all three computations:

* limit cycles: fixed points of the return map P: Σ → Σ (bracketed root of P(r) − r, polished
  by Newton with the exact derivative from the variational equation). The nontrivial Floquet
  multiplier of a planar cycle is exp(∮ trace J dt) = exp(∮ (4v − g) dt) = P'(r*).
* homoclinic curve: the signed distance on Σ between the first crossing of the saddle's unstable
  manifold branch that winds around the focus (forward in time) and the first crossing of its
  stable manifold branch (backward in time); its root in η̄ at fixed J is the homoclinic point.
* SNSL: the same gap at the low-activity saddle-node point (exactly on the closed-form fold),
  between its centre (unstable) branch and its strong stable branch; its root along the fold
  is the saddle-node separatrix loop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numba import njit
from scipy.optimize import brentq

from .. import _validate as val
from .closed_form import (
    _cusp_rate,
    _rates_at_J,
    cusp,
    eta_of_rate,
    fixed_points,
    hopf_eta,
    takens_bogdanov,
)

__all__ = ["limit_cycle", "limit_cycles", "homoclinic_curve", "snic_scan", "snsl"]

PI = math.pi
PI2 = math.pi**2

# --- the vector field (the one definition of the equations in this module) -----------------


@njit(cache=True, error_model="numpy")
def _vf(r, v, eta, J, g, delta):
    """(dr/dt, dv/dt) = (Δ/π + r(2v − g), v² + η̄ + J r − π² r²)."""
    return delta / PI + r * (2.0 * v - g), v * v + eta + J * r - PI2 * r * r


NY = 8  # r, v, Φ_rr, Φ_rv, Φ_vr, Φ_vv, ∫ r dt, ∫ (4v − g) dt


@njit(cache=True, error_model="numpy")
def _deriv(y, p, out):
    """Extended field: flow, variational equation dΦ/dt = A Φ, ∫ r dt and ∫ trace dt.

    p = (η̄, J, g, Δ, s) with s = +1 (forward) or −1 (backward in time); the integrals are over
    |dt|.
    """
    eta, J, g, delta, s = p[0], p[1], p[2], p[3], p[4]
    r = y[0]
    v = y[1]
    fr, fv = _vf(r, v, eta, J, g, delta)
    a = 2.0 * v - g
    b = 2.0 * r
    c = J - 2.0 * PI2 * r
    d = 2.0 * v
    out[0] = s * fr
    out[1] = s * fv
    out[2] = s * (a * y[2] + b * y[4])
    out[3] = s * (a * y[3] + b * y[5])
    out[4] = s * (c * y[2] + d * y[4])
    out[5] = s * (c * y[3] + d * y[5])
    out[6] = r
    out[7] = s * (4.0 * v - g)


# Dormand–Prince 5(4) tableau (the field is autonomous: the nodes c_i are not needed)
_A21 = 1.0 / 5.0
_A31, _A32 = 3.0 / 40.0, 9.0 / 40.0
_A41, _A42, _A43 = 44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0
_A51, _A52, _A53, _A54 = 19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0
_A61, _A62, _A63, _A64, _A65 = (
    9017.0 / 3168.0,
    -355.0 / 33.0,
    46732.0 / 5247.0,
    49.0 / 176.0,
    -5103.0 / 18656.0,
)
_B1, _B3, _B4, _B5, _B6 = 35.0 / 384.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0
_E1, _E3, _E4, _E5, _E6, _E7 = (
    71.0 / 57600.0,
    -71.0 / 16695.0,
    71.0 / 1920.0,
    -17253.0 / 339200.0,
    22.0 / 525.0,
    -1.0 / 40.0,
)


@njit(cache=True, error_model="numpy")
def _dp_step(y, k1, h, p, ynew, k7, ks, tmp):
    """One Dormand–Prince 5(4) step of size h from y (k1 = f(y)): fills ynew (5th order),
    k7 = f(ynew) (first stage of the next step) and tmp (the embedded error estimate)."""
    k2, k3, k4, k5, k6 = ks[0], ks[1], ks[2], ks[3], ks[4]
    n = y.shape[0]
    for i in range(n):
        tmp[i] = y[i] + h * _A21 * k1[i]
    _deriv(tmp, p, k2)
    for i in range(n):
        tmp[i] = y[i] + h * (_A31 * k1[i] + _A32 * k2[i])
    _deriv(tmp, p, k3)
    for i in range(n):
        tmp[i] = y[i] + h * (_A41 * k1[i] + _A42 * k2[i] + _A43 * k3[i])
    _deriv(tmp, p, k4)
    for i in range(n):
        tmp[i] = y[i] + h * (_A51 * k1[i] + _A52 * k2[i] + _A53 * k3[i] + _A54 * k4[i])
    _deriv(tmp, p, k5)
    for i in range(n):
        tmp[i] = y[i] + h * (
            _A61 * k1[i] + _A62 * k2[i] + _A63 * k3[i] + _A64 * k4[i] + _A65 * k5[i]
        )
    _deriv(tmp, p, k6)
    for i in range(n):
        ynew[i] = y[i] + h * (_B1 * k1[i] + _B3 * k3[i] + _B4 * k4[i] + _B5 * k5[i] + _B6 * k6[i])
    _deriv(ynew, p, k7)
    for i in range(n):
        tmp[i] = h * (
            _E1 * k1[i] + _E3 * k3[i] + _E4 * k4[i] + _E5 * k5[i] + _E6 * k6[i] + _E7 * k7[i]
        )


@njit(cache=True, error_model="numpy")
def _refine(y, k1, h, p, kind, vs, ynew, k7, ks, tmp):
    """Root s in (0, h] of a scalar function along the step from y (Illinois on one DP step).

    kind 0: s·(v − v_s) (section), kind 1: dr/dt, kind 2: dv/dt. Leaves the state at the root in
    ynew and returns s.
    """
    sgn = p[4]
    if kind == 0:
        fa = sgn * (y[1] - vs)
    else:
        fa = k1[kind - 1]
    a = 0.0
    b = h
    _dp_step(y, k1, b, p, ynew, k7, ks, tmp)
    fb = sgn * (ynew[1] - vs) if kind == 0 else k7[kind - 1]
    side = 0
    s = b
    for _ in range(60):
        if fb == fa:
            break
        s = (a * fb - b * fa) / (fb - fa)
        if not (min(a, b) <= s <= max(a, b)):
            s = 0.5 * (a + b)
        _dp_step(y, k1, s, p, ynew, k7, ks, tmp)
        fs = sgn * (ynew[1] - vs) if kind == 0 else k7[kind - 1]
        if fs == 0.0 or abs(b - a) < 1e-15 * (abs(s) + 1e-300):
            break
        if (fs > 0.0) == (fb > 0.0):
            b = s
            fb = fs
            if side == -1:
                fa *= 0.5
            side = -1
        else:
            a = s
            fa = fs
            if side == 1:
                fb *= 0.5
            side = 1
        if abs(fs) < 1e-15 * (1.0 + abs(ynew[kind if kind > 0 else 1])):
            break
    _dp_step(y, k1, s, p, ynew, k7, ks, tmp)
    return s


@njit(cache=True, error_model="numpy")
def _flow(y0, p, vs, rs, t_max, rtol, atol, stop, box, ext, h0):
    """Integrate the extended field from y0 until one of:

    status 1: crossing of Σ = {v = vs, r > rs} with s·(v − vs) going from > 0 to ≤ 0;
    status 0: t reaches t_max;
    status 2: within stop[2] of the point (stop[0], stop[1]) (an attractor: no crossing);
    status 3: the box r ∈ (box[0], box[1]), |v| < box[2] is left;
    status −1: step size underflow.

    Returns (status, t, y). ``ext`` = [r_min, r_max, v_min, v_max] is updated along the way with
    the extrema of r and v (located to integration accuracy).
    """
    n = y0.shape[0]
    y = y0.copy()
    ynew = np.empty(n)
    yev = np.empty(n)
    k1 = np.empty(n)
    k7 = np.empty(n)
    kk = np.empty(n)
    yend = np.empty(n)
    kend = np.empty(n)
    yx = np.empty(n)
    kx = np.empty(n)
    ks = np.empty((5, n))
    tmp = np.empty(n)
    _deriv(y, p, k1)
    sgn = p[4]
    section_kind = n - n  # 0, typed as a run-time integer (one compiled _refine, not two)
    t = 0.0
    h = h0
    ext[0] = min(ext[0], y[0])
    ext[1] = max(ext[1], y[0])
    ext[2] = min(ext[2], y[1])
    ext[3] = max(ext[3], y[1])
    while True:
        if t >= t_max * (1.0 - 1e-14):
            return 0, t, y
        if t + h > t_max:
            h = t_max - t
        _dp_step(y, k1, h, p, ynew, k7, ks, tmp)
        err = 0.0
        for i in range(n):
            sc = atol + rtol * max(abs(y[i]), abs(ynew[i]))
            err += (tmp[i] / sc) ** 2
        err = math.sqrt(err / n)
        if not math.isfinite(err):
            h *= 0.1
            if h < 1e-14:
                return -1, t, y
            continue
        if err > 1.0:
            h *= max(0.2, 0.9 * err**-0.2)
            if h < 1e-14:
                return -1, t, y
            continue
        # accepted step y -> ynew; it ends early where it crosses Σ
        cross = sgn * (y[1] - vs) > 0.0 and sgn * (ynew[1] - vs) <= 0.0 and ynew[0] > rs
        if cross:
            h_end = _refine(y, k1, h, p, section_kind, vs, yev, kk, ks, tmp)
            yev[1] = vs
            for i in range(n):
                yend[i] = yev[i]
                kend[i] = kk[i]
        else:
            h_end = h
            for i in range(n):
                yend[i] = ynew[i]
                kend[i] = k7[i]
        # extrema of r and v inside [t, t + h_end]
        for comp in range(2):
            if (k1[comp] > 0.0) != (kend[comp] > 0.0) and k1[comp] != 0.0:
                _refine(y, k1, h_end, p, comp + 1, vs, yx, kx, ks, tmp)
                ext[2 * comp] = min(ext[2 * comp], yx[comp])
                ext[2 * comp + 1] = max(ext[2 * comp + 1], yx[comp])
        ext[0] = min(ext[0], yend[0])
        ext[1] = max(ext[1], yend[0])
        ext[2] = min(ext[2], yend[1])
        ext[3] = max(ext[3], yend[1])
        if cross:
            return 1, t + h_end, yend
        if stop[2] > 0.0 and (ynew[0] - stop[0]) ** 2 + (ynew[1] - stop[1]) ** 2 < stop[2] ** 2:
            return 2, t + h, ynew
        if ynew[0] < box[0] or ynew[0] > box[1] or abs(ynew[1]) > box[2]:
            return 3, t + h, ynew
        t += h
        for i in range(n):
            y[i] = ynew[i]
            k1[i] = k7[i]
        h *= min(5.0, 0.9 * max(err, 1e-10) ** -0.2)


# --- Python-side helpers -------------------------------------------------------------------

_NO_STOP = np.array([0.0, 0.0, -1.0])
_BOX_FORWARD = np.array([-np.inf, 1e6, 1e7])
_BOX_BACKWARD = np.array([0.0, 1e6, 1e7])  # backward orbits that leave r > 0 never return


@dataclass
class _Orbit:
    status: int
    t: float
    y: np.ndarray
    ext: np.ndarray


def _run(x0, eta, J, g, delta, *, backward=False, section=None, stop=None, t_max, tol):
    """Integrate from x0 = (r, v) (with Φ = I) until Σ(section) is crossed or another stop."""
    y0 = np.zeros(NY)
    y0[0], y0[1] = x0
    y0[2] = y0[5] = 1.0
    p = np.array([eta, J, g, delta, -1.0 if backward else 1.0])
    vs, rs = (math.nan, math.inf) if section is None else section
    stop_arr = _NO_STOP if stop is None else np.asarray(stop, dtype=float)
    box = _BOX_BACKWARD if backward else _BOX_FORWARD
    ext = np.array([np.inf, -np.inf, np.inf, -np.inf])
    status, t, y = _flow(y0, p, vs, rs, t_max, tol[0], tol[1], stop_arr, box, ext, 1e-4)
    return _Orbit(int(status), float(t), y, ext)


def _quartic(eta, J, g, delta):
    """Coefficients of π² r⁴ − J r³ − (g²/4 + η̄) r² + gΔ/(2π) r − Δ²/(4π²) (fixed-point rates)."""
    return np.array(
        [PI2, -J, -(g * g / 4.0 + eta), g * delta / (2.0 * PI), -(delta**2) / (4.0 * PI2)]
    )


def _deflate(coeffs, root):
    out = [coeffs[0]]
    for c in coeffs[1:-1]:
        out.append(c + root * out[-1])
    return np.array(out)


def _real_roots(coeffs):
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


def _v_star(r, g, delta):
    return g / 2.0 - delta / (2.0 * PI * r)


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


def _jac(r, v, J, g):
    return np.array([[2.0 * v - g, 2.0 * r], [J - 2.0 * PI2 * r, 2.0 * v]])


# --- limit cycles: return map on Σ ---------------------------------------------------------


@dataclass
class _Return:
    rho: float
    r0: float
    P: float
    T: float
    dP: float
    y: np.ndarray
    ext: np.ndarray


class _ReturnMap:
    """The first-return map P on Σ = {v = v_f, r > r_f} at fixed (η̄, J, g, Δ); r0 = r_f + ρ."""

    def __init__(self, eta, J, g, delta, tol, t_max):
        self.eta, self.J, self.g, self.delta = eta, J, g, delta
        self.tol, self.t_max = tol, t_max
        fps = fixed_points(eta, J, g, delta)
        self.fixed_points = fps
        self.focus = fps[-1]
        self.rf, self.vf = self.focus.r, self.focus.v
        self.stop = None
        if len(fps) == 3:
            node, saddle = fps[0], fps[1]
            d = math.hypot(node.r - saddle.r, node.v - saddle.v)
            self.stop = (node.r, node.v, 0.05 * d)
        self.cache: dict[float, _Return | None] = {}

    @property
    def focus_unstable(self) -> bool:
        return 4.0 * self.vf - self.g > 0.0

    def ret(self, rho: float) -> _Return | None:
        if rho in self.cache:
            return self.cache[rho]
        r0 = self.rf + rho
        o = _run(
            (r0, self.vf),
            self.eta,
            self.J,
            self.g,
            self.delta,
            section=(self.vf, self.rf),
            stop=self.stop,
            t_max=self.t_max,
            tol=self.tol,
        )
        out = None
        if o.status == 1:
            fr, fv = _vf(o.y[0], o.y[1], self.eta, self.J, self.g, self.delta)
            dP = o.y[2] - fr / fv * o.y[4]
            out = _Return(rho, r0, float(o.y[0]), o.t, float(dP), o.y, o.ext)
        self.cache[rho] = out
        return out

    def dn(self, rho: float) -> float:
        """(P(r0) − r0)/ρ: smooth down to ρ → 0; −1 for orbits that never return (escapes)."""
        R = self.ret(rho)
        return -1.0 if R is None else (R.P - R.r0) / rho


def _find_cycle(rm: _ReturnMap, guess: float | None) -> _Return | None:
    """The stable cycle around the focus as the root of P(r) − r on Σ, or None."""
    if not rm.focus_unstable:
        return None
    rf = rm.rf
    if guess is None or not guess > 0:
        lo = hi = None
        prev = None
        for rho in rf * np.geomspace(1e-5, 50.0, 70):
            if rm.dn(rho) <= 0.0:
                if prev is None:
                    return None
                lo, hi = prev, rho
                break
            prev = rho
        if lo is None:
            return None
    else:
        a = float(guess)
        if rm.dn(a) > 0.0:
            lo, hi = a, 1.25 * a
            for _ in range(60):
                if rm.dn(hi) <= 0.0:
                    break
                lo, hi = hi, 1.25 * hi
            else:
                return None
        else:
            lo, hi = 0.8 * a, a
            for _ in range(80):
                if rm.dn(lo) > 0.0:
                    break
                lo, hi = 0.8 * lo, lo
            else:
                return None
    rho = brentq(rm.dn, lo, hi, xtol=1e-14 * rf, rtol=1e-14, maxiter=200)
    R = rm.ret(rho)
    if R is None:
        R = rm.ret(lo)
        if R is None:
            return None
    for _ in range(3):  # Newton polish with the exact derivative P'(r0)
        D = R.P - R.r0
        if abs(D) <= 1e-14 * (1.0 + R.r0) or R.dP == 1.0:
            break
        new = R.rho - D / (R.dP - 1.0)
        if not lo <= new <= hi:
            break
        R2 = rm.ret(new)
        if R2 is None or abs(R2.P - R2.r0) >= abs(D):
            break
        R = R2
    if abs(R.P - R.r0) > 1e-9 * (1.0 + R.r0):
        return None  # the sign change was the separatrix between returning and escaping orbits
    return R


def _cycle_row(rm: _ReturnMap, R: _Return) -> dict:
    T = R.T
    r_min, r_max, v_min, v_max = (float(x) for x in R.ext)
    floquet = math.exp(R.y[7])
    return {
        "eta_bar": rm.eta,
        "J": rm.J,
        "g": rm.g,
        "delta": rm.delta,
        "period": T,
        "r_min": r_min,
        "r_max": r_max,
        "v_min": v_min,
        "v_max": v_max,
        "r_mean": R.y[6] / T,
        "v_mean": (R.y[7] / T + rm.g) / 4.0,
        "amplitude": r_max - r_min,
        "floquet": floquet,
        "stable": bool(abs(floquet) < 1.0),
        "r_section": R.r0,
        "v_section": rm.vf,
    }


_CYCLE_COLUMNS = [
    "eta_bar",
    "J",
    "g",
    "delta",
    "period",
    "r_min",
    "r_max",
    "v_min",
    "v_max",
    "r_mean",
    "v_mean",
    "amplitude",
    "floquet",
    "stable",
    "r_section",
    "v_section",
]


def _tol(rtol, atol):
    return (val.positive("rtol", rtol), val.positive("atol", atol))


def limit_cycle(eta_bar, J, g, delta=1.0, *, period_max=1e4, rtol=1e-10, atol=1e-12, guess=None):
    """The stable limit cycle around the high-activity fixed point at (η̄, J, g, Δ), or None.

    Returns a dict with the columns of :func:`limit_cycles`. ``guess``: an estimate of the cycle's
    crossing r − r_f of the section Σ (see the module docstring); without it Σ is scanned.
    """
    eta_bar = val.finite("eta_bar", eta_bar)
    J = val.finite("J", J)
    g = val.non_negative("g", g)
    delta = val.positive("delta", delta)
    period_max = val.positive("period_max", period_max)
    rm = _ReturnMap(eta_bar, J, g, delta, _tol(rtol, atol), 1.2 * period_max)
    R = _find_cycle(rm, guess)
    return None if R is None else _cycle_row(rm, R)


def limit_cycles(
    J,
    g,
    delta=1.0,
    *,
    eta_range=None,
    n=60,
    eta_values=None,
    spacing=None,
    start=None,
    period_max=1e4,
    refine_end=True,
    rtol=1e-10,
    atol=1e-12,
) -> pd.DataFrame:
    """Continue a stable periodic orbit in η̄ at fixed J; by default the branch born at the
    supercritical Hopf point η̄_H(J) (closed_form.hopf_eta), which exists for η̄ > η̄_H.

    Method: at each η̄ the cycle is the fixed point of the first-return map P on the half-line
    Σ = {v = v_f, r > r_f} through the focus, bracketed around a predicted crossing ρ = r − r_f
    and polished by Newton with P'(r) from the variational equation. Natural-parameter
    continuation with step control: the step in η̄ adapts to the error of the predictor (ρ²
    extrapolated linearly in η̄, exact at onset), so the branch is followed and not exchanged for
    another cycle; rows are written at the grid points. When the branch is lost (it ends in a
    homoclinic loop or at a SNIC, where the period diverges) the step has been halved down to
    10⁻⁹ of the η̄ range, and the cycles accepted on the way there are appended
    (``refine_end``), as long as their period is reproduced to 10⁻³ with 100× tighter
    tolerances: the last rows approach the end of the branch.

    Grid: ``eta_values`` (explicit) or ``n`` points on ``eta_range``. Default range
    (η̄_H, η̄_H + 5Δ); default ``spacing`` "onset" (η̄_H + span·(k/n)², dense near onset, where the
    amplitude ∝ √(η̄ − η̄_H)) without ``eta_range``, "linear" with it.

    ``start``: "hopf" (default where this J has a Hopf point): from η̄_H upwards, grid points
    ≤ η̄_H skipped; "low": from the lowest grid point that has a cycle (found by scanning Σ),
    upwards; "high": from the highest such point, downwards (rows then in decreasing η̄), e.g. the
    large cycle that ends, going left, at a SNIC or at a homoclinic loop where it is born. Without
    a Hopf point (g = 0, J ≥ J_TB) the default is "low" and a grid must be given.

    Columns: eta_bar, J, g, delta, period, r_min, r_max, v_min, v_max, r_mean, v_mean, amplitude
    (r_max − r_min), floquet (nontrivial Floquet multiplier exp ∮(4v − g) dt; real for a planar
    system), stable (|floquet| < 1), r_section, v_section (the orbit's point on Σ). ``df.attrs``:
    eta_hopf, start, end ("eta_range" or "lost"), eta_end (η̄ where the cycle was not found any
    more, within 10⁻⁹ of the range of the end of the branch; NaN if not lost).
    """
    J = val.finite("J", J)
    g = val.non_negative("g", g)
    delta = val.positive("delta", delta)
    period_max = val.positive("period_max", period_max)
    tol = _tol(rtol, atol)
    eta_h = hopf_eta(J, g, delta)
    has_hopf = math.isfinite(eta_h)
    start = ("hopf" if has_hopf else "low") if start is None else start
    val.choice("start", start, {"hopf", "low", "high"})
    if start == "hopf" and not has_hopf:
        raise ValueError(f"start='hopf' but there is no Hopf point at J={J}, g={g}")
    if eta_values is not None:
        grid = np.unique(np.asarray(eta_values, dtype=float))
        if grid.size == 0 or not np.all(np.isfinite(grid)):
            raise ValueError("eta_values must be a non-empty array of finite numbers")
    else:
        n = val.positive_int("n", n)
        if eta_range is None:
            if start != "hopf":
                raise ValueError(
                    f"give eta_range or eta_values (no Hopf point at J={J}, g={g}, or "
                    f"start={start!r})"
                )
            lo, hi = eta_h, eta_h + 5.0 * delta
        else:
            lo, hi = _range("eta_range", eta_range)
        spacing = ("onset" if eta_range is None else "linear") if spacing is None else spacing
        val.choice("spacing", spacing, {"onset", "linear"})
        k = np.arange(1, n + 1) / n
        grid = lo + (hi - lo) * (k**2 if spacing == "onset" else np.linspace(0.0, 1.0, n))
    if start == "hopf":
        grid = grid[grid > eta_h]
    if start == "high":
        grid = grid[::-1]
    rows: list[dict] = []
    attrs = {"eta_hopf": eta_h, "start": start, "end": "eta_range", "eta_end": math.nan}
    if grid.size:
        origin = eta_h if start == "hopf" else grid[0]
        span = max(float(abs(grid[-1] - origin)), 1e-12 * max(1.0, abs(origin)))
        branch = _CycleBranch(J, g, delta, tol, period_max, span, -1 if start == "high" else 1)
        ok = branch.start_at_hopf(eta_h, grid[0]) if start == "hopf" else branch.start_by_scan(grid)
        if ok:
            for eta in grid:
                if branch.s * (eta - branch.eta) < 0:
                    continue
                if not branch.march_to(float(eta)):
                    attrs["end"] = "lost"
                    attrs["eta_end"] = branch.eta_lost
                    if refine_end:
                        rows.extend(branch.end_rows())
                    break
                rows.append(_cycle_row(branch.rm, branch.R))
    df = pd.DataFrame(rows, columns=_CYCLE_COLUMNS)
    df.attrs.update(attrs)
    return df


class _CycleBranch:
    """Natural-parameter continuation of one cycle branch in η̄ (direction s = ±1)."""

    def __init__(self, J, g, delta, tol, period_max, span, s=1):
        self.J, self.g, self.delta, self.tol, self.period_max = J, g, delta, tol, period_max
        self.s = s
        self.h_max = span / 8.0
        # below ~1e-9 of the range the cycle passes the saddle closer than the integration error
        # can resolve; the end rows are checked against tighter tolerances anyway
        self.h_min = 1e-9 * max(1.0, span)
        self.h = span * 1e-6
        self.hist: list[tuple[float, float]] = []  # (η̄, ρ) of the last two accepted cycles
        self.eta = -s * math.inf
        self.rm: _ReturnMap | None = None
        self.R: _Return | None = None
        self.eta_lost = math.nan
        self.tail: list[tuple[_ReturnMap, _Return]] = []

    def _solve(self, eta, guess):
        rm = _ReturnMap(eta, self.J, self.g, self.delta, self.tol, 1.2 * self.period_max)
        return rm, _find_cycle(rm, guess)

    def _accept(self, eta, rm, R):
        self.hist = (self.hist + [(eta, R.rho)])[-2:]
        self.eta, self.rm, self.R = eta, rm, R
        self.tail.append((rm, R))

    def start_at_hopf(self, eta_h, eta_first) -> bool:
        """First cycle just above η̄_H.

        The branch lives on (η̄_H, η̄_hom), η̄_hom the homoclinic point next to the Hopf line if
        there is one at this J (near TB it is very close). The offset 10⁻⁶ × range, then halves
        of the available interval, are tried until the small cycle is found.
        """
        H = eta_first - eta_h
        eta_hom = _hom_eta_near_hopf(self.J, self.g, self.delta, self.tol)
        if eta_hom is not None:
            H = min(H, eta_hom - eta_h)
        trials = [self.h] if self.h < H else []
        trials += [H * 0.5**k for k in range(1, 40)]
        for h in trials:
            if h <= 1e-13 * max(1.0, abs(eta_h)):
                break
            rm, R = self._solve(eta_h + h, None)
            if R is not None:
                self.hist = [(eta_h, 0.0)]
                self._accept(eta_h + h, rm, R)
                self.h = h
                return True
        return False

    def start_by_scan(self, grid) -> bool:
        for eta in grid:
            rm, R = self._solve(float(eta), None)
            if R is not None:
                self._accept(float(eta), rm, R)
                return True
        return False

    def _predict(self, eta):
        if len(self.hist) < 2:
            return self.hist[-1][1]
        (e0, p0), (e1, p1) = self.hist
        q = p1 * p1 + (p1 * p1 - p0 * p0) / (e1 - e0) * (eta - e1)
        return math.sqrt(q) if q > 0 else 0.5 * p1

    def march_to(self, target) -> bool:
        """Continue the branch up to η̄ = target; False if it is lost on the way."""
        self.tail = []
        while self.s * (target - self.eta) > 0:
            h = min(self.h, abs(target - self.eta))
            eta = target if h == abs(target - self.eta) else self.eta + self.s * h
            pred = self._predict(eta)
            rm, R = self._solve(eta, pred)
            err = math.inf if R is None else abs(R.rho - pred) / max(R.rho, 1e-300)
            if err > 0.1:
                self.h = 0.5 * h
                if self.h < self.h_min:
                    self.eta_lost = eta
                    return False
                continue
            self._accept(eta, rm, R)
            if err < 0.01:
                self.h = min(2.0 * h, self.h_max)
        return True

    def end_rows(self) -> list[dict]:
        """Cycles accepted on the way to the end of the branch since the last grid point.

        Close to a homoclinic loop the cycle passes the saddle so closely that the integration
        error decides the period: each of these cycles is recomputed with 100× tighter
        tolerances and the approach is cut where the periods differ by more than 10⁻³ (or stop
        increasing, as they must towards the end).
        """
        out: list[dict] = []
        tight = (self.tol[0] * 1e-2, self.tol[1] * 1e-2)
        for rm, R in self.tail:
            if out and R.T <= out[-1]["period"]:
                break
            rm2 = _ReturnMap(rm.eta, self.J, self.g, self.delta, tight, rm.t_max)
            R2 = _find_cycle(rm2, R.rho)
            if R2 is None or abs(R2.T - R.T) > 1e-3 * R.T:
                break
            out.append(_cycle_row(rm, R))
        return out


def _range(name, value) -> tuple[float, float]:
    try:
        lo, hi = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high), got {value!r}") from None
    lo = val.finite(f"{name}[0]", lo)
    hi = val.finite(f"{name}[1]", hi)
    if not hi > lo:
        raise ValueError(f"{name} must have high > low, got {value!r}")
    return lo, hi


# --- manifold gaps: homoclinic loops of the saddle and of the saddle-node ----------------------


@dataclass
class _Gap:
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
        o = _run(
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


def _saddle_gap(r_s, J, g, delta, tol=(1e-10, 1e-12), t_max=1e5) -> _Gap | None:
    """Signed gap between the saddle's unstable and stable loop branches on Σ.

    The saddle is parametrised by its rate r_s (with J): η̄ = η̄(r_s) (closed form). The node and
    the focus are the other positive roots of the fixed-point quartic. None where this is not a
    saddle between a node and a focus that can be used (outside the wedge, no crossing of Σ).
    """
    eta = float(eta_of_rate(r_s, J=J, g=g, delta=delta))
    v_s = _v_star(r_s, g, delta)
    q = _quartic(eta, J, g, delta)
    others = _real_roots(_deflate(q, r_s))
    below = others[(others > 0) & (others < r_s)]
    above = others[others > r_s]
    if below.size != 1 or above.size != 1:
        return None
    r_n, r_f = _polish_root(q, below[0]), _polish_root(q, above[0])
    v_n, v_f = _v_star(r_n, g, delta), _v_star(r_f, g, delta)
    if 4.0 * v_f - g < 0.0:  # Σ is transversal wherever the focus is unstable (or neutral)
        return None
    eig = _eig_real(_jac(r_s, v_s, J, g))
    if eig is None or not eig[0][0] < 0.0 < eig[0][1]:
        return None
    (lam_s, lam_u), V = eig
    es, eu = V[:, 0], V[:, 1]
    x = np.array([r_s, v_s])
    to_focus = np.array([r_f - r_s, v_f - v_s])
    if eu @ to_focus < 0:
        eu = -eu
    d_f = float(np.linalg.norm(to_focus))
    d_n = math.hypot(r_n - r_s, v_n - v_s)
    d = min(d_f, d_n)
    section = (v_f, r_f)
    ou = _run(
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
    return _Gap(ou.y[0] - os_.y[0], eta, J, r_s, v_s, lam_s, lam_u, ou.t, os_.t)


def _fold_point(r, g, delta):
    """(η̄_SN, J_SN, v) of the saddle-node at rate r (closed form)."""
    J = 2 * PI2 * r + delta**2 / (2 * PI2 * r**3) - g * delta / (2 * PI * r**2)
    eta = -PI2 * r**2 - 3 * delta**2 / (4 * PI2 * r**2) + g * delta / (PI * r) - g * g / 4
    return eta, J, _v_star(r, g, delta)


def _sn_gap(r, g, delta, tol=(1e-10, 1e-12), t_max=1e5) -> _Gap | None:
    """Gap on Σ between the centre (unstable) branch and the strong stable branch of the
    saddle-node at rate r on a fold. > 0: the centre branch returns outside the strong stable
    manifold, into the node sector: the fold is a SNIC; < 0: it winds inside, onto a cycle."""
    eta, J, v = _fold_point(r, g, delta)
    q = _quartic(eta, J, g, delta)
    rest = _real_roots(_deflate(_deflate(q, r), r))
    above = rest[rest > r]
    if above.size != 1:
        return None
    r_f = _polish_root(q, above[0])
    v_f = _v_star(r_f, g, delta)
    if 4.0 * v_f - g < 0.0:
        return None
    eig = _eig_real(_jac(r, v, J, g))
    if eig is None:
        return None
    lam, V = eig
    if not lam[0] < 0.0:
        return None
    es, ec = V[:, 0], V[:, 1]
    x = np.array([r, v])
    to_focus = np.array([r_f - r, v_f - v])
    if ec @ to_focus < 0:
        ec = -ec
    d_f = float(np.linalg.norm(to_focus))
    section = (v_f, r_f)
    # the centre-unstable branch is unique and attracts nearby orbits: start well away from the
    # saddle-node point, where the slow flow (∝ distance²) would otherwise cost a long time
    oc = _run(x + 1e-2 * d_f * ec, eta, J, g, delta, section=section, t_max=t_max, tol=tol)
    if oc.status != 1:
        return None
    os_ = _stable_branch_crossing(x, es, 1e-6 * d_f, eta, J, g, delta, section, tol, t_max)
    if os_ is None:
        return None
    return _Gap(oc.y[0] - os_.y[0], eta, J, r, v, lam[0], lam[1], oc.t, os_.t)


# --- homoclinic curve: pseudo-arclength continuation of the gap in the (r_saddle, J) chart ----


def _det(r, J, g, delta):
    """Determinant D of the Jacobian at the fixed point of rate r (< 0: saddle)."""
    return delta**2 / (PI2 * r * r) - g * delta / (PI * r) - 2.0 * J * r + 4.0 * PI2 * r * r


class _HomChart:
    """Scaled chart X = ((r_s − r_TB)/r_TB, (J − J_TB)/J_sc) of the saddle's rate and J.

    In this chart the homoclinic curve leaves the TB point transversally to the Hopf and fold
    curves and meets the low fold transversally at the SNSL point (in the (η̄, J) plane all of
    them are tangent at TB, and the homoclinic curve is tangent to the fold at SNSL).
    """

    def __init__(self, g, delta, tol):
        self.g, self.delta, self.tol = g, delta, tol
        self.eta_tb, self.J_tb = takens_bogdanov(g, delta)
        self.r_tb = 2.0 * delta / (PI * g)
        self.eta_c, self.J_c = cusp(g, delta)
        self.r_c = _cusp_rate(g, delta)
        self.J_sc = max(abs(self.J_tb - self.J_c), 0.1 * math.sqrt(delta))
        self.cache: dict[tuple[float, float], _Gap | None] = {}

    def to_rJ(self, X):
        return self.r_tb * (1.0 + X[0]), self.J_tb + self.J_sc * X[1]

    def to_X(self, r, J):
        return np.array([r / self.r_tb - 1.0, (J - self.J_tb) / self.J_sc])

    def gap(self, X) -> _Gap | None:
        key = (float(X[0]), float(X[1]))
        if key not in self.cache:
            r, J = self.to_rJ(X)
            if r <= 0 or _det(r, J, self.g, self.delta) >= 0.0:
                self.cache[key] = None
            else:
                self.cache[key] = _saddle_gap(r, J, self.g, self.delta, self.tol)
        return self.cache[key]

    def G(self, X) -> float:
        """Gap normalised by the saddle–focus distance scale r_TB (NaN outside the domain)."""
        gp = self.gap(X)
        return math.nan if gp is None else gp.gap / self.r_tb

    def beyond_low_fold(self, X) -> bool:
        r, J = self.to_rJ(X)
        return r < self.r_c and (r <= 0 or _det(r, J, self.g, self.delta) >= 0.0)


def _hom_point_at_J(ch: _HomChart, J: float) -> np.ndarray | None:
    """The homoclinic point next to the Hopf line at J slightly below J_TB (1-D root in r_s)."""
    g, delta = ch.g, ch.delta
    fps = fixed_points(float(hopf_eta(J, g, delta)), J, g, delta)
    if len(fps) != 3:
        return None
    r_h = fps[1].r  # the saddle's rate on the Hopf line
    r_hi = max(_rates_at_J(J, g, delta))
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


def _hom_eta_near_hopf(J, g, delta, tol):
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
        gp = _sn_gap(r, g, delta, ch.tol)
        return math.nan if gp is None else gp.gap

    r0 = _low_fold_rate(J0, g, delta)
    if r0 is None:
        return None
    f0 = gsn(r0)
    if math.isnan(f0):
        return None
    inner = {1.0: (r0, f0), -1.0: (r0, f0)}
    for k in range(40):
        for sgn in (1.0, -1.0):
            r1 = _low_fold_rate(J0 + sgn * dJ * 1.4**k, g, delta)
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


def _low_fold_rate(J, g, delta):
    """Rate of the low-activity saddle-node at J (the smaller root of J_SN(r) = J)."""
    rates = _rates_at_J(J, g, delta)
    if rates.size == 0:
        return None
    r = float(min(rates))
    return r if r < _cusp_rate(g, delta) else None


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


def _hom_row(gp: _Gap, method: str) -> dict:
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
    tol = _tol(rtol, atol)
    if g == 0:
        df = pd.DataFrame({c: [] for c in _HOM_COLUMNS})
        df.attrs["end"] = "no TB point (g = 0)"
        return df
    ch = _HomChart(g, delta, tol)
    if J_range is None:
        J_lo = ch.J_c - 2.0 * abs(ch.J_tb - ch.J_c)
        J_hi = ch.J_tb + 40.0 * math.sqrt(delta)
    else:
        J_lo, J_hi = _range("J_range", J_range)
    L = float(np.linalg.norm(ch.to_X(ch.r_c, ch.J_c)))
    ds_max = L / n
    if isinstance(start, str) and start == "TB":
        tb_gap = _Gap(0.0, ch.eta_tb, ch.J_tb, ch.r_tb, g / 4.0, 0.0, 0.0, 0.0, 0.0)
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
    r0 = _low_fold_rate(val.finite("start J", J_s), g, delta)
    if r0 is None or abs(_fold_point(r0, g, delta)[0] - eta_s) > 1e-4 * max(1.0, abs(eta_s)):
        raise ValueError(f"start {start!r} is not a point of the low-activity fold")
    r_star = _snsl_near(ch, J_s, 1e-3 * ch.J_sc)
    if r_star is None:
        raise ValueError(f"no SNSL point on the low fold near start {start!r}")
    rows = [_hom_row(_sn_gap(r_star, g, delta, ch.tol), "SNSL")]
    X_star = ch.to_X(r_star, _fold_point(r_star, g, delta)[1])
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
        return -_det(r, J, g, delta)

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
                rows.append(_hom_row(_sn_gap(r_end, ch.g, ch.delta, ch.tol), "SNSL"))
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


# --- SNSL: the end of the SNIC part of the low fold ------------------------------------------


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
    tol = _tol(rtol, atol)
    r_c = _cusp_rate(g, delta)
    if J_max is None:
        tb = takens_bogdanov(g, delta)
        J_max = (tb[1] if tb else cusp(g, delta)[1]) + 40.0 * math.sqrt(delta)
    J_max = val.finite("J_max", J_max)
    r_end = _low_fold_rate(J_max, g, delta)
    rows = []
    if r_end is not None and g > 0:
        for r in np.geomspace(r_end, r_c, n + 1)[:-1]:
            eta, J, _ = _fold_point(r, g, delta)
            gp = _sn_gap(float(r), g, delta, tol)
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
    tol = _tol(rtol, atol)
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
        gp = _sn_gap(r, float(g), delta_, tol)
        return math.nan if gp is None else gp.gap

    r = brentq(gsn, min(r_a, r_b), max(r_a, r_b), xtol=1e-14, rtol=1e-14)
    eta, J, _ = _fold_point(r, float(g), delta_)
    return float(eta), float(J)
