"""Two inhibitory clusters: the coexistence range from continuation against direct integration
of the firing-rate equations, and the pulse classes (qifgap.bifurcation.bistability)."""

import numpy as np
import pytest

from qifgap import meanfield
from qifgap.bifurcation.bistability import (
    coexistence,
    drive_system,
    pulse_classes,
    rhythm_class,
    stable_intervals,
)
from qifgap.populations import Model

# A: mostly chemical (J_AA = -5), B: mostly electrical (g_BB = 2, J_BB = -2), cross inhibition
SPEC = {
    "populations": {"A": {"eta_bar": 5.5}, "B": {"eta_bar": 5.5}},
    "J": {"A": {"A": -5.0, "B": -12.0}, "B": {"A": -12.0, "B": -2.0}},
    "g": {"B": {"B": 2.0}},
}


@pytest.fixture(scope="module")
def clusters():
    return coexistence(Model.from_dict(SPEC), "drive", -4.0, 1.0)


def _final_state(model, drive, y0, t_end=120.0):
    """(std of r_B over the last 30 τ, mean r_A) of the flow from y0 at a common drive."""
    ts = meanfield.integrate(model=model, t_end=t_end, y0=y0, current=drive, dt_out=0.01)
    late = ts.t > t_end - 30.0
    return float(np.std(ts.r[late, 1])), float(np.mean(ts.r[late, 0]))


A_HIGH = [1.0, 0.05, 0.0, 0.0]  # r_A, r_B, v_A, v_B: cluster A active, B silenced
B_HIGH = [0.05, 1.0, 0.0, 0.5]


@pytest.mark.slow
def test_coexistence_range_is_hopf_to_fold(clusters):
    """The range runs from the (supercritical) Hopf point of B's active state to the fold where
    A's active state ends, and is wide: [-1.890, 0.690] at η̄ = 5.5 (47 % of η̄)."""
    c = clusters
    assert len(c.hopf) == 1 and c.hopf.l1.iloc[0] < 0
    folds = c.branch[c.branch.point == "LP"]["drive"].to_numpy()
    assert c.low == pytest.approx(c.hopf["drive"].iloc[0], abs=2e-3)
    assert c.high == pytest.approx(folds.max(), abs=1e-9)
    assert c.low == pytest.approx(-1.8904, abs=2e-3)
    assert c.high == pytest.approx(0.6936, abs=2e-3)
    assert c.range_table().relative_width.iloc[0] == pytest.approx(2.584 / 5.5, abs=2e-3)


@pytest.mark.slow
def test_end_points_against_direct_integration(clusters):
    """Inside the range, the flow from A active stays asynchronous and from B active becomes the
    rhythm; beyond the fold both go to the rhythm; below the Hopf point neither oscillates."""
    m, c = Model.from_dict(SPEC), clusters
    inside = (c.low + 0.1 * c.width, c.high - 0.1 * c.width)
    for drive in inside:
        std_a, _ = _final_state(m, drive, A_HIGH)
        std_b, _ = _final_state(m, drive, B_HIGH)
        assert std_a < 1e-4 and std_b > 0.05, drive
    above = c.high + 0.1 * c.width
    assert min(_final_state(m, above, y)[0] for y in (A_HIGH, B_HIGH)) > 0.05
    below = c.low - 0.1 * c.width
    assert max(_final_state(m, below, y)[0] for y in (A_HIGH, B_HIGH)) < 1e-4


def test_drive_system_shifts_every_eta():
    m = Model.from_dict(SPEC)
    s = drive_system(m)
    shifted = Model.from_dict(
        {**SPEC, "populations": {"A": {"eta_bar": 6.5}, "B": {"eta_bar": 6.5}}}
    )
    x = np.array([0.3, 0.2, -0.4, 0.1])
    from qifgap.bifurcation import from_model

    ref = from_model(shifted)
    np.testing.assert_allclose(s.rhs(x, np.array([1.0])), ref.rhs(x, ref.params), rtol=1e-14)


def test_stable_intervals():
    lam = [0.0, 1.0, 2.0, 3.0, 2.5, 1.5]
    stable = [True, True, False, True, True, False]
    assert stable_intervals(lam, stable) == [(0.0, 1.0), (2.5, 3.0)]
    events = [False, False, True, False, False, False]  # row 2 is a located fold
    assert stable_intervals(lam, stable, events) == [(0.0, 2.0), (2.0, 3.0)]


def test_rhythm_class_and_pulse_classes():
    t = np.arange(0.0, 20.0, 0.01)
    r = np.where(t < 10.0, 0.5, 0.5 + 0.3 * np.sin(2 * np.pi * t / 1.8))
    assert rhythm_class(t, r, t_min=2.0, t_max=10.0, threshold=0.1) == "async"
    assert rhythm_class(t, r, t_min=12.0, t_max=20.0, threshold=0.1) == "sync"

    class TS:
        populations = ("A", "B")

    ts = TS()
    ts.t, ts.r = t, np.column_stack([0.5 * np.ones_like(t), r])
    table = pulse_classes({"mf": ts}, population="B", threshold=0.1,
                          windows=[[2.0, 10.0, "async"], [12.0, 20.0, "sync"]])  # fmt: skip
    assert list(table.mf) == ["async", "sync"]
    assert table.std_mf.iloc[1] == pytest.approx(0.3 / np.sqrt(2), rel=0.02)
    with pytest.raises(ValueError, match="windows"):
        pulse_classes({"mf": ts}, population="B", threshold=0.1, windows=[[2.0, 10.0, "x"]])
    with pytest.raises(ValueError, match="population"):
        pulse_classes({"mf": ts}, population="C", threshold=0.1, windows=[[2.0, 10.0, "sync"]])
    with pytest.raises(ValueError, match="threshold"):
        rhythm_class(t, r, t_min=2.0, t_max=10.0, threshold=0.0)


def test_parameter_errors():
    m = Model.from_dict(SPEC)
    with pytest.raises(ValueError, match="start and stop"):
        coexistence(m, "drive", 1.0, 1.0)
    with pytest.raises(ValueError, match="J.C.A"):
        coexistence(m, "J.C.A", 0.0, 1.0)
