"""The one table of defaults: model, network and mean-field options (time in units of τ).

Signatures, the command line and :class:`qifgap.populations.Population` read their defaults
from here; ``config/config.yaml``'s ``defaults:`` block and the defaults of
``config/schema.yaml`` (sections ``verification``, ``rhythms.<name>.verification``) are tested
equal to it where they overlap.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = [
    "MODEL",
    "NETWORK",
    "MEANFIELD",
    "NOISE_SEED",
    "VERIFICATION",
    "RHYTHM_VERIFICATION",
    "RHYTHM_ONSET",
    "CLUSTERS",
]

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

#: Spiking verification of the one-population phase diagram (config ``verification``;
#: :func:`qifgap.verification.verify_points`, :func:`qifgap.verification.compare_classes`).
VERIFICATION = MappingProxyType(
    {
        "N": 10_000,  # neurons of each network run
        "hold": 12.0,  # τ of the run from each attractor (its second half is classified)
        "dt": NETWORK["dt"],  # Euler step of the network runs
        "chunk": 16,  # grid points per workflow job
        "band": 0.75,  # points this close to a bifurcation curve (Δ, √Δ) are not scored
        "coexistence_band": 0.25,  # coexistence points this close to a curve are not scored apart
        "osc_threshold": 0.3,  # a run oscillates if the amplitude of v (2√2 std) exceeds it
    }
)

#: Spiking verification of a rhythm's Hopf curves (config ``rhythms.<name>.verification``;
#: :func:`qifgap.verification.verify_model_points`, ``meanfield_model_starts``,
#: ``compare_model_classes``).
RHYTHM_VERIFICATION = MappingProxyType(
    {
        "n": 6,  # grid points per axis of the (parameter, key) window
        "N": 2000,  # neurons per population
        "hold": 20.0,  # τ of each run (the second half is classified)
        "dt": NETWORK["dt"],  # Euler step of the network runs
        "chunk": 6,  # grid points per workflow job
        "threshold": 0.1,  # a run oscillates if a population's rate amplitude (2√2 std) exceeds it
        "smoothing": 0.2,  # τ: boxcar over which the rates are averaged before their amplitude
        "kick": 0.1,  # relative rate kick of the mean-field protocol runs
        "band": 0.1,  # points closer to the Hopf curve (fraction of the window) are not scored
    }
)

#: Continuation of a rhythm onset (:func:`qifgap.bifurcation.rhythm_onset`, ``rhythm_curve``).
RHYTHM_ONSET = MappingProxyType(
    {
        "ds_max": 0.05,  # largest arclength step of the equilibrium branch (and Hopf curve / 4)
        "cycle_amplitude": 1e-3,  # the first cycle's distance from the Hopf equilibrium
        "cycle_ds_max": 0.2,  # largest arclength step of the cycle branch
        "max_cycles": 300,  # cycles continued from each Hopf point at most
        "curve_max_points": 2000,  # points of a Hopf curve at most
    }
)

#: Coexistence of an asynchronous and a synchronous state (config ``clusters``;
#: :func:`qifgap.bifurcation.bistability.coexistence`, ``rhythm_class``, ``pulse_classes``).
CLUSTERS = MappingProxyType(
    {
        "ds_max": 0.05,  # largest arclength step of the equilibrium branch
        "cycle_amplitude": 1e-2,  # the first cycle's distance from the Hopf equilibrium
        "cycle_ds_max": 0.5,  # largest arclength step of the cycle branch
        "max_cycles": 200,  # cycles continued from each Hopf point at most
        "smooth": 0.1,  # τ: moving average of the rate before its std is compared with threshold
    }
)
