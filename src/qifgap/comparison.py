"""The comparison stage of a resolved run (:mod:`qifgap.experiments`): its mean field on the
network's output times, and the network-against-mean-field tables (:func:`qifgap.metrics.compare`,
one row per run or per population; the sparse-synchrony statistics of science.md §7).

Kept apart from :mod:`qifgap.experiments` so that a network job's import closure, and with it
its code hash, does not contain the mean field or the metrics.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from . import metrics
from .defaults import MODEL
from .experiments import (
    MODEL_KEYS,
    is_population_run,
    meanfield_kappa,
    meanfield_kwargs,
    network_kappa,
    network_kwargs,
    population_kappas,
    run_model,
)
from .results import TimeSeries

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["run_meanfield", "compare_run", "compare_sparse_synchrony"]


def run_meanfield(params: Mapping) -> TimeSeries:
    """Integrate the mean field of a resolved run on the network's output times (bin centres)."""
    from . import meanfield, network

    setup = network.check_parameters(**network_kwargs(params))
    kw = meanfield_kwargs(params)
    kw["t_end"] = setup.t_start + setup.n_bins * setup.rate_bin
    return meanfield.integrate(**kw, t_eval=setup.t)


def compare_run(name: str, params: Mapping, net: TimeSeries, mf: TimeSeries) -> pd.DataFrame:
    """Table of :func:`qifgap.metrics.compare` with the run's name and parameters: one row, or
    for a population run one row per population (column ``population``, that population's
    fields and the run's sweep keys, e.g. ``g.I.I``).

    The network's ⟨V⟩ is compared with the mean field's v + κ τ r, κ of the network's spikes
    (whatever κ the mean field's dynamics used: ``kappa`` is that one, ``kappa_v`` this one).
    """
    import pandas as pd

    t_min = params.get("compare", {}).get("t_min")
    if is_population_run(params):
        return _compare_populations(name, params, net, mf, t_min=t_min)
    row = {"run": name}
    row.update({k: params[k] for k in MODEL_KEYS if k in params})
    options = params.get("network", {})
    row.update({k: options.get(k) for k in ("N", "v_peak", "v_reset")})
    row.update({"kappa": meanfield_kappa(params)})
    row["network_run"] = params.get("network_from", name)
    row.update(metrics.compare(net, mf, t_min=t_min, kappa=network_kappa(params),
                               tau=params.get("tau", MODEL["tau"])))  # fmt: skip
    return pd.DataFrame([row])


def compare_sparse_synchrony(name: str, params: Mapping, net, mf) -> pd.DataFrame:
    """One-row table of :func:`qifgap.sparse_synchrony.sparse_synchrony_stats` of a
    one-population run (network with a raster, its mean field) from ``compare.t_min`` (else
    t_start), with the run's name, model parameters (``noise`` 0 if unset) and N."""
    import pandas as pd

    from .sparse_synchrony import sparse_synchrony_stats

    if is_population_run(params):
        raise ValueError(f"{name}: the sparse-synchrony table needs a one-population run")
    t_min = params.get("compare", {}).get("t_min")
    t_min = params["t_start"] if t_min is None else t_min
    row = {"run": name, "noise": 0.0}
    row.update({k: params[k] for k in MODEL_KEYS if k in params})
    row.update({"N": params["network"]["N"], "t_min": t_min})
    row.update(sparse_synchrony_stats(net, mf, t_min=t_min))
    return pd.DataFrame([row])


def _compare_populations(name, params, net, mf, *, t_min) -> pd.DataFrame:
    """One row per population of :func:`compare_run` (network and mean field column by column,
    each population's voltage with its own κ_b and τ_b)."""
    import pandas as pd

    model = run_model(params)
    if tuple(net.populations) != model.names or tuple(mf.populations) != model.names:
        raise ValueError(
            f"{name}: the results' populations {net.populations}, {mf.populations} are not the "
            f"run's {model.names}"
        )
    kappas = population_kappas(params, model)
    point = params.get("sweep", {}).get("point", {})
    rows = []
    for pop, kappa in zip(model.populations, kappas, strict=True):
        row = {"run": name, "population": pop.name, **pop.to_dict()}
        row.update({"kappa": float(kappa), "network_run": params.get("network_from", name)})
        row.update(point)
        row.update(metrics.compare(net.population(pop.name), mf.population(pop.name),
                                   t_min=t_min, kappa=pop.kappa, tau=pop.tau))  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)
