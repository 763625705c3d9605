"""The real Snakemake workflow on config/test.yaml, in a temporary copy of the repository."""

import json
import math

import numpy as np
import pandas as pd
import pytest
import yaml
from workflow_copy import REPO, copy_workflow, planned_jobs, snakemake

from qifgap.workflow import validate_config

TEST_CONFIG = ("--configfile", "config/test.yaml")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    wd = copy_workflow(tmp_path_factory.mktemp("workflow"), with_package=True)
    snakemake(wd, "--cores", "2", *TEST_CONFIG)
    return wd


def test_outputs_and_metadata(workdir):
    res = workdir / "results"
    for path in [
        "compare/summary.tsv",
        "compare/sweeps/gap.tsv",
        "compare/hysteresis.tsv",
        "compare/asymmetry.tsv",
        "compare/finite_size_fits.tsv",
        "bifurcation/bistable_range_J=15.csv",
        "bifurcation/g=1/homoclinic.csv",
        "bifurcation/codim2_vs_g.csv",
        "bifurcation/limit_cycles_J=0_g=1.csv",
        "verification/g=1/classes.tsv",
        "figures/protocol_mpr15_step.pdf",
        "figures/protocol_mpr15_step.png",
        "figures/mpr15_bifurcation.png",
        "bifurcation/g=0/saddle_nodes.csv",
        "bifurcation/branch_J=15_g=0.csv",
        "network/gap/g=1.npz",
        "meanfield/gap/g=1.npz",
    ]:
        assert (res / path).stat().st_size > 0, path
    with np.load(res / "network" / "mpr15_step.npz") as data:
        params = json.loads(str(data["params"]))
        assert params["N"] == 1000 and params["J"] == 15.0
        assert params["current"] == {"kind": "step", "amplitude": 3.0, "t_on": 0.0, "t_off": 5.0}
        assert params["qifgap_version"]
        assert data["t"][0] == pytest.approx(-4.995)
    # figures carry what made them: package version and the resolved config entries
    from PIL import Image

    with Image.open(res / "figures" / "protocol_mpr15_step.png") as png:
        made = json.loads(png.text["qifgap"])
    assert made["qifgap_version"] == params["qifgap_version"]
    assert made["params"]["run"]["J"] == 15.0 and made["rule"] == "figure_protocol"
    # every rule wrote a log
    assert (workdir / "logs" / "simulate_network" / "gap" / "g=0.log").exists()


def test_numbers_behind_the_outputs(workdir):
    res = workdir / "results"
    summary = pd.read_csv(res / "compare" / "summary.tsv", sep="\t").set_index("run")
    assert {"mpr15_step", "mpr15_sine", "asym50_corrected"} <= set(summary.index)
    # N = 1000 follows the mean field on average to within 10 % (except the uncorrected mean
    # field of asymmetric spikes, which is off by design: see test_paper_figures_numbers)
    matched = (summary.kappa != 0) | (summary.v_reset == -summary.v_peak)
    assert matched.sum() >= 6
    assert (summary.rel_err_mean_r[matched].abs() < 0.1).all()
    sweep = pd.read_csv(res / "compare" / "sweeps" / "gap.tsv", sep="\t")
    assert sorted(sweep.g) == [0.0, 1.0]
    points = pd.read_csv(res / "bifurcation" / "g=0" / "points.csv").set_index("name")
    assert points.loc["cusp", "eta_bar"] == pytest.approx(-math.sqrt(3), rel=1e-9)
    assert points.loc["cusp", "J"] == pytest.approx(7.79622, rel=1e-6)


def test_second_run_plans_nothing(workdir):
    assert planned_jobs(workdir, *TEST_CONFIG) == {}


def test_parameter_change_replans_only_that_experiment(workdir):
    config = yaml.safe_load((workdir / "config" / "test.yaml").read_text())
    config["experiments"]["mpr15_step"]["t_end"] = 9.0
    (workdir / "config" / "changed.yaml").write_text(yaml.safe_dump(config))
    jobs = planned_jobs(workdir, "--configfile", "config/changed.yaml")
    assert jobs == {
        "simulate_network": 1,
        "integrate_meanfield": 1,
        "compare_run": 1,
        "compare_summary": 1,
        "figure_protocol": 1,
        "all": 1,
    }


FIGURE_RULES = ("figure_protocol", "figure_mpr15_bifurcation", "figure_p19_coupling",
                "figure_p19_onset", "figure_p19_hysteresis", "figure_mp20_asymmetry",
                "figure_finite_size", "figure_p19_phase_diagrams", "figure_p19_codim2",
                "figure_p19_limit_cycles", "figure_p19_verification")  # fmt: skip
# job counts follow from the test config itself
_CONFIG = yaml.safe_load((REPO / "config" / "test.yaml").read_text())
_RUNS = validate_config(_CONFIG, REPO / "config" / "schema.yaml")
N_RUNS = len(_RUNS)
N_NETWORKS = sum("network_from" not in run for run in _RUNS.values())
N_SWEEPS = len(_CONFIG["sweeps"])
_V = _CONFIG["verification"]
N_CHUNKS = math.ceil(_V["eta"]["n"] * _V["J"]["n"] / _V["chunk"])
COMPARE_TABLES = {
    "compare_run": N_RUNS,
    "compare_summary": 1,
    "compare_sweep": N_SWEEPS,
    "compare_hysteresis": 1,
    "compare_asymmetry": 1,
    "compare_finite_size": 1,
}
BIFURCATION = {
    "bifurcation_phase_diagram": 2,
    "bifurcation_branch": 1,
    "bifurcation_portrait": 1,
    "bifurcation_bistable_range": 1,
    "bifurcation_codim2": 1,
    "bifurcation_limit_cycles": 1,
}


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        # plotting code: only the figures
        ("plotting/style.py", {**dict.fromkeys(FIGURE_RULES, 1), "all": 1}),
        # the firing-rate equations: mean field, bifurcations and all that reads them
        ("model.py", {"integrate_meanfield": N_RUNS, **BIFURCATION, **COMPARE_TABLES,
                      "compare_verification": 1, **dict.fromkeys(FIGURE_RULES, 1), "all": 1}),
        # the network kernel: every simulation and all that reads one, no mean field
        ("kernels.py", {"numba_warm_up": 1, "simulate_network": N_NETWORKS,
                        "simulate_verification": N_CHUNKS,
                        **COMPARE_TABLES, "compare_verification": 1,
                        **dict.fromkeys(set(FIGURE_RULES) - {"figure_mpr15_bifurcation",
                                                             "figure_p19_phase_diagrams",
                                                             "figure_p19_codim2",
                                                             "figure_p19_limit_cycles"}, 1),
                        "all": 1}),
    ],
)  # fmt: skip
def test_code_change_replans_the_jobs_that_use_it(workdir, module, expected):
    source = workdir / "src" / "qifgap" / module
    original = source.read_text()
    try:
        source.write_text(original + "\n# a change\n")
        assert planned_jobs(workdir, *TEST_CONFIG) == expected
    finally:
        source.write_text(original)
    assert planned_jobs(workdir, *TEST_CONFIG) == {}


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (lambda c: c["experiments"]["mpr15_step"].update(J="strong"), "experiments.mpr15_step.J"),
        (lambda c: c["defaults"]["network"].update(dt=-1.0), "defaults.network.dt"),
        (lambda c: c["experiments"]["mpr15_step"]["network"].update(dt=0.05)
         if "network" in c["experiments"]["mpr15_step"]
         else c["experiments"]["mpr15_step"].update(network={"dt": 0.05}), "dt"),
        (lambda c: c.update(extra=1), "extra"),
        (lambda c: c["experiments"].update({"../escape": c["experiments"]["mpr15_step"]}),
         "names must match"),
    ],
)  # fmt: skip
def test_bad_config_is_refused_in_one_line(workdir, edit, key):
    config = yaml.safe_load((workdir / "config" / "test.yaml").read_text())
    edit(config)
    (workdir / "config" / "bad.yaml").write_text(yaml.safe_dump(config))
    proc = snakemake(workdir, "-n", "--configfile", "config/bad.yaml", check=False)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("config error:")]
    assert len(errors) == 1 and key in errors[0], proc.stderr


def test_paper_figures_numbers(workdir):
    """The numbers behind the P19/MP20 figures (reduced sizes of config/test.yaml)."""
    res = workdir / "results"
    for name in ("p19_coupling_electrical", "p19_onset", "p19_hysteresis", "mp20_asymmetry",
                 "finite_size", "p19_phase_diagrams", "p19_codim2", "p19_limit_cycles",
                 "p19_verification_g=1"):  # fmt: skip
        assert (res / "figures" / f"{name}.png").stat().st_size > 10_000, name
    # electrical coupling: oscillation sets in on the correct side of the Hopf value g_H = 1.375
    onset = pd.read_csv(res / "compare" / "sweeps" / "onset.tsv", sep="\t").set_index("g")
    for who in ("net", "mf"):
        amp = onset[f"rms_amplitude_v_{who}"]
        assert amp.loc[[2.0, 2.5]].min() > 5 * amp.loc[[0.5, 1.0]].max(), who
    # persistent activity: a hysteresis loop without gap junctions, narrower with g = 1
    hyst = pd.read_csv(res / "compare" / "hysteresis.tsv", sep="\t").set_index("g")
    for who in ("net", "mf"):
        assert hyst.loc[0.0, f"width_{who}"] > 2.0
        assert hyst.loc[1.0, f"width_{who}"] < 0.8 * hyst.loc[0.0, f"width_{who}"]
    # asymmetric spikes: the corrected mean field is closer to the network than P19's
    asym = pd.read_csv(res / "compare" / "asymmetry.tsv", sep="\t").set_index("v_reset")
    assert abs(asym.loc[-50.0, "err_mp20"]) < 0.5 * abs(asym.loc[-50.0, "err_p19"])
    assert asym.loc[-100.0, "err_mp20"] == asym.loc[-100.0, "err_p19"]
    # finite size: the error of the mean rate falls with N
    fits = pd.read_csv(res / "compare" / "finite_size_fits.tsv", sep="\t").set_index("name")
    assert -0.8 < fits.loc["async_rel_std_r", "slope"] < -0.2
    assert fits.loc["async_abs_err_mean_r", "slope"] < 0
    fss = pd.read_csv(res / "compare" / "finite_size_async.tsv", sep="\t")
    assert fss.abs_err_mean_r.iloc[0] > 3 * fss.abs_err_mean_r.iloc[-1]
    # bifurcations: TB at g = 1 from the closed form, the homoclinic curve starts there; the
    # mean-field persistent range shrinks with g
    points = pd.read_csv(res / "bifurcation" / "g=1" / "points.csv").set_index("name")
    assert points.loc["TB", "J"] == pytest.approx(12.37002, rel=1e-6)
    hom = pd.read_csv(res / "bifurcation" / "g=1" / "homoclinic.csv")
    assert abs(hom.J.iloc[0] - 12.37002) < 0.1 and abs(hom.eta_bar.iloc[0] + 3.9375) < 0.1
    ranges = pd.read_csv(res / "bifurcation" / "bistable_range_J=15.csv").set_index("g")
    assert ranges.loc[0.0, "width"] == pytest.approx(-3.13613 + 5.74353, abs=0.02)
    assert ranges.loc[1.0, "width"] < 0.5 * ranges.loc[0.0, "width"]
    cycles = pd.read_csv(res / "bifurcation" / "limit_cycles_J=0_g=1.csv")
    assert cycles.stable.all() and cycles.eta_bar.min() > 3.9375
    # spiking verification: the network classes agree with the mean-field regions
    summary = json.loads((res / "verification" / "g=1" / "summary.json").read_text())
    assert summary["points"] == 6
    assert summary["agreement_away"] >= 0.66
