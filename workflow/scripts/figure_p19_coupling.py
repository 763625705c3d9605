"""Figure: network against mean field, one column per run (P19 figures 1 and 4)."""

import pandas as pd

from qifgap import plotting
from qifgap.harness import script_harness
from qifgap.results import load_timeseries, provenance

with script_harness(snakemake) as sm:  # noqa: F821
    columns = []
    files = zip(sm.input.networks, sm.input.meanfields, sm.input.tables, strict=True)
    for (name, run), (net, mf, table) in zip(sm.params.runs.items(), files, strict=True):
        columns.append({
            "net": load_timeseries(net),
            "mf": load_timeseries(mf),
            "metrics": pd.read_csv(table, sep="\t").iloc[0],
            "title": f"{name}: η̄ = {run['eta_bar']:g}, J = {run['J']:g}, g = {run['g']:g}",
            "t_min": run["compare"].get("t_min"),
        })  # fmt: skip
    plotting.save(
        plotting.comparison_grid(columns), sm.output.pdf, sm.output.png, provenance=provenance(sm)
    )
