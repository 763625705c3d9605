"""Limit-cycle branch from the Hopf point at fixed (J, g)."""

from qifgap.bifurcation import limit_cycles
from qifgap.results import atomic_path
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    p = sm.params
    table = limit_cycles(p.J, p.g, p.delta)
    print("branch end:", table.attrs)
    with atomic_path(sm.output.table) as tmp:
        table.to_csv(tmp, index=False, float_format="%.12g")
