"""Argument checks of qifgap.meanfield.integrate that name the argument, and a common current
given as a spec to every population (found by mutation testing, mutation/README.md). τ = 1."""

import numpy as np
import pytest

from qifgap import meanfield

TWO = {"populations": {"E": {"eta_bar": -1.0}, "I": {"eta_bar": 0.5}},
       "J": {"E": {"I": -2.0}, "I": {"E": 3.0}}}  # fmt: skip


def test_y0_without_a_model_is_refused_by_name():
    with pytest.raises(ValueError, match=r"^y0: use r0 and v0 without a model$"):
        meanfield.integrate(eta_bar=1.0, delta=1.0, J=0.0, g=0.0, t_end=1.0, y0=[0.1, 0.0])


@pytest.mark.parametrize("given", [{"r0": 0.1}, {"v0": 0.0}, {"r0": 0.1, "v0": 0.0}])
def test_y0_and_r0_or_v0_together_are_refused(given):
    with pytest.raises(ValueError, match=r"^y0: give either y0 or r0/v0$"):
        meanfield.integrate(model=TWO, t_end=1.0, y0=[0.1, 0.1, 0.0, 0.0], **given)


def test_a_current_spec_reaches_every_population():
    """{"kind": ...} is one current for all, not a mapping of populations: a constant 0.5 is
    the same run as η̄_a + 0.5 without current."""
    spec = {"kind": "constant", "value": 0.5}
    driven = meanfield.integrate(model=TWO, t_end=2.0, current=spec)
    shifted = {**TWO, "populations": {"E": {"eta_bar": -0.5}, "I": {"eta_bar": 1.0}}}
    plain = meanfield.integrate(model=shifted, t_end=2.0)
    np.testing.assert_allclose(driven.r, plain.r, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(driven.v, plain.v, rtol=1e-9, atol=1e-12)


def test_a_current_per_population_reaches_only_its_population():
    """{"E": 0.5} drives E alone: the same run as η̄_E + 0.5 (I unchanged), which differs from
    driving both."""
    driven = meanfield.integrate(model=TWO, t_end=2.0,
                                 current={"E": {"kind": "constant", "value": 0.5}})  # fmt: skip
    shifted = {**TWO, "populations": {"E": {"eta_bar": -0.5}, "I": {"eta_bar": 0.5}}}
    plain = meanfield.integrate(model=shifted, t_end=2.0)
    np.testing.assert_allclose(driven.r, plain.r, rtol=1e-9, atol=1e-12)
    both = meanfield.integrate(model=TWO, t_end=2.0, current={"kind": "constant", "value": 0.5})
    assert np.max(np.abs(both.r[:, 1] - driven.r[:, 1])) > 1e-3


ONE = {"populations": {"A": {"eta_bar": -1.0}}, "J": {"A": {"A": 2.0}}, "g": {"A": {"A": 0.5}}}


@pytest.mark.parametrize("kappa", [["x"], [None], [1.0, 2.0]])
def test_kappa_that_is_not_one_finite_number_per_population_is_refused(kappa):
    with pytest.raises(ValueError, match=r"^kappa must be a number or 1 finite numbers"):
        meanfield.integrate(model=ONE, t_end=1.0, kappa=kappa)


def test_kappa_per_population_is_converted_to_float():
    """["0.5"] is κ = 0.5 (converted like every number): the same run as kappa=0.5."""
    as_text = meanfield.integrate(model=ONE, t_end=1.0, kappa=["0.5"])
    as_number = meanfield.integrate(model=ONE, t_end=1.0, kappa=0.5)
    np.testing.assert_array_equal(as_text.r, as_number.r)


def test_a_step_in_one_population_acts_only_while_it_is_on():
    """{"E": step on 1 ≤ t < 2}: before t = 1 the run is the undriven one (to the tolerance),
    at t = 2 the rates differ; the two populations' currents are evaluated at t."""
    step = {"kind": "step", "amplitude": 1.0, "t_on": 1.0, "t_off": 2.0}
    driven = meanfield.integrate(model=TWO, t_end=2.0, current={"E": step})
    plain = meanfield.integrate(model=TWO, t_end=2.0)
    before = driven.t < 1.0
    np.testing.assert_allclose(driven.r[before], plain.r[before], rtol=1e-9, atol=1e-12)
    assert abs(driven.r[-1, 0] - plain.r[-1, 0]) > 1e-2
