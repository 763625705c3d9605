"""Hysteresis of network and mean field under the ramps of a sweep, one row per run, with the
ramp speed (the largest |d(η̄ + I)/dt|, per τ)."""

import numpy as np
import pandas as pd

from qifgap import analysis
from qifgap.harness import script_harness
from qifgap.inputs import as_current
from qifgap.results import load_timeseries, write_table

with script_harness(snakemake) as sm:  # noqa: F821
    rows = []
    for run, net_path, mf_path in zip(sm.params.runs, sm.input.networks, sm.input.meanfields,
                                      strict=True):  # fmt: skip
        row = {"g": run["g"], "J": run["J"]}
        for key, path in (("net", net_path), ("mf", mf_path)):
            ts = load_timeseries(path)
            drive = run["eta_bar"] + as_current(run.get("current"))(ts.t)
            row["speed"] = float(np.max(np.abs(np.gradient(drive, ts.t))))
            h = analysis.hysteresis(ts.t, ts.r, drive, threshold=sm.params.threshold)
            row.update({f"{k}_{key}": v for k, v in h.items()})
        rows.append(row)
    write_table(sm.output.table, pd.DataFrame(rows))
