import math

import numpy as np
import pytest

from qifgap import inputs


def test_evaluate_scalars_and_arrays():
    step = inputs.Step(3.0, 0.0, 30.0)
    assert step(-1.0) == 0.0 and step(0.0) == 3.0 and step(29.99) == 3.0 and step(30.0) == 0.0
    np.testing.assert_array_equal(step(np.array([-1.0, 5.0, 40.0])), [0.0, 3.0, 0.0])
    sine = inputs.Sinusoid(3.0, math.pi / 20, phase=0.5, offset=1.0)
    assert sine(7.0) == pytest.approx(1.0 + 3.0 * math.sin(math.pi / 20 * 7.0 + 0.5))
    assert inputs.Constant(2.5)(np.zeros(3)).tolist() == [2.5] * 3
    pw = inputs.Piecewise([0.0, 1.0], [2.0, -1.0])
    np.testing.assert_array_equal(pw(np.array([-0.5, 0.0, 0.5, 1.0, 9.0])), [0, 2, 2, -1, -1])
    ramp = inputs.Piecewise([0.0, 10.0], [0.0, 5.0], interpolate=True)
    assert ramp(4.0) == pytest.approx(2.0)


def test_breakpoints():
    assert inputs.Step(1.0, 0.0, 30.0).breakpoints(-40, 80) == [0.0, 30.0]
    assert inputs.Step(1.0, 0.0, 30.0).breakpoints(10, 80) == [30.0]
    assert inputs.Sinusoid(1.0, 1.0).breakpoints(0, 10) == []


@pytest.mark.parametrize(
    "current",
    [
        inputs.Constant(1.0),
        inputs.Step(3.0, 0.0, 30.0),
        inputs.Sinusoid(3.0, 0.1),
        inputs.Piecewise([0.0, 1.0], [1.0, 2.0], interpolate=True),
    ],
)
def test_spec_round_trip(current):
    assert inputs.from_spec(current.to_dict()) == current


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "ramp"}, "kind"),
        ({"amplitude": 1.0}, "kind"),
        ({"kind": "step", "amplitude": 1.0, "t_on": 2.0, "t_off": 1.0}, "t_off"),
        ({"kind": "step", "amplitude": 1.0}, "step"),
        ({"kind": "constant", "value": float("nan")}, "value"),
        ({"kind": "piecewise", "times": [1.0, 0.0], "values": [1.0, 2.0]}, "increasing"),
        ({"kind": "piecewise", "times": [0.0], "values": [1.0, 2.0]}, "same length"),
    ],
)
def test_bad_specs(spec, message):
    with pytest.raises(ValueError, match=message):
        inputs.from_spec(spec)
