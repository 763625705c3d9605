"""Two-parameter continuation of fold and Hopf curves, with the codimension-2 points on them.

Fold curve (limit points), unknowns u = (x, v, λ1, λ2), the standard extended system::

    f(x, λ) = 0,   A(x, λ) v = 0,   v₀·v − 1 = 0          (A = ∂f/∂x, v₀ the start's v)

Hopf curve, unknowns u = (x, v, κ, λ1, λ2) with κ = ω² (Kuznetsov 2004, §10.2.2)::

    f(x, λ) = 0,   (A² + κ I) v = 0,   v₀·v − 1 = 0,   w₀·v = 0

(v₀, w₀ orthonormal in the start's eigenplane: the system stays regular at a Takens–Bogdanov
point, where κ = 0). Both are followed by pseudo-arclength (:mod:`.arclength`) in both
directions from the start until a parameter leaves its bounds. Codimension-2 points, located by
Brent on the arclength (the test functions: p, v left and right null vectors of A with p
oriented continuously, B the second derivative of f):

* on fold curves: cusp (CP) ψ = p·B(v, v); Takens–Bogdanov (BT) ψ = p·v; fold–Hopf (ZH) ψ =
  :func:`.equilibria.hopf_test` of the eigenvalues other than the one nearest 0 (the sign of
  Π_{i<j} (μ_i + μ_j)), a complex pair at ZH;
* on Hopf curves: BT ψ = κ (the Hopf curve ends there); generalised Hopf (GH, Bautin) ψ = l1;
  fold–Hopf (ZH) ψ = det A / κ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validate as val
from .arclength import Arclength, Point, trace
from .equilibria import _is_hopf, first_lyapunov, hopf_test
from .system import System, as_system, second_derivative

__all__ = ["Curve", "fold_curve", "hopf_curve"]


@dataclass
class Curve:
    """A codimension-1 curve: ``table`` (p1, p2, the state, ``omega`` and ``l1`` for Hopf
    curves, ``point``: "" or the codimension-2 label, ``branch``: −1 / +1 for the two directions
    from the start), ``points`` (the codimension-2 points: ``kind`` and the same columns) and
    ``end`` (per direction: "bounds", "BT", "lost" or "max_points")."""

    kind: str
    p1: str
    p2: str
    table: pd.DataFrame
    points: pd.DataFrame
    end: dict


def _bounds(system, names, bounds):
    out = []
    for name in names:
        if name not in bounds:
            raise ValueError(f"bounds must give (low, high) for {name!r}, got keys {list(bounds)}")
        lo, hi = (val.finite(f"bounds[{name!r}]", b) for b in bounds[name])
        if not lo < hi:
            raise ValueError(f"bounds[{name!r}] must be (low, high) with low < high")
        out.append((lo, hi))
    return out


class _Setup:
    """Indices, parameters and helpers shared by the fold and the Hopf system."""

    def __init__(self, system: System, p1, p2, start, bounds, ds, ds_max, max_points):
        self.sy = system
        self.n = system.n
        self.k = (system.index(p1), system.index(p2))
        if self.k[0] == self.k[1]:
            raise ValueError(f"p2 must differ from p1, got {p2!r}")
        self.names = (p1, p2)
        self.p0 = system.params.copy()
        for name, kk in zip(self.names, self.k, strict=True):
            if name in start:
                self.p0[kk] = val.finite(f"start[{name!r}]", start[name])
        try:
            self.x0 = np.array([start[c] for c in system.state_names], dtype=float)
        except KeyError as err:
            raise ValueError(f"start must give the state {system.state_names}: {err}") from None
        self.bounds = _bounds(system, self.names, bounds)
        self.ds = val.positive("ds", ds)
        self.ds_max = val.positive("ds_max", ds_max)
        self.max_points = val.positive_int("max_points", max_points)

    def params(self, lam):
        p = self.p0.copy()
        p[self.k[0]], p[self.k[1]] = lam
        return p


def _left_null(A, ref=None):
    """Unit left null vector p of A (smallest singular value), oriented along ref."""
    p = np.linalg.svd(A)[0][:, -1]
    return -p if ref is not None and p @ ref < 0 else p


def _run(eng, u0, setup, tests, accept, stop_at, max_points):
    """Trace both directions from u0; rows of (branch, point, kind) in curve order."""
    t0 = eng.tangent(u0)
    ds0 = eng.ds
    parts, ends = [], {}
    for sign in (-1, 1):
        eng.ds = ds0
        tr = trace(
            eng,
            Point(u0, sign * t0, 0),
            bounds=[(-2, *setup.bounds[0]), (-1, *setup.bounds[1])],
            tests=tests,
            accept=accept,
            stop_at=stop_at,
            max_points=max_points,
        )
        ends[sign] = tr.end
        parts.append((sign, tr))
    (_, back), (_, fwd) = parts
    rows = [(-1, z, k) for z, k in zip(back.points[::-1], back.kinds[::-1], strict=True)]
    rows += [(1, z, k) for z, k in zip(fwd.points[1:], fwd.kinds[1:], strict=True)]
    events = [(k, z) for _, z, k in rows if k]
    return rows, events, ends


def fold_curve(
    system,
    p1: str,
    p2: str,
    *,
    start: dict,
    bounds: dict,
    ds=1e-2,
    ds_max=0.5,
    max_points=2000,
) -> Curve:
    """The fold curve in (p1, p2) through the fold ``start`` (a row of
    :attr:`EquilibriumBranch.folds`: p1 and the state; p2 from it or from the system), both
    directions, until p1 or p2 leaves ``bounds`` = {p1: (lo, hi), p2: (lo, hi)}. ``system``: a
    :class:`System` or a :class:`qifgap.populations.Model` (p1, p2 dotted names)."""
    system = as_system(system, (p1, p2))
    su = _Setup(system, p1, p2, start, bounds, ds, ds_max, max_points)
    n = su.n
    A0 = system.jacobian(su.x0, su.p0)
    v0 = np.linalg.svd(A0)[2][-1]

    def G(u):
        x, v, p = u[:n], u[n : 2 * n], su.params(u[-2:])
        return np.concatenate([system.rhs(x, p), system.jacobian(x, p) @ v, [v0 @ v - 1.0]])

    eng, u0 = _polished(G, np.concatenate([su.x0, v0, su.p0[list(su.k)]]), su, "fold")

    def parts(z, ref):
        """x, v, p, A and the left null vector oriented like the one at ref."""
        x, v, p = z.u[:n], z.u[n : 2 * n], su.params(z.u[-2:])
        A = system.jacobian(x, p)
        p_ref = _left_null(system.jacobian(ref.u[:n], su.params(ref.u[-2:])))
        return x, v, p, A, _left_null(A, p_ref)

    def cusp(z, ref):
        x, v, p, A, pl = parts(z, ref)
        return float(pl @ second_derivative(system, x, p, v, v)) / (v @ v)

    def bt(z, ref):
        _, v, _, _, pl = parts(z, ref)
        return float(pl @ v) / np.linalg.norm(v)

    def zh(z, ref):
        mu = np.linalg.eigvals(parts(z, ref)[3])
        return hopf_test(np.delete(mu, np.argmin(np.abs(mu))))

    tests = {"CP": cusp, "BT": bt, "ZH": zh}

    def accept(kind, z):
        if kind != "ZH":
            return True
        mu = np.linalg.eigvals(system.jacobian(z.u[:n], su.params(z.u[-2:])))
        return _is_hopf(np.delete(mu, np.argmin(np.abs(mu))))

    rows, events, ends = _run(eng, u0, su, tests, accept, (), su.max_points)
    return _curve("fold", su, rows, events, ends, lambda u, k, b: _fold_row(su, u, k, b), [])


def _polished(G, u0, su, name):
    """The continuation engine of the defining system G and the start u0 polished by Newton."""
    eng = Arclength(G, ds=su.ds, ds_max=su.ds_max)
    res = eng.newton(lambda u: (np.append(G(u), 0.0), _square(eng, u)), u0)
    if res is None:
        raise RuntimeError(f"the start is not a {name} point (the {name} system did not converge)")
    return eng, res[0]


def _curve(kind, su, rows, events, ends, row, extra):
    """The Curve of traced rows (branch, point, kind) and events, each tabulated by row(u, kind,
    branch); columns: the two parameters, the state, then ``extra``."""
    table = pd.DataFrame([row(z.u, k, b) for b, z, k in rows])
    cols = ["kind", *su.names, *su.sy.state_names, *extra]
    pts = pd.DataFrame([{"kind": k, **row(z.u, k, 0)} for k, z in events], columns=cols)
    return Curve(kind, *su.names, table, pts[cols], ends)


def _square(eng, u):
    """DG completed to a square matrix by the tangent row (for a Newton polish of the start)."""
    D = eng.DG(u)
    return np.vstack([D, np.linalg.svd(D)[2][-1]])


def _fold_row(su, u, kind, branch):
    n = su.n
    row = dict(zip(su.names, map(float, u[-2:]), strict=True))
    row.update(zip(su.sy.state_names, map(float, u[:n]), strict=True))
    row.update(point=kind, branch=branch)
    return row


def hopf_curve(
    system,
    p1: str,
    p2: str,
    *,
    start: dict,
    bounds: dict,
    ds=1e-2,
    ds_max=0.5,
    max_points=2000,
) -> Curve:
    """The Hopf curve in (p1, p2) through the Hopf point ``start`` (a row of
    :attr:`EquilibriumBranch.hopf`), both directions, until a parameter leaves ``bounds`` or the
    curve ends at a Takens–Bogdanov point (ω → 0). Columns ``omega`` = √κ and ``l1``.
    ``system``: a :class:`System` or a :class:`qifgap.populations.Model` (dotted names)."""
    system = as_system(system, (p1, p2))
    su = _Setup(system, p1, p2, start, bounds, ds, ds_max, max_points)
    n = su.n
    A0 = system.jacobian(su.x0, su.p0)
    mu, V = np.linalg.eig(A0)
    upper = np.nonzero(mu.imag > 0)[0]
    if upper.size == 0:
        raise ValueError("start is not a Hopf point: no complex eigenvalue pair")
    kk = int(upper[np.argmin(np.abs(mu.real[upper]))])
    a, b = V[:, kk].real, V[:, kk].imag
    v0 = a / np.linalg.norm(a)
    w0 = b - (b @ v0) * v0
    w0 /= np.linalg.norm(w0)

    def G(u):
        x, v, kappa, p = u[:n], u[n : 2 * n], u[2 * n], su.params(u[-2:])
        A = system.jacobian(x, p)
        return np.concatenate([system.rhs(x, p), A @ (A @ v) + kappa * v, [v0 @ v - 1.0, w0 @ v]])

    u0 = np.concatenate([su.x0, v0, [mu[kk].imag ** 2], su.p0[list(su.k)]])
    eng, u0 = _polished(G, u0, su, "Hopf")

    def lyapunov(u):
        if u[2 * n] <= 0:
            return np.nan
        try:
            return first_lyapunov(system, u[:n], su.params(u[-2:]))[1]
        except np.linalg.LinAlgError:  # exactly at a fold–Hopf point A is singular
            return np.nan

    def zh(z, ref):
        A = system.jacobian(z.u[:n], su.params(z.u[-2:]))
        return float(np.linalg.det(A)) / z.u[2 * n]

    tests = {"BT": lambda z, ref: z.u[2 * n], "GH": lambda z, ref: lyapunov(z.u), "ZH": zh}
    rows, events, ends = _run(eng, u0, su, tests, lambda k, z: True, ("BT",), su.max_points)

    def row(u, kind, branch):
        r = _fold_row(su, u, kind, branch)
        kappa = u[2 * n]
        r["omega"] = float(np.sqrt(kappa)) if kappa > 0 else 0.0
        r["l1"] = lyapunov(u) if kind != "BT" else np.nan
        return r

    return _curve("hopf", su, rows, events, ends, row, ["omega", "l1"])
