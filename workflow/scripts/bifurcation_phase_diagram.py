"""(eta_bar, J) phase diagram of one g: every curve, codimension-2 point and region label."""

from qifgap.bifurcation import phase_diagram
from qifgap.harness import script_harness
from qifgap.results import write_table

with script_harness(snakemake) as sm:  # noqa: F821
    p = sm.params
    diagram = phase_diagram(p.g, p.delta, eta_range=p.eta_range, J_range=p.J_range, n=p.n)
    for warning in diagram.warnings:
        print("warning:", warning)
    for name, table in diagram.tables().items():
        write_table(sm.output[name], table)
