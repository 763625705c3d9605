"""Noise γ (science.md §7) in config experiments: ``noise`` of a one-population experiment, of a
sweep, and of a population experiment (every population's unless it sets its own), validated
like ``populations.X.noise`` and run through network and mean field (Δ + γ)."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

from qifgap import comparison, experiments, meanfield, network
from qifgap.workflow import ConfigError, validate_config

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "config" / "schema.yaml"
BASE = yaml.safe_load((REPO / "config" / "test.yaml").read_text())


def _config(**experiments_):
    config = copy.deepcopy(BASE)
    config["experiments"].update(copy.deepcopy(experiments_))
    return config


NOISY = {"eta_bar": 2.0, "J": 0.0, "g": 1.0, "delta": 0.5, "noise": 0.5, "t_start": 0.0,
         "t_end": 2.0, "network": {"N": 200}}  # fmt: skip


def test_one_population_noise_reaches_network_and_mean_field():
    runs = validate_config(_config(noisy=NOISY), SCHEMA)
    run = runs["noisy"]
    assert experiments.network_kwargs(run)["noise"] == 0.5
    assert experiments.meanfield_kwargs(run)["noise"] == 0.5
    # the mean field of Δ = 0.5 with γ = 0.5 is that of Δ = 1 without noise, to the solver
    mf = comparison.run_meanfield(run)
    same = meanfield.integrate(eta_bar=2.0, J=0.0, g=1.0, delta=1.0, t_end=2.0, t_eval=mf.t)
    assert np.max(np.abs(mf.r - same.r)) < 1e-8 and np.max(np.abs(mf.v - same.v)) < 1e-8
    assert mf.params["noise"] == 0.5
    # the network: bit for bit the keyword API's noisy run, which records γ and its seed
    net = experiments.run_network(run)
    kw = {k: v for k, v in experiments.network_kwargs(run).items() if k != "threads"}
    direct = network.simulate(**kw)
    assert np.array_equal(net.r, direct.r) and np.array_equal(net.spike_times, direct.spike_times)
    assert net.params["noise"] == 0.5 and "noise_seed" in net.params
    assert net.r.mean() > 0  # the run fires (η̄ = 2 > 0)
    row = comparison.compare_run("noisy", run, net, mf).iloc[0]
    assert row.noise == 0.5


def test_noise_is_a_sweep_key():
    config = _config(noisy=NOISY)
    config["sweeps"]["noise_sweep"] = {"experiment": "noisy", "grid": {"noise": [0.0, 1.0]}}
    runs = validate_config(config, SCHEMA)
    assert [runs[f"noise_sweep/noise={x}"]["noise"] for x in ("0", "1")] == [0.0, 1.0]
    # the mean-field width is Δ + γ: γ = 1 rate above γ = 0 (asynchronous, η̄ = 2, g = 1)
    rates = [comparison.run_meanfield(runs[f"noise_sweep/noise={x}"]).r[-1] for x in "01"]
    assert rates[1] > rates[0] * 1.2


def test_population_experiment_noise_is_every_populations_unless_its_own():
    config = copy.deepcopy(BASE)
    config["experiments"]["ei"]["noise"] = 0.25
    config["experiments"]["ei"]["populations"]["I"]["noise"] = 1.0
    runs = validate_config(config, SCHEMA)
    model = experiments.run_model(runs["ei"])
    assert model["E"].noise == 0.25 and model["I"].noise == 1.0
    assert np.allclose(model.width, [model["E"].delta + 0.25, model["I"].delta + 1.0])


@pytest.mark.parametrize(
    ("where", "value", "key"),
    [
        (("experiments", "noisy", "noise"), -0.5, "experiments.noisy.noise"),
        (("experiments", "noisy", "noise"), "loud", "experiments.noisy.noise"),
        (("experiments", "ei", "populations", "I", "noise"), -1.0,
         "experiments.ei.populations.I.noise"),
        (("experiments", "ei", "noise"), -1.0, "experiments.ei.noise"),
    ],
)  # fmt: skip
def test_bad_noise_is_refused_naming_the_key(where, value, key):
    config = _config(noisy=NOISY)
    node = config
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = value
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        validate_config(config, SCHEMA)


def test_bad_noise_in_a_sweep_is_refused():
    config = _config(noisy=NOISY)
    config["sweeps"]["noise_sweep"] = {"experiment": "noisy", "grid": {"noise": [1.0, -1.0]}}
    with pytest.raises(ConfigError, match=r"sweeps\.noise_sweep\.grid.*noise"):
        validate_config(config, SCHEMA)


def test_too_coarse_a_step_for_the_noise_is_refused_by_the_library_check():
    """γ dt/(π τ) > 10⁻² (spurious spikes through −∞) passes the schema but not the library's
    check, run for every experiment before any job: the error names the run and noise."""
    config = _config(noisy={**NOISY, "noise": 400.0})
    with pytest.raises(ConfigError, match=r"experiments\.noisy: noise = 400"):
        validate_config(config, SCHEMA)


def test_noisy_network_asks_the_scheduler_for_the_noise_cost():
    """~3 ns more per noisy neuron-step: the runtime estimate of a long noisy run is larger."""
    runs = validate_config(_config(noisy={**NOISY, "t_end": 2000.0, "network": {"N": 100_000}}),
                           SCHEMA)  # fmt: skip
    noisy = experiments.network_resources(runs["noisy"])["runtime"]
    quiet = experiments.network_resources({**runs["noisy"], "noise": 0.0})["runtime"]
    # 2·10¹² neuron-steps, doubled: 40 min without noise, 240 min with
    assert quiet == 40 and noisy == 240
