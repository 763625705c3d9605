"""Limit cycles of the firing-rate equations: fixed points of the first-return map on Σ.

Units τ = 1, a constant current folded into η̄. Σ = {(r, v): v = v_f, r > r_f} is the right
half-line through the high-activity (focus) fixed point; every cycle winds clockwise around
the focus and crosses Σ transversally wherever the focus is unstable or neutral (see
:mod:`qifgap.bifurcation.gaps`). A cycle is a root of P(r) − r, P: Σ → Σ the return map,
bracketed and polished by Newton with the exact derivative P'(r) from the variational equation.
The nontrivial Floquet multiplier of a planar cycle is exp(∮ trace J dt) = exp(∮ (4v − g) dt)
= P'(r*).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from .. import _validate as val
from ._args import pair, tolerances
from .closed_form import fixed_points, hopf_eta
from .field import vector_field
from .homoclinic import homoclinic_eta_near_hopf
from .integrator import run

__all__ = ["limit_cycle", "limit_cycles"]


@dataclass
class _Return:
    """One return to Σ from r0 = r_f + ρ: P(r0), the time T, P'(r0), end state and extrema."""

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
        o = run(
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
            fr, fv = vector_field(o.y[0], o.y[1], self.eta, self.J, self.g, self.delta)
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
    rm = _ReturnMap(eta_bar, J, g, delta, tolerances(rtol, atol), 1.2 * period_max)
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
    tol = tolerances(rtol, atol)
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
            lo, hi = pair("eta_range", eta_range)
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
        eta_hom = homoclinic_eta_near_hopf(self.J, self.g, self.delta, self.tol)
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
