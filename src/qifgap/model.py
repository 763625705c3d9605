"""The exact firing-rate equations of QIF networks with chemical and electrical synapses.

P populations (science.md §6), with G_a = Σ_b g_ab and κ_b = ln(V_p,b/|V_r,b|)::

    τ_a dr_a/dt = Δ_a/(π τ_a) + r_a (2 v_a − G_a)
    τ_a dv_a/dt = v_a² + η̄_a + I_a − (π τ_a r_a)² + τ_a Σ_b J_ab s_b
                  + Σ_b g_ab (v_b + κ_b τ_b r_b − v_a)
    τ_s,b ds_b/dt = −s_b + r_b          (s_b = r_b when τ_s,b = 0)

State y = [r_1 … r_P, v_1 … v_P, s_b for each b with τ_s,b > 0, in population order]
(:func:`rhs_populations`, :func:`jacobian_populations`). One population with τ_s = 0 is
Pietras et al. (PRE 2019), which contain Montbrió, Pazó & Roxin (PRX 2015) at g = 0, with the
spike-asymmetry term of Montbrió & Pazó (PRL 2020) (:func:`rhs`, :func:`jacobian`, which work
on arrays of states and are tested equal to the P-population functions)::

    τ dr/dt = Δ/(π τ) + r (2 v − g)
    τ dv/dt = v² + η̄ + I(t) + (J + g κ) τ r − (π τ r)²

r is the population rate (spikes per neuron per unit time), v the mean membrane potential, η̄
and Δ the centre and half-width of the Lorentzian of excitabilities (with Cauchy white noise of
scale γ in every neuron Δ stands for Δ + γ, :func:`width`), J the chemical and g the
electrical (gap-junction) coupling, κ = ln(V_p/|V_r|) the asymmetry of the spike. Time is
measured in units of the membrane time constant τ throughout the package; every function that
takes ``tau`` uses it only to convert. The Kuramoto order parameter follows from the conformal
map Z = (1 − W̄)/(1 + W̄), W = π τ r + i v.
"""

from __future__ import annotations

import math

import numpy as np

from .defaults import MODEL

__all__ = [
    "rhs",
    "jacobian",
    "rhs_populations",
    "jacobian_populations",
    "synaptic",
    "FiringRateEquations",
    "FiringRateBatch",
    "kuramoto_from_rv",
    "spike_asymmetry",
    "width",
]


def rhs(r, v, *, eta_bar, delta, J, g, tau=MODEL["tau"], I=0.0, kappa=MODEL["kappa"]):
    """Right-hand side (dr/dt, dv/dt) of the one-population equations (works on arrays of states):
    the P = 1, τ_s = 0 case of :func:`rhs_populations` (tested equal to it)."""
    dr = (delta / (math.pi * tau) + r * (2.0 * v - g)) / tau
    dv = (v * v + eta_bar + I + (J + g * kappa) * tau * r - (math.pi * tau * r) ** 2) / tau
    return dr, dv


def jacobian(r, v, *, J, g, tau=MODEL["tau"], kappa=MODEL["kappa"]):
    """Jacobian ∂(ṙ, v̇)/∂(r, v) of :func:`rhs` (the P = 1 case of :func:`jacobian_populations`)."""
    return np.array(
        [
            [(2.0 * v - g) / tau, 2.0 * r / tau],
            [(J + g * kappa) - 2.0 * math.pi**2 * tau * r, 2.0 * v / tau],
        ]
    )


def synaptic(tau_syn) -> np.ndarray:
    """Indices b of the populations with a synaptic variable s_b (τ_s,b > 0), in state order."""
    return np.flatnonzero(np.asarray(tau_syn, dtype=float) > 0)


def _split(y, tau_syn):
    P = len(tau_syn)
    y = np.asarray(y, dtype=float)
    r, v = y[:P], y[P : 2 * P]
    syn = synaptic(tau_syn)
    s = r.copy()
    s[syn] = y[2 * P :]
    return r, v, s, syn


class FiringRateEquations:
    """The P-population right-hand side with its coefficients computed once (for integrators).

    The voltage equation is evaluated as
    τ_a v̇_a = v_a² + η̄_a + I_a − (π τ_a r_a)² + Σ_b C_ab r_b + Σ_b A_ab v_b + τ_a Σ_b J_ab s_b
    with C_ab = τ_a J_ab [τ_s,b = 0] + g_ab κ_b τ_b (the instantaneous synapses and the MP20
    term), A = g − diag(G) and the last sum over the populations with synaptic kinetics.
    Loops over plain floats: for the few populations of a model they are several times faster
    than numpy's per-call overhead on arrays of length P.
    """

    def __init__(self, *, eta_bar, delta, tau, tau_syn, J, g, kappa):
        tau_syn = np.asarray(tau_syn, dtype=float)
        P = tau_syn.size
        one = np.ones(P)
        tau, eta_bar, delta, kappa = (np.asarray(x, dtype=float) * one
                                      for x in (tau, eta_bar, delta, kappa))  # fmt: skip
        J, g = np.asarray(J, dtype=float), np.asarray(g, dtype=float)
        G = g.sum(axis=1)
        syn = synaptic(tau_syn)
        instant = (tau_syn <= 0).astype(float)
        A = g - np.diag(G)
        self.P = P
        self.n = 2 * P + syn.size
        self._syn = syn.tolist()
        self._eta = eta_bar.tolist()
        self._inv_tau = (1.0 / tau).tolist()
        self._rate_source = (delta / (math.pi * tau)).tolist()
        self._G = G.tolist()
        self._pi_tau_sq = ((math.pi * tau) ** 2).tolist()
        self._C = (tau[:, None] * J * instant[None, :] + g * (kappa * tau)[None, :]).tolist()
        self._A = A.tolist() if A.any() else None  # None: no gap junctions between populations
        self._J_syn = (tau[:, None] * J[:, syn]).tolist()
        self._inv_tau_syn = (1.0 / tau_syn[syn]).tolist()

    def rhs(self, y, I=0.0) -> np.ndarray:
        """dy/dt at state ``y`` with currents ``I`` (a number or one per population)."""
        P, inv_tau, C, A, J_syn = self.P, self._inv_tau, self._C, self._A, self._J_syn
        y = y.tolist() if isinstance(y, np.ndarray) else [float(x) for x in y]
        r, v, s = y[:P], y[P : 2 * P], y[2 * P :]
        I = [float(I)] * P if isinstance(I, int | float) else np.asarray(I, dtype=float).tolist()
        out = [0.0] * self.n
        for a in range(P):
            ra, va = r[a], v[a]
            out[a] = (self._rate_source[a] + ra * (2.0 * va - self._G[a])) * inv_tau[a]
            dv = va * va + self._eta[a] + I[a] - self._pi_tau_sq[a] * ra * ra
            for b in range(P):
                dv += C[a][b] * r[b]
            if A is not None:
                for b in range(P):
                    dv += A[a][b] * v[b]
            for k in range(len(s)):
                dv += J_syn[a][k] * s[k]
            out[P + a] = dv * inv_tau[a]
        for k, b in enumerate(self._syn):
            out[2 * P + k] = (r[b] - s[k]) * self._inv_tau_syn[k]
        return np.array(out)


class FiringRateBatch:
    """The P-population right-hand side of many models with the same state layout (the same
    populations with τ_s > 0), evaluated on one state per model at once (numpy, for integrating
    a grid of parameter points together): the coefficients of :class:`FiringRateEquations`,
    stacked, in the same equation (tested equal to :func:`rhs_populations`)."""

    def __init__(self, equations):
        equations = list(equations)
        if not equations:
            raise ValueError("equations: a batch needs at least one model")
        first = equations[0]
        for e in equations:
            if e.P != first.P or e._syn != first._syn:
                raise ValueError("equations: every model of a batch needs the same state layout")
        self.P, self.n, self.size = first.P, first.n, len(equations)
        self._syn = np.array(first._syn, dtype=int)

        def stack(attr):
            return np.array([getattr(e, attr) for e in equations], dtype=float)

        self._eta, self._inv_tau = stack("_eta"), stack("_inv_tau")
        self._rate_source, self._G = stack("_rate_source"), stack("_G")
        self._pi_tau_sq, self._C = stack("_pi_tau_sq"), stack("_C")
        self._A = np.array([np.zeros((e.P, e.P)) if e._A is None else e._A for e in equations])
        self._J_syn = stack("_J_syn").reshape(self.size, self.P, self._syn.size)
        self._inv_tau_syn = stack("_inv_tau_syn").reshape(self.size, self._syn.size)

    def rhs(self, y) -> np.ndarray:
        """dy/dt for the states ``y`` of shape (n, batch): column k is a state of model k."""
        P = self.P
        r, v, s = y[:P].T, y[P : 2 * P].T, y[2 * P :].T  # (batch, P), (batch, n_syn)
        dr = (self._rate_source + r * (2.0 * v - self._G)) * self._inv_tau
        dv = (
            v * v + self._eta - self._pi_tau_sq * r * r
            + np.einsum("kab,kb->ka", self._C, r)
            + np.einsum("kab,kb->ka", self._A, v)
            + np.einsum("kab,kb->ka", self._J_syn, s)
        ) * self._inv_tau  # fmt: skip
        ds = (r[:, self._syn] - s) * self._inv_tau_syn
        return np.concatenate([dr, dv, ds], axis=1).T


def rhs_populations(y, *, eta_bar, delta, tau, tau_syn, J, g, kappa, I=0.0) -> np.ndarray:
    """dy/dt of the P-population firing-rate equations (module docstring) at state ``y``.

    ``eta_bar``, ``delta``, ``tau``, ``tau_syn``, ``kappa`` and ``I`` have one entry per
    population (or are scalars); ``J`` and ``g`` are (P, P) with rows post, columns pre.
    """
    equations = FiringRateEquations(
        eta_bar=eta_bar, delta=delta, tau=tau, tau_syn=tau_syn, J=J, g=g, kappa=kappa
    )
    return equations.rhs(np.asarray(y, dtype=float), I)


def jacobian_populations(
    y, *, tau, tau_syn, J, g, kappa, delta=None, eta_bar=None, I=None
) -> np.ndarray:
    """∂(dy/dt)/∂y of :func:`rhs_populations` (Δ, η̄ and I do not enter; accepted so that both
    functions take the same keywords)."""
    r, v, _, syn = _split(y, tau_syn)
    P, n_syn = len(r), len(syn)
    tau = np.broadcast_to(np.asarray(tau, dtype=float), (P,))
    kappa = np.broadcast_to(np.asarray(kappa, dtype=float), (P,))
    tau_s = np.asarray(tau_syn, dtype=float)
    G = g.sum(axis=1)
    jac = np.zeros((2 * P + n_syn, 2 * P + n_syn))
    a = np.arange(P)
    jac[a, a] = (2.0 * v - G) / tau  # ∂ṙ_a/∂r_a
    jac[a, P + a] = 2.0 * r / tau  # ∂ṙ_a/∂v_a
    # ∂v̇_a/∂r_b: the gap-junction term g_ab κ_b τ_b r_b, the instantaneous synapses τ_a J_ab r_b
    instant = tau_s <= 0
    dv_dr = g * (kappa * tau)[None, :] + tau[:, None] * J * instant[None, :]
    dv_dr[a, a] -= 2.0 * math.pi**2 * tau**2 * r
    jac[P : 2 * P, :P] = dv_dr / tau[:, None]
    dv_dv = g.copy()
    dv_dv[a, a] += 2.0 * v - G
    jac[P : 2 * P, P : 2 * P] = dv_dv / tau[:, None]
    k = 2 * P + np.arange(n_syn)
    jac[P : 2 * P, k] = J[:, syn]  # ∂v̇_a/∂s_b = τ_a J_ab / τ_a
    jac[k, syn] = 1.0 / tau_s[syn]
    jac[k, k] = -1.0 / tau_s[syn]
    return jac


def kuramoto_from_rv(r, v, *, tau=MODEL["tau"]):
    """Kuramoto order parameter Z = (1 − W̄)/(1 + W̄) with W = π τ r + i v (conformal map)."""
    w_conj = math.pi * tau * np.asarray(r) - 1j * np.asarray(v)
    return (1.0 - w_conj) / (1.0 + w_conj)


def width(delta, noise):
    """Δ + γ: independent Cauchy white noise of scale γ in every neuron enters the firing-rate
    equations exactly as extra Lorentzian heterogeneity (science.md §7, Clusella & Montbrió)."""
    return delta + noise


def spike_asymmetry(v_peak: float, v_reset: float) -> float:
    """κ = ln(V_p/|V_r|), the virtual chemical coupling per unit g of asymmetric spikes (MP20)."""
    if not v_peak > 0:
        raise ValueError(f"v_peak must be > 0, got {v_peak!r}")
    if not v_reset < 0:
        raise ValueError(f"v_reset must be < 0, got {v_reset!r}")
    return math.log(v_peak / abs(v_reset))
