"""Mean-field range of eta_bar with persistent activity against g at fixed J."""

import numpy as np

from qifgap.analysis import bistable_range
from qifgap.results import atomic_path
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    table = bistable_range(sm.params.J, np.linspace(0.0, 2.0, 41), sm.params.delta)
    with atomic_path(sm.output.table) as tmp:
        table.to_csv(tmp, index=False, float_format="%.10g")
