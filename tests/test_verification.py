"""Verification by attractor: the protocol run on the exact mean field reproduces the phase
diagram's labels everywhere (a protocol that cannot see a region is a bug), the classifier on
constructed time series, the Lorentzian start, and the network started in coexisting
attractors staying in each."""

import math

import numpy as np
import pandas as pd
import pytest

from qifgap import bifurcation, meanfield
from qifgap import verification as ver

GRID = {"eta": {"min": -8.0, "max": 6.0, "n": 16}, "J": {"min": -2.0, "max": 16.0, "n": 16}}


_DIAGRAMS = {}


def _diagram(g):
    """The phase diagram around the verification grid at g (computed once per module)."""
    if g not in _DIAGRAMS:
        _DIAGRAMS[g] = bifurcation.phase_diagram(g, 1.0, eta_range=(-9.0, 7.0),
                                                 J_range=(-3.0, 17.0), n=2)  # fmt: skip
    return _DIAGRAMS[g]


@pytest.fixture(params=[1.0, 2.0], ids=["g=1", "g=2"])
def diagram(request):
    return _diagram(request.param)


def test_meanfield_protocol_reproduces_the_phase_diagram(diagram):
    """The default config's verification grid, classified by running the protocol on the mean
    field itself: ≥ 99 % of all points carry the phase diagram's label, and so does every
    point of the coexistence regions (bistable wedge, oscillation + fixed point band)."""
    points = ver.grid_points(GRID["eta"], GRID["J"])
    starts = ver.meanfield_starts(points, g=diagram.g, delta=1.0)
    table, summary = ver.compare_classes(starts, diagram.tables(), g=diagram.g, delta=1.0)
    assert summary["points"] == 256
    assert summary["agreement_all"] >= 0.99
    assert summary["stayed"] == 1.0  # the mean field started on an attractor stays on it
    coexistence = table[table.label_mf.isin(ver.COEXISTENCE)]
    if diagram.g == 1.0:  # the g = 1 scenario: the wedge and the band are on the grid
        assert len(coexistence) >= 5
        assert set(coexistence.label_mf) == set(ver.COEXISTENCE)
    assert coexistence.agree.all(), coexistence
    # every region the diagram has on the grid is seen by the protocol
    assert set(table.label_net) == set(table.label_mf)


def test_coexisting_cycle_and_node_at_g1():
    """(η̄, J) = (−2.4, 13.6), g = 1: a cycle with r in [0.225, 2.70] coexists with the node at
    r = 0.102 (closed form); the cycle is checked with an independent DOP853 integration."""
    found = ver.attractors(eta_bar=-2.4, J=13.6, g=1.0, delta=1.0)
    kinds = [a.kind for a in found]
    assert kinds == ["fixed point", "oscillation"]
    node, cycle = found
    assert node.r == pytest.approx(0.10243, abs=1e-5)
    assert cycle.r_min == pytest.approx(0.2246, abs=2e-3)
    assert cycle.r_max == pytest.approx(2.700, abs=1e-2)
    ts = meanfield.integrate(eta_bar=-2.4, delta=1.0, J=13.6, g=1.0, t_end=30.0, r0=cycle.r,
                             v0=cycle.v, rtol=1e-10, atol=1e-12)  # fmt: skip
    assert ts.r.min() == pytest.approx(cycle.r_min, abs=2e-3)
    assert ts.r.max() == pytest.approx(cycle.r_max, abs=2e-2)
    assert ver.combine(kinds) == "oscillation + fixed point"


def test_bistable_wedge_at_g0_has_two_fixed_points():
    """η̄ = −5, J = 15, g = 0 (MPR15): node at r = 0.0811 and focus at r = 1.0306, no cycle."""
    found = ver.attractors(eta_bar=-5.0, J=15.0, g=0.0, delta=1.0)
    assert [a.kind for a in found] == ["fixed point low", "fixed point high"]
    assert [a.r for a in found] == pytest.approx([0.0811, 1.0306], abs=1e-4)


# classify_run on constructed time series --------------------------------------------------

LOW = ver.Attractor("fixed point low", 0.1, -1.0, 0.1, 0.1)
HIGH = ver.Attractor("fixed point high", 1.0, -0.2, 1.0, 1.0)
CYCLE = ver.Attractor("oscillation", 0.5, 0.0, 0.2, 2.0)
FOUND = [LOW, HIGH, CYCLE]
T = np.linspace(0.0, 12.0, 1201)


def _run(r, v, start):
    return ver.classify_run(T, r, v, found=FOUND, start=start, osc_threshold=0.3)


def test_classify_constant_run_stays():
    out = _run(np.full_like(T, 0.1), np.full_like(T, -1.0), "fixed point low")
    assert out == {"end": "fixed point low", "stays": True, "mean_r": pytest.approx(0.1),
                   "amp_v": pytest.approx(0.0)}  # fmt: skip


def test_classify_damped_oscillation_is_its_fixed_point():
    """Transient synchrony (a focus, damping rate 0.8) decays in the first half: fixed point."""
    r = 1.0 + 0.5 * np.exp(-0.8 * T) * np.cos(2 * np.pi * T / 1.09)
    v = -0.2 + 2.0 * np.exp(-0.8 * T) * np.sin(2 * np.pi * T / 1.09)
    out = _run(r, v, "fixed point high")
    assert out["end"] == "fixed point high" and out["stays"]
    assert out["amp_v"] < 0.05  # against 4 at the start and the threshold 0.3


def test_classify_sustained_oscillation():
    """v = sin: 2√2 std over whole periods = 2 (the peak-to-peak amplitude)."""
    r = 0.5 + 0.3 * np.sin(2 * np.pi * T / 1.5)
    v = np.sin(2 * np.pi * T / 1.5)
    out = _run(r, v, "oscillation")
    assert out["end"] == "oscillation" and out["stays"]
    assert out["amp_v"] == pytest.approx(2.0, rel=0.02)
    # the same run started from the low state has left it
    assert _run(r, v, "fixed point low")["stays"] is False


def test_classify_switching_run_leaves():
    """A run that switches from the low to the high state in its first half ends high."""
    up = T > 3.0
    r = np.where(up, 1.0, 0.1)
    v = np.where(up, -0.2, -1.0)
    out = _run(r, v, "fixed point low")
    assert out["end"] == "fixed point high" and out["stays"] is False
    # switching back and forth between them through the whole run is an oscillation
    square = np.sin(2 * np.pi * T / 2.0) > 0
    out = _run(np.where(square, 1.0, 0.1), np.where(square, -0.2, -1.0), "fixed point high")
    assert out["end"] == "oscillation"


def test_classify_unknown_fixed_point():
    out = _run(np.full_like(T, 5.0), np.full_like(T, 0.1), "fixed point high")
    assert out["end"] == "other fixed point" and not out["stays"]


@pytest.mark.parametrize(
    ("ends", "label"),
    [
        (["fixed point"], "one stable state"),
        (["fixed point low", "fixed point low"], "one stable state"),
        (["fixed point low", "fixed point high"], "bistable"),
        (["oscillation"], "oscillation"),
        (["fixed point", "oscillation"], "oscillation + fixed point"),
        (["fixed point low", "fixed point high", "oscillation"], "oscillation + fixed point"),
    ],
)
def test_combine(ends, label):
    assert ver.combine(ends) == label


# the Lorentzian start ----------------------------------------------------------------------


def test_lorentzian_voltages_centre_width_and_order():
    """Median v, quartiles v ± π r (half-width π τ r), uncorrelated with the neuron index (the
    excitability order), clipped below V_p."""
    V = ver.lorentzian_voltages(N=10_000, r=0.4, v=-0.5)
    assert np.median(V) == pytest.approx(-0.5, abs=2e-3)
    q1, q3 = np.quantile(V, [0.25, 0.75])
    assert 0.5 * (q3 - q1) == pytest.approx(math.pi * 0.4, rel=2e-3)
    assert V.max() < 100.0 and V.min() >= -100.0
    rank = np.argsort(np.argsort(V))
    assert abs(np.corrcoef(rank, np.arange(V.size))[0, 1]) < 0.05
    with pytest.raises(ValueError, match="r must be > 0"):
        ver.lorentzian_voltages(N=10, r=0.0, v=0.0)


def test_verify_points_validates_before_work():
    points = pd.DataFrame({"eta_bar": [-2.4], "J": [13.6]})
    with pytest.raises(TypeError):
        ver.verify_points(points, g=1.0)  # Δ has no hidden default
    with pytest.raises(ValueError, match="delta"):
        ver.verify_points(points, g=1.0, delta=0.0)
    with pytest.raises(ValueError, match="hold"):
        ver.verify_points(points, g=1.0, delta=1.0, hold=-1.0)


def test_network_stays_in_both_coexisting_attractors():
    """The spiking network (N = 5000) started in the node and on the cycle at (−2.4, 13.6),
    g = 1, stays in each: the point is classified "oscillation + fixed point"."""
    points = pd.DataFrame({"eta_bar": [-2.4], "J": [13.6]})
    starts = ver.verify_points(points, g=1.0, delta=1.0, N=5000, hold=8.0)
    assert list(starts.start) == ["fixed point", "oscillation"]
    assert starts.stays.all(), starts
    node, cycle = starts.iloc[0], starts.iloc[1]
    assert node.mean_r == pytest.approx(0.1024, rel=0.15)  # finite N and V_p: a few %
    assert cycle.amp_v > 1.0
    classes = ver.classes_from_starts(starts)
    assert classes.label.tolist() == ["oscillation + fixed point"]


def test_diagram_from_written_tables_gives_the_same_labels(diagram, tmp_path):
    """The labels read back from the CSV tables the workflow writes equal those of the
    diagram computed in memory (SNIC intervals recovered from the saddle_nodes table)."""
    paths = diagram.to_csv(tmp_path)
    tables = {name: pd.read_csv(path) for name, path in paths.items()}
    again = ver.diagram_from_tables(tables, g=diagram.g, delta=1.0)
    points = ver.grid_points({"min": -8.0, "max": 6.0, "n": 57}, {"min": -2.0, "max": 16.0,
                                                                  "n": 73})  # fmt: skip
    a = diagram.label(points.eta_bar.to_numpy(), points.J.to_numpy())
    b = again.label(points.eta_bar.to_numpy(), points.J.to_numpy())
    assert np.mean(a == b) >= 0.999
    with pytest.raises(ValueError, match="regions"):
        ver.diagram_from_tables({k: v for k, v in tables.items() if k != "regions"}, g=1.0,
                                delta=1.0)  # fmt: skip


def test_compare_classes_counts_all_points_and_coexistence_separately():
    """A per-start table in which the network misses the cycle at one coexistence point:
    the headline counts every point, the coexistence agreement drops accordingly."""
    diagram = _diagram(1.0)
    points = pd.DataFrame({"eta_bar": [-2.4, -2.4, 5.0, -6.0], "J": [13.6, 12.4, 0.0, 0.0]})
    starts = ver.meanfield_starts(points, g=1.0, delta=1.0)
    starts.loc[(starts.J == 12.4) & (starts.start == "oscillation"), "end"] = "fixed point"
    table, summary = ver.compare_classes(starts, diagram.tables(), g=1.0, delta=1.0, band=0.0,
                                         coexistence_band=0.0)  # fmt: skip
    assert table.label_mf.tolist() == ["oscillation + fixed point", "oscillation + fixed point",
                                       "oscillation", "one stable state"]  # fmt: skip
    assert table.agree.tolist() == [True, False, True, True]
    assert summary["agreement_all"] == 0.75
    assert summary["coexistence_points"] == 2 and summary["agreement_coexistence"] == 0.5
    assert summary["regions"]["oscillation + fixed point"]["agreement"] == 0.5
    assert summary["confusion"]["oscillation + fixed point -> one stable state"] == 1
