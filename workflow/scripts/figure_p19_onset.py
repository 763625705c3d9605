"""Figure: oscillation amplitude and frequency against g (P19 figure 2)."""

import pandas as pd

from qifgap import plotting
from qifgap.analysis import hopf_onset
from qifgap.harness import script_harness
from qifgap.results import provenance

with script_harness(snakemake) as sm:  # noqa: F821
    base = sm.params.base
    g_hopf, omega_hopf = hopf_onset(base["eta_bar"], base["J"], base["delta"])
    fig = plotting.onset_figure(
        pd.read_csv(sm.input.table, sep="\t"),
        g_hopf=g_hopf,
        omega_hopf=omega_hopf,
        eta_bar=base["eta_bar"],
        J=base["J"],
    )
    plotting.save(fig, sm.output.pdf, sm.output.png, provenance=provenance(sm))
