"""Figure: (eta_bar, J) phase diagrams for several g."""

import pandas as pd

from qifgap import plotting
from qifgap.harness import script_harness
from qifgap.results import provenance

with script_harness(snakemake) as sm:  # noqa: F821
    files = iter(sm.input.tables)  # ordered g-major, then table (expand order)
    diagrams = {g: {name: pd.read_csv(next(files)) for name in sm.params.tables}
                for g in sm.params.g}  # fmt: skip
    plotting.save(
        plotting.phase_diagrams_figure(diagrams),
        sm.output.pdf,
        sm.output.png,
        provenance=provenance(sm),
    )
