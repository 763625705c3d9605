"""One run's mean field and its comparison with the network: integrate the firing-rate
equations on the network's output times (saved as npz), then the network against it as a
one-row TSV of error metrics (one row per population)."""

from qifgap import comparison
from qifgap.harness import script_harness
from qifgap.results import load_timeseries, write_table

with script_harness(snakemake) as sm:  # noqa: F821
    comparison.run_meanfield(sm.params.run).save(sm.output.meanfield)
    # compare what was saved: the table describes exactly the file the figures read
    mf = load_timeseries(sm.output.meanfield)
    net = load_timeseries(sm.input.network)
    table = comparison.compare_run(sm.wildcards.run, sm.params.run, net, mf)
    write_table(sm.output.table, table)
