"""Figures in one consistent publication style, without global side effects.

Importing this package changes neither matplotlib's backend nor its ``rcParams``: the house
style is applied in a context (:func:`style`) around building and saving each figure, and
figures are :class:`matplotlib.figure.Figure` objects made without pyplot, so they work inline
in a notebook. Every ``*_figure`` function returns a Figure built from result objects or tables;
:func:`save` writes it as PDF and PNG with fixed metadata (same data → same bytes), atomically.

By subject: :mod:`.timeseries` (network against mean field over time), :mod:`.bifurcation`
(phase diagrams, branches, portraits, cycles, onset, verification), :mod:`.scaling` (finite-size
and finite-threshold errors), :mod:`.rhythms` (rhythm onset of population models),
:mod:`.sparse_synchrony` (noisy identical neurons, science.md §7), :mod:`.style` (style,
colours, figure creation, saving).
"""

from importlib import import_module

from .bifurcation import *  # noqa: F403
from .clusters import *  # noqa: F403
from .rhythms import *  # noqa: F403
from .scaling import *  # noqa: F403
from .sparse_synchrony import *  # noqa: F403
from .style import *  # noqa: F403  (binds the name ``style`` to the context, not the module)
from .timeseries import *  # noqa: F403

# the public names are the submodules' own lists, each written once there
__all__ = [
    name
    for module in (
        "style",
        "timeseries",
        "bifurcation",
        "scaling",
        "rhythms",
        "sparse_synchrony",
        "clusters",
    )
    for name in import_module(f".{module}", __name__).__all__
]
