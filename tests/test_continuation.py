"""Numerical continuation: limit cycles, homoclinic curve, SNSL point and phase diagrams.

Every continuation result is checked against an independent computation: the numba integrator
against scipy's DOP853 with qifgap.model.rhs, cycles and long periods against direct integration
of the mean field (qifgap.meanfield.integrate), the SNSL point against simulations on both sides
of it, the homoclinic curve against the end of the Hopf branch of cycles, region labels against
the attractors found by simulation.
"""

from __future__ import annotations

import importlib
import math
import time

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import solve_ivp

from qifgap import meanfield, model
from qifgap.bifurcation import closed_form as cf
from qifgap.bifurcation import continuation as cont
from qifgap.bifurcation import field, gaps, homoclinic, integrator

# the planar module (qifgap.bifurcation.cycles is the general cycle continuation function)
cycles = importlib.import_module("qifgap.bifurcation.cycles")

# the module, not the function of the same name exported by qifgap.bifurcation
pdg = importlib.import_module("qifgap.bifurcation.phase_diagram")

PI = math.pi


def _sigma_crossings(ts, v_s, r_s):
    """Times of downward crossings of Σ = {v = v_s, r > r_s} in a sampled time series."""
    v, r, t = ts.v, ts.r, ts.t
    k = np.nonzero((v[:-1] > v_s) & (v[1:] <= v_s) & (r[1:] > r_s))[0]
    return t[k] + (v[k] - v_s) / (v[k] - v[k + 1]) * (t[k + 1] - t[k])


# --- the one definition of the equations -------------------------------------------------------


def test_numba_field_matches_model_rhs_and_jacobian():
    rng = np.random.default_rng(1)
    for _ in range(50):
        r, v = rng.uniform(0.01, 3), rng.uniform(-3, 3)
        eta, J, g, delta = rng.uniform(-10, 5), rng.uniform(-10, 20), rng.uniform(0, 3), 1.3
        fr, fv = field.vector_field(r, v, eta, J, g, delta)
        ref = model.rhs(r, v, eta_bar=eta, delta=delta, J=J, g=g)
        assert (fr, fv) == pytest.approx(ref, rel=1e-14, abs=1e-14)
        y = np.array([r, v, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0])
        out = np.empty(8)
        field.extended_field(y, np.array([eta, J, g, delta, 1.0]), out)
        A = model.jacobian(r, v, J=J, g=g)
        np.testing.assert_allclose(out[2:6], A.ravel(), rtol=1e-14, atol=1e-14)
        assert out[7] == pytest.approx(np.trace(A), rel=1e-14, abs=1e-14)


def test_return_map_against_scipy_dop853():
    """One return to Σ by the numba integrator against solve_ivp(DOP853) on model.rhs."""
    g, J = 1.0, 10.0
    eta = cf.hopf_eta(J, g) + 0.3
    focus = cf.fixed_points(eta, J, g)[-1]
    r0 = focus.r + 0.2
    o = integrator.run(
        (r0, focus.v), eta, J, g, 1.0, section=(focus.v, focus.r), t_max=100.0, tol=(1e-11, 1e-13)
    )
    assert o.status == 1

    def f(t, y):
        return model.rhs(y[0], y[1], eta_bar=eta, delta=1.0, J=J, g=g)

    def hit(t, y):
        return y[1] - focus.v

    hit.direction = -1
    sol = solve_ivp(f, (0, 10), [r0, focus.v], method="DOP853", rtol=1e-12, atol=1e-14, events=hit)
    ok = (sol.t_events[0] > 1e-6) & (sol.y_events[0][:, 0] > focus.r)
    t_ref, y_ref = sol.t_events[0][ok][0], sol.y_events[0][ok][0]
    assert o.t == pytest.approx(t_ref, rel=1e-9)
    assert o.y[0] == pytest.approx(y_ref[0], rel=1e-9)


# --- limit cycles --------------------------------------------------------------------------------


@pytest.mark.parametrize("g,J", [(1.0, 5.0), (2.0, 0.0)])
def test_hopf_branch_is_supercritical(g, J):
    eta_h = cf.hopf_eta(J, g)
    d = np.geomspace(1e-5, 1e-3, 6)
    df = cont.limit_cycles(J, g, eta_values=eta_h + d)
    assert len(df) == len(d)
    fit = np.polyfit(np.log(df.eta_bar - eta_h), np.log(df.amplitude), 1)
    assert fit[0] == pytest.approx(0.5, abs=0.1)
    assert df.period.iloc[0] == pytest.approx(2 * PI / cf.hopf_frequency(J, g), rel=1e-3)
    assert df.stable.all() and (df.floquet.abs() < 1).all()
    # the Floquet multiplier → 1 at onset
    assert df.floquet.iloc[0] > df.floquet.iloc[-1] > 0.9


def test_floquet_multiplier_is_the_return_map_slope():
    rm = cycles._ReturnMap(cf.hopf_eta(10.0, 1.0) + 0.5, 10.0, 1.0, 1.0, (1e-10, 1e-12), 1e3)
    R = cycles._find_cycle(rm, None)
    assert R.dP == pytest.approx(math.exp(R.y[7]), rel=1e-6)
    assert R.P == pytest.approx(R.r0, abs=1e-12)


def test_limit_cycle_against_direct_integration():
    g, J = 1.0, 10.0
    eta = cf.hopf_eta(J, g) + 0.5
    row = cont.limit_cycle(eta, J, g)
    ts = meanfield.integrate(
        eta_bar=eta, delta=1.0, J=J, g=g, t_end=60.0, r0=row["r_section"], v0=row["v_section"],
        dt_out=1e-3,
    )  # fmt: skip
    focus = cf.fixed_points(eta, J, g)[-1]
    tc = _sigma_crossings(ts, focus.v, focus.r)
    assert np.diff(tc).mean() == pytest.approx(row["period"], rel=1e-3)
    late = ts.t > 20
    assert ts.r[late].min() == pytest.approx(row["r_min"], rel=1e-3)
    assert ts.r[late].max() == pytest.approx(row["r_max"], rel=1e-3)
    assert ts.v[late].min() == pytest.approx(row["v_min"], rel=1e-3, abs=1e-6)
    assert ts.v[late].max() == pytest.approx(row["v_max"], rel=1e-3, abs=1e-6)


def test_branch_continues_without_homoclinic_below_turning_point():
    df = cont.limit_cycles(10.0, 1.0, n=20)
    assert df.attrs["end"] == "eta_range" and len(df) == 20
    assert df.eta_bar.is_monotonic_increasing and df.stable.all()


def test_period_exceeds_500_near_the_homoclinic_curve():
    """g = 2 just below J_SNSL: the large cycle ends (going left) in a homoclinic loop of a
    saddle with a small unstable eigenvalue (next to the SNSL point), so its period grows far
    beyond 500; direct integration reproduces it."""
    g = 2.0
    J = cont.snsl(g)[1] - 0.02
    left, right = cf.saddle_node_etas(J, g)
    df = cont.limit_cycles(J, g, eta_range=(left, right + 0.5), n=20, start="high")
    assert df.attrs["end"] == "lost"
    assert df.period.is_monotonic_increasing
    row = df[df.period > 500].iloc[0]
    # the cycle is lost where the homoclinic curve crosses this J (independent manifold gap)
    hom = cont.homoclinic_curve(g)
    crossings = pdg._hom_crossings(hom, J)
    assert np.min(np.abs(crossings - df.attrs["eta_end"])) < 1e-3
    ts = meanfield.integrate(
        eta_bar=row.eta_bar, delta=1.0, J=J, g=g, t_end=2.2 * row.period, r0=row.r_section,
        v0=row.v_section, dt_out=0.01,
    )  # fmt: skip
    focus = cf.fixed_points(row.eta_bar, J, g)[-1]
    periods = np.diff(_sigma_crossings(ts, focus.v, focus.r))
    assert periods.size >= 1 and periods.min() > 500
    assert periods.mean() == pytest.approx(row.period, rel=1e-3)


def test_snic_cycle_period_diverges_as_inverse_square_root():
    """g = 2, J = 6 > J_SNSL: the large cycle continued leftwards ends at the low fold (a SNIC),
    with period ∝ (η̄ − η̄_SN)^(−1/2)."""
    g, J = 2.0, 6.0
    eta_sn = cf.saddle_node_etas(J, g)[1]
    df = cont.limit_cycles(
        J, g, eta_range=(eta_sn - 0.5, eta_sn + 1.0), n=16, start="high", period_max=3000
    )
    assert df.attrs["end"] == "lost"
    assert df.attrs["eta_end"] == pytest.approx(eta_sn, abs=1e-6)
    d = df.eta_bar.to_numpy() - eta_sn
    near = (d > 0) & (d < 1e-2)
    assert near.sum() >= 5 and df.period.max() > 1000
    slope = np.polyfit(np.log(d[near]), np.log(df.period.to_numpy()[near]), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.05)


def test_hopf_branch_ends_on_the_homoclinic_curve():
    """Between SNSL and TB (g = 2, J = 4.5) the Hopf cycle is lost at the homoclinic point found
    by the manifold gap, to within the continuation's resolution."""
    g, J = 2.0, 4.5
    df = cont.limit_cycles(J, g, n=20)
    assert df.attrs["end"] == "lost"
    eta_hom = homoclinic.homoclinic_eta_near_hopf(J, g, 1.0, (1e-10, 1e-12))
    assert df.attrs["eta_end"] == pytest.approx(eta_hom, abs=1e-7)
    assert df.period.iloc[-1] > 2.5 * df.period.iloc[0]
    assert df.period.is_monotonic_increasing


# --- homoclinic curve and SNSL -------------------------------------------------------------------


@pytest.mark.parametrize("g", [2.0, 3.0])
def test_homoclinic_curve_from_tb_to_snsl(g):
    hom = cont.homoclinic_curve(g)
    assert hom.attrs["end"] == "SNSL"
    eta_tb, J_tb = cf.takens_bogdanov(g)
    first, second, last = hom.iloc[0], hom.iloc[1], hom.iloc[-1]
    assert (first.method, first.eta_bar, first.J) == ("TB", eta_tb, J_tb)
    assert math.hypot(second.eta_bar - eta_tb, second.J - J_tb) < 0.1
    assert last.method == "SNSL"
    assert last.eta_bar == pytest.approx(cf.saddle_node_etas(last.J, g)[1], abs=1e-4)
    assert (last.eta_bar, last.J) == pytest.approx(cont.snsl(g), abs=1e-8)
    inner = hom[hom.method == "manifold gap"]
    assert (inner.saddle_quantity < 0).all()  # the cycles ending on the loop are stable
    assert inner.period.isna().all()
    # every continuation point is a zero of the manifold gap
    for _, row in inner.iloc[:: max(1, len(inner) // 5)].iterrows():
        gap = gaps.saddle_gap(row.r_saddle, row.J, g, 1.0)
        assert abs(gap.gap) < 1e-8


def test_reference_codim2_points():
    c2 = pdg.codim2_vs_g([0.0, 1.0, 2.0])
    assert c2.loc[0, ["cusp_eta", "cusp_J"]].tolist() == pytest.approx(
        [-1.73205, 7.79622], abs=1e-5
    )
    assert c2.loc[1, ["cusp_eta", "cusp_J"]].tolist() == pytest.approx([-0.8090, 5.6287], abs=1e-4)
    assert c2.loc[2, ["cusp_eta", "cusp_J"]].tolist() == pytest.approx([-0.1090, 2.3102], abs=1e-4)
    assert c2.loc[1, ["tb_eta", "tb_J"]].tolist() == pytest.approx([-3.9375, 12.37002], abs=1e-5)
    assert c2.loc[2, ["tb_eta", "tb_J"]].tolist() == pytest.approx([-0.75, 4.71239], abs=1e-5)
    assert c2.loc[0, ["tb_eta", "tb_J", "snsl_eta", "snsl_J"]].isna().all()
    assert c2.loc[1, ["snsl_eta", "snsl_J"]].isna().all()  # no SNIC part on the low fold
    assert c2.loc[2, ["snsl_eta", "snsl_J"]].tolist() == pytest.approx(
        [-0.430314, 4.333055], abs=1e-5
    )


def _fold_passage(g, J, eps, t_end):
    """Start on the low saddle-node point at J, with η̄ just past the fold: period of the
    attractor reached and its closest approach to the (vanished) saddle-node point."""
    r_sn = min(cf.fold_rates(J, g, 1.0))
    v_sn = g / 2 - 1 / (2 * PI * r_sn)
    eta = cf.saddle_node_etas(J, g)[1] + eps
    (focus,) = cf.fixed_points(eta, J, g)
    ts = meanfield.integrate(
        eta_bar=eta, delta=1.0, J=J, g=g, t_end=t_end, r0=r_sn, v0=v_sn, dt_out=0.02
    )
    periods = np.diff(_sigma_crossings(ts, focus.v, focus.r))
    last = ts.t > ts.t[-1] - periods[-1]
    return periods[-1], np.hypot(ts.r[last] - r_sn, ts.v[last] - v_sn).min()


@pytest.mark.parametrize("g", [2.0, 3.0])
def test_snsl_separates_snic_from_saddle_node(g):
    """Direct integration just past the low fold, at J_SNSL ± 0.05: above the SNSL the orbit
    returns through the vanished saddle-node (SNIC: long period, passes through the point),
    below it the trajectory settles on the cycle that existed before (finite period, far)."""
    J_snsl = cont.snsl(g)[1]
    T_snic, d_snic = _fold_passage(g, J_snsl + 0.05, 1e-4, 1000.0)
    T_other, d_other = _fold_passage(g, J_snsl - 0.05, 1e-4, 600.0)
    assert d_snic < 1e-4 and T_snic > 200
    assert d_other > 5e-3 and T_other < 100


@pytest.mark.parametrize("J", [11.0, 15.0, 25.0])
def test_low_fold_is_not_a_snic_at_g1(J):
    """g = 1: the low fold has no SNIC part (snsl is None): past it the trajectory lands on a
    cycle of finite period that keeps away from the vanished saddle-node point."""
    assert cont.snsl(1.0) is None
    T, d = _fold_passage(1.0, J, 1e-4, 300.0)
    assert T < 20 and d > 5e-3


def test_homoclinic_curve_turns_back_at_g1():
    hom = cont.homoclinic_curve(1.0, J_range=(0.0, 25.0))
    assert hom.attrs["end"] == "J_range"
    J_turn = hom.J.min()
    assert 10.0 < J_turn < 11.5  # the curve leaves TB (J = 12.37) downwards, turns, goes up
    assert hom.J.iloc[-1] > 25.0
    # at J = 12 (between the turning point and TB) the curve crosses twice: the Hopf cycle dies
    # at the first crossing, a large cycle is born at the second
    assert len(pdg._hom_crossings(hom, 12.0)) == 2


def test_scaling_with_delta():
    """η̄/Δ, J/√Δ, g/√Δ are the natural scales: the SNSL point scales accordingly."""
    e1, J1 = cont.snsl(2.0)
    e4, J4 = cont.snsl(4.0, delta=4.0)
    assert (e4 / 4.0, J4 / 2.0) == pytest.approx((e1, J1), rel=1e-6)


# --- phase diagrams ------------------------------------------------------------------------------


def test_fixed_point_counts_match_closed_form():
    rng = np.random.default_rng(7)
    for g in (0.0, 1.0, 2.0, 3.0):
        eta = rng.uniform(-8, 3, 300)
        J = rng.uniform(-5, 20, 300)
        n_fixed, n_stable = pdg.fixed_point_counts(eta, J, g)
        for k in range(eta.size):
            fps = cf.fixed_points(eta[k], J[k], g)
            assert n_fixed[k] == len(fps)
            assert n_stable[k] == sum(fp.stable for fp in fps)


def _attractors(eta, J, g):
    """Stable fixed points reached and whether some trajectory oscillates: simulations (with the
    package's integrator, checked against scipy above) from every fixed point, perturbed, and
    from two far-away states. A trajectory whose oscillation still shrinks (near a Hopf line the
    focus attracts slowly) is converging to the fixed point nearest to where it ends."""
    fps = cf.fixed_points(eta, J, g)
    starts = [(0.01, -3.0), (3.0, 2.0)]
    for fp in fps:
        starts += [(fp.r * 1.003, fp.v), (fp.r * 0.997, fp.v)]
    reached, cycle = set(), False
    tol = (1e-9, 1e-11)
    for x0 in starts:
        o = integrator.run(x0, eta, J, g, 1.0, t_max=200.0, tol=tol)
        o1 = integrator.run(o.y[:2], eta, J, g, 1.0, t_max=50.0, tol=tol)
        o2 = integrator.run(o1.y[:2], eta, J, g, 1.0, t_max=50.0, tol=tol)
        a_early, a_late = o1.ext[1] - o1.ext[0], o2.ext[1] - o2.ext[0]
        if a_late > 1e-4 and a_late > 0.8 * a_early:
            cycle = True
        else:
            k = int(np.argmin([math.hypot(o2.y[0] - f.r, o2.y[1] - f.v) for f in fps]))
            assert fps[k].stable
            reached.add(k)
    return len(reached), cycle


@pytest.mark.parametrize(
    "g,Js",
    [
        (1.0, (-3.0, 4.0, 8.0, 10.0, 11.5, 12.2, 15.0, 19.0)),
        (1.3, (6.0, 8.5, 12.0, 17.0, 18.5, 30.0, 40.0)),  # two SNSL points, two homoclinic curves
        (2.0, (0.0, 3.0, 3.5, 3.9, 4.1, 4.5, 5.5, 10.0)),
        (3.0, (-4.0, -3.0, -2.5, -2.0, -1.5, 0.0, 5.0)),
    ],
)
def test_region_labels_against_simulation(g, Js):
    """Along lines of constant J, one point in the middle of every interval between boundary
    crossings (folds, Hopf line, homoclinic curves) and one outside them on each side: the label
    (number of stable fixed points, stable cycle or not) agrees with the attractors found by
    direct integration of the mean field."""
    p = pdg.phase_diagram(g, eta_range=(-8, 4), J_range=(-5, max(Js) + 1), n=11)
    assert not p.warnings
    hom = p.homoclinic
    labels = set()
    for J in Js:
        cuts = list(cf.saddle_node_etas(J, g)) + list(pdg._hom_crossings(hom, J))
        if J < cf.takens_bogdanov(g)[1]:
            cuts.append(cf.hopf_eta(J, g))
        cuts = np.sort(cuts)
        mids = [cuts[0] - 0.3, cuts[-1] + 0.3]
        mids += [0.5 * (a + b) for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b - a > 0.02]
        for eta in mids:
            _, n_stable = pdg.fixed_point_counts(eta, J, g)
            cycle = bool(pdg._cycle_exists(eta, J, g, 1.0, p.homoclinic, p.snic_intervals))
            assert _attractors(eta, J, g) == (int(n_stable), cycle), (eta, J)
            labels.add(p.label(eta, J))
    assert labels == set(pdg.LABELS)


def test_phase_diagram_g1_is_fast_and_complete():
    cont.limit_cycle(cf.hopf_eta(10.0, 1.0) + 0.1, 10.0, 1.0)  # numba: compile (once) or load
    t0 = time.process_time()
    p = pdg.phase_diagram(1.0)
    assert time.process_time() - t0 < 10.0  # ~1 s; benchmarks/phase_diagram.py has the numbers
    assert not p.warnings
    assert set(p.points.name) == {"cusp", "TB"}
    assert set(p.regions.label) == set(pdg.LABELS)
    assert set(p.saddle_nodes.branch) == {"low", "high"} and not p.saddle_nodes.snic.any()
    assert len(p.hopf) > 10 and p.homoclinic.in_window.sum() > 10


def test_phase_diagram_negative_J_and_pure_electrical():
    """J ≤ 0: only the Hopf line (it continues to inhibitory J); no folds, no homoclinic curve
    (g = 1, 2); at g = 3 the cusp, TB and SNSL themselves lie at J < 0."""
    p = pdg.phase_diagram(1.0, eta_range=(-2.0, 12.0), J_range=(-10.0, 0.0), n=31)
    assert p.hopf.J.min() < -9 and not p.homoclinic.in_window.any() and p.saddle_nodes.empty
    assert set(p.regions.label) == {"one stable state", "oscillation"}
    osc = p.regions[p.regions.label == "oscillation"]
    assert (osc.eta_bar > cf.hopf_eta(osc.J, 1.0)).all()
    p3 = pdg.phase_diagram(3.0, eta_range=(-0.2, 0.8), J_range=(-4.0, 0.0), n=31)
    assert set(p3.points[p3.points.in_window].name) == {"cusp", "TB", "SNSL"}
    assert not p3.warnings
    assert p3.snic_intervals and p3.snic_intervals[0][0] == pytest.approx(cont.snsl(3.0)[1])


def test_phase_diagram_g0_has_no_oscillation(tmp_path):
    p = pdg.phase_diagram(0.0, n=21)
    assert p.hopf.empty and p.homoclinic.empty
    assert set(p.regions.label) == {"one stable state", "bistable"}
    paths = p.to_csv(tmp_path)
    back = pd.read_csv(paths["regions"])
    pd.testing.assert_frame_equal(back, p.regions, check_dtype=False)
    assert p.label(-5.0, 15.0) == "bistable"


def test_validation_errors_name_the_parameter():
    with pytest.raises(ValueError, match="J"):
        cont.limit_cycles(float("nan"), 1.0)
    with pytest.raises(ValueError, match="g"):
        cont.limit_cycles(5.0, -1.0)
    with pytest.raises(ValueError, match="eta_range"):
        cont.limit_cycles(5.0, 1.0, eta_range=(1.0, 0.0))
    with pytest.raises(ValueError, match="eta_range"):
        cont.limit_cycles(15.0, 1.0)  # J > J_TB: no Hopf point, a range is needed
    with pytest.raises(ValueError, match="start"):
        cont.limit_cycles(5.0, 1.0, start="middle")
    with pytest.raises(ValueError, match="delta"):
        cont.homoclinic_curve(1.0, delta=0.0)
    with pytest.raises(ValueError, match="J_range"):
        cont.homoclinic_curve(1.0, J_range=(3.0,))
    with pytest.raises(ValueError, match="n"):
        pdg.phase_diagram(1.0, n=1)
    with pytest.raises(ValueError, match="g_values"):
        pdg.codim2_vs_g([1.0, -2.0])
    assert cont.snsl(0.0) is None and cont.homoclinic_curve(0.0).empty
