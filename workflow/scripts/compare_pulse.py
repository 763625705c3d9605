"""Sync / async class of a clusters entry's population in each window, network and mean field."""

from qifgap.bifurcation.bistability import pulse_classes
from qifgap.harness import script_harness
from qifgap.results import load_timeseries, write_table

with script_harness(snakemake) as sm:  # noqa: F821
    e = sm.params.entry
    runs = {name: load_timeseries(sm.input[name]) for name in ("network", "meanfield")}
    table = pulse_classes(
        runs, population=e["population"], windows=e["windows"], threshold=e["threshold"]
    )
    print(table.to_string())
    write_table(sm.output.table, table)
