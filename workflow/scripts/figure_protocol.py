"""Figure: network against mean field over time for one experiment."""

from qifgap import plotting
from qifgap.harness import script_harness
from qifgap.inputs import as_current
from qifgap.results import load_timeseries, provenance

with script_harness(snakemake) as sm:  # noqa: F821
    run = sm.params.run
    fig = plotting.protocol_figure(
        load_timeseries(sm.input.network),
        load_timeseries(sm.input.meanfield),
        current=as_current(run.get("current")),
        title=(f"{sm.wildcards.experiment}: η̄ = {run['eta_bar']}, Δ = {run['delta']}, "
               f"J = {run['J']}, g = {run['g']}, N = {run['network']['N']}"),
    )  # fmt: skip
    plotting.save(fig, sm.output.pdf, sm.output.png, provenance=provenance(sm))
