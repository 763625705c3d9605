"""Rhythm onset of a population model in one parameter: equilibria, Hopf points, cycles."""

from qifgap.bifurcation import rhythm_onset
from qifgap.harness import script_harness
from qifgap.populations import Model
from qifgap.results import write_table

with script_harness(snakemake) as sm:  # noqa: F821
    e = sm.params.entry
    res = rhythm_onset(Model.from_dict(e["model"]), e["parameter"], *e["range"], values=e["values"])
    print(res.hopf.to_string())
    write_table(sm.output.branch, res.branch)
    write_table(sm.output.hopf, res.hopf)
    write_table(sm.output.cycles, res.cycles)
