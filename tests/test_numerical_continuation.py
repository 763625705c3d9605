"""General numerical continuation (equilibria, fold/Hopf curves, cycles) against closed forms.

The one-population firing-rate equations (science.md §3, Δ = 1) have closed forms for every
codimension-1 and -2 object the general code finds: the branches, folds, Hopf line and
frequency, cusp and Takens–Bogdanov points (qifgap.bifurcation.closed_form, and the reference
numbers of science.md). Cycles are checked against the project's planar continuation
(qifgap.bifurcation.continuation.limit_cycles) and against direct integration. Systems of
dimension 3 (Lorenz) and 5 (the E–I model of science.md §6, written here as a plain function)
and the Bautin normal form (closed-form fold of cycles and generalised Hopf point) show that
nothing is specific to two dimensions.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from ei_equations import ei_rhs
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from qifgap import model
from qifgap.bifurcation import closed_form as cf
from qifgap.bifurcation import continuation as cont
from qifgap.bifurcation.curves import fold_curve, hopf_curve
from qifgap.bifurcation.equilibria import equilibria, first_lyapunov
from qifgap.bifurcation.periodic import cycles
from qifgap.bifurcation.system import System, from_functions, one_population

PI = math.pi


def _hopf_branch(J=0.0, g=1.0, stop=6.0, values=()):
    sy = one_population(eta_bar=0.0, J=J, g=g)
    return sy, equilibria(sy, "eta_bar", 0.0, stop, x0=[0.5, 0.0], values=values)


def _period_by_integration(f, x0, t_settle, component=0):
    """Period of the attractor reached from x0: mean spacing of the last upward crossings of
    the component's mean, crossing times from the dense output refined by brentq."""
    sol = solve_ivp(
        f, (0.0, t_settle), x0, method="DOP853", rtol=1e-10, atol=1e-12, dense_output=True
    )
    t = np.linspace(0.8 * t_settle, t_settle, 100001)
    y = sol.sol(t)[component]
    level = 0.5 * (y.min() + y.max())
    k = np.nonzero((y[:-1] < level) & (y[1:] >= level))[0]
    times = [brentq(lambda s: sol.sol(s)[component] - level, t[i], t[i + 1]) for i in k]
    return float(np.mean(np.diff(times[-20:]))), y


# --- equilibria ----------------------------------------------------------------------------------


def test_equilibrium_branch_finds_both_folds_at_J15():
    sy = one_population(eta_bar=-8.0, J=15.0, g=0.0)
    br = equilibria(sy, "eta_bar", -8.0, 0.0, x0=[0.03, -5.0])
    assert br.end == "stop"
    folds = np.sort(br.folds.eta_bar.to_numpy())
    np.testing.assert_allclose(folds, cf.saddle_node_etas(15.0, 0.0), rtol=0, atol=1e-8)
    np.testing.assert_allclose(folds, [-5.74353, -3.13613], rtol=0, atol=1e-5)  # science.md §3
    np.testing.assert_allclose(np.sort(br.folds.r), [0.16257, 0.75392], atol=1e-5)
    # every point lies on the closed-form branch η̄(r), stability from the closed-form T and D
    T = br.table
    np.testing.assert_allclose(T.eta_bar, cf.eta_of_rate(T.r, J=15.0, g=0.0), atol=1e-9)
    np.testing.assert_allclose(T.v, -1.0 / (2 * PI * T.r), atol=1e-9)
    det = 1 / (PI**2 * T.r**2) - 30.0 * T.r + 4 * PI**2 * T.r**2
    interior = np.abs(det) > 1e-6
    assert (T.stable[interior] == (det[interior] > 0)).all()  # trace < 0 everywhere at g = 0
    assert list(T.point[T.point != ""]) == ["LP", "LP"]


def test_hopf_point_frequency_and_first_lyapunov_coefficient():
    sy, br = _hopf_branch(values=[5.0])
    assert len(br.hopf) == 1 and len(br.folds) == 0
    h = br.hopf.iloc[0]
    assert abs(h.eta_bar - 3.9375) < 1e-8  # η̄_H = 4/g² − g²/16
    assert abs(h.omega - math.sqrt(15.75)) < 1e-6
    assert (h.r, h.v) == pytest.approx((2 / (PI * 1.0), 0.25), abs=1e-9)  # r_H = 2Δ/(πg), g/4
    assert h.l1 < 0 and h.criticality == "supercritical"
    # stability changes at the Hopf point and nowhere else
    T = br.table[br.table.point != "H"]
    assert (T.stable == (T.eta_bar < h.eta_bar)).all()
    assert br.user.eta_bar.tolist() == pytest.approx([5.0], abs=1e-12)


def test_first_lyapunov_coefficient_matches_planar_formula():
    """l1 = 2a/ω with a of Guckenheimer & Holmes (3.4.11), for random quadratic/cubic terms."""
    rng = np.random.default_rng(7)
    for _ in range(5):
        w = rng.uniform(0.5, 3.0)
        a20, a11, a02, a30, a12, b20, b11, b02, b21, b03 = rng.normal(size=10)

        def f(x, p, w=w, c=(a20, a11, a02, a30, a12, b20, b11, b02, b21, b03)):
            X, Y = x
            return np.array(
                [
                    -w * Y
                    + c[0] * X * X
                    + c[1] * X * Y
                    + c[2] * Y * Y
                    + c[3] * X**3
                    + c[4] * X * Y * Y,
                    w * X
                    + c[5] * X * X
                    + c[6] * X * Y
                    + c[7] * Y * Y
                    + c[8] * X * X * Y
                    + c[9] * Y**3,
                ]
            )

        fxx, fxy, fyy, fxxx, fxyy = 2 * a20, a11, 2 * a02, 6 * a30, 2 * a12
        gxx, gxy, gyy, gxxy, gyyy = 2 * b20, b11, 2 * b02, 2 * b21, 6 * b03
        a = (fxxx + fxyy + gxxy + gyyy) / 16 + (
            fxy * (fxx + fyy) - gxy * (gxx + gyy) - fxx * gxx + fyy * gyy
        ) / (16 * w)
        omega, l1 = first_lyapunov(System(f, ("x", "y"), ("d",), [0.0]), np.zeros(2))
        assert omega == pytest.approx(w, rel=1e-12)
        assert l1 == pytest.approx(2 * a / w, rel=1e-7, abs=1e-9)


def test_lorenz_hopf_point_is_subcritical():
    """3-D: Lorenz (σ = 10, β = 8/3): Hopf at ρ_H = σ(σ+β+3)/(σ−β−1) = 470/19 on the
    nontrivial equilibria, ω² = β(σ + ρ_H), subcritical."""

    def lorenz(x, p):
        s, rho, b = p
        return np.array([s * (x[1] - x[0]), x[0] * (rho - x[2]) - x[1], x[0] * x[1] - b * x[2]])

    sy = System(lorenz, ("x", "y", "z"), ("sigma", "rho", "beta"), [10.0, 2.0, 8 / 3])
    b = 8 / 3
    br = equilibria(sy, "rho", 2.0, 30.0, x0=[1.5, 1.5, 1.2])
    assert len(br.hopf) == 1 and len(br.folds) == 0
    h = br.hopf.iloc[0]
    assert abs(h.rho - 470 / 19) < 1e-8
    assert h.omega == pytest.approx(math.sqrt(b * (10 + 470 / 19)), rel=1e-8)
    assert (h.x, h.z) == pytest.approx((math.sqrt(b * (470 / 19 - 1)), 470 / 19 - 1), rel=1e-9)
    assert h.l1 > 0 and h.criticality == "subcritical"
    assert br.table.stable[br.table.rho < h.rho - 1e-6].all()
    assert not br.table.stable[br.table.rho > h.rho + 1e-6].any()


# --- E–I model of science.md §6 (5-D) ------------------------------------------------------------


def _ei(y, p):
    """E–I firing-rate equations of science.md §6 with p = (g_II, τ_s,I)."""
    return ei_rhs(y, *p)


def _ei_system():
    return System(_ei, ("r_E", "r_I", "v_E", "v_I", "s_I"), ("g_II", "tau_s_I"), [0.0, 0.5])


def test_ei_model_gap_junctions_switch_the_rhythm_on():
    """The Hopf point in g_II: direct integration is asynchronous just below it and oscillates
    just above it; the equilibrium at g_II = 0 is science.md's asynchronous state."""
    sy = _ei_system()
    br = equilibria(sy, "g_II", 0.0, 1.5, x0=[0.14, 0.29, -1.0, -0.5, 0.29])
    assert br.table.r_I.iloc[0] == pytest.approx(0.286, abs=5e-4)  # science.md: ⟨r_I⟩ 0.286
    assert len(br.hopf) == 1
    h = br.hopf.iloc[0]
    assert 0.0 < h.g_II < 1.5 and h.l1 < 0
    x_h = br.state_at(h)
    for dg, oscillates in ((-0.05, False), (0.05, True)):
        p = np.array([h.g_II + dg, 0.5])
        t = np.linspace(0, 400, 8001)
        sol = solve_ivp(
            lambda t, y, p=p: _ei(y, p),
            (0, 400),
            x_h + 1e-3,
            method="DOP853",
            rtol=1e-9,
            atol=1e-12,
            t_eval=t,
        )
        early, late = np.ptp(sol.y[1][(t > 100) & (t < 200)]), np.ptp(sol.y[1][t > 300])
        if oscillates:
            assert late > 1e-2 and late > early, (dg, early, late)
        else:
            assert late < 0.1 * early and late < 1e-3, (dg, early, late)


@pytest.mark.slow
def test_ei_cycle_against_direct_integration():
    """The cycle branch from the g_II Hopf point to g_II = 1.5: period against direct
    integration to 1e-3, ⟨r_I⟩ against science.md §6 (0.319)."""
    sy = _ei_system()
    br = equilibria(sy, "g_II", 0.0, 1.5, x0=[0.14, 0.29, -1.0, -0.5, 0.29])
    cb = cycles(sy, "g_II", hopf=br.hopf.iloc[0].to_dict(), stop=1.5, values=[1.5])
    (c,) = cb.user.itertuples()
    assert c.stable and c.r_I_mean == pytest.approx(0.319, abs=2e-3)
    x0 = np.array([c.r_E_0, c.r_I_0, c.v_E_0, c.v_I_0, c.s_I_0])
    p = np.array([1.5, 0.5])
    period, _ = _period_by_integration(lambda t, y: _ei(y, p), x0 + 1e-2, 200.0, component=1)
    assert c.period == pytest.approx(period, rel=1e-3)


# --- two-parameter curves ------------------------------------------------------------------------


def _fold_curve_eta_J(sy, br):
    """The fold curve in (η̄, J) from the first fold of the branch br, within η̄ ∈ [−20, 5],
    J ∈ [0, 20]."""
    bounds = {"eta_bar": (-20.0, 5.0), "J": (0.0, 20.0)}
    return fold_curve(sy, "eta_bar", "J", start=br.folds.iloc[0].to_dict(), bounds=bounds)


def test_fold_curve_passes_through_the_cusp():
    sy = one_population(eta_bar=-8.0, J=15.0, g=0.0)
    br = equilibria(sy, "eta_bar", -8.0, 0.0, x0=[0.03, -5.0])
    fc = _fold_curve_eta_J(sy, br)
    assert list(fc.points.kind) == ["CP"]
    cusp = fc.points.iloc[0]
    eta_c, J_c = cf.cusp(0.0)
    assert (cusp.eta_bar, cusp.J) == pytest.approx((eta_c, J_c), abs=1e-6)
    assert (cusp.eta_bar, cusp.J) == pytest.approx((-math.sqrt(3), 7.79622), abs=1e-5)
    # every point on the closed-form saddle-node curve (parametric in r)
    T = fc.table
    J_sn = 2 * PI**2 * T.r + 1 / (2 * PI**2 * T.r**3)
    eta_sn = -(PI**2) * T.r**2 - 3 / (4 * PI**2 * T.r**2)
    np.testing.assert_allclose(T.J, J_sn, atol=1e-8)
    np.testing.assert_allclose(T.eta_bar, eta_sn, atol=1e-8)
    assert T.J.max() == pytest.approx(20.0, abs=1e-9) and fc.end == {-1: "bounds", 1: "bounds"}


def test_fold_curve_at_g1_reports_cusp_and_takens_bogdanov():
    sy = one_population(eta_bar=-8.0, J=15.0, g=1.0)
    br = equilibria(sy, "eta_bar", -8.0, 0.0, x0=[0.03, -5.0])
    np.testing.assert_allclose(np.sort(br.folds.eta_bar), cf.saddle_node_etas(15.0, 1.0), atol=1e-8)
    fc = _fold_curve_eta_J(sy, br)
    pts = fc.points.set_index("kind")
    assert sorted(pts.index) == ["BT", "CP"]
    assert (pts.eta_bar["CP"], pts.J["CP"]) == pytest.approx(cf.cusp(1.0), abs=1e-6)
    assert (pts.eta_bar["BT"], pts.J["BT"]) == pytest.approx(cf.takens_bogdanov(1.0), abs=1e-6)


def test_fold_hopf_points_on_both_curves():
    """3-D: x' = a − x², (y, z)' rotating with growth b + x. Folds at a = 0 (x = 0), Hopf where
    b + x = 0 (b = ∓√a on x = ±√a): both curves meet at the fold–Hopf point (a, b) = (0, 0)."""

    def f(x, p):
        a, b = p
        return np.array([a - x[0] ** 2, (b + x[0]) * x[1] - x[2], x[1] + (b + x[0]) * x[2]])

    sy = System(f, ("x", "y", "z"), ("a", "b"), [1.0, 1.0])
    br = equilibria(sy, "a", 1.0, -1.0, x0=[1.0, 0.0, 0.0])
    assert br.folds.a.tolist() == pytest.approx([0.0], abs=1e-12)
    fc = fold_curve(
        sy, "a", "b", start=br.folds.iloc[0].to_dict(), bounds={"a": (-1, 1), "b": (-1, 2)}
    )
    np.testing.assert_allclose(fc.table.a, 0.0, atol=1e-12)
    assert list(fc.points.kind) == ["ZH"]
    assert (fc.points.a[0], fc.points.b[0]) == pytest.approx((0.0, 0.0), abs=1e-10)

    sy = sy.with_params(b=-2.0)
    br = equilibria(sy, "b", -2.0, 0.0, x0=[1.0, 0.0, 0.0])
    assert br.hopf.b.tolist() == pytest.approx([-1.0], abs=1e-12)
    hc = hopf_curve(
        sy, "a", "b", start=br.hopf.iloc[0].to_dict(), bounds={"a": (-1, 2), "b": (-2, 2)}
    )
    np.testing.assert_allclose(hc.table.b, -hc.table.x, atol=1e-10)
    np.testing.assert_allclose(hc.table.a, hc.table.x**2, atol=1e-10)
    assert list(hc.points.kind) == ["ZH"]
    assert (hc.points.a[0], hc.points.b[0]) == pytest.approx((0.0, 0.0), abs=1e-10)


def test_hopf_curve_is_the_closed_form_line_and_ends_at_takens_bogdanov():
    sy, br = _hopf_branch()
    t0 = time.perf_counter()
    hc = hopf_curve(
        sy,
        "eta_bar",
        "J",
        start=br.hopf.iloc[0].to_dict(),
        bounds={"eta_bar": (-20.0, 20.0), "J": (-10.0, 20.0)},
    )
    elapsed = time.perf_counter() - t0
    T = hc.table
    live = T.point != "BT"
    np.testing.assert_allclose(T.eta_bar[live], cf.hopf_eta(T.J[live], 1.0), atol=1e-8)
    np.testing.assert_allclose(T.omega[live], cf.hopf_frequency(T.J[live], 1.0), rtol=1e-8)
    assert (T.l1[live] < 0).all()  # supercritical all along (science.md §3)
    assert list(hc.points.kind) == ["BT"] and hc.end[1] == "BT"
    bt = hc.points.iloc[0]
    assert (bt.eta_bar, bt.J) == pytest.approx(cf.takens_bogdanov(1.0), abs=1e-6)
    assert (bt.eta_bar, bt.J) == pytest.approx((-3.9375, 12.37002), abs=1e-5)
    assert elapsed < 60.0  # ≤ 10 s on an idle machine: benchmarks/continuation.py


def _bautin(x, p):
    """ż = (α + i)z + β z|z|² − z|z|⁴ in x = (Re z, Im z)."""
    a, b = p
    r2 = x[0] ** 2 + x[1] ** 2
    c = a + b * r2 - r2 * r2
    return np.array([c * x[0] - x[1], x[0] + c * x[1]])


def _bautin_jacobian(x, p):
    a, b = p
    r2 = x[0] ** 2 + x[1] ** 2
    c = a + b * r2 - r2 * r2
    dc = 2.0 * (b - 2.0 * r2) * np.asarray(x)  # ∂c/∂x
    return np.array(
        [[c + x[0] * dc[0], x[0] * dc[1] - 1.0], [1.0 + x[1] * dc[0], c + x[1] * dc[1]]]
    )


def test_bautin_normal_form_generalised_hopf_point():
    """Hopf line α = 0 with l1 = 2β (the normalisation of equilibria.first_lyapunov), the
    generalised Hopf (Bautin) point at β = 0."""
    sy = System(_bautin, ("x", "y"), ("alpha", "beta"), [-1.0, -1.0])
    br = equilibria(sy, "alpha", -1.0, 1.0, x0=[0.1, 0.1])
    h = br.hopf.iloc[0]
    assert abs(h.alpha) < 1e-10 and h.l1 == pytest.approx(-2.0, rel=1e-6)
    hc = hopf_curve(
        sy, "alpha", "beta", start=h.to_dict(), bounds={"alpha": (-1.0, 1.0), "beta": (-2.0, 2.0)}
    )
    assert list(hc.points.kind) == ["GH"]
    assert (hc.points.alpha[0], hc.points.beta[0]) == pytest.approx((0.0, 0.0), abs=1e-8)
    np.testing.assert_allclose(hc.table.l1, 2 * hc.table.beta, atol=1e-6)


@pytest.mark.slow
def test_bautin_normal_form_fold_of_cycles():
    """β = 1: the subcritical cycles (radius ρ, α = ρ⁴ − βρ²) fold at α = −β²/4, ρ² = β/2,
    where they become stable; the period is 2π throughout."""
    sy = System(_bautin, ("x", "y"), ("alpha", "beta"), [-1.0, 1.0], _bautin_jacobian)
    br = equilibria(sy, "alpha", -1.0, 1.0, x0=[0.1, 0.1])
    assert br.hopf.l1[0] == pytest.approx(2.0, rel=1e-6)
    cb = cycles(sy, "alpha", hopf=br.hopf.iloc[0].to_dict(), stop=-0.5, amplitude=0.1, ds_max=1.0)
    assert len(cb.folds) == 1
    lpc = cb.folds.iloc[0]
    assert lpc.alpha == pytest.approx(-0.25, abs=1e-8)
    assert lpc.x_amplitude == pytest.approx(2 * math.sqrt(0.5), abs=1e-6)
    np.testing.assert_allclose(cb.table.period, 2 * PI, rtol=1e-8)
    rho = cb.table.x_amplitude / 2
    np.testing.assert_allclose(cb.table.alpha, rho**4 - rho**2, atol=2e-6)
    away = np.abs(rho**2 - 0.5) > 1e-4  # stable beyond the fold, unstable before it
    assert (cb.table.stable[away] == (rho**2 > 0.5)[away]).all()


# --- cycles --------------------------------------------------------------------------------------


def test_cycle_branch_matches_planar_continuation_and_direct_integration():
    sy, br = _hopf_branch()
    cb = cycles(sy, "eta_bar", hopf=br.hopf.iloc[0].to_dict(), stop=5.5, values=[4.5, 5.5])
    assert cb.end == "stop" and cb.table.stable.all()
    ref = cont.limit_cycles(0.0, 1.0, eta_values=[4.5, 5.5])
    got = cb.user
    np.testing.assert_allclose(got.eta_bar, [4.5, 5.5], atol=1e-12)
    for col in ("period", "r_min", "r_max", "v_min", "v_max"):
        np.testing.assert_allclose(got[col], ref[col], rtol=0, atol=1e-6, err_msg=col)
    np.testing.assert_allclose(got.mu_max, ref.floquet, atol=1e-6)
    for c in got.itertuples():
        p = dict(eta_bar=c.eta_bar, delta=1.0, J=0.0, g=1.0)
        period, y = _period_by_integration(
            lambda t, x, p=p: np.array(model.rhs(x[0], x[1], **p)), [c.r_0 + 1e-3, c.v_0], 100.0
        )
        assert c.period == pytest.approx(period, rel=1e-6)
        assert (c.r_min, c.r_max) == pytest.approx((y.min(), y.max()), abs=1e-3)


def test_cycle_amplitude_grows_like_square_root_of_distance_to_hopf():
    sy, br = _hopf_branch()
    eta_h = br.hopf.eta_bar[0]
    mu = np.array([1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2])
    cb = cycles(
        sy,
        "eta_bar",
        hopf=br.hopf.iloc[0].to_dict(),
        stop=eta_h + 0.05,
        values=eta_h + mu,
        amplitude=5e-3,
    )
    amp = cb.user.r_amplitude.to_numpy()
    # log A = c0 + b log μ + c1 μ (the first correction to the square-root law)
    X = np.column_stack([np.ones_like(mu), np.log(mu), mu])
    coef, res, *_ = np.linalg.lstsq(X, np.log(amp), rcond=None)
    sigma2 = float(res[0]) / (mu.size - 3) if res.size else 0.0
    se = math.sqrt(sigma2 * np.linalg.inv(X.T @ X)[1, 1])
    b = coef[1]
    assert se < 1e-4 and abs(b - 0.5) <= 4 * se, (b, se)  # measured: 0.5000011 ± 4.4e-7
    # the small-amplitude cycle: period 2π/ω_H at onset
    assert cb.table.period.iloc[0] == pytest.approx(2 * PI / math.sqrt(15.75), rel=1e-3)


# --- adapters and validation ---------------------------------------------------------------------


def test_dict_keyed_system_gives_the_same_hopf_point():
    def rhs(y, q):
        return np.array(
            model.rhs(y[0], y[1], eta_bar=q["eta"], delta=1.0, J=q["J.I.I"], g=q["g.I.I"])
        )

    def jac(y, q):
        return model.jacobian(y[0], y[1], J=q["J.I.I"], g=q["g.I.I"])

    for jacobian in (jac, None):  # analytic Jacobian and finite differences
        sy = from_functions(rhs, {"eta": 0.0, "J.I.I": 0.0, "g.I.I": 1.0}, ("r", "v"), jacobian)
        br = equilibria(sy, "eta", 0.0, 6.0, x0=[0.5, 0.0])
        assert br.hopf.eta[0] == pytest.approx(3.9375, abs=1e-8)
        assert br.hopf.omega[0] == pytest.approx(math.sqrt(15.75), abs=1e-6)


def test_arguments_are_validated_by_name():
    sy = one_population(eta_bar=0.0, J=0.0, g=1.0)
    with pytest.raises(ValueError, match="parameter must be one of"):
        equilibria(sy, "eta", 0.0, 1.0, x0=[0.5, 0.0])
    with pytest.raises(ValueError, match="stop"):
        equilibria(sy, "eta_bar", 1.0, 1.0, x0=[0.5, 0.0])
    with pytest.raises(ValueError, match="x0"):
        equilibria(sy, "eta_bar", 0.0, 1.0, x0=[0.5])
    with pytest.raises(ValueError, match="bounds"):
        hopf_curve(
            sy,
            "eta_bar",
            "J",
            start={"eta_bar": 3.9375, "r": 0.6, "v": 0.25},
            bounds={"eta_bar": (0, 1)},
        )
    with pytest.raises(ValueError, match="g"):
        one_population(eta_bar=0.0, J=0.0, g=-1.0)
    with pytest.raises(ValueError, match="hopf must give"):
        cycles(sy, "eta_bar", hopf={"eta_bar": 3.9375}, stop=5.0)
    with pytest.raises(ValueError, match="amplitude"):
        cycles(sy, "eta_bar", hopf={"eta_bar": 3.9375, "r": 0.6, "v": 0.25}, stop=5, amplitude=0)
    with pytest.raises(ValueError, match="ds_max"):
        fold_curve(
            sy,
            "eta_bar",
            "J",
            start={"r": 0.3, "v": -0.5},
            bounds={"eta_bar": (-5, 5), "J": (0, 20)},
            ds_max=-1,
        )
    with pytest.raises(RuntimeError, match="not a fold point"):  # a regular equilibrium
        fold_curve(
            sy,
            "eta_bar",
            "J",
            start={"eta_bar": 5.0, "r": 0.717246, "v": 0.278103},
            bounds={"eta_bar": (-5, 6), "J": (-1, 20)},
        )
