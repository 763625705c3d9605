"""Bifurcation analysis of the firing-rate equations (units τ = 1).

Closed-form fixed points, saddle-node, cusp, Hopf and Takens–Bogdanov sets live in
:mod:`qifgap.bifurcation.closed_form`; numerical continuation, one job per module: the numba
field (:mod:`.field`) and Dormand–Prince integrator (:mod:`.integrator`), limit cycles
(:mod:`.cycles`), manifold gaps (:mod:`.gaps`), the homoclinic curve (:mod:`.homoclinic`) and the
SNIC/SNSL scan of the low fold (:mod:`.snic`); (η̄, J) phase diagrams with region labels in
:mod:`qifgap.bifurcation.phase_diagram`.
"""

from .closed_form import (
    FixedPoint,
    classify,
    cusp,
    eta_of_rate,
    fixed_point_branch,
    fixed_points,
    hopf_eta,
    hopf_frequency,
    hopf_line,
    saddle_node_curve,
    saddle_node_etas,
    takens_bogdanov,
)
from .cycles import limit_cycle, limit_cycles
from .homoclinic import homoclinic_curve
from .phase_diagram import PhaseDiagram, codim2_vs_g, fixed_point_counts, phase_diagram
from .snic import snic_scan, snsl

__all__ = [
    "FixedPoint",
    "classify",
    "cusp",
    "eta_of_rate",
    "fixed_point_branch",
    "fixed_points",
    "hopf_eta",
    "hopf_frequency",
    "hopf_line",
    "saddle_node_curve",
    "saddle_node_etas",
    "takens_bogdanov",
    "limit_cycle",
    "limit_cycles",
    "homoclinic_curve",
    "snic_scan",
    "snsl",
    "PhaseDiagram",
    "phase_diagram",
    "codim2_vs_g",
    "fixed_point_counts",
]
