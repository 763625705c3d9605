"""Network classes against mean-field regions: table and agreement summary."""

import pandas as pd

from qifgap.results import atomic_path, write_json
from qifgap.verification import compare_classes
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    s = sm.params.settings
    classes = pd.concat([pd.read_csv(p, sep="\t") for p in sm.input.chunks], ignore_index=True)
    table, summary = compare_classes(classes, g=s["g"], band=s["band"])
    print(summary)
    with atomic_path(sm.output.table) as tmp:
        table.to_csv(tmp, sep="\t", index=False, float_format="%.10g")
    write_json(sm.output.summary, summary)
