"""Bifurcation analysis of the firing-rate equations (units τ = 1).

Closed-form fixed points, saddle-node, cusp, Hopf and Takens–Bogdanov sets live in
:mod:`qifgap.bifurcation.closed_form`; numerical continuation, one job per module: the numba
field (:mod:`.field`) and Dormand–Prince integrator (:mod:`.integrator`), limit cycles
(:mod:`.cycles`), manifold gaps (:mod:`.gaps`), the homoclinic curve (:mod:`.homoclinic`) and the
SNIC/SNSL scan of the low fold (:mod:`.snic`); (η̄, J) phase diagrams with region labels in
:mod:`qifgap.bifurcation.phase_diagram`.

General continuation for any smooth field, in particular the P-population firing-rate equations
of a :class:`qifgap.populations.Model` with parameters by dotted name (``"g.I.I"``): a
:class:`System` (:mod:`.system`: :func:`from_model`, :func:`from_functions`,
:func:`one_population`), equilibrium branches with folds and Hopf points (:func:`equilibria`),
fold and Hopf curves in two parameters (:func:`fold_curve`, :func:`hopf_curve`), cycle branches
(:func:`cycles`), and the rhythm tables of :mod:`.rhythms` (:func:`rhythm_onset`,
:func:`rhythm_curve`).
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
from .curves import Curve, fold_curve, hopf_curve
from .cycles import limit_cycle, limit_cycles
from .equilibria import EquilibriumBranch, equilibria, first_lyapunov
from .homoclinic import homoclinic_curve
from .periodic import CycleBranch, cycles
from .phase_diagram import PhaseDiagram, codim2_vs_g, fixed_point_counts, phase_diagram
from .rhythms import (
    Rhythm,
    RhythmOnset,
    compare_networks,
    equilibrium_growth,
    measure_rhythm,
    rhythm_curve,
    rhythm_onset,
)
from .snic import snic_scan, snsl
from .system import System, from_functions, from_model, one_population

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
    "System",
    "from_functions",
    "from_model",
    "one_population",
    "equilibria",
    "EquilibriumBranch",
    "first_lyapunov",
    "fold_curve",
    "hopf_curve",
    "Curve",
    "cycles",
    "CycleBranch",
    "RhythmOnset",
    "rhythm_onset",
    "Rhythm",
    "measure_rhythm",
    "equilibrium_growth",
    "compare_networks",
    "rhythm_curve",
]
