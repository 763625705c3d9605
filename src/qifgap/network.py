"""Simulation of P populations of all-to-all coupled QIF neurons with chemical and electrical
synapses (science.md §1, §6; time in units of τ).

Neuron i of population a (N_a neurons) integrates

    τ_a dV_i/dt = V_i² + η_i + I_a(t) + τ_a Σ_b J_ab s_b(t) + Σ_b g_ab (v_b(t) − V_i)

with η_i Lorentzian (centre η̄_a, half-width Δ_a), v_b the mean membrane potential of the
integrating neurons of b, and s_b = r_b (τ_s,b = 0: each spike of b kicks a by J_ab/N_b) or
τ_s,b ds_b/dt = −s_b + r_b. Forward Euler with step dt; a neuron reaching V_p,a is held for the
flight time τ_a/V_p,a + τ_a/|V_r,a| to +∞ and back from −∞, emits its spike τ_a/V_p,a after the
crossing and restarts from V_r,a (``reset="flight"``), or is reset at once (``reset="instant"``).
With noise γ_a > 0 every integrating neuron of a also gets γ_a (dt/τ_a) ξ per step, ξ standard
Cauchy from the counter-based generator :mod:`qifgap.noise` (stream a, the neuron's index within
a, the global step; key from ``seed``, or :data:`qifgap.defaults.NOISE_SEED` if None): the
numbers are the same for any thread count and follow from the recorded parameters.

Two ways in: ``simulate(model=m, ...)`` with a :class:`qifgap.populations.Model`, or the keyword
API of one population ``simulate(N=..., eta_bar=..., delta=..., J=..., g=..., ...)``, which is
the P = 1 case of the same kernel and returns 1-D arrays.

Outputs are binned: r is the spike count per bin over N_a × rate_bin, v the mean over the steps
of a bin, Z the Kuramoto order parameter sampled in the middle of each bin; their times are the
bin centres. Memory is O(N + number of bins).
"""

from __future__ import annotations

import math
import sys
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import _validate as val
from ._version import __version__
from .defaults import MODEL, NETWORK, NOISE_SEED
from .inputs import Current, as_current
from .populations import Model
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
# Cauchy kicks below about −τ/dt make Euler jump across −∞ past V_p: spurious spikes at the rate
# ε = γ dt/(π τ) per neuron and unit τ. Warn above the first, refuse above the second.
_SPURIOUS_RATE_WARN = 1e-3
_SPURIOUS_RATE_MAX = 1e-2


class SimulationDiverged(FloatingPointError):
    """The network state became non-finite or exploded (usually: dt too large)."""


def lorentzian_excitabilities(
    *,
    N: int,
    eta_bar: float,
    delta: float,
    heterogeneity: str = NETWORK["heterogeneity"],
    seed=NETWORK["seed"],
) -> np.ndarray:
    """Excitabilities η_j from a Lorentzian with centre η̄ and half-width Δ.

    ``"quantiles"``: η_j = η̄ + Δ tan[(π/2)(2j − N − 1)/(N + 1)], j = 1 … N (deterministic);
    ``"random"``: independent Cauchy draws from ``numpy.random.default_rng(seed)``.
    """
    N = val.positive_int("N", N)
    val.choice("heterogeneity", heterogeneity, {"quantiles", "random"})
    if heterogeneity == "random" and seed is None:
        raise ValueError(
            "seed is required with heterogeneity='random' (results must be reproducible)"
        )
    rng = None if heterogeneity == "quantiles" else np.random.default_rng(seed)
    return _lorentzian(N, eta_bar, delta, rng)


def _lorentzian(N: int, eta_bar: float, delta: float, rng) -> np.ndarray:
    """Quantiles (rng None) or N Cauchy draws from ``rng``, centre η̄, half-width Δ."""
    if rng is None:
        j = np.arange(1, N + 1)
        return eta_bar + delta * np.tan(0.5 * np.pi * (2 * j - N - 1) / (N + 1))
    return eta_bar + delta * rng.standard_cauchy(N)


def _raster_indices(raster_neurons, sizes: np.ndarray) -> np.ndarray:
    """Global indices of the recorded neurons: a count per population (evenly spread over each
    population, which is ordered by excitability for quantiles) or explicit global indices."""
    N = int(sizes.sum())
    if raster_neurons is None:
        return np.empty(0, dtype=np.int64)
    if np.ndim(raster_neurons) == 0:
        n = int(raster_neurons)
        if n < 0 or n != raster_neurons:
            raise ValueError(
                f"raster_neurons must be a count >= 0 or indices, got {raster_neurons!r}"
            )
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        parts = [
            offset + np.unique(np.round(np.linspace(0, size - 1, min(n, size))).astype(np.int64))
            for offset, size in zip(offsets[:-1], sizes, strict=True)
            if n
        ]
        return np.concatenate(parts) if parts else np.empty(0, np.int64)
    idx = np.unique(np.asarray(raster_neurons, dtype=np.int64))
    if idx.size and (idx[0] < 0 or idx[-1] >= N):
        raise ValueError(f"raster_neurons must be indices in [0, {N - 1}]")
    return idx


def _steps(duration: float, dt: float) -> int:
    """Number of Euler steps closest to ``duration``."""
    return int(round(duration / dt))


@dataclass(frozen=True)
class NetworkSetup:
    """Validated parameters of a network run and the step counts derived from them.

    ``sizes``, ``n_emit`` and ``n_ref`` are per population (model order); ``currents`` and
    ``v_init`` hold one entry per population. ``keyword`` marks the one-population keyword API.
    """

    model: Model
    sizes: np.ndarray
    t_start: float
    t_end: float
    dt: float
    currents: tuple[Current, ...]
    heterogeneity: str
    seed: int | None
    v_init: tuple
    reset: str
    rate_bin: float
    raster: np.ndarray
    threads: int
    steps_per_bin: int
    n_bins: int
    n_emit: np.ndarray
    n_ref: np.ndarray
    keyword: bool
    noise_seed: int | None = None  # seed of the noise streams; None: no population has noise
    s_init: tuple | None = None  # initial synaptic trace s_a per population; None: all 0

    @property
    def N(self) -> int:
        """Number of neurons of all populations."""
        return int(self.sizes.sum())

    @property
    def offsets(self) -> np.ndarray:
        """Population k owns the global neuron indices offsets[k] … offsets[k + 1] − 1."""
        return np.concatenate([[0], np.cumsum(self.sizes)]).astype(np.int64)

    @property
    def t(self) -> np.ndarray:
        """Output times: the bin centres."""
        return bin_centres(t_start=self.t_start, n_bins=self.n_bins, rate_bin=self.rate_bin)


def bin_centres(*, t_start: float, n_bins: int, rate_bin: float) -> np.ndarray:
    """t_start + (k + ½) rate_bin, k = 0 … n_bins − 1: the time base of the network outputs."""
    return t_start + (np.arange(n_bins) + 0.5) * rate_bin


def check_parameters(
    *,
    t_end,
    model=None,
    N=None,
    eta_bar=None,
    delta=None,
    J=None,
    g=None,
    tau=None,
    v_peak=None,
    v_reset=None,
    noise=None,
    t_start=0.0,
    dt=NETWORK["dt"],
    current=None,
    heterogeneity=NETWORK["heterogeneity"],
    seed=NETWORK["seed"],
    v_init=NETWORK["v_init"],
    reset=NETWORK["reset"],
    rate_bin=NETWORK["rate_bin"],
    raster_neurons=NETWORK["raster_neurons"],
    threads=NETWORK["threads"],
    s_init=None,
) -> NetworkSetup:
    """Validate the arguments of :func:`simulate` (ValueError naming the parameter) before any
    work, and derive the step counts of the scheme.

    Either ``model`` (a :class:`~qifgap.populations.Model` whose populations all have N) or the
    one-population keywords N, eta_bar, delta, J, g (and optionally tau, v_peak, v_reset, noise,
    whose defaults are those of :mod:`qifgap.defaults`). Errors about a population of a model
    name its key (``populations.I.N``, ``g.I``); those of the keyword API name the keyword.
    """
    keyword = model is None
    per_population = dict(
        N=N, eta_bar=eta_bar, delta=delta, J=J, g=g, tau=tau, v_peak=v_peak, v_reset=v_reset,
        noise=noise,
    )  # fmt: skip
    if keyword:
        missing = [k for k in ("N", "eta_bar", "delta", "J", "g") if per_population[k] is None]
        if missing:
            raise TypeError(f"network.simulate needs model= or the keywords {', '.join(missing)}")
        N = val.positive_int("N", N)
        tau = MODEL["tau"] if tau is None else tau
        eta_bar, delta, J, g, tau = val.model(eta_bar=eta_bar, delta=delta, J=J, g=g, tau=tau)
        v_peak = val.positive("v_peak", NETWORK["v_peak"] if v_peak is None else v_peak)
        v_reset = val.finite("v_reset", NETWORK["v_reset"] if v_reset is None else v_reset)
        if v_reset >= 0:
            raise ValueError(f"v_reset must be < 0, got {v_reset!r}")
        noise = val.non_negative("noise", MODEL["noise"] if noise is None else noise)
        model = Model.single(
            eta_bar=eta_bar, delta=delta, J=J, g=g, tau=tau, N=N, v_peak=v_peak, v_reset=v_reset,
            noise=noise,
        )  # fmt: skip
    else:
        given = [k for k, value in per_population.items() if value is not None]
        if given:
            raise ValueError(
                f"{', '.join(given)}: give these in the model's populations, not as keywords "
                "together with model="
            )
        if not isinstance(model, Model):
            raise ValueError(
                f"model must be a qifgap.populations.Model, got {type(model).__name__}"
            )
    names = model.names

    def key(name, field):  # the name an error uses for a field of a population
        return field if keyword else f"populations.{name}.{field}"

    sizes = np.array(
        [
            val.positive_int(key(p.name, "N"), p.N) if p.N is not None else 0
            for p in model.populations
        ],
        dtype=np.int64,
    )
    for p, n in zip(model.populations, sizes, strict=True):
        if n == 0:
            raise ValueError(f"{key(p.name, 'N')} is required for a network run")
    t_start, t_end = val.interval(t_start, t_end)
    dt = val.positive("dt", dt)
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
    if threads > 1 and threads > _numba_max_threads():
        raise ValueError(
            f"threads must be <= {_numba_max_threads()} (numba's maximum here), got {threads}"
        )
    G = model.g.sum(axis=1)
    for a, p in enumerate(model.populations):
        if p.v_peak > 1e6 or p.v_reset < -1e6:
            raise ValueError(
                f"{key(p.name, 'v_peak')} and |{key(p.name, 'v_reset')}| must be <= 1e6"
            )
        for field, window in (("v_peak", p.tau / p.v_peak), ("v_reset", p.tau / abs(p.v_reset))):
            if window < 2 * dt:
                raise ValueError(
                    f"dt ({dt}) must be well below the refractory time: "
                    f"tau/|{key(p.name, field)}| = {window:.3g} must be at least 2 dt "
                    f"(use dt <= {window / 10:.3g})"
                )
        if G[a] * dt / p.tau >= 0.5:
            what = "g*dt/tau" if keyword else f"(sum of g.{p.name}) * dt / tau"
            raise ValueError(
                f"{what} must be < 0.5 for a stable Euler step, got {G[a] * dt / p.tau:.3g}"
            )
        if 0 < p.tau_syn < 2 * dt:
            raise ValueError(
                f"{key(p.name, 'tau_syn')} ({p.tau_syn}) must be 0 or at least 2 dt ({2 * dt:.3g})"
            )
        _check_noise_step(key(p.name, "noise"), p.noise, dt, p.tau)
    steps_per_bin = _steps(rate_bin, dt)
    if steps_per_bin < 1 or abs(steps_per_bin * dt - rate_bin) > 1e-9 * rate_bin:
        raise ValueError(f"rate_bin ({rate_bin}) must be a whole multiple of dt ({dt})")
    n_bins = int(round((t_end - t_start) / rate_bin))
    if n_bins < 1:
        raise ValueError(
            f"t_end - t_start ({t_end - t_start}) must be at least rate_bin ({rate_bin})"
        )
    noisy = bool(np.any(model.noise > 0))
    if noisy:
        from .noise import MAX_INDEX
    if noisy and n_bins * steps_per_bin > MAX_INDEX:
        raise ValueError(
            f"t_end - t_start ({t_end - t_start}) is {n_bins * steps_per_bin} steps of dt: the "
            f"noise generator counts at most 2**32 steps (use a larger dt or a shorter run)"
        )
    if noisy and sizes.max() > MAX_INDEX:
        raise ValueError("N of a population with noise must be below 2**32")
    currents = _per_population("current", current, names, keyword)
    currents = tuple(
        as_current(c) if keyword else _named(f"current.{n}", as_current, c)
        for n, c in zip(names, currents, strict=True)
    )
    inits = _per_population("v_init", v_init, names, keyword)
    v0 = tuple(
        _initial_voltages("v_init" if keyword else f"v_init.{p.name}", v, n, p.v_peak)
        for p, n, v in zip(model.populations, sizes, inits, strict=True)
    )
    traces = None
    if s_init is not None:
        traces = tuple(
            0.0 if x is None else val.non_negative("s_init" if keyword else f"s_init.{n}", x)
            for n, x in zip(names, _per_population("s_init", s_init, names, keyword), strict=True)
        )
    n_emit = np.array([max(1, _steps(p.tau / p.v_peak, dt)) for p in model.populations])
    n_ref = np.array(
        [
            max(e + 1, _steps(p.tau / p.v_peak + p.tau / abs(p.v_reset), dt))
            for p, e in zip(model.populations, n_emit, strict=True)
        ]
    )
    return NetworkSetup(
        model=model, sizes=sizes, t_start=t_start, t_end=t_end, dt=dt, currents=currents,
        heterogeneity=heterogeneity, seed=None if seed is None else int(seed), v_init=v0,
        reset=reset, rate_bin=rate_bin, raster=_raster_indices(raster_neurons, sizes),
        threads=threads, steps_per_bin=steps_per_bin, n_bins=n_bins,
        n_emit=n_emit.astype(np.int64), n_ref=n_ref.astype(np.int64), keyword=keyword,
        noise_seed=(NOISE_SEED if seed is None else int(seed)) if noisy else None,
        s_init=traces,
    )  # fmt: skip


def _check_noise_step(name: str, gamma: float, dt: float, tau: float) -> None:
    """Refuse (or warn about) a step too coarse for the noise γ: a Cauchy kick below about −τ/dt
    makes Euler jump across −∞ past V_p, a spurious spike, at the rate ε = γ dt/(π τ) per neuron
    and unit τ (science.md §7); ε must stay small against the firing rates."""
    eps = gamma * dt / (math.pi * tau)
    if eps <= _SPURIOUS_RATE_WARN:
        return
    reason = (
        f"{name} = {gamma} with dt = {dt}: Cauchy kicks below -tau/dt make the Euler step jump "
        f"across -infinity into spurious spikes, at the rate {name}*dt/(pi*tau) = {eps:.3g} per "
        f"neuron and unit tau"
    )
    limit = _SPURIOUS_RATE_WARN * math.pi * tau / gamma
    if eps > _SPURIOUS_RATE_MAX:
        raise ValueError(f"{reason}; it must be <= {_SPURIOUS_RATE_MAX} (use dt <= {limit:.3g})")
    warnings.warn(f"{reason} (use dt <= {limit:.3g} to keep it below "
                  f"{_SPURIOUS_RATE_WARN})", stacklevel=3)  # fmt: skip


def _per_population(name: str, value, names: tuple[str, ...], keyword: bool) -> list:
    """One entry per population: a mapping {population: value} (missing populations get None)
    or one value for every population."""
    if keyword or not isinstance(value, Mapping) or "kind" in value:
        return [value] * len(names)
    for pop in value:
        if pop not in names:
            raise ValueError(f"{name}.{pop}: unknown population {pop!r} (known: {names})")
    return [value.get(pop) for pop in names]


def _named(name: str, fn, value):
    """``fn(value)``, with a ValueError re-raised under ``name``."""
    try:
        return fn(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name}: {exc}") from None


def _initial_voltages(name: str, v_init, N: int, v_peak: float):
    """A number or an array of N initial voltages, finite and below V_p (None: the default)."""
    if v_init is None:
        v_init = NETWORK["v_init"]
    if np.ndim(v_init) == 0:
        v0 = val.finite(name, v_init)
        bad = v0 >= v_peak
    else:
        v0 = np.array(v_init, dtype=float)
        if v0.shape != (N,):
            raise ValueError(f"{name} must be a number or an array of N = {N} voltages")
        bad = not np.all(np.isfinite(v0)) or np.any(v0 >= v_peak)
    if bad:
        raise ValueError(f"{name} must be finite and below v_peak")
    return v0


def simulate(
    *,
    t_end: float,
    model: Model | None = None,
    N: int | None = None,
    eta_bar: float | None = None,
    delta: float | None = None,
    J: float | None = None,
    g: float | None = None,
    tau: float | None = None,
    v_peak: float | None = None,
    v_reset: float | None = None,
    noise: float | None = None,
    t_start: float = 0.0,
    dt: float = NETWORK["dt"],
    current=None,
    heterogeneity: str = NETWORK["heterogeneity"],
    seed=NETWORK["seed"],
    v_init=NETWORK["v_init"],
    reset: str = NETWORK["reset"],
    rate_bin: float = NETWORK["rate_bin"],
    raster_neurons=NETWORK["raster_neurons"],
    threads: int = NETWORK["threads"],
    progress: bool = False,
    s_init=None,
) -> NetworkResult:
    """Simulate the network on [t_start, t_end] and return binned r, v, Z and spikes.

    ``model``: a :class:`~qifgap.populations.Model` (every population with N); the result's
    ``r``, ``v``, ``Z`` are (time × P) in the order of ``result.populations``. Without it, the
    one-population keywords N, eta_bar, delta, J, g (tau, v_peak, v_reset, noise default to
    :mod:`qifgap.defaults`) give 1-D arrays, bit-identical to the one-population kernel.
    ``noise`` γ ≥ 0 (or each population's ``noise``): Cauchy white noise of scale γ in every
    neuron, seeded by ``seed`` (None: :data:`qifgap.defaults.NOISE_SEED`; recorded as
    ``noise_seed`` in the result's params).

    ``current`` is None, a number, a dict spec or a :mod:`qifgap.inputs` current, the same for
    every population, or a mapping {population: one of these} (missing populations get none).
    ``v_init`` is a number or an array of voltages (N of the population), or a mapping
    {population: number or array}. ``s_init``: the initial synaptic trace s_a ≥ 0 of the
    populations with τ_s,a > 0 (a number for all, or {population: number}; default 0), so that
    a run can start on a mean-field state. ``raster_neurons``: the number of neurons per population
    (evenly spread over it) whose spikes are recorded, or their global indices.
    ``threads`` is the largest number of numba threads used; the numbers do not depend on it.
    With more than one thread, each block of steps runs on ``threads`` or on one thread,
    whichever was faster when last timed (a busy core stalls a multi-threaded step).
    The simulated time is rounded to a whole number of bins of ``rate_bin``.
    """
    setup = check_parameters(
        model=model, N=N, eta_bar=eta_bar, delta=delta, J=J, g=g, t_end=t_end, t_start=t_start,
        dt=dt, tau=tau, v_peak=v_peak, v_reset=v_reset, noise=noise, current=current,
        heterogeneity=heterogeneity, seed=seed, v_init=v_init, reset=reset, rate_bin=rate_bin,
        raster_neurons=raster_neurons, threads=threads, s_init=s_init,
    )  # fmt: skip
    return _run(setup, progress=progress)


class ThreadChooser:
    """Chooses the thread count of each stretch of steps: ``threads`` or 1, whichever ran
    faster when last timed.

    Results do not depend on the thread count, so the choice is free. A multi-threaded step
    waits at a barrier for every thread, and a core taken by another process stalls it for up
    to a scheduler time slice per step; one thread then runs faster. The first stretch
    (compilation, caches) runs on one thread, untimed; then each option is timed on a short
    probe of ``probe_steps`` steps and the faster one (per neuron-step; the multi-threaded one
    only if it is ``MARGIN`` faster) runs on. Its cost is updated after every stretch. One
    thread runs to the end of each block; the multi-threaded option runs stretches of 2, 4,
    8, … probes while it stays faster, so a lucky probe costs little. The other option is
    probed again once the chosen one has run for ``REPROBE`` times the duration of the other's
    last probe (a slow probe costs at most ~1/REPROBE of the run) and for at least
    ``MIN_STRETCHES`` stretches.
    """

    REPROBE = 20.0
    MIN_STRETCHES = 4
    MARGIN = 0.9
    PROBE_NEURON_STEPS = 2e6  # a probe: ~1 ms on two free cores
    ADAPTIVE = True  # False: always ``threads`` (benchmarks of the multi-threaded kernel)

    def __init__(self, threads: int, N: int):
        self.threads = threads
        self.probe_steps = max(10, int(self.PROBE_NEURON_STEPS / N))
        self.cost = {}  # thread count -> seconds per neuron-step, last measured
        self.last_probe = {}  # thread count -> seconds of its last probe
        self.current = threads
        self.stretches = 0
        self.since = 0.0  # seconds run with the current option since the last probe
        self.stretches_since = 0
        self.trust = 1  # the multi-threaded option runs 2**trust probes at a time
        self._probe = False

    @property
    def fixed(self) -> bool:
        return self.threads == 1 or not self.ADAPTIVE

    def next(self) -> tuple[int, int | None]:
        """(thread count, number of steps; None: to the end of the block) of the next
        stretch."""
        self._probe = True
        if self.fixed:
            return self.threads, None
        if self.stretches == 0:
            return 1, self.probe_steps
        for option in (self.threads, 1):
            if option not in self.cost:
                return option, self.probe_steps
        other = 1 if self.current != 1 else self.threads
        if (
            self.since >= self.REPROBE * self.last_probe[other]
            and self.stretches_since >= self.MIN_STRETCHES
        ):
            return other, self.probe_steps
        self._probe = False
        if self.current == 1:
            return 1, None
        return self.current, self.probe_steps * 2**self.trust

    def record(self, threads: int, seconds: float, neuron_steps: float) -> None:
        """Report that the stretch just run took ``seconds`` for ``neuron_steps`` on ``threads``."""
        self.stretches += 1
        if self.fixed or self.stretches == 1 or neuron_steps <= 0:
            return
        self.cost[threads] = seconds / neuron_steps
        if self._probe:
            self.last_probe[threads] = seconds
            self.since = 0.0
            self.stretches_since = 0
        else:
            self.since += seconds
            self.stretches_since += 1
        if len(self.cost) == 2:
            faster = self.cost[self.threads] < self.MARGIN * self.cost[1]
            chosen = self.threads if faster else 1
            if chosen != self.current or chosen == 1:
                self.trust = 1
            elif not self._probe:
                self.trust = min(self.trust + 1, 20)
            self.current = chosen


def _numba_max_threads() -> int:
    """numba's maximum thread count here (NUMBA_NUM_THREADS)."""
    import numba

    return numba.config.NUMBA_NUM_THREADS


def _chunk_layout(sizes: np.ndarray):
    """Chunks of ≤ CHUNK neurons that never straddle two populations.

    Returns (chunk_lo, chunk_pop, pop_chunks): chunk ch holds neurons chunk_lo[ch] …
    chunk_lo[ch + 1] − 1 of population chunk_pop[ch]; population a owns chunks pop_chunks[a] …
    pop_chunks[a + 1] − 1. For one population these are the chunks of the one-population kernel.
    """
    from . import kernels

    lo, pop, first = [], [], [0]
    offset = 0
    for a, n in enumerate(sizes):
        starts = range(offset, offset + int(n), kernels.CHUNK)
        lo.extend(starts)
        pop.extend([a] * len(starts))
        first.append(len(lo))
        offset += int(n)
    lo.append(offset)
    return (
        np.array(lo, dtype=np.int64),
        np.array(pop, dtype=np.int64),
        np.array(first, dtype=np.int64),
    )


def _excitabilities(p: NetworkSetup) -> np.ndarray:
    """η of every neuron, population by population; random draws come from one generator
    seeded with ``seed``, population after population."""
    rng = np.random.default_rng(p.seed) if p.heterogeneity == "random" else None
    return np.concatenate(
        [
            _lorentzian(int(n), pop.eta_bar, pop.delta, rng)
            for pop, n in zip(p.model.populations, p.sizes, strict=True)
        ]
    )


def _run(p: NetworkSetup, *, progress: bool) -> NetworkResult:
    import numba

    from . import kernels
    from .noise import noise_key

    m = p.model
    P, N, dt, t_start = m.P, p.N, p.dt, p.t_start
    steps_per_bin, n_bins = p.steps_per_bin, p.n_bins
    offsets = p.offsets
    eta = _excitabilities(p)
    x = np.empty(N)
    for a in range(P):
        x[offsets[a] : offsets[a + 1]] = p.v_init[a]
    instant = p.reset == "instant"
    raster = p.raster
    chunk_lo, chunk_pop, pop_chunks = _chunk_layout(p.sizes)
    pops = m.populations
    column = {f: np.array([getattr(q, f) for q in pops], dtype=float) for f in
              ("tau", "tau_syn", "v_peak", "v_reset")}  # fmt: skip
    pop_N = p.sizes.astype(float)
    J = np.array(m.J, dtype=float)  # writable copies: the signature kernels.warm_up compiles
    g = np.array(m.g, dtype=float)
    noise_scale = np.array([q.noise for q in pops]) * dt / column["tau"]  # γ_a dt/τ_a
    noise_keys = np.array(
        [noise_key(seed=p.noise_seed or 0, stream=a) for a in range(P)], dtype=np.uint64
    )
    bins_per_block = max(1, int(_NEURON_STEPS_PER_BLOCK / (N * steps_per_bin)))
    state = np.zeros((4, P))
    for a in range(P):
        state[0, a] = float(np.mean(x[offsets[a] : offsets[a + 1]]))
        if p.s_init is not None and pops[a].tau_syn > 0:
            state[3, a] = p.s_init[a]
    history = np.zeros((P, int(p.n_ref.max())))
    r_bins = np.zeros((n_bins, P))
    v_bins = np.zeros((n_bins, P))
    z_bins = np.zeros((n_bins, P), dtype=np.complex128)
    rec_step = np.empty(_SPIKE_BUFFER, dtype=np.int64)
    rec_id = np.empty(_SPIKE_BUFFER, dtype=np.int64)
    spike_steps, spike_ids = [], []
    z_offset = max(steps_per_bin // 2 - 1, 0)

    chooser = ThreadChooser(p.threads, N)
    previous_threads = numba.get_num_threads()
    started = time.perf_counter()
    try:
        for b0 in range(0, n_bins, bins_per_block):
            b1 = min(b0 + bins_per_block, n_bins)
            step0 = b0 * steps_per_bin
            n_steps = (b1 - b0) * steps_per_bin
            times = t_start + (step0 + np.arange(n_steps)) * dt
            I_block = np.empty((P, n_steps))
            for a, current in enumerate(p.currents):
                I_block[a] = current(times)
            s = 0
            while s < n_steps:
                threads, stretch = chooser.next()
                s_end = n_steps if stretch is None else min(n_steps, s + stretch)
                kernels.set_threads(threads)
                stretch_started, s_begin = time.perf_counter(), s
                while s < s_end:
                    status, s, n_rec = kernels.run_block(
                        x, eta, I_block, s, s_end, steps_per_bin, z_offset, dt,
                        chunk_lo, chunk_pop, pop_chunks, pop_N, column["tau"], J, g,
                        column["tau_syn"], column["v_peak"], column["v_reset"], p.n_ref,
                        p.n_emit, instant, state, history, r_bins[b0:b1], v_bins[b0:b1],
                        z_bins[b0:b1], raster, rec_step, rec_id, 0, step0,
                        noise_scale, noise_keys,
                    )  # fmt: skip
                    spike_steps.append(rec_step[:n_rec].copy())
                    spike_ids.append(rec_id[:n_rec].copy())
                    if status == kernels.BLOWUP:
                        _diverged(p, state, I_block, step0 + s - 1, s - 1)
                elapsed = time.perf_counter() - stretch_started
                chooser.record(threads, elapsed, N * (s - s_begin))
            if progress:
                _report_progress(b1 / n_bins, time.perf_counter() - started)
    finally:
        kernels.set_threads(previous_threads)
    if progress:
        sys.stderr.write("\n")

    steps = np.concatenate(spike_steps) if spike_steps else np.empty(0, np.int64)
    ids = np.concatenate(spike_ids) if spike_ids else np.empty(0, np.int64)
    spikes = dict(spike_times=t_start + (steps + 1) * dt, spike_ids=ids, raster_neurons=raster)
    if p.keyword:
        return NetworkResult(
            t=p.t,
            r=r_bins[:, 0] / (N * p.rate_bin),
            v=v_bins[:, 0] / steps_per_bin,
            Z=np.ascontiguousarray(z_bins[:, 0]),
            params=_keyword_params(p),
            **spikes,
        )
    return NetworkResult(
        t=p.t,
        r=r_bins / (pop_N * p.rate_bin),
        v=v_bins / steps_per_bin,
        Z=z_bins,
        params=_model_params(p),
        populations=m.names,
        population_offsets=offsets,
        **spikes,
    )


def _common_params(p: NetworkSetup) -> dict:
    return {
        "model": "network",
        "t_start": p.t_start,
        "t_end": p.t_start + p.n_bins * p.rate_bin,
        "dt": p.dt,
        "reset": p.reset,
        "heterogeneity": p.heterogeneity,
        "seed": p.seed,
        "rate_bin": p.rate_bin,
        **({} if p.noise_seed is None else {"noise_seed": p.noise_seed}),
        "qifgap_version": __version__,
    }


def _keyword_params(p: NetworkSetup) -> dict:
    """The parameters of a keyword-API run, as the one-population network always wrote them."""
    (pop,) = p.model.populations
    instant = p.reset == "instant"
    return {
        **_common_params(p),
        "N": p.N,
        "eta_bar": pop.eta_bar,
        "delta": pop.delta,
        "J": float(p.model.J[0, 0]),
        "g": float(p.model.g[0, 0]),
        "tau": pop.tau,
        "v_peak": pop.v_peak,
        "v_reset": pop.v_reset,
        **({"noise": pop.noise} if pop.noise > 0 else {}),
        "refractory_steps": 0 if instant else int(p.n_ref[0]),
        "emission_steps": 0 if instant else int(p.n_emit[0]),
        "v_init": float(p.v_init[0]) if np.ndim(p.v_init[0]) == 0 else "array",
        "current": p.currents[0].to_dict(),
    }


def _model_params(p: NetworkSetup) -> dict:
    """The parameters of a model run: the model's mapping plus the run's options."""
    names = p.model.names
    instant = p.reset == "instant"

    def per_pop(values):
        return dict(zip(names, values, strict=True))

    return {
        **p.model.to_dict(),
        **_common_params(p),
        "refractory_steps": per_pop([0 if instant else int(n) for n in p.n_ref]),
        "emission_steps": per_pop([0 if instant else int(n) for n in p.n_emit]),
        "v_init": per_pop([float(v) if np.ndim(v) == 0 else "array" for v in p.v_init]),
        "current": per_pop([c.to_dict() for c in p.currents]),
        **({} if p.s_init is None else {"s_init": per_pop(list(p.s_init))}),
    }


def _diverged(p: NetworkSetup, state, I_block, step: int, s: int):
    t_fail = p.t_start + (step + 1) * p.dt
    if p.keyword:
        (pop,) = p.model.populations
        raise SimulationDiverged(
            f"network state diverged at step {step} (t = {t_fail:.6g}): mean voltage"
            f" {float(state[0, 0]):.6g}, input current I = {float(I_block[0, s]):.6g}."
            f" Likely cause: dt = {p.dt} too large, or an input too strong, for these"
            f" parameters (eta_bar={pop.eta_bar}, delta={pop.delta}, J={p.model.J[0, 0]},"
            f" g={p.model.g[0, 0]})"
        )
    voltages = ", ".join(
        f"{n}: {float(v):.6g}" for n, v in zip(p.model.names, state[0], strict=True)
    )
    raise SimulationDiverged(
        f"network state diverged at step {step} (t = {t_fail:.6g}): mean voltages {voltages}."
        f" Likely cause: dt = {p.dt} too large, or an input too strong, for this model"
    )


def _report_progress(fraction: float, elapsed: float) -> None:
    remaining = elapsed * (1 - fraction) / fraction if fraction > 0 else math.inf
    sys.stderr.write(
        f"\rqifgap network: {100 * fraction:5.1f} %  elapsed {elapsed:7.1f} s  "
        f"remaining ~{remaining:7.1f} s"
    )
    sys.stderr.flush()
