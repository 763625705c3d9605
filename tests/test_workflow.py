"""The real Snakemake workflow on config/test.yaml, in a temporary copy of the repository
(the session's one finished run, tests/conftest.py: ``test_config_run``)."""

import functools
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from workflow_copy import (
    REPO,
    TEST_CONFIG,
    copy_tree,
    imported_package_modules,
    planned_jobs,
    rule_graph,
    snakemake,
)

from qifgap.workflow import NOT_HASHED

_TEST = yaml.safe_load((REPO / "config" / "test.yaml").read_text())
# the rows of the summary table: every experiment that runs on its own, and each variant; a
# population experiment has a row per population
_SUMMARY_RUNS = [n for n, e in _TEST["experiments"].items() if not e.get("template")] + list(
    _TEST["meanfield_variants"]
)
_SUMMARY_ROWS = sum(
    len(_TEST["experiments"].get(n, {}).get("populations", [0])) for n in _SUMMARY_RUNS
)
# the g of the sweeps behind these tables, as the config lists them
_SWEEP_G = {name: _TEST["sweeps"][name]["grid"]["g"] for name in ("onset", "ramps", "ramps_fast")}
_G_H = 1.375  # the Hopf coupling of the onset sweep (η̄ = 2, J = 0, Δ = 1)
# the E–I sweep of figure ei_gap, and its points
_EI_SWEEP = _TEST["figures"]["ei_gap"]
_EI_G = sorted(_TEST["sweeps"][_EI_SWEEP]["grid"]["g.I.I"])

# Rule names the tests plan (written once here: the workflow may merge or rename rules).
# One job per run, in this order: the network, then the mean field with the comparison.
PER_RUN_RULES = ("simulate_network", "compare_run")
# the rules that simulate (network; mean field, in the comparison job): no analysis code
# reruns them
SIMULATION_RULES = ("simulate_network", "compare_run")


@pytest.fixture(scope="module")
def workdir(test_config_run):
    """The finished run of config/test.yaml (read only: tests write only new config files)."""
    return test_config_run


def test_outputs_and_metadata(workdir):
    res = workdir / "results"
    # tables: their columns, one row per run / grid point / g, and finite numbers
    for path, columns, rows in [
        ("compare/summary.tsv", {"run", "rmse_r", "mean_r_net", "mean_r_mf"}, _SUMMARY_ROWS),
        ("compare/sweeps/onset.tsv", {"run", "g", "rmse_r"}, len(_SWEEP_G["onset"])),
        ("compare/hysteresis.tsv", {"g", "width_net", "width_mf"}, len(_SWEEP_G["ramps"])),
        ("compare/asymmetry.tsv", {"v_reset", "kappa", "err_p19", "err_mp20"}, 2),
        ("compare/finite_size_fits.tsv", {"name"}, 4),  # slopes: see test_paper_figures_numbers
        ("bifurcation/bistable_range_J=15.csv", {"g", "eta_min", "eta_max", "width"}, 3),
        ("bifurcation/g=1/homoclinic.csv", {"eta_bar", "J", "method"}, None),
        ("bifurcation/codim2_vs_g.csv", {"g", "cusp_eta", "cusp_J"}, 3),
        ("bifurcation/limit_cycles_J=0_g=1.csv", {"eta_bar", "period", "floquet"}, None),
        ("bifurcation/g=0/saddle_nodes.csv", {"eta_bar", "J"}, None),
        ("bifurcation/branch_J=15_g=0.csv", {"eta_bar", "r", "v", "stable"}, 2000),
        # verification at both g of the config: the 3 x 2 grid, and at g = 1 its zoom point
        ("verification/g=0/classes.tsv", {"eta_bar", "J", "label_net", "label_mf"}, 6),
        ("verification/g=1/classes.tsv", {"eta_bar", "J", "label_net", "label_mf"}, 7),
        (
            "compare/hysteresis_speeds.tsv",
            {"g", "speed", "width_net", "width_mf"},
            len(_SWEEP_G["ramps"]) + len(_SWEEP_G["ramps_fast"]),
        ),
    ]:
        table = pd.read_csv(res / path, sep="\t" if path.endswith(".tsv") else ",")
        assert columns <= set(table.columns), (path, columns - set(table.columns))
        assert len(table) == rows if rows else len(table) >= 10, (path, len(table))
        for key in columns - {"run", "name", "method", "label_net", "label_mf", "stable"}:
            assert np.isfinite(table[key]).all(), (path, key)
    branch = pd.read_csv(res / "bifurcation" / "branch_J=15_g=0.csv")
    assert (branch.r > 0).all() and branch.stable.any() and not branch.stable.all()
    # the time series of a sweep point: the bins of its protocol, finite, r >= 0
    onset = _TEST["experiments"]["onset_base"]
    bins = round((onset["t_end"] - onset["t_start"]) / _TEST["defaults"]["network"]["rate_bin"])
    for kind in ("network", "meanfield"):
        with np.load(res / kind / "onset" / "g=2.npz") as data:
            assert len(data["t"]) == bins == 2400 and np.isfinite(data["r"]).all()
            assert data["r"].min() >= 0 and json.loads(str(data["params"]))["g"] == 2.0
    with np.load(res / "network" / "mpr15_step.npz") as data:
        params = json.loads(str(data["params"]))
        assert params["N"] == 1000 and params["J"] == 15.0
        assert params["current"] == {"kind": "step", "amplitude": 3.0, "t_on": 0.0, "t_off": 12.0}
        assert params["qifgap_version"]
        assert data["t"][0] == pytest.approx(-4.995)
    # figures carry what made them: package version and the resolved config entries
    from PIL import Image

    with Image.open(res / "figures" / "protocol_mpr15_step.png") as png:
        made = json.loads(png.text["qifgap"])
    assert made["qifgap_version"] == params["qifgap_version"]
    assert made["params"]["run"]["J"] == 15.0 and made["rule"] == "figure_protocol"
    with open(res / "figures" / "protocol_mpr15_step.pdf", "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    # every rule wrote a log
    assert (workdir / "logs" / PER_RUN_RULES[0] / "onset" / "g=2.log").exists()


def test_numbers_behind_the_outputs(workdir):
    res = workdir / "results"
    summary = pd.read_csv(res / "compare" / "summary.tsv", sep="\t").set_index("run")
    assert {"mpr15_step", "mpr15_sine", "asym50_corrected"} <= set(summary.index)
    # N = 1000 follows the mean field on average to within 10 % (except the uncorrected mean
    # field of asymmetric spikes, which is off by design: see test_paper_figures_numbers, and
    # sparse synchrony's 500 noisy neurons: over 8 noise seeds their ⟨r⟩ is 19 % ± 8 % above the
    # mean field's, 7 % ± 4 % at N = 2000; its claims test it from N = 10⁴)
    matched = ((summary.kappa != 0) | (summary.v_reset == -summary.v_peak)) & ~(summary.noise > 0)
    assert matched.sum() >= 6
    assert (summary.rel_err_mean_r[matched].abs() < 0.1).all()
    sweep = pd.read_csv(res / "compare" / "sweeps" / "onset.tsv", sep="\t")
    assert sorted(sweep.g) == sorted(_SWEEP_G["onset"])
    points = pd.read_csv(res / "bifurcation" / "g=0" / "points.csv").set_index("name")
    assert points.loc["cusp", "eta_bar"] == pytest.approx(-math.sqrt(3), rel=1e-9)
    assert points.loc["cusp", "J"] == pytest.approx(7.79622, rel=1e-6)


@pytest.mark.slow
def test_second_run_plans_nothing(workdir, package_env):
    """Slow (one more dry run of the whole DAG): the finished run plans nothing, so an edit can
    only add jobs to its plan (the default suite's code-change cases plan exactly the jobs
    their edits explain, no more)."""
    assert planned_jobs(workdir, *TEST_CONFIG, env=package_env) == {}


def test_parameter_change_replans_only_that_experiment(workdir, package_env):
    """Proves, by one ``snakemake -n`` on the finished run: a changed parameter of one
    experiment replans that run's jobs and what reads them (summary, its protocol figure,
    claims), nothing of the other runs."""
    config = yaml.safe_load((workdir / "config" / "test.yaml").read_text())
    config["experiments"]["mpr15_step"]["t_end"] = 9.0
    (workdir / "config" / "changed.yaml").write_text(yaml.safe_dump(config))
    jobs = planned_jobs(workdir, "--configfile", "config/changed.yaml", env=package_env)
    assert jobs == {
        **dict.fromkeys(PER_RUN_RULES, 1),
        "compare_summary": 1,
        "figure_protocol": 1,
        "claims": 1,
        "all": 1,
    }


# the code-hash test: every module of the package, edited in the workflow's copy
PACKAGE_MODULES = sorted(
    ".".join(
        ("qifgap", *p.relative_to(REPO / "src" / "qifgap").with_suffix("").parts)
    ).removesuffix(".__init__")
    for p in (REPO / "src" / "qifgap").rglob("*.py")
)
# The default suite's cases, one plan each, of the modules edited together: figures only
# (qifgap.plotting) with the harness that no hash includes (had it one, every rule would
# replan: the networks too, not figures only), and the analysis that several stages share (the
# drift of the old hand-kept list).
CODE_CHANGES = {
    "figures only": ("qifgap.plotting", "qifgap.harness"),
    "shared analysis": ("qifgap.analysis",),
}
REPRESENTATIVE = tuple(m for modules in CODE_CHANGES.values() for m in modules)


def _module_file(src, module):
    base = src / Path(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def _plans(workdir, package_env, cases, dest):
    """Snakemake's rules of the finished run (scripts, upstream rules, job counts) and, for
    each case of ``cases`` ({name: modules}), the jobs planned while its modules are edited in
    a copy (in ``dest``) of the package copy that the runs import, so that no other run sees
    the edits (a dry run's DAG; one Python process for all)."""
    src = copy_tree(Path(package_env["PYTHONPATH"]), dest / "src")
    edits = [[_module_file(src, m) for m in modules] for modules in cases.values()]
    env = {**package_env, "PYTHONPATH": str(src)}
    graph = rule_graph(workdir, "config/test.yaml", env=env, edits=edits)
    return graph, dict(zip(cases, graph["plans"], strict=True))


@pytest.fixture(scope="module")
def code_changes(workdir, package_env, tmp_path_factory):
    """The rules and the plans of :data:`CODE_CHANGES`."""
    return _plans(workdir, package_env, CODE_CHANGES, tmp_path_factory.mktemp("edited"))


@pytest.fixture(scope="module")
def every_module(workdir, package_env, tmp_path_factory):
    """The rules and the plan after an edit of each module alone (slow tests); restored, the
    package plans nothing (``snakemake -n``)."""
    dest = tmp_path_factory.mktemp("edited")
    plans = _plans(workdir, package_env, {m: (m,) for m in PACKAGE_MODULES}, dest)
    env = {**package_env, "PYTHONPATH": str(dest / "src")}
    assert planned_jobs(workdir, *TEST_CONFIG, env=env) == {}
    return plans


@functools.cache
def _script_imports(script: str, src: str) -> frozenset[str]:
    """The package modules that ``script`` imports (modulefinder; once per script)."""
    return frozenset(imported_package_modules(Path(script), Path(src), excludes=NOT_HASHED))


def _expected_replan(src, rules, modules):
    """The rules whose script imports one of ``modules`` (modulefinder, independently of the
    workflow's own ast reading), and every rule downstream of them."""
    direct = {
        rule
        for rule, script in rules["scripts"].items()
        if script and set(modules) & _script_imports(script, str(src))
    }
    planned = set(direct)
    while True:
        more = {r for r, up in rules["upstream"].items() if planned & set(up)} - planned
        if not more:
            break
        planned |= more
    return direct, planned


def _check_code_change(package_env, rules, modules, jobs):
    """The plan ``jobs`` after an edit of ``modules`` must be exactly the rules that import
    one of them and their downstream."""
    src = Path(package_env["PYTHONPATH"])
    direct, expected = _expected_replan(src, rules, modules)
    assert set(jobs) == expected, (modules, sorted(set(jobs) ^ expected))
    # every job of a rule that imports a module reruns, not only some
    assert {r: jobs[r] for r in direct} == {r: rules["jobs"][r] for r in direct}, modules
    return jobs


def test_package_modules_are_found():
    assert len(PACKAGE_MODULES) >= 15 and set(REPRESENTATIVE) <= set(PACKAGE_MODULES)
    assert set(NOT_HASHED) <= set(PACKAGE_MODULES)


@pytest.mark.parametrize("case", CODE_CHANGES)
def test_code_change_replans_the_rules_that_import_it(package_env, code_changes, case):
    """Proves, for each case's modules edited at once, that the plan holds exactly the rules
    whose scripts import one of them (found by modulefinder) and their downstream, every job of
    the importing rules; and what that means for the representative modules."""
    rules, plans = code_changes
    modules = CODE_CHANGES[case]
    jobs = _check_code_change(package_env, rules, modules, plans[case])
    if "qifgap.plotting" in modules:  # figures only (and the claims table, made after them)
        assert jobs and all(r.startswith("figure_") for r in jobs if r not in ("all", "claims"))
    if "qifgap.analysis" in modules:  # hysteresis, asymmetry, finite size, onset, bistability
        assert {"compare_hysteresis", "bifurcation_bistable_range", "figure_p19_onset"} <= set(
            jobs
        ), jobs
        assert not set(SIMULATION_RULES) & set(jobs), jobs


@pytest.mark.slow
@pytest.mark.parametrize("module", PACKAGE_MODULES)
def test_code_change_replans_the_rules_that_import_it_every_module(
    package_env, every_module, module
):
    rules, plans = every_module
    _check_code_change(package_env, rules, [module], plans[module])


@pytest.mark.slow
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
def test_bad_config_is_refused_in_one_line(workdir, package_env, edit, key):
    """Slow (five snakemake starts): the default suite keeps the same property in
    tests/test_faults.py (five malformed configs refused by ``snakemake -n`` in one line naming
    the key) and every key of these cases in tests/test_config.py (validate_config in-process)."""
    config = yaml.safe_load((workdir / "config" / "test.yaml").read_text())
    edit(config)
    (workdir / "config" / "bad.yaml").write_text(yaml.safe_dump(config))
    proc = snakemake(workdir, "-n", "--configfile", "config/bad.yaml", check=False, env=package_env)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("config error:")]
    assert len(errors) == 1 and key in errors[0], proc.stderr


def test_paper_figures_numbers(workdir):
    """The numbers behind the P19/MP20 figures (reduced sizes of config/test.yaml)."""
    res = workdir / "results"
    from PIL import Image

    for name in ("p19_coupling_electrical", "p19_onset", "p19_hysteresis", "mp20_asymmetry",
                 "finite_size", "p19_phase_diagrams", "p19_codim2", "p19_limit_cycles",
                 "p19_verification_g=0", "p19_verification_g=1", "mpr15_bifurcation",
                 "sparse_synchrony", "rhythm_onset_ei_gap", "rhythm_curves_ei_gap",
                 "two_clusters_two_clusters", "mp20_populations_ei_gap"):  # fmt: skip
        # a drawn figure (not a blank canvas) of the rule of its name (less the config entry
        # or panel it draws), made by this package
        with Image.open(res / "figures" / f"{name}.png") as png:
            made = json.loads(png.text["qifgap"])
            pixels = np.asarray(png.convert("L"), dtype=float)
        entry = r"_electrical$|_g=\d$|(?<=[a-z])_ei_gap$|(?<=two_clusters)_two_clusters$"
        assert made["rule"] == "figure_" + re.sub(entry, "", name), (name, made["rule"])
        assert min(pixels.shape) > 300 and pixels.std() > 10, name
        assert (pixels < 128).mean() > 0.01, name  # ink on at least 1 % of the canvas
    # electrical coupling: oscillation sets in on the correct side of the Hopf value g_H = 1.375
    onset = pd.read_csv(res / "compare" / "sweeps" / "onset.tsv", sep="\t").set_index("g")
    assert (onset.index < _G_H).any() and (onset.index > _G_H).any(), onset.index
    for who in ("net", "mf"):
        amp = onset[f"rms_amplitude_v_{who}"]
        assert amp[amp.index > _G_H].min() > 5 * amp[amp.index < _G_H].max(), who
    # persistent activity: a hysteresis loop without gap junctions, narrower with g = 1
    hyst = pd.read_csv(res / "compare" / "hysteresis.tsv", sep="\t").set_index("g")
    for who in ("net", "mf"):
        assert hyst.loc[0.0, f"width_{who}"] > 2.0
        assert hyst.loc[1.0, f"width_{who}"] < 0.8 * hyst.loc[0.0, f"width_{who}"]
    # asymmetric spikes: the corrected mean field is closer to the network than P19's
    asym = pd.read_csv(res / "compare" / "asymmetry.tsv", sep="\t").set_index("v_reset")
    assert abs(asym.loc[-50.0, "err_mp20"]) < 0.5 * abs(asym.loc[-50.0, "err_p19"])
    # the correction is kappa = ln(V_p / |V_r|): ln 2 at V_r = -50, none for symmetric spikes
    assert asym.loc[-50.0, "kappa"] == pytest.approx(math.log(2), rel=1e-9)
    assert asym.loc[-100.0, "kappa"] == 0
    # P19 describes symmetric spikes (error of the mean rate ~0.5 %), not V_r = -50 (~20 %);
    # the corrected mean field brings V_r = -50 back to the symmetric case's accuracy
    assert abs(asym.loc[-100.0, "err_p19"]) < 0.03
    assert abs(asym.loc[-50.0, "err_p19"]) > 0.1
    assert abs(asym.loc[-50.0, "err_mp20"]) < 0.03
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
    assert summary["points"] == 7
    assert summary["agreement_away"] >= 0.66


def test_claims_of_the_test_config(workdir, tmp_path):
    """Every caption claim that the test config can test passes at its sizes (N = 1000:
    network errors within 0.02 + 2/sqrt(N), verification agreement >= 0.6), in the table the
    workflow wrote and from `qifgap claims` (claims.main) on the same results."""
    from qifgap import claims

    res = workdir / "results"
    argv = [str(res), "--configfile", str(workdir / "config" / "test.yaml")]
    assert claims.main([*argv, "--output", str(tmp_path / "claims.tsv")]) == 0
    for path in (res / "claims.tsv", tmp_path / "claims.tsv"):
        table = pd.read_csv(path, sep="\t")
        assert len(table) == len(claims.CLAIMS)
        assert not table.status.eq("fail").any(), table[table.status == "fail"].to_string()
        tested = table[table.status == "pass"]
        assert len(tested) >= 18, table[table.status != "pass"].to_string()
        # the claims of this issue are tested on the test config, not left untested
        for text in ("first widens", "ramp speed", "free fit", "coexistence regions",
                     "agreement over all grid points", "under a quarter"):  # fmt: skip
            assert tested.claim.str.contains(text).any(), text
    page = (res / "claims.html").read_text(encoding="utf-8")
    assert f"{len(tested)} pass, 0 fail" in page
    # the verification claims see both g of the config, the coexistence point at g = 1 too
    for g, points in (("0", 6), ("1", 7)):
        summary = json.loads((res / "verification" / f"g={g}" / "summary.json").read_text())
        assert summary["points"] == points and summary["agreement_all"] >= 0.6, (g, summary)
    coexistence = json.loads((res / "verification" / "g=1" / "summary.json").read_text())
    assert coexistence["coexistence_points"] == 1 and coexistence["agreement_coexistence"] == 1


def test_population_experiment_outputs(workdir):
    """The two-population experiment of config/test.yaml (science.md §6, N = 500 per population,
    20 τ) through every stage: (time × population) series, a comparison row per population,
    the sweep of g_II by its dotted key, and its figures.

    Tolerances for N = 500: the Lorentzian quantiles miss the heavy tail, which lowers each
    rate by ≈ 2Δ/(π²√(N/π)) ≈ 0.016 (README), amplified by the recurrent excitation of E: up
    to ~10 % of r_E ≈ 0.14 (measured −6.7 % for E, −2.1 % for I). The rhythm's frequency is a
    collective property, far less sensitive: the spectral peaks agree to 3 % (measured 0.8 %).
    """
    res = workdir / "results"
    for kind in ("network", "meanfield"):
        with np.load(res / kind / "ei.npz") as data:
            assert [str(p) for p in data["populations"]] == ["E", "I"]
            assert data["r"].shape == data["v"].shape == (2000, 2)
            assert np.isfinite(data["r"]).all() and data["r"].min() >= 0
            params = json.loads(str(data["params"]))
            assert params["g"] == {"I": {"I": 1.5}} and params["populations"]["I"]["tau_syn"] == 0.5
    with np.load(res / "network" / "ei.npz") as data:
        assert data["population_offsets"].tolist() == [0, 500, 1000]
        ids = data["spike_ids"]
        assert (ids < 500).any() and (ids >= 500).any()  # raster of both populations
    run = pd.read_csv(res / "compare" / "runs" / "ei.tsv", sep="\t").set_index("population")
    assert list(run.index) == ["E", "I"] and (run.N == 500).all()
    assert run.loc["I", "tau_syn"] == 0.5 and run.loc["E", "tau_syn"] == 0
    summary = pd.read_csv(res / "compare" / "summary.tsv", sep="\t")
    assert sorted(summary.population[summary.run == "ei"]) == ["E", "I"]
    # a row per population for population experiments and their sweeps, one row (no
    # population) for the others
    populations = {n for n, e in _TEST["experiments"].items() if "populations" in e}
    populations |= {n for n, e in _TEST["sweeps"].items() if e["experiment"] in populations}
    of_populations = summary.run.str.split("/").str[0].isin(populations)
    assert summary.population[~of_populations].isna().all()  # one-population rows
    assert summary.population[of_populations].notna().all()
    # network against mean field per population (N = 500, see above)
    assert (run.rel_err_mean_r.abs() < 0.10).all(), run.rel_err_mean_r
    # the sweep of g_II: one row per population and point, the dotted key as a column
    sweep = pd.read_csv(res / "compare" / "sweeps" / f"{_EI_SWEEP}.tsv", sep="\t")
    assert len(sweep) == 2 * len(_EI_G) and sorted(set(sweep["g.I.I"])) == _EI_G
    assert _EI_G[0] == 0.0 and _EI_G[-1] == 1.5
    rows = sweep.set_index(["g.I.I", "population"])
    # the gap-junction point is the experiment itself: the same numbers
    for column in ("mean_r_net", "mean_r_mf", "rmse_v", "spectral_peak_net"):
        assert rows.loc[(1.5, "I"), column] == run.loc["I", column], column
    with_gaps, without = rows.loc[(1.5, "I")], rows.loc[(0.0, "I")]
    # with g_II = 1.5 a rhythm in both, the mean field's period ≈ 2.83 τ (science.md §6)
    assert with_gaps.std_r_mf > 0.2
    assert 1 / with_gaps.spectral_peak_mf == pytest.approx(2.83, rel=0.02)
    assert with_gaps.spectral_peak_net == pytest.approx(with_gaps.spectral_peak_mf, rel=0.03)
    # without it the mean field is stationary (the start's transient has decayed by t_min) and
    # the network's voltage oscillates far less
    assert without.std_r_mf < 0.02
    assert without.rms_amplitude_v_net < 0.3 * with_gaps.rms_amplitude_v_net
    # the figures: the protocol figure of the experiment and the sweep figure
    from PIL import Image

    for name, rule in (("protocol_ei", "figure_protocol"), ("ei_gap", "figure_ei_gap")):
        with Image.open(res / "figures" / f"{name}.png") as png:
            made = json.loads(png.text["qifgap"])
            pixels = np.asarray(png.convert("L"), dtype=float)
        assert made["rule"] == rule
        assert min(pixels.shape) > 300 and (pixels < 128).mean() > 0.01, name
    assert made["params"]["runs"][f"{_EI_SWEEP}/g.I.I=0"]["g"] == {"I": {"I": 0.0}}
