"""Finite-size tables (errors against N and V_p) and their fits."""

import pandas as pd

from qifgap.analysis import finite_size_tables
from qifgap.harness import script_harness
from qifgap.results import write_table

with script_harness(snakemake) as sm:  # noqa: F821
    sweeps = {key: pd.read_csv(path, sep="\t") for key, path in sm.input.items()}
    tables, fits = finite_size_tables(
        async_=sweeps["async"], oscillation=sweeps["oscillation"],
        v_peak_async=sweeps["v_peak_async"], v_peak_oscillation=sweeps["v_peak_oscillation"],
    )  # fmt: skip
    for key, table in [*tables.items(), ("fits", fits)]:
        write_table(sm.output[key], table)
