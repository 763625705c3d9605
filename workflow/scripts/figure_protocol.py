"""Figure: network against mean field over time for one experiment (a block of rows per
population for a population experiment)."""

from qifgap import plotting
from qifgap.experiments import is_population_run, run_model
from qifgap.harness import script_harness
from qifgap.inputs import as_current
from qifgap.results import load_timeseries, provenance


def title(name, run):
    """One line naming the run's model: its parameters, or its populations and couplings."""
    if not is_population_run(run):
        return (f"{name}: η̄ = {run['eta_bar']}, Δ = {run['delta']}, J = {run['J']}, "
                f"g = {run['g']}, N = {run['network']['N']}")  # fmt: skip
    model = run_model(run)
    pops = "; ".join(f"{p.name}: η̄ = {p.eta_bar:g}, τ_s = {p.tau_syn:g}, N = {p.N}"
                     for p in model.populations)  # fmt: skip
    gaps = ", ".join(
        f"g_{post}{pre} = {model.g[a, b]:g}"
        for a, post in enumerate(model.names) for b, pre in enumerate(model.names)
        if model.g[a, b]
    ) or "no gap junctions"  # fmt: skip
    return f"{name}: {pops}; {gaps}"


def currents(run):
    """The run's current, or {population: current} if it gives one per population."""
    spec = run.get("current")
    if is_population_run(run) and isinstance(spec, dict) and "kind" not in spec:
        return {name: as_current(spec.get(name)) for name in run_model(run).names}
    return as_current(spec)


with script_harness(snakemake) as sm:  # noqa: F821
    run = sm.params.run
    fig = plotting.protocol_figure(
        load_timeseries(sm.input.network),
        load_timeseries(sm.input.meanfield),
        current=currents(run),
        title=title(sm.wildcards.experiment, run),
    )
    plotting.save(fig, sm.output.pdf, sm.output.png, provenance=provenance(sm))
