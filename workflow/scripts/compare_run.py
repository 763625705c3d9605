"""Network against mean field metrics of one run, as a one-row TSV."""

from qifgap import experiments
from qifgap.results import atomic_path, load_timeseries
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    net = load_timeseries(sm.input.network)
    mf = load_timeseries(sm.input.meanfield)
    table = experiments.compare_run(sm.wildcards.run, sm.params.run, net, mf)
    with atomic_path(sm.output.table) as tmp:
        table.to_csv(tmp, sep="\t", index=False, float_format="%.10g")
