"""Config validation: malformed configs are refused before any job runs, naming the key."""

import copy
import re
from pathlib import Path

import pytest
import yaml

from qifgap.workflow import ConfigError, validate_config

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "config" / "schema.yaml"
BASE = yaml.safe_load((REPO / "config" / "test.yaml").read_text())


def _set(path, value):
    def edit(c):
        *parents, leaf = path
        node = c
        for p in parents:
            node = node[p]
        node[leaf] = value

    return edit


def _delete(path):
    def edit(c):
        *parents, leaf = path
        node = c
        for p in parents:
            node = node[p]
        del node[leaf]

    return edit


EXP = ("experiments", "mpr15_step")
EI = ("experiments", "ei")  # the two-population experiment
NET = ("defaults", "network")
CASES = [
    # wrong types
    (_set((*EXP, "J"), "strong"), "experiments.mpr15_step.J"),
    (_set((*EXP, "eta_bar"), [1, 2]), "experiments.mpr15_step.eta_bar"),
    (_set((*NET, "N"), 10.5), "defaults.network.N"),
    (_set((*NET, "N"), "1000"), "defaults.network.N"),
    (_set((*NET, "reset"), "soft"), "defaults.network.reset"),
    (_set(("threads",), "two"), "threads"),
    (_set((*EXP, "current"), {"kind": "step", "amplitude": "big", "t_on": 0, "t_off": 1}),
     "experiments.mpr15_step.current"),
    (_set(("sweeps", "onset", "grid", "g"), 1.0), "sweeps.onset.grid.g"),
    # out of range
    (_set((*NET, "N"), 0), "defaults.network.N"),
    (_set((*NET, "dt"), 0.0), "defaults.network.dt"),
    (_set((*NET, "dt"), -1e-4), "defaults.network.dt"),
    (_set((*NET, "dt"), 0.008), "dt"),  # not well below the refractory time
    (_set((*NET, "v_peak"), -1.0), "defaults.network.v_peak"),
    (_set((*NET, "v_reset"), 5.0), "defaults.network.v_reset"),
    (_set(("defaults", "delta"), -1.0), "defaults.delta"),
    (_set((*EXP, "g"), -0.5), "experiments.mpr15_step.g"),
    (_set((*EXP, "t_end"), -10.0), "t_end"),
    (_set((*NET, "rate_bin"), 1.5e-4), "rate_bin"),
    (_set(("threads",), 0), "threads"),
    (_set(("defaults", "meanfield", "rtol"), 1.0), "defaults.meanfield.rtol"),
    (_set((*EXP, "compare"), {"t_min": 100.0}), "compare.t_min"),
    (_set(("bifurcation", "g"), [-1.0]), "bifurcation.g"),
    # the bifurcation analysis uses the default Δ: it must be > 0 (Δ = 0 failed in its jobs)
    (_set(("defaults", "delta"), 0.0), "defaults.delta"),
    # missing keys
    (_delete((*EXP, "J")), "'J' is a required property"),
    (_delete(("experiments",)), "'experiments' is a required property"),
    (_delete(("defaults", "delta")), "defaults: 'delta' is a required property"),
    (_delete(("bifurcation",)), "'bifurcation' is a required property"),
    (_delete(("bifurcation", "codim2_g")), "bifurcation: 'codim2_g' is a required property"),
    (_delete(("bifurcation", "limit_cycles")), "bifurcation: 'limit_cycles'"),
    (_delete(("sweeps", "onset", "grid")), "sweeps.onset: needs 'grid' or 'zip'"),
    (_set(("sweeps", "onset", "zip"), {"g": [0.0], "J": [1.0, 2.0]}), "same length"),
    (_set((*EXP, "current"), {"kind": "step", "amplitude": 1.0}), "experiments.mpr15_step.current"),
    # unknown keys
    (_set(("extra",), 1), "unknown key(s) ['extra']"),
    (_set((*NET, "Nn"), 100), "defaults.network: unknown key(s) ['Nn']"),
    (_set((*EXP, "eta"), 1.0), "experiments.mpr15_step: unknown key(s) ['eta']"),
    (_set(("sweeps", "onset", "grid", "network.foo"), [1]), "sweeps.onset.grid"),
    (_set(("sweeps", "onset", "experiment"), "nope"), "sweeps.onset.experiment"),
    # NaN and infinity
    (_set((*EXP, "eta_bar"), float("nan")), "experiments.mpr15_step.eta_bar"),
    (_set((*NET, "dt"), float("inf")), "defaults.network.dt"),
    (_set(("sweeps", "onset", "grid", "g"), [0.0, float("-inf")]), "sweeps.onset.grid.g[1]"),
    # names that would become paths
    (lambda c: c["experiments"].update({"a/b": c["experiments"]["mpr15_step"]}), "names must"),
    (lambda c: c["experiments"].update({"..": c["experiments"]["mpr15_step"]}), "names must"),
    (lambda c: c["sweeps"].update({"x y": c["sweeps"]["onset"]}), "names must"),
    (_set(("figures", "protocols"), ["../etc"]), "figures.protocols[0]"),
    # figures name runs and sweeps that exist
    (_set(("figures", "protocols"), ["mpr15_step", "nope"]), "figures.protocols[1]: unknown run"),
    (_set(("figures", "coupling", "electrical"), ["gap_async", "x"]),
     "figures.coupling.electrical[1]: unknown run 'x'"),
    (_set(("figures", "onset"), "gap_async"), "figures.onset: unknown sweep 'gap_async'"),
    (_set(("figures", "hysteresis", "sweep"), "ramp"), "figures.hysteresis.sweep: unknown sweep"),
    (_set(("figures", "asymmetry"), ["asym"]), "figures.asymmetry[0]: unknown run 'asym'"),
    (_set(("figures", "finite_size", "async"), "fss"), "figures.finite_size.async: unknown sweep"),
    # verification: g is a list of phase-diagram couplings, zooms name a verified g
    (_set(("verification", "g"), 1.0), "verification.g"),
    (_set(("verification", "g"), []), "verification.g"),
    (_set(("verification", "g"), [1.0, 0.5]), "verification.g[1]: 0.5 is not one of bifurcation.g"),
    (_set(("verification", "coexistence_band"), -0.1), "verification.coexistence_band"),
    (_set(("verification", "zoom"), [{"g": 2.0, "eta": {"min": 0.0, "max": 1.0, "n": 2},
                                      "J": {"min": 0.0, "max": 1.0, "n": 2}}]),
     "verification.zoom[0].g: 2.0 is not one of verification.g"),
    (_set(("verification", "zoom"), [{"g": 1.0, "eta": {"min": 0.0, "max": 1.0, "n": 2}}]),
     "verification.zoom[0]"),
    # population experiments (science.md §6): the model's keys, before any job runs
    (_set((*EI, "J", "I", "X"), 1.0), "experiments.ei: J.I.X: unknown population 'X'"),
    (_set((*EI, "J", "X"), {"E": 1.0}), "experiments.ei: J.X: unknown population 'X'"),
    (_set((*EI, "g", "X"), {"I": 1.0}), "experiments.ei: g.X: unknown population 'X'"),
    (_set((*EI, "g", "I", "I"), -1.5), "experiments.ei.g.I.I: -1.5 is less than the minimum of 0"),
    (_set((*EI, "populations", "I", "tau_syn"), -0.5), "experiments.ei.populations.I.tau_syn"),
    (_set((*EI, "populations", "I", "tau_syn"), 1e-5), "experiments.ei: populations.I.tau_syn"),
    (_delete((*EI, "populations", "I", "N")),
     "experiments.ei.populations.I: 'N' is a required property"),
    (_delete((*EI, "populations", "E", "eta_bar")),
     "experiments.ei.populations.E: 'eta_bar' is a required property"),
    (_set((*EI, "populations", "I", "v_reset"), 10.0), "experiments.ei.populations.I.v_reset"),
    (_set((*EI, "populations", "I", "Nn"), 10), "experiments.ei.populations.I: unknown key(s)"),
    (_set((*EI, "populations"), {}), "experiments.ei.populations"),
    (_set((*EI, "populations", "a.b"), {"eta_bar": 1.0, "N": 10}), "names must"),
    (_set((*EI, "network"), {"N": 100}), "experiments.ei: network.N"),
    (_set((*EI, "eta_bar"), 1.0), "experiments.ei: eta_bar"),
    (_set((*EI, "J"), 5.0), "experiments.ei.J: 5.0 is not of type 'object'"),
    (_set((*EI, "current"), {"X": {"kind": "constant", "value": 1.0}}),
     "experiments.ei: current.X: unknown population"),
    (_set((*EXP, "J"), {"E": {"E": 1.0}}), "experiments.mpr15_step.J"),  # no populations
    (_set((*EXP, "current"), {"E": {"kind": "constant", "value": 1.0}}),
     "experiments.mpr15_step.current: 'kind' is a required property"),
    # dotted sweep keys into the model
    (_set(("sweeps", "ei_rhythm", "grid", "g.I.I"), [-1.0]), "g.I.I: -1.0 is less than"),
    (_set(("sweeps", "ei_rhythm", "grid", "populations.X.tau_syn"), [0.1]),
     "sweeps.ei_rhythm: populations.X.tau_syn: unknown population 'X'"),
    (_set(("sweeps", "ei_rhythm", "grid", "J.X.E"), [1.0]), "J.X: unknown population 'X'"),
    (_set(("sweeps", "ei_rhythm", "grid", "populations.I.foo"), [1.0]), "sweeps.ei_rhythm.grid"),
    (_set(("sweeps", "onset", "grid", "g.I.I"), [1.0]),
     "sweeps.onset: g.I.I needs an experiment with populations"),
    # figures draw the model they are made for
    (_set(("figures", "coupling", "electrical"), ["ei"]),
     "figures.coupling.electrical[0]: run 'ei': this figure needs one-population runs"),
    (_set(("figures", "ei_gap"), "onset"), "figures.ei_gap: sweep 'onset': this figure needs a po"),
    (_set(("figures", "ei_gap"), "nope"), "figures.ei_gap: unknown sweep 'nope'"),
]  # fmt: skip


@pytest.mark.parametrize(("edit", "key"), CASES)
def test_malformed_config_is_refused_naming_the_key(edit, key):
    config = copy.deepcopy(BASE)
    edit(config)
    with pytest.raises(ConfigError) as info:
        validate_config(config, SCHEMA)
    message = str(info.value)
    assert key in message
    assert "\n" not in message


@pytest.mark.parametrize("name", ["config.yaml", "test.yaml"])
def test_shipped_configs_are_valid(name):
    config = yaml.safe_load((REPO / "config" / name).read_text())
    runs = validate_config(config, SCHEMA)
    assert "mpr15_step" in runs
    # run names are paths and wildcard values; on a cluster Snakemake passes them as
    # --target-jobs rule:run=NAME, split at commas: so no commas, and the workflow's pattern
    for run in runs:
        assert re.fullmatch(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_.=+-]+)?", run), run
    assert runs["mpr15_step"]["network"]["dt"] == 1e-4  # defaults merged


def test_population_fields_are_declared_once():
    """The schema's population entry has exactly the fields of qifgap.populations.Population."""
    from dataclasses import fields

    from qifgap.populations import Population

    schema = yaml.safe_load(SCHEMA.read_text())
    declared = set(schema["$defs"]["population"]["properties"])
    assert declared == {f.name for f in fields(Population)} - {"name"}
    sweep_keys = schema["$defs"]["sweep_values"]["patternProperties"]
    population_key = next(p for p in sweep_keys if p.startswith("^populations"))
    for field in declared:
        assert re.fullmatch(population_key, f"populations.I.{field}"), field


def test_population_experiment_resolves_with_inherited_defaults():
    config = copy.deepcopy(BASE)
    config["defaults"]["delta"] = 0.5
    config["defaults"]["network"]["v_reset"] = -50.0
    config["experiments"]["ei"]["populations"]["I"]["delta"] = 2.0
    runs = validate_config(config, SCHEMA)
    from qifgap.experiments import run_model

    model = run_model(runs["ei"])
    assert model.names == ("E", "I")
    assert model["E"].delta == 0.5 and model["I"].delta == 2.0  # the run's Δ unless its own
    assert model["E"].v_reset == -50.0 and model["E"].v_peak == 100.0  # network options
    assert model["I"].tau_syn == 0.5 and model["E"].tau_syn == 0.0  # defaults table
    assert "N" not in runs["ei"]["network"]  # each population gives its own
    assert model.get("g.I.I") == 1.5 and model.get("J.E.I") == -10.0 and model.get("g.E.I") == 0
    # the points of the sweep of g_II
    assert runs["ei_rhythm/g.I.I=0"]["g"] == {"I": {"I": 0.0}}
    assert run_model(runs["ei_rhythm/g.I.I=1.5"]).get("g.I.I") == 1.5
