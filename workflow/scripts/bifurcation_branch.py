"""Fixed points r*, v* against eta_bar at fixed (J, g), with stability."""

from qifgap.bifurcation import fixed_point_branch
from qifgap.results import atomic_path
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    table = fixed_point_branch(sm.params.J, sm.params.g, sm.params.delta)
    with atomic_path(sm.output.branch) as tmp:
        table.to_csv(tmp, index=False, float_format="%.12g")
