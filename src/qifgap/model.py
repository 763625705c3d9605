"""The exact firing-rate equations of QIF networks with chemical and electrical synapses.

Pietras et al. (PRE 2019), which contain Montbrió, Pazó & Roxin (PRX 2015) at g = 0, with the
spike-asymmetry term of Montbrió & Pazó (PRL 2020)::

    τ dr/dt = Δ/(π τ) + r (2 v − g)
    τ dv/dt = v² + η̄ + I(t) + (J + g κ) τ r − (π τ r)²

r is the population rate (spikes per neuron per unit time), v the mean membrane potential, η̄
and Δ the centre and half-width of the Lorentzian of excitabilities, J the chemical and g the
electrical (gap-junction) coupling, κ = ln(V_p/|V_r|) the asymmetry of the spike. Time is
measured in units of the membrane time constant τ throughout the package; every function that
takes ``tau`` uses it only to convert. The Kuramoto order parameter follows from the conformal
map Z = (1 − W̄)/(1 + W̄), W = π τ r + i v.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["rhs", "jacobian", "kuramoto_from_rv", "spike_asymmetry"]


def rhs(r, v, *, eta_bar, delta, J, g, tau=1.0, I=0.0, kappa=0.0):
    """Right-hand side (dr/dt, dv/dt) of the firing-rate equations (works on arrays)."""
    dr = (delta / (math.pi * tau) + r * (2.0 * v - g)) / tau
    dv = (v * v + eta_bar + I + (J + g * kappa) * tau * r - (math.pi * tau * r) ** 2) / tau
    return dr, dv


def jacobian(r, v, *, J, g, tau=1.0, kappa=0.0):
    """Jacobian ∂(ṙ, v̇)/∂(r, v) of :func:`rhs`."""
    return np.array(
        [
            [(2.0 * v - g) / tau, 2.0 * r / tau],
            [(J + g * kappa) - 2.0 * math.pi**2 * tau * r, 2.0 * v / tau],
        ]
    )


def kuramoto_from_rv(r, v, *, tau=1.0):
    """Kuramoto order parameter Z = (1 − W̄)/(1 + W̄) with W = π τ r + i v (conformal map)."""
    w_conj = math.pi * tau * np.asarray(r) - 1j * np.asarray(v)
    return (1.0 - w_conj) / (1.0 + w_conj)


def spike_asymmetry(v_peak: float, v_reset: float) -> float:
    """κ = ln(V_p/|V_r|), the virtual chemical coupling per unit g of asymmetric spikes (MP20)."""
    if not v_peak > 0:
        raise ValueError(f"v_peak must be > 0, got {v_peak!r}")
    if not v_reset < 0:
        raise ValueError(f"v_reset must be < 0, got {v_reset!r}")
    return math.log(v_peak / abs(v_reset))
