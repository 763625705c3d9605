"""Fixed points r*, v* against eta_bar at fixed (J, g), with stability."""

from qifgap.bifurcation import fixed_point_branch
from qifgap.harness import script_harness
from qifgap.results import write_table

with script_harness(snakemake) as sm:  # noqa: F821
    table = fixed_point_branch(sm.params.J, sm.params.g, sm.params.delta)
    write_table(sm.output.branch, table)
