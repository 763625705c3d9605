"""Coexistence range of a synchronous and an asynchronous state of a clusters entry's model."""

from qifgap.bifurcation.bistability import coexistence
from qifgap.experiments import run_model
from qifgap.harness import script_harness
from qifgap.results import write_table

with script_harness(snakemake) as sm:  # noqa: F821
    e = sm.params.entry
    res = coexistence(run_model(sm.params.run), e["parameter"], *e["range"])
    print(res.hopf.to_string())
    print(f"coexistence: [{res.low}, {res.high}]")
    write_table(sm.output.branch, res.branch)
    write_table(sm.output.hopf, res.hopf)
    write_table(sm.output.cycles, res.cycles)
    write_table(sm.output.range, res.range_table())
