"""The network kernel: analytic rates, round-off agreement with the numpy twin, determinism,
agreement with the exact mean field, and guard rails."""

import math

import numba
import numpy as np
import pytest

from qifgap import bifurcation as bif
from qifgap import kernels, meanfield, network
from qifgap.inputs import Constant, Sinusoid, Step
from qifgap.metrics import crossing_period, spectral_peak
from qifgap.model import kuramoto_from_rv
from qifgap.reference import simulate_reference

DT = 1e-4


@pytest.mark.parametrize("reset", ["flight", "instant"])
@pytest.mark.parametrize(("eta", "v_reset"), [(4.0, -100.0), (1.0, -50.0), (0.3, -200.0)])
def test_single_neuron_fires_at_the_analytic_rate(reset, eta, v_reset):
    """T = [arctan(V_p/√η) − arctan(V_r/√η)]/√η (+ τ/V_p + τ/|V_r| with the flight window)."""
    res = network.simulate(
        N=1, eta_bar=eta, delta=0.0, J=0.0, g=0.0, t_end=40.0, reset=reset, v_reset=v_reset,
        raster_neurons=1,
    )  # fmt: skip
    period = np.diff(res.spike_times).mean()
    s = math.sqrt(eta)
    expected = (math.atan(100.0 / s) - math.atan(v_reset / s)) / s
    if reset == "flight":
        expected += 1 / 100.0 + 1 / abs(v_reset)
    assert abs(period - expected) <= 2 * DT  # the period is resolved to a step
    # the binned rate counts the same spikes: Σ r · bin · N = number of spikes
    assert res.r.sum() * 1e-2 == pytest.approx(len(res.spike_times), abs=1e-9)


def test_uncoupled_network_rate():
    """r* = sqrt(η̄ + sqrt(η̄² + Δ²))/(π√2), v* = −Δ/(2π r*) for J = g = 0 (large N)."""
    eta, d = 1.0, 1.0
    res = network.simulate(N=10_000, eta_bar=eta, delta=d, J=0.0, g=0.0, t_end=10.0)
    r_star = math.sqrt(eta + math.sqrt(eta**2 + d**2)) / (math.pi * math.sqrt(2))
    late = res.t > 4
    assert res.r[late].mean() == pytest.approx(r_star, rel=0.02)
    assert res.v[late].mean() == pytest.approx(-d / (2 * math.pi * r_star), rel=0.03)


SMALL = dict(N=300, eta_bar=-1.0, delta=1.0, J=6.0, g=2.0, t_end=3.0, t_start=-1.0, v_init=-1.0)


@pytest.mark.parametrize("reset", ["flight", "instant"])
@pytest.mark.parametrize("current", [None, Step(4.0, 0.0, 1.0), Sinusoid(2.0, 3.0)])
def test_kernel_matches_numpy_reference(reset, current):
    fast = network.simulate(**SMALL, reset=reset, current=current, v_reset=-60.0)
    slow = simulate_reference(**SMALL, reset=reset, current=current, v_reset=-60.0)
    np.testing.assert_array_equal(fast.t, slow.t)
    assert fast.r.sum() > 10  # the comparison covers spiking activity
    np.testing.assert_allclose(fast.r, slow.r, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fast.v, slow.v, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(fast.Z, slow.Z, rtol=0, atol=1e-9)


@pytest.mark.skipif(
    numba.config.NUMBA_NUM_THREADS < 2, reason="numba has a single thread on this machine"
)
def test_results_do_not_depend_on_thread_count(monkeypatch):
    """Four chunks: two threads on every block (not left to the adaptive chooser, which may run
    one thread on a busy machine) sum two chunk partials each, so a reduction whose order
    followed the threads would change the bits (in the first step already: 0.3 τ is enough,
    and keeps the forced two threads short on a machine whose other core is busy)."""
    kw = dict(N=3 * kernels.CHUNK + 17, eta_bar=-2.0, delta=1.0, J=10.0, g=1.5, t_end=0.3)
    one = network.simulate(**kw, threads=1)
    monkeypatch.setattr(network.ThreadChooser, "ADAPTIVE", False)
    two = network.simulate(**kw, threads=2)
    for name in ("r", "v", "Z", "spike_times", "spike_ids"):
        assert np.array_equal(getattr(one, name), getattr(two, name)), name
    again = network.simulate(**kw, threads=1)
    assert np.array_equal(one.v, again.v)


def test_random_heterogeneity_is_seeded():
    kw = dict(N=500, eta_bar=0.0, delta=1.0, J=0.0, g=0.0, t_end=0.5, heterogeneity="random")
    a = network.simulate(**kw, seed=3)
    b = network.simulate(**kw, seed=3)
    c = network.simulate(**kw, seed=4)
    assert np.array_equal(a.v, b.v)
    assert not np.array_equal(a.v, c.v)


def test_raster_records_the_chosen_neurons():
    """Uncoupled neurons from V = 0 with η > 0 reach +∞, and emit their first spike, at
    π/(2√η); later spikes follow with the period T of the flight scheme. Spikes recorded at the
    threshold crossing instead would be τ/V_p = 0.01 early; without the return flight T would be
    τ/|V_r| = 0.01 shorter."""
    N, eta_bar, delta = 1000, 2.0, 0.5
    chosen = [499, 700, 900]  # η ≈ 2.00, 2.36, 3.54 (index 0: η ≈ −157, never fires)
    res = network.simulate(
        N=N, eta_bar=eta_bar, delta=delta, J=0.0, g=0.0, t_end=6.0, raster_neurons=[0, *chosen]
    )
    assert set(np.unique(res.spike_ids)) == set(chosen)
    for j in chosen:
        eta = eta_bar + delta * math.tan(0.5 * math.pi * (2 * (j + 1) - N - 1) / (N + 1))
        s = math.sqrt(eta)
        period = 2 * math.atan(100.0 / s) / s + 2 / 100.0
        times = res.spike_times[res.spike_ids == j]
        assert times.size >= 3
        # forward Euler under-estimates the growth of V² > 0: the first spike is late by a few
        # steps, never early
        assert 0 <= times[0] - math.pi / (2 * s) <= 8 * DT
        np.testing.assert_allclose(np.diff(times), period, rtol=0, atol=2 * DT)


def _mf_on(net, **kw):
    return meanfield.integrate(t_start=net.t[0], t_end=net.t[-1], t_eval=net.t, **kw)


# Known biases of the scheme at N = 10⁴, dt = 1e-4 (measured, see tests' docstrings):
# the Lorentzian quantiles miss the heavy upper tail, ~2Δ/(π² sqrt(N/π)) ≈ 0.004 in r (which
# the chemical feedback amplifies in low-rate states); forward Euler biases v upward by
# O(dt V_p² ...) ≈ 0.02–0.03 (0.027 at dt = 1e-4, 0.017 at 5e-5 for the MPR15 focus).
V_TOL = 0.035


@pytest.mark.parametrize(
    "p",
    [
        dict(eta_bar=2.0, delta=1.0, J=3.0, g=0.5),  # chemical + electrical
        dict(eta_bar=1.0, delta=1.0, J=-5.0, g=2.0),  # inhibitory + electrical
        dict(eta_bar=-1.0, delta=1.0, J=0.0, g=1.5),  # electrical only
    ],
)
def test_asynchronous_state_matches_mean_field(p):
    net = network.simulate(N=10_000, t_end=16.0, raster_neurons=0, **p)
    (fp,) = bif.fixed_points(**p)
    assert fp.stable
    late = net.t > 8
    assert net.r[late].mean() == pytest.approx(fp.r, rel=0.03)
    assert net.v[late].mean() == pytest.approx(fp.v, abs=V_TOL)
    assert np.abs(net.Z[late]).mean() == pytest.approx(abs(kuramoto_from_rv(fp.r, fp.v)), rel=0.03)


def test_gap_junction_oscillation_matches_mean_field():
    """g = 1, J = 0, η̄ = 5 lies beyond the Hopf line (η̄_H = 3.9375): collective oscillation."""
    p = dict(eta_bar=5.0, delta=1.0, J=0.0, g=1.0)
    net = network.simulate(N=10_000, t_end=40.0, raster_neurons=0, **p)
    mf = _mf_on(net, **p)
    late = net.t > 15
    assert net.r[late].mean() == pytest.approx(mf.r[late].mean(), rel=0.03)
    assert crossing_period(net.t[late], net.v[late]) == pytest.approx(
        crossing_period(mf.t[late], mf.v[late]), rel=0.03
    )
    assert np.ptp(net.v[late]) == pytest.approx(np.ptp(mf.v[late]), rel=0.1)
    assert np.abs(net.Z[late]).mean() == pytest.approx(np.abs(mf.Z[late]).mean(), rel=0.03)
    # the conformal map Z = (1 − W̄)/(1 + W̄), W = π r + i v, holds for the network itself
    Z_map = kuramoto_from_rv(net.r[late], net.v[late])
    assert np.mean(np.abs(net.Z[late] - Z_map)) < 0.03


def test_mpr15_step_protocol():
    """η̄ = −5, J = 15: rest on the low node, damped oscillations toward the focus (1.3732,
    −0.1159) with period ≈ 1.09 during I = 3, persistent high activity after the step."""
    p = dict(eta_bar=-5.0, delta=1.0, J=15.0, g=0.0)
    step = Step(3.0, 0.0, 30.0)
    net = network.simulate(
        N=10_000, t_start=-40.0, t_end=80.0, current=step, raster_neurons=50, **p
    )
    mf = _mf_on(net, current=step, **p)

    def window(a, b):
        return (net.t > a) & (net.t < b)

    assert net.r[window(-10, 0)].mean() == pytest.approx(0.0811, rel=0.06)
    assert net.r[window(20, 30)].mean() == pytest.approx(1.3732, rel=0.02)
    assert net.v[window(20, 30)].mean() == pytest.approx(-0.1159, abs=V_TOL)
    assert net.r[window(60, 80)].mean() == pytest.approx(1.0306, rel=0.03)  # persistent state
    # transient synchrony: the damped oscillation of the network has the mean field's period
    # (longer than the linear one at large amplitude: 1.31, 1.20, 1.14, … → 2π/5.766 = 1.0897)
    w = window(1, 8)
    f_net, share = spectral_peak(net.t[w], net.v[w])
    f_mf, _ = spectral_peak(mf.t[w], mf.v[w])
    assert share > 0.5
    assert f_net == pytest.approx(f_mf, rel=0.03)
    w = window(15, 30)
    assert crossing_period(mf.t[w], mf.v[w]) == pytest.approx(1.0897, rel=2e-3)
    assert np.sqrt(np.mean((net.r - mf.r)[window(0, 80)] ** 2)) < 0.1
    assert np.mean(np.abs(net.Z - mf.Z)[window(-10, 80)]) < 0.03
    assert len(net.spike_times) > 100


GOOD = dict(N=10, eta_bar=0.0, delta=1.0, J=0.0, g=0.0, t_end=1.0)


@pytest.mark.parametrize(
    ("override", "name"),
    [
        ({"N": 0}, "N"),
        ({"N": 2.5}, "N"),
        ({"dt": 0.0}, "dt"),
        ({"dt": -1e-4}, "dt"),
        ({"dt": 0.01}, "dt"),  # not well below the refractory time τ/V_p = 0.01
        ({"v_peak": 0.0}, "v_peak"),
        ({"v_peak": -5.0}, "v_peak"),
        ({"v_reset": 0.0}, "v_reset"),
        ({"v_reset": 10.0}, "v_reset"),
        ({"delta": -1.0}, "delta"),
        ({"g": -0.1}, "g"),
        ({"t_end": 0.0}, "t_end"),
        ({"t_start": 2.0}, "t_end"),
        ({"eta_bar": float("nan")}, "eta_bar"),
        ({"J": float("inf")}, "J"),
        ({"tau": 0.0}, "tau"),
        ({"rate_bin": 1.5e-4}, "rate_bin"),
        ({"reset": "soft"}, "reset"),
        ({"heterogeneity": "gauss"}, "heterogeneity"),
        ({"heterogeneity": "random"}, "seed"),
        ({"threads": 0}, "threads"),
        ({"threads": 10_000}, "threads"),
        ({"v_init": 200.0}, "v_init"),
        ({"raster_neurons": [20]}, "raster_neurons"),
        ({"g": 6000.0}, "g"),
    ],
)
def test_guard_rails_name_the_parameter(override, name):
    with pytest.raises(ValueError, match=name):
        network.simulate(**{**GOOD, **override})


def test_blow_up_is_reported_not_returned():
    with pytest.raises(network.SimulationDiverged, match=r"step \d+ \(t = .*dt"):
        network.simulate(**{**GOOD, "current": Constant(-1e20)})
