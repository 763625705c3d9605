"""Terms of qifgap.model that the equation tests leave loose (found by mutation testing,
mutation/README.md): the boundaries of κ = ln(V_p/|V_r|), and the P-population Jacobian with
synaptic kinetics against finite differences of the right-hand side. τ = 1 unless given."""

import math

import numpy as np
import pytest

from qifgap.model import (
    FiringRateEquations,
    jacobian_populations,
    kuramoto_from_rv,
    rhs_populations,
    spike_asymmetry,
    width,
)


def test_spike_asymmetry_is_ln_vpeak_over_vreset_for_any_positive_vpeak():
    assert spike_asymmetry(0.5, -1.0) == pytest.approx(math.log(0.5), rel=1e-15)
    assert spike_asymmetry(1.0, -0.25) == pytest.approx(math.log(4.0), rel=1e-15)
    assert spike_asymmetry(100.0, -100.0) == 0.0


@pytest.mark.parametrize(
    ("v_peak", "v_reset", "name"),
    [(0.0, -100.0, "v_peak must be > 0"), (-1.0, -100.0, "v_peak must be > 0"),
     (100.0, 0.0, "v_reset must be < 0"), (100.0, 0.5, "v_reset must be < 0")],
)  # fmt: skip
def test_spike_asymmetry_refuses_a_threshold_or_reset_on_the_wrong_side(v_peak, v_reset, name):
    with pytest.raises(ValueError, match=name):
        spike_asymmetry(v_peak, v_reset)


def test_population_jacobian_with_kinetics_is_the_derivative_of_the_rhs():
    """Three populations, τ_a and κ_a all different, gap junctions within and between, two
    with synaptic kinetics: the Jacobian equals central differences of the right-hand side
    (step 1e-6: error ~1e-9 relative to entries of order 10)."""
    params = dict(
        eta_bar=[1.0, 2.0, -0.5], delta=[1.0, 0.5, 0.8], tau=[1.0, 0.5, 2.0],
        tau_syn=[0.0, 0.5, 1.5], kappa=[0.3, -0.7, 0.0],
        J=np.array([[5.0, -10.0, 2.0], [10.0, -10.0, 0.0], [1.0, 3.0, -4.0]]),
        g=np.array([[0.0, 0.4, 0.0], [0.2, 1.5, 0.3], [0.0, 0.6, 0.7]]),
    )  # fmt: skip
    y = np.array([0.4, 0.9, 0.2, -0.3, 0.5, -1.1, 0.7, 0.25])  # r, v, s_2, s_3
    jac = jacobian_populations(y, **params)
    h = 1e-6
    numeric = np.column_stack([
        (rhs_populations(y + h * e, **params) - rhs_populations(y - h * e, **params)) / (2 * h)
        for e in np.eye(y.size)
    ])  # fmt: skip
    assert jac.shape == (8, 8)
    np.testing.assert_allclose(jac, numeric, rtol=1e-7, atol=1e-7)


def test_kuramoto_map_scales_the_rate_by_pi_tau():
    """W = π τ r + i v: at τ = 2, r = 1/(2π), v = 0 W = 1 and Z = 0; at r = 1/(4π) W = ½ and
    Z = (1 − ½)/(1 + ½) = ⅓; v ≠ 0 rotates Z: W = 1 + i gives Z = i/(2 − i) = (−1 + 2i)/5."""
    assert abs(kuramoto_from_rv(1 / (2 * math.pi), 0.0, tau=2.0)) < 1e-15
    assert kuramoto_from_rv(1 / (4 * math.pi), 0.0, tau=2.0) == pytest.approx(1 / 3, abs=1e-15)
    z = kuramoto_from_rv(1 / (2 * math.pi), 1.0, tau=2.0)
    assert z == pytest.approx((-1 + 2j) / 5, abs=1e-15)


def test_noise_adds_to_the_width():
    """Cauchy noise γ enters the equations as Δ + γ (science.md §7)."""
    assert width(1.0, 0.5) == 1.5 and width(0.0, 1.0) == 1.0


def test_firing_rate_equations_take_a_list_or_an_array_state():
    """The integrators pass arrays, users may pass lists: the same dy/dt either way, and for
    one population it is the closed form τ ṙ = Δ/(πτ) + r(2v − g), τ v̇ = v² + η̄ + I + (J +
    gκ)τr − (πτr)² (τ = 2, Δ = 1, η̄ = −1, J = 3, g = 0.5, κ = 0.2, I = 0.25, r = 0.5,
    v = −1)."""
    eq = FiringRateEquations(eta_bar=-1.0, delta=1.0, tau=2.0, tau_syn=[0.0], J=[[3.0]],
                             g=[[0.5]], kappa=0.2)  # fmt: skip
    dr = (1.0 / (2 * math.pi) + 0.5 * (-2.0 - 0.5)) / 2.0
    dv = (1.0 - 1.0 + 0.25 + (3.0 + 0.5 * 0.2) * 2.0 * 0.5 - (math.pi * 2.0 * 0.5) ** 2) / 2.0
    np.testing.assert_allclose(eq.rhs([0.5, -1], 0.25), [dr, dv], rtol=1e-14)
    np.testing.assert_allclose(eq.rhs(np.array([0.5, -1.0]), 0.25), [dr, dv], rtol=1e-14)
