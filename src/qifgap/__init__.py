"""qifgap: QIF spiking networks with chemical and electrical synapses and their exact mean field.

Time is measured in units of the membrane time constant τ throughout (τ = 1 by default).
Submodules are imported on first use (``qifgap.network``, ``qifgap.meanfield``,
``qifgap.bifurcation``, …), so that a workflow job loads only what it needs; ``qifgap.Model``
and ``qifgap.Population`` (the model declaration) come from ``qifgap.populations``.
"""

import importlib

from ._version import __version__

__all__ = [
    "__version__",
    "analysis",
    "bifurcation",
    "defaults",
    "experiments",
    "inputs",
    "meanfield",
    "metrics",
    "model",
    "network",
    "plotting",
    "populations",
    "results",
    "verification",
]


_FROM_POPULATIONS = ("Model", "Population")


def __getattr__(name):
    if name in _FROM_POPULATIONS:
        return getattr(importlib.import_module(".populations", __name__), name)
    if name in __all__:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'qifgap' has no attribute {name!r}")
