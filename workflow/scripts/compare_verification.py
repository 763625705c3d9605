"""Network classes against mean-field regions: table and agreement summary."""

import pandas as pd

from qifgap.harness import script_harness
from qifgap.results import write_json, write_table
from qifgap.verification import compare_classes

with script_harness(snakemake) as sm:  # noqa: F821
    s = sm.params.settings
    classes = pd.concat([pd.read_csv(p, sep="\t") for p in sm.input.chunks], ignore_index=True)
    table, summary = compare_classes(classes, g=s["g"], band=s["band"])
    print(summary)
    write_table(sm.output.table, table)
    write_json(sm.output.summary, summary)
