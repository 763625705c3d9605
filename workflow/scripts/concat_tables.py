"""Concatenate one-row TSV tables into one."""

import pandas as pd

from qifgap.harness import script_harness
from qifgap.results import write_table

with script_harness(snakemake) as sm:  # noqa: F821
    table = pd.concat([pd.read_csv(p, sep="\t") for p in sm.input.tables], ignore_index=True)
    write_table(sm.output.table, table)
