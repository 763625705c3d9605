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
from ..populations import Model

__all__ = ["System", "from_functions", "one_population", "from_model", "as_system", "rest_state"]


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


#: Population fields that may be free parameters of :func:`from_model` (v_peak, v_reset enter
#: through κ = ln(V_p/|V_r|), recomputed; N does not enter the mean field).
_FREE_FIELDS = ("eta_bar", "delta", "tau", "tau_syn", "v_peak", "v_reset")


def model_state_names(m: Model) -> tuple[str, ...]:
    """Names of the state y = [r_a …, v_a …, s_b for τ_s,b > 0] of :func:`qifgap.model.
    rhs_populations`: ``r.<a>``, ``v.<a>``, ``s.<b>``."""
    syn = _model.synaptic(m.tau_syn)
    return (
        *(f"r.{a}" for a in m.names),
        *(f"v.{a}" for a in m.names),
        *(f"s.{m.names[b]}" for b in syn),
    )


def from_model(m: Model, parameters: Sequence[str] = ()) -> System:
    """The P-population firing-rate equations of ``m`` (:func:`qifgap.model.rhs_populations`, its
    analytic Jacobian) as a :class:`System` with free parameters by dotted name, the config's
    sweep keys: ``"g.I.I"``, ``"J.I.E"``, ``"populations.I.eta_bar"`` (fields eta_bar, delta,
    tau, tau_syn, v_peak, v_reset; κ follows V_p, V_r). A free ``tau_syn`` must be > 0 in ``m``;
    where it is ≤ 0, f and its Jacobian are NaN (the state has one s per population with
    τ_s > 0, so the domain ends there). State names:
    :func:`model_state_names`. Time in units of τ."""
    if not isinstance(m, Model):
        raise ValueError(f"model must be a qifgap.populations.Model, got {type(m).__name__}")
    if isinstance(parameters, str):
        parameters = (parameters,)
    parameters = tuple(parameters)
    base = {
        "eta_bar": m.eta_bar,
        "delta": m.delta,
        "tau": m.tau,
        "tau_syn": m.tau_syn,
        "J": np.array(m.J, dtype=float),
        "g": np.array(m.g, dtype=float),
        "v_peak": np.array([p.v_peak for p in m.populations], dtype=float),
        "v_reset": np.array([p.v_reset for p in m.populations], dtype=float),
    }
    slots = []
    for dotted in parameters:
        if not isinstance(dotted, str):
            raise ValueError(f"parameters must be dotted names, got {dotted!r}")
        if parameters.count(dotted) > 1:
            raise ValueError(f"parameters: {dotted!r} is given twice")
        m.get(dotted)  # validates the key, naming it
        kind, a, b = dotted.split(".")
        if kind in ("J", "g"):
            slots.append((kind, (m.index(a), m.index(b))))
            continue
        if b not in _FREE_FIELDS:
            raise ValueError(f"{dotted}: cannot be a parameter of the mean field ({_FREE_FIELDS})")
        if b == "tau_syn" and m[a].tau_syn <= 0:
            raise ValueError(f"{dotted} must be > 0 in the model to be free (it is 0)")
        slots.append((b, m.index(a)))

    def coeffs(p) -> dict:
        c = {k: v.copy() for k, v in base.items()}
        for (key, idx), value in zip(slots, p, strict=True):
            c[key][idx] = value
        c["kappa"] = np.log(c.pop("v_peak") / np.abs(c.pop("v_reset")))
        return c

    P = m.P
    a = np.arange(P)
    cache: dict[bytes, tuple] = {}

    def equations(p):
        """(FiringRateEquations, Jacobian at y = 0, 2/τ, 2π²τ) at p, cached (the continuation
        calls f and its Jacobian many times at one p)."""
        key = np.asarray(p, dtype=float).tobytes()
        if key not in cache:
            if len(cache) >= 64:
                del cache[next(iter(cache))]
            c = coeffs(p)
            zero = np.zeros(2 * P + _model.synaptic(c["tau_syn"]).size)
            jac0 = _model.jacobian_populations(zero, **c)
            cache[key] = (_model.FiringRateEquations(**c), jac0, 2.0 / c["tau"],
                          2.0 * np.pi**2 * c["tau"])  # fmt: skip
        return cache[key]

    free_tau_syn = [i for i, (key, _) in enumerate(slots) if key == "tau_syn"]
    n = len(model_state_names(m))

    def outside(p) -> bool:
        """A free τ_s ≤ 0: outside the domain (the state would lose its s), f and ∂f/∂x NaN,
        so that a continuation step there fails and is shortened."""
        return any(p[i] <= 0 for i in free_tau_syn)

    def f(y, p):
        if outside(p):
            return np.full(n, np.nan)
        return equations(p)[0].rhs(y)

    def jac(y, p):
        """:func:`qifgap.model.jacobian_populations`, which is affine in y: its value at y = 0
        plus 2v_a/τ_a (∂ṙ_a/∂r_a, ∂v̇_a/∂v_a), 2r_a/τ_a (∂ṙ_a/∂v_a), −2π²τ_a r_a (∂v̇_a/∂r_a)."""
        if outside(p):
            return np.full((n, n), np.nan)
        _, jac0, two_over_tau, two_pi2_tau = equations(p)
        A = jac0.copy()
        r, v = y[:P], y[P : 2 * P]
        A[a, a] += two_over_tau * v
        A[P + a, P + a] += two_over_tau * v
        A[a, P + a] += two_over_tau * r
        A[P + a, a] -= two_pi2_tau * r
        return A

    values = [float(m.get(d)) for d in parameters]
    return System(f, model_state_names(m), parameters, np.array(values), jac)


def as_system(system, parameters: Sequence[str]) -> System:
    """``system`` itself (a :class:`System`, checked to have the parameters) or, for a
    :class:`qifgap.populations.Model`, :func:`from_model` with these free parameters."""
    if isinstance(system, Model):
        return from_model(system, parameters)
    if not isinstance(system, System):
        raise ValueError(f"system must be a System or a Model, got {type(system).__name__}")
    for name in parameters:
        system.index(name)
    return system


def rest_state(system: System, p=None, *, t_end=200.0, x_init=None) -> np.ndarray:
    """A state near an equilibrium of f(·, p): the flow from ``x_init`` (default: r = 0.1,
    everything else 0) after ``t_end``, then averaged over the last 20 time units (the centre
    of a small oscillation) — a start for Newton's method (:func:`.equilibria.equilibrium`)."""
    from scipy.integrate import solve_ivp

    p = system.params if p is None else np.asarray(p, dtype=float)
    if x_init is None:
        x_init = np.array([0.1 if c.startswith("r") else 0.0 for c in system.state_names])
    t_end = val.positive("t_end", t_end)
    t_avg = min(20.0, 0.5 * t_end)
    sol = solve_ivp(
        lambda t, x: system.rhs(x, p),
        (0.0, t_end),
        np.asarray(x_init, dtype=float),
        method="LSODA",
        rtol=1e-8,
        atol=1e-10,
        dense_output=True,
    )
    if not sol.success:
        raise RuntimeError(f"no rest state: the integration failed ({sol.message}); give x0")
    t = np.linspace(t_end - t_avg, t_end, 2001)
    return sol.sol(t).mean(axis=1)
