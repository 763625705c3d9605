"""Plain numpy implementation of the network scheme: the obviously-correct twin of the kernel.

Used by the tests (agreement with :func:`qifgap.network.simulate` to round-off on small
networks) and by ``benchmarks/kernel.py`` as the baseline. It keeps every quantity of the
scheme explicit: voltages V, a refractory countdown per neuron, and the Kuramoto order
parameter from θ = 2 arctan V. Slow; not for production runs.
"""

from __future__ import annotations

import numpy as np

from .inputs import as_current
from .network import lorentzian_excitabilities
from .results import NetworkResult


def simulate_reference(
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
) -> NetworkResult:
    """Same scheme and outputs (r, v, Z on bin centres) as :func:`qifgap.network.simulate`."""
    I = as_current(current)
    eta = lorentzian_excitabilities(
        N=N, eta_bar=eta_bar, delta=delta, heterogeneity=heterogeneity, seed=seed
    )
    steps_per_bin = int(round(rate_bin / dt))
    n_bins = int(round((t_end - t_start) / rate_bin))
    if n_bins < 1:
        raise ValueError(f"t_end - t_start must be at least rate_bin ({rate_bin})")
    n_emit = max(1, int(round(tau / v_peak / dt)))
    n_ref = max(n_emit + 1, int(round((tau / v_peak + tau / abs(v_reset)) / dt)))
    instant = reset == "instant"

    V = np.full(N, 0.0)
    V[:] = v_init
    countdown = np.zeros(N, dtype=np.int64)  # steps left in the flight window; 0 = integrating
    v_mean = V.mean()
    spikes_prev = 0
    r = np.zeros(n_bins)
    v = np.zeros(n_bins)
    Z = np.zeros(n_bins, dtype=complex)
    z_offset = max(steps_per_bin // 2 - 1, 0)
    c = dt / tau
    for n in range(n_bins * steps_per_bin):
        drive = g * v_mean + J * tau * spikes_prev / (N * dt) + I(t_start + n * dt)
        integrating = countdown == 0
        # Euler step, written as the kernel groups it: (1 − c g) V + c (V² + η + drive)
        V_new = (1.0 - c * g) * V + c * (V * V + eta + drive)
        if instant:
            crossed = V_new >= v_peak
            spikes = int(crossed.sum())
            V = np.where(crossed, v_reset, V_new)
        else:
            flying = ~integrating
            countdown[flying] -= 1
            spikes = int(np.sum(flying & (countdown == n_ref - n_emit)))
            V = np.where(flying & (countdown == 0), v_reset, np.where(integrating, V_new, V))
            crossed = integrating & (V_new >= v_peak)
            countdown[crossed] = n_ref
        integrating = countdown == 0
        if integrating.any():
            v_mean = V[integrating].mean()
        spikes_prev = spikes
        b, s = divmod(n, steps_per_bin)
        r[b] += spikes
        v[b] += v_mean
        if s == z_offset:
            elapsed = (n_ref - countdown) * dt / tau  # time since the crossing, in flight
            u = np.where(integrating, 0.0, 1.0 / v_peak - elapsed)
            theta = np.where(integrating, 2.0 * np.arctan(V), 2.0 * np.arctan2(1.0, u))
            Z[b] = np.exp(1j * theta).mean()
    return NetworkResult(
        t=t_start + (np.arange(n_bins) + 0.5) * rate_bin,
        r=r / (N * rate_bin),
        v=v / steps_per_bin,
        Z=Z,
        params={"model": "network-reference", "N": N, "reset": reset},
    )
