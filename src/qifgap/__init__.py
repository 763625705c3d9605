"""qifgap: QIF spiking networks with chemical and electrical synapses and their exact mean field.

Time is measured in units of the membrane time constant τ throughout (τ = 1 by default).
Submodules are imported on first use (``qifgap.network``, ``qifgap.meanfield``,
``qifgap.bifurcation``, …), so that a workflow job loads only what it needs.
"""

import importlib

from ._version import __version__

__all__ = [
    "__version__",
    "analysis",
    "bifurcation",
    "experiments",
    "inputs",
    "meanfield",
    "metrics",
    "model",
    "network",
    "plotting",
    "results",
    "verification",
]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'qifgap' has no attribute {name!r}")
