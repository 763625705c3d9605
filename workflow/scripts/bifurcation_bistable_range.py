"""Mean-field range of eta_bar with persistent activity against g at fixed J."""

from qifgap.analysis import bistable_range
from qifgap.harness import script_harness
from qifgap.results import write_table

with script_harness(snakemake) as sm:  # noqa: F821
    p = sm.params
    table = bistable_range(p.J, p.g, p.delta, eta_range=p.eta_range)
    write_table(sm.output.table, table)
