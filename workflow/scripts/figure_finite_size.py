"""Figure: finite-size scaling and finite-threshold bias."""

import pandas as pd

from qifgap import plotting
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    tables = {k: pd.read_csv(sm.input[k], sep="\t") for k in
              ("async_table", "osc_table", "vpeak_table", "fits")}  # fmt: skip
    fits = {row.name: row._asdict() for row in tables["fits"].itertuples(index=False)}
    fig = plotting.finite_size_figure(
        tables["async_table"], tables["osc_table"], tables["vpeak_table"], fits
    )
    plotting.save(fig, sm.output.pdf, sm.output.png)
