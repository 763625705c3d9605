"""The network kernel for P populations (science.md §6): P = 1 bit for bit as the original
one-population kernel, round-off agreement with the numpy twin, the E–I example against the
exact mean field, consistency of the J_ab/N_b and g_ab scaling, the κ_b of asymmetric spikes,
thread-count independence, and guard rails naming the key."""

import importlib
import sys
from pathlib import Path

import numba
import numpy as np
import pytest

from qifgap import kernels, meanfield, network
from qifgap.inputs import Sinusoid, Step
from qifgap.metrics import spectral_peak
from qifgap.populations import Model, Population
from qifgap.reference import simulate_reference
from qifgap.results import load_timeseries

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


# --- mean field of §6 ------------------------------------------------------------------------


def _mean_field(model: Model, t, *, kappa=None, kappa_of_receiver=False):
    """r_a(t) of the §6 firing-rate equations (:func:`qifgap.meanfield.integrate`, r = v = s = 0
    at t = 0, no input), on the times ``t``.

    ``kappa``: κ_b per population (default: the model's own); ``kappa_of_receiver``: the wrong
    placement Σ_b g_ab κ_a τ_a r_a (κ of the receiving population), for the κ test. For τ = 1
    and τ_s = 0 it is a chemical self-coupling J_aa + G_a κ_a with κ = 0 elsewhere.
    """
    if kappa_of_receiver:
        assert np.all(model.tau == 1.0) and np.all(model.tau_syn == 0.0)
        J = model.J + np.diag(model.g.sum(axis=1) * model.kappa)
        model, kappa = Model(populations=model.populations, J=J, g=model.g), np.zeros(model.P)
    return meanfield.integrate(model=model, t_end=float(t[-1]), t_eval=t, kappa=kappa).r


# --- P = 1: bit for bit as the original kernel --------------------------------------------------


ONE_POPULATION = [
    dict(N=3 * kernels.CHUNK + 17, eta_bar=-2.0, delta=1.0, J=10.0, g=1.5, t_end=1.5),
    dict(
        N=1500, eta_bar=-1.0, delta=1.0, J=6.0, g=2.0, t_start=-0.5, t_end=1.5, v_reset=-60.0,
        current=Step(4.0, 0.0, 1.0).to_dict(), v_init=-1.0, reset="instant",
    ),
    dict(
        N=700, eta_bar=0.5, delta=0.5, J=-3.0, g=0.5, tau=0.5, t_end=1.0, v_peak=50.0,
        current=Sinusoid(2.0, 3.0).to_dict(), heterogeneity="random", seed=7,
        raster_neurons=[3, 5, 699],
        v_init=np.linspace(-3, 3, 700), dt=5e-5, rate_bin=5e-3,
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def original_network():
    """qifgap.network of commit fde9525 (before this kernel), imported from git."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        original = importlib.import_module("_original")
        try:
            package = original.load()
        except RuntimeError as exc:
            pytest.skip(str(exc))
    finally:
        sys.path.remove(str(BENCHMARKS))
    return importlib.import_module(f"{package.__name__}.network")


@pytest.mark.parametrize("kw", ONE_POPULATION)
def test_keyword_api_matches_the_original_kernel(original_network, kw):
    """Spikes, rates, times and parameters bit for bit; v and Z to 1e-12 (measured ≤ 3e-14):
    LLVM groups the FMAs of the vectorised Euler update differently in the two compiled kernels
    (as it does between numba's cached and freshly compiled code of one kernel)."""
    before = original_network.simulate(**kw)
    now = network.simulate(**kw)
    assert before.r.sum() > 10  # spiking activity is compared
    for name in ("t", "r", "spike_times", "spike_ids", "raster_neurons"):
        assert np.array_equal(getattr(before, name), getattr(now, name)), name
    np.testing.assert_allclose(now.v, before.v, rtol=0, atol=1e-12)
    np.testing.assert_allclose(now.Z, before.Z, rtol=0, atol=1e-12)
    # the same parameters; only the package version that records them differs
    assert {**now.params, "qifgap_version": "-"} == {**before.params, "qifgap_version": "-"}
    assert now.populations == ()


def test_one_population_model_is_the_keyword_api():
    kw = dict(eta_bar=-1.0, delta=1.0, J=6.0, g=2.0, v_reset=-60.0)
    keyword = network.simulate(N=900, t_end=1.0, **kw)
    model = network.simulate(model=Model.single(N=900, **kw), t_end=1.0)
    assert model.r.shape == (keyword.r.size, 1)
    for name in ("r", "v", "Z"):
        assert np.array_equal(getattr(model, name)[:, 0], getattr(keyword, name)), name
    assert np.array_equal(model.spike_ids, keyword.spike_ids)


# --- the numpy twin -----------------------------------------------------------------------------


def _two_populations(**E):
    """E (symmetric spikes unless given) and I (τ_s = 0.5, τ = 0.8, V_r = −50), all couplings."""
    return Model(
        populations=(
            Population(name="E", eta_bar=1.0, N=250, **E),
            Population(name="I", eta_bar=2.0, N=150, tau_syn=0.5, tau=0.8, v_reset=-50.0),
        ),
        J=[[5.0, -10.0], [10.0, -10.0]],
        g=[[0.5, 0.2], [0.3, 1.5]],
    )


@pytest.mark.parametrize("reset", ["flight", "instant"])
def test_two_populations_match_numpy_reference(reset):
    kw = dict(
        model=_two_populations(), t_start=-0.5, t_end=1.5, reset=reset,
        current={"E": Sinusoid(2.0, 3.0)}, v_init={"I": -1.0},
    )  # fmt: skip
    fast = network.simulate(**kw)
    slow = simulate_reference(**kw)
    assert fast.populations == slow.populations == ("E", "I")
    np.testing.assert_array_equal(fast.t, slow.t)
    assert np.all(fast.r.sum(axis=0) > 20)  # both populations spike
    np.testing.assert_allclose(fast.r, slow.r, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fast.v, slow.v, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(fast.Z, slow.Z, rtol=0, atol=1e-9)


def test_reference_draws_its_own_excitabilities():
    """The twin's quantiles, written as tan(π(j/(N+1) − ½)), equal the package's to round-off;
    a wrong population order or size in the kernel would not."""
    kw = dict(
        model=_two_populations(v_reset=-200.0), t_end=0.6, heterogeneity="random", seed=3,
        current=Step(1.0, 0.1, 0.4),
    )  # fmt: skip
    fast = network.simulate(**kw, dt=5e-5)
    slow = simulate_reference(**kw, dt=5e-5)
    np.testing.assert_allclose(fast.r, slow.r, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fast.v, slow.v, rtol=1e-9, atol=1e-9)


# --- science.md §6: gap junctions among the inhibitory cells switch on a rhythm ---------------


def _e_i(g_II: float) -> Model:
    return Model(
        populations=(
            Population(name="E", eta_bar=1.0, N=4000),
            Population(name="I", eta_bar=2.0, N=4000, tau_syn=0.5),
        ),
        J=[[5.0, -10.0], [10.0, -10.0]],
        g=[[0.0, 0.0], [0.0, g_II]],
    )


@pytest.fixture(scope="module")
def e_i_runs():
    """The §6 example with and without g_II, network and mean field (window 20–40 τ, as the
    reference numbers of science.md)."""
    runs = {}
    for g_II in (1.5, 0.0):
        model = _e_i(g_II)
        net = network.simulate(model=model, t_end=40.0, dt=5e-5, raster_neurons=0, threads=2)
        runs[g_II] = (net, _mean_field(model, net.t))
    return runs


def test_e_i_rhythm_matches_mean_field(e_i_runs):
    """science.md §6: period 2.857, ⟨r_I⟩ 0.319 vs 0.316, std r_I 0.312 vs 0.317, ⟨r_E⟩ 0.1458
    vs 0.1425 (mean field vs network). Measured here (20–40 τ): spectral period 2.834 vs 2.827,
    ⟨r_I⟩ 0.3191 vs 0.3160, std r_I 0.3121 vs 0.3163, ⟨r_E⟩ 0.1458 vs 0.1425."""
    net, mf = e_i_runs[1.5]
    late = net.t > 20
    E, I = net.populations.index("E"), net.populations.index("I")
    f_net, share = spectral_peak(net.t[late], net.r[late, I])
    f_mf, _ = spectral_peak(net.t[late], mf[late, I])
    assert share > 0.3  # a rhythm, not noise
    assert 1 / f_net == pytest.approx(1 / f_mf, rel=0.02)
    assert 1 / f_mf == pytest.approx(2.857, rel=0.02)
    assert net.r[late, I].mean() == pytest.approx(mf[late, I].mean(), rel=0.03)
    assert net.r[late, E].mean() == pytest.approx(mf[late, E].mean(), rel=0.03)
    assert net.r[late, I].std() == pytest.approx(mf[late, I].std(), rel=0.10)
    assert mf[late, I].mean() == pytest.approx(0.319, abs=2e-3)
    assert mf[late, I].std() == pytest.approx(0.312, abs=2e-3)


def _smoothed(r, bins=50):
    """Means over windows of ``bins`` bins (0.5 τ at rate_bin = 1e-2): removes the shot noise
    of the binned rate (~sqrt(r/(N rate_bin)) ≈ 0.08 per bin here), keeps a rhythm of period
    2.8 τ (attenuated to ~0.8 of its amplitude)."""
    n = r.size // bins * bins
    return r[:n].reshape(-1, bins).mean(axis=1)


def test_without_inhibitory_gap_junctions_the_network_is_asynchronous(e_i_runs):
    """g_II = 0: the mean field is stationary (std r_I < 1e-3) and the network asynchronous:
    its rate fluctuates only by shot noise (std 0.068 per 0.01-τ bin). Measured (20–40 τ), std
    of r_I smoothed over 0.5 τ: 0.0020 without g_II, 0.279 with g_II = 1.5 (mean field 0.276);
    threshold 0.02, ten times the asynchronous value and a fourteenth of the rhythm's."""
    net, mf = e_i_runs[0.0]
    late = net.t > 20
    I = net.populations.index("I")
    assert mf[late, I].std() < 1e-3
    assert _smoothed(net.r[late, I]).std() < 0.02
    assert net.r[late, I].mean() == pytest.approx(mf[late, I].mean(), rel=0.03)
    rhythmic, _ = e_i_runs[1.5]
    assert _smoothed(rhythmic.r[late, I]).std() > 0.15


# --- consistency of the J_ab/N_b and g_ab scaling ----------------------------------------------


@pytest.fixture(scope="module")
def one_population():
    """η̄ = 5, J = −2, g = 1, N = 8000: a collective oscillation (period ≈ 1.50)."""
    p = dict(eta_bar=5.0, delta=1.0, J=-2.0, g=1.0)
    return p, network.simulate(N=8000, t_end=20.0, raster_neurons=0, **p)


@pytest.mark.parametrize("N_A", [4000, 2000])
def test_two_copies_give_the_one_population_result(one_population, N_A):
    """Copies A, B of one population (N_A + N_B = N) with J_aA = J N_A/N, g_aA = g N_A/N (the
    same kick J/N per spike, the same G and mean voltage): the rate of the whole is that of the
    one population. Measured, one population vs halves (vs 1/4 + 3/4): mean r 0.6298 vs 0.6294
    (0.6294), std 0.2594 vs 0.2638 (0.2615), period 1.4959 vs 1.4949 (1.4950); r smoothed over
    0.2 τ differs by 0.008 (0.007) rms, the sampling noise of the quantiles."""
    p, one = one_population
    N = 8000
    share = np.array([N_A, N - N_A]) / N
    model = Model(
        populations=tuple(
            Population(name=name, eta_bar=p["eta_bar"], delta=p["delta"], N=n)
            for name, n in (("A", N_A), ("B", N - N_A))
        ),
        J=p["J"] * np.tile(share, (2, 1)),
        g=p["g"] * np.tile(share, (2, 1)),
    )
    two = network.simulate(model=model, t_end=20.0, raster_neurons=0)
    r = two.r @ share  # rate of all neurons
    late = one.t > 5
    assert r[late].mean() == pytest.approx(one.r[late].mean(), rel=0.01)
    assert r[late].std() == pytest.approx(one.r[late].std(), rel=0.05)
    period = 1 / spectral_peak(one.t[late], one.r[late])[0]
    assert 1 / spectral_peak(two.t[late], r[late])[0] == pytest.approx(period, rel=0.01)
    rms = np.sqrt(np.mean((_smoothed(r, 20) - _smoothed(one.r, 20)) ** 2))
    assert rms < 0.02
    # each copy fires at the rate of the whole
    np.testing.assert_allclose(two.r[late].mean(axis=0), r[late].mean(), rtol=0.01)


# --- MP20: κ_b of the sending population, in the right place -------------------------------------


def test_asymmetric_spikes_in_one_population_need_kappa_of_the_sender():
    """I has V_r = −50 (κ_I = ln 2), E symmetric spikes; E receives gap junctions from I
    (g_EI = 1.5) and I from itself (g_II = 0.5). Mean field (10–20 τ): r_E = 0.1943 with κ_b,
    0.1676 without κ, 0.1710 with κ of the receiver; the network: 0.1914 (r_I 0.2645 against
    0.2683 with κ_b, 0.2547 without)."""
    model = Model(
        populations=(
            Population(name="E", eta_bar=0.5, N=4000),
            Population(name="I", eta_bar=0.5, N=4000, v_reset=-50.0),
        ),
        J=np.zeros((2, 2)),
        g=[[0.0, 1.5], [0.0, 0.5]],
    )
    net = network.simulate(model=model, t_end=20.0, raster_neurons=0)
    late = net.t > 10
    rate = net.r[late].mean(axis=0)
    right = _mean_field(model, net.t)[late].mean(axis=0)
    without = _mean_field(model, net.t, kappa=np.zeros(2))[late].mean(axis=0)
    receiver = _mean_field(model, net.t, kappa_of_receiver=True)[late].mean(axis=0)
    np.testing.assert_allclose(rate, right, rtol=0.02)
    assert abs(rate[0] / without[0] - 1) > 0.1
    assert abs(rate[0] / receiver[0] - 1) > 0.08
    assert abs(rate[1] / without[1] - 1) > 0.03


# --- determinism --------------------------------------------------------------------------------


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="numba has one thread here")
def test_two_populations_do_not_depend_on_thread_count(monkeypatch):
    """One thread, two threads on every block, and two threads chosen block by block."""
    model = Model(
        populations=(
            Population(name="E", eta_bar=1.0, N=2 * kernels.CHUNK + 5, v_reset=-50.0),
            Population(name="I", eta_bar=2.0, N=kernels.CHUNK + 11, tau_syn=0.5),
        ),
        J=[[5.0, -10.0], [10.0, -10.0]],
        g=[[0.2, 0.5], [0.5, 1.5]],
    )
    kw = dict(model=model, t_end=2.0, raster_neurons=20)
    one = network.simulate(**kw, threads=1)
    adaptive = network.simulate(**kw, threads=2)
    monkeypatch.setattr(network.ThreadChooser, "ADAPTIVE", False)
    two = network.simulate(**kw, threads=2)
    assert np.all(one.r.sum(axis=0) > 0)
    for name in ("r", "v", "Z", "spike_times", "spike_ids"):
        assert np.array_equal(getattr(one, name), getattr(two, name)), name
        assert np.array_equal(getattr(one, name), getattr(adaptive, name)), name


def test_thread_chooser_falls_back_to_one_thread_and_reprobes():
    """Fake timings: two threads stalled (10× slower per neuron-step) → one thread, with short
    probes of two threads costing ≤ ~1/REPROBE of the time; two threads 2× faster again → two
    threads, in stretches that grow while they stay faster."""
    N, block = 1000, 20_000
    chooser = network.ThreadChooser(2, N)
    probe = chooser.probe_steps
    cost = {1: 1.0, 2: 10.0}  # seconds per neuron-step

    def run(n):
        used = []
        for _ in range(n):
            threads, steps = chooser.next()
            steps = steps or block
            seconds = cost[threads] * N * steps
            chooser.record(threads, seconds, N * steps)
            used.append((threads, steps, seconds))
        return used

    used = run(400)
    assert probe < block
    assert [u[:2] for u in used[:4]] == [(1, probe), (2, probe), (1, probe), (1, block)]
    later = used[3:]
    assert all(steps == probe for threads, steps, _ in later if threads == 2)  # probes only
    assert sum(1 for threads, _, _ in later if threads == 2) >= 2  # it keeps probing
    stalled = sum(sec for threads, _, sec in later if threads == 2)
    assert stalled / sum(sec for _, _, sec in later) < 1.5 / chooser.REPROBE
    cost[2] = 0.5  # the other process has gone
    used = run(300)
    steps_on = {1: 0, 2: 0}
    for threads, steps, _ in used[-100:]:
        steps_on[threads] += steps
    assert steps_on[2] > 0.95 * (steps_on[1] + steps_on[2])
    assert max(steps for threads, steps, _ in used if threads == 2) > 100 * probe  # trusted
    cost[2] = 10.0  # busy again: back to one thread within a few stretches
    used = run(10)
    assert [u[0] for u in used[-5:]] == [1] * 5
    assert network.ThreadChooser(1, N).next() == (1, None)


# --- results and guard rails --------------------------------------------------------------------


def test_population_views_and_files(tmp_path):
    res = network.simulate(model=_two_populations(), t_end=0.5, raster_neurons=5)
    assert res.r.shape == (50, 2)
    assert list(res.population_offsets) == [0, 250, 400]
    I = res.population("I")
    np.testing.assert_array_equal(I.r, res.r[:, 1])
    assert np.all((I.raster_neurons >= 0) & (I.raster_neurons < 150))
    assert I.raster_neurons.size == 5
    assert res.params["populations"]["I"]["tau_syn"] == 0.5
    assert res.params["g"] == {"E": {"E": 0.5, "I": 0.2}, "I": {"E": 0.3, "I": 1.5}}
    res.save(tmp_path / "net.npz")
    back = load_timeseries(tmp_path / "net.npz")
    assert back.populations == ("E", "I")
    np.testing.assert_array_equal(back.population("E").r, res.r[:, 0])
    np.testing.assert_array_equal(back.population_offsets, res.population_offsets)


@pytest.mark.parametrize(
    ("change", "name"),
    [
        (dict(populations=(Population(name="E", eta_bar=1.0),)), r"populations\.E\.N"),
        (dict(populations=(Population(name="E", eta_bar=1.0, N=10, v_reset=-1e4),)),
         r"populations\.E\.v_reset"),
        (dict(populations=(Population(name="E", eta_bar=1.0, N=10, tau=0.01),)),
         r"populations\.E\.v_peak"),
        (dict(populations=(Population(name="E", eta_bar=1.0, N=10, tau_syn=1e-4),)),
         r"populations\.E\.tau_syn"),
        (dict(g=[[6000.0]]), r"g\.E"),
    ],
)  # fmt: skip
def test_model_guard_rails_name_the_key(change, name):
    spec = dict(populations=(Population(name="E", eta_bar=1.0, N=10),), J=[[0.0]], g=[[0.0]])
    with pytest.raises(ValueError, match=name):
        network.simulate(model=Model(**{**spec, **change}), t_end=1.0)


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        (dict(current={"X": 1.0}), r"current\.X"),
        (dict(v_init={"I": np.zeros(3)}), r"v_init\.I"),
        (dict(v_init={"E": 500.0}), r"v_init\.E"),
        (dict(N=10), "N"),
        (dict(raster_neurons=[400]), "raster_neurons"),
    ],
)
def test_model_run_options_name_the_key(kw, name):
    with pytest.raises(ValueError, match=name):
        network.simulate(model=_two_populations(), t_end=1.0, **kw)
