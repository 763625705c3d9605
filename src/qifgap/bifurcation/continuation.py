"""Numerical continuation of the firing-rate equations (units τ = 1), by job:

* :mod:`~qifgap.bifurcation.field`: the planar equations as numba kernels;
* :mod:`~qifgap.bifurcation.integrator`: the Dormand–Prince 5(4) integrator with section stops;
* :mod:`~qifgap.bifurcation.cycles`: limit cycles (return map on Σ) and their continuation in η̄;
* :mod:`~qifgap.bifurcation.gaps`: manifold gaps of saddles and saddle-nodes on Σ;
* :mod:`~qifgap.bifurcation.homoclinic`: the homoclinic curve from TB (or from a SNSL point);
* :mod:`~qifgap.bifurcation.snic`: the SNIC part of the low fold and its SNSL end point.

This module only gathers their public functions under the name they have always had.
"""

from .cycles import limit_cycle, limit_cycles
from .homoclinic import homoclinic_curve
from .snic import snic_scan, snsl

__all__ = ["limit_cycle", "limit_cycles", "homoclinic_curve", "snic_scan", "snsl"]
