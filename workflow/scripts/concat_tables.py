"""Concatenate one-row TSV tables into one."""

import pandas as pd

from qifgap.results import atomic_path
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    table = pd.concat([pd.read_csv(p, sep="\t") for p in sm.input.tables], ignore_index=True)
    with atomic_path(sm.output.table) as tmp:
        table.to_csv(tmp, sep="\t", index=False, float_format="%.10g")
