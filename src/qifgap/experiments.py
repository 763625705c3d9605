"""Experiments described by data: a config entry → network, mean field and their comparison.

An experiment is a mapping of model parameters (``eta_bar``, ``delta``, ``J``, ``g``, ``tau``,
and ``noise``, the scale γ of independent Cauchy white noise in every neuron, science.md §7),
a protocol (``t_start``, ``t_end``, ``current``) and per-stage options (``network``,
``meanfield``, ``compare``). Defaults are merged in one place (:func:`merge`); sweeps expand
into one experiment per grid point (:func:`expand_sweep`). The Snakemake workflow and users'
scripts call the same functions, so nothing is computed twice in two ways.

The mean field of a run and its comparison with the network are :mod:`qifgap.comparison`'s.

A **population experiment** declares its model as :meth:`qifgap.populations.Model.from_dict`
does (science.md §6)::

    populations: {E: {eta_bar: 1.0, N: 4000}, I: {eta_bar: 2.0, tau_syn: 0.5, N: 4000}}
    J: {E: {E: 5.0, I: -10.0}, I: {E: 10.0, I: -10.0}}   # J[post][pre], missing entries 0
    g: {I: {I: 1.5}}
    current: {E: {kind: constant, value: 0.5}}            # or one current for all

Each population gives its own N; its ``delta``, ``tau`` and ``noise`` default to the run's,
its ``v_peak`` and ``v_reset`` to the run's network options (:func:`run_model`). It runs through
the same stages (network, mean field, comparison: one row per population); a one-population
experiment keeps the keyword API of :func:`qifgap.network.simulate` and its 1-D outputs.
Populations are ordered by name (resolved runs have their keys sorted).
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from .defaults import MODEL, NETWORK
from .inputs import as_current
from .model import spike_asymmetry
from .populations import Model
from .results import NetworkResult

# A job imports what its stage runs, no more (each workflow job is a new process):
# qifgap.network with numba (~0.2 s) is imported by the functions that use it; the mean field
# and the comparison tables are the next module's (qifgap.comparison), so that a network job's
# code hash does not follow them.
if TYPE_CHECKING:
    from .network import NetworkSetup

__all__ = [
    "ConfigError",
    "merge",
    "canonical",
    "fmt",
    "expand_sweep",
    "resolve_runs",
    "check_run",
    "is_population_run",
    "run_model",
    "neuron_count",
    "network_kwargs",
    "meanfield_kwargs",
    "network_kappa",
    "meanfield_kappa",
    "population_kappas",
    "run_network",
    "network_resources",
]

MODEL_KEYS = ("eta_bar", "delta", "J", "g", "tau", "noise")
PROTOCOL_KEYS = ("t_start", "t_end", "current")
# network options that a population may set for itself (the run's value is its default)
POPULATION_NETWORK_KEYS = ("v_peak", "v_reset")
# run keys that a population inherits unless it sets its own
POPULATION_RUN_KEYS = ("delta", "tau", "noise")
# dotted sweep keys into the model of a population experiment
_MODEL_SWEEP_HEADS = ("J", "g", "populations")


class ConfigError(ValueError):
    """A configuration entry that cannot work; the message starts with its key path."""


def merge(base: Mapping, override: Mapping) -> dict:
    """Deep merge: mappings are merged key by key, anything else in ``override`` wins."""
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def canonical(obj):
    """The same nested data with every mapping's keys sorted, so that its repr (which Snakemake
    compares to decide whether parameters changed) does not depend on the order in the YAML."""
    if isinstance(obj, Mapping):
        return {k: canonical(obj[k]) for k in sorted(obj)}
    if isinstance(obj, list | tuple):
        return [canonical(v) for v in obj]
    return obj


def fmt(x) -> str:
    """The one way a number is written in paths: shortest round-trip positional form
    (15 → "15", −5.0 → "-5", 0.1 → "0.1", 1e-4 → "0.0001")."""
    if isinstance(x, bool) or not isinstance(x, int | float | np.integer | np.floating):
        return str(x)
    x = float(x)
    if x == 0:
        return "0"  # also −0.0
    return np.format_float_positional(x, trim="-")


def expand_sweep(name: str, sweep: Mapping, experiments: Mapping) -> dict[str, dict]:
    """One experiment per point of a sweep.

    ``sweep = {"experiment": base, "grid": {"g": [0, 0.5], "network.N": [1000, 10000]},
    "zip": {"network.v_peak": [50, 100], "network.v_reset": [-50, -100]}}``: the points are the
    cartesian product of the ``grid`` lists, times the ``zip`` lists taken element by element
    (all of one length). Dotted keys set nested options, and in a population experiment the
    model: ``J.I.E``, ``g.I.I``, ``populations.I.tau_syn``. Points are named
    ``{name}/{label}={value}+…`` (grid keys, then zip keys; :func:`_point_label`) with numbers
    written by :func:`fmt`.
    """
    base_name = sweep["experiment"]
    if base_name not in experiments:
        raise ConfigError(f"sweeps.{name}.experiment: unknown experiment {base_name!r}")
    base = experiments[base_name]
    grid = dict(sweep.get("grid", {}))
    zipped = dict(sweep.get("zip", {}))
    if not grid and not zipped:
        raise ConfigError(f"sweeps.{name}: give a grid or a zip of values")
    lengths = {len(v) for v in zipped.values()}
    if len(lengths) > 1:
        raise ConfigError(f"sweeps.{name}.zip: all lists must have the same length")
    zip_rows = list(zip(*zipped.values(), strict=True)) if zipped else [()]
    keys = [*grid, *zipped]
    points = {}
    for grid_values in itertools.product(*grid.values()):
        for zip_values in zip_rows:
            values = (*grid_values, *zip_values)
            spec = copy.deepcopy(base)
            spec.pop("template", None)
            for key, value in zip(keys, values, strict=True):
                _set_dotted(spec, key, value, where=f"sweeps.{name}")
            label = "+".join(
                f"{_point_label(k)}={fmt(v)}" for k, v in zip(keys, values, strict=True)
            )
            spec["sweep"] = {"name": name, "point": dict(zip(keys, values, strict=True))}
            points[f"{name}/{label}"] = spec
    return points


def _point_label(key: str) -> str:
    """A sweep key in a point's name: an option by its last part (``network.N`` → ``N``), a
    coupling in full (``g.I.I``), a population field as ``I.tau_syn``."""
    head, _, rest = key.partition(".")
    if head in ("J", "g"):
        return key
    if head == "populations":
        return rest
    return key.split(".")[-1]


def _set_dotted(spec: dict, key: str, value, *, where: str) -> None:
    """Set ``spec[a][b]…[leaf] = value`` for ``key = "a.b.….leaf"``. Options are created as
    needed; a key into the model needs a population experiment and an existing population."""
    *parents, leaf = key.split(".")
    head = parents[0] if parents else None
    if head in _MODEL_SWEEP_HEADS and "populations" not in spec:
        raise ConfigError(f"{where}: {key} needs an experiment with populations")
    if head == "populations" and parents[1] not in spec["populations"]:
        known = tuple(spec["populations"])
        raise ConfigError(f"{where}: {key}: unknown population {parents[1]!r} (known: {known})")
    node = spec
    for part in parents:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"{where}: {key}: {part} is not a mapping")
        node = child
    node[leaf] = value


def _defaults_for(defaults: Mapping, experiment: Mapping) -> dict:
    """The defaults an experiment inherits: all of them, except network.N for a population
    experiment (each population gives its own N)."""
    if "populations" not in experiment:
        return dict(defaults)
    out = copy.deepcopy(dict(defaults))
    out.get("network", {}).pop("N", None)
    return out


def resolve_runs(config: Mapping) -> dict[str, dict]:
    """Every run of the config (experiments, sweep points and mean-field variants), each with
    the defaults merged.

    A mean-field variant ``{"network_from": X, "meanfield": {...}, "compare": {...}}`` is
    experiment X with other mean-field (or comparison) options, compared against X's network
    simulation instead of simulating it again.
    """
    defaults = config.get("defaults", {})
    experiments = {
        k: merge(_defaults_for(defaults, v), v) for k, v in config.get("experiments", {}).items()
    }
    # templates are run only as the base of sweeps or variants
    runs = {k: v for k, v in experiments.items() if not v.get("template", False)}
    for name, variant in config.get("meanfield_variants", {}).items():
        source = variant["network_from"]
        if source not in experiments:
            raise ConfigError(
                f"meanfield_variants.{name}.network_from: unknown experiment {source!r}"
            )
        runs[name] = merge(experiments[source], variant)
    for name, sweep in config.get("sweeps", {}).items():
        runs.update(expand_sweep(name, sweep, experiments))
    return {name: canonical(params) for name, params in runs.items()}


def is_population_run(params: Mapping) -> bool:
    """Whether a run declares its model by ``populations`` (else: one population by keywords)."""
    return "populations" in params


def run_model(params: Mapping) -> Model:
    """The :class:`~qifgap.populations.Model` of a population run.

    A population's fields not given come from the run: ``delta``, ``tau`` and ``noise`` (the
    run's; ``delta`` and ``tau`` from ``defaults:``), ``v_peak`` and ``v_reset`` (its network
    options); the rest from :mod:`qifgap.defaults`. ValueError naming the key
    (``populations.I.tau_syn``, ``g.I.E``).
    """
    options = params.get("network", {})
    inherited = {k: params[k] for k in POPULATION_RUN_KEYS if k in params}
    inherited.update({k: options[k] for k in POPULATION_NETWORK_KEYS if k in options})
    populations = params["populations"]
    if not isinstance(populations, Mapping):
        raise ValueError(f"populations must be a mapping {{name: {{...}}}}, got {populations!r}")
    spec = {
        "populations": {
            name: {**inherited, **entry} if isinstance(entry, Mapping) else entry
            for name, entry in populations.items()
        },
        **{k: params[k] for k in ("J", "g") if k in params},
    }
    return Model.from_dict(spec)


def neuron_count(params: Mapping) -> int:
    """Neurons of a resolved run's network, all populations together."""
    if is_population_run(params):
        return int(sum(entry["N"] for entry in params["populations"].values()))
    return int(params["network"]["N"])


def network_kwargs(params: Mapping, *, threads: int = 1) -> dict:
    """Keyword arguments of :func:`qifgap.network.simulate` for a resolved run: the keyword API
    for one population, ``model=`` (:func:`run_model`) for a population run."""
    if is_population_run(params):
        if "eta_bar" in params:
            raise ValueError(
                "eta_bar: a population experiment gives it per population "
                "(populations.<name>.eta_bar)"
            )
        options = dict(params.get("network", {}))
        if "N" in options:
            raise ValueError(
                "network.N: a population experiment gives N per population (populations.<name>.N)"
            )
        for key in POPULATION_NETWORK_KEYS:
            options.pop(key, None)
        kw = {k: params[k] for k in PROTOCOL_KEYS if k in params}
        kw["model"] = run_model(params)
        kw.update(options)
    else:
        kw = {k: params[k] for k in MODEL_KEYS + PROTOCOL_KEYS if k in params}
        kw.update(params.get("network", {}))
    kw["threads"] = threads
    return kw


def network_kappa(params: Mapping) -> float:
    """κ = ln(V_p/|V_r|) of the network's spikes: its mean voltage is ⟨V⟩ = v + κ τ r."""
    net = params.get("network", {})
    return spike_asymmetry(
        net.get("v_peak", NETWORK["v_peak"]), net.get("v_reset", NETWORK["v_reset"])
    )


def meanfield_kappa(params: Mapping) -> float:
    """κ of the mean field's dynamics: its ``kappa`` option, "auto" for the network's."""
    kappa = params.get("meanfield", {}).get("kappa", MODEL["kappa"])
    return network_kappa(params) if kappa == "auto" else kappa


def population_kappas(params: Mapping, model: Model) -> np.ndarray:
    """κ_b of the mean field's dynamics per population: the ``kappa`` option for every
    population, or "auto" for each population's own spikes, ln(V_p,b/|V_r,b|)."""
    kappa = params.get("meanfield", {}).get("kappa", MODEL["kappa"])
    if kappa == "auto":
        return model.kappa
    if isinstance(kappa, bool) or not isinstance(kappa, int | float):
        raise ValueError(f"meanfield.kappa must be a number or 'auto', got {kappa!r}")
    return np.full(model.P, kappa, dtype=float)


def meanfield_kwargs(params: Mapping) -> dict:
    """Keyword arguments of :func:`qifgap.meanfield.integrate` for a resolved run."""
    mf = dict(params.get("meanfield", {}))
    if is_population_run(params):
        kw = {k: params[k] for k in PROTOCOL_KEYS if k in params}
        kw["model"] = model = run_model(params)
        mf["kappa"] = population_kappas(params, model).tolist()
    else:
        kw = {k: params[k] for k in MODEL_KEYS + PROTOCOL_KEYS if k in params}
        mf["kappa"] = meanfield_kappa(params)
    kw.update(mf)
    return kw


def check_run(name: str, params: Mapping) -> NetworkSetup:
    """Validate a run with the library's own checks; ConfigError names the run and the key."""
    from . import network

    try:
        setup = network.check_parameters(**network_kwargs(params))
        mf = meanfield_kwargs(params)
        kappas = np.ravel(mf["kappa"])
        if kappas.dtype.kind not in "if" or not np.all(np.isfinite(kappas)):
            raise ValueError(f"meanfield.kappa must be a number or 'auto', got {mf['kappa']!r}")
        if not is_population_run(params):
            as_current(params.get("current"))
    except ConfigError:
        raise
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{name}: {exc}") from None
    t_min = params.get("compare", {}).get("t_min")
    if t_min is not None and not (setup.t_start <= t_min < setup.t_end):
        raise ConfigError(f"{name}: compare.t_min ({t_min}) must lie in [t_start, t_end)")
    return setup


def run_network(params: Mapping, *, threads: int = 1, progress: bool = False) -> NetworkResult:
    """Simulate the network of a resolved run."""
    from . import network

    return network.simulate(**network_kwargs(params, threads=threads), progress=progress)


def network_resources(params: Mapping, *, threads: int = 1) -> dict:
    """Memory (MB) and wall time (minutes) a network run asks of a scheduler.

    Memory: two float64 arrays of N, binned outputs and the interpreter (~400 MB with numba).
    Time: ~0.6 ns per neuron-step per thread, plus ~3 ns per step of a neuron with noise (the
    Cauchy draw: benchmarks/noise.py), doubled for safety, at least 5 minutes.
    """
    from . import network

    setup = network.check_parameters(**network_kwargs(params))
    steps = setup.n_bins * setup.steps_per_bin
    noisy = sum(n for n, gamma in zip(setup.sizes, setup.model.noise, strict=True) if gamma > 0)
    ns = 0.6 * setup.N + 3.0 * noisy  # per step of the whole network
    mem_mb = 400 + (setup.N * 32 + setup.n_bins * 64) / 1e6
    minutes = 2 * steps * ns * 1e-9 / max(threads, 1) / 60
    return {"mem_mb": int(math.ceil(mem_mb)), "runtime": int(max(5, math.ceil(minutes)))}
