"""Models of P populations of QIF neurons (science.md §6): one declaration for the network and
the mean field.

Minimal stand-in written on branch h3b-kernel with only what the network kernel needs
(``Population``, ``Model`` with ``names``, ``P``, ``index``, ``kappa``, ``single``, ``to_dict``);
the full module is owned by h3-populations and replaces this file at merge (same interface).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from . import defaults

__all__ = ["Population", "Model"]

_MODEL = defaults.MODEL
_NETWORK = defaults.NETWORK


@dataclass(frozen=True)
class Population:
    """One population: Lorentzian excitabilities (η̄, Δ), τ, the synaptic time constant τ_s of
    the synapses its spikes make, and (for network runs) N, V_p, V_r."""

    name: str
    eta_bar: float
    delta: float = _MODEL["delta"]
    tau: float = _MODEL["tau"]
    tau_syn: float = _MODEL["tau_syn"]
    N: int | None = None
    v_peak: float = _NETWORK["v_peak"]
    v_reset: float = _NETWORK["v_reset"]


@dataclass(frozen=True)
class Model:
    """P populations coupled by J[a, b] (chemical) and g[a, b] ≥ 0 (electrical), a post, b pre."""

    populations: tuple[Population, ...]
    J: np.ndarray
    g: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "populations", tuple(self.populations))
        P = len(self.populations)
        for name in ("J", "g"):
            m = np.array(getattr(self, name), dtype=float).reshape(P, P)
            m.setflags(write=False)
            object.__setattr__(self, name, m)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.populations)

    @property
    def P(self) -> int:
        return len(self.populations)

    def index(self, name: str) -> int:
        return self.names.index(name)

    @property
    def kappa(self) -> np.ndarray:
        """κ_b = ln(V_p,b/|V_r,b|) per population (MP20)."""
        return np.array([math.log(p.v_peak / abs(p.v_reset)) for p in self.populations])

    @classmethod
    def single(
        cls, *, eta_bar, delta, J, g, tau=_MODEL["tau"], N=None, v_peak=_NETWORK["v_peak"],
        v_reset=_NETWORK["v_reset"], name="pop",
    ) -> Model:  # fmt: skip
        """The P = 1 model of the keyword API."""
        pop = Population(
            name=name, eta_bar=eta_bar, delta=delta, tau=tau, N=N, v_peak=v_peak, v_reset=v_reset
        )
        return cls(populations=(pop,), J=[[J]], g=[[g]])

    def to_dict(self) -> dict:
        """Plain mapping: populations by name, J and g as J[post][pre] (non-zero entries)."""
        pops = {}
        for p in self.populations:
            d = asdict(p)
            d.pop("name")
            pops[p.name] = d
        names = self.names

        def nested(m):
            return {
                a: {b: float(m[i, k]) for k, b in enumerate(names) if m[i, k] != 0}
                for i, a in enumerate(names)
                if np.any(m[i] != 0)
            }

        return {"populations": pops, "J": nested(self.J), "g": nested(self.g)}
