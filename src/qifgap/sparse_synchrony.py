"""The numbers of "sparse synchrony" (science.md §7): a collective rhythm of the population rate
while each neuron fires irregularly and much more rarely than the rhythm (time in units of τ).

From a network run (with a raster) and the mean field of the same model, over the window
t ≥ t_min:

* ⟨r⟩ of network and mean field, and the rhythm period of each, 1/f with f the frequency of
  the spectral peak of r (:func:`qifgap.metrics.spectral_peak`; the crossings of a noisy
  network's binned rate are unreliable: its shot noise is ~√(r/(N·bin)) per bin);
* the mean single-neuron rate ν = (spikes of the recorded neurons in the window) / (neurons ×
  window), which for a homogeneous population estimates ⟨r⟩, and ν/f, the fraction of
  rhythm cycles in which a neuron fires (sparse: ν/f ≪ 1);
* the coefficient of variation of the inter-spike intervals, CV = std(ISI)/mean(ISI), pooled
  over the recorded neurons (a periodic spike train has CV 0, a Poisson train 1).

Where to look **[derived; checked by simulation]**: with homogeneous neurons ν ≈ ⟨r⟩, so
ν/f ≈ ⟨r⟩ T. Near the Hopf line (§3 with Δ → Δ + γ) this is r_H T_H = 4(Δ + γ)/(g ω_H), about 1
without chemical coupling; far beyond it the rhythm becomes population bursts with ⟨r⟩ T ≈ 0.9.
Sparse firing needs strong inhibition, which raises ω_H: Δ = 0, γ = 1, g = 3, J = −200,
η̄ = 45 (η̄_H = 42.3) gives, N = 4000, window 10–30: ⟨r⟩ 0.2571 (mean field 0.2532), period
0.660 (0.655), ν/f = 0.170 and ISI CV 0.686. Strong inhibition amplifies the network's
finite-size fluctuations near the weakly attracting cycle: ⟨r⟩ is 5–12 % high at N = 2000 and
up to 40 % at N = 500; at N = 10⁴ it scatters with the noise seed by ~2.4 % over 30 τ windows
(up to −4.7 %) and by ~2 % over 90 τ (the default config's run).
"""

from __future__ import annotations

import numpy as np

from . import _validate as val
from .metrics import spectral_peak

__all__ = [
    "interspike_intervals",
    "isi_cv",
    "neuron_isi_cvs",
    "neuron_rates",
    "single_neuron_rate",
    "sparse_synchrony_stats",
]


def _window_spikes(net, t_min: float, t_max: float):
    keep = (net.spike_times >= t_min) & (net.spike_times < t_max)
    return net.spike_times[keep], net.spike_ids[keep]


def _t_max(net, t_max):
    """The end of the window: t_max, or the end of the run (last bin centre + half a bin)."""
    return float(net.t[-1] + (net.t[1] - net.t[0]) / 2) if t_max is None else float(t_max)


def interspike_intervals(net, *, t_min: float, t_max: float | None = None):
    """(intervals, neuron ids): the inter-spike intervals of the recorded neurons between
    consecutive spikes of the same neuron, both in [t_min, t_max), neuron by neuron."""
    times, ids = _window_spikes(net, t_min, np.inf if t_max is None else float(t_max))
    order = np.lexsort((times, ids))
    times, ids = times[order], ids[order]
    same = ids[1:] == ids[:-1]
    return np.diff(times)[same], ids[1:][same]


def single_neuron_rate(net, *, t_min: float, t_max: float | None = None) -> float:
    """ν = spikes of the recorded neurons in [t_min, t_max) / (recorded neurons × (t_max −
    t_min)); t_max defaults to the end of the run."""
    t_max = _t_max(net, t_max)
    n = net.raster_neurons.size
    if n == 0:
        raise ValueError("net has no recorded neurons (raster_neurons): no single-neuron rate")
    times, _ = _window_spikes(net, t_min, t_max)
    return times.size / (n * (t_max - t_min))


def neuron_rates(net, *, t_min: float, t_max: float | None = None) -> np.ndarray:
    """ν_k = spikes of recorded neuron k in [t_min, t_max) / (t_max − t_min), one per recorded
    neuron (silent ones 0), in the order of ``net.raster_neurons``; their mean is
    :func:`single_neuron_rate`."""
    t_max = _t_max(net, t_max)
    _, ids = _window_spikes(net, t_min, t_max)
    recorded = np.asarray(net.raster_neurons)
    counts = np.bincount(np.searchsorted(recorded, ids), minlength=recorded.size)
    return counts[: recorded.size] / (t_max - t_min)


def neuron_isi_cvs(net, *, t_min: float, t_max: float | None = None, min_intervals: int = 3):
    """CV = std/mean of each recorded neuron's own inter-spike intervals in [t_min, t_max), for
    the neurons with at least ``min_intervals`` intervals (the others are left out)."""
    isi, ids = interspike_intervals(net, t_min=t_min, t_max=t_max)
    cvs = [
        np.std(isi[ids == k]) / np.mean(isi[ids == k])
        for k in np.unique(ids)
        if np.count_nonzero(ids == k) >= min_intervals
    ]
    return np.asarray(cvs, dtype=float)


def isi_cv(net, *, t_min: float, t_max: float | None = None) -> float:
    """CV = std/mean of the inter-spike intervals of the recorded neurons in [t_min, t_max),
    pooled over neurons (intervals between consecutive spikes of the same neuron); NaN if fewer
    than two intervals."""
    isi, _ = interspike_intervals(net, t_min=t_min, t_max=t_max)
    if isi.size < 2:
        return float("nan")
    return float(np.std(isi) / np.mean(isi))


def sparse_synchrony_stats(net, mf, *, t_min: float, population: str | None = None) -> dict:
    """The numbers of a sparse-synchrony figure for ``net`` (a network run with a raster) and
    ``mf`` (the mean field of the same model), over t ≥ t_min (module docstring).

    ``population``: the population of a multi-population run (None for one population).
    Returns a dict: r_net, r_mf (time averages), period_net, period_mf, frequency_net (1 /
    period_net), rhythm_share (the spectral peak's share of the power of the network's r: ~0
    without a rhythm), neuron_rate (ν), rate_per_cycle (ν / frequency_net), isi_cv, n_neurons.
    """
    t_min = val.finite("t_min", t_min)
    if population is not None:
        net, mf = net.population(population), mf.population(population)
    keep_net, keep_mf = net.t >= t_min, mf.t >= t_min
    if keep_net.sum() < 2 or keep_mf.sum() < 2:
        raise ValueError(f"t_min ({t_min}) leaves fewer than two samples of net or mf")
    f_net, share = spectral_peak(net.t[keep_net], net.r[keep_net])
    f_mf, _ = spectral_peak(mf.t[keep_mf], mf.r[keep_mf])
    period_net, period_mf = 1.0 / f_net, 1.0 / f_mf
    nu = single_neuron_rate(net, t_min=t_min)
    return {
        "r_net": float(np.mean(net.r[keep_net])),
        "r_mf": float(np.mean(mf.r[keep_mf])),
        "period_net": period_net,
        "period_mf": period_mf,
        "frequency_net": f_net,
        "rhythm_share": share,
        "neuron_rate": nu,
        "rate_per_cycle": nu * period_net,
        "isi_cv": isi_cv(net, t_min=t_min),
        "n_neurons": int(net.raster_neurons.size),
    }
