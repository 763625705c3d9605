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


def test_scalars_in_floats_out():
    assert type(inputs.Step(3.0, 0.0, 1.0)(0.5)) is float
    assert type(inputs.Sinusoid(1.0, 1.0)(np.float64(0.5))) is float
    assert inputs.Constant(2.5)(np.array([0, 1])).dtype == np.float64
    assert inputs.Constant("2.5").value == 2.5  # numbers given as text are converted
    pw = inputs.Piecewise(["0", "1"], ["2", "3"], interpolate=1)
    assert pw.times == (0.0, 1.0) and pw.values == (2.0, 3.0) and pw.interpolate is True


def test_breakpoints_lie_strictly_inside_the_interval():
    step = inputs.Step(1.0, 0.0, 30.0)
    assert step.breakpoints(0.0, 80.0) == [30.0]
    assert step.breakpoints(-40.0, 30.0) == [0.0]
    pw = inputs.Piecewise([0.0, 5.0, 10.0], [1.0, 2.0, 3.0])
    assert pw.breakpoints(0.0, 10.0) == [5.0]
    assert pw.breakpoints(-1.0, 11.0) == [0.0, 5.0, 10.0]


def test_as_current_and_from_spec():
    assert inputs.from_spec(None) == inputs.Constant(0.0)
    assert inputs.as_current(None) == inputs.Constant(0.0)
    assert inputs.as_current(3) == inputs.Constant(3.0)
    assert inputs.as_current(np.float32(0.5)) == inputs.Constant(0.5)
    assert inputs.as_current({"kind": "constant", "value": 2}) == inputs.Constant(2.0)
    step = inputs.Step(1.0, 0.0, 1.0)
    assert inputs.as_current(step) is step
    with pytest.raises(ValueError, match=r"^current: expected None.*got <class 'str'>$"):
        inputs.as_current("strong")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: inputs.Constant(float("inf")), r"^value must be a finite number"),
        (lambda: inputs.Step(float("nan"), 0.0, 1.0), r"^amplitude must be a finite number"),
        (lambda: inputs.Step(1.0, 2.0, 2.0), r"^t_off \(2.0\) must be larger than t_on"),
        (lambda: inputs.Sinusoid(1.0, float("nan")), r"^omega must be a finite number"),
        (lambda: inputs.Piecewise([0.0, float("nan")], [1.0, 2.0]), r"^times must be a finite"),
        (lambda: inputs.Piecewise([0.0, 1.0], [1.0, float("inf")]), r"^values must be a finite"),
        (lambda: inputs.Piecewise([], []), r"^times must not be empty$"),
        (lambda: inputs.Piecewise([0.0, 0.0], [1.0, 2.0]), r"^times must be strictly increasing$"),
    ],
)
def test_invalid_currents_name_the_field(make, message):
    with pytest.raises(ValueError, match=message):
        make()
