"""Network classes against the mean-field regions of the phase diagram of the same g (read
from results/bifurcation/g=<g>/, not computed again): table and agreement summary."""

import pandas as pd

from qifgap.bifurcation import phase_diagram
from qifgap.results import atomic_path, write_json
from qifgap.verification import compare_classes
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    s = sm.params.settings
    g = float(sm.wildcards.g)
    # Δ of the config, as the phase-diagram rule has it (until the rule passes params.delta)
    delta = (
        sm.params.delta if hasattr(sm.params, "delta") else sm.config["defaults"].get("delta", 1.0)
    )
    starts = pd.concat([pd.read_csv(p, sep="\t") for p in sm.input.chunks], ignore_index=True)
    if hasattr(sm.input, "tables"):
        tables = {name: pd.read_csv(path) for name, path in
                  zip(sm.params.tables, sm.input.tables, strict=True)}  # fmt: skip
    else:  # until the rule declares results/bifurcation/g=<g>/*.csv as inputs
        tables = phase_diagram(
            g, delta, n=2, eta_range=(starts.eta_bar.min() - 1, starts.eta_bar.max() + 1),
            J_range=(starts.J.min() - 1, starts.J.max() + 1),
        ).tables()  # fmt: skip
    table, summary = compare_classes(
        starts, tables, g=g, delta=delta, band=s["band"],
        coexistence_band=s.get("coexistence_band", 0.25),
    )  # fmt: skip
    print(summary)
    with atomic_path(sm.output.table) as tmp:
        table.to_csv(tmp, sep="\t", index=False, float_format="%.10g")
    if hasattr(sm.output, "starts"):  # one row per network run (start), all chunks
        with atomic_path(sm.output.starts) as tmp:
            starts.to_csv(tmp, sep="\t", index=False, float_format="%.10g")
    write_json(sm.output.summary, summary)
