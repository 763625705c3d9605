"""Mean-field range of eta_bar with persistent activity against g at fixed J."""

from qifgap.analysis import bistable_range
from qifgap.results import atomic_path
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    p = sm.params
    table = bistable_range(p.J, p.g, p.delta, eta_range=p.eta_range)
    with atomic_path(sm.output.table) as tmp:
        table.to_csv(tmp, index=False, float_format="%.10g")
