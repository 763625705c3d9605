"""Continuation of the P-population firing-rate equations of a Model (bifurcation.from_model)
and the rhythm tables (bifurcation.rhythms) against closed forms and direct integration.

P = 1 (Model.single) must reproduce the closed forms of science.md §3 (Hopf line, saddle-node
curve, cusp and Takens–Bogdanov points) to 1e-6; the E–I model of science.md §6 has its Hopf
point in g_II at 0.812796 (checked here by direct integration on both sides) and a cycle of
period 2.834 at g_II = 1.5 (checked by direct integration to 1e-3).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest
from ei_equations import ei_rhs as _ei_plain
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from qifgap import analysis
from qifgap import model as mf
from qifgap.bifurcation import (
    System,
    compare_networks,
    equilibria,
    equilibrium_growth,
    fold_curve,
    from_model,
    hopf_curve,
    measure_rhythm,
    rhythm_curve,
    rhythm_onset,
)
from qifgap.bifurcation import (
    closed_form as cf,
)
from qifgap.populations import Model
from qifgap.results import TimeSeries

PI = math.pi

#: science.md §6: τ = Δ = 1, η̄ = (1, 2), τ_s = (0, 0.5), J = [[5, −10], [10, −10]], g_II = 1.5.
EI = {
    "populations": {"E": {"eta_bar": 1.0}, "I": {"eta_bar": 2.0, "tau_syn": 0.5}},
    "J": {"E": {"E": 5.0, "I": -10.0}, "I": {"E": 10.0, "I": -10.0}},
    "g": {"I": {"I": 1.5}},
}
G_STAR = 0.812796  # the Hopf point in g_II (measured by the toolbox's author; checked below)


def _direct(g_ii, y0, t_end):
    """Dense solution of the E–I equations (model.rhs_populations of the Model) at g_II."""
    m = Model.from_dict(EI).set("g.I.I", g_ii)
    c = dict(eta_bar=m.eta_bar, delta=m.delta, tau=m.tau, tau_syn=m.tau_syn, J=m.J, g=m.g,
             kappa=m.kappa)  # fmt: skip
    eqs = mf.FiringRateEquations(**c)
    return solve_ivp(lambda t, y: eqs.rhs(y), (0.0, t_end), y0, method="DOP853", rtol=1e-10,
                     atol=1e-12, dense_output=True)  # fmt: skip


# --- the adapter ---------------------------------------------------------------------------------


def test_from_model_is_the_populations_field_and_its_jacobian():
    m = Model.from_dict(EI)
    sy = from_model(m, ["g.I.I", "populations.I.tau_syn", "J.I.E"])
    assert sy.state_names == ("r.E", "r.I", "v.E", "v.I", "s.I")
    assert sy.params.tolist() == [1.5, 0.5, 10.0]
    rng = np.random.default_rng(1)
    for _ in range(5):
        y = rng.normal(size=5)
        p = np.array([rng.uniform(0, 3), rng.uniform(0.1, 2), 10.0])
        np.testing.assert_allclose(sy.rhs(y, p), _ei_plain(y, p[0], p[1]), rtol=1e-13, atol=1e-13)
        c = dict(eta_bar=m.eta_bar, delta=m.delta, tau=m.tau, tau_syn=np.array([0.0, p[1]]),
                 J=m.J, g=np.array([[0.0, 0.0], [0.0, p[0]]]), kappa=m.kappa)  # fmt: skip
        np.testing.assert_allclose(sy.jacobian(y, p), mf.jacobian_populations(y, **c), atol=1e-13)
        # against central differences of the hand-written field
        fd = np.column_stack(
            [(_ei_plain(y + h, p[0], p[1]) - _ei_plain(y - h, p[0], p[1])) / 2e-6
             for h in 1e-6 * np.eye(5)]
        )  # fmt: skip
        np.testing.assert_allclose(sy.jacobian(y, p), fd, atol=1e-6)
    # J.I.E enters ∂v̇_I/∂r_E (instantaneous E synapses): 10 → 12 adds 2
    y = rng.normal(size=5)
    d = sy.jacobian(y, [1.5, 0.5, 12.0]) - sy.jacobian(y, [1.5, 0.5, 10.0])
    assert d[3, 0] == pytest.approx(2.0) and np.count_nonzero(d) == 1


def test_from_model_spike_asymmetry_follows_v_peak():
    """κ = ln(V_p/|V_r|) recomputed when v_peak is free: ∂v̇/∂r = J + g κ (one population)."""
    m = Model.single(eta_bar=1.0, delta=1.0, J=2.0, g=1.5)
    sy = from_model(m, ["populations.pop.v_peak"])
    A = sy.jacobian([0.0, 0.0], [100.0 * math.e])
    assert A[1, 0] == pytest.approx(2.0 + 1.5 * 1.0, rel=1e-12)


def test_from_model_validates_parameters_by_name():
    m = Model.from_dict(EI)
    with pytest.raises(ValueError, match="g.I.X"):
        from_model(m, ["g.I.X"])
    with pytest.raises(ValueError, match="populations.E.tau_syn"):
        from_model(m, ["populations.E.tau_syn"])  # τ_s = 0: the state would change size
    with pytest.raises(ValueError, match="populations.I.N"):
        from_model(m, ["populations.I.N"])
    with pytest.raises(ValueError, match="twice"):
        from_model(m, ["g.I.I", "g.I.I"])
    with pytest.raises(ValueError, match="model"):
        rhythm_onset(EI, "g.I.I", 0.0, 1.0)


# --- P = 1 through Model.single: the closed forms -----------------------------------------------


def test_single_population_model_reproduces_hopf_line_and_takens_bogdanov():
    m = Model.single(eta_bar=0.0, delta=1.0, J=0.0, g=1.0)
    eta, J = "populations.pop.eta_bar", "J.pop.pop"
    br = equilibria(m, eta, 0.0, 6.0)  # the start state from the flow run to rest
    assert br.hopf[eta].tolist() == pytest.approx([cf.hopf_eta(0.0, 1.0)], abs=1e-6)
    assert br.hopf.omega.iloc[0] == pytest.approx(cf.hopf_frequency(0.0, 1.0), rel=1e-6)
    t0 = time.perf_counter()
    hc = hopf_curve(
        m, eta, J, start=br.hopf.iloc[0].to_dict(), bounds={eta: (-20.0, 20.0), J: (-10.0, 20.0)}
    )
    elapsed = time.perf_counter() - t0
    live = hc.table.point != "BT"
    T = hc.table[live]
    np.testing.assert_allclose(T[eta], cf.hopf_eta(T[J], 1.0), atol=1e-6)
    assert list(hc.points.kind) == ["BT"]
    bt = hc.points.iloc[0]
    assert (bt[eta], bt[J]) == pytest.approx(cf.takens_bogdanov(1.0), abs=1e-6)
    assert elapsed < 60.0  # budget 10 s on an idle machine


def test_single_population_model_reproduces_saddle_nodes_and_cusp():
    m = Model.single(eta_bar=-8.0, delta=1.0, J=15.0, g=1.0)
    eta, J = "populations.pop.eta_bar", "J.pop.pop"
    br = equilibria(m, eta, -8.0, 0.0, x0=[0.03, -5.0])
    np.testing.assert_allclose(np.sort(br.folds[eta]), cf.saddle_node_etas(15.0, 1.0), atol=1e-6)
    fc = fold_curve(
        m, eta, J, start=br.folds.iloc[0].to_dict(), bounds={eta: (-20.0, 5.0), J: (0.0, 20.0)}
    )
    pts = fc.points.set_index("kind")
    assert sorted(pts.index) == ["BT", "CP"]
    assert (pts[eta]["CP"], pts[J]["CP"]) == pytest.approx(cf.cusp(1.0), abs=1e-6)
    assert (pts[eta]["BT"], pts[J]["BT"]) == pytest.approx(cf.takens_bogdanov(1.0), abs=1e-6)
    # every point of the curve is one of the closed-form folds at its J
    for row in fc.table.iloc[:: max(1, len(fc.table) // 25)].to_dict("records"):
        if row["point"] != "CP":
            etas = np.array(cf.saddle_node_etas(row[J], 1.0))
            assert np.min(np.abs(etas - row[eta])) < 1e-6, row


@pytest.mark.slow
def test_single_population_rhythm_onset_matches_planar_limit_cycles():
    """Model.single through rhythm_onset: Hopf at the closed form, and the cycles at η̄ = 4.5,
    5.5 equal the planar continuation's (period, extrema of r to 1e-6)."""
    from qifgap.bifurcation import continuation as cont

    eta = "populations.pop.eta_bar"
    res = rhythm_onset(Model.single(eta_bar=0.0, delta=1.0, J=0.0, g=1.0), eta, 0.0, 5.6,
                       values=[4.5, 5.5])  # fmt: skip
    assert res.hopf[eta].tolist() == pytest.approx([cf.hopf_eta(0.0, 1.0)], abs=1e-6)
    got = res.cycles[res.cycles.point == "UZ"]
    ref = cont.limit_cycles(0.0, 1.0, eta_values=[4.5, 5.5])
    np.testing.assert_allclose(got[eta], [4.5, 5.5], atol=1e-12)
    np.testing.assert_allclose(got.period, ref.period, atol=1e-6)
    np.testing.assert_allclose(got["r.pop_min"], ref.r_min, atol=1e-6)
    np.testing.assert_allclose(got["r.pop_max"], ref.r_max, atol=1e-6)


# --- a folded branch: the cycle's side from the branch next to the Hopf point -----------------

#: One population at J = 10, g = 1 (science.md §3): in η̄ the branch is S-shaped (folds at
#: η̄ = −2.5689 and −1.5904) with the supercritical Hopf point η̄_H = 4 − 1/16 − 20/π = −2.4287
#: on its upper sheet. Started on the saddle at η̄ = −2.2 towards −3, it turns at the upper fold
#: and comes back over the Hopf point: there λ runs towards ``start``, and rows of the saddle
#: sheet lie nearer to η̄_H in λ than the upper sheet's (the old nearest-row rule chose ``stop``
#: from them and continued no cycle).
FOLD = {"J": 10.0, "g": 1.0, "start": -2.2, "stop": -3.0}
ETA = "populations.pop.eta_bar"


def _folded_start():
    """The model at η̄ = start and its saddle there (closed form), the branch's first point."""
    saddle = sorted(cf.fixed_points(FOLD["start"], FOLD["J"], FOLD["g"]), key=lambda f: f.r)[1]
    assert saddle.stability == "saddle"
    model = Model.single(eta_bar=FOLD["start"], delta=1.0, J=FOLD["J"], g=FOLD["g"])
    return model, [saddle.r, saddle.v]


@pytest.fixture(scope="module")
def folded():
    model, x0 = _folded_start()
    return rhythm_onset(model, ETA, FOLD["start"], FOLD["stop"], x0=x0, max_cycles=8)


def test_folded_branch_returns_over_the_hopf_point(folded):
    """The branch: saddle, upper fold, then back over the Hopf point with λ increasing (towards
    start) until it leaves the range at start; Hopf and fold at the closed forms."""
    t = folded.equilibria.table
    assert t.point[t.point != ""].tolist() == ["LP", "H"]
    assert folded.equilibria.end == "range"
    lp, k = np.flatnonzero(t.point == "LP")[0], np.flatnonzero(t.point == "H")[0]
    assert t[ETA].iloc[lp] == pytest.approx(min(cf.saddle_node_etas(FOLD["J"], FOLD["g"])),
                                            abs=1e-6)  # fmt: skip
    eta_h = cf.hopf_eta(FOLD["J"], FOLD["g"])
    assert t[ETA].iloc[k] == pytest.approx(eta_h, abs=1e-6)
    assert t[ETA].iloc[k - 1] < eta_h < t[ETA].iloc[k + 1]  # λ runs away from stop here
    assert t.stable.iloc[k - 1] and not t.stable.iloc[k + 1]  # stable focus → unstable focus
    # nearest to η̄_H by λ on the stop side: a row of the saddle sheet (before the fold)
    below = t[(t.point == "") & (t[ETA] < eta_h)]
    assert (below[ETA] - eta_h).abs().idxmin() < lp


def test_folded_branch_continues_the_cycle_from_its_hopf_point(folded):
    """The cycles born at the Hopf point lie on its unstable side (η̄ > η̄_H, supercritical
    l1 < 0), are stable, start with the period 2π/ω_H of the closed form and grow as
    (η̄ − η̄_H)^β with β = ½ (fitted exponent, its 95 % interval holds ½ and is narrow)."""
    eta_h = cf.hopf_eta(FOLD["J"], FOLD["g"])
    (h,) = folded.hopf.itertuples(index=False)
    assert h.l1 < 0 and h.omega == pytest.approx(cf.hopf_frequency(FOLD["J"], FOLD["g"]),
                                                 rel=1e-6)  # fmt: skip
    c = folded.cycles
    assert len(c) == 9 and c.stable.all()
    d = c[ETA].to_numpy() - eta_h
    assert (d > 0).all() and np.all(np.diff(d) > 0)
    period_h = 2 * PI / cf.hopf_frequency(FOLD["J"], FOLD["g"])
    assert c.period.iloc[0] == pytest.approx(period_h, rel=1e-3)
    fit = analysis.onset_exponent_fit(d, c["r.pop_amplitude"])
    assert fit["exponent_low"] <= 0.5 <= fit["exponent_high"], fit
    assert fit["exponent_high"] - fit["exponent_low"] < 0.05, fit


def test_time_reversed_folded_branch_has_the_cycles_on_the_same_side(folded):
    """dx/dt = −f: the same equilibria and cycles, every stability reversed, so the Hopf point
    is subcritical (l1 → −l1) and its now unstable cycles lie on the equilibrium's stable side,
    the same side η̄ > η̄_H: the side follows l1 as well as the branch."""
    model, x0 = _folded_start()
    base = from_model(model, (ETA,))
    reversed_ = System(lambda x, p: -base.f(x, p), base.state_names, base.param_names,
                       base.params, lambda x, p: -base.jac(x, p))  # fmt: skip
    res = rhythm_onset(reversed_, ETA, FOLD["start"], FOLD["stop"], x0=x0, max_cycles=3)
    (h,) = res.hopf.itertuples(index=False)
    assert h.criticality == "subcritical"
    assert h.l1 == pytest.approx(-folded.hopf.l1.iloc[0], rel=1e-4)
    c = res.cycles
    assert len(c) == 4 and not c.stable.any()
    assert (c[ETA] > cf.hopf_eta(FOLD["J"], FOLD["g"])).all()
    assert c.period.iloc[0] == pytest.approx(folded.cycles.period.iloc[0], rel=1e-6)


# --- the E–I model: rhythm onset --------------------------------------------------------------


@pytest.fixture(scope="module")
def ei_onset():
    return rhythm_onset(Model.from_dict(EI), "g.I.I", 0.0, 1.6, values=[1.5])


def test_ei_rhythm_onset_tables(ei_onset):
    res = ei_onset
    (h,) = res.hopf.itertuples(index=False)
    h = res.hopf.iloc[0]
    assert h["g.I.I"] == pytest.approx(G_STAR, abs=1e-6)
    assert h.criticality == "supercritical" and h.l1 < 0
    assert h.frequency == pytest.approx(h.omega / (2 * PI)) and h.period == pytest.approx(
        2 * PI / h.omega
    )
    b = res.branch
    assert b["r.I"].iloc[0] == pytest.approx(0.286, abs=5e-4)  # science.md §6, g_II = 0
    assert b.stable[b["g.I.I"] < G_STAR - 1e-6].all()
    assert not b.stable[b["g.I.I"] > G_STAR + 1e-6].any()
    c = res.cycles
    assert (c["g.I.I"] >= G_STAR - 1e-9).all() and c.stable.all()
    assert c["r.I_amplitude"].is_monotonic_increasing
    (uz,) = c[c.point == "UZ"].itertuples(index=False)
    uz = c[c.point == "UZ"].iloc[0]
    assert uz.period == pytest.approx(2.834, abs=1e-3)
    assert uz.frequency == pytest.approx(1 / uz.period)
    assert uz["r.I_mean"] == pytest.approx(0.319, abs=2e-3)  # science.md §6 (mean field 0.319)
    # the first cycles leave the Hopf point with its period
    assert c.period.iloc[0] == pytest.approx(h.period, rel=1e-4)


@pytest.mark.slow
def test_ei_onset_and_period_against_direct_integration(ei_onset):
    """Below g_II* the rhythm decays, above it grows to a cycle; at g_II = 1.5 the period of
    the integrated attractor equals the cycle branch's to 1e-3."""
    h = ei_onset.hopf.iloc[0]
    x_h = np.array([h[c] for c in ("r.E", "r.I", "v.E", "v.I", "s.I")])
    for dg, oscillates in ((-0.05, False), (0.05, True)):
        sol = _direct(h["g.I.I"] + dg, x_h + 1e-3, 400.0)
        t = np.linspace(0.0, 400.0, 8001)
        r_i = sol.sol(t)[1]
        early, late = np.ptp(r_i[(t > 100) & (t < 200)]), np.ptp(r_i[t > 300])
        if oscillates:
            assert late > 1e-2 and late > early, (dg, early, late)
        else:
            assert late < 0.1 * early and late < 1e-3, (dg, early, late)
    sol = _direct(1.5, x_h + 1e-2, 200.0)
    t = np.linspace(160.0, 200.0, 40001)
    y = sol.sol(t)[1]
    level = 0.5 * (y.min() + y.max())
    k = np.nonzero((y[:-1] < level) & (y[1:] >= level))[0]
    times = [brentq(lambda s: sol.sol(s)[1] - level, t[i], t[i + 1]) for i in k]
    period = float(np.mean(np.diff(times)))
    uz = ei_onset.cycles[ei_onset.cycles.point == "UZ"].iloc[0]
    assert uz.period == pytest.approx(period, rel=1e-3)
    assert uz["r.I_max"] == pytest.approx(y.max(), rel=1e-3)


def test_ei_hopf_curve_in_gII_JII():
    """The onset in (g_II, J_II): every point is a Hopf point of the model's own Jacobian (a pair
    ±iω, the rest stable), and the curve passes through g_II* at J_II = −10."""
    m = Model.from_dict(EI)
    t0 = time.perf_counter()
    T = rhythm_curve(m, "g.I.I", "J.I.I", bounds={"g.I.I": (0.0, 3.0), "J.I.I": (-20.0, -2.0)})
    elapsed = time.perf_counter() - t0
    assert len(T) > 10 and elapsed < 60.0  # budget 10 s on an idle machine
    sy = from_model(m, ["g.I.I", "J.I.I"])
    names = sy.state_names
    for row in T.iloc[:: max(1, len(T) // 15)].to_dict("records"):
        x, p = np.array([row[c] for c in names]), np.array([row["g.I.I"], row["J.I.I"]])
        assert np.abs(sy.rhs(x, p)).max() < 1e-9
        mu = np.linalg.eigvals(sy.jacobian(x, p))
        k = np.argmin(np.abs(mu.real))
        assert abs(mu[k].real) < 1e-7 and abs(abs(mu[k].imag) - row["omega"]) < 1e-7
        assert row["frequency"] == pytest.approx(row["omega"] / (2 * PI))
    at = T.iloc[np.argmin(np.abs(T["J.I.I"] + 10.0))]
    assert abs(at["J.I.I"] + 10.0) < 0.5
    s = T.sort_values("J.I.I")
    g_at = np.interp(-10.0, s["J.I.I"], s["g.I.I"])
    assert g_at == pytest.approx(G_STAR, abs=1e-3)


# --- networks against the continuation: the rhythm of a rate time series ---------------------


def _ei_run(g_ii, t_end=60.0, t0=20.0, dt=0.01):
    """The E–I firing-rate equations at g_II from near the equilibrium, sampled every dt on
    [t0, t_end] as a population TimeSeries (the shape of a mean-field run)."""
    m = Model.from_dict(EI).set("g.I.I", g_ii)
    sol = _direct(g_ii, [0.14, 0.29, -1.1, -0.55, 0.29], t_end)
    t = np.arange(t0, t_end + dt / 2, dt)
    y = sol.sol(t)
    params = {"populations": {a: {"N": 10_000} for a in m.names}}
    r, v = y[:2].T, y[2:4].T
    return TimeSeries(t=t, r=r, v=v, Z=np.zeros_like(r, dtype=complex), params=params,
                      populations=m.names)  # fmt: skip


def test_measure_rhythm_of_a_meanfield_run_is_the_cycle_branch(ei_onset):
    """The rhythm measured on an integrated run at g_II = 1.5 (std of r_I over whole cycles,
    frequency from crossings) equals the cycle branch's std over one period and 1/T to 1e-2
    (sampling at 10⁻² τ as the runs are)."""
    run = _ei_run(1.5)
    got = measure_rhythm(t=run.t, r=run.population("I").r, t_min=30.0)
    uz = ei_onset.cycles[ei_onset.cycles.point == "UZ"].iloc[0]
    assert got.cycles >= 8
    assert got.frequency == pytest.approx(uz.frequency, rel=1e-2)
    assert got.std == pytest.approx(uz["r.I_std"], rel=1e-2)
    assert got.mean == pytest.approx(uz["r.I_mean"], rel=1e-2)
    assert uz["r.I_std"] == pytest.approx(0.312, abs=0.02)  # science.md §6 (mean field 0.312)


def test_measure_rhythm_times_cycles_by_v_and_compares_with_shot_noise():
    """A rate counted from N neurons' spikes (Poisson counts in bins b): crossings of a
    noise-free v time the cycles (frequency to 2e-3), the std over them is the rhythm's with the
    noise var ⟨r⟩/(N b) on top (0.2/√2 ⊕ 0.071 at N = 10⁴), and only the rhythm's variance
    exceeds twice the shot noise's: the constant rate does not "oscillate"."""
    rng = np.random.default_rng(3)
    N, b = 10_000, 0.01
    t = np.arange(0.0, 200.0, b)
    rate = 0.5 + 0.2 * np.sin(2 * PI * 0.35 * t)
    r = rng.poisson(N * b * rate) / (N * b)
    got = measure_rhythm(t=t, r=r, v=rate - 0.5, N=N, bin_width=b)
    assert got.frequency == pytest.approx(0.35, rel=2e-3)
    assert got.shot_noise == pytest.approx(math.sqrt(0.5 / (N * b)), rel=1e-2)
    assert got.std == pytest.approx(math.hypot(0.2 / math.sqrt(2), got.shot_noise), rel=0.02)
    assert got.oscillates
    flat = rng.poisson(N * b * 0.5, size=t.size) / (N * b)
    quiet = measure_rhythm(t=t, r=flat, N=N, bin_width=b)
    assert quiet.std == pytest.approx(quiet.shot_noise, rel=0.03) and not quiet.oscillates
    with pytest.raises(ValueError, match="bin_width"):
        measure_rhythm(t=t, r=r, N=N)
    with pytest.raises(ValueError, match="t_min"):
        measure_rhythm(t=t, r=r, t_min=1e3)


def test_equilibrium_growth_changes_sign_at_the_onset():
    m = Model.from_dict(EI)
    guess = {"E": (0.14, -1.1), "I": (0.29, -0.55)}
    below = equilibrium_growth(m.set("g.I.I", G_STAR - 0.05), guess)
    above = equilibrium_growth(m.set("g.I.I", G_STAR + 0.05), guess)
    assert below < 0 < above
    assert abs(equilibrium_growth(m.set("g.I.I", G_STAR), guess)) < 1e-5


def test_compare_networks_against_the_cycle_and_the_meanfield_run(ei_onset):
    """With mean-field runs in place of networks the table's network columns equal its
    mean-field columns; on the continuation's line the reference is the cycle (error < 1e-2),
    off it (another J_II) the mean-field run; below the onset growth < 0 and the decaying run
    does not count as oscillating (its std is below the shot noise of N = 10⁴)."""
    runs = {1.5: _ei_run(1.5), 0.5: _ei_run(0.5, t_end=40.0)}
    points = [
        ("on", {"g.I.I": 1.5, "populations.I.N": 10_000}, runs[1.5], runs[1.5], 30.0),
        ("off", {"g.I.I": 1.5, "J.I.I": -10.5}, runs[1.5], runs[1.5], 30.0),
        ("below", {"g.I.I": 0.5}, runs[0.5], runs[0.5], 30.0),
    ]
    t = compare_networks(points, model=Model.from_dict(EI), parameter="g.I.I", population="I",
                         cycles=ei_onset.cycles).set_index("run")  # fmt: skip
    assert t.on_branch.tolist() == [True, False, True]  # N does not leave the line
    assert t.reference.tolist() == ["cycle", "mean field run", "mean field run"]
    assert abs(t.rel_err_frequency["on"]) < 1e-2
    assert t.rel_err_frequency["off"] == pytest.approx(0.0, abs=1e-12)
    assert t.growth["on"] > 0.2 and t.growth["below"] < -0.1
    np.testing.assert_allclose(t.std_r_net, t.std_r_mf, rtol=1e-6)
    assert t.oscillates_net.tolist() == [True, True, False]
    with pytest.raises(ValueError, match="g.I.I"):
        compare_networks([("x", {"J.I.I": -10.0}, runs[1.5], runs[1.5], 30.0)],
                         model=Model.from_dict(EI), parameter="g.I.I", population="I")  # fmt: skip


# --- figures (small inputs) --------------------------------------------------------------------


def test_rhythm_figures_draw_the_tables(ei_onset, tmp_path):
    """The onset figure draws the branch, the cycle envelope and the onset (the title names the
    Hopf value); the network hook adds points; the curve figure colours by frequency."""
    from qifgap import plotting

    entry = {"model": EI, "parameter": "g.I.I", "range": [0.0, 1.6], "population": "I",
             "curves": {"J.I.I": [-14.0, -6.0]}}  # fmt: skip
    net = pd.DataFrame({"g.I.I": [0.5, 1.0, 1.5, 1.2], "on_branch": [True, True, True, False],
                        "std_r_net": [0.0, 0.2, 0.3, 0.25], "frequency_net": [9.0, 0.34, 0.35, 0.3],
                        "oscillates_net": [False, True, True, True]})  # fmt: skip
    fig = plotting.rhythm_onset_figure(
        ei_onset.branch, ei_onset.hopf, ei_onset.cycles, entry=entry, network=[net]
    )
    a, b, c = fig.axes[:3]
    assert "0.8128" in fig.get_suptitle()
    net_line = [ln for ln in b.get_lines() if ln.get_label() == "network"][0]
    assert net_line.get_xdata().tolist() == [1.0, 1.5]  # oscillating, on the line
    freq = [ln for ln in c.get_lines() if ln.get_marker() == "o"][0]
    np.testing.assert_allclose(freq.get_ydata(), [0.34, 0.35])  # not the asynchronous one
    bad = net.drop(columns="std_r_net")
    with pytest.raises(ValueError, match="std_r_net"):
        plotting.rhythm_onset_figure(ei_onset.branch, ei_onset.hopf, ei_onset.cycles,
                                     entry=entry, network=bad)  # fmt: skip
    curve = pd.DataFrame({"g.I.I": [0.80, 0.81, 0.82], "J.I.I": [-12.0, -10.0, -8.0],
                          "frequency": [0.34, 0.35, 0.37], "point": ["", "GH", np.nan],
                          "branch": [1, 1, 1]})  # fmt: skip
    fig2 = plotting.rhythm_curves_figure([curve], ei_onset.hopf, entry=entry, curve_keys=["J.I.I"],
                                         network=[net])  # fmt: skip
    ax = fig2.axes[0]
    dots = {ln.get_label(): ln for ln in ax.get_lines() if ln.get_marker() == "o"}
    assert dots["network oscillates"].get_xdata().tolist() == [1.0, 1.5, 1.2]
    assert dots["network asynchronous"].get_ydata().tolist() == [-10.0]  # the model's J_II
    (lc,) = ax.collections
    np.testing.assert_allclose(lc.get_array(), [0.345, 0.36])
    assert [t.get_text() for t in ax.texts] == ["GH", "a"]  # the codim-2 label, the panel letter
    plotting.save(fig2, tmp_path / "c.png")
    assert (tmp_path / "c.png").stat().st_size > 1000
