"""Network runs from every mean-field attractor of one chunk of verification grid points: one
row per start (qifgap.verification.verify_points)."""

import pandas as pd

from qifgap.harness import script_harness
from qifgap.results import write_table
from qifgap.verification import verify_points

with script_harness(snakemake) as sm:  # noqa: F821
    s = sm.params.settings
    table = verify_points(
        pd.DataFrame(sm.params.points), g=float(sm.wildcards.g), delta=sm.params.delta, N=s["N"],
        hold=s["hold"], dt=s["dt"], threads=sm.threads, osc_threshold=s["osc_threshold"],
    )  # fmt: skip
    write_table(sm.output.table, table)
