"""Adaptive Dormand–Prince 5(4) integration of the extended field, compiled with numba.

The integrator of every continuation in this package (units τ = 1): it integrates
:func:`qifgap.bifurcation.field.extended_field` (the flow with its variational equation,
∫ r dt and ∫ trace dt) with error control and stops on the *section*

    Σ = {(r, v): v = v_s, r > r_s}      (crossed with s·(v − v_s) going from > 0 to ≤ 0),

on reaching an attractor, on leaving a box, or at t_max. It records the extrema of r and v
along the way. Crossings and extrema are located on the step by Illinois iteration.

The Butcher tableau is stored as arrays, as scipy's ``RK45`` does: nodes ``C``, stage
coefficients ``A``, 5th-order weights ``B``, error weights ``E`` (the difference of the 5th-
and 4th-order weights, with the FSAL stage 7). The field is autonomous, so ``C`` is not used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from .. import _jit  # noqa: F401  (before any @njit: the host's full vector width)
from .field import NY, extended_field

__all__ = ["C", "A", "B", "E", "Orbit", "dp_step", "refine", "flow", "run"]

C = np.array([0.0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0, 1.0])
A = np.array(
    [
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [1.0 / 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [3.0 / 40.0, 9.0 / 40.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0, 0.0, 0.0, 0.0, 0.0],
        [19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0, 0.0, 0.0, 0.0],
        [9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0, 0.0,
         0.0],
        [35.0 / 384.0, 0.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0, 0.0],
    ]
)  # fmt: skip
B = A[6].copy()  # FSAL: the last stage is evaluated at the new (5th-order) point
E = np.array(
    [71.0 / 57600.0, 0.0, -71.0 / 16695.0, 71.0 / 1920.0, -17253.0 / 339200.0, 22.0 / 525.0,
     -1.0 / 40.0]
)  # fmt: skip


@njit(cache=True, error_model="numpy")
def dp_step(y, K, h, p, ynew, err):
    """One Dormand–Prince 5(4) step of size h from y.

    K (7 × n): K[0] = f(y) on entry; on exit K[1..5] hold the stages and K[6] = f(ynew), the
    first stage of the next step. Fills ynew (5th order) and err (the embedded error
    estimate h Σ E_j K_j). Sums run over the non-zero coefficients, left to right.
    """
    n = y.shape[0]
    for s in range(1, 6):
        for i in range(n):
            if s == 1:
                err[i] = y[i] + h * A[1, 0] * K[0, i]
            else:
                acc = A[s, 0] * K[0, i]
                for j in range(1, s):
                    acc += A[s, j] * K[j, i]
                err[i] = y[i] + h * acc
        extended_field(err, p, K[s])
    for i in range(n):
        acc = B[0] * K[0, i]
        for j in range(1, 6):
            if B[j] != 0.0:
                acc += B[j] * K[j, i]
        ynew[i] = y[i] + h * acc
    extended_field(ynew, p, K[6])
    for i in range(n):
        acc = E[0] * K[0, i]
        for j in range(1, 7):
            if E[j] != 0.0:
                acc += E[j] * K[j, i]
        err[i] = h * acc


@njit(cache=True, error_model="numpy")
def refine(y, K, h, p, kind, vs, ynew, err):
    """Root s in (0, h] of a scalar function along the step from y (Illinois on one DP step).

    kind 0: s·(v − v_s) (section), kind 1: dr/dt, kind 2: dv/dt. K[0] = f(y) on entry. Leaves
    the state at the root in ynew (and f there in K[6]) and returns s.
    """
    sgn = p[4]
    if kind == 0:
        fa = sgn * (y[1] - vs)
    else:
        fa = K[0, kind - 1]
    a = 0.0
    b = h
    dp_step(y, K, b, p, ynew, err)
    fb = sgn * (ynew[1] - vs) if kind == 0 else K[6, kind - 1]
    side = 0
    s = b
    for _ in range(60):
        if fb == fa:
            break
        s = (a * fb - b * fa) / (fb - fa)
        if not (min(a, b) <= s <= max(a, b)):
            s = 0.5 * (a + b)
        dp_step(y, K, s, p, ynew, err)
        fs = sgn * (ynew[1] - vs) if kind == 0 else K[6, kind - 1]
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
    dp_step(y, K, s, p, ynew, err)
    return s


@njit(cache=True, error_model="numpy")
def flow(y0, p, vs, rs, t_max, rtol, atol, stop, box, ext, h0):
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
    yend = np.empty(n)
    kend = np.empty(n)
    yx = np.empty(n)
    K = np.empty((7, n))  # stages of the step
    Kr = np.empty((7, n))  # stages of the steps that locate a crossing or an extremum
    tmp = np.empty(n)
    extended_field(y, p, K[0])
    sgn = p[4]
    section_kind = n - n  # 0, typed as a run-time integer (one compiled refine, not two)
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
        dp_step(y, K, h, p, ynew, tmp)
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
            Kr[0] = K[0]
            h_end = refine(y, Kr, h, p, section_kind, vs, yev, tmp)
            yev[1] = vs
            for i in range(n):
                yend[i] = yev[i]
                kend[i] = Kr[6, i]
        else:
            h_end = h
            for i in range(n):
                yend[i] = ynew[i]
                kend[i] = K[6, i]
        # extrema of r and v inside [t, t + h_end]
        for comp in range(2):
            if (K[0, comp] > 0.0) != (kend[comp] > 0.0) and K[0, comp] != 0.0:
                Kr[0] = K[0]
                refine(y, Kr, h_end, p, comp + 1, vs, yx, tmp)
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
            K[0, i] = K[6, i]
        h *= min(5.0, 0.9 * max(err, 1e-10) ** -0.2)


_NO_STOP = np.array([0.0, 0.0, -1.0])
_BOX_FORWARD = np.array([-np.inf, 1e6, 1e7])
_BOX_BACKWARD = np.array([0.0, 1e6, 1e7])  # backward orbits that leave r > 0 never return


@dataclass
class Orbit:
    """End of an integration: status (see :func:`flow`), time, extended state, extrema."""

    status: int
    t: float
    y: np.ndarray
    ext: np.ndarray


def run(x0, eta, J, g, delta, *, backward=False, section=None, stop=None, t_max, tol) -> Orbit:
    """Integrate from x0 = (r, v) (with Φ = I) until Σ = {v = section[0], r > section[1]} is
    crossed (no section: never), the disc ``stop`` = (r, v, radius) is entered, the box is left
    or t_max is reached; ``tol`` = (rtol, atol)."""
    y0 = np.zeros(NY)
    y0[0], y0[1] = x0
    y0[2] = y0[5] = 1.0
    p = np.array([eta, J, g, delta, -1.0 if backward else 1.0])
    vs, rs = (math.nan, math.inf) if section is None else section
    stop_arr = _NO_STOP if stop is None else np.asarray(stop, dtype=float)
    box = _BOX_BACKWARD if backward else _BOX_FORWARD
    ext = np.array([np.inf, -np.inf, np.inf, -np.inf])
    status, t, y = flow(y0, p, vs, rs, t_max, tol[0], tol[1], stop_arr, box, ext, 1e-4)
    return Orbit(int(status), float(t), y, ext)
