"""Network classes against the mean-field regions of the phase diagram of the same g (read
from results/bifurcation/g=<g>/, not computed again): table and agreement summary."""

import pandas as pd

from qifgap.results import atomic_path, write_json
from qifgap.verification import compare_classes
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    s = sm.params.settings
    starts = pd.concat([pd.read_csv(p, sep="\t") for p in sm.input.chunks], ignore_index=True)
    tables = {name: pd.read_csv(path) for name, path in
              zip(sm.params.tables, sm.input.tables, strict=True)}  # fmt: skip
    table, summary = compare_classes(
        starts, tables, g=float(sm.wildcards.g), delta=sm.params.delta, band=s["band"],
        coexistence_band=s["coexistence_band"],
    )  # fmt: skip
    print(summary)
    with atomic_path(sm.output.table) as tmp:
        table.to_csv(tmp, sep="\t", index=False, float_format="%.10g")
    if hasattr(sm.output, "starts"):  # one row per network run (start), all chunks
        with atomic_path(sm.output.starts) as tmp:
            starts.to_csv(tmp, sep="\t", index=False, float_format="%.10g")
    write_json(sm.output.summary, summary)
