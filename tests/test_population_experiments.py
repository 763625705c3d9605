"""Population experiments (science.md §6) through the stages of qifgap.experiments: model from a
config entry, network, mean field and the per-population comparison table."""

import math

import numpy as np
import pytest

from qifgap import comparison, experiments
from qifgap.experiments import ConfigError, resolve_runs, run_model

DEFAULTS = {
    "delta": 1.0,
    "tau": 1.0,
    "network": {"N": 300, "dt": 1e-4, "v_peak": 100.0, "v_reset": -100.0, "raster_neurons": 5},
    "meanfield": {"kappa": 0.0, "rtol": 1e-10, "atol": 1e-12},
    "compare": {"t_min": 1.0},
}
EI = {
    "populations": {
        "E": {"eta_bar": 1.0, "N": 200},
        "I": {"eta_bar": 2.0, "tau_syn": 0.5, "N": 200},
    },
    "J": {"E": {"E": 5.0, "I": -10.0}, "I": {"E": 10.0, "I": -10.0}},
    "g": {"I": {"I": 1.5}},
    "t_start": 0.0,
    "t_end": 3.0,
}


def _runs(experiments_, sweeps=None, defaults=DEFAULTS):
    return resolve_runs({"defaults": defaults, "experiments": experiments_, "sweeps": sweeps or {}})


def _stages(name, params):
    net = experiments.run_network(params)
    mf = comparison.run_meanfield(params)
    return net, mf, comparison.compare_run(name, params, net, mf)


def test_one_population_experiment_is_the_keyword_run():
    """A population experiment with one population runs the same numbers as the keyword
    experiment of the same model: network bit for bit (the same kernel), mean field to 1e-12,
    and the same comparison metrics. V_r = -50 (κ = ln 2) and Δ = 0.5 come from the run's
    options in both."""
    single = {"eta_bar": 1.0, "J": -3.0, "g": 2.0, "t_start": 0.0, "t_end": 3.0}
    pop = {
        "populations": {"pop": {"eta_bar": 1.0, "N": 300}},
        "J": {"pop": {"pop": -3.0}},
        "g": {"pop": {"pop": 2.0}},
        "t_start": 0.0,
        "t_end": 3.0,
    }
    defaults = {**DEFAULTS, "delta": 0.5, "network": {**DEFAULTS["network"], "v_reset": -50.0}}
    runs = _runs({"single": single, "pop": pop}, defaults=defaults)
    net1, mf1, row1 = _stages("single", runs["single"])
    netP, mfP, rowP = _stages("pop", runs["pop"])
    assert netP.populations == mfP.populations == ("pop",)
    assert np.array_equal(netP.population("pop").r, net1.r)
    assert np.array_equal(netP.population("pop").v, net1.v)
    np.testing.assert_allclose(mfP.population("pop").r, mf1.r, rtol=0, atol=1e-12)
    np.testing.assert_allclose(mfP.population("pop").v, mf1.v, rtol=0, atol=1e-12)
    assert list(rowP.population) == ["pop"]
    assert rowP.kappa_v.iloc[0] == row1.kappa_v.iloc[0] == pytest.approx(math.log(2), rel=1e-12)
    for column in ("rmse_r", "rmse_v", "mean_r_net", "mean_r_mf", "spectral_peak_mf"):
        assert rowP[column].iloc[0] == pytest.approx(row1[column].iloc[0], rel=1e-9, abs=1e-12)


def test_rows_per_population_with_their_own_spike_asymmetry():
    """One comparison row per population, each voltage compared with that population's κ_b:
    V_r,I = -50 gives κ_I = ln 2 for the I row only; kappa "auto" puts κ_b in the mean field's
    dynamics (science.md §6), a number puts that κ for every population."""
    entry = {**EI, "t_end": 1.5, "compare": {"t_min": 0.5}}
    entry["populations"] = {**EI["populations"], "I": {**EI["populations"]["I"], "v_reset": -50.0}}
    auto = {"network_from": "ei", "meanfield": {"kappa": "auto"}}
    runs = resolve_runs(
        {"defaults": DEFAULTS, "experiments": {"ei": entry}, "meanfield_variants": {"auto": auto}}
    )
    assert experiments.meanfield_kwargs(runs["auto"])["kappa"] == [0.0, math.log(2)]
    assert experiments.meanfield_kwargs(runs["ei"])["kappa"] == [0.0, 0.0]
    net, mf, table = _stages("ei", runs["ei"])
    assert list(table.population) == ["E", "I"] and list(table.run) == ["ei", "ei"]
    rows = table.set_index("population")
    assert rows.loc["I", "kappa_v"] == pytest.approx(math.log(2), rel=1e-12)
    assert rows.loc["E", "kappa_v"] == 0
    assert rows.loc["I", "v_reset"] == -50.0 and rows.loc["E", "v_reset"] == -100.0
    assert rows.loc["I", "tau_syn"] == 0.5 and rows.loc["E", "N"] == 200
    assert rows.loc["E", "t_min"] == pytest.approx(0.505)  # first bin centre in the window
    # the row of a population is metrics.compare of its columns
    from qifgap import metrics

    own = metrics.compare(net.population("I"), mf.population("I"), t_min=0.5, kappa=math.log(2))
    assert rows.loc["I", "rmse_v"] == own["rmse_v"] and rows.loc["I", "rmse_r"] == own["rmse_r"]


def test_dotted_sweep_keys_set_the_model():
    runs = _runs(
        {"ei": {**EI, "template": True}},
        sweeps={"s": {"experiment": "ei", "grid": {"J.I.E": [8.0, 12.0]},
                      "zip": {"populations.I.tau_syn": [0.25], "g.E.I": [0.5]}}},
    )  # fmt: skip
    assert sorted(runs) == ["s/J.I.E=12+I.tau_syn=0.25+g.E.I=0.5",
                            "s/J.I.E=8+I.tau_syn=0.25+g.E.I=0.5"]  # fmt: skip
    model = run_model(runs["s/J.I.E=8+I.tau_syn=0.25+g.E.I=0.5"])
    assert model.get("J.I.E") == 8.0 and model.get("J.E.I") == -10.0
    assert model.get("populations.I.tau_syn") == 0.25 and model.get("g.E.I") == 0.5
    assert model.get("g.I.I") == 1.5  # untouched
    assert "N" not in runs["s/J.I.E=8+I.tau_syn=0.25+g.E.I=0.5"]["network"]
    with pytest.raises(ConfigError, match=r"sweeps.t: populations.X.N: unknown population 'X'"):
        _runs({"ei": EI}, sweeps={"t": {"experiment": "ei", "grid": {"populations.X.N": [10]}}})
    with pytest.raises(ConfigError, match=r"sweeps.t: J.E.E needs an experiment with populations"):
        single = {"eta_bar": 1.0, "J": 1.0, "g": 0.0, "t_start": 0.0, "t_end": 1.0}
        _runs({"one": single}, sweeps={"t": {"experiment": "one", "grid": {"J.E.E": [1.0]}}})


def test_network_options_of_a_population_run():
    runs = _runs({"ei": EI})
    kw = experiments.network_kwargs(runs["ei"], threads=1)
    assert "N" not in kw and "v_peak" not in kw and "eta_bar" not in kw
    assert kw["model"].sizes().tolist() == [200, 200]
    assert experiments.neuron_count(runs["ei"]) == 400
    setup = experiments.check_run("ei", runs["ei"])
    assert setup.N == 400 and setup.n_bins == 300
    bad = dict(runs["ei"], network={**runs["ei"]["network"], "N": 100})
    with pytest.raises(ConfigError, match="ei: network.N: a population experiment gives N per"):
        experiments.check_run("ei", bad)


def test_time_series_figures_draw_every_population():
    """The protocol figure of a two-population result: I(t) per population, then raster, r, v,
    |Z| for E and for I, each block drawing its own population's columns and spikes."""
    from qifgap import plotting
    from qifgap.results import NetworkResult, TimeSeries

    t = np.linspace(0.0, 4.0, 401)
    r = np.column_stack([0.1 + 0 * t, 0.3 + 0.1 * np.sin(t)])
    v = np.column_stack([-1.0 + 0 * t, 0.5 * np.cos(t)])
    Z = np.column_stack([0.7 + 0j * t, 0.3 + 0j * t])
    net = NetworkResult(
        t=t, r=r, v=v, Z=Z, populations=("E", "I"), population_offsets=[0, 10, 30],
        spike_times=np.array([1.0, 2.0, 3.0]), spike_ids=np.array([2, 15, 25]),
        raster_neurons=np.array([2, 15, 25]),
    )  # fmt: skip
    mf = TimeSeries(t=t, r=r, v=v, Z=Z, populations=("E", "I"))
    currents = {"E": lambda t: 0 * t + 0.5, "I": lambda t: 0 * t}
    fig = plotting.protocol_figure(net, mf, current=currents, title="ei")
    axes = fig.axes
    labels = [ax.get_ylabel() for ax in axes]
    assert labels == ["I(t)", "E: neuron", "E: r(t)", "E: v(t)", "E: |Z(t)|",
                      "I: neuron", "I: r(t)", "I: v(t)", "I: |Z(t)|"]  # fmt: skip
    assert [line.get_ydata()[0] for line in axes[0].lines] == [0.5, 0.0]
    raster_E, raster_I = axes[1].lines[0], axes[5].lines[0]
    assert list(raster_E.get_xdata()) == [1.0] and list(raster_I.get_xdata()) == [2.0, 3.0]
    assert list(raster_I.get_ydata()) == [0, 1]  # local rows of I's recorded neurons
    assert np.array_equal(axes[2].lines[0].get_ydata(), r[:, 0])  # network r of E
    assert np.array_equal(axes[7].lines[1].get_ydata(), v[:, 1])  # mean-field v of I
    with pytest.raises(ValueError, match="different populations"):
        plotting.protocol_figure(net, TimeSeries(t=t, r=r[:, 0], v=v[:, 0], Z=Z[:, 0]))
