"""numba kernels of the QIF network of P populations (science.md §1, §6; time in units of τ).

Each neuron j of population a integrates, by forward Euler with step dt,

    τ_a dV_j/dt = V_j² + η_j + I_a(t) + τ_a Σ_b J_ab s_b + Σ_b g_ab (v_b − V_j).

State encoding (one float64 per neuron, so the hot loop streams two arrays, ``x`` and ``eta``):

* ``x < REFRACTORY``: the neuron integrates and ``V = x``;
* ``x = REFRACTORY + k`` (k = 1 … n_ref): the neuron is in the flight window after crossing
  V_p, k steps remain. Its spike is emitted n_emit = τ/(V_p dt) steps after the crossing, i.e.
  when k reaches n_ref − n_emit; when k reaches 0 it restarts from V_r.

With ``instant=True`` (the check variant) a neuron reaching V_p is reset to V_r at once and its
spike emitted in the same step.

Noise (science.md §7): with γ_a > 0 each integrating neuron of a gets γ_a (dt/τ_a) ξ per step
on top of its drift, ξ the standard Cauchy variate :func:`qifgap.noise.cauchy` of (the key of
stream a, the neuron's index within a, the global step); flying neurons get none. A noisy chunk
first fills the float32 variates of its neurons into a buffer of its own
(:func:`qifgap.noise.fill_chunk_cauchy`, a tight 8-lane loop), then runs its update loop with
the kick ``scale * xi[j]``. Chunks of a population with γ_a = 0 run the noise-free loop of the
chunk function: no extra work. The kernel is compiled with ``error_model="numpy"``, without
which a division keeps a loop from vectorising.

v_b is the mean of V over the integrating neurons of b (all its neurons with ``instant=True``);
r_b the number of spikes of b emitted in the previous step over N_b dt, so that with
τ_s,b = 0 (s_b = r_b) each spike kicks the neurons of a by J_ab/N_b.

Neurons are stored population by population and processed in chunks of at most ``CHUNK``
neurons that never straddle two populations, so every chunk sees scalar parameters and the
inner loop is one vectorised select loop. For P = 1 the chunks are those of the
one-population kernel.

Determinism: each chunk reduces its sums in its own order and the chunk partials are added
serially, so results are bit-identical for any number of threads.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange

from . import _jit  # noqa: F401  (before any @njit: the host's full vector width)
from .noise import fill_chunk_cauchy

REFRACTORY = 2.0**40  # x ≥ REFRACTORY marks the flight window; exact integers up to 2**53
CHUNK = 2048  # neurons per reduction chunk (fixed: the results must not depend on threads)

# fastmath without 'nnan'/'ninf': reassociation lets LLVM vectorise the reductions, while a
# NaN from a blown-up state still propagates into the mean and is detected
_FASTMATH = {"reassoc", "contract", "nsz", "arcp"}

# status codes returned by run_block
OK = 0
BLOWUP = 1
BUFFER_FULL = 2


@njit(cache=True, fastmath=_FASTMATH, inline="always", error_model="numpy")
def _euler(v, eta, c, a, one_minus_cg, noisy, scale, xi, j):
    """One Euler step of an integrating neuron j, c = dt/τ and G = Σ_b g_ab:
    (1 − c G) V + c (V² + η + a), plus the kick scale · ξ_j (ξ_j = xi[j], float32) if noisy."""
    vn = one_minus_cg * v + c * (v * v + eta + a)
    if noisy:
        vn += scale * np.float64(xi[j])
    return vn


# One chunk function per reset rule serves both the noise-free and the noisy runs. run_block
# passes ``noisy`` as a literal True or False, so after inlining LLVM folds the branch and each
# call site compiles to one vectorised loop; the noise-free loop is the loop without the kick
# (bit for bit: a flag computed inside, unswitched by LLVM, changed the reduction order).
@njit(cache=True, fastmath=_FASTMATH, inline="always", error_model="numpy")
def _chunk_flight(x, eta, c, a, one_minus_cg, v_peak, v_reset, x_cross, noisy, scale, xi):
    """Advance the neurons of one chunk by one step (flight-time reset).

    :func:`_euler` for the integrating neurons, with the variates ``xi`` of the chunk if noisy;
    the select discards the step (and the kick) of flying neurons. Returns (Σ V over
    integrating neurons, number of threshold crossings). Written as selects on slices (no
    data-dependent branches, no index wrap-around) so that LLVM vectorises it.
    """
    vsum = 0.0
    crossings = 0.0
    for j in range(x.size):
        xj = x[j]
        vn = _euler(xj, eta[j], c, a, one_minus_cg, noisy, scale, xi, j)
        integrating = vn if vn < v_peak else x_cross
        k = xj - 1.0
        flying = k if k >= REFRACTORY + 0.5 else v_reset
        xn = flying if xj >= REFRACTORY else integrating
        x[j] = xn
        crossings += 1.0 if xn == x_cross else 0.0
        vsum += 0.0 if xn >= REFRACTORY else xn  # a NaN state reaches the sum: detected
    return vsum, crossings


@njit(cache=True, fastmath=_FASTMATH, inline="always", error_model="numpy")
def _chunk_instant(x, eta, c, a, one_minus_cg, v_peak, v_reset, noisy, scale, xi):
    """Advance the neurons of one chunk by one step (instantaneous reset), with the kick
    scale · xi[j] for every neuron if noisy: (Σ V, crossings)."""
    vsum = 0.0
    crossings = 0.0
    for j in range(x.size):
        xj = x[j]
        vn = _euler(xj, eta[j], c, a, one_minus_cg, noisy, scale, xi, j)
        crossed = vn >= v_peak
        xn = v_reset if crossed else vn
        x[j] = xn
        crossings += 1.0 if crossed else 0.0
        vsum += xn
    return vsum, crossings


@njit(cache=True, fastmath=_FASTMATH, parallel=True, error_model="numpy")
def run_block(
    x,
    eta,
    current,
    s_begin,
    s_end,
    steps_per_bin,
    z_offset,
    dt,
    chunk_lo,
    chunk_pop,
    pop_chunks,
    pop_N,
    tau,
    J,
    g,
    tau_syn,
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
    noise_scale,
    noise_keys,
):
    """Run the Euler steps s = s_begin … s_end − 1 of a block that starts at global step step0.

    Neurons are stored population by population; chunk ``ch`` holds the neurons
    ``chunk_lo[ch] … chunk_lo[ch + 1] − 1``, all of population ``chunk_pop[ch]``, and population
    a owns the chunks ``pop_chunks[a] … pop_chunks[a + 1] − 1``. Per population a (arrays of
    length P): ``pop_N``, ``tau``, ``tau_syn``, ``v_peak``, ``v_reset``, ``n_ref``, ``n_emit``;
    ``J[a, b]``, ``g[a, b]``: coupling of a (post) by b (pre). ``current[a, s]`` is I_a at the
    start of step s (time t_start + (step0 + s) dt).

    A neuron of a integrates τ_a dV/dt = V² + η + I_a + τ_a Σ_b J_ab s_b + Σ_b g_ab (v_b − V),
    with v_b the mean voltage of b's integrating neurons after the previous step, r_b(n) the
    spikes of b emitted in step n over N_b dt, and s_b(n + 1) = r_b(n) (τ_s,b = 0: a kick of
    J_ab/N_b per spike) or s_b(n + 1) = s_b(n) + (dt/τ_s,b)(r_b(n) − s_b(n)).

    ``state[:, a]`` = [v_a, spikes of a emitted in the previous step, neurons of a in flight,
    s_a] is read and updated. ``history[a]`` (first n_ref[a] entries used) is the ring buffer of
    threshold crossings per step of a: a neuron crossing at step s emits its spike at step
    s + n_emit and integrates again from step s + n_ref, so the kernel needs only one count per
    chunk, not a scan for emissions.

    Step s of the block adds the spike count of a to ``bin_spikes[s // steps_per_bin, a]`` and
    its mean voltage to ``bin_vsum[..., a]``; after step s with s % steps_per_bin == z_offset the
    Kuramoto order parameter of each population is sampled into ``z_sample[..., a]``. Spikes of
    the neurons ``rec_idx`` (global indices in increasing order) are appended to (rec_step,
    rec_id) as global step numbers from index ``n_rec`` on. Each chunk checks its own recorded
    neurons inside the parallel loop, where their state is in the cache of the thread that just
    wrote it, and leaves one flag per neuron; the serial part reads only the flags. (Read in the
    serial part, every recorded neuron of the other thread's chunks cost a cache-line transfer
    per step: 2 threads ran §6's E–I model at N = 10⁵ with its 200 recorded neurons 1.46× faster
    than one, and 1.75× with ``raster_neurons=0``; now 1.71–1.87× with them and 1.81–1.86×
    without, rows E-I and E-I/0 of benchmarks/gap_threads.py.)

    Noise: ``noise_scale[a]`` = γ_a dt/τ_a (0: none) and ``noise_keys[a]`` the uint64 key of the
    stream of a; the neuron at global index i of a draws ξ(key_a, i − first index of a, step0 + s).

    Returns (status, s, n_rec) with s the first step not done: status OK (s = s_end), BLOWUP
    (a mean voltage after step s − 1 is not finite or exploded) or BUFFER_FULL (the spike
    buffer cannot take another step; drain it and call again from s).
    """
    P = pop_N.size
    n_chunks = chunk_pop.size
    part_v = np.empty(n_chunks)
    part_c = np.empty(n_chunks)
    part_zr = np.zeros(n_chunks)
    part_zi = np.zeros(n_chunks)
    c = np.empty(P)
    one_minus_cg = np.empty(P)
    inv_v_peak = np.empty(P)
    x_cross = np.empty(P)
    x_emit = np.empty(P)
    drive = np.empty(P)
    no_variates = np.empty(0, dtype=np.float32)  # the ξ of a noise-free chunk
    for a in range(P):
        G = 0.0
        for b in range(P):
            G += g[a, b]
        c[a] = dt / tau[a]
        one_minus_cg[a] = 1.0 - c[a] * G
        inv_v_peak[a] = 1.0 / v_peak[a]
        x_cross[a] = REFRACTORY + n_ref[a]
        x_emit[a] = REFRACTORY + (n_ref[a] - n_emit[a])
    v_mean = state[0]
    emitted_prev = state[1]
    in_flight = state[2]
    trace = state[3]
    n_watch = rec_idx.size
    watch_lo = np.searchsorted(rec_idx, chunk_lo)  # chunk ch records rec_idx[watch_lo[ch]:…]
    fired = np.zeros(n_watch, dtype=np.bool_)
    status = OK
    done = s_end
    for s in range(s_begin, s_end):
        if n_rec + n_watch > rec_step.size:
            status = BUFFER_FULL
            done = s
            break
        # drive common to the neurons of a: I_a + Σ_b g_ab v_b + τ_a Σ_b J_ab s_b
        for a in range(P):
            d = current[a, s]
            for b in range(P):
                d += g[a, b] * v_mean[b]
            for b in range(P):
                if tau_syn[b] > 0.0:
                    d += J[a, b] * tau[a] * trace[b]
                else:  # s_b = r_b = spikes / (N_b dt)
                    d += J[a, b] * tau[a] * emitted_prev[b] / (pop_N[b] * dt)
            drive[a] = d
        sample_z = s % steps_per_bin == z_offset
        step = step0 + s
        for ch in prange(n_chunks):
            lo = chunk_lo[ch]
            hi = chunk_lo[ch + 1]
            p = chunk_pop[ch]
            scale = noise_scale[p]
            n0 = lo - chunk_lo[pop_chunks[p]]  # index within the population of neuron lo
            key = noise_keys[p]
            xi = no_variates
            if scale > 0.0:  # the chunk's variates first, in a tight loop of their own
                xi = np.empty(hi - lo, dtype=np.float32)
                fill_chunk_cauchy(xi, key, n0, step)
            if instant and scale > 0.0:  # literal flags: one loop per call site
                pv, pc = _chunk_instant(
                    x[lo:hi], eta[lo:hi], c[p], drive[p], one_minus_cg[p], v_peak[p],
                    v_reset[p], True, scale, xi,
                )  # fmt: skip
            elif instant:
                pv, pc = _chunk_instant(
                    x[lo:hi], eta[lo:hi], c[p], drive[p], one_minus_cg[p], v_peak[p],
                    v_reset[p], False, scale, xi,
                )  # fmt: skip
            elif scale > 0.0:
                pv, pc = _chunk_flight(
                    x[lo:hi], eta[lo:hi], c[p], drive[p], one_minus_cg[p], v_peak[p],
                    v_reset[p], x_cross[p], True, scale, xi,
                )  # fmt: skip
            else:
                pv, pc = _chunk_flight(
                    x[lo:hi], eta[lo:hi], c[p], drive[p], one_minus_cg[p], v_peak[p],
                    v_reset[p], x_cross[p], False, scale, xi,
                )  # fmt: skip
            part_v[ch] = pv
            part_c[ch] = pc
            if sample_z:
                part_zr[ch], part_zi[ch] = _chunk_kuramoto(
                    x[lo:hi], x_cross[p], c[p], inv_v_peak[p]
                )
            for w in range(watch_lo[ch], watch_lo[ch + 1]):
                xj = x[rec_idx[w]]
                fired[w] = (xj == v_reset[p]) if instant else (xj == x_emit[p])
        b_out = s // steps_per_bin
        blown = False
        for a in range(P):
            vsum = 0.0
            crossings = 0.0
            for ch in range(pop_chunks[a], pop_chunks[a + 1]):
                vsum += part_v[ch]
                crossings += part_c[ch]
            if instant:
                emitted = crossings
                n_integrating = pop_N[a]
            else:
                slot = step % n_ref[a]
                emitted = history[a, (step - n_emit[a]) % n_ref[a]]
                in_flight[a] += crossings - history[a, slot]  # crossings n_ref[a] steps ago
                history[a, slot] = crossings
                n_integrating = pop_N[a] - in_flight[a]
            v_mean[a] = vsum / n_integrating if n_integrating > 0 else v_mean[a]
            emitted_prev[a] = emitted
            if tau_syn[a] > 0.0:
                trace[a] += (dt / tau_syn[a]) * (emitted / (pop_N[a] * dt) - trace[a])
            bin_spikes[b_out, a] += emitted
            bin_vsum[b_out, a] += v_mean[a]
            if sample_z:
                zr = 0.0
                zi = 0.0
                for ch in range(pop_chunks[a], pop_chunks[a + 1]):
                    zr += part_zr[ch]
                    zi += part_zi[ch]
                z_sample[b_out, a] = complex(zr / pop_N[a], zi / pop_N[a])
            if not (abs(v_mean[a]) < 1e10):
                blown = True
        for w in range(n_watch):
            if fired[w]:
                rec_step[n_rec] = step
                rec_id[n_rec] = rec_idx[w]
                n_rec += 1
        if blown:
            status = BLOWUP
            done = s + 1
            break
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
    one = np.ones(1)
    for instant in (False, True):
        run_block(
            np.zeros(4), np.ones(4), np.zeros((1, 2)), 0, 2, 1, 0, 1e-4,
            np.array([0, 4]), np.zeros(1, np.int64), np.array([0, 1]), 4.0 * one, one,
            np.ones((1, 1)), 0.5 * np.ones((1, 1)), 0.0 * one, 100.0 * one, -100.0 * one,
            np.array([200]), np.array([100]), instant, np.zeros((4, 1)), np.zeros((1, 200)),
            np.zeros((2, 1)), np.zeros((2, 1)), np.zeros((2, 1), np.complex128),
            np.zeros(1, np.int64), np.zeros(4, np.int64),
            np.zeros(4, np.int64), 0, 0, np.array([0.01]), np.zeros(1, np.uint64),
        )  # fmt: skip
