"""Plain numpy implementation of the network scheme: the obviously-correct twin of the kernel.

Used by the tests (agreement with :func:`qifgap.network.simulate` to round-off on small
networks) and by ``benchmarks/kernel.py`` as the baseline. It keeps every quantity of the
scheme explicit, population by population: voltages V, a refractory countdown per neuron,
the synaptic traces s_b, and the Kuramoto order parameter from θ = 2 arctan V. It draws its
excitabilities and evaluates its currents with its own few lines, so that it does not share
the package's code for them. The Cauchy variates of the noise come from
:func:`qifgap.noise.fill_cauchy` (tested on its own against a numpy twin, tests/test_noise.py),
one stream per population, indexed by the neuron within the population and the global step.
Slow; not for production runs. Time in units of τ.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import noise as _noise
from .defaults import NOISE_SEED
from .results import NetworkResult


def _excitabilities(N, eta_bar, delta, heterogeneity, rng):
    """Lorentzian quantiles η̄ + Δ tan(π (j/(N + 1) − ½)), j = 1 … N, or Cauchy draws."""
    if heterogeneity == "quantiles":
        return eta_bar + delta * np.tan(np.pi * (np.arange(1, N + 1) / (N + 1) - 0.5))
    return eta_bar + delta * rng.standard_cauchy(N)


def _current(value):
    """I(t) from None (0), a number, or a callable of time (e.g. a qifgap.inputs current)."""
    if value is None:
        return lambda t: 0.0
    if callable(value):
        return lambda t: float(value(t))
    if isinstance(value, int | float):
        return lambda t: float(value)
    raise TypeError(f"the reference takes currents as None, numbers or callables, got {value!r}")


def simulate_reference(
    *,
    t_end: float,
    model=None,
    N: int | None = None,
    eta_bar: float | None = None,
    delta: float | None = None,
    J: float | None = None,
    g: float | None = None,
    t_start: float = 0.0,
    dt: float = 1e-4,
    tau: float = 1.0,
    v_peak: float = 100.0,
    v_reset: float = -100.0,
    noise: float = 0.0,
    current=None,
    heterogeneity: str = "quantiles",
    seed=None,
    v_init=0.0,
    reset: str = "flight",
    rate_bin: float = 1e-2,
) -> NetworkResult:
    """Same scheme and outputs (r, v, Z on bin centres) as :func:`qifgap.network.simulate`.

    One population from the keywords (1-D outputs), or ``model`` (a
    :class:`qifgap.populations.Model`; outputs time × P), with ``current`` and ``v_init`` then
    optionally mappings {population: value}. Noise γ (``noise`` or each population's): every
    integrating neuron gets γ (dt/τ) ξ per step, ξ from stream a of ``seed`` (None: NOISE_SEED).
    """
    if model is None:
        pops = [
            dict(name="pop", N=N, eta_bar=eta_bar, delta=delta, tau=tau, tau_syn=0.0,
                 v_peak=v_peak, v_reset=v_reset, noise=noise)
        ]  # fmt: skip
        Jm, gm = np.array([[J]], dtype=float), np.array([[g]], dtype=float)
    else:
        fields = ("name", "N", "eta_bar", "delta", "tau", "tau_syn", "v_peak", "v_reset", "noise")
        pops = [{f: getattr(p, f) for f in fields} for p in model.populations]
        Jm, gm = np.array(model.J, dtype=float), np.array(model.g, dtype=float)
    P = len(pops)
    names = [p["name"] for p in pops]

    def per_pop(value):
        if model is not None and isinstance(value, Mapping):
            return [value.get(n) for n in names]
        return [value] * P

    currents = [_current(c) for c in per_pop(current)]
    inits = [0.0 if v is None else v for v in per_pop(v_init)]
    rng = np.random.default_rng(seed) if heterogeneity == "random" else None
    steps_per_bin = int(round(rate_bin / dt))
    n_bins = int(round((t_end - t_start) / rate_bin))
    if n_bins < 1:
        raise ValueError(f"t_end - t_start must be at least rate_bin ({rate_bin})")
    instant = reset == "instant"
    z_offset = max(steps_per_bin // 2 - 1, 0)

    eta, V, countdown, n_emit, n_ref = [], [], [], [], []
    for p, v0 in zip(pops, inits, strict=True):
        eta.append(_excitabilities(p["N"], p["eta_bar"], p["delta"], heterogeneity, rng))
        V.append(np.full(p["N"], 0.0) + v0)
        countdown.append(np.zeros(p["N"], dtype=np.int64))  # flight steps left; 0 = integrating
        n_emit.append(max(1, int(round(p["tau"] / p["v_peak"] / dt))))
        n_ref.append(
            max(
                n_emit[-1] + 1,
                int(round((p["tau"] / p["v_peak"] + p["tau"] / abs(p["v_reset"])) / dt)),
            )
        )
    keys = [_noise.noise_key(seed=NOISE_SEED if seed is None else seed, stream=a) for a in range(P)]
    v_mean = np.array([Va.mean() for Va in V])
    spikes_prev = np.zeros(P)
    s_trace = np.zeros(P)
    r = np.zeros((n_bins, P))
    v = np.zeros((n_bins, P))
    Z = np.zeros((n_bins, P), dtype=complex)
    for n in range(n_bins * steps_per_bin):
        t = t_start + n * dt
        # s_b: the instantaneous rate of the previous step (τ_s,b = 0) or the synaptic trace
        rate_prev = spikes_prev / (np.array([p["N"] for p in pops]) * dt)
        s = np.array([s_trace[b] if pops[b]["tau_syn"] > 0 else rate_prev[b] for b in range(P)])
        # drive of each population, from the state after the previous step
        drive = [gm[a] @ v_mean + pops[a]["tau"] * (Jm[a] @ s) + currents[a](t) for a in range(P)]
        b_out, within = divmod(n, steps_per_bin)
        spikes = np.zeros(P)
        for a, p in enumerate(pops):
            c = dt / p["tau"]
            G = gm[a].sum()
            Va, cd = V[a], countdown[a]
            integrating = cd == 0
            # Euler step, written as the kernel groups it: (1 − c G) V + c (V² + η + drive)
            V_new = (1.0 - c * G) * Va + c * (Va * Va + eta[a] + drive[a])
            if p["noise"] > 0:  # + γ (dt/τ) ξ, ξ of (stream a, neuron within a, step n)
                xi = _noise.fill_cauchy(np.empty(p["N"]), key=keys[a], neuron0=0, step=n)
                V_new = V_new + p["noise"] * c * xi
            if instant:
                crossed = V_new >= p["v_peak"]
                spikes[a] = crossed.sum()
                Va = np.where(crossed, p["v_reset"], V_new)
            else:
                flying = ~integrating
                cd[flying] -= 1
                spikes[a] = np.sum(flying & (cd == n_ref[a] - n_emit[a]))
                Va = np.where(flying & (cd == 0), p["v_reset"], np.where(integrating, V_new, Va))
                crossed = integrating & (V_new >= p["v_peak"])
                cd[crossed] = n_ref[a]
            V[a] = Va
            integrating = cd == 0
            if integrating.any():
                v_mean[a] = Va[integrating].mean()
            r[b_out, a] += spikes[a]
            v[b_out, a] += v_mean[a]
            if within == z_offset:
                elapsed = (n_ref[a] - cd) * dt / p["tau"]  # time since the crossing, in flight
                u = np.where(integrating, 0.0, 1.0 / p["v_peak"] - elapsed)
                theta = np.where(integrating, 2.0 * np.arctan(Va), 2.0 * np.arctan2(1.0, u))
                Z[b_out, a] = np.exp(1j * theta).mean()
        for b, p in enumerate(pops):
            if p["tau_syn"] > 0:
                s_trace[b] += dt / p["tau_syn"] * (spikes[b] / (p["N"] * dt) - s_trace[b])
        spikes_prev = spikes
    sizes = np.array([p["N"] for p in pops], dtype=float)
    out = dict(
        t=t_start + (np.arange(n_bins) + 0.5) * rate_bin,
        r=r / (sizes * rate_bin),
        v=v / steps_per_bin,
        Z=Z,
        params={"model": "network-reference", "N": int(sizes.sum()), "reset": reset},
    )
    if model is None:
        return NetworkResult(
            **{k: (a[:, 0] if k in ("r", "v", "Z") else a) for k, a in out.items()}
        )
    return NetworkResult(
        **out,
        populations=tuple(names),
        population_offsets=np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
    )
