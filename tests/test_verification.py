"""Verification by attractor: the protocol run on the exact mean field reproduces the phase
diagram's labels everywhere (a protocol that cannot see a region is a bug), the classifier on
constructed time series, the Lorentzian start, and the network started in coexisting
attractors staying in each."""

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from qifgap import bifurcation, meanfield, network
from qifgap import verification as ver
from qifgap.bifurcation import from_model
from qifgap.bifurcation.equilibria import equilibrium
from qifgap.model import FiringRateBatch, FiringRateEquations, rhs_populations
from qifgap.populations import Model

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


def test_meanfield_starts_rows_carry_the_point_g_delta_and_n_zero():
    points = pd.DataFrame({"eta_bar": [5.0], "J": [0.0]})  # one oscillation at g = 1
    row = ver.meanfield_starts(points, g=1.0, delta=0.8, hold=4.0).iloc[0]
    assert (row.eta_bar, row.J, row.g, row.delta, row.N) == (5.0, 0.0, 1.0, 0.8, 0)
    assert row.start == "oscillation" and row.end == "oscillation"
    (cycle,) = ver.attractors_grid(points, g=1.0, delta=0.8)[0]
    assert (row.start_r, row.start_v, row.start_r_min, row.start_r_max) == (
        cycle.r,
        cycle.v,
        cycle.r_min,
        cycle.r_max,
    )
    assert row.start_r_min < 0.5 * row.start_r_max  # a cycle, not a point


def test_compare_classes_distance_is_the_euclidean_distance_to_the_nearest_curve_point():
    """distance = min over the curve points of |(η̄, J) − point| (a plain loop here), per row:
    0 on a saddle-node point, the hand-computed value far away; ``band`` is applied and
    reported as given."""
    diagram = _diagram(1.0)
    curves = ver._curve_points(diagram)
    on_curve = curves[0]
    far = (30.0, 40.0)
    starts = pd.DataFrame({
        "eta_bar": [on_curve[0], far[0]], "J": [on_curve[1], far[1]], "N": 0,
        "start": "fixed point", "end": "fixed point", "stays": True,
    })  # fmt: skip
    table, summary = ver.compare_classes(starts, diagram.tables(), g=1.0, delta=1.0, band=0.5,
                                         coexistence_band=0.25)  # fmt: skip
    expected = [min(math.hypot(x - cx, y - cy) for cx, cy in curves) for x, y in
                [on_curve, far]]  # fmt: skip
    assert expected[0] == 0.0 and expected[1] > 10.0
    np.testing.assert_allclose(table.distance, expected, rtol=1e-12)
    assert summary["band"] == 0.5 and summary["points_away_from_curves"] == 1
    assert (summary["g"], summary["delta"], summary["coexistence_band"]) == (1.0, 1.0, 0.25)


@pytest.mark.parametrize("name", ["band", "coexistence_band"])
def test_compare_classes_refuses_a_negative_band_naming_it_before_work(name):
    with pytest.raises(ValueError, match=rf"^{name} must be >= 0"):
        ver.compare_classes(None, None, g=1.0, delta=1.0, **{name: -0.1})


# P populations: the E–I model of science.md §6 on a grid in (g_II, J_II) ---------------------

EI = Model.from_dict({
    "populations": {"E": {"eta_bar": 1.0}, "I": {"eta_bar": 2.0, "tau_syn": 0.5}},
    "J": {"E": {"E": 5.0, "I": -10.0}, "I": {"E": 10.0, "I": -10.0}},
    "g": {"I": {"I": 1.5}},
})  # fmt: skip
EI_GRID = {"g.I.I": {"min": 0.0, "max": 3.0, "n": 6}, "J.I.I": {"min": -20.0, "max": -2.0, "n": 6}}


def _state(row) -> np.ndarray:
    """The attractor state y a row of the P-population protocols started from (start_y)."""
    return np.array(row.start_y.split(), dtype=float)


def _coefficients(m):
    return dict(eta_bar=m.eta_bar, delta=m.width, tau=m.tau, tau_syn=m.tau_syn, J=m.J, g=m.g,
                kappa=m.kappa)  # fmt: skip


def test_firing_rate_batch_equals_rhs_populations():
    """The batched right-hand side of several E–I models equals rhs_populations per model."""
    models = ver.models_at(EI, pd.DataFrame({"g.I.I": [0.0, 1.5, 3.0], "J.I.I": [-20, -10, -2]}))
    rng = np.random.default_rng(1)
    y = np.abs(rng.normal(size=(5, 3))) + np.array([[0], [0], [-1], [-1], [0]])
    batch = FiringRateBatch([FiringRateEquations(**_coefficients(m)) for m in models])
    want = np.array([rhs_populations(y[:, k], **_coefficients(m))
                     for k, m in enumerate(models)]).T  # fmt: skip
    assert batch.rhs(y) == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_parameter_grid_first_key_fastest():
    grid = ver.parameter_grid(EI_GRID)
    assert list(grid.columns) == ["g.I.I", "J.I.I"] and len(grid) == 36
    assert grid["g.I.I"].iloc[:6].tolist() == pytest.approx([0.0, 0.6, 1.2, 1.8, 2.4, 3.0])
    assert (grid["J.I.I"].iloc[:6] == -20.0).all() and grid["J.I.I"].iloc[-1] == -2.0
    same = ver.parameter_grid({"eta_bar": GRID["eta"], "J": GRID["J"]})
    pd.testing.assert_frame_equal(ver.grid_points(GRID["eta"], GRID["J"]), same)


def test_ei_attractors_are_the_science_reference_states():
    """science.md §6: at g_II = 1.5 a rhythm with ⟨r_I⟩ = 0.319, std r_I = 0.312 (checked on an
    independent DOP853 run from the found cycle point, over 10 periods of 2.834 τ); at g_II = 0
    one stable state with r_I = 0.286."""
    models = ver.models_at(EI, pd.DataFrame({"g.I.I": [1.5, 0.0]}))
    (cycle,), (node,) = ver.model_attractors(models)
    assert cycle.kind == "oscillation" and node.kind == "fixed point"
    assert node.r == pytest.approx(0.286, abs=1e-3)
    ts = meanfield.integrate(model=models[0], t_end=28.34, y0=list(cycle.y), rtol=1e-10,
                             atol=1e-12, dt_out=1e-3)  # fmt: skip
    r_I = ts.population("I").r[:-1]
    assert r_I.mean() == pytest.approx(0.319, abs=2e-3)
    assert r_I.std() == pytest.approx(0.312, abs=3e-3)
    assert r_I.min() == pytest.approx(cycle.r_min, abs=5e-3)
    assert r_I.max() == pytest.approx(cycle.r_max, abs=5e-3)


def test_classify_rates_smoothed_sinusoid_and_fixed_points():
    """A rate sin wave of period 1: 2√2 std = peak-to-peak 2a, times the boxcar's gain
    sin(π w)/(π w) for the smoothing w = 0.2 (0.9355); a constant run is its fixed point."""
    t = np.arange(0.0, 20.0, 0.01)
    node = ver.Attractor("fixed point", 0.3, -0.2, 0.3, 0.3, (0.1, 0.3, -1.0, -0.2, 0.3))
    r = np.column_stack([0.1 + 0.0 * t, 0.3 + 0.2 * np.sin(2 * np.pi * t)])
    out = ver.classify_rates(t, r, found=[node], start="fixed point", threshold=0.1)
    gain = math.sin(math.pi * 0.2) / (math.pi * 0.2)
    assert out["amp_r"] == pytest.approx(0.4 * gain, rel=0.01)
    assert out["end"] == "oscillation" and not out["stays"]
    flat = np.column_stack([0.1 + 0.0 * t, 0.3 + 0.0 * t])
    assert ver.classify_rates(t, flat, found=[node], start="fixed point", threshold=0.1) == {
        "end": "fixed point", "stays": True, "amp_r": pytest.approx(0.0, abs=1e-12),
        "mean_r0": pytest.approx(0.1),
        "mean_r1": pytest.approx(0.3)}  # fmt: skip
    other = ver.classify_rates(t, 3 * flat, found=[node], start="fixed point", threshold=0.1)
    assert other["end"] == "other fixed point"


def test_meanfield_protocol_reproduces_the_ei_labels():
    """The protocol test: the default config's (g_II, J_II) grid, classified by running the
    protocol (kick 0.1, hold 20 τ, threshold 0.1 on the smoothed rate amplitude) on the mean
    field itself, gives the labels of its attractors on ≥ 99 % of the points; and those labels
    are the linear stability of the equilibrium (supercritical Hopf: a cycle exactly where the
    equilibrium is unstable)."""
    points = ver.parameter_grid(EI_GRID)
    starts = ver.meanfield_model_starts(EI, points, hold=20.0, threshold=0.1, kick=0.1)
    table, summary = ver.compare_model_classes(
        starts, pd.DataFrame(columns=list(EI_GRID)), keys=list(EI_GRID), scale=[3.0, 18.0]
    )
    assert summary["points"] == 36 and summary["agreement_all"] >= 0.99
    assert set(table.label_mf) == {"one stable state", "oscillation"}
    # amplitudes: stationary runs far below the threshold, cycles far above it
    assert starts[starts.end == "fixed point"].amp_r.max() < 0.03
    assert starts[starts.end == "oscillation"].amp_r.min() > 0.3
    # the equilibrium continued by Newton along each row, from the stable one at g_II = 0
    unstable, x = [], None
    for m, row in zip(ver.models_at(EI, points), points.itertuples(index=False), strict=True):
        system = from_model(m)
        if row[0] == 0.0:
            x = _state(starts[(starts["g.I.I"] == 0.0) & (starts["J.I.I"] == row[1])].iloc[0])
        x = equilibrium(system, x)
        unstable.append(np.linalg.eigvals(system.jacobian(x, system.params)).real.max() > 0)
    assert (table.label_mf == "oscillation").tolist() == unstable


def test_meanfield_model_starts_reports_the_chosen_population():
    """start_r, start_v (and the classified rates) are those of ``population``: E's and I's
    entries of the attractor's state y = (r_E, r_I, v_E, v_I, s_E, s_I); N is 0 (the mean
    field)."""
    points = pd.DataFrame({"g.I.I": [0.6], "J.I.I": [-9.2]})
    rows = {pop: ver.meanfield_model_starts(EI, points, hold=2.0, threshold=0.1, kick=0.0,
                                            population=pop).iloc[0]
            for pop in ("E", "I")}  # fmt: skip
    y = _state(rows["I"])
    assert rows["E"].start_r == pytest.approx(y[0], rel=1e-8)
    assert rows["E"].start_v == pytest.approx(y[2], rel=1e-8)
    assert rows["I"].start_r == pytest.approx(y[1], rel=1e-8)
    assert abs(y[0] - y[1]) > 0.05 and rows["I"].N == 0
    assert rows["I"].start == rows["I"].end == "fixed point" and rows["I"].stays


def test_meanfield_model_starts_kicks_the_rates_and_smooths_with_the_given_window():
    """kick: every rate starts at (1 + kick) times the node's (a run of 0.05 τ keeps ~that);
    smoothing: a boxcar of 1.5 τ, half the cycle's period or more, lowers the amplitude of
    the cycle at g_II = 1.2 that the default 0.2 τ keeps (0.34 against 0.59)."""
    node = pd.DataFrame({"g.I.I": [0.6], "J.I.I": [-9.2]})
    row = ver.meanfield_model_starts(EI, node, hold=0.05, threshold=0.1, kick=0.5).iloc[0]
    y = _state(row)
    for a in (0, 1):
        assert row[f"mean_r{a}"] / y[a] == pytest.approx(1.5, abs=0.05)
    cycle = pd.DataFrame({"g.I.I": [1.2], "J.I.I": [-9.2]})
    smoothed = ver.meanfield_model_starts(EI, cycle, hold=12.0, threshold=0.1, kick=0.0,
                                          smoothing=1.5)  # fmt: skip
    assert 0.2 < smoothed.amp_r.iloc[0] < 0.45  # 0.59 with 0.2 τ (test_network_each_side_…)


def test_network_each_side_of_the_hopf_curve():
    """J_II = −9.2: the Hopf curve crosses g_II ≈ 0.9. The network (N = 2000 per population)
    started on the equilibrium at g_II = 0.6 stays stationary at the mean field's rates; started
    on the cycle at g_II = 1.2 it keeps the cycle's amplitude of the smoothed rate."""
    points = pd.DataFrame({"g.I.I": [0.6, 1.2], "J.I.I": [-9.2, -9.2]})
    net = ver.verify_model_points(EI, points, N=2000, hold=12.0, threshold=0.1)
    mf = ver.meanfield_model_starts(EI, points, hold=12.0, threshold=0.1, kick=0.0)
    assert net.start.tolist() == ["fixed point", "oscillation"] == mf.start.tolist()
    assert net.end.tolist() == ["fixed point", "oscillation"] and net.stays.all()
    node, cycle = net.iloc[0], net.iloc[1]
    assert node.amp_r < 0.1 and node.mean_r1 == pytest.approx(node.start_r, rel=0.05)
    assert cycle.amp_r == pytest.approx(mf.amp_r.iloc[1], rel=0.15)
    assert mf.amp_r.iloc[1] > 0.4


def test_verify_model_points_validates_before_work():
    points = pd.DataFrame({"g.I.I": [1.0]})
    with pytest.raises(ValueError, match="N must be"):
        ver.verify_model_points(EI, points, N=0)
    with pytest.raises(ValueError, match="threshold"):
        ver.verify_model_points(EI, points, threshold=-1.0)
    with pytest.raises(ValueError, match="g.I.X"):
        ver.verify_model_points(EI, pd.DataFrame({"g.I.X": [1.0]}))


def test_network_starts_with_the_synaptic_trace():
    """s_init: one inhibitory population with slow synapses (τ_s = 5) started on its mean-field
    equilibrium, trace included, fires at the equilibrium rate from the start; with the trace
    at 0 (no inhibition yet) it fires far above it. A negative trace is refused by name."""
    m = Model.from_dict({"populations": {"I": {"eta_bar": 4.0, "tau_syn": 5.0, "N": 2000}},
                         "J": {"I": {"I": -10.0}}})  # fmt: skip
    (node,) = ver.model_attractors([m])[0]
    v_init = {"I": ver.lorentzian_voltages(N=2000, r=node.y[0], v=node.y[1])}
    rates = {}
    for s in (node.y[2], 0.0):
        res = network.simulate(model=m, t_end=1.0, dt=1e-4, v_init=v_init, s_init={"I": s},
                               raster_neurons=0)  # fmt: skip
        rates[s] = res.r[:, 0].mean()
    assert rates[node.y[2]] == pytest.approx(node.y[0], rel=0.05)
    assert rates[0.0] > 1.5 * node.y[0]
    with pytest.raises(ValueError, match="s_init.I"):
        network.simulate(model=m, t_end=0.1, s_init={"I": -1.0})


def test_rhythm_curves_figure_draws_one_mark_per_verified_point():
    """The marks on the rhythm_curves figure: one per grid point, coloured by agreement (green
    agrees, red disagrees, grey in the band), filled where the mean field oscillates."""
    import matplotlib.colors as mcolors
    from matplotlib.collections import PathCollection

    from qifgap import plotting

    entry = {"model": EI.to_dict(), "parameter": "g.I.I", "range": [0.0, 3.0],
             "curves": {"J.I.I": [-20.0, -2.0]}, "verification": {"band": 0.1}}  # fmt: skip
    curve = pd.DataFrame({"g.I.I": [0.85, 0.9, 0.95], "J.I.I": [-20.0, -11.0, -2.0],
                          "frequency": [0.34, 0.35, 0.37], "point": ["", "", ""],
                          "branch": [1, 1, 1]})  # fmt: skip
    classes = pd.DataFrame({"g.I.I": [0.0, 0.6, 1.2, 3.0], "J.I.I": [-20.0, -20.0, -2.0, -2.0],
                            "label_mf": ["one stable state", "one stable state", "oscillation",
                                         "oscillation"],
                            "agree": [True, True, False, True],
                            "distance": [0.3, 0.08, 0.12, 0.7]})  # fmt: skip
    hopf = pd.DataFrame({"g.I.I": [0.9], "frequency": [0.35]})
    fig = plotting.rhythm_curves_figure(
        [curve], hopf, entry=entry, curve_keys=["J.I.I"], verification=[classes],
        verified_keys=["J.I.I"],
    )  # fmt: skip
    ax = fig.axes[0]
    marks = [c for c in ax.collections if isinstance(c, PathCollection)]
    points = np.vstack([c.get_offsets() for c in marks])
    assert sorted(map(tuple, points)) == sorted(zip(classes["g.I.I"], classes["J.I.I"],
                                                    strict=True))  # fmt: skip
    red = [c for c in marks if np.allclose(c.get_edgecolor()[0], mcolors.to_rgba("#b00000"))]
    assert len(red) == 1 and tuple(red[0].get_offsets()[0]) == (1.2, -2.0)
    labels = ax.get_legend_handles_labels()[1]
    assert set(labels) == {"network agrees", "network disagrees", "in the band (not scored)"}


# unit tests on constructed inputs (mutation testing, mutation/equivalent.md) -----------------


def test_parameter_grid_checks_each_range_by_name():
    with pytest.raises(ValueError, match="^ranges: a grid needs at least one parameter$"):
        ver.parameter_grid({})
    for spec, message in (
        ({"min": 0.0, "max": 1.0, "n": 0}, "g.I.I.n must be >= 1"),
        ({"min": math.nan, "max": 1.0, "n": 2}, "g.I.I.min must be finite"),
        ({"min": 0.0, "max": math.inf, "n": 2}, "g.I.I.max must be finite"),
    ):
        with pytest.raises(ValueError, match=message):
            ver.parameter_grid({"g.I.I": spec})
    one = ver.parameter_grid({"J.I.I": {"min": -4.0, "max": -2.0, "n": 3}})
    assert one["J.I.I"].tolist() == [-4.0, -3.0, -2.0]


def test_rk4_samples_the_last_t_record_every_0_02_and_drops_diverging_states():
    """dy/dt = ±y from y = (1, 2): the decaying state is e^{−t} to RK4 accuracy, sampled every
    0.02 τ on [19, 20] (51 samples); the growing one passes 10⁶ at t ≈ 13 and is NaN."""
    y = ver._rk4(lambda y: y * np.array([-1.0, 1.0]), np.array([[1.0, 2.0]]), t_end=20.0,
                 dt=0.01, t_record=1.0)  # fmt: skip
    assert y.shape == (51, 1, 2)
    np.testing.assert_allclose(y[:, 0, 0], np.exp(-np.linspace(19.0, 20.0, 51)), rtol=1e-8)
    assert np.isnan(y[:, 0, 1]).all()
    short = ver._rk4(lambda y: y * np.array([-1.0, 1.0]), np.array([[1.0, 2.0]]), t_end=5.0,
                     dt=0.01, t_record=5.0)  # fmt: skip
    assert short.shape == (251, 1, 2) and short[-1, 0, 1] == pytest.approx(2 * math.exp(5.0))


def test_rk4_sampling_phase_and_stride():
    """Samples at steps start, start + stride, … (start = n − t_record/dt) also when start is
    odd (dt = 0.005: stride 4, start 179 of 200), and every step when dt ≥ 0.02 (stride 1)."""
    decay = lambda y: -y  # noqa: E731
    y = ver._rk4(decay, np.array([[1.0]]), t_end=1.0, dt=0.005, t_record=0.105)
    steps = np.arange(179, 201, 4)
    np.testing.assert_allclose(y[:, 0, 0], np.exp(-0.005 * steps), rtol=1e-9)
    y = ver._rk4(decay, np.array([[1.0]]), t_end=1.0, dt=0.02, t_record=0.1)
    np.testing.assert_allclose(y[:, 0, 0], np.exp(-0.02 * np.arange(45, 51)), rtol=1e-6)


@pytest.mark.filterwarnings("error")
def test_rk4_drops_a_blow_up_quietly():
    """dy/dt = e^y from y = 0 blows up at t = 1 (its RK4 stages overflow: NaN, no warning);
    from y = −3 it is −ln(e³ − t)."""
    y = ver._rk4(np.exp, np.array([[0.0, -3.0]]), t_end=1.5, dt=0.01, t_record=0.0)
    assert np.isnan(y[-1, 0, 0])
    assert y[-1, 0, 1] == pytest.approx(-math.log(math.exp(3.0) - 1.5), rel=1e-9)


def test_cycle_starts_keep_every_fixed_points_starts_and_the_unstable_direction():
    """An unstable focus listed before a saddle keeps its start; at (η̄, J, g) = (−6, 20, 1) the
    saddle's unstable eigenvalue is numpy's second (λ = −3.47, 2.73): the starts follow it."""
    (focus,) = bifurcation.fixed_points(eta_bar=5.0, J=0.0, g=1.0, delta=1.0)
    fps = bifurcation.fixed_points(eta_bar=-6.0, J=20.0, g=1.0, delta=1.0)
    saddle = next(f for f in fps if f.stability == "saddle")
    lam, vec = np.linalg.eig(ver.jacobian(saddle.r, saddle.v, J=20.0, g=1.0))
    assert int(np.argmax(lam.real)) == 1
    first, plus, minus, high = ver._cycle_starts([focus, saddle], J=20.0, g=1.0)
    assert first == (1.05 * focus.r, focus.v)
    u = np.array(plus) - np.array(minus)
    assert abs(u @ np.real(vec[:, 1])) / np.hypot(*u) == pytest.approx(1.0, abs=1e-12)
    assert high == (3.0 * max(focus.r, saddle.r), 0.0)


def test_cycle_starts_on_the_saddle_manifold_and_above_the_high_state():
    """MPR15 point (η̄, J) = (−5, 15), g = 0: two starts 5 % of r from the saddle along its
    unstable eigenvector, one each way, and one at 3 × the highest rate with v = 0; an unstable
    focus (η̄ = 5, J = 0, g = 1) is started 5 % above its rate."""
    fps = bifurcation.fixed_points(eta_bar=-5.0, J=15.0, g=0.0, delta=1.0)
    saddle = next(f for f in fps if f.stability == "saddle")
    plus, minus, high = ver._cycle_starts(fps, J=15.0, g=0.0)
    for s in (plus, minus):
        assert math.hypot(s[0] - saddle.r, s[1] - saddle.v) == pytest.approx(0.05 * saddle.r)
    assert plus[0] - saddle.r == pytest.approx(saddle.r - minus[0])
    u = np.array(plus) - np.array(minus)
    lam, vec = np.linalg.eig(ver.jacobian(saddle.r, saddle.v, J=15.0, g=0.0))
    unstable = np.real(vec[:, int(np.argmax(lam.real))])
    assert abs(u @ unstable) / np.hypot(*u) == pytest.approx(1.0, abs=1e-12)
    assert high == (pytest.approx(3 * 1.0305968, rel=1e-6), 0.0)
    (focus,) = bifurcation.fixed_points(eta_bar=5.0, J=0.0, g=1.0, delta=1.0)
    assert ver._cycle_starts([focus], J=0.0, g=1.0)[0] == (1.05 * focus.r, focus.v)


def test_attractors_validate_their_arguments():
    for kw, name in (({"eta_bar": math.nan}, "eta_bar"), ({"J": math.inf}, "J"),
                     ({"g": -1.0}, "g"), ({"delta": 0.0}, "delta"), ({"t_find": 0.0}, "t_find"),
                     ({"dt": -1e-3}, "dt")):  # fmt: skip
        args = {"eta_bar": -2.0, "J": 10.0, "g": 1.0, "delta": 1.0, **kw}
        with pytest.raises(ValueError, match=f"^{name} must"):
            ver.attractors(**args)


def test_lorentzian_voltages_exact_quantiles_order_and_clipping():
    """N = 4: quantiles π τ r tan((π/2)(2k − 5)/5) = ∓4.324, ∓1.021 around v, dealt in the order
    k = 1 + (3 j mod 4) (s = round(0.618 × 4) = 2 is not coprime to 4: s = 3), clipped to
    [V_r, V_p) (the largest float below V_p); τ r is what counts."""
    q = math.pi * np.tan(0.5 * math.pi * (2 * np.arange(1, 5) - 5) / 5)
    V = ver.lorentzian_voltages(N=4, r=0.5, v=0.25, tau=2.0)
    np.testing.assert_allclose(V, 0.25 + q[[0, 3, 2, 1]], rtol=1e-14)
    clipped = ver.lorentzian_voltages(N=4, r=1.0, v=0.0, v_peak=2.0, v_reset=-1.0)
    assert clipped.tolist() == [-1.0, np.nextafter(2.0, 0.0), pytest.approx(q[2]), -1.0]
    assert ver.lorentzian_voltages(N=1, r=1.0, v=-0.5).tolist() == [-0.5]
    for kw, name in (({"N": 0}, "N"), ({"v": math.nan}, "v"), ({"tau": 0.0}, "tau")):
        with pytest.raises(ValueError, match=f"^{name} must"):
            ver.lorentzian_voltages(**{"N": 4, "r": 1.0, "v": 0.0, **kw})


def test_window_state_needs_two_samples():
    t = np.arange(5.0)
    state = ver.window_state(t, [1.0, 1.0, 1.0, 2.0, 4.0], np.zeros(5), t_min=3.0)
    assert state == {"mean_r": 3.0, "amp_v": 0.0}
    with pytest.raises(ValueError, match=r"t_min \(3.5\) leaves fewer than two samples"):
        ver.window_state(t, np.ones(5), np.zeros(5), t_min=3.5)


def test_classify_run_rate_tolerance_default_threshold_and_no_rate():
    """Nearest fixed point within |ln r/r*| < 0.5 (r = 1.6 is HIGH, r = 2 is not); the default
    oscillation threshold is 0.3 (v = 0.2 sin: amplitude 0.4); a run without rate or without
    fixed points to compare with ends in "other fixed point"."""
    flat_v = np.full_like(T, -0.2)
    assert _run(np.full_like(T, 1.6), flat_v, "fixed point high")["end"] == "fixed point high"
    assert _run(np.full_like(T, 2.0), flat_v, "fixed point high")["end"] == "other fixed point"
    wide = ver.classify_run(T, np.full_like(T, 2.0), flat_v, found=FOUND,
                            start="fixed point high", rate_tolerance=0.8)  # fmt: skip
    assert wide["end"] == "fixed point high"
    v = 0.2 * np.sin(2 * np.pi * T / 1.5)
    out = ver.classify_run(T, np.full_like(T, 1.0), v, found=FOUND, start="oscillation")
    assert out["end"] == "oscillation" and out["amp_v"] == pytest.approx(0.4, rel=0.02)
    assert _run(np.zeros_like(T), flat_v, "fixed point low")["end"] == "other fixed point"
    only_cycle = ver.classify_run(T, np.full_like(T, 1.0), flat_v, found=[CYCLE],
                                  start="oscillation")  # fmt: skip
    assert only_cycle == {"end": "other fixed point", "stays": False, "mean_r": 1.0,
                          "amp_v": pytest.approx(0.0)}  # fmt: skip


def test_classify_run_reads_the_second_half_of_a_run_not_starting_at_zero():
    """t in [10, 22]: the window is t ≥ 16; the run is low before 15.5 and high after."""
    t = 10.0 + T
    r = np.where(t > 15.5, 1.0, 0.1)
    v = np.where(t > 15.5, -0.2, -1.0)
    out = ver.classify_run(t, r, v, found=FOUND, start="fixed point low")
    assert out["end"] == "fixed point high" and out["mean_r"] == pytest.approx(1.0)


def test_classes_from_starts_on_a_constructed_table():
    """Two points, three starts: the point's attractors and ends joined by "|", the starts that
    stayed counted, g carried over, labels from combine."""
    starts = pd.DataFrame({
        "eta_bar": [-2.0, -2.0, 1.0], "J": [10.0, 10.0, 0.0], "g": 1.5, "N": 500,
        "start": ["fixed point", "oscillation", "oscillation"],
        "end": ["fixed point", "fixed point", "oscillation"], "stays": [True, False, True],
    })  # fmt: skip
    out = ver.classes_from_starts(starts)
    assert out.to_dict("records") == [
        {"eta_bar": -2.0, "J": 10.0, "g": 1.5, "N": 500, "attractors_mf": "fixed point|oscillation",
         "ends": "fixed point|fixed point", "n_starts": 2, "n_stayed": 1,
         "label": "one stable state"},
        {"eta_bar": 1.0, "J": 0.0, "g": 1.5, "N": 500, "attractors_mf": "oscillation",
         "ends": "oscillation", "n_starts": 1, "n_stayed": 1, "label": "oscillation"},
    ]  # fmt: skip
    assert "g" not in ver.classes_from_starts(starts.drop(columns="g")).columns


def test_snic_intervals_from_a_saddle_nodes_table():
    """Contiguous runs of SNIC points on the low fold (strings as read back from CSV), the high
    fold ignored; no column or no rows: none."""
    table = pd.DataFrame({
        "J": [6.0, 1.0, 2.0, 3.0, 4.0, 5.0, 2.5],
        "branch": ["low"] * 6 + ["high"],
        "snic": ["True", "false", "1", "True", "0", "TRUE", "True"],
    })  # fmt: skip
    assert ver._snic_intervals(table) == [(2.0, 3.0), (5.0, 6.0)]
    table["snic"] = [False, True, True, False, False, False, False]
    assert ver._snic_intervals(table) == [(1.0, 2.0)]
    assert ver._snic_intervals(table.drop(columns="snic")) == []
    assert ver._snic_intervals(table.iloc[:0]) == []


def test_diagram_from_tables_windows_and_checks():
    regions = pd.DataFrame({"eta_bar": [-3.0, 2.0, -3.0, 2.0], "J": [1.0, 1.0, 7.0, 7.0]})
    low = pd.DataFrame({"J": [5.0, 6.0], "branch": "low", "snic": [True, True]})
    tables = {"saddle_nodes": low, "hopf": pd.DataFrame(), "homoclinic": pd.DataFrame(),
              "points": pd.DataFrame(), "regions": regions}  # fmt: skip
    d = ver.diagram_from_tables(tables, g=0.5, delta=2.0)
    assert (d.g, d.delta, d.eta_range, d.J_range) == (0.5, 2.0, (-3.0, 2.0), (1.0, 7.0))
    assert d.snic_intervals == [(5.0, 6.0)] and d.regions is regions
    assert d.hopf is tables["hopf"] and d.homoclinic is tables["homoclinic"]
    assert d.points is tables["points"] and d.saddle_nodes is low
    with pytest.raises(ValueError, match=r"tables must hold \['hopf', 'points'\]"):
        ver.diagram_from_tables({k: tables[k] for k in ("saddle_nodes", "homoclinic", "regions")},
                                g=0.5, delta=2.0)  # fmt: skip
    with pytest.raises(ValueError, match="^g must"):
        ver.diagram_from_tables(tables, g=-0.5, delta=2.0)
    with pytest.raises(ValueError, match="^delta must"):
        ver.diagram_from_tables(tables, g=0.5, delta=0.0)


def test_curve_points_of_constructed_curves():
    """Saddle-node points as they are, the Hopf line resampled on 2000 J values, each homoclinic
    curve (by ``curve``) resampled 20 times per segment."""
    from types import SimpleNamespace

    diagram = SimpleNamespace(
        saddle_nodes=pd.DataFrame({"eta_bar": [-5.0], "J": [15.0]}),
        hopf=pd.DataFrame({"eta_bar": [2.0, 0.0], "J": [1.0, -1.0]}),
        homoclinic=pd.DataFrame({"eta_bar": [0.0, 1.0, 5.0, 6.0], "J": [10.0, 10.0, 4.0, 4.0],
                                 "curve": [0, 0, 1, 1]}),
    )  # fmt: skip
    pts = ver._curve_points(diagram)
    assert pts.shape == (1 + 2000 + 20 + 20, 2)
    assert pts[0].tolist() == [-5.0, 15.0]
    hopf = pts[1:2001]
    np.testing.assert_allclose(hopf[:, 1], np.linspace(-1.0, 1.0, 2000))
    np.testing.assert_allclose(hopf[:, 0], hopf[:, 1] + 1.0)
    np.testing.assert_allclose(pts[2001:2021, 0], np.linspace(0.0, 1.0, 20))
    np.testing.assert_allclose(pts[2021:, 0], np.linspace(5.0, 6.0, 20))
    diagram.hopf = pd.DataFrame({"eta_bar": [], "J": []})
    diagram.homoclinic = diagram.homoclinic.drop(columns="curve").iloc[:1]
    assert ver._curve_points(diagram).tolist() == [[-5.0, 15.0], [0.0, 10.0]]


# the agreement of a P-population grid on constructed per-start tables ----------------------

KEYS = ["a", "b"]
MODEL_STARTS = pd.DataFrame({
    "a": [0.0, 1.0, 1.0, 2.5], "b": [0.0, 0.0, 0.0, 0.0], "N": 2000,
    "start": ["fixed point", "fixed point", "oscillation", "oscillation"],
    "end": ["fixed point", "fixed point", "fixed point", "oscillation"],
    "stays": [True, True, False, True],
})  # fmt: skip
LINES = pd.DataFrame({"a": [1.0, 1.0, 3.0, 3.0], "b": [-1.0, 1.0, -1.0, 1.0],
                      "curve": "hopf", "branch": [1, 1, 2, 2]})  # fmt: skip


def test_curve_distance_to_resampled_polylines():
    """Scale (2, 1): the points (0, 0), (1, 0), (2.5, 0) lie 0.5, 0 and 0.25 (from a = 3) across
    from the two branches; the nearest of the 20 resampled points of each is at b = ±1/19. One
    polyline through all four points instead passes its segment (1, 1)–(3, −1) 0.2236 from
    (2.5, 0), 0.2298 from the nearest resampled point (k = 10 of 19); no curve: ∞."""
    points = pd.DataFrame({"a": [0.0, 1.0, 2.5], "b": [0.0, 0.0, 0.0]})
    d = ver.curve_distance(points, LINES, scale=[2.0, 1.0])
    np.testing.assert_allclose(d, np.hypot([0.5, 0.0, 0.25], 1 / 19), rtol=1e-12)
    joined = ver.curve_distance(points, LINES.drop(columns=["curve", "branch"]), scale=[2.0, 1.0])
    assert joined[2] == pytest.approx(math.hypot(0.75 - 10 / 19, 1 - 20 / 19), rel=1e-12)
    assert np.isinf(ver.curve_distance(points, LINES.iloc[:0], scale=[2.0, 1.0])).all()


def test_compare_model_classes_on_a_constructed_table():
    """Three points: (0, 0) one stable state (agrees), (1, 0) where the network lost the cycle
    (disagrees, inside the band 0.1), (2.5, 0) oscillation (agrees)."""
    out, summary = ver.compare_model_classes(MODEL_STARTS, LINES, keys=KEYS, scale=[2.0, 1.0],
                                             band=0.1)  # fmt: skip
    assert out.label_net.tolist() == ["one stable state", "one stable state", "oscillation"]
    assert out.label_mf.tolist() == ["one stable state", "oscillation + fixed point",
                                     "oscillation"]  # fmt: skip
    assert out.agree.tolist() == [True, False, True]
    assert summary["keys"] == KEYS and summary["N"] == 2000
    assert summary["points"] == 3 and summary["agreement_all"] == pytest.approx(2 / 3)
    assert summary["band"] == 0.1 and summary["points_away_from_curves"] == 2
    assert summary["agreement_away"] == 1.0
    assert summary["starts"] == 4 and summary["stayed"] == 0.75
    single = summary["regions"]["one stable state"]
    assert single == {"points": 1, "agreement": 1.0, "points_away": 1, "agreement_away": 1.0}
    coexist = summary["regions"]["oscillation + fixed point"]
    assert (coexist["points"], coexist["agreement"], coexist["points_away"]) == (1, 0.0, 0)
    assert math.isnan(coexist["agreement_away"])
    assert summary["confusion"] == {"one stable state -> one stable state": 1,
                                    "oscillation + fixed point -> one stable state": 1,
                                    "oscillation -> oscillation": 1}  # fmt: skip
    _, wide = ver.compare_model_classes(MODEL_STARTS, LINES, keys=KEYS, scale=[2.0, 1.0], band=0.3)
    assert wide["points_away_from_curves"] == 1
    with pytest.raises(ValueError, match="^band must"):
        ver.compare_model_classes(MODEL_STARTS, LINES, keys=KEYS, scale=[2.0, 1.0], band=-0.1)


def test_models_at_refuses_what_is_not_a_model():
    with pytest.raises(ValueError, match="model must be a qifgap.populations.Model, got dict"):
        ver.models_at(EI.to_dict(), pd.DataFrame({"g.I.I": [1.0]}))
    assert ver.model_attractors([]) == []


def test_merge_names_equilibria_by_total_rate_and_drops_duplicates():
    """P = 2, reference population 1: three equilibria, one a copy to 10⁻⁹ of another, give a
    low and a high fixed point (ordered by r_0 + r_1); cycles closer than 2 % in r_max are one."""
    low, high = np.array([0.1, 0.4, -1.0, -0.5]), np.array([0.5, 0.2, -0.1, 0.3])
    cycle = ver.Attractor("oscillation", 0.3, 0.0, 0.1, 1.0, (0.2, 0.3, 0.0, 0.0))
    found = ver._merge([high, low, high + 1e-9], [cycle, replace(cycle, r_max=1.019),
                                                  replace(cycle, r_max=1.03)], 2, 1)  # fmt: skip
    assert [a.kind for a in found] == ["fixed point low", "fixed point high", "oscillation",
                                       "oscillation"]  # fmt: skip
    assert found[0] == ver.Attractor("fixed point low", 0.4, -0.5, 0.4, 0.4, tuple(low))
    assert (found[1].r, found[1].v, found[1].y) == (0.2, 0.3, tuple(high))
    assert [a.r_max for a in found[2:]] == [1.0, 1.03]
    (single,) = ver._merge([low], [], 2, 0)
    assert (single.kind, single.r, single.v) == ("fixed point", 0.1, -1.0)


def test_merge_tolerances_are_relative():
    """Equilibria closer than 10⁻⁶ (1 + max |u|) are one (here 1.5·10⁻⁶); cycles closer than
    2 % of the candidate's r_max are one (at r_max ≈ 2: 0.03 apart merges, 0.05 does not)."""
    u = np.array([0.5, 0.2, -0.1, 0.3])
    assert len(ver._merge([u, u + 1.4e-6], [], 2, 1)) == 1
    assert len(ver._merge([u, u + 1.6e-6], [], 2, 1)) == 2
    cycle = ver.Attractor("oscillation", 0.3, 0.0, 0.1, 2.0, (0.2, 0.3, 0.0, 0.0))
    assert len(ver._merge([], [cycle, replace(cycle, r_max=2.03)], 2, 1)) == 1
    assert len(ver._merge([], [cycle, replace(cycle, r_max=2.05)], 2, 1)) == 2


@pytest.mark.filterwarnings("error")
def test_share_of_nothing_is_nan_without_a_warning():
    assert math.isnan(ver._share(pd.Series([], dtype=bool)))
    assert ver._share(pd.Series([True, False, True, True])) == 0.75


def test_model_attractors_finds_both_nodes_of_the_bistable_wedge():
    """One population at (η̄, J) = (−4.5, 15), g = 0 (inside the wedge (−5.74, −3.14)): the
    four starts find the low and the high node, each a zero of the firing-rate equations
    (Δ/π + 2rv = 0, v² + η̄ + Jr − π²r² = 0) to 10⁻⁸."""
    m = Model.single(eta_bar=-4.5, delta=1.0, J=15.0, g=0.0)
    found = ver.model_attractors([m])[0]
    assert [a.kind for a in found] == ["fixed point low", "fixed point high"]
    for a in found:
        assert abs(1.0 / math.pi + 2 * a.r * a.v) < 1e-8
        assert abs(a.v**2 - 4.5 + 15.0 * a.r - (math.pi * a.r) ** 2) < 1e-8
        assert a.r_min == a.r == a.r_max
    assert found[1].r > 10 * found[0].r


def test_attractors_grid_uses_the_given_width():
    """The node at (η̄, J) = (−2, 3), g = 0, for Δ = 0.5 and 1: a zero of Δ/π + 2rv and
    v² + η̄ + Jr − π²r² with its own Δ (r ∝ Δ nearly: 0.058 against 0.119)."""
    points = pd.DataFrame({"eta_bar": [-2.0], "J": [3.0]})
    rates = []
    for delta in (0.5, 1.0):
        (node,) = ver.attractors_grid(points, g=0.0, delta=delta)[0]
        assert node.kind == "fixed point" and node.r_min == node.r == node.r_max
        assert abs(delta / math.pi + 2 * node.r * node.v) < 1e-10
        assert abs(node.v**2 - 2.0 + 3.0 * node.r - (math.pi * node.r) ** 2) < 1e-10
        rates.append(node.r)
    assert rates[1] > 1.9 * rates[0]


def test_model_attractors_cycle_reports_its_reference_population():
    """E–I at g_II = 1.2, J_II = −9.2: one cycle, whose r, v are the entries of the reference
    population I in its state y = (r_E, r_I, v_E, v_I, s_I), inside [r_min, r_max]."""
    models = ver.models_at(EI, pd.DataFrame({"g.I.I": [1.2], "J.I.I": [-9.2]}))
    (cycle,) = ver.model_attractors(models)[0]
    assert cycle.kind == "oscillation" and len(cycle.y) == 5
    assert (cycle.r, cycle.v) == (cycle.y[1], cycle.y[3])
    assert cycle.r_min <= cycle.r <= cycle.r_max and cycle.r_max > 2 * cycle.r_min


def test_start_voltages_use_each_populations_constants_and_trace():
    """Per population: the Lorentzian quantiles of its (r, v) with its own τ, V_p, V_r
    (:func:`lorentzian_voltages`); s_init of every synaptic population from y's trace entries
    (two synaptic populations: y = (r_E, r_I, v_E, v_I, s_E, s_I))."""
    m = Model.from_dict({
        "populations": {"E": {"eta_bar": 1.0, "tau": 0.8, "v_peak": 50.0, "v_reset": -60.0,
                              "tau_syn": 0.3},
                        "I": {"eta_bar": 2.0, "tau_syn": 0.5}},
        "J": {"E": {"I": -5.0}, "I": {"E": 5.0}},
    })  # fmt: skip
    y = (0.4, 0.9, -0.7, -0.2, 0.35, 0.85)
    a = ver.Attractor("fixed point", y[1], y[3], y[1], y[1], y)
    v_init, s_init = ver._start_voltages(m, a, 300)
    expected_E = ver.lorentzian_voltages(N=300, r=0.4, v=-0.7, tau=0.8, v_peak=50.0,
                                         v_reset=-60.0)  # fmt: skip
    np.testing.assert_array_equal(v_init["E"], expected_E)
    np.testing.assert_array_equal(v_init["I"], ver.lorentzian_voltages(N=300, r=0.9, v=-0.2))
    assert v_init["E"].min() == -60.0 and v_init["E"].max() < 50.0  # clipped to [V_r, V_p)
    assert s_init == {"E": 0.35, "I": 0.85}


def test_classify_rates_reads_the_second_half_and_names_the_nearest_node():
    """Two populations, nodes low (0.1, 0.2) and high (1.0, 2.0): a run oscillating in its
    first half and resting at the high node in the second is "fixed point high"; the same run
    seen whole (t from 0) is not read as oscillating because only t ≥ (t_0 + t_end)/2 counts."""
    low = ver.Attractor("fixed point low", 0.2, -1.0, 0.2, 0.2, (0.1, 0.2, -1.0, -1.0))
    high = ver.Attractor("fixed point high", 2.0, -0.1, 2.0, 2.0, (1.0, 2.0, -0.3, -0.1))
    t = np.arange(0.0, 10.0, 0.01)
    wave = np.where(t < 5.0, 1.0 + 0.8 * np.sin(2 * np.pi * t), 1.0)
    r = np.column_stack([wave, 2.0 * wave])
    run = ver.classify_rates(t, r, found=[low, high], start="fixed point high", threshold=0.1)
    assert run["end"] == "fixed point high" and run["stays"]
    assert run["amp_r"] < 1e-12 and (run["mean_r0"], run["mean_r1"]) == (1.0, 2.0)
    # shifted in time (t from 100): the same reading
    shifted = ver.classify_rates(t + 100.0, r, found=[low, high], start="fixed point low",
                                 threshold=0.1)  # fmt: skip
    assert shifted["end"] == "fixed point high" and not shifted["stays"]


def test_verify_points_rows_and_arguments_reach_the_network():
    """A node at (η̄, J) = (−2, 3): rows carry g, Δ and N; dt and osc_threshold reach the run
    and its classification; bad Δ and hold are refused by name."""
    points = pd.DataFrame({"eta_bar": [-2.0], "J": [3.0]})
    kw = dict(g=0.5, delta=0.8, N=200, hold=1.0)
    a = ver.verify_points(points, dt=1e-4, osc_threshold=10.0, **kw).iloc[0]
    assert (a.g, a.delta, a.N, a.end) == (0.5, 0.8, 200, "fixed point")
    b = ver.verify_points(points, dt=2e-4, osc_threshold=1e-9, **kw).iloc[0]
    assert b.end == "oscillation" and b.amp_v != a.amp_v  # (rates are spike counts: equal)
    for bad, name in (({"delta": -1.0}, "delta"), ({"hold": 0.0}, "hold")):
        with pytest.raises(ValueError, match=f"^{name} must"):
            ver.verify_points(points, **{**kw, **bad})


def test_verify_model_points_rows_and_arguments_reach_the_network():
    """E–I node at g_II = 0.6, J_II = −9.2, N = 200 per population for 1 τ: start_r is the
    chosen population's entry of y, N is reported, dt and smoothing reach the run."""
    point = pd.DataFrame({"g.I.I": [0.6], "J.I.I": [-9.2]})
    kw = dict(N=200, hold=1.0, threshold=10.0)
    e = ver.verify_model_points(EI, point, population="E", dt=1e-4, **kw).iloc[0]
    y = _state(e)
    assert e.start_r == pytest.approx(y[0], rel=1e-8) and e.N == 200
    assert (e.start_r_min, e.start_r_max) == (e.start_r, e.start_r)
    # binned spike counts of 200 neurons hardly move with dt: 10 times the step changes them
    other_dt = ver.verify_model_points(EI, point, dt=1e-3, **kw).iloc[0]
    assert other_dt.amp_r != e.amp_r
    smooth = ver.verify_model_points(EI, point, dt=1e-4, smoothing=0.05, **kw).iloc[0]
    assert smooth.amp_r != e.amp_r


def test_rate_amplitudes_boxcar_is_smoothing_over_the_sample_step_at_any_start_time():
    """t from 100 in steps of 0.01: a boxcar of 0.1 τ is 10 samples, one period of a 10 Hz
    sine, which it averages to ~0 (unsmoothed: 2√2 × 1/√2 = 2)."""
    t = 100.0 + 0.01 * np.arange(1000)
    r = 1.0 + np.sin(2 * np.pi * t / 0.1)
    assert ver.rate_amplitudes(t, r, t_min=t[0], smoothing=0.1)[0] < 1e-9
    assert ver.rate_amplitudes(t, r, t_min=t[0], smoothing=0.01)[0] == pytest.approx(2.0, 1e-3)


def test_rate_amplitudes_window_and_short_runs():
    """Over t ≥ t_min only; a window shorter than the boxcar is not smoothed: 2√2 std of the
    raw rates (0, 1, 0: 2√2 × √2/3 = 4/3)."""
    t = np.arange(0.0, 1.0, 0.01)
    r = np.column_stack([np.where(t < 0.5, 5.0, 1.0), np.where(t < 0.5, 0.0, 2.0)])
    np.testing.assert_allclose(ver.rate_amplitudes(t, r, t_min=0.5), [0.0, 0.0], atol=1e-12)
    short = ver.rate_amplitudes(t[:3], np.array([0.0, 1.0, 0.0]), t_min=0.0)
    assert short.tolist() == [pytest.approx(4.0 / 3.0)]
    with pytest.raises(ValueError, match=r"t_min \(0.995\) leaves fewer than two samples"):
        ver.rate_amplitudes(t, r, t_min=0.995)


def test_classify_rates_tolerance_is_half_in_summed_log_rates():
    """Σ_a |ln(r_a/r_a*)| < 0.5: rates (0.1, 0.3) × (1.2, 1.2) are 2 ln 1.2 = 0.365 away (the
    fixed point), × (1.3, 1.3) 0.525 away (another one); a zero rate is another one too."""
    t = np.arange(0.0, 4.0, 0.01)
    node = ver.Attractor("fixed point", 0.3, -0.2, 0.3, 0.3, (0.1, 0.3, -1.0, -0.2, 0.3))
    flat = np.column_stack([0.1 + 0.0 * t, 0.3 + 0.0 * t])
    ends = [ver.classify_rates(t, f * flat, found=[node], start="fixed point",
                               threshold=0.1)["end"] for f in (1.2, 1.3, 0.0)]  # fmt: skip
    assert ends == ["fixed point", "other fixed point", "other fixed point"]
    cycle = replace(CYCLE, y=(0.1, 0.3, 0.0, 0.0, 0.0))
    only = ver.classify_rates(t, flat, found=[cycle], start="oscillation", threshold=0.1)
    assert only["end"] == "other fixed point" and only["stays"] is False


def test_protocols_validate_before_work():
    points = pd.DataFrame({"eta_bar": [-2.4], "J": [13.6]})
    for kw, name in (({"N": 0}, "N"), ({"osc_threshold": 0.0}, "osc_threshold"),
                     ({"g": -1.0}, "g")):  # fmt: skip
        with pytest.raises(ValueError, match=f"^{name} must"):
            ver.verify_points(points, **{"g": 1.0, "delta": 1.0, **kw})
    for kw, name in (({"g": -1.0}, "g"), ({"delta": 0.0}, "delta"), ({"hold": 0.0}, "hold")):
        with pytest.raises(ValueError, match=f"^{name} must"):
            ver.meanfield_starts(points, **{"g": 1.0, "delta": 1.0, **kw})
    grid = pd.DataFrame({"g.I.I": [1.0]})
    for kw, name in (({"hold": 0.0}, "hold"), ({"smoothing": 0.0}, "smoothing"),
                     ({"dt": 0.0}, "dt")):  # fmt: skip
        with pytest.raises(ValueError, match=f"^{name} must"):
            ver.verify_model_points(EI, grid, **kw)
    for kw, name in (({"kick": -0.1}, "kick"), ({"threshold": 0.0}, "threshold"),
                     ({"hold": -1.0}, "hold")):  # fmt: skip
        with pytest.raises(ValueError, match=f"^{name} must"):
            ver.meanfield_model_starts(EI, grid, **kw)
    for kw, name in (({"t_find": 0.0}, "t_find"), ({"dt": 0.0}, "dt")):
        with pytest.raises(ValueError, match=f"^{name} must"):
            ver.model_attractors(ver.models_at(EI, grid), **kw)


def test_curve_distance_groups_by_curve_and_branch_and_takes_single_points():
    """Two curves with the same branch number are two polylines (not one through both); a
    curve of one point is that point."""
    points = pd.DataFrame({"a": [0.0, 1.0, 2.5], "b": [0.0, 0.0, 0.0]})
    two_curves = LINES.assign(curve=["hopf", "hopf", "snic", "snic"], branch=1)
    np.testing.assert_allclose(ver.curve_distance(points, two_curves, scale=[2.0, 1.0]),
                               np.hypot([0.5, 0.0, 0.25], 1 / 19), rtol=1e-12)  # fmt: skip
    dot = pd.DataFrame({"a": [2.0], "b": [1.0], "curve": ["TB"], "branch": [0]})
    np.testing.assert_allclose(ver.curve_distance(points, dot, scale=[2.0, 1.0]),
                               np.hypot([1.0, 0.5, 0.25], 1.0), rtol=1e-12)  # fmt: skip


def test_compare_model_classes_default_band_and_a_single_point():
    _, summary = ver.compare_model_classes(MODEL_STARTS, LINES, keys=KEYS, scale=[2.0, 1.0])
    assert summary["band"] == 0.1 and summary["points_away_from_curves"] == 2
    _, one = ver.compare_model_classes(MODEL_STARTS.iloc[:1], LINES, keys=KEYS, scale=[2.0, 1.0])
    assert (one["points"], one["N"], one["agreement_all"]) == (1, 2000, 1.0)
