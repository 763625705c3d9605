"""qifgap: QIF spiking networks with chemical and electrical synapses and their exact mean field.

Time is measured in units of the membrane time constant τ throughout (τ = 1 by default).
"""

from . import bifurcation, inputs, meanfield, model
from ._version import __version__

__all__ = ["__version__", "bifurcation", "inputs", "meanfield", "model"]
