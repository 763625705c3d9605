"""A smooth vector field dx/dt = f(x, p) with named state components and parameters.

The general continuation code (:mod:`.equilibria`, :mod:`.curves`, :mod:`.periodic`) works on a
:class:`System`: the field f, optionally its Jacobian ∂f/∂x (central finite differences
otherwise), a parameter vector p with names, and names of the state components. Time is in
units of the system's own time scale (τ = 1 for the firing-rate equations).

Derivatives that the analytic Jacobian does not give are finite differences of f:
∂f/∂p_k (central, step h = 1e-6 (1 + |p_k|)) and the multilinear forms B(u, v) = D²f(x)[u, v]
and C(u, v, w) = D³f(x)[u, v, w] of the normal forms (central differences along directions,
Richardson-extrapolated and polarised; see :func:`second_derivative`, :func:`third_derivative`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .. import _validate as val
from .. import model as _model

__all__ = ["System", "from_functions", "one_population"]


@dataclass(frozen=True)
class System:
    """dx/dt = f(x, p): ``f(x, p) -> array (n,)``, ``jac(x, p) -> array (n, n)`` or None.

    ``params``: the parameter vector p (float array), named by ``param_names``; ``state_names``
    name the components of x.
    """

    f: Callable[[np.ndarray, np.ndarray], np.ndarray]
    state_names: tuple[str, ...]
    param_names: tuple[str, ...]
    params: np.ndarray
    jac: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = field(default=None)

    def __post_init__(self):
        p = np.array(self.params, dtype=float)
        if p.shape != (len(self.param_names),):
            raise ValueError(
                f"params has shape {p.shape}, expected ({len(self.param_names)},) for "
                f"param_names {self.param_names}"
            )
        object.__setattr__(self, "params", p)
        object.__setattr__(self, "state_names", tuple(self.state_names))
        object.__setattr__(self, "param_names", tuple(self.param_names))

    @property
    def n(self) -> int:
        return len(self.state_names)

    def index(self, parameter: str) -> int:
        """Position of ``parameter`` in p; ValueError naming the known parameters otherwise."""
        try:
            return self.param_names.index(parameter)
        except ValueError:
            raise ValueError(
                f"parameter must be one of {list(self.param_names)}, got {parameter!r}"
            ) from None

    def with_params(self, **values) -> System:
        """A copy with the named parameters changed (names as in ``param_names``)."""
        p = self.params.copy()
        for name, value in values.items():
            p[self.index(name)] = val.finite(name, value)
        return System(self.f, self.state_names, self.param_names, p, self.jac)

    def rhs(self, x, p) -> np.ndarray:
        return np.asarray(self.f(np.asarray(x, dtype=float), p), dtype=float)

    def jacobian(self, x, p) -> np.ndarray:
        """∂f/∂x: the analytic Jacobian if given, else central differences."""
        x = np.asarray(x, dtype=float)
        if self.jac is not None:
            return np.asarray(self.jac(x, p), dtype=float)
        A = np.empty((x.size, x.size))
        for k in range(x.size):
            h = 1e-6 * (1.0 + abs(x[k]))
            e = np.zeros_like(x)
            e[k] = h
            A[:, k] = (self.rhs(x + e, p) - self.rhs(x - e, p)) / (2.0 * h)
        return A

    def dparam(self, x, p, k: int) -> np.ndarray:
        """∂f/∂p_k by central differences."""
        h = 1e-6 * (1.0 + abs(p[k]))
        pp, pm = p.copy(), p.copy()
        pp[k] += h
        pm[k] -= h
        return (self.rhs(x, pp) - self.rhs(x, pm)) / (2.0 * h)


def _richardson(d, h):
    """(4 d(h/2) − d(h))/3: a central difference of error O(h²) made O(h⁴)."""
    return (4.0 * d(0.5 * h) - d(h)) / 3.0


def second_derivative(system: System, x, p, u, v, h=2e-4) -> np.ndarray:
    """B(u, v) = D²f(x)[u, v] for real u, v: polarisation (B(u+v, u+v) − B(u−v, u−v))/4 of
    central second differences along unit directions, Richardson-extrapolated."""
    f0 = system.rhs(x, p)

    def d2(w):
        s = np.linalg.norm(w)
        if s == 0.0:
            return np.zeros_like(f0)
        e = w / s

        def diff(h):
            return (system.rhs(x + h * e, p) - 2.0 * f0 + system.rhs(x - h * e, p)) / h**2

        return _richardson(diff, h) * s**2

    return 0.25 * (d2(u + v) - d2(u - v))


def third_derivative(system: System, x, p, u, v, h=2e-3) -> np.ndarray:
    """C(u, u, v) = D³f(x)[u, u, v] for real u, v: (D3(u + v) − D3(u − v) − 2 D3(v))/6 with
    D3(w) = C(w, w, w) from the central difference (f(x+2he) − 2f(x+he) + 2f(x−he) − f(x−2he))/(2h³)
    along the unit direction e, Richardson-extrapolated."""
    f = system.rhs

    def d3(w):
        s = np.linalg.norm(w)
        if s == 0.0:
            return np.zeros(x.size)
        e = w / s

        def diff(h):
            return (
                f(x + 2 * h * e, p)
                - 2 * f(x + h * e, p)
                + 2 * f(x - h * e, p)
                - f(x - 2 * h * e, p)
            ) / (2.0 * h**3)

        return _richardson(diff, h) * s**3

    return (d3(u + v) - d3(u - v) - 2.0 * d3(v)) / 6.0


def bilinear(system: System, x, p, a, b) -> np.ndarray:
    """B(a, b) for complex a, b (bilinear, not sesquilinear)."""
    ar, ai, br, bi = a.real, a.imag, b.real, b.imag
    B = second_derivative
    re = B(system, x, p, ar, br) - B(system, x, p, ai, bi)
    im = B(system, x, p, ar, bi) + B(system, x, p, ai, br)
    return re + 1j * im


def from_functions(
    rhs: Callable[[np.ndarray, Mapping[str, float]], np.ndarray],
    params: Mapping[str, float],
    state_names: Sequence[str],
    jacobian: Callable[[np.ndarray, Mapping[str, float]], np.ndarray] | None = None,
) -> System:
    """A :class:`System` from ``rhs(y, params_dict)`` (and ``jacobian(y, params_dict)``) with a
    parameter dict keyed by name (e.g. the dotted names ``"g.I.I"`` of a populations model)."""
    names = tuple(params)
    values = np.array([val.finite(k, params[k]) for k in names])

    def as_dict(p):
        return dict(zip(names, map(float, p), strict=True))

    f = lambda y, p: rhs(y, as_dict(p))  # noqa: E731
    jac = None if jacobian is None else (lambda y, p: jacobian(y, as_dict(p)))
    return System(f, tuple(state_names), names, values, jac)


def one_population(*, eta_bar, J, g, delta=1.0, tau=1.0, kappa=0.0) -> System:
    """The firing-rate equations of one population (:func:`qifgap.model.rhs`), x = (r, v),
    parameters ``eta_bar, J, g, delta, tau, kappa`` (a constant current is folded into η̄)."""
    eta_bar, delta, J, g, tau = val.model(eta_bar=eta_bar, delta=delta, J=J, g=g, tau=tau)
    kappa = val.finite("kappa", kappa)
    names = ("eta_bar", "J", "g", "delta", "tau", "kappa")

    def f(y, p):
        dr, dv = _model.rhs(
            y[0], y[1], eta_bar=p[0], J=p[1], g=p[2], delta=p[3], tau=p[4], kappa=p[5]
        )
        return np.array([dr, dv])

    def jac(y, p):
        return _model.jacobian(y[0], y[1], J=p[1], g=p[2], tau=p[4], kappa=p[5])

    return System(f, ("r", "v"), names, np.array([eta_bar, J, g, delta, tau, kappa]), jac)
