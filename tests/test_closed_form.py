"""Closed-form bifurcation set against the reference values of science.md §3 (Δ = 1)."""

import math

import numpy as np
import pytest

from qifgap import bifurcation as bif
from qifgap.bifurcation import closed_form as cf
from qifgap.bifurcation.portrait import phase_portrait
from qifgap.model import jacobian, rhs

REL = 1e-6


@pytest.mark.parametrize(
    ("g", "eta", "J", "rel"),
    [
        (0.0, -math.sqrt(3), 7.79622, 1e-6),
        (1.0, -0.8090, 5.6287, 1e-4),
        (2.0, -0.1090, 2.3102, 1e-3),
    ],
)
def test_cusp(g, eta, J, rel):
    eta_c, J_c = bif.cusp(g)
    assert eta_c == pytest.approx(eta, rel=rel)
    assert J_c == pytest.approx(J, rel=rel)


def test_cusp_is_where_the_folds_merge():
    for g in (0.0, 0.5, 1.0, 2.0, 3.0):
        eta_c, J_c = bif.cusp(g)
        assert bif.saddle_node_etas(J_c - 1e-3, g) == []
        lo, hi = bif.saddle_node_etas(J_c + 1e-3, g)
        assert lo < eta_c + 1e-2 and hi > eta_c - 1e-2 and hi - lo < 1e-2


@pytest.mark.parametrize(("g", "eta", "J"), [(1.0, -3.9375, 12.37002), (2.0, -0.75, 4.71239)])
def test_takens_bogdanov(g, eta, J):
    eta_tb, J_tb = bif.takens_bogdanov(g)
    assert eta_tb == pytest.approx(eta, rel=REL)
    assert J_tb == pytest.approx(J, rel=REL)
    # T = D = 0 there: a double zero eigenvalue
    (fp,) = [f for f in bif.fixed_points(eta_tb, J_tb, g) if abs(f.r - 2 / (math.pi * g)) < 1e-4]
    lam = np.linalg.eigvals(jacobian(fp.r, fp.v, J=J_tb, g=g))
    assert np.max(np.abs(lam)) < 1e-3


def test_takens_bogdanov_absent_without_gap_junctions():
    assert bif.takens_bogdanov(0.0) is None
    assert math.isnan(bif.hopf_eta(0.0, 0.0))


@pytest.mark.parametrize(("g", "eta"), [(1.0, 3.9375), (2.0, 0.75)])
def test_hopf_at_zero_chemical_coupling(g, eta):
    assert bif.hopf_eta(0.0, g) == pytest.approx(eta, rel=REL)
    # on the Hopf line the Jacobian has purely imaginary eigenvalues ±iω_H
    (fp,) = bif.fixed_points(eta, 0.0, g)
    lam = np.linalg.eigvals(jacobian(fp.r, fp.v, J=0.0, g=g))
    assert np.max(np.abs(lam.real)) < 1e-9
    assert np.max(lam.imag) == pytest.approx(bif.hopf_frequency(0.0, g), rel=1e-9)


def test_hopf_only_below_takens_bogdanov():
    eta_tb, J_tb = bif.takens_bogdanov(1.0)
    assert math.isnan(bif.hopf_eta(J_tb + 0.1, 1.0))
    assert bif.hopf_eta(J_tb - 1e-9, 1.0) == pytest.approx(eta_tb, rel=1e-6)
    line = bif.hopf_line(1.0)
    assert line.J.iloc[-1] == pytest.approx(J_tb)
    assert np.allclose(line.eta_bar, bif.hopf_eta(line.J.to_numpy() - 1e-12, 1.0))


def test_saddle_nodes_at_J15():
    lo, hi = bif.saddle_node_etas(15.0, 0.0)
    assert lo == pytest.approx(-5.74353, rel=1e-5)
    assert hi == pytest.approx(-3.13613, rel=1e-5)


def test_saddle_node_curve_is_a_fold():
    curve = bif.saddle_node_curve(1.0)
    assert set(curve.branch) == {"low", "high"}
    for row in curve.iloc[::97].itertuples():
        # the point is a fixed point with a zero eigenvalue
        v = 1.0 / 2 - 1.0 / (2 * math.pi * row.r)
        dr, dv = rhs(row.r, v, eta_bar=row.eta_bar, delta=1.0, J=row.J, g=1.0)
        assert abs(dr) < 1e-9 and abs(dv) < 1e-7
        assert abs(np.linalg.det(jacobian(row.r, v, J=row.J, g=1.0))) < 1e-6 * max(1, row.J)


def test_fixed_points_reference():
    node, saddle, focus = bif.fixed_points(-5.0, 15.0, 0.0)
    for fp, (r, v) in zip(
        (node, saddle, focus),
        [(0.0811, -1.9616), (0.4730, -0.3365), (1.0306, -0.1544)],
        strict=True,
    ):
        assert fp.r == pytest.approx(r, abs=1e-4)
        assert fp.v == pytest.approx(v, abs=1e-4)
    assert node.stability == "stable node"
    assert saddle.stability == "saddle"
    assert focus.stability == "stable focus"
    lam = focus.eigenvalues[1]
    assert lam.real == pytest.approx(-0.309, abs=1e-3)
    assert abs(lam.imag) == pytest.approx(3.319, abs=1e-3)


def test_fixed_points_are_zeros_of_the_vector_field():
    for eta, J, g in [(-5, 15, 0), (-2, 8, 1.5), (3, -4, 2), (-0.5, 0, 0.7)]:
        fps = bif.fixed_points(eta, J, g)
        assert len(fps) in (1, 3)
        for fp in fps:
            dr, dv = rhs(fp.r, fp.v, eta_bar=eta, delta=1.0, J=J, g=g)
            assert abs(dr) < 1e-10 and abs(dv) < 1e-10


# --- the fixed-point algebra is the model's: checked against qifgap.model on random points ---


def _random_points(n=40, seed=3):
    rng = np.random.default_rng(seed)
    return zip(rng.uniform(0.02, 3.0, n), rng.uniform(-10, 20, n), rng.uniform(0, 3, n),
               rng.uniform(0.2, 2.0, n), strict=True)  # fmt: skip


def test_rate_parametrisation_is_a_zero_of_the_model():
    """(r, v*(r)) is a fixed point of model.rhs at η̄(r); r is a root of the quartic there; trace
    and determinant at r are those of model.jacobian."""
    for r, J, g, delta in _random_points():
        v = cf.v_star(r, g, delta)
        eta = float(cf.eta_of_rate(r, J=J, g=g, delta=delta))
        dr, dv = rhs(r, v, eta_bar=eta, delta=delta, J=J, g=g)
        assert abs(dr) < 1e-12 * (1 + r) and abs(dv) < 1e-11 * (1 + abs(eta) + r * r)
        q = cf.fixed_point_quartic(eta, J, g, delta)
        assert abs(np.polyval(q, r)) < 1e-11 * np.polyval(np.abs(q), r)
        A = jacobian(r, v, J=J, g=g)
        assert cf.trace_at_rate(r, g, delta) == pytest.approx(np.trace(A), rel=1e-12, abs=1e-12)
        assert cf.det_at_rate(r, J, g, delta) == pytest.approx(
            np.linalg.det(A), rel=1e-9, abs=1e-9 * np.abs(A).max() ** 2
        )


def test_fold_point_is_a_zero_determinant_fixed_point_of_the_model():
    for r, _, g, delta in _random_points(seed=4):
        eta, J, v = cf.fold_point(r, g, delta)
        dr, dv = rhs(r, v, eta_bar=eta, delta=delta, J=J, g=g)
        assert abs(dr) < 1e-12 * (1 + r) and abs(dv) < 1e-10 * (1 + abs(eta) + abs(J) * r)
        A = jacobian(r, v, J=J, g=g)
        assert abs(np.linalg.det(A)) < 1e-9 * np.abs(A).max() ** 2
        assert np.min(np.abs(cf.fold_rates(J, g, delta) - r)) < 1e-8 * r
        low, r_c = cf.low_fold_rate(J, g, delta), cf.cusp_rate(g, delta)
        if r < r_c:  # r is on the low-activity fold
            assert low == pytest.approx(r, rel=1e-8)
        else:  # r on the high-activity fold: the low one is the other root, below the cusp
            assert low < r_c < r


def test_hopf_line_is_zero_trace_of_the_model():
    for _, J, g, delta in _random_points(seed=5):
        g += 0.1
        r_h = cf.hopf_rate(g, delta)
        assert cf.eta_of_rate(r_h, J=J, g=g, delta=delta) == pytest.approx(
            cf.hopf_eta_line(J, g, delta), rel=1e-12, abs=1e-12
        )
        A = jacobian(r_h, cf.v_star(r_h, g, delta), J=J, g=g)
        assert abs(np.trace(A)) < 1e-12 * (1 + g)


def test_portrait_nullclines_are_zeros_of_the_model():
    eta, J, g, delta = -5.0, 15.0, 0.7, 1.3
    p = phase_portrait(eta_bar=eta, J=J, g=g, delta=delta, n_grid=5, initial_conditions=[])
    r = p["nullcline_r"]
    dr, _ = rhs(r, p["r_nullcline"], eta_bar=eta, delta=delta, J=J, g=g)
    np.testing.assert_allclose(dr, 0.0, atol=1e-12)
    for key in ("v_nullcline_upper", "v_nullcline_lower"):
        ok = np.isfinite(p[key])
        assert ok.sum() > 100
        _, dv = rhs(r[ok], p[key][ok], eta_bar=eta, delta=delta, J=J, g=g)
        np.testing.assert_allclose(dv, 0.0, atol=1e-10)


def test_step_protocol_focus():
    (focus,) = bif.fixed_points(-2.0, 15.0, 0.0)
    assert focus.r == pytest.approx(1.3732, abs=1e-4)
    assert focus.v == pytest.approx(-0.1159, abs=1e-4)
    assert 2 * math.pi / abs(focus.eigenvalues[0].imag) == pytest.approx(1.09, abs=0.005)


@pytest.mark.parametrize(
    ("func", "kwargs", "name"),
    [
        (bif.cusp, {"g": -1.0}, "g"),
        (bif.cusp, {"g": 1.0, "delta": 0.0}, "delta"),
        (bif.fixed_points, {"eta_bar": float("nan"), "J": 1.0, "g": 0.0}, "eta_bar"),
        (bif.saddle_node_etas, {"J": float("inf"), "g": 0.0}, "J"),
    ],
)
def test_bad_arguments_are_named(func, kwargs, name):
    with pytest.raises(ValueError, match=name):
        func(**kwargs)
