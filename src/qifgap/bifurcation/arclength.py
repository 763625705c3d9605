"""Pseudo-arclength continuation of G(u) = 0, G: R^(m+1) → R^m, and location of events on it.

Predictor u + ds·t along the unit tangent t (the null vector of DG(u), oriented like the
previous one); corrector: Newton on [G(u); t·(u − u_pred)] = 0. The step doubles after a
corrector that needed ≤ 3 iterations, grows by 1.3 after 4 and halves after a failure, within
[ds_min, ds_max]. An event is a sign change of a test function ψ between two accepted points;
it is located by Brent's method on the arclength s ∈ (0, ds) of the points corrected from
u_prev + s·t_prev, to |Δs| ≤ 1e-14 (the located point solves G = 0 to the corrector's
tolerance). A level u_k = value (a user point, a bound) is located by one Newton solve of
[G(u); u_k − value] = 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

__all__ = ["Arclength", "fd_jacobian"]


def fd_jacobian(G: Callable[[np.ndarray], np.ndarray], u: np.ndarray, h=1e-7) -> np.ndarray:
    """DG(u) by central differences, step h (1 + |u_k|) per column."""
    cols = []
    for k in range(u.size):
        e = np.zeros_like(u)
        e[k] = h * (1.0 + abs(u[k]))
        cols.append((G(u + e) - G(u - e)) / (2.0 * e[k]))
    return np.column_stack(cols)


@dataclass
class Point:
    u: np.ndarray
    t: np.ndarray
    iterations: int


class Arclength:
    """Continuation engine for G(u) = 0 (``DG`` analytic Jacobian or None: differences)."""

    def __init__(self, G, DG=None, *, tol=1e-11, maxit=10, ds=1e-2, ds_min=1e-9, ds_max=0.1):
        self.G, self._DG = G, DG
        self.tol, self.maxit = tol, maxit
        self.ds, self.ds_min, self.ds_max = ds, ds_min, ds_max

    def DG(self, u):
        return self._DG(u) if self._DG is not None else fd_jacobian(self.G, u)

    def tangent(self, u, t_prev=None) -> np.ndarray:
        """Unit null vector of DG(u), oriented along t_prev (if given)."""
        t = np.linalg.svd(self.DG(u))[2][-1]
        if t_prev is not None and t @ t_prev < 0:
            t = -t
        return t

    def newton(self, H, u, maxit=None):
        """Newton on the square system H(u) = 0 (FD or analytic rows); (u, iterations) or None."""
        for it in range(1, (maxit or self.maxit) + 1):
            r, M = H(u)
            try:
                du = np.linalg.solve(M, -r)
            except np.linalg.LinAlgError:
                return None
            if not np.all(np.isfinite(du)):
                return None
            u = u + du
            if np.max(np.abs(du)) <= self.tol * (1.0 + np.max(np.abs(u))):
                if np.max(np.abs(self.G(u))) <= 1e3 * self.tol * (1.0 + np.max(np.abs(u))):
                    return u, it
        return None

    def correct(self, u_pred, t):
        """Point on G = 0 in the hyperplane t·(u − u_pred) = 0; (u, iterations) or None."""

        def H(u):
            return np.append(self.G(u), t @ (u - u_pred)), np.vstack([self.DG(u), t])

        return self.newton(H, u_pred)

    def step(self, p: Point, ds: float) -> Point | None:
        res = self.correct(p.u + ds * p.t, p.t)
        if res is None:
            return None
        u, it = res
        t = self.tangent(u, p.t)
        if np.linalg.norm(u - p.u) > 2.0 * abs(ds) or t @ p.t < 0.5:
            return None  # jumped to another branch or across a sharp turn
        return Point(u, t, it)

    def march(self, p: Point):
        """Next accepted point with step control, or None when ds fell below ds_min."""
        while abs(self.ds) >= self.ds_min:
            q = self.step(p, self.ds)
            if q is not None:
                if q.iterations <= 4:
                    self.ds = min((2.0 if q.iterations <= 3 else 1.3) * self.ds, self.ds_max)
                return q
            self.ds *= 0.5
        return None

    def at(self, p: Point, s: float) -> Point:
        """The point corrected from p.u + s·p.t (0 ≤ s ≤ accepted step)."""
        if s == 0.0:
            return p
        res = self.correct(p.u + s * p.t, p.t)
        if res is None:
            raise RuntimeError("corrector failed while locating an event")
        return Point(res[0], self.tangent(res[0], p.t), res[1])

    def locate(self, p: Point, q: Point, psi: Callable[[Point], float]) -> Point:
        """The point between p and q where ψ changes sign (Brent on arclength)."""
        ds = float(p.t @ (q.u - p.u))
        s = brentq(lambda s: psi(self.at(p, s)), 0.0, ds, xtol=1e-14, rtol=1e-14)
        return self.at(p, s)

    def at_level(self, p: Point, q: Point, k: int, value: float) -> Point:
        """The point between p and q with u_k = value: Newton on [G(u); u_k − value] = 0 from the
        linear interpolation (one corrector solve instead of a search)."""
        if p.u[k] == value:
            return p
        e = np.zeros_like(p.u)
        e[k] = 1.0

        def H(u):
            return np.append(self.G(u), u[k] - value), np.vstack([self.DG(u), e])

        w = (value - p.u[k]) / (q.u[k] - p.u[k])
        res = self.newton(H, p.u + w * (q.u - p.u))
        if res is None:
            raise RuntimeError(f"corrector failed while locating u[{k}] = {value}")
        return Point(res[0], self.tangent(res[0], p.t), res[1])


@dataclass
class Trace:
    """The result of :func:`trace`: accepted points (events included, in order), the events as
    (kind, point) pairs, and why the trace ended ("bounds", an event kind in ``stop_at``,
    "lost": the step fell below ds_min, "max_points")."""

    points: list[Point]
    kinds: list[str]
    events: list[tuple[str, Point]]
    end: str


def trace(
    eng: Arclength,
    p0: Point,
    *,
    bounds: Sequence[tuple[int, float, float]],
    tests: dict[str, Callable[[Point, Point], float]],
    user: Sequence[tuple[int, float]] = (),
    accept: Callable[[str, Point], bool] = lambda kind, z: True,
    stop_at=(),
    max_points=1000,
    on_accept: Callable[[Point], None] | None = None,
) -> Trace:
    """Follow G = 0 from p0 along p0.t while lo ≤ u_k ≤ hi for each (k, lo, hi) in ``bounds``.
    At every accepted step q, each test ψ(z, ref) is compared between ψ(prev, prev) and
    ψ(q, prev) (ref: the previous accepted point, e.g. to orient null vectors alike on both
    sides); a sign change is located and kept if ``accept`` confirms it. User points (UZ):
    u_k = value for (k, value) in ``user``. The last point lies on a bound. ``on_accept(q)`` is
    called after each accepted step (e.g. to move a phase condition)."""
    points, kinds, events = [p0], [""], []
    pt = p0
    for _ in range(max_points):
        q = eng.march(pt)
        if q is None:
            return Trace(points, kinds, events, "lost")
        psi_p = {k: psi(pt, pt) for k, psi in tests.items()}
        psi_q = {k: psi(q, pt) for k, psi in tests.items()}
        found = []
        for k, psi in tests.items():
            if psi_p[k] * psi_q[k] < 0:
                ref = pt
                e = eng.locate(pt, q, lambda z, psi=psi, ref=ref: psi(z, ref))
                if accept(k, e):
                    found.append((k, e))
        for k, value in user:
            if (pt.u[k] - value) * (q.u[k] - value) < 0:
                found.append(("UZ", eng.at_level(pt, q, k, value)))
        for k, lo, hi in bounds:
            if not lo <= q.u[k] <= hi:
                found.append(("bounds", eng.at_level(pt, q, k, lo if q.u[k] < lo else hi)))
        found.sort(key=lambda f: float(pt.t @ (f[1].u - pt.u)))
        for k, e in found:
            points.append(e)
            if k in stop_at or k == "bounds":
                kinds.append("" if k == "bounds" else k)
                if k != "bounds":
                    events.append((k, e))
                return Trace(points, kinds, events, k)
            kinds.append(k)
            events.append((k, e))
        points.append(q)
        kinds.append("")
        pt = q
        if on_accept is not None:
            on_accept(q)
    return Trace(points, kinds, events, "max_points")
