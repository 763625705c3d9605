"""Spiking networks of a rhythm entry's sweep against the continuation (one row per network)."""

from qifgap.bifurcation import compare_networks
from qifgap.harness import script_harness
from qifgap.populations import Model
from qifgap.results import load_timeseries, read_output, write_table

with script_harness(snakemake) as sm:  # noqa: F821
    e = sm.params.entry
    model = Model.from_dict(e["model"])
    points = (
        (run, params["sweep"]["point"], load_timeseries(net), load_timeseries(mf),
         params.get("compare", {}).get("t_min"))
        for (run, params), net, mf in zip(
            sm.params.runs.items(), sm.input.networks, sm.input.meanfields, strict=True
        )
    )  # fmt: skip
    table = compare_networks(
        points,
        model=model,
        parameter=e["parameter"],
        population=model.reference(e.get("population")),
        cycles=read_output(sm.input.cycles),
    )
    print(table.to_string())
    write_table(sm.output.table, table)
