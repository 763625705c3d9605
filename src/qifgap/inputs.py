"""Common external currents I(t), in the units of the voltage equation (time in units of τ).

Every current is a small immutable object that

* is callable as ``I(t)`` for a float or a numpy array of times,
* lists its discontinuities (``breakpoints``) so that ODE solvers can restart there,
* serialises to a plain dict (``to_dict``) and back (``from_spec``), so that a config entry
  describes a protocol and the results carry it as metadata.

The network kernel never calls back into Python: it receives ``I`` evaluated on its step grid.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

__all__ = ["Constant", "Step", "Sinusoid", "Piecewise", "Current", "from_spec", "as_current"]


def _finite(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


class Current:
    """Base class: I(t) for scalar or array t."""

    kind: str = "current"

    def __call__(self, t):
        t_arr = np.asarray(t, dtype=float)
        out = self._evaluate(t_arr)
        return float(out) if np.ndim(t) == 0 else out

    def _evaluate(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def breakpoints(self, t_start: float, t_end: float) -> list[float]:
        """Times in the open interval (t_start, t_end) where I(t) jumps."""
        return []

    def to_dict(self) -> dict:
        return {"kind": self.kind, **asdict(self)}


@dataclass(frozen=True)
class Constant(Current):
    """I(t) = value."""

    value: float = 0.0
    kind = "constant"

    def __post_init__(self):
        object.__setattr__(self, "value", _finite("value", self.value))

    def _evaluate(self, t):
        return np.full_like(t, self.value, dtype=float)


@dataclass(frozen=True)
class Step(Current):
    """I(t) = amplitude for t_on ≤ t < t_off, 0 otherwise."""

    amplitude: float
    t_on: float
    t_off: float
    kind = "step"

    def __post_init__(self):
        for name in ("amplitude", "t_on", "t_off"):
            object.__setattr__(self, name, _finite(name, getattr(self, name)))
        if self.t_off <= self.t_on:
            raise ValueError(f"t_off ({self.t_off}) must be larger than t_on ({self.t_on})")

    def _evaluate(self, t):
        return np.where((t >= self.t_on) & (t < self.t_off), self.amplitude, 0.0)

    def breakpoints(self, t_start, t_end):
        return [b for b in (self.t_on, self.t_off) if t_start < b < t_end]


@dataclass(frozen=True)
class Sinusoid(Current):
    """I(t) = offset + amplitude · sin(omega t + phase)."""

    amplitude: float
    omega: float
    phase: float = 0.0
    offset: float = 0.0
    kind = "sinusoid"

    def __post_init__(self):
        for name in ("amplitude", "omega", "phase", "offset"):
            object.__setattr__(self, name, _finite(name, getattr(self, name)))

    def _evaluate(self, t):
        return self.offset + self.amplitude * np.sin(self.omega * t + self.phase)


@dataclass(frozen=True)
class Piecewise(Current):
    """Piecewise-constant I(t): ``values[k]`` on ``times[k] ≤ t < times[k+1]``.

    Before ``times[0]`` the current is 0; the last value holds for ever. With
    ``interpolate=True`` the current is instead piecewise linear through the points
    (constant outside them), which describes ramps.
    """

    times: tuple = field(default_factory=tuple)
    values: tuple = field(default_factory=tuple)
    interpolate: bool = False
    kind = "piecewise"

    def __post_init__(self):
        times = tuple(_finite("times", x) for x in self.times)
        values = tuple(_finite("values", x) for x in self.values)
        if len(times) == 0:
            raise ValueError("times must not be empty")
        if len(times) != len(values):
            raise ValueError(
                f"times and values must have the same length, got {len(times)} and {len(values)}"
            )
        if any(b <= a for a, b in zip(times, times[1:], strict=False)):
            raise ValueError("times must be strictly increasing")
        object.__setattr__(self, "times", times)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "interpolate", bool(self.interpolate))

    def _evaluate(self, t):
        times = np.asarray(self.times)
        values = np.asarray(self.values)
        if self.interpolate:
            return np.interp(t, times, values)
        idx = np.searchsorted(times, t, side="right") - 1
        return np.where(idx >= 0, values[np.clip(idx, 0, None)], 0.0)

    def breakpoints(self, t_start, t_end):
        # jumps, or kinks when interpolating: an ODE solver should restart at both
        return [b for b in self.times if t_start < b < t_end]

    def to_dict(self):
        return {
            "kind": self.kind,
            "times": list(self.times),
            "values": list(self.values),
            "interpolate": self.interpolate,
        }


_KINDS = {"constant": Constant, "step": Step, "sinusoid": Sinusoid, "piecewise": Piecewise}


def from_spec(spec: dict | None) -> Current:
    """Build a current from a plain dict such as ``{"kind": "step", "amplitude": 3, ...}``."""
    if spec is None:
        return Constant(0.0)
    if not isinstance(spec, dict) or "kind" not in spec:
        raise ValueError(f"current: expected a mapping with a 'kind' key, got {spec!r}")
    kind = spec["kind"]
    if kind not in _KINDS:
        raise ValueError(f"current.kind: unknown kind {kind!r}; choose one of {sorted(_KINDS)}")
    kwargs = {k: v for k, v in spec.items() if k != "kind"}
    try:
        return _KINDS[kind](**kwargs)
    except TypeError as exc:
        raise ValueError(f"current ({kind}): {exc}") from None


def as_current(current) -> Current:
    """Accept None, a number, a dict spec or a Current; return a Current."""
    if current is None:
        return Constant(0.0)
    if isinstance(current, Current):
        return current
    if isinstance(current, dict):
        return from_spec(current)
    if isinstance(current, int | float | np.floating | np.integer):
        return Constant(float(current))
    raise ValueError(
        f"current: expected None, a number, a dict or a qifgap.inputs current, got {type(current)}"
    )
