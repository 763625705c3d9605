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
