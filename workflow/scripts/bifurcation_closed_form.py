"""Closed-form bifurcation set of one g: saddle-node curves, Hopf line, codimension-2 points."""

import pandas as pd

from qifgap import bifurcation
from qifgap.results import atomic_path
from qifgap.workflow import script_harness

with script_harness(snakemake) as sm:  # noqa: F821
    g, delta = sm.params.g, sm.params.delta
    J_min, J_max = sm.params.J_range
    tables = {
        "saddle_nodes": bifurcation.saddle_node_curve(g, delta, J_max=J_max),
        "hopf": bifurcation.hopf_line(g, delta, J_min=J_min) if g > 0 else bifurcation.hopf_line(g),
        "points": pd.DataFrame(
            [
                {"name": "cusp", "eta_bar": e, "J": j}
                for e, j in [bifurcation.cusp(g, delta)]
            ]
            + (
                [{"name": "takens_bogdanov", "eta_bar": e, "J": j}
                 for e, j in [bifurcation.takens_bogdanov(g, delta)]]
                if g > 0 else []
            )
        ),
    }  # fmt: skip
    for name, table in tables.items():
        with atomic_path(sm.output[name]) as tmp:
            table.to_csv(tmp, index=False, float_format="%.12g")
