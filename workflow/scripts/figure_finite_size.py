"""Figure: finite-size scaling and finite-threshold bias."""

import pandas as pd

from qifgap import plotting
from qifgap.workflow import provenance, script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    tables = {key: pd.read_csv(path, sep="\t") for key, path in sm.input.items()}
    fits = tables.pop("fits").set_index("name")
    plotting.save(
        plotting.finite_size_figure(tables, fits),
        sm.output.pdf,
        sm.output.png,
        provenance=provenance(sm),
    )
