"""Finite-size tables (errors against N and V_p) and their power-law fits."""

import pandas as pd

from qifgap.analysis import finite_size_tables
from qifgap.results import atomic_path
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    tables = finite_size_tables(
        *(pd.read_csv(sm.input[k], sep="\t") for k in ("async_table", "osc_table", "vpeak_table"))
    )
    for key, table in zip(("async_table", "osc_table", "vpeak_table", "fits"), tables, strict=True):
        with atomic_path(sm.output[key]) as tmp:
            table.to_csv(tmp, sep="\t", index=False, float_format="%.10g")
