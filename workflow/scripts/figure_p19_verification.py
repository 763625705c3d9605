"""Figure: spiking verification on top of the mean-field phase diagram."""

import json

import pandas as pd

from qifgap import plotting
from qifgap.harness import script_harness
from qifgap.results import provenance

with script_harness(snakemake) as sm:  # noqa: F821
    tables = {name: pd.read_csv(path) for name, path in
              zip(sm.params.tables, sm.input.tables, strict=True)}  # fmt: skip
    fig = plotting.verification_figure(
        tables,
        pd.read_csv(sm.input.classes, sep="\t"),
        json.loads(open(sm.input.summary).read()),
        settings={**sm.params.settings, "g": float(sm.wildcards.g)},  # the g of this figure
    )
    plotting.save(fig, sm.output.pdf, sm.output.png, provenance=provenance(sm))
