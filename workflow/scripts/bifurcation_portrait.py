"""Phase-portrait arrays (vector field, nullclines, fixed points, orbits) at one (eta_bar, J, g)."""

from qifgap.bifurcation.portrait import phase_portrait
from qifgap.harness import script_harness
from qifgap.results import write_npz

with script_harness(snakemake) as sm:  # noqa: F821
    p = sm.params
    write_npz(sm.output.portrait, phase_portrait(eta_bar=p.eta_bar, J=p.J, g=p.g, delta=p.delta))
