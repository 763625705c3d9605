"""Errors of the P19 and MP20 mean fields against the asymmetric-spike networks."""

import pandas as pd

from qifgap.analysis import asymmetry_table
from qifgap.results import atomic_path
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    rows = pd.concat([pd.read_csv(p, sep="\t") for p in sm.input.tables], ignore_index=True)
    with atomic_path(sm.output.table) as tmp:
        asymmetry_table(rows).to_csv(tmp, sep="\t", index=False, float_format="%.10g")
