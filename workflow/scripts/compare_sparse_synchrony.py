"""Sparse-synchrony statistics of one run (network with a raster, mean field), a one-row TSV."""

from qifgap import comparison
from qifgap.harness import script_harness
from qifgap.results import load_timeseries, write_table

with script_harness(snakemake) as sm:  # noqa: F821
    net = load_timeseries(sm.input.network)
    mf = load_timeseries(sm.input.meanfield)
    table = comparison.compare_sparse_synchrony(sm.params.name, sm.params.run, net, mf)
    write_table(sm.output.table, table)
