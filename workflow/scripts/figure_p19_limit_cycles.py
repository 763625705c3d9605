"""Figure: the limit-cycle branch from the Hopf point."""

import pandas as pd

from qifgap import plotting
from qifgap.bifurcation import hopf_eta
from qifgap.harness import script_harness
from qifgap.results import provenance

with script_harness(snakemake) as sm:  # noqa: F821
    J, g = sm.params.cycle["J"], sm.params.cycle["g"]
    fig = plotting.limit_cycles_figure(
        pd.read_csv(sm.input.table), J=J, g=g, eta_hopf=hopf_eta(J, g, sm.params.delta)
    )
    plotting.save(fig, sm.output.pdf, sm.output.png, provenance=provenance(sm))
