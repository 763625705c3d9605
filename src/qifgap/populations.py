"""The model declaration: populations of QIF neurons and the couplings between them.

Population a has N_a neurons with Lorentzian excitabilities (centre η̄_a, half-width Δ_a),
membrane time constant τ_a, threshold V_p,a, reset V_r,a, the synaptic time constant τ_s,a
of the synapses its spikes make (science.md §6) and the scale γ_a ≥ 0 of the independent
Cauchy white noise of each of its neurons (§7; the mean field then has Δ_a + γ_a).
``J[a, b]`` and ``g[a, b]`` ≥ 0 are the chemical and electrical coupling of population a (post)
by population b (pre). Time is in units of τ.

A :class:`Model` is built from a mapping with the shape of a config entry::

    populations:
      E: {eta_bar: 1.0, N: 4000}
      I: {eta_bar: 2.0, tau_syn: 0.5, N: 4000}
    J: {E: {E: 5.0, I: -10.0}, I: {E: 10.0, I: -10.0}}   # J[post][pre]; missing entries are 0
    g: {I: {I: 1.5}}                                      # g[post][pre] >= 0

and validated once, when it is made: every error is one ValueError naming the key
(``populations.I.tau_syn``, ``g.I.E``, …). :meth:`Model.from_file` reads the same mapping from a
YAML (or JSON) file and :meth:`Model.to_file` writes it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from . import _validate as val
from .defaults import MODEL, NETWORK
from .model import spike_asymmetry, width

__all__ = ["Population", "Model"]

_COUPLINGS = ("J", "g")


@dataclass(frozen=True)
class Population:
    """One population of QIF neurons; errors name ``populations.<name>.<field>``."""

    name: str
    eta_bar: float
    delta: float = MODEL["delta"]
    tau: float = MODEL["tau"]
    tau_syn: float = MODEL["tau_syn"]
    N: int | None = None  # required for network runs only
    v_peak: float = NETWORK["v_peak"]
    v_reset: float = NETWORK["v_reset"]
    noise: float = MODEL["noise"]

    def __post_init__(self):
        name = self.name
        if not isinstance(name, str) or not name or "." in name or name != name.strip():
            raise ValueError(f"populations.{name}: a name must be a non-empty string without '.'")
        key = f"populations.{name}."
        checked = {
            "eta_bar": val.finite(key + "eta_bar", self.eta_bar),
            "delta": val.non_negative(key + "delta", self.delta),
            "tau": val.positive(key + "tau", self.tau),
            "tau_syn": val.non_negative(key + "tau_syn", self.tau_syn),
            "N": None if self.N is None else val.positive_int(key + "N", self.N),
            "v_peak": val.positive(key + "v_peak", self.v_peak),
            "v_reset": val.negative(key + "v_reset", self.v_reset),
            "noise": val.non_negative(key + "noise", self.noise),
        }
        for attr, value in checked.items():
            object.__setattr__(self, attr, value)

    @property
    def kappa(self) -> float:
        """κ = ln(V_p/|V_r|), the spike asymmetry (MP20)."""
        return spike_asymmetry(self.v_peak, self.v_reset)

    @property
    def width(self) -> float:
        """Δ + γ: the half-width in the firing-rate equations (:func:`qifgap.model.width`)."""
        return width(self.delta, self.noise)

    def to_dict(self) -> dict:
        """The population's entry of a model mapping (without its name; N only if set, noise
        only if > 0)."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "name"}
        if out["N"] is None:
            del out["N"]
        if out["noise"] == 0:  # a noise-free model's mapping stays as it was before noise
            del out["noise"]
        return out


_POPULATION_KEYS = tuple(f.name for f in fields(Population) if f.name != "name")


def _coupling_matrix(kind: str, value, names: tuple[str, ...]) -> np.ndarray:
    """A (P, P) float array from an array or a nested mapping ``{post: {pre: value}}``."""
    P = len(names)
    if isinstance(value, Mapping):
        matrix = np.zeros((P, P))
        for post, row in value.items():
            if post not in names:
                raise ValueError(f"{kind}.{post}: unknown population {post!r} (known: {names})")
            if not isinstance(row, Mapping):
                raise ValueError(f"{kind}.{post} must be a mapping {{pre: value}}, got {row!r}")
            for pre, x in row.items():
                key = f"{kind}.{post}.{pre}"
                if pre not in names:
                    raise ValueError(f"{key}: unknown population {pre!r} (known: {names})")
                matrix[names.index(post), names.index(pre)] = val.finite(key, x)
    else:
        try:
            matrix = np.array(value, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{kind} must be a mapping or a ({P}, {P}) array") from None
        if matrix.shape != (P, P):
            raise ValueError(f"{kind} must be a ({P}, {P}) array, got shape {matrix.shape}")
        for a, b in zip(*np.nonzero(~np.isfinite(matrix)), strict=True):
            raise ValueError(f"{kind}.{names[a]}.{names[b]} must be finite, got {matrix[a, b]}")
    if kind == "g":
        for a, b in zip(*np.nonzero(matrix < 0), strict=True):
            raise ValueError(f"g.{names[a]}.{names[b]} must be >= 0, got {matrix[a, b]}")
    matrix.flags.writeable = False
    return matrix


def _or_empty(couplings):
    return {} if couplings is None else couplings


@dataclass(frozen=True, eq=False)
class Model:
    """P populations and their couplings J[a, b], g[a, b] (a post, b pre), validated on creation.

    ``J`` and ``g`` may be given as (P, P) arrays or as nested mappings ``{post: {pre: x}}``.
    """

    populations: tuple[Population, ...]
    J: np.ndarray
    g: np.ndarray

    def __post_init__(self):
        pops = tuple(self.populations)
        if not pops:
            raise ValueError("populations: a model needs at least one population")
        for p in pops:
            if not isinstance(p, Population):
                raise ValueError(f"populations must be Population objects, got {p!r}")
        names = tuple(p.name for p in pops)
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"populations.{name}: the name is used twice")
        object.__setattr__(self, "populations", pops)
        for kind in _COUPLINGS:
            object.__setattr__(self, kind, _coupling_matrix(kind, getattr(self, kind), names))

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, mapping: Mapping) -> Model:
        """Build from ``{"populations": {name: {...}}, "J": {post: {pre: x}}, "g": {...}}``.

        Population fields not given take their defaults (:mod:`qifgap.defaults`); coupling
        entries not given are 0; the order of the populations is the order of the mapping.
        """
        if not isinstance(mapping, Mapping):
            raise ValueError(f"a model must be a mapping, got {type(mapping).__name__}")
        for key in mapping:
            if key not in ("populations", *_COUPLINGS):
                raise ValueError(f"{key}: unknown key (a model has populations, J, g)")
        entries = mapping.get("populations")
        if not isinstance(entries, Mapping) or not entries:
            raise ValueError("populations: expected a non-empty mapping {name: {eta_bar: ...}}")
        pops = []
        for name, entry in entries.items():
            if not isinstance(entry, Mapping):
                raise ValueError(f"populations.{name} must be a mapping, got {entry!r}")
            for key in entry:
                if key not in _POPULATION_KEYS:
                    known = ", ".join(_POPULATION_KEYS)
                    raise ValueError(f"populations.{name}.{key}: unknown key (known: {known})")
            if "eta_bar" not in entry:
                raise ValueError(f"populations.{name}.eta_bar is required")
            pops.append(Population(name=name, **entry))
        return cls(
            populations=tuple(pops),
            J=_or_empty(mapping.get("J")),
            g=_or_empty(mapping.get("g")),
        )

    @classmethod
    def from_file(cls, path) -> Model:
        """The model of a YAML file (JSON if its name ends in ``.json``) holding the mapping of
        :meth:`from_dict`; every error is one ValueError naming the file (and the key)."""
        import yaml  # only model files need it; keeps ``import qifgap.populations`` light

        path = Path(path)
        try:
            text = path.read_text()
            spec = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except OSError as exc:
            raise ValueError(f"{path}: {exc.strerror}") from None
        except (ValueError, yaml.YAMLError) as exc:  # not UTF-8, or not JSON / YAML
            raise ValueError(f"{path}: cannot read it ({type(exc).__name__}: {exc})") from None
        try:
            return cls.from_dict(spec)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None

    def to_file(self, path) -> None:
        """Write :meth:`to_dict` as YAML (JSON if the name ends in ``.json``), atomically:
        :meth:`from_file` reads back an equal model."""
        import yaml

        from .results import atomic_path

        path = Path(path)
        data = self.to_dict()
        if path.suffix == ".json":
            text = json.dumps(data, indent=2) + "\n"
        else:
            text = yaml.safe_dump(data, sort_keys=False)
        with atomic_path(path) as tmp:
            tmp.write_text(text)

    @classmethod
    def single(
        cls,
        *,
        eta_bar: float,
        delta: float,
        J: float,
        g: float,
        tau: float = MODEL["tau"],
        N: int | None = None,
        v_peak: float = NETWORK["v_peak"],
        v_reset: float = NETWORK["v_reset"],
        noise: float = MODEL["noise"],
        name: str = "pop",
    ) -> Model:
        """The one-population model of the keyword API (instantaneous synapses, τ_s = 0)."""
        pop = Population(
            name=name, eta_bar=eta_bar, delta=delta, tau=tau, N=N, v_peak=v_peak,
            v_reset=v_reset, noise=noise,
        )  # fmt: skip
        return cls(
            populations=(pop,),
            J=[[val.finite("J", J)]],
            g=[[val.non_negative("g", g)]],
        )

    def to_dict(self) -> dict:
        """Plain mapping (floats, ints, strings) that :meth:`from_dict` turns back into this model;
        zero couplings are left out."""
        names = self.names

        def couplings(matrix):
            out = {}
            for a, post in enumerate(names):
                row = {pre: float(matrix[a, b]) for b, pre in enumerate(names) if matrix[a, b]}
                if row:
                    out[post] = row
            return out

        return {
            "populations": {p.name: p.to_dict() for p in self.populations},
            "J": couplings(self.J),
            "g": couplings(self.g),
        }

    # --- access -------------------------------------------------------------------------------

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.populations)

    @property
    def P(self) -> int:
        """Number of populations."""
        return len(self.populations)

    def index(self, name: str) -> int:
        """Position of population ``name`` (the order of the arrays of results)."""
        try:
            return self.names.index(name)
        except ValueError:
            raise ValueError(f"unknown population {name!r} (known: {self.names})") from None

    def reference(self, population: str | None = None) -> str:
        """The population whose rhythm a figure or table reports: ``population`` if given
        (checked), else the last one (the I cells of an E–I model)."""
        return self.names[-1] if population is None else self.names[self.index(population)]

    def __getitem__(self, name: str) -> Population:
        return self.populations[self.index(name)]

    def _column(self, attr: str) -> np.ndarray:
        return np.array([getattr(p, attr) for p in self.populations], dtype=float)

    @property
    def eta_bar(self) -> np.ndarray:
        return self._column("eta_bar")

    @property
    def delta(self) -> np.ndarray:
        return self._column("delta")

    @property
    def noise(self) -> np.ndarray:
        """γ_a per population: the scale of the Cauchy white noise of its neurons."""
        return self._column("noise")

    @property
    def width(self) -> np.ndarray:
        """Δ_a + γ_a per population: the half-width the firing-rate equations see (§7)."""
        return self._column("width")

    @property
    def tau(self) -> np.ndarray:
        return self._column("tau")

    @property
    def tau_syn(self) -> np.ndarray:
        return self._column("tau_syn")

    @property
    def kappa(self) -> np.ndarray:
        """κ_b = ln(V_p,b/|V_r,b|) per population (MP20)."""
        return self._column("kappa")

    def sizes(self) -> np.ndarray:
        """N_a per population; ValueError naming ``populations.<name>.N`` if one is missing."""
        for p in self.populations:
            if p.N is None:
                raise ValueError(f"populations.{p.name}.N is required for a network run")
        return np.array([p.N for p in self.populations], dtype=np.int64)

    def offsets(self) -> np.ndarray:
        """Global neuron indices: population k owns offsets[k] … offsets[k+1] − 1."""
        return np.concatenate([[0], np.cumsum(self.sizes())])

    def get(self, dotted: str):
        """The value at a dotted key: ``"J.I.E"``, ``"g.I.I"``, ``"populations.I.tau_syn"``."""
        parts = dotted.split(".")
        if len(parts) == 3 and parts[0] in _COUPLINGS:
            kind, post, pre = parts
            matrix = getattr(self, kind)
            for name in (post, pre):
                if name not in self.names:
                    raise ValueError(f"{dotted}: unknown population {name!r} (known: {self.names})")
            return float(matrix[self.index(post), self.index(pre)])
        if len(parts) == 3 and parts[0] == "populations":
            _, name, attr = parts
            if name not in self.names:
                raise ValueError(f"{dotted}: unknown population {name!r} (known: {self.names})")
            if attr not in _POPULATION_KEYS:
                raise ValueError(f"{dotted}: unknown key (known: {', '.join(_POPULATION_KEYS)})")
            return getattr(self[name], attr)
        raise ValueError(
            f"{dotted}: expected J.<post>.<pre>, g.<post>.<pre> or populations.<name>.<field>"
        )

    def set(self, dotted: str, value) -> Model:
        """A new model with the value at a dotted key replaced (validated like any model)."""
        self.get(dotted)  # the key exists
        kind, first, second = dotted.split(".")
        spec = self.to_dict()
        if kind == "populations":
            spec["populations"][first][second] = value
        else:
            spec[kind].setdefault(first, {})[second] = value
        return Model.from_dict(spec)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        return (
            self.populations == other.populations
            and np.array_equal(self.J, other.J)
            and np.array_equal(self.g, other.g)
        )

    __hash__ = None
