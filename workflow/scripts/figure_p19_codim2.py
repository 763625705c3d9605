"""Figure: cusp, Takens-Bogdanov and SNSL points against g."""

import pandas as pd

from qifgap import plotting
from qifgap.harness import script_harness
from qifgap.results import provenance

with script_harness(snakemake) as sm:  # noqa: F821
    fig = plotting.codim2_figure(pd.read_csv(sm.input.table))
    plotting.save(fig, sm.output.pdf, sm.output.png, provenance=provenance(sm))
