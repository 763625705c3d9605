"""Argument checks shared by the continuation modules (errors name the parameter)."""

from __future__ import annotations

from .. import _validate as val

__all__ = ["pair", "tolerances"]


def pair(name, value) -> tuple[float, float]:
    """A finite pair (low, high) with high > low."""
    try:
        lo, hi = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high), got {value!r}") from None
    lo = val.finite(f"{name}[0]", lo)
    hi = val.finite(f"{name}[1]", hi)
    if not hi > lo:
        raise ValueError(f"{name} must have high > low, got {value!r}")
    return lo, hi


def tolerances(rtol, atol) -> tuple[float, float]:
    """(rtol, atol) of the integrator, both > 0."""
    return (val.positive("rtol", rtol), val.positive("atol", atol))
