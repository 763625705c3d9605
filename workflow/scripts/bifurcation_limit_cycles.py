"""Limit-cycle branch from the Hopf point at fixed (J, g)."""

from qifgap.bifurcation import limit_cycles
from qifgap.harness import script_harness
from qifgap.results import write_table

with script_harness(snakemake) as sm:  # noqa: F821
    p = sm.params
    table = limit_cycles(p.J, p.g, p.delta)
    print("branch end:", table.attrs)
    write_table(sm.output.table, table)
