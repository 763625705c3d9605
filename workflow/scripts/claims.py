"""The claims table: every caption claim of the report as a number with its threshold
(qifgap.claims), as TSV and as an HTML page with the failures in red for the report."""

from pathlib import Path

from qifgap import claims
from qifgap.harness import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    table = claims.evaluate(Path(sm.output.table).parent, figures=sm.params.figures)
    claims.write(table, sm.output.table)
    claims.write_html(table, sm.output.html)
    print(table.status.value_counts().to_string())
    for row in table[table.status == "fail"].itertuples(index=False):
        print(f"FAIL {row.figure}: {row.claim} (value {row.value:.4g} {row.comparison} "
              f"{row.threshold:.4g})")  # fmt: skip
