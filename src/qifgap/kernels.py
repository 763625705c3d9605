"""numba kernels of the QIF network (the scheme of science.md §1; time in units of τ).

Each neuron j integrates, by forward Euler with step dt,

    τ dV_j/dt = V_j² + η_j + g (v − V_j) + J τ r + I(t).

State encoding (one float64 per neuron, so the hot loop streams two arrays, ``x`` and ``eta``):

* ``x < REFRACTORY``: the neuron integrates and ``V = x``;
* ``x = REFRACTORY + k`` (k = 1 … n_ref): the neuron is in the flight window after crossing
  V_p, k steps remain. Its spike is emitted n_emit = τ/(V_p dt) steps after the crossing, i.e.
  when k reaches n_ref − n_emit; when k reaches 0 it restarts from V_r.

With ``instant=True`` (the check variant) a neuron reaching V_p is reset to V_r at once and its
spike emitted in the same step.

v is the mean of V over the integrating neurons (all neurons with ``instant=True``); r is the
number of spikes emitted in the previous step over N dt, so each spike kicks all neurons by J/N.

Determinism: neurons are processed in fixed chunks of ``CHUNK``; each chunk reduces its sums
in its own order and the chunk partials are added serially, so results are bit-identical for
any number of threads.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange

REFRACTORY = 2.0**40  # x ≥ REFRACTORY marks the flight window; exact integers up to 2**53
CHUNK = 2048  # neurons per reduction chunk (fixed: the results must not depend on threads)

# fastmath without 'nnan'/'ninf': reassociation lets LLVM vectorise the reductions, while a
# NaN from a blown-up state still propagates into the mean and is detected
_FASTMATH = {"reassoc", "contract", "nsz", "arcp"}

# status codes returned by run_block
OK = 0
BLOWUP = 1
BUFFER_FULL = 2


@njit(cache=True, fastmath=_FASTMATH, inline="always")
def _chunk_flight(x, eta, c, a, one_minus_cg, v_peak, v_reset, x_cross):
    """Advance the neurons of one chunk by one step (flight-time reset).

    Returns (Σ V over integrating neurons, number of threshold crossings). Written as selects
    on slices (no data-dependent branches, no index wrap-around) so that LLVM vectorises it.
    """
    vsum = 0.0
    crossings = 0.0
    for j in range(x.size):
        xj = x[j]
        vn = one_minus_cg * xj + c * (xj * xj + eta[j] + a)
        integrating = vn if vn < v_peak else x_cross
        k = xj - 1.0
        flying = k if k >= REFRACTORY + 0.5 else v_reset
        xn = flying if xj >= REFRACTORY else integrating
        x[j] = xn
        crossings += 1.0 if xn == x_cross else 0.0
        vsum += 0.0 if xn >= REFRACTORY else xn  # a NaN state reaches the sum: detected
    return vsum, crossings


@njit(cache=True, fastmath=_FASTMATH, inline="always")
def _chunk_instant(x, eta, c, a, one_minus_cg, v_peak, v_reset):
    """Advance the neurons of one chunk by one step (instantaneous reset): (Σ V, crossings)."""
    vsum = 0.0
    crossings = 0.0
    for j in range(x.size):
        xj = x[j]
        vn = one_minus_cg * xj + c * (xj * xj + eta[j] + a)
        crossed = vn >= v_peak
        xn = v_reset if crossed else vn
        x[j] = xn
        crossings += 1.0 if crossed else 0.0
        vsum += xn
    return vsum, crossings


@njit(cache=True, fastmath=_FASTMATH, parallel=True)
def run_block(
    x,
    eta,
    current,
    s_begin,
    s_end,
    steps_per_bin,
    z_offset,
    dt,
    tau,
    J,
    g,
    v_peak,
    v_reset,
    n_ref,
    n_emit,
    instant,
    state,
    history,
    bin_spikes,
    bin_vsum,
    z_sample,
    rec_idx,
    rec_step,
    rec_id,
    n_rec,
    step0,
):
    """Run the Euler steps s = s_begin … s_end − 1 of a block that starts at global step step0.

    ``current[s]`` is I at the start of step s (time t_start + (step0 + s) dt).

    ``state`` = [v, spikes emitted in the previous step, neurons in flight] is read and
    updated. ``history`` (length n_ref) is the ring buffer of threshold crossings per step:
    a neuron crossing at step s emits its spike at step s + n_emit and integrates again from
    step s + n_ref, so the kernel needs only one count per chunk, not a scan for emissions.

    Step s of the block adds its spike count to ``bin_spikes[s // steps_per_bin]`` and its mean
    voltage to ``bin_vsum[...]``; after step s with s % steps_per_bin == z_offset the Kuramoto
    order parameter is sampled into ``z_sample``. Spikes of the neurons ``rec_idx`` are appended
    to (rec_step, rec_id) as global step numbers from index ``n_rec`` on.

    Returns (status, s, n_rec) with s the first step not done: status OK (s = s_end), BLOWUP
    (the mean voltage after step s − 1 is not finite or exploded) or BUFFER_FULL (the spike
    buffer cannot take another step; drain it and call again from s).
    """
    N = x.size
    n_chunks = (N + CHUNK - 1) // CHUNK
    part_v = np.empty(n_chunks)
    part_c = np.empty(n_chunks)
    part_zr = np.zeros(n_chunks)
    part_zi = np.zeros(n_chunks)
    dt_over_tau = dt / tau
    inv_v_peak = 1.0 / v_peak
    c = dt / tau
    one_minus_cg = 1.0 - c * g
    x_cross = REFRACTORY + n_ref
    x_emit = REFRACTORY + (n_ref - n_emit)
    v_mean = state[0]
    emitted_prev = state[1]
    in_flight = state[2]
    n_watch = rec_idx.size
    status = OK
    done = s_end
    for s in range(s_begin, s_end):
        if n_rec + n_watch > rec_step.size:
            status = BUFFER_FULL
            done = s
            break
        # drive common to all neurons: g v + J τ r + I, with r = spikes / (N dt)
        a = g * v_mean + J * tau * emitted_prev / (N * dt) + current[s]
        sample_z = s % steps_per_bin == z_offset
        for ch in prange(n_chunks):
            lo = ch * CHUNK
            hi = min(lo + CHUNK, N)
            if instant:
                pv, pc = _chunk_instant(x[lo:hi], eta[lo:hi], c, a, one_minus_cg, v_peak, v_reset)
            else:
                pv, pc = _chunk_flight(
                    x[lo:hi], eta[lo:hi], c, a, one_minus_cg, v_peak, v_reset, x_cross
                )
            part_v[ch] = pv
            part_c[ch] = pc
            if sample_z:
                part_zr[ch], part_zi[ch] = _chunk_kuramoto(
                    x[lo:hi], x_cross, dt_over_tau, inv_v_peak
                )
        vsum = 0.0
        crossings = 0.0
        for ch in range(n_chunks):
            vsum += part_v[ch]
            crossings += part_c[ch]
        if instant:
            emitted = crossings
            n_integrating = float(N)
        else:
            step = step0 + s
            slot = step % n_ref
            emitted = history[(step - n_emit) % n_ref]
            in_flight += crossings - history[slot]  # history[slot]: crossings n_ref steps ago
            history[slot] = crossings
            n_integrating = N - in_flight
        v_mean = vsum / n_integrating if n_integrating > 0 else v_mean
        emitted_prev = emitted
        b = s // steps_per_bin
        bin_spikes[b] += emitted
        bin_vsum[b] += v_mean
        if sample_z:
            zr = 0.0
            zi = 0.0
            for ch in range(n_chunks):
                zr += part_zr[ch]
                zi += part_zi[ch]
            z_sample[b] = complex(zr / N, zi / N)
        for w in range(n_watch):
            xj = x[rec_idx[w]]
            if (xj == v_reset) if instant else (xj == x_emit):
                rec_step[n_rec] = step0 + s
                rec_id[n_rec] = rec_idx[w]
                n_rec += 1
        if not (abs(v_mean) < 1e10):
            status = BLOWUP
            done = s + 1
            break
    state[0] = v_mean
    state[1] = emitted_prev
    state[2] = in_flight
    return status, done, n_rec


@njit(cache=True, fastmath=_FASTMATH, inline="always")
def _chunk_kuramoto(x, x_cross, dt_over_tau, inv_v_peak):
    """Σ_j e^{iθ_j}, θ_j = 2 arctan V_j, over one chunk, without transcendental calls.

    With e^{iθ} = (A² − B² + 2iAB)/(A² + B²): A = 1, B = V for an integrating neuron; A = u,
    B = 1 in the flight window, where u = 1/V runs linearly from 1/V_p at the crossing through
    0 (the spike) to 1/V_r (restart): u = 1/V_p − s/τ a time s after the crossing.
    """
    re = 0.0
    im = 0.0
    for j in range(x.size):
        xj = x[j]
        flying = xj >= REFRACTORY
        u = inv_v_peak - (x_cross - xj) * dt_over_tau
        A = u if flying else 1.0
        B = 1.0 if flying else xj
        d = 1.0 / (A * A + B * B)
        re += (A * A - B * B) * d
        im += 2.0 * A * B * d
    return re, im


def set_threads(threads: int) -> int:
    """Set numba's thread count for this process; return the previous one."""
    previous = numba.get_num_threads()
    numba.set_num_threads(threads)
    return previous


def warm_up() -> None:
    """Compile (or load from the cache) every kernel on a tiny network."""
    for instant in (False, True):
        x = np.zeros(4)
        eta = np.ones(4)
        run_block(
            x, eta, np.zeros(2), 0, 2, 1, 0, 1e-4, 1.0, 1.0, 0.5, 100.0, -100.0, 200, 100,
            instant, np.zeros(3), np.zeros(200), np.zeros(2), np.zeros(2),
            np.zeros(2, np.complex128),
            np.zeros(1, np.int64), np.zeros(4, np.int64), np.zeros(4, np.int64), 0, 0,
        )  # fmt: skip
