"""Limit-cycle branches of dx/dt = f(x, p) from a Hopf point, by single shooting.

Unknowns u = (x₀, T, λ): a point of the cycle, its period and the parameter. Equations::

    φ(T; x₀, λ) − x₀ = 0,        f(x_ref, λ_ref)·(x₀ − x_ref) = 0

(periodicity; phase condition: x₀ on the hyperplane through the previous cycle's point normal to
the flow there). φ and its derivatives (the monodromy matrix M = ∂φ/∂x₀, ∂φ/∂λ) come from the
variational equations dΦ/dt = A Φ, dS/dt = A S + ∂f/∂λ, integrated with scipy's DOP853 (rtol
1e-10, atol 1e-12 by default). The branch starts from a small cycle (amplitude ε along Re q at
the Hopf point, A q = iωq, period 2π/ω) and is followed by pseudo-arclength (:mod:`.arclength`).

Per cycle: period, min/max/mean/std of each component over the orbit (2000 samples of the dense
output, refined by a parabola through the extreme sample), amplitude = max − min, the Floquet
multipliers (eigenvalues of M; the trivial one, nearest 1, is dropped from ``mu_max``), and
stability (all nontrivial |μ| < 1). Events located on the branch: folds of cycles (LPC: the
λ-component of the tangent changes sign) and period doublings (PD: a multiplier crosses −1).
The branch ends (``end`` "hopf", last row ``point`` "H") where it shrinks back onto an
equilibrium — another Hopf point: there x₀ − x_eq(λ) passes through 0 and reverses, the sign
change of (x₀ − x_eq)·(x₀ − x_eq)_previous locates it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.integrate import solve_ivp

from .. import _validate as val
from .arclength import Arclength, Point, trace
from .equilibria import equilibrium
from .system import System, as_system

__all__ = ["CycleBranch", "cycles", "orbit"]


def _variational(system: System, x0, T, p, k, rtol, atol):
    """(φ(T), M, S = ∂φ/∂λ) from the flow and the variational equations over [0, T]; NaN
    where f is not finite at x0 or T ≤ 0 (a continuation step there fails and is shortened)."""
    n = system.n

    def rhs(t, y):
        x = y[:n]
        A = system.jacobian(x, p)
        Phi = y[n : n + n * n].reshape(n, n)
        S = y[n + n * n :]
        return np.concatenate([system.rhs(x, p), (A @ Phi).ravel(), A @ S + system.dparam(x, p, k)])

    y0 = np.concatenate([x0, np.eye(n).ravel(), np.zeros(n)])
    if not (np.all(np.isfinite(rhs(0.0, y0))) and T > 0):  # outside the field's domain
        return np.full(n, np.nan), np.full((n, n), np.nan), np.full(n, np.nan)
    sol = solve_ivp(rhs, (0.0, T), y0, method="DOP853", rtol=rtol, atol=atol)
    if not sol.success:
        raise RuntimeError(f"integration failed: {sol.message}")
    y = sol.y[:, -1]
    return y[:n], y[n : n + n * n].reshape(n, n), y[n + n * n :]


def orbit(system: System, x0, T, p=None, *, n_samples=2000, rtol=1e-11, atol=1e-12):
    """(t, x(t)) over one period from x0, sampled at n_samples + 1 equidistant times."""
    p = system.params if p is None else p
    t = np.linspace(0.0, T, n_samples + 1)
    sol = solve_ivp(
        lambda t, x: system.rhs(x, p),
        (0.0, T),
        x0,
        method="DOP853",
        rtol=rtol,
        atol=atol,
        t_eval=t,
    )
    return sol.t, sol.y


def _extremes(y):
    """(min, max) of one period sampled at equidistant times (y[-1] repeats y[0]), each refined
    by the vertex of the parabola through the extreme sample and its two neighbours."""
    per = y[:-1]
    m = per.size
    out = []
    for sgn in (-1.0, 1.0):
        i = int(np.argmax(sgn * per))
        a, b, c = per[(i - 1) % m], per[i], per[(i + 1) % m]
        den = a - 2.0 * b + c
        out.append(float(b - 0.125 * (c - a) ** 2 / den) if den != 0 else float(b))
    return out


@dataclass
class CycleBranch:
    """A branch of cycles: ``table`` (the parameter, ``period``, for each state component c:
    ``c_min``, ``c_max``, ``c_mean``, ``c_std`` (time averages over one period), ``c_amplitude``
    (max − min), the point ``x0`` of the cycle as columns
    ``c_0``; ``mu_max`` (largest nontrivial |Floquet multiplier|), ``stable``, ``point`` ("",
    "LPC", "PD", "UZ", "H": the end at a Hopf point)), ``multipliers`` (the Floquet multipliers
    per row, trivial one included), ``folds`` and ``user`` (event rows), ``end``."""

    parameter: str
    system: System
    table: pd.DataFrame
    multipliers: list
    folds: pd.DataFrame
    user: pd.DataFrame
    end: str


def cycles(
    system,
    parameter: str,
    *,
    hopf: dict,
    stop,
    amplitude=1e-2,
    values=(),
    ds=None,
    ds_max=0.5,
    max_points=500,
    rtol=1e-10,
    atol=1e-12,
) -> CycleBranch:
    """The branch of cycles born at the Hopf point ``hopf`` (a row of
    :attr:`EquilibriumBranch.hopf`: the parameter and the state), followed until the parameter
    reaches ``stop`` or leaves the interval between the Hopf value and stop. ``amplitude``: the
    first cycle's distance ε from the equilibrium along Re q; ``values``: parameter values at
    which cycles are located and reported (UZ). ``system``: a :class:`System` or a
    :class:`qifgap.populations.Model` (``parameter`` a dotted name)."""
    system = as_system(system, (parameter,))
    k = system.index(parameter)
    n = system.n
    try:
        lam_h = val.finite(f"hopf[{parameter!r}]", hopf[parameter])
        x_h = np.array([hopf[c] for c in system.state_names], dtype=float)
    except KeyError as err:
        raise ValueError(f"hopf must give {parameter!r} and the state: {err}") from None
    stop = val.finite("stop", stop)
    eps = val.positive("amplitude", amplitude)
    ds = eps / 2 if ds is None else val.positive("ds", ds)
    ds_max = val.positive("ds_max", ds_max)
    max_points = val.positive_int("max_points", max_points)
    values = np.array([val.finite("values", v) for v in np.atleast_1d(values)], dtype=float)
    p_h = system.params.copy()
    p_h[k] = lam_h
    mu, V = np.linalg.eig(system.jacobian(x_h, p_h))
    upper = np.nonzero(mu.imag > 0)[0]
    if upper.size == 0:
        raise ValueError("hopf is not a Hopf point: no complex eigenvalue pair")
    j = int(upper[np.argmin(np.abs(mu.real[upper]))])
    omega, q = float(mu[j].imag), V[:, j]
    # rotate q so that Re q ⟂ Im q, |Re q| ≥ |Im q|
    a, b = q.real, q.imag
    theta = 0.5 * np.arctan2(-2 * a @ b, a @ a - b @ b)
    q = q * np.exp(1j * theta)
    e_re, e_im = q.real / np.linalg.norm(q.real), q.imag / np.linalg.norm(q.imag)

    def params(lam):
        p = p_h.copy()
        p[k] = lam
        return p

    cache: dict[bytes, tuple] = {}

    def flow(u):
        key = u.tobytes()
        if key not in cache:
            if len(cache) >= 16:
                del cache[next(iter(cache))]
            cache[key] = _variational(system, u[:n], u[n], params(u[-1]), k, rtol, atol)
        return cache[key]

    ref = {"x": x_h + eps * e_re, "f": e_im}  # first: the ray x_h + ε e_re

    def G(u):
        xT, _, _ = flow(u)
        return np.append(xT - u[:n], ref["f"] @ (u[:n] - ref["x"]))

    def DG(u):
        xT, M, S = flow(u)
        top = np.column_stack([M - np.eye(n), system.rhs(xT, params(u[-1])), S])
        return np.vstack([top, np.concatenate([ref["f"], [0.0, 0.0]])])

    eng = Arclength(G, DG, tol=1e-10, ds=ds, ds_max=ds_max, ds_min=1e-7)
    # first cycle: amplitude fixed, e_re·(x₀ − x_H) = ε
    u0 = np.concatenate([x_h + eps * e_re, [2 * np.pi / omega, lam_h]])

    def H(u):
        return np.append(G(u), e_re @ (u[:n] - x_h) - eps), np.vstack(
            [DG(u), np.concatenate([e_re, [0.0, 0.0]])]
        )

    res = eng.newton(H, u0, maxit=30)
    if res is None:
        raise RuntimeError("no small cycle found near the Hopf point (try another amplitude)")
    u0 = res[0]

    def move_phase(z):
        ref["x"] = z.u[:n].copy()
        ref["f"] = system.rhs(z.u[:n], params(z.u[-1]))

    move_phase(Point(u0, u0, 0))
    t0 = eng.tangent(u0)
    if t0 @ np.concatenate([e_re, [0.0, 0.0]]) < 0:  # growing amplitude
        t0 = -t0
    lo, hi = min(u0[-1], stop), max(u0[-1], stop)

    def multipliers(u):
        return np.linalg.eigvals(flow(u)[1])

    def nontrivial(mu):
        return np.delete(mu, np.argmin(np.abs(mu - 1.0)))

    near = {"x": x_h.copy()}  # the equilibrium at the last accepted cycle's parameter

    def offset(z):
        """x₀ − x_eq(λ): the cycle's point relative to the equilibrium (None if not found)."""
        try:
            return z.u[:n] - equilibrium(system, near["x"], params(z.u[-1]))
        except (RuntimeError, np.linalg.LinAlgError):
            return None

    def hopf_return(z, r):
        """(x₀ − x_eq)·(x₀ − x_eq at the previous cycle): it changes sign where the branch
        shrinks onto an equilibrium and passes through it (the cycles reappear with x₀ on the
        other side), i.e. at (another) Hopf point."""
        a, b = offset(z), offset(r)
        return 1.0 if a is None or b is None else float(a @ b)

    def accepted(z):
        move_phase(z)
        try:
            near["x"] = equilibrium(system, near["x"], params(z.u[-1]))
        except (RuntimeError, np.linalg.LinAlgError):
            pass

    tests = {
        "LPC": lambda z, r: z.t[-1],
        "PD": lambda z, r: float(np.real(np.prod(nontrivial(multipliers(z.u)) + 1.0))),
        "H": hopf_return,
    }
    tr = trace(
        eng,
        Point(u0, t0, 0),
        bounds=[(-1, lo, hi)],
        tests=tests,
        user=[(-1, v) for v in values],
        stop_at=("H",),
        max_points=max_points,
        on_accept=accepted,
    )
    rows, mults = [], []
    for z, kind in zip(tr.points, tr.kinds, strict=True):
        mu = multipliers(z.u)
        rows.append(_cycle_row(system, parameter, z.u, params(z.u[-1]), mu, kind, rtol, atol))
        mults.append(mu)
    table = pd.DataFrame(rows)
    end = "hopf" if tr.end == "H" else tr.end
    if end == "hopf":  # the turn of λ where the branch passes through the Hopf point: no LPC
        lam_end = table[parameter].iloc[-1]
        turn = (table.point == "LPC") & (
            np.abs(table[parameter] - lam_end) < 1e-3 * (1 + abs(lam_end))
        )
        table.loc[turn, "point"] = ""
    if end == "bounds":
        end = (
            "stop"
            if abs(table[parameter].iloc[-1] - stop) < abs(table[parameter].iloc[-1] - lam_h)
            else "range"
        )
    return CycleBranch(
        parameter,
        system,
        table,
        mults,
        table[table.point == "LPC"].reset_index(drop=True),
        table[table.point == "UZ"].reset_index(drop=True),
        end,
    )


def _cycle_row(system, parameter, u, p, mu, kind, rtol, atol):
    n = system.n
    _, y = orbit(system, u[:n], u[n], p, rtol=rtol, atol=atol)
    nontriv = np.delete(mu, np.argmin(np.abs(mu - 1.0)))
    row = {parameter: float(u[-1]), "period": float(u[n])}
    for i, c in enumerate(system.state_names):
        lo, hi = _extremes(y[i])
        row.update(
            {
                f"{c}_min": lo,
                f"{c}_max": hi,
                f"{c}_mean": float(np.mean(y[i][:-1])),
                f"{c}_std": float(np.std(y[i][:-1])),
                f"{c}_amplitude": hi - lo,
                f"{c}_0": float(u[i]),
            }
        )
    mu_max = float(np.max(np.abs(nontriv))) if nontriv.size else 0.0
    row.update(mu_max=mu_max, stable=mu_max < 1.0, point=kind)
    return row
