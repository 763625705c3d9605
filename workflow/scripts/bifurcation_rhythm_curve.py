"""Hopf curve (rhythm onset) of a population model in two parameters, frequency along it."""

from qifgap.bifurcation import rhythm_curve
from qifgap.harness import script_harness
from qifgap.populations import Model
from qifgap.results import write_table

with script_harness(snakemake) as sm:  # noqa: F821
    e, key = sm.params.entry, sm.params.key
    bounds = {e["parameter"]: tuple(e["range"]), key: tuple(e["curves"][key])}
    table = rhythm_curve(Model.from_dict(e["model"]), e["parameter"], key, bounds=bounds)
    print(len(table), "points")
    write_table(sm.output.table, table)
