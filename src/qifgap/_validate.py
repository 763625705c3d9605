"""Argument checks shared by the public functions: each error names the offending parameter."""

from __future__ import annotations

import math


def finite(name: str, value) -> float:
    """Return ``value`` as float, or raise ValueError naming ``name`` if it is not finite."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return x


def positive(name: str, value) -> float:
    x = finite(name, value)
    if x <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return x


def non_negative(name: str, value) -> float:
    x = finite(name, value)
    if x < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return x


def negative(name: str, value) -> float:
    x = finite(name, value)
    if x >= 0:
        raise ValueError(f"{name} must be < 0, got {value!r}")
    return x


def positive_int(name: str, value) -> int:
    try:
        whole = not isinstance(value, bool) and float(value).is_integer()
    except (TypeError, ValueError):
        whole = False
    if not whole:
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    n = int(float(value))
    if n < 1:
        raise ValueError(f"{name} must be >= 1, got {value!r}")
    return n


def choice(name: str, value, options) -> str:
    if value not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}, got {value!r}")
    return value


def interval(t_start, t_end) -> tuple[float, float]:
    t0 = finite("t_start", t_start)
    t1 = finite("t_end", t_end)
    if t1 <= t0:
        raise ValueError(f"t_end ({t1}) must be larger than t_start ({t0})")
    return t0, t1


def model(*, eta_bar, delta, J, g, tau) -> tuple[float, float, float, float, float]:
    """The model parameters (η̄, Δ, J, g, τ), checked: finite, Δ ≥ 0, g ≥ 0, τ > 0."""
    return (
        finite("eta_bar", eta_bar),
        non_negative("delta", delta),
        finite("J", J),
        non_negative("g", g),
        positive("tau", tau),
    )
