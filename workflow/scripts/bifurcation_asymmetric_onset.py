"""Hopf onset per reset of one population, with and without the MP20 κ term."""

from qifgap.bifurcation.asymmetry import asymmetric_onsets
from qifgap.harness import script_harness
from qifgap.populations import Model
from qifgap.results import write_table

with script_harness(snakemake) as sm:  # noqa: F821
    e, rhythm = sm.params.entry, sm.params.rhythm
    table = asymmetric_onsets(
        Model.from_dict(rhythm["model"]), rhythm["parameter"], population=e["population"],
        v_resets=e["v_resets"], start=rhythm["range"][0], stop=rhythm["range"][1],
    )  # fmt: skip
    print(table.to_string())
    write_table(sm.output.table, table)
