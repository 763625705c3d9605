"""qifgap.experiments from a config to runs: merging defaults, canonical order, numbers in
paths, sweep points, templates and mean-field variants, and the refusals naming the key (found
by mutation testing, mutation/README.md). No simulation: every test runs in milliseconds."""

import numpy as np
import pytest

from qifgap.experiments import ConfigError, canonical, expand_sweep, fmt, merge, resolve_runs

EI = {
    "populations": {"E": {"eta_bar": 1.0, "N": 200}, "I": {"eta_bar": 2.0, "N": 100}},
    "J": {"E": {"I": -10.0}, "I": {"E": 10.0}},
    "t_end": 3.0,
}


def test_merge_is_deep_and_copies():
    base = {"a": 1, "opts": {"x": 1, "y": {"p": 1}}, "list": [1]}
    over = {"opts": {"y": {"q": 2}, "z": [3]}, "a": {"now": "a mapping"}, "list": [2]}
    out = merge(base, over)
    assert out == {"a": {"now": "a mapping"}, "opts": {"x": 1, "y": {"p": 1, "q": 2}, "z": [3]},
                   "list": [2]}  # fmt: skip
    out["opts"]["y"]["p"] = 9
    out["opts"]["z"].append(4)
    assert base == {"a": 1, "opts": {"x": 1, "y": {"p": 1}}, "list": [1]}
    assert over == {"opts": {"y": {"q": 2}, "z": [3]}, "a": {"now": "a mapping"}, "list": [2]}


def test_merge_shares_nothing_with_its_arguments():
    base = {"keep": {"x": [[1]]}}
    over = {"new": [[2]]}
    out = merge(base, over)
    out["keep"]["x"][0].append(9)
    out["new"][0].append(9)
    assert base == {"keep": {"x": [[1]]}} and over == {"new": [[2]]}


def test_a_mapping_over_a_number_replaces_it():
    assert merge({"opts": 1}, {"opts": {"x": 2}}) == {"opts": {"x": 2}}
    assert merge({"opts": {"x": 2}}, {"opts": 1}) == {"opts": 1}


def test_canonical_sorts_keys_at_every_depth_and_lists_tuples():
    out = canonical({"b": 1, "a": {"z": (2, {"y": 1, "x": 0}), "c": 3}})
    assert out == {"a": {"c": 3, "z": [2, {"x": 0, "y": 1}]}, "b": 1}
    assert list(out) == ["a", "b"]
    assert list(out["a"]) == ["c", "z"]
    assert list(out["a"]["z"][1]) == ["x", "y"]
    assert isinstance(out["a"]["z"], list)
    assert canonical("text") == "text"


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (15, "15"), (-5.0, "-5"), (0.1, "0.1"), (1e-4, "0.0001"), (-0.0, "0"), (0, "0"),
        (1e20, "100000000000000000000"), (2.5e-7, "0.00000025"), (np.int64(3), "3"),
        (np.float64(-1.5), "-1.5"), (True, "True"), ("auto", "auto"), (None, "None"),
    ],
)  # fmt: skip
def test_fmt_writes_numbers_in_their_shortest_positional_form(x, text):
    assert fmt(x) == text


BASE = {"eta_bar": -5.0, "g": 0.0, "network": {"N": 100}, "template": True}


def test_a_sweep_is_the_grid_product_times_the_zip():
    sweep = {
        "experiment": "base",
        "grid": {"g": [0, 0.5], "network.N": [1000]},
        "zip": {"network.v_peak": [50, 100], "network.v_reset": [-50, -100.0]},
    }
    points = expand_sweep("s", sweep, {"base": BASE})
    assert list(points) == [
        "s/g=0+N=1000+v_peak=50+v_reset=-50",
        "s/g=0+N=1000+v_peak=100+v_reset=-100",
        "s/g=0.5+N=1000+v_peak=50+v_reset=-50",
        "s/g=0.5+N=1000+v_peak=100+v_reset=-100",
    ]
    last = points["s/g=0.5+N=1000+v_peak=100+v_reset=-100"]
    assert last == {
        "eta_bar": -5.0,
        "g": 0.5,
        "network": {"N": 1000, "v_peak": 100, "v_reset": -100.0},
        "sweep": {"name": "s", "point": {"g": 0.5, "network.N": 1000, "network.v_peak": 100,
                                         "network.v_reset": -100.0}},
    }  # fmt: skip
    assert BASE == {"eta_bar": -5.0, "g": 0.0, "network": {"N": 100}, "template": True}


def test_a_grid_alone_and_a_zip_alone_make_points():
    grid = expand_sweep("s", {"experiment": "b", "grid": {"eta_bar": [1, 2]}}, {"b": BASE})
    assert list(grid) == ["s/eta_bar=1", "s/eta_bar=2"]
    zipped = expand_sweep("z", {"experiment": "b", "zip": {"g": [1.5], "J": [2]}}, {"b": BASE})
    assert list(zipped) == ["z/g=1.5+J=2"]
    assert zipped["z/g=1.5+J=2"]["J"] == 2


@pytest.mark.parametrize(
    ("sweep", "message"),
    [
        ({"experiment": "nope", "grid": {"g": [0]}},
         r"^sweeps\.s\.experiment: unknown experiment 'nope'$"),
        ({"experiment": "b"}, r"^sweeps\.s: give a grid or a zip of values$"),
        ({"experiment": "b", "grid": {}, "zip": {}},
         r"^sweeps\.s: give a grid or a zip of values$"),
        ({"experiment": "b", "zip": {"g": [0, 1], "J": [1]}},
         r"^sweeps\.s\.zip: all lists must have the same length$"),
        ({"experiment": "b", "grid": {"J.E.I": [1.0]}},
         r"^sweeps\.s: J\.E\.I needs an experiment with populations$"),
        ({"experiment": "b", "grid": {"network.N.x": [1]}},
         r"^sweeps\.s: network\.N\.x: N is not a mapping$"),
    ],
)  # fmt: skip
def test_bad_sweeps_are_refused_naming_the_key(sweep, message):
    with pytest.raises(ConfigError, match=message):
        expand_sweep("s", sweep, {"b": BASE})


def test_population_sweep_keys_set_the_model_and_name_the_point():
    sweep = {
        "experiment": "ei",
        "grid": {"g.I.I": [1.5], "J.E.I": [-5], "populations.I.tau_syn": [0.5]},
    }
    ((name, spec),) = expand_sweep("p", sweep, {"ei": EI}).items()
    assert name == "p/g.I.I=1.5+J.E.I=-5+I.tau_syn=0.5"
    assert spec["g"] == {"I": {"I": 1.5}}
    assert spec["J"] == {"E": {"I": -5}, "I": {"E": 10.0}}
    assert spec["populations"]["I"] == {"eta_bar": 2.0, "N": 100, "tau_syn": 0.5}
    assert "g" not in EI


def test_a_sweep_into_an_unknown_population_is_refused():
    sweep = {"experiment": "ei", "grid": {"populations.X.N": [10]}}
    msg = r"^sweeps\.p: populations\.X\.N: unknown population 'X' \(known: \('E', 'I'\)\)$"
    with pytest.raises(ConfigError, match=msg):
        expand_sweep("p", sweep, {"ei": EI})


def test_resolve_runs_merges_defaults_skips_templates_and_adds_variants_and_sweeps():
    config = {
        "defaults": {"delta": 1.0, "network": {"N": 500, "dt": 1e-3}, "meanfield": {"rtol": 1e-9}},
        "experiments": {
            "one": {"eta_bar": 1.0, "J": 0.0, "g": 0.0, "t_end": 1.0, "network": {"dt": 1e-4}},
            "base": {**BASE, "t_end": 2.0},
            "ei": EI,
        },
        "meanfield_variants": {"one_auto": {"network_from": "one", "meanfield": {"kappa": "auto"}}},
        "sweeps": {"s": {"experiment": "base", "grid": {"g": [1]}}},
    }
    runs = resolve_runs(config)
    assert list(runs) == ["one", "ei", "one_auto", "s/g=1"]
    assert runs["one"] == {"J": 0.0, "delta": 1.0, "eta_bar": 1.0, "g": 0.0,
                           "meanfield": {"rtol": 1e-9}, "network": {"N": 500, "dt": 1e-4},
                           "t_end": 1.0}  # fmt: skip
    assert list(runs["one"]) == sorted(runs["one"])
    assert runs["one_auto"]["meanfield"] == {"kappa": "auto", "rtol": 1e-9}
    assert runs["one_auto"]["network_from"] == "one"
    assert runs["ei"]["network"] == {"dt": 1e-3}  # each population gives its own N
    assert config["defaults"]["network"] == {"N": 500, "dt": 1e-3}
    assert runs["s/g=1"]["network"] == {"N": 100, "dt": 1e-3}
    assert runs["s/g=1"]["delta"] == 1.0


def test_a_variant_of_an_unknown_experiment_is_refused():
    config = {"experiments": {"one": {"eta_bar": 1.0}},
              "meanfield_variants": {"v": {"network_from": "two"}}}  # fmt: skip
    with pytest.raises(ConfigError, match=r"^meanfield_variants\.v\.network_from: unknown "
                                          r"experiment 'two'$"):  # fmt: skip
        resolve_runs(config)


@pytest.mark.parametrize("defaults", [{"delta": 1.0}, {"network": {"dt": 1e-3}}])
def test_population_experiments_resolve_with_defaults_without_network_n(defaults):
    runs = resolve_runs({"defaults": defaults, "experiments": {"ei": EI}})
    assert runs["ei"]["populations"]["I"] == {"N": 100, "eta_bar": 2.0}
    assert runs["ei"].get("network", {}) == defaults.get("network", {})


def test_a_config_without_sections_has_no_runs():
    assert resolve_runs({}) == {}
