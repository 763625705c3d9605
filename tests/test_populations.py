"""Several populations: the model declaration, the P-population firing-rate equations, their
integration, per-population results, the one defaults table (science.md §6)."""

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from qifgap import defaults, meanfield
from qifgap.cli import main
from qifgap.inputs import Constant, Step
from qifgap.model import (
    FiringRateEquations,
    jacobian,
    jacobian_populations,
    rhs,
    rhs_populations,
)
from qifgap.populations import Model, Population
from qifgap.results import NetworkResult, TimeSeries, load_timeseries

ROOT = Path(__file__).resolve().parents[1]

# science.md §6: E–I, τ_s,I = 0.5, J = [[5, −10], [10, −10]], gap junctions among I only
EI = {
    "populations": {
        "E": {"eta_bar": 1.0, "N": 4000},
        "I": {"eta_bar": 2.0, "tau_syn": 0.5, "N": 4000},
    },
    "J": {"E": {"E": 5.0, "I": -10.0}, "I": {"E": 10.0, "I": -10.0}},
    "g": {"I": {"I": 1.5}},
}


def equations_of(m: Model, kappa=None) -> dict:
    """The keyword arguments of rhs_populations / jacobian_populations for a model."""
    return dict(eta_bar=m.eta_bar, delta=m.delta, tau=m.tau, tau_syn=m.tau_syn, J=m.J, g=m.g,
                kappa=m.kappa if kappa is None else kappa)  # fmt: skip


def upcrossing_period(t, x) -> float:
    """Mean interval between upward crossings of the mean (linear interpolation)."""
    x = x - x.mean()
    k = np.flatnonzero((x[:-1] < 0) & (x[1:] >= 0))
    crossings = t[k] - x[k] * (t[k + 1] - t[k]) / (x[k + 1] - x[k])
    return float(np.diff(crossings).mean())


def spectral_peak_period(t, x, pad=64) -> float:
    """1/f of the largest peak of the zero-padded power spectrum (mean removed)."""
    n = pad * len(x)
    power = np.abs(np.fft.rfft(x - x.mean(), n)) ** 2
    f = np.fft.rfftfreq(n, t[1] - t[0])
    return float(1.0 / f[np.argmax(power[1:]) + 1])


# --- the declaration -------------------------------------------------------------------------


def test_from_dict_fills_defaults_and_round_trips():
    m = Model.from_dict(EI)
    assert m.names == ("E", "I") and m.P == 2 and m.index("I") == 1
    np.testing.assert_array_equal(m.J, [[5.0, -10.0], [10.0, -10.0]])
    np.testing.assert_array_equal(m.g, [[0.0, 0.0], [0.0, 1.5]])
    assert m["E"].delta == defaults.MODEL["delta"] and m["E"].tau_syn == defaults.MODEL["tau_syn"]
    assert m["I"].v_reset == defaults.NETWORK["v_reset"]
    np.testing.assert_array_equal(m.offsets(), [0, 4000, 8000])
    again = Model.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again == m and again.to_dict() == m.to_dict()


def test_reference_population_is_the_named_one_or_the_last():
    m = Model.from_dict(EI)
    assert m.reference() == "I" and m.reference("E") == "E"
    with pytest.raises(ValueError, match="unknown population 'X'"):
        m.reference("X")


def test_kappa_per_population():
    m = Model.from_dict({"populations": {"A": {"eta_bar": 0.0, "v_reset": -50.0},
                                         "B": {"eta_bar": 0.0, "v_peak": 50.0}}})  # fmt: skip
    np.testing.assert_allclose(m.kappa, [math.log(2.0), math.log(0.5)], rtol=1e-15)


def test_get_and_set_by_dotted_key():
    m = Model.from_dict(EI)
    assert m.get("J.I.E") == 10.0 and m.get("g.E.I") == 0.0
    assert m.get("populations.I.tau_syn") == 0.5
    m2 = m.set("g.E.I", 0.25).set("populations.E.tau_syn", 0.1)
    assert m2.g[0, 1] == 0.25 and m2["E"].tau_syn == 0.1
    assert m.g[0, 1] == 0.0 and m["E"].tau_syn == 0.0  # the original is unchanged
    with pytest.raises(ValueError, match=r"g\.E\.I must be >= 0"):
        m.set("g.E.I", -1.0)
    with pytest.raises(ValueError, match=r"J\.X\.E: unknown population 'X'"):
        m.get("J.X.E")
    with pytest.raises(ValueError, match=r"populations\.I\.tau_s: unknown key"):
        m.set("populations.I.tau_s", 1.0)


def test_single_is_the_keyword_model():
    m = Model.single(eta_bar=-5.0, delta=0.5, J=15.0, g=0.3, tau=2.0, N=100)
    assert m.P == 1 and m.J[0, 0] == 15.0 and m.g[0, 0] == 0.3 and m["pop"].tau_syn == 0.0
    assert m["pop"].eta_bar == -5.0 and m["pop"].delta == 0.5 and m.tau[0] == 2.0
    assert m.kappa[0] == 0.0


def _with(path: str, value):
    """A copy of the E–I mapping with one entry (dotted path) replaced or removed (None)."""
    spec = json.loads(json.dumps(EI))
    *parents, last = path.split(".")
    node = spec
    for key in parents:
        node = node.setdefault(key, {})
    if value is None:
        del node[last]
    else:
        node[last] = value
    return spec


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (_with("J.I.X", 1.0), r"J\.I\.X: unknown population 'X'"),
        (_with("J.X", {"E": 1.0}), r"J\.X: unknown population 'X'"),
        (_with("g.E.Y", 1.0), r"g\.E\.Y: unknown population 'Y'"),
        (_with("g.I.E", -0.5), r"g\.I\.E must be >= 0"),
        (_with("populations.I.tau_syn", -0.1), r"populations\.I\.tau_syn must be >= 0"),
        (_with("populations.I.v_reset", 0.0), r"populations\.I\.v_reset must be < 0"),
        (_with("populations.E.v_reset", 10.0), r"populations\.E\.v_reset must be < 0"),
        (_with("populations.I.v_peak", 0.0), r"populations\.I\.v_peak must be > 0"),
        (_with("populations.E.v_peak", -1.0), r"populations\.E\.v_peak must be > 0"),
        (_with("populations.E.delta", -1.0), r"populations\.E\.delta must be >= 0"),
        (_with("populations.E.tau", 0.0), r"populations\.E\.tau must be > 0"),
        (_with("populations.I.tau", -1.0), r"populations\.I\.tau must be > 0"),
        (_with("populations.E.eta_bar", math.nan), r"populations\.E\.eta_bar must be finite"),
        (_with("populations.I.tau_syn", math.inf), r"populations\.I\.tau_syn must be finite"),
        (_with("J.E.I", math.inf), r"J\.E\.I must be finite"),
        (_with("g.I.I", math.nan), r"g\.I\.I must be finite"),
        (_with("populations.E.N", 0), r"populations\.E\.N must be >= 1"),
        (_with("populations.E.N", 10.5), r"populations\.E\.N must be a whole number"),
        (_with("populations.I.N", "many"), r"populations\.I\.N must be a whole number"),
        (_with("populations.I.N", True), r"populations\.I\.N must be a whole number"),
        (_with("populations.E.eta_bar", None), r"populations\.E\.eta_bar is required"),
        (_with("populations.E.eta", 1.0), r"populations\.E\.eta: unknown key"),
        (_with("gap", {}), r"gap: unknown key"),
        ({"populations": {}}, r"populations: expected a non-empty mapping"),
        ({"populations": {"a.b": {"eta_bar": 0.0}}}, r"populations\.a\.b: a name must be"),
        ({"populations": {1: {"eta_bar": 0.0}}}, r"populations\.1: a name must be"),
    ],
)
def test_bad_model_is_refused_naming_the_key(spec, message):
    with pytest.raises(ValueError, match=message):
        Model.from_dict(spec)


def test_bad_arrays_and_missing_N():
    pops = (Population("A", eta_bar=0.0), Population("B", eta_bar=1.0, N=10))
    with pytest.raises(ValueError, match=r"J must be a \(2, 2\) array"):
        Model(populations=pops, J=np.zeros((1, 1)), g=np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"g\.B\.A must be >= 0"):
        Model(populations=pops, J=np.zeros((2, 2)), g=[[0.0, 0.0], [-1.0, 0.0]])
    with pytest.raises(ValueError, match=r"populations\.A: the name is used twice"):
        Model(populations=(pops[0], pops[0]), J=np.zeros((2, 2)), g=np.zeros((2, 2)))
    m = Model(populations=pops, J=np.zeros((2, 2)), g=np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"populations\.A\.N is required for a network run"):
        m.sizes()


# --- the equations ---------------------------------------------------------------------------


def test_one_population_equals_the_keyword_rhs_and_jacobian():
    """P = 1, τ_s = 0 through the P-population code is §2's rhs/jacobian (random states)."""
    rng = np.random.default_rng(0)
    for _ in range(20):
        eta, J, r = rng.normal(0, 5), rng.normal(0, 10), rng.uniform(0, 3)
        delta, g, tau, kappa, v, I = rng.uniform(0, 2), rng.uniform(0, 3), rng.uniform(0.2, 3), \
            rng.normal(0, 1), rng.normal(0, 3), rng.normal(0, 2)  # fmt: skip
        m = Model.single(eta_bar=eta, delta=delta, J=J, g=g, tau=tau)
        kw = equations_of(m, kappa=np.array([kappa]))
        got = rhs_populations([r, v], **kw, I=I)
        want = rhs(r, v, eta_bar=eta, delta=delta, J=J, g=g, tau=tau, I=I, kappa=kappa)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12 * (1 + abs(v) * g / tau))
        np.testing.assert_allclose(
            jacobian_populations([r, v], **kw),
            jacobian(r, v, J=J, g=g, tau=tau, kappa=kappa),
            rtol=1e-12,
            atol=1e-12,
        )


def _random_model(rng, P: int, synapses: bool) -> Model:
    pops = {
        f"p{k}": {
            "eta_bar": float(rng.normal(0, 2)),
            "delta": float(rng.uniform(0.2, 2)),
            "tau": float(rng.uniform(0.5, 2)),
            "tau_syn": float(rng.uniform(0.1, 1)) if synapses and k != 1 else 0.0,
            "v_peak": float(rng.uniform(50, 200)),
            "v_reset": -float(rng.uniform(50, 200)),
        }
        for k in range(P)
    }
    names = list(pops)
    J = {a: {b: float(rng.normal(0, 5)) for b in names} for a in names}
    g = {a: {b: float(rng.uniform(0, 2)) for b in names} for a in names}
    return Model.from_dict({"populations": pops, "J": J, "g": g})


@pytest.mark.parametrize("P", [2, 3])
@pytest.mark.parametrize("synapses", [False, True])
def test_jacobian_against_finite_differences(P, synapses):
    rng = np.random.default_rng(10 * P + synapses)
    for _ in range(5):
        m = _random_model(rng, P, synapses)
        kw = equations_of(m)
        n = 2 * P + int(np.sum(m.tau_syn > 0))
        assert n == (2 * P + P - 1 if synapses else 2 * P)
        y = np.concatenate(
            [rng.uniform(0.05, 2, P), rng.normal(0, 2, P), rng.uniform(0, 2, n - 2 * P)]
        )
        jac = jacobian_populations(y, **kw)
        h = 1e-6
        fd = np.column_stack([
            (rhs_populations(y + h * e, **kw) - rhs_populations(y - h * e, **kw)) / (2 * h)
            for e in np.eye(n)
        ])  # fmt: skip
        # central differences: error ~ h² |f'''| ~ 1e-11 (quadratic terms are exact)
        np.testing.assert_allclose(jac, fd, rtol=0, atol=1e-7 * (1 + np.abs(jac).max()))


def test_kappa_enters_only_the_voltage_equations_through_g_ab():
    """Hand-derived for P = 2 (science.md §6) with asymmetric spikes in B only:
    τ_A v̇_A = v_A² + η̄_A − (π τ_A r_A)² + τ_A (J_AA r_A + J_AB r_B)
              + g_AA (v_A − v_A) + g_AB (v_B + κ_B τ_B r_B − v_A)
    τ_B v̇_B = v_B² + η̄_B − (π τ_B r_B)² + τ_B (J_BA r_A + J_BB r_B)
              + g_BA (v_A − v_B) + g_BB κ_B τ_B r_B
    and the rate equations do not contain κ."""
    kB = math.log(2.0)
    tA, tB = 1.0, 0.8
    m = Model.from_dict({
        "populations": {"A": {"eta_bar": 0.5, "tau": tA},
                        "B": {"eta_bar": -1.0, "tau": tB, "delta": 0.7, "v_reset": -50.0}},
        "J": {"A": {"A": 2.0, "B": -3.0}, "B": {"A": 4.0, "B": 1.0}},
        "g": {"A": {"A": 0.2, "B": 0.7}, "B": {"A": 0.4, "B": 0.3}},
    })  # fmt: skip
    assert m.kappa[0] == 0.0 and m.kappa[1] == pytest.approx(kB, rel=1e-15)
    rA, rB, vA, vB = 0.3, 0.6, -0.4, 0.9
    dr_A, dr_B, dv_A, dv_B = rhs_populations([rA, rB, vA, vB], **equations_of(m))
    pi = math.pi
    want_vA = (vA**2 + 0.5 - (pi * tA * rA) ** 2 + tA * (2.0 * rA - 3.0 * rB)
               + 0.7 * (vB + kB * tB * rB - vA)) / tA  # fmt: skip
    want_vB = (vB**2 - 1.0 - (pi * tB * rB) ** 2 + tB * (4.0 * rA + 1.0 * rB)
               + 0.4 * (vA - vB) + 0.3 * kB * tB * rB) / tB  # fmt: skip
    assert dv_A == pytest.approx(want_vA, rel=1e-13)
    assert dv_B == pytest.approx(want_vB, rel=1e-13)
    assert dr_A == pytest.approx((1.0 / (pi * tA) + rA * (2 * vA - 0.9)) / tA, rel=1e-13)
    assert dr_B == pytest.approx((0.7 / (pi * tB) + rB * (2 * vB - 0.7)) / tB, rel=1e-13)
    # κ_B of population B only: zeroing it changes exactly g_aB κ_B τ_B r_B / τ_a
    no_kappa = rhs_populations([rA, rB, vA, vB], **equations_of(m, kappa=np.zeros(2)))
    np.testing.assert_allclose(
        no_kappa - [dr_A, dr_B, dv_A, dv_B],
        [0.0, 0.0, -0.7 * kB * tB * rB / tA, -0.3 * kB * tB * rB / tB],
        rtol=1e-12, atol=1e-15,
    )  # fmt: skip


def test_synaptic_trace_equation():
    """τ_s,b ṡ_b = −s_b + r_b, and the E–I state layout [r_E, r_I, v_E, v_I, s_I]."""
    m = Model.from_dict(EI)
    y = np.array([0.2, 0.5, -1.0, 0.3, 0.9])
    out = rhs_populations(y, **equations_of(m))
    assert out.shape == (5,)
    assert out[4] == pytest.approx((0.5 - 0.9) / 0.5, rel=1e-14)
    # v̇_E uses s_I (0.9), not r_I (0.5); v̇_I likewise, plus the gap junction g_II (v_I − v_I)
    assert out[2] == pytest.approx(1.0 + 1.0 - (math.pi * 0.2) ** 2 + 5.0 * 0.2 - 10.0 * 0.9)
    assert out[3] == pytest.approx(0.09 + 2.0 - (math.pi * 0.5) ** 2 + 10.0 * 0.2 - 10.0 * 0.9)
    np.testing.assert_array_equal(FiringRateEquations(**equations_of(m)).rhs(y), out)


# --- integration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw",
    [
        dict(eta_bar=-5.0, delta=1.0, J=15.0, g=0.0, current=Step(3.0, 2.0, 6.0)),
        dict(eta_bar=4.0, delta=1.0, J=-2.0, g=1.0, tau=1.5, r0=0.2, v0=-1.0),
    ],
)
def test_one_population_model_equals_the_keyword_api(kw):
    kw = dict(kw)
    tau = kw.pop("tau", 1.0)
    model_part = {k: kw.pop(k) for k in ("eta_bar", "delta", "J", "g")}
    a = meanfield.integrate(**model_part, tau=tau, t_end=10.0, **kw)
    b = meanfield.integrate(model=Model.single(**model_part, tau=tau), t_end=10.0, **kw)
    assert a.populations == () and a.r.ndim == 1
    assert b.populations == ("pop",) and b.r.shape == (a.t.size, 1)
    np.testing.assert_allclose(b.population("pop").r, a.r, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(b.population("pop").v, a.v, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(b.population("pop").Z, a.Z, rtol=1e-12, atol=1e-14)


def test_one_population_equals_direct_integration_of_rhs():
    """The integrator on the P-population code against solve_ivp on §2's scalar rhs."""
    from scipy.integrate import solve_ivp

    kw = dict(eta_bar=4.0, delta=1.0, J=-2.0, g=1.0)
    res = meanfield.integrate(**kw, t_end=10.0, r0=0.1)
    sol = solve_ivp(lambda t, y: rhs(y[0], y[1], **kw), (0.0, 10.0), [0.1, 0.0],
                    method="DOP853", rtol=1e-10, atol=1e-12, t_eval=res.t)  # fmt: skip
    np.testing.assert_allclose(res.r, sol.y[0], rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(res.v, sol.y[1], rtol=1e-9, atol=1e-11)


def test_ei_example_rhythm():
    """science.md §6, mean field: period 2.857 τ, ⟨r_I⟩ = 0.319, std r_I = 0.312 (20 ≤ t ≤ 40)."""
    res = meanfield.integrate(model=EI, t_end=40.0)
    assert res.populations == ("E", "I") and res.r.shape == (res.t.size, 2)
    late = res.t >= 20.0
    r_I, r_E = res.population("I").r[late], res.population("E").r[late]
    assert upcrossing_period(res.t[late], r_I) == pytest.approx(2.857, rel=0.01)
    assert spectral_peak_period(res.t[late], r_I) == pytest.approx(2.857, rel=0.01)
    assert r_I.mean() == pytest.approx(0.319, rel=0.02)
    assert r_I.std() == pytest.approx(0.312, rel=0.02)
    assert r_E.mean() == pytest.approx(0.1458, rel=0.02)


def test_ei_without_gap_junctions_is_stationary():
    res = meanfield.integrate(model=Model.from_dict(EI).set("g.I.I", 0.0), t_end=40.0)
    r_I = res.population("I").r[res.t >= 20.0]
    assert r_I.std() < 1e-3
    assert r_I.mean() == pytest.approx(0.286, abs=1e-3)


@pytest.mark.parametrize("tau_syn", [0.0, 0.4])
def test_two_copies_of_one_population_are_that_population(tau_syn):
    """Halves of one population, coupled with J_ab = J/2 and g_ab = g/2 (so that Σ_b J_ab = J and
    Σ_b g_ab = g, the totals of science.md §6's J_ab/N_b and g_ab scaling), give its mean field;
    with asymmetric spikes (κ ≠ 0) too."""
    J, g = -3.0, 1.2
    pop = {"eta_bar": 3.0, "delta": 0.8, "tau": 1.3, "tau_syn": tau_syn, "v_reset": -60.0}
    one = Model.from_dict({"populations": {"A": {**pop, "N": 2000}}, "J": {"A": {"A": J}},
                           "g": {"A": {"A": g}}})  # fmt: skip
    halves = {a: {b: J / 2 for b in "XY"} for a in "XY"}
    gaps = {a: {b: g / 2 for b in "XY"} for a in "XY"}
    two = Model.from_dict({"populations": {"X": {**pop, "N": 1000}, "Y": {**pop, "N": 1000}},
                           "J": halves, "g": gaps})  # fmt: skip
    current = Step(2.0, 3.0, 5.0)
    a = meanfield.integrate(model=one, t_end=12.0, current=current)
    b = meanfield.integrate(model=two, t_end=12.0, current=current)
    assert a.population("A").r.std() > 0.05  # not a trivial stationary state
    # both solve their ODE to rtol 1e-10 with different step sequences (the state dimension
    # enters the error norm): they agree to ~1e-9; a wrong J_ab or g_ab scaling is off by O(1)
    for name in "XY":
        for x in ("r", "v"):
            got, want = getattr(b.population(name), x), getattr(a.population("A"), x)
            np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-8)


def test_own_kappa_and_explicit_kappa():
    """kappa=None uses each population's ln(V_p/|V_r|); an explicit array replaces it."""
    spec = _with("populations.I.v_reset", -50.0)
    own = meanfield.integrate(model=spec, t_end=5.0)
    explicit = meanfield.integrate(model=spec, t_end=5.0, kappa=[0.0, math.log(2.0)])
    none = meanfield.integrate(model=spec, t_end=5.0, kappa=0.0)
    np.testing.assert_array_equal(own.r, explicit.r)
    assert own.params["kappa"] == [0.0, math.log(2.0)]
    assert np.abs(own.r - none.r).max() > 1e-2


def test_per_population_current_and_initial_state():
    m = Model.from_dict(EI)
    drive = meanfield.integrate(model=m, t_end=3.0, current={"E": Constant(1.0)})
    common = meanfield.integrate(model=m, t_end=3.0, current={"E": 1.0, "I": 1.0})
    both = meanfield.integrate(model=m, t_end=3.0, current=1.0)
    np.testing.assert_array_equal(common.r, both.r)
    assert np.abs(drive.r - both.r).max() > 1e-3
    assert drive.params["current"]["I"] == {"kind": "constant", "value": 0.0}
    y0 = [0.1, 0.2, -1.0, -0.5, 0.3]
    res = meanfield.integrate(model=m, t_end=1.0, y0=y0)
    np.testing.assert_array_equal(res.r[0], [0.1, 0.2])
    np.testing.assert_array_equal(res.v[0], [-1.0, -0.5])
    assert res.params["y0"] == y0


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        (dict(model=EI, y0=[0.0] * 4), r"y0 must hold .* 5 numbers"),
        (dict(model=EI, y0=[-0.1, 0, 0, 0, 0]), r"y0: the rates"),
        (dict(model=EI, kappa=[0.0, 1.0, 2.0]), r"kappa must be a number or 2 finite numbers"),
        (dict(model=EI, kappa=[0.0, math.nan]), r"kappa must be a number or 2 finite numbers"),
        (dict(model=EI, kappa="auto"), r"kappa must be a number"),
        (dict(model=EI, current={"X": 1.0}), r"current\.X: unknown population"),
        (dict(model=EI, current={"I": "strong"}), r"current\.I"),
        (dict(model=EI, eta_bar=1.0), r"eta_bar: give the model's parameters in model"),
        (dict(model=_with("g.I.I", -1.0)), r"g\.I\.I must be >= 0"),
        (dict(eta_bar=1.0, delta=1.0, J=0.0), r"g: required without a model"),
    ],
)
def test_integrate_guard_rails(kw, message):
    with pytest.raises(ValueError, match=message):
        meanfield.integrate(t_end=1.0, **kw)


# --- results ---------------------------------------------------------------------------------


def test_population_view_and_round_trip(tmp_path):
    res = meanfield.integrate(model=EI, t_end=2.0, dt_out=0.1)
    view = res.population("I")
    assert isinstance(view, TimeSeries) and view.populations == ()
    np.testing.assert_array_equal(view.r, res.r[:, 1])
    assert view.r.base is not None  # a view, not a copy
    assert view.params["population"] == "I" and view.params["g"] == {"I": {"I": 1.5}}
    with pytest.raises(ValueError, match="unknown population 'X'"):
        res.population("X")
    res.save(tmp_path / "mf.npz")
    back = load_timeseries(tmp_path / "mf.npz")
    assert back.populations == ("E", "I") and back.params == json.loads(json.dumps(res.params))
    for name in ("t", "r", "v", "Z"):
        np.testing.assert_array_equal(getattr(back, name), getattr(res, name))
    assert Model.from_dict(
        {k: back.params[k] for k in ("populations", "J", "g")}
    ) == Model.from_dict(EI)


def test_network_result_population_view_and_round_trip(tmp_path):
    """Global neuron indices: A owns 0…2, B owns 3…6; the view re-indexes B's spikes."""
    t = np.arange(4) * 0.5
    r = np.arange(8.0).reshape(4, 2)
    res = NetworkResult(
        t=t, r=r, v=-r, Z=(r + 1j).astype(complex), params={"model": "network"},
        populations=("A", "B"), population_offsets=[0, 3, 7],
        spike_times=np.array([0.1, 0.2, 0.3, 0.4]), spike_ids=np.array([0, 4, 2, 6]),
        raster_neurons=np.array([0, 2, 4, 6]),
    )  # fmt: skip
    b = res.population("B")
    np.testing.assert_array_equal(b.spike_ids, [1, 3])
    np.testing.assert_array_equal(b.spike_times, [0.2, 0.4])
    np.testing.assert_array_equal(b.raster_neurons, [1, 3])
    np.testing.assert_array_equal(b.r, [1.0, 3.0, 5.0, 7.0])
    res.save(tmp_path / "net.npz")
    back = load_timeseries(tmp_path / "net.npz")
    assert isinstance(back, NetworkResult) and back.populations == ("A", "B")
    np.testing.assert_array_equal(back.population_offsets, [0, 3, 7])
    np.testing.assert_array_equal(back.population("A").spike_ids, [0, 2])
    with pytest.raises(ValueError, match="population_offsets must have 3 entries"):
        NetworkResult(t=t, r=r, v=r, Z=r, populations=("A", "B"), population_offsets=[0, 3])


def test_one_population_files_load_as_before(tmp_path):
    """A file without populations (today's format) loads with 1-D arrays and no populations."""
    res = meanfield.integrate(eta_bar=1.0, delta=1.0, J=0.0, g=0.0, t_end=1.0)
    res.save(tmp_path / "one.npz")
    with np.load(tmp_path / "one.npz") as data:
        assert sorted(data.files) == ["Z", "kind", "params", "r", "t", "v"]
    back = load_timeseries(tmp_path / "one.npz")
    assert back.populations == () and back.r.ndim == 1
    np.testing.assert_array_equal(back.r, res.r)


# --- model files -----------------------------------------------------------------------------

ISSUE_EXAMPLE = """\
populations:
  E: {eta_bar: 1.0, delta: 1.0, tau: 1.0, tau_syn: 0.0, N: 8000}
  I: {eta_bar: 2.0, delta: 1.0, tau: 1.0, tau_syn: 0.5, N: 2000, v_reset: -100.0}
J: {E: {E: 5.0, I: -10.0}, I: {E: 10.0, I: -10.0}}   # J[post][pre]; missing entries are 0
g: {I: {I: 1.5}}                                      # g[post][pre] >= 0
"""


def test_model_file_of_the_issue_loads(tmp_path):
    path = tmp_path / "ei.yaml"
    path.write_text(ISSUE_EXAMPLE)
    m = Model.from_file(path)
    assert m.names == ("E", "I") and list(m.sizes()) == [8000, 2000]
    np.testing.assert_array_equal(m.J, [[5.0, -10.0], [10.0, -10.0]])
    np.testing.assert_array_equal(m.g, [[0.0, 0.0], [0.0, 1.5]])
    assert m["I"].tau_syn == 0.5 and m["E"].tau_syn == 0.0


@pytest.mark.parametrize("name", ["ei.yaml", "ei.json", "ei.yml"])
def test_model_file_round_trip(tmp_path, name):
    m = Model.from_dict(_with("populations.I.v_reset", -60.0)).set("g.E.I", 0.25)
    path = tmp_path / name
    m.to_file(path)
    assert Model.from_file(path) == m
    text = path.read_text()
    assert (text.lstrip().startswith("{") and '"populations"' in text) == name.endswith(".json")
    assert list(tmp_path.iterdir()) == [path]  # written through a temporary file, renamed


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("none.yaml", None, r"No such file or directory$"),
        ("broken.yaml", b"populations: {E: {eta_bar: 1.0\n", r"cannot read it \(\w*Error"),
        ("broken.json", b"{", r"cannot read it \(JSONDecodeError"),
        ("binary.yaml", b"\xff\xfe\x00", r"cannot read it \(UnicodeDecodeError"),
        ("list.yaml", b"- E\n- I\n", r"a model must be a mapping, got list$"),
        ("bad.yaml", ISSUE_EXAMPLE.replace("{I: {I: 1.5}}", "{I: {X: 1.5}}").encode(),
         r"g\.I\.X: unknown population 'X'"),
    ],
)  # fmt: skip
def test_model_file_errors_name_the_file_and_the_key(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ValueError, match=rf"^{re.escape(str(path))}: {message}"):
        Model.from_file(path)


# --- the command line ------------------------------------------------------------------------


def test_cli_meanfield_reads_a_model_file(tmp_path):
    import yaml

    model_file = tmp_path / "ei.yaml"
    model_file.write_text(yaml.safe_dump(EI, sort_keys=False))
    out = tmp_path / "mf.npz"
    assert main(["meanfield", "--model", str(model_file), "--t-end", "4", "-o", str(out)]) == 0
    res = load_timeseries(out)
    direct = meanfield.integrate(model=EI, t_end=4.0, current=0.0)
    assert res.populations == ("E", "I")
    np.testing.assert_array_equal(res.r, direct.r)


def test_cli_model_errors_are_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_with("populations.I.tau_syn", -1.0)))
    out = str(tmp_path / "x.npz")
    assert main(["meanfield", "--model", str(bad), "--t-end", "1", "-o", out]) == 2
    assert capsys.readouterr().err.strip() == (
        f"qifgap meanfield: --model {bad}: populations.I.tau_syn must be >= 0, got -1.0"
    )
    good = tmp_path / "good.json"
    good.write_text(json.dumps(EI))
    assert main(["meanfield", "--model", str(good), "--J", "1", "--t-end", "1", "-o", out]) == 2
    assert "--J: the model file declares the model" in capsys.readouterr().err
    assert main(["meanfield", "--eta-bar", "1", "--J", "1", "--t-end", "1", "-o", out]) == 2
    assert "--g: required (or --model)" in capsys.readouterr().err
    assert not Path(out).exists()


def test_cli_simulate_reads_a_model_file(tmp_path):
    small = json.loads(json.dumps(EI))
    for pop in small["populations"].values():
        pop["N"] = 500
    model_file = tmp_path / "ei.json"
    model_file.write_text(json.dumps(small))
    out = tmp_path / "net.npz"
    code = main(["simulate", "--model", str(model_file), "--t-end", "1", "--dt", "5e-4",
                 "-o", str(out)])  # fmt: skip
    assert code == 0
    res = load_timeseries(out)
    assert res.populations == ("E", "I") and list(res.population_offsets) == [0, 500, 1000]


# --- the one defaults table ------------------------------------------------------------------


def _config_defaults():
    import yaml

    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["defaults"]
    schema = yaml.safe_load((ROOT / "config" / "schema.yaml").read_text())
    pairs = [
        (f"config defaults.{k}", v, "MODEL", k) for k, v in config.items() if k in defaults.MODEL
    ]
    for section, table in (("network", "NETWORK"), ("meanfield", "MEANFIELD")):
        for k, v in config.get(section, {}).items():
            for name in (table, "MODEL"):
                if k in getattr(defaults, name):
                    pairs.append((f"config defaults.{section}.{k}", v, name, k))
    verification = schema["properties"]["verification"]["properties"]
    pairs.append(("schema verification.dt", verification["dt"]["default"], "NETWORK", "dt"))
    for where, table, props in _schema_verification_sections(schema):
        for k, spec in props.items():
            if "default" in spec and k in getattr(defaults, table):
                pairs.append((f"schema {where}.{k}", spec["default"], table, k))
    return pairs


def _schema_verification_sections(schema):
    """(where, defaults table, properties) of the schema sections whose defaults are a table
    of qifgap.defaults: the phase-diagram and the rhythm verification."""
    (rhythm,) = schema["properties"]["rhythms"]["patternProperties"].values()
    return [
        ("verification", "VERIFICATION", schema["properties"]["verification"]["properties"]),
        ("rhythms.<name>.verification", "RHYTHM_VERIFICATION",
         rhythm["properties"]["verification"]["properties"]),
    ]  # fmt: skip


# Deliberate choices of the paper config, which differ from the library's defaults on
# purpose (a value equal to the library's would be a second copy of the default: drop it).
CONFIG_CHOICES = {
    # the paper figures draw rasters of 300 neurons; a library call records 100
    "config defaults.network.raster_neurons": 300,
}


@pytest.mark.parametrize(
    ("where", "value", "table", "key"),
    [pair for pair in _config_defaults() if pair[0] not in CONFIG_CHOICES],
    ids=lambda x: x if isinstance(x, str) and x.startswith(("config", "schema")) else "",
)
def test_config_defaults_equal_the_table(where, value, table, key):
    assert value == getattr(defaults, table)[key], f"{where} = {value!r} but {table}[{key!r}]"


@pytest.mark.parametrize(
    ("where", "value", "table", "key"),
    [pair for pair in _config_defaults() if pair[0] in CONFIG_CHOICES],
)
def test_config_choices_differ_from_the_table(where, value, table, key):
    assert value == CONFIG_CHOICES[where] != getattr(defaults, table)[key], where


def test_the_table_covers_the_config_defaults():
    """Every library option of config's defaults block is in the table (N has no default)."""
    checked = {where for where, *_ in _config_defaults()}
    assert {"config defaults.delta", "config defaults.tau", "config defaults.network.dt",
            "config defaults.network.v_peak", "config defaults.meanfield.rtol",
            "config defaults.meanfield.kappa"} <= checked  # fmt: skip


def test_the_tables_cover_the_verification_schema_defaults():
    """Every number the schema's verification sections default to (grid, N, hold, dt, chunk,
    thresholds, bands) is a key of its qifgap.defaults table (and equal to it, above), and every
    key of the table but the library-only smoothing has a schema default."""
    import yaml

    schema = yaml.safe_load((ROOT / "config" / "schema.yaml").read_text())
    for where, table, props in _schema_verification_sections(schema):
        numbers = {k for k, spec in props.items() if isinstance(spec.get("default"), int | float)}
        keys = set(getattr(defaults, table))
        assert numbers <= keys, f"schema {where}: {sorted(numbers - keys)} not in {table}"
        assert keys - numbers <= {"smoothing"}, f"{table}: {sorted(keys - numbers)} not in schema"
