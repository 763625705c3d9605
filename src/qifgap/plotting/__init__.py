"""Figures in one consistent publication style, without global side effects.

Importing this package changes neither matplotlib's backend nor its ``rcParams``: the house
style is applied in a context (:func:`style`) around building and saving each figure, and
figures are :class:`matplotlib.figure.Figure` objects made without pyplot, so they work inline
in a notebook. Every ``*_figure`` function returns a Figure built from result objects or tables;
:func:`save` writes it as PDF and PNG with fixed metadata (same data → same bytes), atomically.

By subject: :mod:`.timeseries` (network against mean field over time), :mod:`.bifurcation`
(phase diagrams, branches, portraits, cycles, onset, verification), :mod:`.scaling` (finite-size
and finite-threshold errors), :mod:`.rhythms` (rhythm onset of population models),
:mod:`.style` (style, colours, figure creation, saving).
"""

from .bifurcation import (
    REGION_COLORS,
    VERIFICATION_MARKERS,
    codim2_figure,
    limit_cycles_figure,
    mpr15_bifurcation_figure,
    onset_figure,
    phase_diagrams_figure,
    plot_branch,
    plot_phase_diagram,
    plot_portrait,
    plot_saddle_nodes,
    verification_figure,
)
from .clusters import mp20_populations_figure, two_clusters_figure
from .rhythms import rhythm_curves_figure, rhythm_onset_figure
from .scaling import finite_size_figure
from .style import COLORS, MF, NET, STYLE, figure, panel_label, save, style, styled
from .timeseries import (
    asymmetry_figure,
    comparison_grid,
    hysteresis_figure,
    population_sweep_figure,
    protocol_figure,
)

__all__ = [
    "two_clusters_figure",
    "mp20_populations_figure",
    "rhythm_onset_figure",
    "rhythm_curves_figure",
    "NET",
    "MF",
    "COLORS",
    "STYLE",
    "REGION_COLORS",
    "VERIFICATION_MARKERS",
    "style",
    "styled",
    "figure",
    "save",
    "panel_label",
    "protocol_figure",
    "comparison_grid",
    "population_sweep_figure",
    "hysteresis_figure",
    "asymmetry_figure",
    "plot_saddle_nodes",
    "plot_branch",
    "plot_portrait",
    "plot_phase_diagram",
    "mpr15_bifurcation_figure",
    "phase_diagrams_figure",
    "codim2_figure",
    "limit_cycles_figure",
    "onset_figure",
    "verification_figure",
    "finite_size_figure",
]
