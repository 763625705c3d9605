"""Network classes of the verification grid against the mean-field regions of the phase
diagram in results/bifurcation/g=<g>/ (not computed again)."""

import pandas as pd

from qifgap.harness import script_harness
from qifgap.results import write_json, write_table
from qifgap.verification import compare_classes

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
    write_table(sm.output.table, table)
    write_table(sm.output.starts, starts)
    write_json(sm.output.summary, summary)
