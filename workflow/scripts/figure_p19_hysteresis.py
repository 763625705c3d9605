"""Figure: hysteresis under slow ramps against the mean-field persistent range (P19 fig. 3)."""

import pandas as pd

from qifgap import plotting
from qifgap.harness import script_harness
from qifgap.inputs import as_current
from qifgap.results import load_timeseries, provenance

with script_harness(snakemake) as sm:  # noqa: F821
    table = pd.read_csv(sm.input.table, sep="\t")
    ramps = []
    for (_, row), run, net, mf in zip(table.iterrows(), sm.params.runs, sm.input.networks,
                                      sm.input.meanfields, strict=True):  # fmt: skip
        net, mf = load_timeseries(net), load_timeseries(mf)
        ramps.append({
            "g": run["g"], "net": net, "mf": mf,
            "drive": run["eta_bar"] + as_current(run.get("current"))(net.t),
            "hysteresis_net": {k: row[f"{k}_net"] for k in ("eta_on", "eta_off", "width")},
            "hysteresis_mf": {k: row[f"{k}_mf"] for k in ("eta_on", "eta_off", "width")},
        })  # fmt: skip
    # the widths at both ramp speeds (compare/hysteresis_speeds.tsv), if a fast sweep is configured
    speeds = pd.read_csv(sm.input.speeds[0], sep="\t") if sm.input.speeds else None
    fig = plotting.hysteresis_figure(
        ramps, pd.read_csv(sm.input.ranges), J=sm.params.runs[0]["J"], speeds=speeds
    )
    plotting.save(fig, sm.output.pdf, sm.output.png, provenance=provenance(sm))
