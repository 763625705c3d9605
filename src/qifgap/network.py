"""Simulation of N all-to-all coupled QIF neurons with chemical and electrical synapses.

    τ dV_j/dt = V_j² + η_j + g (v(t) − V_j) + J τ r(t) + I(t),      j = 1 … N

with η_j Lorentzian (centre η̄, half-width Δ), r the population rate and v the mean membrane
potential of the integrating neurons. Forward Euler with step dt; a neuron reaching V_p is held
for the flight time τ/V_p + τ/|V_r| to +∞ and back from −∞, emits its spike τ/V_p after the
crossing and restarts from V_r (``reset="flight"``, science.md §1), or is reset at once
(``reset="instant"``). Time is in units of τ.

Outputs are binned: r is the spike count per bin over N × rate_bin, v the mean over the steps
of a bin, Z the Kuramoto order parameter sampled in the middle of each bin; their times are the
bin centres. Memory is O(N + number of bins).
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass

import numba
import numpy as np

from . import _validate as val
from . import kernels
from ._version import __version__
from .inputs import Current, as_current
from .results import NetworkResult

__all__ = [
    "simulate",
    "check_parameters",
    "bin_centres",
    "lorentzian_excitabilities",
    "SimulationDiverged",
    "NetworkSetup",
]

_NEURON_STEPS_PER_BLOCK = 2e7  # work per kernel call: the Python overhead stays negligible
_SPIKE_BUFFER = 1 << 16


class SimulationDiverged(FloatingPointError):
    """The network state became non-finite or exploded (usually: dt too large)."""


def lorentzian_excitabilities(
    *, N: int, eta_bar: float, delta: float, heterogeneity: str = "quantiles", seed=None
) -> np.ndarray:
    """Excitabilities η_j from a Lorentzian with centre η̄ and half-width Δ.

    ``"quantiles"``: η_j = η̄ + Δ tan[(π/2)(2j − N − 1)/(N + 1)], j = 1 … N (deterministic);
    ``"random"``: independent Cauchy draws from ``numpy.random.default_rng(seed)``.
    """
    N = val.positive_int("N", N)
    val.choice("heterogeneity", heterogeneity, {"quantiles", "random"})
    if heterogeneity == "quantiles":
        j = np.arange(1, N + 1)
        return eta_bar + delta * np.tan(0.5 * np.pi * (2 * j - N - 1) / (N + 1))
    if seed is None:
        raise ValueError(
            "seed is required with heterogeneity='random' (results must be reproducible)"
        )
    rng = np.random.default_rng(seed)
    return eta_bar + delta * rng.standard_cauchy(N)


def _raster_indices(raster_neurons, N: int) -> np.ndarray:
    if raster_neurons is None:
        return np.empty(0, dtype=np.int64)
    if np.ndim(raster_neurons) == 0:
        n = int(raster_neurons)
        if n < 0 or n != raster_neurons:
            raise ValueError(
                f"raster_neurons must be a count >= 0 or indices, got {raster_neurons!r}"
            )
        n = min(n, N)
        # evenly spread over the population, which is ordered by excitability for quantiles
        return (
            np.unique(np.round(np.linspace(0, N - 1, n)).astype(np.int64))
            if n
            else np.empty(0, np.int64)
        )
    idx = np.unique(np.asarray(raster_neurons, dtype=np.int64))
    if idx.size and (idx[0] < 0 or idx[-1] >= N):
        raise ValueError(f"raster_neurons must be indices in [0, {N - 1}]")
    return idx


def _steps(duration: float, dt: float) -> int:
    """Number of Euler steps closest to ``duration``."""
    return int(round(duration / dt))


@dataclass(frozen=True)
class NetworkSetup:
    """Validated parameters of a network run and the step counts derived from them."""

    N: int
    eta_bar: float
    delta: float
    J: float
    g: float
    t_start: float
    t_end: float
    dt: float
    tau: float
    v_peak: float
    v_reset: float
    current: Current
    heterogeneity: str
    seed: int | None
    v_init: np.ndarray | float
    reset: str
    rate_bin: float
    raster: np.ndarray
    threads: int
    steps_per_bin: int
    n_bins: int
    n_emit: int
    n_ref: int

    @property
    def t(self) -> np.ndarray:
        """Output times: the bin centres."""
        return bin_centres(t_start=self.t_start, n_bins=self.n_bins, rate_bin=self.rate_bin)


def bin_centres(*, t_start: float, n_bins: int, rate_bin: float) -> np.ndarray:
    """t_start + (k + ½) rate_bin, k = 0 … n_bins − 1: the time base of the network outputs."""
    return t_start + (np.arange(n_bins) + 0.5) * rate_bin


def check_parameters(
    *,
    N,
    eta_bar,
    delta,
    J,
    g,
    t_end,
    t_start=0.0,
    dt=1e-4,
    tau=1.0,
    v_peak=100.0,
    v_reset=-100.0,
    current=None,
    heterogeneity="quantiles",
    seed=None,
    v_init=0.0,
    reset="flight",
    rate_bin=1e-2,
    raster_neurons=100,
    threads=1,
) -> NetworkSetup:
    """Validate the arguments of :func:`simulate` (ValueError naming the parameter) before any
    work, and derive the step counts of the scheme."""
    N = val.positive_int("N", N)
    eta_bar, delta, J, g, tau = val.model(eta_bar=eta_bar, delta=delta, J=J, g=g, tau=tau)
    t_start, t_end = val.interval(t_start, t_end)
    dt = val.positive("dt", dt)
    v_peak = val.positive("v_peak", v_peak)
    v_reset = val.finite("v_reset", v_reset)
    if v_reset >= 0:
        raise ValueError(f"v_reset must be < 0, got {v_reset!r}")
    if v_peak > 1e6 or v_reset < -1e6:
        raise ValueError("v_peak and |v_reset| must be <= 1e6")
    val.choice("reset", reset, {"flight", "instant"})
    val.choice("heterogeneity", heterogeneity, {"quantiles", "random"})
    if heterogeneity == "random" and seed is None:
        raise ValueError(
            "seed is required with heterogeneity='random' (results must be reproducible)"
        )
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0
    ):
        raise ValueError(f"seed must be a whole number >= 0 or None, got {seed!r}")
    rate_bin = val.positive("rate_bin", rate_bin)
    threads = val.positive_int("threads", threads)
    if threads > numba.config.NUMBA_NUM_THREADS:
        raise ValueError(
            f"threads must be <= {numba.config.NUMBA_NUM_THREADS} (numba's maximum here), "
            f"got {threads}"
        )
    for name, window in (("v_peak", tau / v_peak), ("v_reset", tau / abs(v_reset))):
        if window < 2 * dt:
            raise ValueError(
                f"dt ({dt}) must be well below the refractory time: tau/|{name}| = {window:.3g} "
                f"must be at least 2 dt (use dt <= {window / 10:.3g})"
            )
    if g * dt / tau >= 0.5:
        raise ValueError(f"g*dt/tau must be < 0.5 for a stable Euler step, got {g * dt / tau:.3g}")
    steps_per_bin = _steps(rate_bin, dt)
    if steps_per_bin < 1 or abs(steps_per_bin * dt - rate_bin) > 1e-9 * rate_bin:
        raise ValueError(f"rate_bin ({rate_bin}) must be a whole multiple of dt ({dt})")
    n_bins = int(round((t_end - t_start) / rate_bin))
    if n_bins < 1:
        raise ValueError(
            f"t_end - t_start ({t_end - t_start}) must be at least rate_bin ({rate_bin})"
        )
    if np.ndim(v_init) == 0:
        v0 = val.finite("v_init", v_init)
        bad = v0 >= v_peak
    else:
        v0 = np.array(v_init, dtype=float)
        if v0.shape != (N,):
            raise ValueError(f"v_init must be a number or an array of N = {N} voltages")
        bad = not np.all(np.isfinite(v0)) or np.any(v0 >= v_peak)
    if bad:
        raise ValueError("v_init must be finite and below v_peak")
    n_emit = max(1, _steps(tau / v_peak, dt))
    return NetworkSetup(
        N=N, eta_bar=eta_bar, delta=delta, J=J, g=g, t_start=t_start, t_end=t_end, dt=dt,
        tau=tau, v_peak=v_peak, v_reset=v_reset, current=as_current(current),
        heterogeneity=heterogeneity, seed=None if seed is None else int(seed), v_init=v0,
        reset=reset, rate_bin=rate_bin, raster=_raster_indices(raster_neurons, N),
        threads=threads, steps_per_bin=steps_per_bin, n_bins=n_bins, n_emit=n_emit,
        n_ref=max(n_emit + 1, _steps(tau / v_peak + tau / abs(v_reset), dt)),
    )  # fmt: skip


def simulate(
    *,
    N: int,
    eta_bar: float,
    delta: float,
    J: float,
    g: float,
    t_end: float,
    t_start: float = 0.0,
    dt: float = 1e-4,
    tau: float = 1.0,
    v_peak: float = 100.0,
    v_reset: float = -100.0,
    current=None,
    heterogeneity: str = "quantiles",
    seed=None,
    v_init=0.0,
    reset: str = "flight",
    rate_bin: float = 1e-2,
    raster_neurons=100,
    threads: int = 1,
    progress: bool = False,
) -> NetworkResult:
    """Simulate the QIF network on [t_start, t_end] and return binned r, v, Z and spikes.

    ``current`` is None, a number, a dict spec or a :mod:`qifgap.inputs` current.
    ``v_init`` is a number or an array of N initial voltages. ``raster_neurons`` is the number of
    neurons (evenly spread over the population) whose spikes are recorded, or their indices.
    ``threads`` sets numba's thread count for this call; the numbers do not depend on it.
    The simulated time is rounded to a whole number of bins of ``rate_bin``.
    """
    setup = check_parameters(
        N=N, eta_bar=eta_bar, delta=delta, J=J, g=g, t_end=t_end, t_start=t_start, dt=dt,
        tau=tau, v_peak=v_peak, v_reset=v_reset, current=current, heterogeneity=heterogeneity,
        seed=seed, v_init=v_init, reset=reset, rate_bin=rate_bin, raster_neurons=raster_neurons,
        threads=threads,
    )  # fmt: skip
    return _run(setup, progress=progress)


def _run(p: NetworkSetup, *, progress: bool) -> NetworkResult:
    N, dt, tau, t_start = p.N, p.dt, p.tau, p.t_start
    steps_per_bin, n_bins, n_ref, n_emit = p.steps_per_bin, p.n_bins, p.n_ref, p.n_emit
    eta = lorentzian_excitabilities(
        N=N, eta_bar=p.eta_bar, delta=p.delta, heterogeneity=p.heterogeneity, seed=p.seed
    )
    x = np.empty(N)
    x[:] = p.v_init
    instant = p.reset == "instant"
    current, raster = p.current, p.raster
    bins_per_block = max(1, int(_NEURON_STEPS_PER_BLOCK / (N * steps_per_bin)))
    state = np.array([float(np.mean(x)), 0.0, 0.0])
    history = np.zeros(n_ref)
    r_bins = np.zeros(n_bins)
    v_bins = np.zeros(n_bins)
    z_bins = np.zeros(n_bins, dtype=np.complex128)
    rec_step = np.empty(_SPIKE_BUFFER, dtype=np.int64)
    rec_id = np.empty(_SPIKE_BUFFER, dtype=np.int64)
    spike_steps, spike_ids = [], []
    z_offset = max(steps_per_bin // 2 - 1, 0)

    previous_threads = kernels.set_threads(p.threads)
    started = time.perf_counter()
    try:
        for b0 in range(0, n_bins, bins_per_block):
            b1 = min(b0 + bins_per_block, n_bins)
            step0 = b0 * steps_per_bin
            n_steps = (b1 - b0) * steps_per_bin
            I_block = current(t_start + (step0 + np.arange(n_steps)) * dt)
            s = 0
            while s < n_steps:
                status, s, n_rec = kernels.run_block(
                    x, eta, I_block, s, n_steps, steps_per_bin, z_offset, dt, tau, p.J, p.g,
                    p.v_peak, p.v_reset, n_ref, n_emit, instant, state, history,
                    r_bins[b0:b1], v_bins[b0:b1], z_bins[b0:b1],
                    raster, rec_step, rec_id, 0, step0,
                )  # fmt: skip
                spike_steps.append(rec_step[:n_rec].copy())
                spike_ids.append(rec_id[:n_rec].copy())
                if status == kernels.BLOWUP:
                    step = step0 + s - 1
                    t_fail = t_start + (step + 1) * dt
                    raise SimulationDiverged(
                        f"network state diverged at step {step} (t = {t_fail:.6g}): mean voltage"
                        f" {float(state[0]):.6g}, input current I = {float(I_block[s - 1]):.6g}."
                        f" Likely cause: dt = {dt} too large, or an input too strong, for these"
                        f" parameters (eta_bar={p.eta_bar}, delta={p.delta}, J={p.J}, g={p.g})"
                    )
            if progress:
                _report_progress(b1 / n_bins, time.perf_counter() - started)
    finally:
        kernels.set_threads(previous_threads)
    if progress:
        sys.stderr.write("\n")

    steps = np.concatenate(spike_steps) if spike_steps else np.empty(0, np.int64)
    ids = np.concatenate(spike_ids) if spike_ids else np.empty(0, np.int64)
    params = {
        "model": "network",
        **{
            k: getattr(p, k)
            for k in ("N", "eta_bar", "delta", "J", "g", "tau", "t_start", "dt", "v_peak",
                      "v_reset", "reset", "heterogeneity", "seed", "rate_bin")
        },
        "t_end": t_start + n_bins * p.rate_bin,
        "refractory_steps": 0 if instant else n_ref,
        "emission_steps": 0 if instant else n_emit,
        "v_init": float(p.v_init) if np.ndim(p.v_init) == 0 else "array",
        "current": current.to_dict(),
        "qifgap_version": __version__,
    }  # fmt: skip
    return NetworkResult(
        t=p.t,
        r=r_bins / (N * p.rate_bin),
        v=v_bins / steps_per_bin,
        Z=z_bins,
        params=params,
        spike_times=t_start + (steps + 1) * dt,
        spike_ids=ids,
        raster_neurons=raster,
    )


def _report_progress(fraction: float, elapsed: float) -> None:
    remaining = elapsed * (1 - fraction) / fraction if fraction > 0 else math.inf
    sys.stderr.write(
        f"\rqifgap network: {100 * fraction:5.1f} %  elapsed {elapsed:7.1f} s  "
        f"remaining ~{remaining:7.1f} s"
    )
    sys.stderr.flush()
