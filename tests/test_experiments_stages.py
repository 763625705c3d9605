"""qifgap.experiments and qifgap.comparison from a resolved run to the arguments of its
stages: the model of a population run, the keyword arguments of network and mean field, κ,
the run checks, the refusals of the comparison tables and the scheduler's resources (found by
mutation testing, mutation/README.md). No network simulation; time in units of τ."""

import math

import numpy as np
import pandas as pd
import pytest

from qifgap import comparison, experiments, meanfield
from qifgap.experiments import ConfigError
from qifgap.results import NetworkResult, TimeSeries

ONE = {
    "eta_bar": 1.0, "delta": 0.5, "J": -3.0, "g": 2.0, "tau": 1.0, "t_start": 0.0, "t_end": 2.0,
    "current": {"kind": "constant", "value": 0.5},
    "network": {"N": 300, "dt": 1e-3, "v_peak": 100.0, "v_reset": -50.0},
    "meanfield": {"rtol": 1e-9},
}  # fmt: skip
EI = {
    "delta": 0.5, "tau": 2.0, "noise": 0.25, "t_end": 2.0,
    "populations": {"E": {"eta_bar": 1.0, "N": 200, "delta": 1.5},
                    "I": {"eta_bar": 2.0, "N": 100, "tau_syn": 0.5, "v_reset": -25.0}},
    "J": {"E": {"I": -10.0}, "I": {"E": 10.0}},
    "g": {"I": {"I": 1.5}},
    "network": {"dt": 1e-3, "v_peak": 50.0, "v_reset": -100.0, "seed": 3},
}  # fmt: skip


def test_run_model_inherits_the_runs_fields_unless_a_population_sets_its_own():
    model = experiments.run_model(EI)
    E, I = model.populations
    assert (E.name, E.eta_bar, E.delta, E.tau, E.noise, E.N) == ("E", 1.0, 1.5, 2.0, 0.25, 200)
    assert (E.v_peak, E.v_reset, E.tau_syn) == (50.0, -100.0, 0.0)
    assert (I.name, I.eta_bar, I.delta, I.tau, I.noise, I.N) == ("I", 2.0, 0.5, 2.0, 0.25, 100)
    assert (I.v_peak, I.v_reset, I.tau_syn) == (50.0, -25.0, 0.5)
    np.testing.assert_array_equal(model.J, [[0.0, -10.0], [10.0, 0.0]])
    np.testing.assert_array_equal(model.g, [[0.0, 0.0], [0.0, 1.5]])


def test_run_model_without_run_fields_takes_the_library_defaults():
    model = experiments.run_model({"populations": {"A": {"eta_bar": 1.0, "N": 10}}})
    (A,) = model.populations
    assert (A.delta, A.tau, A.noise, A.v_peak, A.v_reset) == (1.0, 1.0, 0.0, 100.0, -100.0)
    np.testing.assert_array_equal(model.J, [[0.0]])


def test_run_model_refuses_populations_that_are_not_a_mapping():
    msg = r"^populations must be a mapping \{name: \{\.\.\.\}\}, got \['E'\]$"
    with pytest.raises(ValueError, match=msg):
        experiments.run_model({"populations": ["E"]})
    with pytest.raises(ValueError, match=r"^populations\.E must be a mapping, got 3$"):
        experiments.run_model({"populations": {"E": 3}})


def test_neuron_count_sums_the_populations():
    assert experiments.neuron_count(EI) == 300
    assert experiments.neuron_count(ONE) == 300
    assert experiments.neuron_count({"populations": {"A": {"N": 7.0}}}) == 7


def test_network_kwargs_of_a_keyword_run():
    kw = experiments.network_kwargs(ONE, threads=2)
    assert kw == {
        "eta_bar": 1.0, "delta": 0.5, "J": -3.0, "g": 2.0, "tau": 1.0, "t_start": 0.0,
        "t_end": 2.0, "current": {"kind": "constant", "value": 0.5},
        "N": 300, "dt": 1e-3, "v_peak": 100.0, "v_reset": -50.0, "threads": 2,
    }  # fmt: skip
    assert experiments.network_kwargs({**ONE, "noise": 0.5})["noise"] == 0.5
    assert experiments.network_kwargs(ONE)["threads"] == 1


def test_network_kwargs_of_a_population_run():
    """The spike voltages go into the model's populations, the other options stay."""
    kw = experiments.network_kwargs(EI, threads=2)
    assert set(kw) == {"t_end", "model", "dt", "seed", "threads"}
    assert (kw["t_end"], kw["dt"], kw["seed"], kw["threads"]) == (2.0, 1e-3, 3, 2)
    assert kw["model"].names == ("E", "I")
    assert [p.v_reset for p in kw["model"].populations] == [-100.0, -25.0]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"eta_bar": 1.0}, r"^eta_bar: a population experiment gives it per population "
                           r"\(populations\.<name>\.eta_bar\)$"),
        ({"network": {"N": 10}}, r"^network\.N: a population experiment gives N per population "
                                 r"\(populations\.<name>\.N\)$"),
    ],
)  # fmt: skip
def test_network_kwargs_refuse_run_wide_population_fields(edit, message):
    with pytest.raises(ValueError, match=message):
        experiments.network_kwargs({**EI, **edit})


@pytest.mark.parametrize(
    ("option", "kappa"),
    [({}, 0.0), ({"kappa": 0.5}, 0.5), ({"kappa": "auto"}, math.log(2.0))],
)
def test_meanfield_kwargs_of_a_keyword_run(option, kappa):
    run = {**ONE, "meanfield": {"rtol": 1e-9, **option}}
    kw = experiments.meanfield_kwargs(run)
    assert kw == {
        "eta_bar": 1.0, "delta": 0.5, "J": -3.0, "g": 2.0, "tau": 1.0, "t_start": 0.0,
        "t_end": 2.0, "current": {"kind": "constant", "value": 0.5}, "rtol": 1e-9,
        "kappa": pytest.approx(kappa, rel=1e-15),
    }  # fmt: skip


def test_kappa_auto_without_network_options_is_zero():
    run = {k: v for k, v in ONE.items() if k != "network"}
    assert experiments.meanfield_kwargs({**run, "meanfield": {"kappa": "auto"}})["kappa"] == 0.0


@pytest.mark.parametrize(
    ("option", "kappas"),
    [({}, [0.0, 0.0]), ({"kappa": 1}, [1.0, 1.0]),
     ({"kappa": "auto"}, [math.log(0.5), math.log(2.0)])],
)  # fmt: skip
def test_meanfield_kwargs_of_a_population_run(option, kappas):
    kw = experiments.meanfield_kwargs({**EI, "meanfield": option})
    assert set(kw) == {"t_end", "model", "kappa"}
    assert kw["kappa"] == pytest.approx(kappas, rel=1e-15)
    assert all(type(k) is float for k in kw["kappa"])
    assert kw["model"].names == ("E", "I")


@pytest.mark.parametrize("kappa", ["big", True, None, [0.1, 0.2]])
def test_a_population_kappa_that_is_not_a_number_is_refused(kappa):
    msg = rf"^meanfield\.kappa must be a number or 'auto', got {kappa!r}$".replace("[", r"\[")
    with pytest.raises(ValueError, match=msg):
        experiments.meanfield_kwargs({**EI, "meanfield": {"kappa": kappa}})


def test_check_run_returns_the_network_setup():
    setup = experiments.check_run("one", ONE)
    assert (setup.N, setup.t_start, setup.t_end, setup.dt) == (300, 0.0, 2.0, 1e-3)
    assert experiments.check_run("ei", EI).N == 300


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"meanfield": {"kappa": float("nan")}},
         r"^one: meanfield\.kappa must be a number or 'auto', got nan$"),
        ({"meanfield": {"kappa": "big"}},
         r"^one: meanfield\.kappa must be a number or 'auto', got 'big'$"),
        ({"current": {"kind": "ramp"}}, r"^one: .*ramp"),
        ({"g": -1.0}, r"^one: g must be >= 0, got -1\.0$"),
        ({"compare": {"t_min": 2.0}},
         r"^one: compare\.t_min \(2\.0\) must lie in \[t_start, t_end\)$"),
        ({"compare": {"t_min": -0.5}},
         r"^one: compare\.t_min \(-0\.5\) must lie in \[t_start, t_end\)$"),
    ],
)  # fmt: skip
def test_check_run_names_the_run_and_the_key(edit, message):
    with pytest.raises(ConfigError, match=message):
        experiments.check_run("one", {**ONE, **edit})


@pytest.mark.parametrize("t_min", [0.0, 1.999])
def test_check_run_accepts_t_min_from_t_start_to_before_t_end(t_min):
    assert experiments.check_run("one", {**ONE, "compare": {"t_min": t_min}}).t_end == 2.0


def test_check_run_passes_a_config_error_through_unchanged():
    bad = {**EI, "populations": {"E": {"eta_bar": 1.0, "N": 10}}, "J": {"X": {"E": 1.0}}}
    with pytest.raises(ValueError, match=r"^ei: J\.X: unknown population 'X'"):
        experiments.check_run("ei", bad)


def test_run_meanfield_ends_at_the_last_bin_and_uses_the_runs_options():
    """The output times are the network's bin centres (rate_bin 0.01 by default); the mean
    field is the keyword run with the same parameters on those times."""
    mf = comparison.run_meanfield(ONE)
    np.testing.assert_allclose(mf.t, 0.005 + 0.01 * np.arange(200), rtol=0, atol=1e-12)
    assert mf.params["t_end"] == pytest.approx(2.0, abs=1e-12)
    assert mf.params["rtol"] == 1e-9
    direct = meanfield.integrate(eta_bar=1.0, delta=0.5, J=-3.0, g=2.0, t_end=2.0, current=0.5,
                                 t_eval=mf.t, rtol=1e-9)  # fmt: skip
    np.testing.assert_array_equal(mf.r, direct.r)


def test_the_sparse_synchrony_table_needs_one_population():
    with pytest.raises(ValueError, match=r"^ei: the sparse-synchrony table needs a one-"):
        comparison.compare_sparse_synchrony("ei", EI, None, None)


def test_population_tables_refuse_results_of_other_populations():
    mf = meanfield.integrate(model=experiments.run_model(EI), t_end=0.1)
    other = {"populations": {"E": {"eta_bar": 1.0}, "X": {"eta_bar": 1.0}}}
    msg = r"^x: the results' populations \('E', 'I'\), \('E', 'I'\) are not the run's \('E', 'X'\)$"
    with pytest.raises(ValueError, match=msg):
        comparison.compare_run("x", other, mf, mf)


LARGE = {"eta_bar": 1.0, "delta": 1.0, "J": 0.0, "g": 0.0, "t_end": 100.0,
         "network": {"N": 1_000_000, "dt": 1e-4}}  # fmt: skip


@pytest.mark.parametrize(
    ("run", "threads", "runtime"),
    [
        (LARGE, 1, 20),  # 2 × 10⁶ steps × 0.6 ns × 10⁶ neurons = 20 min
        (LARGE, 2, 10),
        (LARGE, 0, 20),  # at least one thread
        ({**LARGE, "noise": 0.5}, 1, 120),  # + 3 ns per noisy neuron-step
        ({**LARGE, "t_end": 1.0}, 1, 5),  # at least 5 minutes
        ({**LARGE, "t_end": 26.0}, 1, 6),  # 5.2 minutes, rounded up
    ],
)
def test_network_resources_count_neuron_steps(run, threads, runtime):
    """Memory: 400 MB + 32 B per neuron (+ 64 B per bin: < 1 MB here)."""
    assert experiments.network_resources(run, threads=threads) == {"mem_mb": 433,
                                                                   "runtime": runtime}  # fmt: skip


def test_network_resources_memory_rounds_a_partial_megabyte_up():
    """1 000 001 neurons and 15 625 bins: 32 000 032 + 1 000 000 B = 33.000032 MB → 434 MB."""
    run = {**LARGE, "t_end": 156.25, "network": {"N": 1_000_001, "dt": 1e-4}}
    assert experiments.network_resources(run)["mem_mb"] == 434


def test_network_resources_memory_counts_bins():
    """10⁶ bins of 0.01 and 1000 neurons: 400 + 0.032 + 64 MB, rounded up."""
    run = {**LARGE, "t_end": 10_000.0,
           "network": {"N": 1000, "dt": 1e-2, "v_peak": 10.0, "v_reset": -10.0}}  # fmt: skip
    assert experiments.network_resources(run)["mem_mb"] == 465


def test_network_resources_count_only_noisy_populations():
    run = {"t_end": 100.0, "network": {"dt": 1e-4},
           "populations": {"E": {"eta_bar": 1.0, "N": 500_000, "noise": 0.5},
                           "I": {"eta_bar": 1.0, "N": 500_000}}}  # fmt: skip
    assert experiments.network_resources(run) == {"mem_mb": 433, "runtime": 70}


def _as_network(mf, kappas, taus):
    """A network-like series of a mean field: ⟨V⟩ = v + κ τ r (science.md §2), r and Z as is."""
    v = mf.v + np.asarray(kappas) * np.asarray(taus) * mf.r
    return TimeSeries(t=mf.t, r=mf.r, v=v, Z=mf.Z, populations=mf.populations)


def test_compare_run_row_of_a_keyword_run():
    """κ of the dynamics 0.5, of the spikes ln 2 (V_r = −50): the network's ⟨V⟩ built with
    ln 2 agrees with v + ln 2 τ r exactly; t_min cuts the window; variants name their source."""
    run = {**ONE, "meanfield": {"kappa": 0.5}, "compare": {"t_min": 1.0}, "network_from": "src"}
    mf = comparison.run_meanfield(run)
    row = comparison.compare_run("var", run, _as_network(mf, math.log(2), 1.0), mf).iloc[0]
    assert (row.run, row.network_run, row.N, row.v_peak, row.v_reset) == ("var", "src", 300,
                                                                        100.0, -50.0)  # fmt: skip
    assert (row.eta_bar, row.delta, row.J, row.g, row.tau) == (1.0, 0.5, -3.0, 2.0, 1.0)
    assert row.kappa == 0.5
    assert row.kappa_v == pytest.approx(math.log(2), rel=1e-15)
    assert row.t_min == pytest.approx(1.005, abs=1e-12)
    assert row.rmse_v < 1e-12 and row.rmse_r == 0.0
    plain = comparison.compare_run("one", ONE, _as_network(mf, 0.0, 1.0), mf).iloc[0]
    assert plain.network_run == "one" and plain.kappa == 0.0 and plain.t_min == mf.t[0]
    assert plain.rmse_v == pytest.approx(math.log(2) * np.sqrt(np.mean(mf.r**2)), rel=1e-9)


def test_compare_run_rows_of_a_population_run():
    """One row per population, each voltage with its own κ_b (ln(50/100), ln(50/25)) and τ_b = 2,
    the population's fields and the sweep point."""
    run = {**EI, "meanfield": {"kappa": "auto"}, "sweep": {"name": "s", "point": {"g.I.I": 1.5}},
           "network_from": "src"}  # fmt: skip
    mf = meanfield.integrate(model=experiments.run_model(run), t_end=0.5, dt_out=0.05,
                             kappa=[math.log(0.5), math.log(2.0)])  # fmt: skip
    net = _as_network(mf, [math.log(0.5), math.log(2.0)], [2.0, 2.0])
    table = comparison.compare_run("ei", run, net, mf)
    assert list(table.population) == ["E", "I"]
    assert list(table.run) == ["ei", "ei"] and list(table.network_run) == ["src", "src"]
    own = {k: v for k, v in run.items() if k != "network_from"}  # a run of its own network
    assert list(comparison.compare_run("ei", own, net, mf).network_run) == ["ei", "ei"]
    assert list(table["g.I.I"]) == [1.5, 1.5]
    assert list(table.N) == [200, 100] and list(table.v_reset) == [-100.0, -25.0]
    assert list(table.delta) == [1.5, 0.5] and list(table.tau_syn) == [0.0, 0.5]
    np.testing.assert_allclose(table.kappa, [math.log(0.5), math.log(2.0)], rtol=1e-15)
    np.testing.assert_allclose(table.kappa_v, [math.log(0.5), math.log(2.0)], rtol=1e-15)
    assert table.rmse_v.max() < 1e-12


def test_the_sparse_synchrony_table_without_compare_options_starts_at_t_start():
    """Ten neurons firing every 2 τ from t = 0 (phases k/5 τ) on 0.01 τ bins of [1, 21): the
    window starts at t_start = 1 and each neuron's rate is 1/2."""
    t = np.arange(1.005, 21.0, 0.01)
    times = np.concatenate([np.arange(k / 5, 21.0, 2.0) for k in range(10)])
    ids = np.repeat(np.arange(10), [np.arange(k / 5, 21.0, 2.0).size for k in range(10)])
    net = NetworkResult(t=t, r=np.ones_like(t), v=0 * t, Z=0j * t, spike_times=times,
                        spike_ids=ids, raster_neurons=np.arange(10))  # fmt: skip
    mf = TimeSeries(t=t, r=np.ones_like(t), v=0 * t, Z=0j * t)
    run = {"eta_bar": 4.0, "delta": 0.0, "J": -2.0, "g": 0.5, "t_start": 1.0, "t_end": 21.0,
           "network": {"N": 10}}  # fmt: skip
    row = comparison.compare_sparse_synchrony("x", run, net, mf).iloc[0]
    assert (row.run, row.noise, row.N, row.t_min, row.g) == ("x", 0.0, 10, 1.0, 0.5)
    assert row.neuron_rate == pytest.approx(0.5, rel=1e-12)


TINY = {"eta_bar": 1.0, "delta": 1.0, "J": 0.0, "g": 0.0, "t_end": 0.1,
        "network": {"N": 10, "dt": 1e-3, "v_peak": 10.0, "v_reset": -10.0}}  # fmt: skip


def test_run_network_reports_no_progress_unless_asked(capfd):
    net = experiments.run_network(TINY)
    assert net.r.shape == (10,) and capfd.readouterr().err == ""
    experiments.run_network(TINY, progress=True)
    assert "qifgap network: 100.0 %" in capfd.readouterr().err


def test_runs_without_option_sections_use_the_defaults():
    """No network, meanfield, compare or tau entries: κ = 0, τ = 1, no network options."""
    bare = {k: v for k, v in ONE.items() if k not in ("network", "meanfield", "tau")}
    assert experiments.meanfield_kwargs(bare)["kappa"] == 0.0
    assert "N" not in experiments.network_kwargs(bare)
    pop = {k: v for k, v in EI.items() if k != "network"}
    assert set(experiments.network_kwargs(pop)) == {"t_end", "model", "threads"}
    mf = meanfield.integrate(eta_bar=1.0, delta=0.5, J=-3.0, g=2.0, t_end=0.5, dt_out=0.05)
    row = comparison.compare_run("bare", bare, mf, mf).iloc[0]
    assert pd.isna(row.N) and row.kappa_v == 0.0 and row.rmse_v == 0.0


@pytest.mark.parametrize("tau", [None, 2.0])
def test_compare_run_uses_the_runs_tau_in_the_voltage(tau):
    """⟨V⟩ = v + κ τ r with κ = ln 4 (V_p = 200, V_r = −50) and the run's τ (1 if unset)."""
    run = {**ONE, "network": {"N": 300, "v_peak": 200.0, "v_reset": -50.0}}
    run = {k: v for k, v in run.items() if k != "tau"} if tau is None else {**run, "tau": tau}
    mf = meanfield.integrate(eta_bar=1.0, delta=0.5, J=-3.0, g=2.0, t_end=0.5, dt_out=0.05,
                             tau=tau or 1.0, r0=0.5)  # fmt: skip
    row = comparison.compare_run("x", run, _as_network(mf, math.log(4), tau or 1.0), mf).iloc[0]
    assert row.kappa_v == pytest.approx(math.log(4), rel=1e-15)
    assert row.rmse_v < 1e-12


def test_population_tables_refuse_a_mean_field_of_other_populations():
    mf = meanfield.integrate(model=experiments.run_model(EI), t_end=0.1)
    other = TimeSeries(t=mf.t, r=mf.r, v=mf.v, Z=mf.Z, populations=("E", "X"))
    msg = r"^ei: the results' populations \('E', 'I'\), \('E', 'X'\) are not the run's"
    with pytest.raises(ValueError, match=msg):
        comparison.compare_run("ei", EI, mf, other)
