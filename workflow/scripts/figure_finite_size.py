"""Figure: finite-size scaling and finite-threshold bias."""

import pandas as pd

from qifgap import plotting
from qifgap.harness import script_harness
from qifgap.results import provenance

with script_harness(snakemake) as sm:  # noqa: F821
    tables = {key: pd.read_csv(path, sep="\t") for key, path in sm.input.items()}
    fits = tables.pop("fits").set_index("name")
    plotting.save(
        plotting.finite_size_figure(tables, fits),
        sm.output.pdf,
        sm.output.png,
        provenance=provenance(sm),
    )
