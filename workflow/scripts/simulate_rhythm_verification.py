"""Network runs from every mean-field attractor of one chunk of a rhythm's verification grid:
one row per start (qifgap.verification.verify_model_points)."""

import pandas as pd

from qifgap.harness import script_harness
from qifgap.populations import Model
from qifgap.results import write_table
from qifgap.verification import verify_model_points

with script_harness(snakemake) as sm:  # noqa: F821
    e = sm.params.entry
    s = e["verification"]
    table = verify_model_points(
        Model.from_dict(e["model"]), pd.DataFrame(sm.params.points), N=s["N"], hold=s["hold"],
        dt=s["dt"], threshold=s["threshold"], population=e.get("population"), threads=sm.threads,
    )  # fmt: skip
    print(table.drop(columns="start_y").to_string())
    write_table(sm.output.table, table)
