"""Cusp, Takens-Bogdanov and SNSL points against g."""

from qifgap.bifurcation import codim2_vs_g
from qifgap.results import atomic_path
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    with atomic_path(sm.output.table) as tmp:
        codim2_vs_g(sm.params.g, sm.params.delta).to_csv(tmp, index=False, float_format="%.12g")
