"""Bifurcation analysis of the firing-rate equations (units τ = 1).

Closed-form fixed points, saddle-node, cusp, Hopf and Takens–Bogdanov sets live in
:mod:`qifgap.bifurcation.closed_form`; numerical continuation (limit cycles, homoclinic curve,
SNSL point) in :mod:`qifgap.bifurcation.continuation`.
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
]
