"""Figures: no global side effects on import, and every figure function runs and saves.

The inputs are small synthetic stand-ins for the workflow's tables and time series (closed-form
tables where they are cheap), so the figures' content is not checked here, only that each one
is made in the house style, saved as PDF and PNG with its provenance, reproducibly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import matplotlib
import numpy as np
import pandas as pd
import pytest

from qifgap import plotting
from qifgap.bifurcation import fixed_point_branch, phase_diagram, saddle_node_curve
from qifgap.bifurcation.portrait import phase_portrait
from qifgap.comparison import compare_sparse_synchrony
from qifgap.results import NetworkResult, TimeSeries

# --- synthetic inputs --------------------------------------------------------------------------


def _series(phase=0.0, *, network=False, v_peak=100.0):
    t = np.linspace(0.0, 10.0, 501)
    r = 0.5 + 0.3 * np.sin(2 * np.pi * t / 3 + phase)
    v = -0.2 + 0.5 * np.cos(2 * np.pi * t / 3 + phase)
    Z = 0.4 * np.exp(1j * t)
    if not network:
        return TimeSeries(t=t, r=r, v=v, Z=Z, params={"model": "meanfield"})
    rng = np.random.default_rng(0)
    times = np.sort(rng.uniform(0, 10, 400))
    return NetworkResult(
        t=t, r=r, v=v, Z=Z, params={"model": "network", "v_peak": v_peak},
        spike_times=times, spike_ids=rng.integers(0, 50, times.size),
        raster_neurons=np.arange(50),
    )  # fmt: skip


def _two_populations(network=False):
    """A two-population result (E, I): the one-population series as its columns."""
    one = _series(network=network)
    two = {k: np.column_stack([getattr(one, k), getattr(one, k)]) for k in ("r", "v", "Z")}
    if not network:
        return TimeSeries(t=one.t, **two, populations=("E", "I"))
    return NetworkResult(
        t=one.t, **two, populations=("E", "I"), population_offsets=[0, 50, 100],
        spike_times=np.concatenate([one.spike_times] * 2),
        spike_ids=np.concatenate([one.spike_ids, one.spike_ids + 50]),
        raster_neurons=np.arange(100),
    )  # fmt: skip


def _metrics():
    return {"rel_err_mean_r": 0.012, "rel_rmse_r": 0.1, "rel_rmse_v": 0.2}


def _onset_sweep():
    g = np.linspace(0.0, 3.0, 7)
    amp = np.clip(g - 1.2, 0, None) ** 0.5
    return pd.DataFrame({
        "g": g, "rms_amplitude_v_net": amp * 1.05, "rms_amplitude_v_mf": amp,
        "spectral_peak_net": 0.3 + 0.01 * g, "spectral_peak_mf": 0.3 + 0.011 * g,
    })  # fmt: skip


def _ramps():
    t = np.linspace(0, 20, 401)
    drive = -6 + 5 * (1 - np.abs(t - 10) / 10)
    out = []
    for g in (0.0, 1.0):
        r = np.where(drive > -3.5, 1.0, 0.1)
        net = TimeSeries(t=t, r=r + 0.01, v=0 * t, Z=0 * t + 0j)
        mf = TimeSeries(t=t, r=r, v=0 * t, Z=0 * t + 0j)
        h = {"eta_on": -3.1, "eta_off": -5.7, "width": 2.6}
        out.append({"g": g, "net": net, "mf": mf, "drive": drive,
                    "hysteresis_net": h, "hysteresis_mf": h})  # fmt: skip
    return out


def _finite_size():
    N = np.array([500, 1000, 2000, 4000, 8000])
    err = 2.0 * N**-0.5 + 0.002
    tables = {
        "async": pd.DataFrame({"N": N, "abs_err_mean_r": err, "rel_std_r": N**-0.5}),
        "oscillation": pd.DataFrame({"N": N, "abs_err_period": err, "abs_err_amplitude": 2 * err}),
        "v_peak_async": pd.DataFrame({"N": 8000, "v_peak": [25.0, 50.0, 100.0],
                                      "rel_err_mean_r": [0.04, 0.02, 0.01]}),
        "v_peak_oscillation": pd.DataFrame({"N": 8000, "v_peak": [25.0, 50.0, 100.0],
                                            "rel_err_amplitude": [0.08, 0.04, 0.02]}),
    }  # fmt: skip
    names = ["async_abs_err_mean_r", "async_rel_std_r", "osc_abs_err_period",
             "osc_abs_err_amplitude"]  # fmt: skip
    fits = pd.DataFrame({"name": names, "slope": -0.5, "prefactor": 2.0, "bias": 0.002,
                         "slope_stderr": 0.01}).set_index("name")  # fmt: skip
    return tables, fits


@pytest.fixture(scope="module")
def diagrams():
    """Phase-diagram tables at g = 0 and g = 2 on a coarse grid (a few seconds)."""
    window = {"eta_range": (-8.0, 4.0), "J_range": (-2.0, 16.0), "n": 11}
    return {g: phase_diagram(g, **window).tables() for g in (0.0, 2.0)}


RHYTHM = {
    "model": {"populations": {"I": {"eta_bar": 2.0, "tau_syn": 0.5}}, "J": {"I": {"I": -10.0}}},
    "parameter": "g.I.I",
    "range": [0.0, 2.0],
    "curves": {"J.I.I": [-14.0, -6.0]},
}


def _rhythm():
    """Small branch, Hopf and cycle tables with the columns of bifurcation.rhythm_onset."""
    g = np.linspace(0.0, 2.0, 9)
    branch = pd.DataFrame({"g.I.I": g, "r.I": 0.3 - 0.01 * g, "stable": g < 0.8, "s": g})
    hopf = pd.DataFrame({"g.I.I": [0.8], "r.I": [0.292], "omega": [2.2], "frequency": [0.35]})
    gc = np.linspace(0.8, 2.0, 7)
    amp = np.sqrt(gc - 0.8)
    cycles = pd.DataFrame({"g.I.I": gc, "period": 2.8 + 0.01 * gc, "r.I_amplitude": amp,
                           "r.I_min": 0.29 - amp / 3, "r.I_max": 0.29 + 2 * amp / 3,
                           "r.I_std": amp / 3, "stable": True, "hopf": 0})  # fmt: skip
    cycles["frequency"] = 1.0 / cycles.period
    return branch, hopf, cycles


def _rhythm_curve():
    return pd.DataFrame({"g.I.I": [0.75, 0.8, 0.85], "J.I.I": [-13.0, -10.0, -7.0],
                         "frequency": [0.34, 0.35, 0.37], "point": ["", "", "GH"],
                         "branch": [-1, 1, 1]})  # fmt: skip


def _figures(diagrams):
    """name → a function that makes the figure with the package's plotting functions."""
    p = plotting
    net, mf = _series(network=True), _series(0.1)
    cycles = pd.DataFrame({"eta_bar": np.linspace(-2.4, 0, 9), "period": np.linspace(2, 5, 9),
                           "amplitude": np.sqrt(np.linspace(0, 2.4, 9)),
                           "stable": [True] * 8 + [False]})  # fmt: skip
    codim2 = pd.DataFrame({"g": [0.0, 1.0, 2.0], "cusp_eta": [-1.7, -0.8, -0.1],
                           "cusp_J": [7.8, 5.6, 2.3], "tb_eta": [np.nan, -3.9, -0.75],
                           "tb_J": [np.nan, 12.4, 4.7], "snsl_eta": [np.nan, np.nan, -0.43],
                           "snsl_J": [np.nan, np.nan, 4.33]})  # fmt: skip
    classes = pd.DataFrame({"eta_bar": [-6.0, -2.0, 2.0], "J": [15.0, 4.0, 2.0],
                            "label_net": ["bistable", "one stable state", "oscillation"],
                            "agree": [True, True, False]})  # fmt: skip
    settings = {"eta": {"min": -8, "max": 4, "n": 3}, "J": {"min": -2, "max": 16, "n": 3},
                "g": 2.0, "N": 1000}  # fmt: skip
    summary = {"agreement_away": 1.0, "points_away_from_curves": 2, "agreement_all": 0.67,
               "points": 3, "band": 0.75, "agreement_coexistence": 1.0, "coexistence_points": 1,
               "coexistence_band": 0.25}  # fmt: skip
    asym_rows = pd.DataFrame({"v_reset": [-50.0, -100.0], "err_p19": [0.29, 0.0],
                              "err_mp20": [0.01, 0.0]})  # fmt: skip
    asym_cols = [{"net": _series(network=True), "p19": mf, "mp20": _series(0.2),
                  "v_reset": -50.0, "kappa": np.log(2.0)},
                 {"net": _series(network=True), "p19": mf, "mp20": None,
                  "v_reset": -100.0, "kappa": 0.0}]  # fmt: skip
    portrait = phase_portrait(eta_bar=-5.0, J=15.0, g=0.0, n_grid=9,
                              initial_conditions=[(0.1, -2.0)], t_end=2.0)  # fmt: skip
    sparse_run = {
        "eta_bar": 45.0,
        "delta": 0.0,
        "J": -200.0,
        "g": 3.0,
        "noise": 1.0,
        "t_start": 0.0,
        "t_end": 10.0,
        "network": {"N": 50},
        "compare": {"t_min": 2.0},
    }
    return {
        "protocol": lambda: p.protocol_figure(
            net, mf, current=lambda t: 3.0 * (t < 5), title="step"
        ),  # fmt: skip
        "coupling": lambda: p.comparison_grid(
            [
                {"net": net, "mf": mf, "metrics": _metrics(), "title": "a", "t_min": 2.0},
                {"net": net, "mf": mf, "metrics": _metrics(), "title": "b", "t_min": None},
            ]
        ),  # fmt: skip
        "mpr15": lambda: p.mpr15_bifurcation_figure(
            saddle_nodes=saddle_node_curve(0.0, J_max=20.0, n=51),
            cusp=(-1.73205, 7.79622),
            branch=fixed_point_branch(15.0, 0.0, n=200),
            portrait=portrait,
            J_branch=15.0,
            eta_portrait=-5.0,
        ),  # fmt: skip
        "onset": lambda: p.onset_figure(
            _onset_sweep(), g_hopf=1.2, eta_bar=1.0, J=0.0, omega_hopf=2.0
        ),  # fmt: skip
        "hysteresis": lambda: p.hysteresis_figure(
            _ramps(),
            pd.DataFrame({"g": [0.0, 0.5, 1.0], "width": [2.6, 3.0, 0.36]}),
            J=15.0,
            speeds=pd.DataFrame(
                {
                    "g": [0.0, 1.0, 0.0],
                    "speed": [0.08, 0.08, 0.16],
                    "width_net": [3.3, 0.9, 3.65],
                    "width_mf": [3.25, 0.94, 3.6],
                }
            ),
        ),
        "asymmetry": lambda: p.asymmetry_figure(asym_rows, asym_cols),
        "population_sweep": lambda: p.population_sweep_figure(
            [_two_populations(network=True)] * 2,
            [_two_populations()] * 2,
            pd.DataFrame(
                {
                    "run": ["s/g.I.I=1", "s/g.I.I=1", "s/g.I.I=0", "s/g.I.I=0"],
                    "population": ["E", "I"] * 2,
                    **{k: [0.1] * 4 for k in _metrics()},
                }
            ),
            {
                "s/g.I.I=1": {"sweep": {"point": {"g.I.I": 1.0}}, "compare": {"t_min": 2.0}},
                "s/g.I.I=0": {"sweep": {"point": {"g.I.I": 0.0}}, "compare": {}},
            },
        ),  # fmt: skip
        "finite_size": lambda: p.finite_size_figure(*_finite_size()),
        "phase_diagrams": lambda: p.phase_diagrams_figure(diagrams),
        "codim2": lambda: p.codim2_figure(codim2),
        "limit_cycles": lambda: p.limit_cycles_figure(cycles, J=10.0, g=1.0, eta_hopf=-2.43),
        "rhythm_onset": lambda: p.rhythm_onset_figure(*_rhythm(), entry=RHYTHM),
        "rhythm_curves": lambda: p.rhythm_curves_figure(
            [_rhythm_curve()], _rhythm()[1], entry=RHYTHM, curve_keys=["J.I.I"]
        ),
        "verification": lambda: p.verification_figure(
            diagrams[2.0], classes, summary, settings=settings
        ),  # fmt: skip
        "sparse_synchrony": lambda: p.sparse_synchrony_figure(
            net, mf, compare_sparse_synchrony("s", sparse_run, net, mf), run=sparse_run
        ),  # fmt: skip
        "two_clusters": lambda: p.two_clusters_figure(*_two_clusters()[0], **_two_clusters()[1]),
        "mp20_populations": lambda: p.mp20_populations_figure(
            *_mp20_populations(), entry={"population": "I"}, rhythm={"parameter": "g.I.I"}
        ),
    }


def _two_clusters():
    """Tables and series of the two-cluster figure (a short mean field stands for both runs)."""
    from qifgap import meanfield

    spec = {
        "populations": {"A": {"eta_bar": 5.5}, "B": {"eta_bar": 5.5}},
        "J": {"A": {"A": -5.0, "B": -12.0}, "B": {"A": -12.0, "B": -2.0}},
        "g": {"B": {"B": 2.0}},
    }
    cur = {"B": {"kind": "step", "amplitude": 3.5, "t_on": 2.0, "t_off": 3.5}}
    ts = meanfield.integrate(model=spec, t_end=8.0, current=cur)
    d = np.linspace(-4.0, 1.0, 11)
    branch = pd.DataFrame(
        {"drive": d, "r.A": 0.4 + 0.01 * d, "r.B": 0.1 - 0.01 * d, "stable": d < 0.7}
    )
    cycles = pd.DataFrame(
        {"drive": d[5:], "r.B_max": 1.0 + 0.1 * d[5:], "r.B_min": 0.2, "stable": True, "hopf": 0}
    )
    rng = pd.DataFrame([{"low": -1.89, "high": 0.69, "width": 2.58}])
    classes = pd.DataFrame(
        {
            "t_min": [0.5, 5.0],
            "t_max": [2.0, 8.0],
            "expected": ["async", "sync"],
            "network": ["async", "sync"],
            "meanfield": ["async", "sync"],
        }
    )
    entry = {"parameter": "drive", "population": "B"}
    return (branch, pd.DataFrame(), cycles, rng, classes, ts, ts), {
        "entry": entry,
        "run": {"current": cur},
    }


def _mp20_populations():
    onsets = pd.DataFrame(
        {"v_reset": [-50.0, -200.0], "onset_corrected": [0.73, 0.91], "onset_uncorrected": 0.81}
    )
    g = np.array([0.95, 1.1, 1.25, 0.95, 1.1, 1.25])
    runs = pd.DataFrame(
        {
            "v_reset": [-50.0] * 3 + [-200.0] * 3,
            "g.I.I": g,
            "amplitude_net": 0.3 * np.sqrt(g - 0.72),
            "amplitude_mf": 0.3 * np.sqrt(g - 0.73),
            "amplitude_p19": 0.3 * np.sqrt(g - 0.81),
        }
    )
    estimates = pd.DataFrame(
        {
            "v_reset": [-50.0, -200.0],
            "onset_net": [0.72, 0.9],
            "onset_mf": [0.73, 0.91],
            "onset_p19": [0.81, 0.81],
        }
    )
    return onsets, runs, estimates


# --- tests -------------------------------------------------------------------------------------


def test_import_changes_neither_backend_nor_rcparams():
    """In a fresh interpreter whose default backend is not Agg, importing the package and
    making and saving a figure leave the backend and every rcParam as they were."""
    code = textwrap.dedent(
        """
        import io, matplotlib
        before_backend = matplotlib.get_backend()
        before = dict(matplotlib.rcParams)
        import qifgap.plotting as p
        imported = (matplotlib.get_backend(), dict(matplotlib.rcParams) == before)
        fig, ax = p.figure()
        ax.plot([0, 1], [0, 1])
        fig.savefig(io.BytesIO(), format="png")
        after = (matplotlib.get_backend(), dict(matplotlib.rcParams) == before)
        print(before_backend, *imported, *after)
        """
    )
    # the package under test, wherever it is imported from (a checkout on PYTHONPATH too)
    env = {"MPLBACKEND": "pdf", "PATH": "/usr/bin:/bin"}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.split() == ["pdf", "pdf", "True", "pdf", "True"]


def test_style_applies_inside_the_context_only():
    before = dict(matplotlib.rcParams)
    fig, ax = plotting.figure()  # axes made in the style: no top spine, small labels
    assert not ax.spines["top"].get_visible()
    assert ax.xaxis.label.get_fontsize() == plotting.STYLE["axes.labelsize"]
    with plotting.style():
        assert matplotlib.rcParams["lines.linewidth"] == plotting.STYLE["lines.linewidth"]
        assert matplotlib.rcParams["savefig.dpi"] == plotting.STYLE["savefig.dpi"]
    assert dict(matplotlib.rcParams) == before


def test_every_figure_function_runs_and_saves(tmp_path, diagrams):
    before = dict(matplotlib.rcParams)
    figures = _figures(diagrams)
    exported = {n for n in plotting.__all__ if n.endswith("_figure")} | {"comparison_grid"}
    called = {
        "protocol_figure", "comparison_grid", "mpr15_bifurcation_figure", "onset_figure",
        "hysteresis_figure", "asymmetry_figure", "finite_size_figure", "phase_diagrams_figure",
        "codim2_figure", "limit_cycles_figure", "verification_figure", "rhythm_onset_figure",
        "rhythm_curves_figure", "population_sweep_figure", "sparse_synchrony_figure",
        "two_clusters_figure", "mp20_populations_figure",
    }  # fmt: skip
    assert called == exported  # a new figure function needs a case here
    provenance = {"rule": "test", "qifgap_version": "0"}
    for name, make in figures.items():
        pdf, png = tmp_path / f"{name}.pdf", tmp_path / f"{name}.png"
        plotting.save(make(), pdf, png, provenance=provenance)
        assert pdf.read_bytes().startswith(b"%PDF") and png.stat().st_size > 1000
        assert json.dumps(provenance, sort_keys=True).encode() in png.read_bytes()
    again = tmp_path / "codim2_again.png"
    plotting.save(figures["codim2"](), again, provenance=provenance)
    assert again.read_bytes() == (tmp_path / "codim2.png").read_bytes()  # same data, same bytes
    assert dict(matplotlib.rcParams) == before
    assert not list(tmp_path.glob("*.tmp*"))


def test_asymmetry_axis_takes_v_peak_from_the_networks():
    mf = _series()
    rows = pd.DataFrame({"v_reset": [-50.0], "err_p19": [0.3], "err_mp20": [0.01]})

    def xlabel(v_peaks):
        cols = [{"net": _series(network=True, v_peak=vp), "p19": mf, "mp20": None,
                 "v_reset": -50.0, "kappa": 0.0} for vp in v_peaks]  # fmt: skip
        return plotting.asymmetry_figure(rows, cols).axes[-1].get_xlabel()

    assert xlabel([200.0]) == "V_r (V_p = 200)"
    assert xlabel([100.0, 100.0]) == "V_r (V_p = 100)"
    assert xlabel([100.0, 50.0]) == "V_r"


def test_verification_headline_leads_with_all_points():
    """All points first, the band-excluded share beside it, coexistence on its own line (a
    g without coexistence points says n/a)."""
    from qifgap.plotting.bifurcation import verification_headline

    summary = {"points": 186, "agreement_all": 0.9247, "band": 0.75,
               "points_away_from_curves": 120, "agreement_away": 0.975,
               "coexistence_band": 0.25, "coexistence_points": 31,
               "agreement_coexistence": 0.871}  # fmt: skip
    first, second = verification_headline(summary, g=1.0, N=10_000).split("\n")
    assert first == ("g = 1, N = 10,000: agreement 92% of all 186 points (98% of the 120 "
                     "farther than 0.75 from a curve)")  # fmt: skip
    assert second == "coexistence regions: 87% of 31 points farther than 0.25 from a curve"
    none = {**summary, "coexistence_points": 0, "agreement_coexistence": float("nan")}
    assert verification_headline(none, g=2.0, N=500).endswith("n/a of 0 points farther than "
                                                              "0.25 from a curve")  # fmt: skip
