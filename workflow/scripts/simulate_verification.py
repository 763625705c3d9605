"""Network runs from every mean-field attractor of one chunk of verification grid points: one
row per start (qifgap.verification.verify_points)."""

import pandas as pd

from qifgap.results import atomic_path
from qifgap.verification import verify_points
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    s = sm.params.settings
    # Δ of the config, as the phase-diagram rule has it (until the rule passes params.delta)
    delta = (
        sm.params.delta if hasattr(sm.params, "delta") else sm.config["defaults"].get("delta", 1.0)
    )
    table = verify_points(
        pd.DataFrame(sm.params.points), g=float(sm.wildcards.g), delta=delta, N=s["N"],
        hold=s["hold"], dt=s["dt"], threads=sm.threads, osc_threshold=s["osc_threshold"],
    )  # fmt: skip
    with atomic_path(sm.output.table) as tmp:
        table.to_csv(tmp, sep="\t", index=False, float_format="%.10g")
