"""The Kuramoto order parameter Z against values computed independently of the code under test:
the conformal map by hand, by direct averaging over a Lorentzian, and the network's Z of known
states (all neurons at one voltage; the stationary state of an uncoupled network)."""

import cmath
import math

import numpy as np
import pytest

from qifgap import network
from qifgap.model import kuramoto_from_rv


def lorentzian_z(r, v, n=20_000):
    """⟨exp(2i arctan V)⟩ over a Lorentzian of voltages with centre v and half-width π r,
    by the midpoint rule on its quantiles (the integrand is smooth and periodic there)."""
    q = (np.arange(n) + 0.5) / n
    V = v + math.pi * r * np.tan(math.pi * (q - 0.5))
    return complex(np.mean(np.exp(2j * np.arctan(V))))


def test_conformal_map_by_hand():
    """W = π r + i v = 1 + i (r = 1/π, v = 1): Z = (1 − W̄)/(1 + W̄) = i/(2 − i) = (−1 + 2i)/5."""
    assert complex(kuramoto_from_rv(1 / math.pi, 1.0)) == pytest.approx(-0.2 + 0.4j, abs=1e-15)
    # all neurons at V = v (r = 0): Z = exp(2i arctan v)
    assert complex(kuramoto_from_rv(0.0, 2.0)) == pytest.approx(
        cmath.exp(2j * math.atan(2.0)), abs=1e-15
    )


@pytest.mark.parametrize(("r", "v"), [(0.05, -1.5), (0.3, 0.4), (1.2, -0.2), (0.1, 3.0)])
def test_conformal_map_is_the_lorentzian_average(r, v):
    assert complex(kuramoto_from_rv(r, v)) == pytest.approx(lorentzian_z(r, v), abs=1e-10)


@pytest.mark.parametrize("reset", ["flight", "instant"])
def test_network_z_of_a_known_state(reset):
    """Neurons started at given voltages: Z sampled half a bin later (one Euler step, dt = 1e-4,
    with η = 0, J = g = 0) is the mean of exp(2i arctan V_j) of the initial state up to the
    drift of one step, |Δθ| ≤ 2 dt."""
    V0 = np.linspace(-0.5, 4.0, 101)
    res = network.simulate(
        N=V0.size, eta_bar=0.0, delta=0.0, J=0.0, g=0.0, t_end=2e-4, rate_bin=2e-4, v_init=V0,
        reset=reset, raster_neurons=0,
    )  # fmt: skip
    expected = np.mean(np.exp(2j * np.arctan(V0)))
    assert abs(expected.imag) > 0.2  # a conjugate or a wrong sign cannot pass
    assert complex(res.Z[0]) == pytest.approx(expected, abs=3e-4)


def test_network_z_of_the_stationary_lorentzian_state():
    """Uncoupled network (J = g = 0): the stationary voltages are Lorentzian with W* = π r* + i v*
    = sqrt(η̄ − iΔ) (Re W* > 0), so Z* = (1 − W̄*)/(1 + W̄*), written out here. The neurons in
    their flight window (2 % of the time at r* ≈ 0.35) enter Z with θ near π."""
    eta, d = 1.0, 1.0
    w = cmath.sqrt(eta - 1j * d)
    z_star = (1 - w.conjugate()) / (1 + w.conjugate())
    res = network.simulate(N=10_000, eta_bar=eta, delta=d, J=0.0, g=0.0, t_end=8.0,
                           raster_neurons=0)  # fmt: skip
    z = res.Z[res.t > 4].mean()
    assert abs(z_star.imag) > 0.1
    # finite N (quantiles) and the Euler bias of v (see test_network.py) allow ~0.01
    assert complex(z) == pytest.approx(z_star, abs=0.01)  # measured: 0.003
