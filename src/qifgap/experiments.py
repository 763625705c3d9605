"""Experiments described by data: a config entry → network, mean field and their comparison.

An experiment is a mapping of model parameters (``eta_bar``, ``delta``, ``J``, ``g``, ``tau``),
a protocol (``t_start``, ``t_end``, ``current``) and per-stage options (``network``,
``meanfield``, ``compare``). Defaults are merged in one place (:func:`merge`); sweeps expand
into one experiment per grid point (:func:`expand_sweep`). The Snakemake workflow and users'
scripts call the same functions, so nothing is computed twice in two ways.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from . import meanfield, metrics, network
from .inputs import as_current
from .model import spike_asymmetry
from .results import NetworkResult, TimeSeries

__all__ = [
    "ConfigError",
    "merge",
    "canonical",
    "fmt",
    "expand_sweep",
    "resolve_runs",
    "check_run",
    "network_kwargs",
    "run_network",
    "run_meanfield",
    "compare_run",
    "network_resources",
]

MODEL_KEYS = ("eta_bar", "delta", "J", "g", "tau")
PROTOCOL_KEYS = ("t_start", "t_end", "current")


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
    (all of one length). Dotted keys set nested options. Points are named
    ``{name}/{key}={value}+…`` (grid keys, then zip keys) with numbers written by :func:`fmt`.
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
                *parents, leaf = key.split(".")
                node = spec
                for part in parents:
                    node = node.setdefault(part, {})
                node[leaf] = value
            label = "+".join(
                f"{k.split('.')[-1]}={fmt(v)}" for k, v in zip(keys, values, strict=True)
            )
            spec["sweep"] = {"name": name, "point": dict(zip(keys, values, strict=True))}
            points[f"{name}/{label}"] = spec
    return points


def resolve_runs(config: Mapping) -> dict[str, dict]:
    """Every run of the config (experiments, sweep points and mean-field variants), each with
    the defaults merged.

    A mean-field variant ``{"network_from": X, "meanfield": {...}, "compare": {...}}`` is
    experiment X with other mean-field (or comparison) options, compared against X's network
    simulation instead of simulating it again.
    """
    defaults = config.get("defaults", {})
    experiments = {k: merge(defaults, v) for k, v in config.get("experiments", {}).items()}
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


def network_kwargs(params: Mapping, *, threads: int = 1) -> dict:
    """Keyword arguments of :func:`qifgap.network.simulate` for a resolved run."""
    kw = {k: params[k] for k in MODEL_KEYS + PROTOCOL_KEYS if k in params}
    kw.update(params.get("network", {}))
    kw["threads"] = threads
    return kw


def _network_kappa(params: Mapping) -> float:
    """κ = ln(V_p/|V_r|) of the network's spikes: its mean voltage is ⟨V⟩ = v + κ τ r."""
    net = params.get("network", {})
    return spike_asymmetry(net.get("v_peak", 100.0), net.get("v_reset", -100.0))


def _kappa(params: Mapping) -> float:
    """κ of the mean field's dynamics: its ``kappa`` option, "auto" for the network's."""
    kappa = params.get("meanfield", {}).get("kappa", 0.0)
    return _network_kappa(params) if kappa == "auto" else kappa


def meanfield_kwargs(params: Mapping) -> dict:
    """Keyword arguments of :func:`qifgap.meanfield.integrate` for a resolved run."""
    kw = {k: params[k] for k in MODEL_KEYS + PROTOCOL_KEYS if k in params}
    mf = dict(params.get("meanfield", {}))
    mf["kappa"] = _kappa(params)
    kw.update(mf)
    return kw


def check_run(name: str, params: Mapping) -> network.NetworkSetup:
    """Validate a run with the library's own checks; ConfigError names the run and the key."""
    try:
        setup = network.check_parameters(**network_kwargs(params))
        mf = meanfield_kwargs(params)
        if not isinstance(mf["kappa"], int | float) or not math.isfinite(mf["kappa"]):
            raise ValueError(f"meanfield.kappa must be a number or 'auto', got {mf['kappa']!r}")
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
    return network.simulate(**network_kwargs(params, threads=threads), progress=progress)


def run_meanfield(params: Mapping) -> TimeSeries:
    """Integrate the mean field of a resolved run on the network's output times (bin centres)."""
    setup = network.check_parameters(**network_kwargs(params))
    kw = meanfield_kwargs(params)
    kw["t_end"] = setup.t_start + setup.n_bins * setup.rate_bin
    return meanfield.integrate(**kw, t_eval=setup.t)


def compare_run(name: str, params: Mapping, net: TimeSeries, mf: TimeSeries) -> pd.DataFrame:
    """One-row table of :func:`qifgap.metrics.compare` with the run's name and parameters.

    The network's ⟨V⟩ is compared with the mean field's v + κ τ r, κ of the network's spikes
    (whatever κ the mean field's dynamics used: ``kappa`` is that one, ``kappa_v`` this one).
    """
    t_min = params.get("compare", {}).get("t_min")
    row = {"run": name}
    row.update({k: params[k] for k in MODEL_KEYS if k in params})
    options = params.get("network", {})
    row.update({k: options.get(k) for k in ("N", "v_peak", "v_reset")})
    row.update({"kappa": _kappa(params), "network_run": params.get("network_from", name)})
    row.update(metrics.compare(net, mf, t_min=t_min, kappa=_network_kappa(params),
                               tau=params.get("tau", 1.0)))  # fmt: skip
    return pd.DataFrame([row])


def network_resources(params: Mapping, *, threads: int = 1) -> dict:
    """Memory (MB) and wall time (minutes) a network run asks of a scheduler.

    Memory: two float64 arrays of N, binned outputs and the interpreter (~400 MB with numba).
    Time: ~0.6 ns per neuron-step per thread, doubled for safety, at least 5 minutes.
    """
    setup = network.check_parameters(**network_kwargs(params))
    neuron_steps = setup.N * setup.n_bins * setup.steps_per_bin
    mem_mb = 400 + (setup.N * 32 + setup.n_bins * 64) / 1e6
    minutes = 2 * neuron_steps * 0.6e-9 / max(threads, 1) / 60
    return {"mem_mb": int(math.ceil(mem_mb)), "runtime": int(max(5, math.ceil(minutes)))}
