"""Equilibrium branches of dx/dt = f(x, p) in one parameter, with folds and Hopf points.

The branch {f(x, λ) = 0} is followed by pseudo-arclength continuation (:mod:`.arclength`) in
u = (x, λ). Stability: the eigenvalues μ of A = ∂f/∂x (stable when all Re μ < 0). Events, each
located by Brent's method on the arclength to round-off (the parameter to ≲ 1e-10):

* fold (limit point, LP): the λ-component of the tangent changes sign;
* Hopf (H): Π_{i<j} (μ_i + μ_j) (the determinant of the bialternate product 2A ⊙ I)
  changes sign (:func:`hopf_test`) and the pair with μ_i + μ_j = 0 is complex, μ = ±iω (a
  real pair ±μ is a neutral saddle, not reported);
* user points (UZ): λ equals one of ``values``.

First Lyapunov coefficient (Kuznetsov, *Elements of Applied Bifurcation Theory*, 3rd ed.,
eq. (10.53)), with A q = iωq, Aᵀp = −iωp, ⟨q, q⟩ = ⟨p, q⟩ = 1 (⟨a, b⟩ = āᵀb)::

    l1 = Re[⟨p, C(q,q,q̄)⟩ − 2⟨p, B(q, A⁻¹B(q,q̄))⟩ + ⟨p, B(q̄, (2iω − A)⁻¹B(q,q))⟩] / (2ω)

B, C the second and third derivatives of f (:mod:`.system`). l1 < 0: supercritical (a stable
cycle is born), l1 > 0: subcritical. For ż = (α + iω)z + c|z|²z written in x = (Re z, Im z),
l1 = 2 Re c/ω with this normalisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from .. import _validate as val
from .arclength import Arclength, Point, trace
from .system import System, as_system, bilinear, rest_state, third_derivative

__all__ = ["EquilibriumBranch", "equilibria", "equilibrium", "first_lyapunov", "hopf_test"]


def equilibrium(system: System, x0, p=None, *, tol=1e-12, maxit=50) -> np.ndarray:
    """Newton's method for f(x, p) = 0 from x0 (p: the system's parameters by default)."""
    p = system.params if p is None else np.asarray(p, dtype=float)
    x = np.array(x0, dtype=float)
    if x.shape != (system.n,):
        raise ValueError(f"x0 must have {system.n} components {system.state_names}, got {x0!r}")
    for _ in range(maxit):
        dx = np.linalg.solve(system.jacobian(x, p), -system.rhs(x, p))
        x = x + dx
        if np.max(np.abs(dx)) <= tol * (1.0 + np.max(np.abs(x))):
            return x
    raise RuntimeError(f"no equilibrium found from x0={x0!r} (Newton did not converge)")


def hopf_test(mu: np.ndarray) -> float:
    """ψ_H: the sign of Π_{i<j} (μ_i + μ_j) (real) times min_{i<j} |μ_i + μ_j| — continuous, free
    of overflow in high dimension, zero exactly at Hopf points and neutral saddles."""
    i, j = np.triu_indices(mu.size, 1)
    pair = mu[i] + mu[j]
    size = np.abs(pair)
    if size.size == 0:
        return 1.0
    if np.min(size) == 0.0:
        return 0.0
    return float(np.sign(np.real(np.prod(pair / size)))) * float(np.min(size))


def first_lyapunov(system: System, x, p=None) -> tuple[float, float]:
    """(ω, l1) at a Hopf point x (A has eigenvalues ±iω); see the module docstring."""
    p = system.params if p is None else np.asarray(p, dtype=float)
    x = np.asarray(x, dtype=float)
    A = system.jacobian(x, p)
    mu, V = np.linalg.eig(A)
    upper = np.nonzero(mu.imag > 0)[0]
    if upper.size == 0:
        raise ValueError("no complex eigenvalue pair at x: not a Hopf point")
    k = int(upper[np.argmin(np.abs(mu.real[upper]))])
    omega = float(mu[k].imag)
    q = V[:, k] / np.linalg.norm(V[:, k])
    mu_l, W = np.linalg.eig(A.T)
    m = int(np.argmin(np.abs(mu_l - np.conj(mu[k]))))
    pv = W[:, m]
    pv = pv / np.conj(np.vdot(pv, q))  # ⟨p, q⟩ = p̄ᵀq = 1
    qb = np.conj(q)
    B = lambda a, b: bilinear(system, x, p, a, b)  # noqa: E731
    a, b = q.real, q.imag
    C = lambda u, v: third_derivative(system, x, p, u, v)  # noqa: E731  C(u, u, v)
    # C(q, q, q̄) = C(a,a,a) + C(b,b,a) + i (C(a,a,b) + C(b,b,b)) for q = a + ib
    Cqqqb = C(a, a) + C(b, a) + 1j * (C(a, b) + C(b, b))
    h11 = np.linalg.solve(A, B(q, qb).real)
    h20 = np.linalg.solve(2j * omega * np.eye(x.size) - A, B(q, q))
    val_ = np.vdot(pv, Cqqqb) - 2.0 * np.vdot(pv, B(q, h11 + 0j)) + np.vdot(pv, B(qb, h20))
    return omega, float(val_.real / (2.0 * omega))


@dataclass
class EquilibriumBranch:
    """An equilibrium branch: ``table`` (one row per point: the parameter, the state, ``stable``,
    ``n_unstable`` (eigenvalues with Re μ > 0), ``re_max``, ``point`` ("" / "LP" / "H" / "UZ"),
    the arclength ``s``), ``folds`` and ``hopf`` (events; Hopf with ``omega``, ``l1``,
    ``criticality``), ``user`` (UZ points) and ``end`` ("stop", "range", "lost", "max_points")."""

    parameter: str
    system: System
    table: pd.DataFrame
    folds: pd.DataFrame
    hopf: pd.DataFrame
    user: pd.DataFrame
    end: str

    def params_at(self, row) -> np.ndarray:
        """The full parameter vector at a row of any of the tables."""
        p = self.system.params.copy()
        p[self.system.index(self.parameter)] = row[self.parameter]
        return p

    def state_at(self, row) -> np.ndarray:
        return np.array([row[c] for c in self.system.state_names], dtype=float)


def _row(system, name, u, kind, s, mu):
    row = _state(system, name, u)
    n_unst = int(np.sum(mu.real > 0))
    row.update(stable=n_unst == 0, n_unstable=n_unst, re_max=float(np.max(mu.real)))
    row.update(point=kind, s=s)
    return row


def equilibria(
    system,
    parameter: str,
    start,
    stop,
    *,
    x0=None,
    values=(),
    ds=1e-2,
    ds_max=0.1,
    max_points=5000,
) -> EquilibriumBranch:
    """Follow the equilibrium branch through x0 (a guess, Newton-corrected at λ = start) while
    λ stays between start and stop; see the module docstring. ``system``: a :class:`System` or a
    :class:`qifgap.populations.Model` (its firing-rate equations, :func:`.system.from_model`,
    with ``parameter`` a dotted name such as ``"g.I.I"``). ``x0`` None: the flow at λ = start
    run to rest (:func:`.system.rest_state`). ``values``: parameter values of user points (UZ
    rows). Time in units of the system's time scale."""
    system = as_system(system, (parameter,))
    k = system.index(parameter)
    start = val.finite("start", start)
    stop = val.finite("stop", stop)
    if start == stop:
        raise ValueError(f"stop must differ from start, got {stop!r}")
    ds = val.positive("ds", ds)
    ds_max = val.positive("ds_max", ds_max)
    max_points = val.positive_int("max_points", max_points)
    values = np.array([val.finite("values", v) for v in np.atleast_1d(values)], dtype=float)
    lo, hi = min(start, stop), max(start, stop)
    p0 = system.params.copy()
    p0[k] = start
    x = equilibrium(system, rest_state(system, p0) if x0 is None else x0, p0)

    def params(u):
        p = p0.copy()
        p[k] = u[-1]
        return p

    def G(u):
        return system.rhs(u[:-1], params(u))

    def DG(u):
        p = params(u)
        return np.column_stack([system.jacobian(u[:-1], p), system.dparam(u[:-1], p, k)])

    def eig(u):
        return np.linalg.eigvals(system.jacobian(u[:-1], params(u)))

    eng = Arclength(G, DG, ds=ds, ds_max=ds_max)
    u = np.append(x, start)
    t = eng.tangent(u)
    if t[-1] * (stop - start) < 0:
        t = -t
    tests = {
        "LP": lambda z, ref: z.t[-1],
        "H": lambda z, ref: hopf_test(eig(z.u)),
    }
    tr = trace(
        eng,
        Point(u, t, 0),
        bounds=[(-1, lo, hi)],
        tests=tests,
        user=[(-1, v) for v in values],
        accept=lambda kind, z: kind != "H" or _is_hopf(eig(z.u)),
        max_points=max_points,
    )
    chords = [np.linalg.norm(b.u - a.u) for a, b in pairwise(tr.points)]
    s = np.concatenate([[0.0], np.cumsum(chords)])  # arclength along the chords
    rows = [
        _row(system, parameter, z.u, kind, si, eig(z.u))
        for z, kind, si in zip(tr.points, tr.kinds, s, strict=True)
    ]
    end = tr.end
    if end == "bounds":
        end = (
            "stop"
            if abs(tr.points[-1].u[-1] - stop) <= abs(tr.points[-1].u[-1] - start)
            else "range"
        )
    folds = [e for k, e in tr.events if k == "LP"]
    hopfs = [e for k, e in tr.events if k == "H"]
    users = [e for k, e in tr.events if k == "UZ"]
    cols = [parameter, *system.state_names]
    hopf_rows = []
    for e in hopfs:
        omega, l1 = first_lyapunov(system, e.u[:-1], params(e.u))
        crit = "supercritical" if l1 < 0 else "subcritical" if l1 > 0 else "degenerate"
        hopf_rows.append(
            {**_state(system, parameter, e.u), "omega": omega, "l1": l1, "criticality": crit}
        )
    return EquilibriumBranch(
        parameter,
        system,
        pd.DataFrame(rows),
        pd.DataFrame([_state(system, parameter, e.u) for e in folds], columns=cols),
        pd.DataFrame(hopf_rows, columns=[*cols, "omega", "l1", "criticality"]),
        pd.DataFrame([_state(system, parameter, e.u) for e in users], columns=cols),
        end,
    )


def _state(system, parameter, u) -> dict:
    """{parameter: λ, state names: x} for u = (x, λ)."""
    return {
        parameter: float(u[-1]),
        **dict(zip(system.state_names, map(float, u[:-1]), strict=True)),
    }


def _is_hopf(mu) -> bool:
    """The pair with the smallest |μ_i + μ_j| is complex (Hopf), not real (neutral saddle)."""
    i, j = np.triu_indices(mu.size, 1)
    k = np.argmin(np.abs(mu[i] + mu[j]))
    return bool(abs(mu[i[k]].imag) > 1e-8 and abs(mu[i[k]] - np.conj(mu[j[k]])) < 1e-6)
