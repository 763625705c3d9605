"""The numbers of sparse synchrony (qifgap.sparse_synchrony): known answers on constructed spike
trains and rates, then a noisy network of identical neurons against the mean field (§7)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from qifgap import claims, comparison, meanfield, network
from qifgap.results import NetworkResult, TimeSeries
from qifgap.sparse_synchrony import (
    interspike_intervals,
    isi_cv,
    neuron_isi_cvs,
    neuron_rates,
    single_neuron_rate,
    sparse_synchrony_stats,
)
from qifgap.workflow import ConfigError, validate_config

T = np.arange(0.005, 40.0, 0.01)  # bin centres of 0.01 τ bins on [0, 40)


def constructed(spike_times, spike_ids, recorded, r=None):
    r = 1.0 + np.sin(2 * np.pi * T / 2.5) if r is None else r
    zeros = np.zeros_like(T)
    net = NetworkResult(t=T, r=r, v=zeros, Z=zeros.astype(complex), spike_times=spike_times,
                        spike_ids=spike_ids, raster_neurons=recorded)  # fmt: skip
    return net


def periodic_trains(n=20, period=2.0):
    """Neuron k fires at k/n·period + j·period: rate 1/period, ISI CV 0."""
    times = np.concatenate([np.arange(k * period / n, 40.0, period) for k in range(n)])
    ids = np.concatenate([np.full(np.arange(k * period / n, 40.0, period).size, k)
                          for k in range(n)])  # fmt: skip
    return times, ids


def test_periodic_neurons_have_their_rate_and_cv_zero():
    times, ids = periodic_trains()
    net = constructed(times, ids, np.arange(20))
    assert single_neuron_rate(net, t_min=10.0) == pytest.approx(0.5, rel=1e-12)
    assert isi_cv(net, t_min=10.0) == pytest.approx(0.0, abs=1e-9)


def test_poisson_neurons_have_cv_one():
    rng = np.random.default_rng(0)
    times, ids = [], []
    for k in range(50):  # rate 0.3 per τ, 40 τ: ~600 intervals in all
        t = np.cumsum(rng.exponential(1 / 0.3, 40))
        times.append(t[t < 40.0])
        ids.append(np.full(times[-1].size, k))
    net = constructed(np.concatenate(times), np.concatenate(ids), np.arange(50))
    # the CV of n exponential intervals has standard error ≈ 1/√n ≈ 0.04 here
    assert isi_cv(net, t_min=0.0) == pytest.approx(1.0, abs=0.15)
    assert single_neuron_rate(net, t_min=0.0) == pytest.approx(0.3, rel=0.1)


def test_silent_neurons_lower_the_single_neuron_rate():
    """ν counts every recorded neuron, silent ones too: 20 firing of 80 recorded → ν / 4."""
    times, ids = periodic_trains()
    net = constructed(times, ids, np.arange(80))
    assert single_neuron_rate(net, t_min=10.0) == pytest.approx(0.125, rel=1e-12)


def test_stats_of_a_constructed_sparse_rhythm():
    """Rhythm of period 2.5 in r (network and 'mean field' alike), neurons firing every 2nd
    cycle: ν/f = 0.5, CV 0, periods to the spectral interpolation."""
    times, ids = periodic_trains(period=5.0)
    net = constructed(times, ids, np.arange(20))
    mf = TimeSeries(t=T, r=1.0 + np.sin(2 * np.pi * T / 2.5), v=T * 0, Z=T * 0j)
    out = sparse_synchrony_stats(net, mf, t_min=10.0)
    assert out["period_net"] == pytest.approx(2.5, rel=2e-3)
    assert out["period_mf"] == pytest.approx(2.5, rel=2e-3)
    assert out["rhythm_share"] > 0.7  # a pure sine: 0.80 (Hann window, padding)
    assert out["r_net"] == pytest.approx(1.0, abs=1e-3)
    assert out["neuron_rate"] == pytest.approx(0.2, rel=1e-12)
    assert out["rate_per_cycle"] == pytest.approx(0.5, rel=2e-3)
    assert out["isi_cv"] == pytest.approx(0.0, abs=1e-9)
    assert out["n_neurons"] == 20


def test_bad_input():
    times, ids = periodic_trains()
    with pytest.raises(ValueError, match="raster_neurons"):
        single_neuron_rate(constructed(times, ids, np.empty(0, np.int64)), t_min=0.0)
    with pytest.raises(ValueError, match="t_min"):
        sparse_synchrony_stats(constructed(times, ids, np.arange(20)), constructed(times, ids, []),
                               t_min=50.0)  # fmt: skip


@pytest.mark.slow
def test_noisy_identical_neurons_against_the_mean_field():
    """Identical neurons (Δ = 0) with noise γ = 1, gap junctions g = 1 beyond the Hopf line
    (η̄ = 5 > η̄_H = 4γ²/g² − g²/16 = 3.94), N = 2000, window 10–30: the network's rhythm and
    ⟨r⟩ follow the equations with Δ + γ (measured, loaded machine: frequency 0.709 vs 0.711,
    ⟨r⟩ 0.7135 vs 0.7125), and the neurons fire irregularly (CV 0.25, ν ≈ ⟨r⟩: about one spike
    per cycle; sparse firing needs strong inhibition, see the report). 3 % bands, as the claim."""
    kw = dict(eta_bar=5.0, J=0.0, g=1.0, delta=0.0, noise=1.0)
    net = network.simulate(N=2000, t_end=30.0, seed=1, raster_neurons=200, **kw)
    mf = meanfield.integrate(t_end=30.0, **kw)
    out = sparse_synchrony_stats(net, mf, t_min=10.0)
    assert out["rhythm_share"] > 0.3
    assert out["period_net"] == pytest.approx(out["period_mf"], rel=0.03)
    assert out["r_net"] == pytest.approx(out["r_mf"], rel=0.03)
    assert out["neuron_rate"] == pytest.approx(out["r_net"], rel=0.05)  # homogeneous neurons
    assert 0.1 < out["isi_cv"] < 0.6


@pytest.mark.slow
def test_sparse_synchrony_with_strong_inhibition():
    """The claim of issue 15 at the default config's size: Δ = 0, γ = 1, g = 3, J = −200,
    η̄ = 45 (just beyond the Hopf line η̄_H = 42.3), N = 10⁴, window 10–100 τ (10¹⁰
    neuron-steps). Measured (seeds 4, 5): ⟨r⟩ −1.9 %, +2.1 % off the mean field's 0.2535
    (the claim's band: 5 %), period −0.5 %, −0.1 % off 0.6556 (band 3 %), ν/f 0.16–0.17, ISI
    CV 0.70: a rhythm in which each neuron fires irregularly in about one cycle in six. Over
    10–40 τ only, ⟨r⟩ scatters more (+1.7, 0.0, +1.4, −4.7 % for seeds 0, 2, 3, 4); at
    N = 2000 it is 5–12 % high (claims: untested below N = 10⁴)."""
    kw = dict(eta_bar=45.0, J=-200.0, g=3.0, delta=0.0, noise=1.0)
    net = network.simulate(N=10_000, t_end=100.0, seed=4, raster_neurons=400, **kw)
    mf = meanfield.integrate(t_end=100.0, t_eval=net.t, **kw)
    out = sparse_synchrony_stats(net, mf, t_min=10.0)
    assert out["period_net"] == pytest.approx(out["period_mf"], rel=0.03)
    assert out["r_net"] == pytest.approx(out["r_mf"], rel=0.05)
    assert out["rate_per_cycle"] < 0.25
    assert out["isi_cv"] > 0.5


def test_per_neuron_rates_intervals_and_cvs():
    """Neuron k of 4 fires every (k + 1) τ on [0, 40): its rate is 1/(k + 1), its intervals all
    k + 1 (CV 0); a fifth recorded neuron is silent (rate 0, no CV)."""
    times = np.concatenate([np.arange(0.5, 40.0, k + 1.0) for k in range(4)])
    ids = np.concatenate([np.full(np.arange(0.5, 40.0, k + 1.0).size, k) for k in range(4)])
    net = constructed(times, ids, np.arange(5))
    rates = neuron_rates(net, t_min=0.0)
    assert rates == pytest.approx([1.0, 0.5, 14 / 40, 0.25, 0.0], rel=1e-12)
    assert rates.mean() == pytest.approx(single_neuron_rate(net, t_min=0.0), rel=1e-12)
    isi, who = interspike_intervals(net, t_min=0.0)
    assert isi == pytest.approx(who + 1.0, rel=1e-12)
    assert np.bincount(who).tolist() == [39, 19, 13, 9]
    assert neuron_isi_cvs(net, t_min=0.0) == pytest.approx(np.zeros(4), abs=1e-9)
    # a neuron alternating intervals 1 and 3: mean 2, std 1, CV ½; with too few intervals: out
    alt = np.cumsum([0.5, 1, 3, 1, 3, 1, 3, 1, 3])
    net = constructed(alt, np.zeros(alt.size, np.int64), np.arange(1))
    assert neuron_isi_cvs(net, t_min=0.0) == pytest.approx([0.5], rel=1e-12)
    assert neuron_isi_cvs(net, t_min=0.0, min_intervals=9).size == 0


def test_sparse_synchrony_table_of_a_run():
    """comparison.compare_sparse_synchrony: the statistics from compare.t_min, with the run's
    model (noise 0 when unset) and N; population runs are refused."""
    times, ids = periodic_trains(period=5.0)
    net = constructed(times, ids, np.arange(20))
    mf = TimeSeries(t=T, r=1.0 + np.sin(2 * np.pi * T / 2.5), v=T * 0, Z=T * 0j)
    run = {"eta_bar": 45.0, "delta": 0.0, "J": -200.0, "g": 3.0, "t_start": 0.0, "t_end": 40.0,
           "network": {"N": 20}, "compare": {"t_min": 10.0}}  # fmt: skip
    row = comparison.compare_sparse_synchrony("x", run, net, mf).iloc[0]
    assert (row.run, row.noise, row.N, row.t_min) == ("x", 0.0, 20, 10.0)
    assert row.rate_per_cycle == pytest.approx(0.5, rel=2e-3)
    assert row.neuron_rate == pytest.approx(0.2, rel=1e-12)
    run["compare"]["t_min"] = None  # the window starts at t_start
    assert comparison.compare_sparse_synchrony("x", run, net, mf).t_min.iloc[0] == 0.0
    with pytest.raises(ValueError, match="one-population run"):
        comparison.compare_sparse_synchrony("x", {**run, "populations": {}}, net, mf)


SPARSE_CLAIMS = [c for c in claims.CLAIMS if c.figure == "sparse_synchrony"]
# the default config's numbers (N = 10⁴, window 10–100 τ)
GOOD = {"run": "sparse_synchrony", "delta": 0.0, "noise": 1.0, "N": 10_000, "r_net": 0.2604,
        "r_mf": 0.2535, "period_net": 0.6517, "period_mf": 0.6556, "frequency_net": 1.534,
        "rhythm_share": 0.41, "neuron_rate": 0.2586, "rate_per_cycle": 0.1685, "isi_cv": 0.711,
        "n_neurons": 500}  # fmt: skip


def _sparse_claims(tmp_path, **change):
    path = tmp_path / "compare" / "sparse_synchrony.tsv"
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([{**GOOD, **change}]).to_csv(path, sep="\t", index=False)
    return claims.evaluate(tmp_path, claims=SPARSE_CLAIMS).set_index("claim").status


@pytest.mark.parametrize(
    ("change", "failing"),
    [
        ({}, None),
        ({"rate_per_cycle": 0.3}, "under a quarter"),  # a neuron in almost every third cycle
        ({"isi_cv": 0.3}, "irregularly"),  # close to periodic firing
        ({"r_net": 0.2535 * 1.051}, "⟨r⟩"),  # 5.1 % off the mean field
        ({"r_net": 0.2535 * 0.949}, "⟨r⟩"),
        ({"r_net": 0.2535 * 1.049, "period_net": 0.6556 * 0.971}, None),  # inside both bands
        ({"period_net": 0.6556 * 1.031}, "period"),
    ],
)
def test_sparse_synchrony_claims_fail_on_wrong_numbers(tmp_path, change, failing):
    status = _sparse_claims(tmp_path, **change)
    assert len(status) == 4
    bad = [text for text, s in status.items() if s != "pass"]
    if failing is None:
        assert not bad
    else:
        assert len(bad) == 1 and failing in bad[0] and status[bad[0]] == "fail"


def test_sparse_synchrony_agreement_is_untested_below_ten_thousand_neurons(tmp_path):
    """At N = 500 (config/test.yaml) the strongly inhibitory network is 5–40 % off the mean
    field: the 3 % claims are untested, not passed; the sparse-firing claims still hold."""
    status = _sparse_claims(tmp_path, N=500, r_net=0.2789, r_mf=0.2589)
    assert status.value_counts().to_dict() == {"pass": 2, "untested": 2}
    assert all(s == "untested" for text, s in status.items() if "mean field" in text)


def test_figure_draws_the_statistics_of_its_table():
    """The plotting function of the registry entry: six panels; (d) marks ν and f of the table,
    (f) holds one CV per neuron with at least 5 intervals (here all 20, CV 0)."""
    from qifgap.plotting import sparse_synchrony_figure

    times, ids = periodic_trains(period=2.0)
    net = constructed(times, ids, np.arange(20))
    mf = TimeSeries(t=T, r=1.0 + np.sin(2 * np.pi * T / 2.5), v=T * 0, Z=T * 0j)
    run = {"eta_bar": 45.0, "delta": 0.0, "J": -200.0, "g": 3.0, "noise": 1.0, "t_start": 0.0,
           "t_end": 40.0, "network": {"N": 20}, "compare": {"t_min": 10.0}}  # fmt: skip
    table = comparison.compare_sparse_synchrony("x", run, net, mf)
    fig = sparse_synchrony_figure(net, mf, table, run=run)
    axes = fig.get_axes()
    assert len(axes) == 6
    d, f = axes[1], axes[5]
    marks = sorted(line.get_xdata()[0] for line in d.get_lines())
    assert marks == pytest.approx(sorted([0.5, table.frequency_net.iloc[0]]), rel=1e-9)
    assert sum(p.get_height() for p in f.patches) == 20
    assert "γ = 1" in axes[0].get_title(loc="left")


@pytest.mark.parametrize(
    ("figure_run", "raster", "message"),
    [
        ("sparse_synchrony", 0, "figures.sparse_synchrony: run 'sparse_synchrony' records no"),
        ("ei", 50, "figures.sparse_synchrony: run 'ei': this figure needs one-population runs"),
        ("nope", 50, "figures.sparse_synchrony: unknown run 'nope'"),
    ],
)
def test_the_figure_needs_a_one_population_run_with_a_raster(figure_run, raster, message):
    repo = Path(__file__).resolve().parents[1]
    config = yaml.safe_load((repo / "config" / "test.yaml").read_text())
    config["figures"]["sparse_synchrony"] = figure_run
    config["experiments"]["sparse_synchrony"]["network"]["raster_neurons"] = raster
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace("(", r"\(")):
        validate_config(config, repo / "config" / "schema.yaml")
