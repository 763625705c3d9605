# Shared helpers and config validation; included first.
import functools
import os
import re
import sys
from pathlib import Path

from qifgap import __version__ as QIFGAP_VERSION
from qifgap.experiments import canonical, fmt, network_kwargs, neuron_count
from qifgap.workflow import ConfigError, code_hash, numba_code_hash, validate_config

RESULTS = "results"
LOGS = "logs"

try:
    RUNS = validate_config(config, workflow.source_path("../../config/schema.yaml"))
except ConfigError as exc:
    sys.stderr.write(f"config error: {exc}\n")
    sys.exit(1)

# one numba cache for the whole workflow, filled once by rule numba_warm_up (set here, so
# every job inherits it, unless the user chose one); its directory is named by the hash of the
# numba modules and everything they import (qifgap.workflow.numba_code_hash: numba itself
# keys a cached function by its own file only)
os.environ.setdefault(
    "NUMBA_CACHE_DIR", str(Path(RESULTS, ".numba-cache", numba_code_hash()).resolve())
)

SCRIPTS = Path(workflow.basedir, "workflow", "scripts")


@functools.cache
def script_code(script):
    """Hash of the package modules that workflow/scripts/<script>.py imports, transitively
    (qifgap.workflow.code_hash): a rule's ``code`` parameter, so that it reruns when package
    code it runs changes (Snakemake's own code trigger sees only the script file)."""
    return code_hash(SCRIPTS / f"{script}.py")


EXPERIMENTS = [name for name in RUNS if "/" not in name]
SWEEPS = {name: [run for run in RUNS if run.startswith(f"{name}/")] for name in config["sweeps"]}
THREADS = config["threads"]


wildcard_constraints:
    run=r"[A-Za-z0-9_-]+(/[A-Za-z0-9_.=+-]+)?",
    experiment=r"[A-Za-z0-9_-]+",
    sweep=r"[A-Za-z0-9_-]+",
    g=r"[0-9.]+",
    chunk=r"[0-9]+",


FIGURES = config["figures"]
VERIFY = config.get("verification")
BIF = config["bifurcation"]
DELTA = config["defaults"]["delta"]  # the Δ of the bifurcation analysis
FINITE_SIZE_TABLES = ("async", "oscillation", "v_peak_async", "v_peak_oscillation")
PHASE_TABLES = ("saddle_nodes", "hopf", "homoclinic", "points", "regions")
LC = canonical(BIF["limit_cycles"])
BRANCH = canonical(BIF["branch"])
PORTRAIT = canonical(BIF["portrait"])


def run_params(wildcards):
    """The resolved parameters of the run named by the wildcard (defaults merged)."""
    return RUNS[wildcards.run]


def _network_identity(params):
    """The network a run simulates, as text: its qifgap.network.simulate arguments."""
    kw = network_kwargs(params)
    if "model" in kw:
        kw["model"] = kw["model"].to_dict()
    return repr(canonical(kw))


def _network_sources():
    """{run: the run whose network file it is compared with}: that of ``network_from``, else
    the first run in config order that simulates the same network (a sweep point repeating an
    experiment or another sweep's point: the default config has three), so each is run once."""
    first, sources = {}, {}
    for name, params in RUNS.items():
        if "network_from" not in params:
            sources[name] = first.setdefault(_network_identity(params), name)
    for name, params in RUNS.items():
        if "network_from" in params:
            sources[name] = sources[params["network_from"]]
    return sources


NETWORK_SOURCE = _network_sources()


def network_file(wildcards):
    """The network simulation a run is compared with (NETWORK_SOURCE)."""
    return f"{RESULTS}/network/{NETWORK_SOURCE[wildcards.run]}.npz"


def network_threads(wildcards):
    """config threads for large networks; one thread below N = 50 000 (all populations), where
    a step is too short to share between threads and parallel jobs use the cores better."""
    return THREADS if neuron_count(RUNS[wildcards.run]) >= 50_000 else 1


def network_resources(wildcards, threads):
    return _network_estimate(wildcards.run, threads)


@functools.cache
def _network_estimate(run, threads):
    """qifgap.experiments.network_resources of a run, once: Snakemake evaluates the resources
    of every ready job again at each scheduling round (~2 ms each, ~100 ready jobs)."""
    from qifgap.experiments import network_resources as estimate

    return estimate(RUNS[run], threads=threads)


def all_targets():
    """Every table and figure of the config (figures: see FIGURE_REGISTRY in figures.smk)."""
    return [
        f"{RESULTS}/compare/summary.tsv",
        *expand(f"{RESULTS}/compare/sweeps/{{sweep}}.tsv", sweep=list(SWEEPS)),
        *(f"{RESULTS}/figures/{stem}.pdf" for fig in FIGURE_REGISTRY.values()
          for stem in fig["targets"]()),
        *([f"{RESULTS}/compare/hysteresis_speeds.tsv"]
          if "fast_sweep" in FIGURES.get("hysteresis", {}) else []),
    ]


# the verified couplings by their wildcard value (results/verification/g=<fmt(g)>/)
VERIFY_G = {fmt(g): g for g in VERIFY["g"]} if VERIFY else {}


def verification_points(g):
    """The (η̄, J) points verified at g: the eta x J grid and the zooms of that g."""
    import pandas as pd
    from qifgap.verification import grid_points

    grids = [(VERIFY["eta"], VERIFY["J"])]
    grids += [(z["eta"], z["J"]) for z in VERIFY.get("zoom", []) if z["g"] == g]
    points = pd.concat([grid_points(eta, J) for eta, J in grids], ignore_index=True)
    return points.drop_duplicates(ignore_index=True)


@functools.cache
def verification_chunks(g_name):
    """The verification points of g (its wildcard value) in jobs of ``chunk`` points."""
    points = verification_points(VERIFY_G[g_name])
    size = VERIFY["chunk"]
    return [points.iloc[k : k + size] for k in range(0, len(points), size)]


def rhythm_model_entry(rhythm):
    """A rhythm entry without its verification settings: the parameters of the continuation
    jobs, which a change of the spiking verification must not rerun."""
    return {k: v for k, v in RHYTHMS[rhythm].items() if k != "verification"}


def rhythm_verification_keys(rhythm):
    """The curve keys of a rhythm entry whose (parameter, key) window is verified by networks
    (config rhythms.<name>.verification.curves; RHYTHMS is read when a job is planned)."""
    return list(RHYTHMS[rhythm].get("verification", {}).get("curves", []))


@functools.cache
def rhythm_verification_chunks(rhythm, key):
    """The grid of a rhythm's verification in (parameter, key), in jobs of ``chunk`` points."""
    from qifgap.verification import parameter_grid

    entry = RHYTHMS[rhythm]
    settings = entry["verification"]
    axes = {entry["parameter"]: entry["range"], key: entry["curves"][key]}
    points = parameter_grid(
        {k: {"min": lo, "max": hi, "n": settings["n"]} for k, (lo, hi) in axes.items()}
    )
    size = settings["chunk"]
    return [points.iloc[k : k + size] for k in range(0, len(points), size)]


def rhythm_verification_runtime(rhythm):
    """Minutes of one chunk: ~4 ns per neuron-step (a loaded core), twice for bistable points."""
    s = RHYTHMS[rhythm]["verification"]
    P = len(RHYTHMS[rhythm]["model"]["populations"])
    steps = s["chunk"] * P * s["N"] * s["hold"] / s["dt"]
    return max(5, int(2 * steps * 4e-9 / 60) + 5)


def sweep_files(kind, sweep):
    return expand(f"{RESULTS}/{kind}/{{run}}.npz", run=SWEEPS[sweep])


def hysteresis_J():
    return RUNS[SWEEPS[FIGURES["hysteresis"]["sweep"]][0]]["J"]


def ramp_speed_runs():
    """The runs of the hysteresis sweep and of its faster twin (figures.hysteresis)."""
    return [r for key in ("sweep", "fast_sweep") for r in SWEEPS[FIGURES["hysteresis"][key]]]


def asymmetry_runs():
    """The runs of the spike-asymmetry figure (its networks and their mean-field variants),
    sorted: their order must not depend on the order of the YAML."""
    return sorted(r for r in RUNS if RUNS[r].get("network_from", r) in FIGURES["asymmetry"])


# rhythms (config section rhythms; RHYTHMS is set in bifurcation.smk)
def rhythm_model(name, entry):
    """The model mapping an entry continues: that of its experiment (populations, J, g, with
    the run's delta, tau and network options, as the experiment's networks see them), or its
    inline model."""
    from qifgap.experiments import merge, run_model
    from qifgap.populations import Model

    if "experiment" in entry:
        experiments = config.get("experiments", {})
        if entry["experiment"] not in experiments:
            raise ValueError(f"experiment: unknown experiment {entry['experiment']!r}")
        params = merge(config.get("defaults", {}), experiments[entry["experiment"]])
        if "populations" not in params:
            raise ValueError(f"experiment: {entry['experiment']} is not a population experiment")
        return run_model(canonical(params)).to_dict()
    return Model.from_dict(entry["model"]).to_dict()


def rhythm_network_values(entry):
    """The values of the entry's parameter at which its network sweep runs."""
    sweep = config["sweeps"][entry["network"]] if "network" in entry else {}
    values = {**sweep.get("grid", {}), **sweep.get("zip", {})}.get(entry["parameter"], [])
    return sorted({float(v) for v in values})


def rhythm_network_table(name):
    """[the network table of rule compare_rhythm] for an entry with networks, else []."""
    if "network" not in RHYTHMS[name]:
        return []
    return [f"{RESULTS}/rhythms/{name}.tsv"]


# two inhibitory clusters (clusters.smk) and MP20 with populations (asymmetry.smk)
def cluster_file(kind, wildcards):
    """The network or mean-field file of a clusters entry's pulse experiment."""
    return f"{RESULTS}/{kind}/{CLUSTERS[wildcards.cluster]['experiment']}.npz"


def cluster_run(wildcards):
    """The resolved pulse experiment of a clusters entry."""
    return RUNS[CLUSTERS[wildcards.cluster]["experiment"]]


def asym_runs(wildcards):
    """The resolved runs of an asymmetric_onset entry's sweep, by name."""
    return {run: RUNS[run] for run in SWEEPS[ASYM_ONSET[wildcards.asym]["sweep"]]}
