"""Figure: MPR15 phase diagram, fixed-point branch and phase portrait."""

import numpy as np
import pandas as pd

from qifgap import plotting
from qifgap.harness import script_harness
from qifgap.results import provenance

with script_harness(snakemake) as sm:  # noqa: F821
    points = pd.read_csv(sm.input.points).set_index("name")
    with np.load(sm.input.portrait) as data:
        portrait = {k: data[k] for k in data.files}
    fig = plotting.mpr15_bifurcation_figure(
        saddle_nodes=pd.read_csv(sm.input.saddle_nodes),
        cusp=tuple(points.loc["cusp", ["eta_bar", "J"]]),
        branch=pd.read_csv(sm.input.branch),
        portrait=portrait,
        J_branch=sm.params.branch["J"],
        eta_portrait=sm.params.portrait["eta_bar"],
        eta_range=sm.params.eta_range,
    )
    plotting.save(fig, sm.output.pdf, sm.output.png, provenance=provenance(sm))
