"""Errors of the P19 and MP20 mean fields against the asymmetric-spike networks."""

import pandas as pd

from qifgap.analysis import asymmetry_table
from qifgap.harness import script_harness
from qifgap.results import write_table

with script_harness(snakemake) as sm:  # noqa: F821
    rows = pd.concat([pd.read_csv(p, sep="\t") for p in sm.input.tables], ignore_index=True)
    write_table(sm.output.table, asymmetry_table(rows))
