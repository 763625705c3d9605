"""Cusp, Takens-Bogdanov and SNSL points against g."""

from qifgap.bifurcation import codim2_vs_g
from qifgap.harness import script_harness
from qifgap.results import write_table

with script_harness(snakemake) as sm:  # noqa: F821
    write_table(sm.output.table, codim2_vs_g(sm.params.g, sm.params.delta))
