"""The one table of defaults: model, network and mean-field options (time in units of τ).

Signatures, the command line and :class:`qifgap.populations.Population` read their defaults
from here; ``config/config.yaml``'s ``defaults:`` block is tested equal to it where they overlap.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["MODEL", "NETWORK", "MEANFIELD", "NOISE_SEED"]

#: Seed of the noise streams of a noisy network run given no ``seed`` (recorded in its params).
NOISE_SEED = 0

#: Parameters of one population's model (science.md §1, §2, §6).
MODEL = MappingProxyType(
    {
        "delta": 1.0,  # half-width Δ of the Lorentzian of excitabilities
        "tau": 1.0,  # membrane time constant τ
        "tau_syn": 0.0,  # synaptic time constant τ_s of the population's outgoing synapses
        "kappa": 0.0,  # spike-asymmetry term κ of the keyword mean-field API (MP20)
        "noise": 0.0,  # scale γ of the independent Cauchy white noise of every neuron (§7)
    }
)

#: Options of the spiking network (science.md §1).
NETWORK = MappingProxyType(
    {
        "dt": 1e-4,  # Euler step
        "v_peak": 100.0,  # threshold V_p
        "v_reset": -100.0,  # reset V_r
        "reset": "flight",  # "flight" (refractory flight time) or "instant"
        "heterogeneity": "quantiles",  # Lorentzian quantiles or "random" draws
        "seed": None,  # with noise and seed None the noise stream uses NOISE_SEED
        "v_init": 0.0,  # initial voltage of every neuron
        "rate_bin": 1e-2,  # bin of the binned rate, v and Z
        "raster_neurons": 100,  # neurons whose spikes are recorded
        "threads": 1,
    }
)

#: Options of the mean-field integrator (DOP853).
MEANFIELD = MappingProxyType(
    {
        "rtol": 1e-10,
        "atol": 1e-12,
        "dt_out": 1e-2,  # step of the regular output grid
        "r0": 0.0,  # initial rate
        "v0": 0.0,  # initial mean voltage
    }
)
